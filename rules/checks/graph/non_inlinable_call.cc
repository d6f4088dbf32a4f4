#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags function calls (StatefulPartitionedCall, PartitionedCall) that the converter cannot
inline: the callee is missing from the function library, or the call's input or output
types do not match the callee's signature.
## Why is this bad?
TFLite has no call op. A call left in the graph after inlining stops the conversion with
"The Graph contains unsupported `StatefulPartionedCallOp`(s)"
(ERROR_STATEFUL_PARTITIONED_CALL_IN_FINAL_IR).
## Example
    # A GraphDef edited by hand or by a tool: the call declares 2 outputs (Tout),
    # the function returns 1.
## Fix
Re-export the model from the TensorFlow program (tf.saved_model.save) instead of editing
the graph, so calls and functions agree.
)md";

// Number of tensors an argument list stands for, when every argument is a single tensor.
std::optional<std::size_t> simple_count(const std::vector<ir::ArgDef>& args) {
  for (const auto& a : args) {
    if (!a.number_attr.empty() || !a.type_list_attr.empty()) return std::nullopt;
  }
  return args.size();
}

std::optional<std::size_t> list_size(const ir::Node& node, std::string_view key) {
  const auto* a = node.attr(key);
  const auto* list = a ? a->as_list() : nullptr;
  if (!list) return std::nullopt;
  return list->type.size();
}

class NonInlinableCall final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL407", .name = "non-inlinable-call", .severity = Severity::Error,
            .summary = "function call the converter cannot inline",
            .doc = kDoc};
  }
  std::vector<std::string_view> ops() const override {
    return {"PartitionedCall", "StatefulPartitionedCall"};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const auto* f = node.attr("f");
    const ir::FuncRef* ref = f ? f->as_func() : nullptr;
    std::string cause;
    const ir::Function* fn = ref ? ctx.graph().find_function(ref->name) : nullptr;
    if (!ref) {
      cause = "call has no function attribute 'f'";
    } else if (!fn) {
      cause = fmt::format("calls '{}', which is not in the function library", ref->name);
    } else {
      auto want_in = simple_count(fn->inputs);
      auto want_out = simple_count(fn->outputs);
      auto tin = list_size(node, "Tin");
      auto tout = list_size(node, "Tout");
      if (want_out && tout && *tout != *want_out) {
        cause = fmt::format("declares {} outputs (Tout) but '{}' returns {}", *tout, ref->name,
                            *want_out);
      } else if (want_in && tin && *tin != *want_in) {
        cause = fmt::format("passes {} inputs (Tin) but '{}' takes {}", *tin, ref->name, *want_in);
      } else if (want_in && node.data_input_count() != *want_in) {
        cause = fmt::format("has {} inputs but '{}' takes {}", node.data_input_count(), ref->name,
                            *want_in);
      }
    }
    if (cause.empty()) return;
    ctx.report(node, fmt::format("{}; the call cannot be inlined and the converter rejects it "
                                 "(ERROR_STATEFUL_PARTITIONED_CALL_IN_FINAL_IR)",
                                 cause))
        .impact(Impact::Fails)
        .suggestion("re-export the model with tf.saved_model.save so calls match their functions");
  }
};

}  // namespace

std::unique_ptr<Rule> make_non_inlinable_call() { return std::make_unique<NonInlinableCall>(); }

}  // namespace litelint::rules
