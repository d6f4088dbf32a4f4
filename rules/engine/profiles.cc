#include "rules/engine/profiles.h"

namespace litelint::rules {

Mode Profile::mode() const {
  if (target == Target::SelectTfOps) return allow_custom_ops ? Mode::SelectCustom : Mode::Select;
  return allow_custom_ops ? Mode::Custom : Mode::Builtins;
}

Profile make_profile(Target target, bool allow_custom_ops) {
  Profile p;
  p.target = target;
  p.allow_custom_ops = allow_custom_ops;
  // The GPU target converts with the default settings; its delegate rules then say which
  // builtins would fall back to the CPU.
  if (target == Target::Gpu) p.delegate = Delegate::Gpu;
  if (target == Target::Xnnpack) p.delegate = Delegate::Xnnpack;
  if (target == Target::Nnapi) p.delegate = Delegate::Nnapi;
  if (target == Target::EdgeTpu) p.delegate = Delegate::EdgeTpu;
  return p;
}

std::optional<Target> parse_target(std::string_view name) {
  if (name == "builtins") return Target::Builtins;
  if (name == "select-tf-ops") return Target::SelectTfOps;
  if (name == "gpu") return Target::Gpu;
  if (name == "xnnpack") return Target::Xnnpack;
  if (name == "nnapi") return Target::Nnapi;
  if (name == "edgetpu") return Target::EdgeTpu;
  return std::nullopt;
}

std::string_view to_string(Target t) {
  switch (t) {
    case Target::Builtins: return "builtins";
    case Target::SelectTfOps: return "select-tf-ops";
    case Target::Gpu: return "gpu";
    case Target::Xnnpack: return "xnnpack";
    case Target::Nnapi: return "nnapi";
    case Target::EdgeTpu: return "edgetpu";
  }
  return "builtins";
}

std::string_view to_string(Mode m) {
  switch (m) {
    case Mode::Builtins: return "builtins";
    case Mode::Select: return "select";
    case Mode::Custom: return "custom";
    case Mode::SelectCustom: return "select-custom";
  }
  return "builtins";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Converts: return "converts";
    case Outcome::Flex: return "flex";
    case Outcome::Custom: return "custom";
    case Outcome::Fails: return "fails";
  }
  return "fails";
}

Outcome outcome(Impact impact, Mode mode) {
  const bool select = mode == Mode::Select || mode == Mode::SelectCustom;
  const bool custom = mode == Mode::Custom || mode == Mode::SelectCustom;
  switch (impact) {
    case Impact::None: return Outcome::Converts;
    // With allow_custom_ops but without SELECT_TF_OPS the converter emits a left-over
    // allowlisted op as a custom op named by its TF op type.
    case Impact::Flex: return select ? Outcome::Flex : custom ? Outcome::Custom : Outcome::Fails;
    case Impact::Custom: return custom ? Outcome::Custom : Outcome::Fails;
    case Impact::FlexOrFail: return select ? Outcome::Flex : Outcome::Fails;
    case Impact::Fails: return Outcome::Fails;
  }
  return Outcome::Fails;
}

bool rule_applies(std::string_view code, const Profile& profile) {
  if (code.starts_with("LL3")) return profile.delegate.has_value();
  return true;
}

Severity severity_for(Impact impact, Severity rule_default, const Profile& profile) {
  switch (outcome(impact, profile.mode())) {
    case Outcome::Fails: return Severity::Error;
    case Outcome::Flex:
    case Outcome::Custom: return Severity::Warning;
    case Outcome::Converts: break;
  }
  return rule_default == Severity::Error ? Severity::Warning : rule_default;
}

}  // namespace litelint::rules
