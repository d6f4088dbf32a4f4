#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/node.h"
#include "rules/engine/finding.h"
#include "rules/engine/rule_context.h"

namespace litelint::rules {

/// Whether a rule can offer a graph rewrite (`litelint fix`).
enum class FixAvailability : std::uint8_t { None, Sometimes, Always };

/// How safe a rule's fix is, as in Ruff.
enum class Applicability : std::uint8_t {
  Safe,         ///< same numbers
  Unsafe,       ///< numbers or the model interface change (--unsafe-fixes)
  DisplayOnly,  ///< shown, never applied
};

/// What `litelint rules` and `litelint explain` print about a rule.
struct RuleInfo {
  std::string_view code;     ///< "LL101"
  std::string_view name;     ///< kebab-case, names the pattern: "select-tf-op"
  Severity severity = Severity::Warning;  ///< default, under the builtins target
  std::string_view summary;  ///< one line, lower-case start, no final period
  /// Markdown: "## What it does", "## Why is this bad?", "## Example", "## Fix", and
  /// "## Fix safety" when fixes are not Safe.
  std::string_view doc;
  FixAvailability fix = FixAvailability::None;
  Applicability fix_safety = Applicability::Safe;
};

/// One check. Rules are stateless: everything per-model lives in the RuleContext.
class Rule {
 public:
  virtual ~Rule() = default;
  virtual RuleInfo info() const = 0;
  /// Op types `check` wants to see; empty means every node.
  virtual std::vector<std::string_view> ops() const { return {}; }
  /// Called once per visited node whose op is in `ops()`.
  virtual void check(const ir::Node& node, RuleContext& ctx) const {
    (void)node;
    (void)ctx;
  }
  /// Called once per model after the node walk, for causes that need the whole graph.
  virtual void check_graph(const ir::Graph& graph, RuleContext& ctx) const {
    (void)graph;
    (void)ctx;
  }
};

}  // namespace litelint::rules
