#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/graph/graph_import.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags main-graph node names that `tf.compat.v1.import_graph_def` refuses: names starting
with `_` (or with `_` after a `>`), which TensorFlow reserves for the internal ops it inserts
itself (`_Arg`, `_Retval`, `_Recv`, ...). Other invalid characters already stop litelint's
loader.
## Why is this bad?
`TFLiteConverter.from_frozen_graph` (and the TF1 SavedModel path) import the GraphDef
with `import_graph_def`, whose GraphConstructor accepts only names matching
`[A-Za-z0-9.][A-Za-z0-9_./-]*(>[A-Za-z0-9.][A-Za-z0-9_./-]*)*`; anything else fails the
import with "Node '_x': Node name contains invalid characters", before any conversion.
Graphs written by tools that run inside TensorFlow (grappler, function instantiation) carry
such names; TensorFlow's internal loaders accept them, the public importer does not.
## Example
    node { name: "_identity_input" op: "Identity" input: "x" ... }
Use instead:
    node { name: "identity_input" op: "Identity" input: "x" ... }
## Fix
Rename the node, and every input that names it, so the name starts with a letter, a digit
or `.`.
)md";

// TensorFlow's IsValidNodeName (graph_constructor.cc) with allow_internal_ops = false:
// one of [A-Za-z0-9.], then [A-Za-z0-9_./-]*, then pieces of '>' plus the same.
bool importable_name(std::string_view name) {
  auto head = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
  };
  auto body = [&](char c) { return head(c) || c == '_' || c == '-' || c == '/'; };
  std::size_t i = 0;
  while (true) {
    if (i >= name.size() || !head(name[i])) return false;
    for (++i; i < name.size() && body(name[i]); ++i) {
    }
    if (i == name.size()) return true;
    if (name[i] != '>') return false;
    ++i;
  }
}

class InvalidNodeName final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL410", .name = "invalid-node-name", .severity = Severity::Error,
            .summary = "node name that tf.compat.v1.import_graph_def rejects, so the import fails",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!checks::imported_by_import_graph_def(ctx)) return;
    for (const auto& node : graph.nodes.nodes()) {
      if (importable_name(node.name)) continue;
      checks::report_at(ctx, node, nullptr,
                        "node name is reserved for TensorFlow's internal ops (it starts with '_'); "
                        "import_graph_def fails with \"Node name contains invalid characters\"")
          .impact(Impact::Fails)
          .suggestion("rename the node (and the inputs naming it) to start with a letter, a digit "
                      "or '.'");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_invalid_node_name() { return std::make_unique<InvalidNodeName>(); }

}  // namespace litelint::rules
