#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Notes TF1 control flow (Switch, Merge, Enter, Exit, NextIteration, LoopCond), and flags the
cases the converter cannot turn into TF2 control flow.
## Why is this bad?
TFLiteConverter upgrades v1 control flow to `If`/`While` at import by default, so most such
graphs convert. Functionalization fails for shapes it cannot match, e.g. a Merge with more
than two inputs ("Failed to functionalize Control Flow V1 ops", ERROR_UNSUPPORTED_CONTROL_FLOW_V1).
## Example
    y = tf.compat.v1.cond(p, lambda: a, lambda: b)   # with control flow v2 disabled
Use instead:
    y = tf.cond(p, lambda: a, lambda: b)             # TF2: a functional If
## Fix
Rebuild the graph with TF2 control flow (`tf.function`, or
`tf.compat.v1.enable_control_flow_v2()` before building it).
)md";

class ControlFlowV1 final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL402", .name = "control-flow-v1", .severity = Severity::Note,
            .summary = "TF1 control flow ops: upgraded by the converter, or a failure where "
                       "the upgrade cannot apply",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || info->status != TfOpStatus::ControlFlowV1) return;
    constexpr std::string_view kUseV2 =
        "replace tf.compat.v1.cond / tf.compat.v1.while_loop by tf.cond / tf.while_loop, or "
        "call tf.compat.v1.enable_control_flow_v2() before building the graph";
    // Functionalization pairs a Merge with exactly one Switch predicate (two inputs) or a
    // loop back edge (NextIteration); other arities stop it.
    if (node.op == "Merge" && node.data_input_count() != 2) {
      ctx.report(node, fmt::format("has {} inputs; only two-input merges can be "
                                   "functionalized, so the conversion fails",
                                   node.data_input_count()))
          .impact(Impact::Fails)
          .suggestion(std::string(kUseV2));
      return;
    }
    ctx.report(node, "TF1 control flow; the converter upgrades it to TF2 If/While at import")
        .suggestion(std::string(kUseV2));
  }
  // Functionalization builds an If from a Switch and the Merge that joins its branches; a
  // Switch whose branches never merge cannot become one (measured: the conversion fails).
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    bool merge = false;
    for (const auto& v : ctx.visited()) merge = merge || v.node->op == "Merge";
    if (merge) return;
    for (const auto& v : ctx.visited()) {
      if (v.node->op != "Switch") continue;
      ctx.focus(v);
      ctx.report(*v.node, "no Merge joins this Switch's branches, so it cannot be functionalized "
                          "into an If; the conversion fails")
          .impact(Impact::Fails)
          .suggestion("replace tf.compat.v1.cond by tf.cond, or enable control flow v2");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_control_flow_v1() { return std::make_unique<ControlFlowV1>(); }

}  // namespace litelint::rules
