#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Notes functions that write resource variables (AssignVariableOp, AssignAddVariableOp,
AssignSubVariableOp), and names the delegates that cannot run the resulting ops.
## Why is this bad?
Read-only variables are frozen into constants. A written variable stays a variable:
TFLiteConverter (resource variables are on by default) emits VAR_HANDLE, READ_VARIABLE and
ASSIGN_VARIABLE, which the CPU runs but several delegates (GPU, NNAPI, Edge TPU) do not,
so the graph splits around them.
## Example
    self.count.assign_add(1)   # inside the exported tf.function
## Fix
Keep state outside the model (pass it in and return it as tensors), or accept CPU
execution of the variable ops.
)md";

class ResourceVariable final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL403", .name = "resource-variable-write", .severity = Severity::Note,
            .summary = "function writes a resource variable: VAR_HANDLE/ASSIGN_VARIABLE ops that "
                       "some delegates cannot run",
            .doc = kDoc};
  }
  std::vector<std::string_view> ops() const override {
    return {"AssignAddVariableOp", "AssignSubVariableOp", "AssignVariableOp"};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    std::vector<std::string> without;
    for (const auto& d : all_delegates()) {
      if (!delegate_supports(d.id, "ASSIGN_VARIABLE")) without.push_back(std::string(d.name));
    }
    std::string cause = "writes a resource variable; TFLite keeps it as VAR_HANDLE/ASSIGN_VARIABLE "
                        "ops (resource variables are on by default)";
    if (!without.empty()) {
      cause += fmt::format(", which the {} delegate(s) cannot run", fmt::join(without, ", "));
    }
    ctx.report(node, std::move(cause))
        .flag(ConverterFlag::EnableResourceVariables)
        .suggestion("keep the state outside the model: pass it as an input and return the new "
                    "value as an output");
  }
};

}  // namespace

std::unique_ptr<Rule> make_resource_variable() { return std::make_unique<ResourceVariable>(); }

}  // namespace litelint::rules
