// The hash-table initializer of a SavedModel as a Program body. TensorFlow runs the
// `__saved_model_init_op` once after loading; for tables that is the only place their keys
// and values appear, so the converter turns the table-filling part of it into the subgraph
// that a CALL_ONCE in every subgraph using a table runs.
#include "converter/import/table_initializer.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "analyzer/passes/infer_shapes.h"
#include "converter/import/steps.h"

namespace litelint::converter {
namespace {

bool is_table_init_op(std::string_view op) {
  return op == "LookupTableImportV2" || op == "InitializeTableV2";
}

}  // namespace

void add_table_initializer(const ir::Model& model, Program& program) {
  if (model.graphs.empty() || program.bodies.count(kTableInitBody)) return;
  const ir::Graph& graph = model.graph();
  const ir::Signature* init = graph.find_signature(kTableInitBody);
  if (init == nullptr || init->outputs.empty()) return;
  std::vector<ir::TensorRef> targets;
  for (const auto& out : init->outputs) {
    auto ref = ir::TensorRef::parse(out.tensor_name);
    if (ref) targets.push_back(*ref);
  }
  auto flat = import::inline_main_graph(graph, {}, targets);
  if (!flat) return;
  flat->outputs.clear();
  import::remove_identities(*flat);

  // Keep the table fills and what they read; the rest of the init op (asset bookkeeping,
  // the NoOps that order it) does nothing a TFLite model can hold.
  std::unordered_set<std::string> keep;
  std::vector<const ir::Node*> stack;
  for (const auto& n : flat->nodes.nodes()) {
    if (is_table_init_op(n.op) && keep.insert(n.name).second) stack.push_back(&n);
  }
  if (stack.empty()) return;
  while (!stack.empty()) {
    const ir::Node* n = stack.back();
    stack.pop_back();
    for (const auto& in : n->inputs) {
      if (in.control) continue;
      const ir::Node* p = flat->nodes.find(in.node);
      if (p != nullptr && keep.insert(p->name).second) stack.push_back(p);
    }
  }
  auto& nodes = flat->nodes.mutable_nodes();
  std::erase_if(nodes, [&](const ir::Node& n) { return !keep.count(n.name); });
  for (auto& n : nodes) {
    std::erase_if(n.inputs, [&](const ir::TensorRef& in) { return in.control; });
  }
  flat->nodes.reindex();
  if (!import::topo_sort(*flat)) return;

  ir::Graph g;
  g.tags = graph.tags;
  g.producer = graph.producer;
  g.nodes = std::move(flat->nodes);
  ir::Signature sig;
  sig.key = std::string(kTableInitBody);
  g.signatures = {sig};
  passes::infer_shapes(g);
  program.bodies.emplace(std::string(kTableInitBody), std::move(g));
}

}  // namespace litelint::converter
