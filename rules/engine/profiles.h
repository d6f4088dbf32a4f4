#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "rules/engine/finding.h"
#include "rules/engine/opdb.h"

namespace litelint::rules {

/// What the user wants to run the model with (`--target`).
enum class Target : std::uint8_t {
  Builtins,     ///< TFLite builtins only (TFLiteConverter's default)
  SelectTfOps,  ///< builtins plus Select TF ops (Flex)
  Gpu,          ///< builtins, and every op should run on the GPU delegate
  Xnnpack,      ///< builtins, on the XNNPACK CPU delegate
  Nnapi,        ///< builtins, on the Android NNAPI delegate
  EdgeTpu,      ///< builtins, compiled for the Coral Edge TPU
};

/// The converter settings a verdict is computed for; the oracle's three modes plus one.
enum class Mode : std::uint8_t {
  Builtins,      ///< supported_ops = [TFLITE_BUILTINS]
  Select,        ///< supported_ops = [TFLITE_BUILTINS, SELECT_TF_OPS]
  Custom,        ///< TFLITE_BUILTINS with allow_custom_ops = True
  SelectCustom,  ///< SELECT_TF_OPS and allow_custom_ops
};

/// What one finding's cause does to the conversion in one mode.
enum class Outcome : std::uint8_t {
  Converts,  ///< nothing left over
  Flex,      ///< the op is emitted as a Select TF op
  Custom,    ///< the op is emitted as a custom op
  Fails,     ///< the conversion fails
};

/// A target with its converter settings and, for delegate targets, the delegate.
struct Profile {
  Target target = Target::Builtins;
  bool allow_custom_ops = false;
  std::optional<Delegate> delegate;  ///< set for delegate targets (gpu, xnnpack, nnapi, edgetpu)

  /// The converter mode this profile converts with.
  Mode mode() const;
};

/// The profile of a target.
Profile make_profile(Target target, bool allow_custom_ops);
/// Parses "builtins", "select-tf-ops", "gpu", "xnnpack", "nnapi", "edgetpu".
std::optional<Target> parse_target(std::string_view name);
std::string_view to_string(Target t);
/// "builtins", "select", "custom", "select-custom" (the oracle's mode names).
std::string_view to_string(Mode m);
std::string_view to_string(Outcome o);

/// What an impact means in one mode.
Outcome outcome(Impact impact, Mode mode);

/// True when a rule runs under the profile: delegate rules (LL3xx) only for delegate targets.
bool rule_applies(std::string_view code, const Profile& profile);

/// The severity of a finding under the profile: Error when it makes the conversion fail in the
/// profile's mode, Warning when it needs a fallback (Flex or custom op), else the rule's
/// default capped at Warning (a finding that converts is never an error).
Severity severity_for(Impact impact, Severity rule_default, const Profile& profile);

}  // namespace litelint::rules
