#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/tflite_model.h"
#include "rules/engine/finding.h"
#include "rules/engine/lint_options.h"
#include "rules/engine/profiles.h"
#include "rules/engine/rule.h"
#include "rules/tflite/delegate_placement.h"

// Rules over an existing .tflite model. They sit in the same registry as the TensorFlow
// rules (so `litelint rules` and `explain` list them), but the TF engine never calls them:
// they ask only for a pseudo op type no TensorFlow node has.

namespace litelint::rules {

/// One operator of a .tflite model.
struct TfliteOpRef {
  std::uint32_t subgraph = 0;
  std::uint32_t index = 0;
};

/// A finding as a .tflite rule reports it, before grouping by cause.
struct TfliteRawFinding {
  std::size_t rule = 0;
  FindingNode node;
  std::string op;  ///< "CONV_2D", "CUSTOM:Sinh"; "" for model-level findings
  std::string cause;
  std::string suggestion;
  Impact impact = Impact::None;
  std::string fallback_op;
  std::optional<Severity> severity;  ///< overrides the profile's severity for Impact::None
};

/// What a .tflite rule sees: the model, the profile, and where its findings go.
class TfliteContext {
 public:
  TfliteContext(const ir::TfliteModel& model, const LintOptions& options, const Profile& profile)
      : model_(model), options_(options), profile_(profile) {}

  const ir::TfliteModel& model() const { return model_; }
  const LintOptions& options() const { return options_; }
  const Profile& profile() const { return profile_; }
  /// The operator's code entry; nullptr when its opcode_index is out of range.
  const ir::TfliteOperatorCode* code_of(TfliteOpRef op) const;
  /// "CONV_2D", "CUSTOM:Sinh" or "INVALID_OPCODE".
  std::string op_name(TfliteOpRef op) const;
  /// Where the profile's delegate would run each op; computed once, on first use.
  /// Only valid when the profile has a delegate.
  const DelegatePlacement& placement();

  /// Reports a cause about one operator; returns the raw finding for details.
  TfliteRawFinding& report(TfliteOpRef op, std::string cause);
  /// Reports a cause about the whole model; `what` names it (a tensor, "model").
  TfliteRawFinding& report_model(std::string what, std::string cause);

  void set_rule(std::size_t index) { rule_ = index; }
  std::vector<TfliteRawFinding>& raw_findings() { return raw_; }

 private:
  const ir::TfliteModel& model_;
  const LintOptions& options_;
  const Profile& profile_;
  std::optional<DelegatePlacement> placement_;
  std::vector<TfliteRawFinding> raw_;
  std::size_t rule_ = 0;
};

/// "subgraph 0 / op 12 (CONV_2D)": the name findings use for an operator.
std::string tflite_node_name(TfliteOpRef op, std::string_view op_name);

/// A rule over .tflite models.
class TfliteRule : public Rule {
 public:
  /// The pseudo op type that keeps the TensorFlow engine from calling `check`.
  static constexpr std::string_view kTfliteOnly = "<tflite>";
  std::vector<std::string_view> ops() const override { return {kTfliteOnly}; }
  /// Called once per .tflite model.
  virtual void check_tflite(TfliteContext& ctx) const = 0;
};

}  // namespace litelint::rules
