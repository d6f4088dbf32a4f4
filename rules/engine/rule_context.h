#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/node.h"
#include "rules/engine/finding.h"
#include "rules/engine/lint_options.h"
#include "rules/engine/opdb.h"
#include "rules/engine/profiles.h"

namespace litelint::rules {

struct RuleInfo;
class RuleContext;

/// One node the engine visits: main-graph nodes have no function.
struct VisitedNode {
  const ir::Node* node = nullptr;
  const ir::Function* function = nullptr;  ///< the body the node is in; nullptr: main graph
  std::uint32_t path = 0;                  ///< index of the call path that reached the function
};

/// Adds details to a finding just reported. Valid until the next `report`.
class FindingBuilder {
 public:
  FindingBuilder(RuleContext& ctx, std::size_t index) : ctx_(ctx), index_(index) {}
  /// What to change, in TensorFlow terms.
  FindingBuilder& suggestion(std::string text);
  /// What the cause does to the conversion; `fallback_op` defaults to the node's op.
  FindingBuilder& impact(Impact impact, std::string fallback_op = "");
  /// A converter setting the plan must include.
  FindingBuilder& flag(ConverterFlag flag);

 private:
  RuleContext& ctx_;
  std::size_t index_;
};

/// A finding as a rule reported it, before the engine groups findings by cause.
struct RawFinding {
  std::size_t rule = 0;  ///< index of the reporting rule in the engine's rule list
  FindingNode node;
  std::string op;
  std::string cause;
  std::string suggestion;
  Impact impact = Impact::None;
  std::string fallback_op;
  std::vector<ConverterFlag> flags;
};

/// What a rule sees: the read-only graph, the op database, the profile and options, the node
/// being checked with its function path, and `report`.
class RuleContext {
 public:
  RuleContext(const ir::Graph& graph, const LintOptions& options, const Profile& profile);

  const ir::Graph& graph() const { return graph_; }
  const LintOptions& options() const { return options_; }
  const Profile& profile() const { return profile_; }

  /// Every node the engine visits, in walk order (for check_graph).
  std::span<const VisitedNode> visited() const { return visited_; }
  /// Functions from the outermost call to the body holding the current node.
  const std::vector<std::string>& function_path() const;
  /// The function body of the current node; nullptr in the main graph.
  const ir::Function* function() const { return current_.function; }
  /// Makes `v` the current node: queries and `report` resolve names in its scope.
  void focus(const VisitedNode& v) { current_ = v; }

  /// The op database entry of the node's op; nullptr when the DB does not know it.
  const TfOpInfo* op_info(const ir::Node& node) const { return find_tf_op(node.op); }
  /// True when the node's op names a library function (a legacy function call).
  bool is_function_call(const ir::Node& node) const;

  /// The node producing data input `input` in the current scope; nullptr for function
  /// arguments, missing nodes and out-of-range indexes.
  const ir::Node* producer(const ir::Node& node, std::size_t input) const;
  /// The type of data input `input` as far as it is known (producer outputs, argument types).
  std::optional<ir::TensorType> input_type(const ir::Node& node, std::size_t input) const;
  /// True when data input `input` is computed from constants only, so the converter folds it
  /// (Const, frozen variables, shapes of static tensors, and ops on those).
  bool is_constant(const ir::Node& node, std::size_t input) const;

  /// Reports `cause` at `node` in the current scope. The engine prefixes the message with
  /// "node '<name>' (<op>): " and groups equal causes of one op type.
  FindingBuilder report(const ir::Node& node, std::string cause);

  // For the engine.
  void set_rule(std::size_t rule) { rule_ = rule; }
  void set_walk(std::vector<VisitedNode> visited, std::vector<std::vector<std::string>> paths);
  std::vector<RawFinding>& raw_findings() { return raw_; }

 private:
  friend class FindingBuilder;
  struct ResolvedInput {
    const ir::Node* node = nullptr;
    const ir::ArgDef* arg = nullptr;
    std::size_t index = 0;
  };
  ResolvedInput resolve(const ir::Node& node, std::size_t input) const;
  bool is_constant_ref(const ir::Node& producer, int depth) const;

  const ir::Graph& graph_;
  const LintOptions& options_;
  Profile profile_;
  std::vector<VisitedNode> visited_;
  std::vector<std::vector<std::string>> paths_;
  VisitedNode current_;
  std::size_t rule_ = 0;
  std::vector<RawFinding> raw_;
  mutable std::unordered_map<const ir::Node*, bool> constant_memo_;
};

}  // namespace litelint::rules
