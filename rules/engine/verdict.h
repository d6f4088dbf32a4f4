#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rules/engine/finding.h"
#include "rules/engine/profiles.h"

namespace litelint::rules {

/// What TFLiteConverter makes of the whole model (the oracle's `verdict`).
enum class Verdict : std::uint8_t {
  ConvertsWithBuiltins,  ///< default settings succeed
  NeedsSelectTfOps,      ///< succeeds with SELECT_TF_OPS
  NeedsCustomOps,        ///< succeeds only with allow_custom_ops
  Fails,                 ///< fails in every mode
};

/// "converts-with-builtins", "needs-select-tf-ops", "needs-custom-ops", "fails".
std::string_view to_string(Verdict v);
/// Parses the spellings of to_string.
std::optional<Verdict> parse_verdict(std::string_view text);

/// True when the conversion succeeds in `mode` given every finding (all rules, unfiltered).
bool converts(std::span<const Finding> findings, Mode mode);
/// The verdict implied by the findings: builtins, else select, else custom, else fails.
Verdict verdict_of(std::span<const Finding> findings);

}  // namespace litelint::rules
