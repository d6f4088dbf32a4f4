#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/support/expected.h"
#include "rules/engine/fix_apply.h"

namespace litelint::rules {

/// The version of reports/schema/fix-plan.schema.json that plans are written in.
inline constexpr std::string_view kFixPlanVersion = "1.0.0";

/// A fix plan: the decisions of one `litelint fix` run, which `fix --plan` and
/// `convert --plan` replay (reports/schema/fix-plan.schema.json).
struct FixPlan {
  std::string tool_version;
  std::string model_path;    ///< as given on the command line
  std::string model_format;  ///< ir::format_name
  std::string model_sha256;  ///< of the main file; informational: entries carry their own digests
  std::string target;        ///< "builtins", "select-tf-ops"
  std::vector<FixRecord> decisions;
};

/// The plan as JSON text (sorted keys, two-space indent, final newline): byte-identical for
/// the same decisions.
std::string render_fix_plan(const FixPlan& plan);

/// Reads a plan. Fails (ErrorCode::BadInput) naming the key when the text is not a plan of a
/// version this build reads.
Expected<FixPlan> parse_fix_plan(std::string_view text);

}  // namespace litelint::rules
