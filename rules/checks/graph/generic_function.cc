#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/graph/graph_import.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags library functions whose input arguments have no fixed type: the type comes from an
attr (`type_attr: "T"`, a `number_attr` or `type_list_attr` list), as in a generic
`@function.Defun` or a FunctionDef written by hand or by grappler.
## Why is this bad?
Python's `tf.compat.v1.import_graph_def`, the first step of
`TFLiteConverter.from_frozen_graph` (and of loading a TF1 SavedModel), turns every
FunctionDef of the library into a `_DefinedFunction`, reading each input argument's fixed
`type`. An argument without one has type 0 (DT_INVALID), and the import fails with
"Cannot convert the argument `type_value`: 0 to a TensorFlow DType", whether or not
anything calls the function.
## Example
    library { function { signature { name: "XTimesTwo"
      input_arg { name: "x" type_attr: "T" } output_arg { name: "y" type_attr: "T" }
      attr { name: "T" type: "type" } } ... } }
Use instead:
    library { function { signature { name: "XTimesTwo"
      input_arg { name: "x" type: DT_FLOAT } output_arg { name: "y" type: DT_FLOAT } } ... } }
## Fix
Export a concrete function (`tf.function` with an `input_signature`, or a `Defun` with its
input types) so each argument has a fixed type, or drop unused functions from the library.
)md";

class GenericFunction final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL412", .name = "generic-function", .severity = Severity::Error,
            .summary = "library function with untyped arguments, which import_graph_def rejects",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!checks::imported_by_import_graph_def(ctx)) return;
    for (const auto& f : graph.functions) {
      for (const auto& arg : f.inputs) {
        if (arg.type != ir::DType::Invalid) continue;
        const std::string& by = !arg.type_attr.empty()     ? arg.type_attr
                                : !arg.number_attr.empty() ? arg.number_attr
                                                           : arg.type_list_attr;
        // A function is not a node; findings name it as one so reports can point at it.
        ir::Node where;
        where.name = f.name;
        where.op = "FunctionDef";
        checks::report_at(ctx, where, nullptr,
                          fmt::format("input argument '{}' has no fixed type{}; Python's "
                                      "import_graph_def fails with \"Cannot convert the argument "
                                      "`type_value`: 0 to a TensorFlow DType\"",
                                      arg.name, by.empty() ? "" : fmt::format(" (attr '{}' sets it)", by)))
            .impact(Impact::Fails)
            .suggestion("export a concrete function whose arguments have fixed types, or drop the "
                        "function from the library");
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_generic_function() { return std::make_unique<GenericFunction>(); }

}  // namespace litelint::rules
