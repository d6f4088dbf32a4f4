#include "rules/engine/verdict.h"

namespace litelint::rules {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::ConvertsWithBuiltins: return "converts-with-builtins";
    case Verdict::NeedsSelectTfOps: return "needs-select-tf-ops";
    case Verdict::NeedsCustomOps: return "needs-custom-ops";
    case Verdict::Fails: return "fails";
  }
  return "fails";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  for (auto v : {Verdict::ConvertsWithBuiltins, Verdict::NeedsSelectTfOps,
                 Verdict::NeedsCustomOps, Verdict::Fails}) {
    if (to_string(v) == text) return v;
  }
  return std::nullopt;
}

bool converts(std::span<const Finding> findings, Mode mode) {
  for (const auto& f : findings) {
    if (outcome(f.impact, mode) == Outcome::Fails) return false;
  }
  return true;
}

Verdict verdict_of(std::span<const Finding> findings) {
  // The oracle's order: the first mode that succeeds names the verdict.
  if (converts(findings, Mode::Builtins)) return Verdict::ConvertsWithBuiltins;
  if (converts(findings, Mode::Select)) return Verdict::NeedsSelectTfOps;
  if (converts(findings, Mode::Custom)) return Verdict::NeedsCustomOps;
  return Verdict::Fails;
}

}  // namespace litelint::rules
