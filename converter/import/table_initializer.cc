// The hash-table initializer of a SavedModel as a Program body. TensorFlow runs the
// `__saved_model_init_op` once after loading; for tables that is the only place their keys
// and values appear, so the converter turns the table-filling part of it into the subgraph
// that a CALL_ONCE in every subgraph using a table runs.
#include "converter/import/table_initializer.h"

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "analyzer/passes/infer_shapes.h"
#include "converter/import/steps.h"
#include "converter/import/table_text_file.h"

namespace litelint::converter {
namespace {

bool is_table_init_op(std::string_view op) {
  return op == "LookupTableImportV2" || op == "InitializeTableV2";
}

// The producer of `ref`: in the flat graph, else in the main graph (whose node names the
// flat graph keeps).
const ir::Node* producer(const ir::Graph& graph, const import::FlatGraph& flat, const ir::TensorRef& ref) {
  if (const ir::Node* n = flat.nodes.find(ref.node)) return n;
  return graph.nodes.find(ref.node);
}

// The asset file that the file-name tensor `ref` names. SavedModels feed asset paths through
// Placeholders listed in asset_file_def, directly or through a string variable assigned from
// one (TF 2's TextFileInitializer on an Asset).
std::optional<std::filesystem::path> asset_file(const ir::Model& model, const import::FlatGraph& flat,
                                                ir::TensorRef ref) {
  const ir::Graph& graph = model.graph();
  const auto under_assets = [&](const std::string& filename) -> std::optional<std::filesystem::path> {
    const auto path = model.path / "assets" / std::filesystem::path(filename).filename();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    return path;
  };
  // Bounded: a malformed graph could make the variable and its assignment a cycle.
  for (int step = 0; step < 16; ++step) {
    const ir::Node* n = producer(graph, flat, ref);
    if (n == nullptr) return std::nullopt;
    if (n->op == "Placeholder") {
      for (const auto& asset : graph.assets) {
        if (asset.tensor_name == n->name || asset.tensor_name == n->name + ":0") return under_assets(asset.filename);
      }
      return std::nullopt;
    }
    if (n->op == "Const") {
      const auto* value = n->attr("value") != nullptr ? n->attr("value")->as_tensor() : nullptr;
      if (value == nullptr) return std::nullopt;
      auto loaded = value->load();
      if (!loaded || loaded->strings.size() != 1) return std::nullopt;
      return under_assets(loaded->strings[0]);
    }
    if (n->op == "ReadVariableOp" && n->data_input_count() > 0) {
      // The value last assigned to the variable in the main graph.
      const std::string& handle = n->inputs[0].node;
      const ir::Node* assign = nullptr;
      for (const auto& m : graph.nodes.nodes()) {
        if (m.op == "AssignVariableOp" && m.data_input_count() == 2 && m.inputs[0].node == handle) assign = &m;
      }
      if (assign == nullptr) return std::nullopt;
      ref = assign->inputs[1];
      continue;
    }
    if (import::is_forwarding_op(n->op) && n->data_input_count() > 0) {
      ref = n->inputs[0];
      continue;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Rewrites each InitializeTableFromTextFileV2 whose file is one of the SavedModel's assets
// into LookupTableImportV2 of the file's entries as constants. One that cannot be read stays
// as it is; the table lowering then names the table nothing fills.
void import_text_file_tables(const ir::Model& model, import::FlatGraph& flat) {
  std::vector<ir::Node> added;
  for (auto& n : flat.nodes.mutable_nodes()) {
    if (n.op != "InitializeTableFromTextFileV2" || n.data_input_count() != 2) continue;
    const ir::Node* table = producer(model.graph(), flat, n.inputs[0]);
    const auto file = asset_file(model, flat, n.inputs[1]);
    if (table == nullptr || !file) continue;
    TextFileTableSpec spec;
    const auto int_attr = [&](std::string_view key, std::int64_t fallback) {
      const auto* a = n.attr(key);
      return a != nullptr && a->as_int() != nullptr ? *a->as_int() : fallback;
    };
    const auto type_attr = [&](std::string_view key) {
      const auto* a = table->attr(key);
      return a != nullptr && a->as_type() != nullptr ? *a->as_type() : ir::DType::Invalid;
    };
    spec.key_index = int_attr("key_index", -2);
    spec.value_index = int_attr("value_index", -1);
    spec.vocab_size = int_attr("vocab_size", -1);
    spec.offset = int_attr("offset", 0);
    if (const auto* d = n.attr("delimiter"); d != nullptr && d->as_string() != nullptr && !d->as_string()->empty()) {
      spec.delimiter = d->as_string()->front();
    }
    spec.key_dtype = type_attr("key_dtype");
    spec.value_dtype = type_attr("value_dtype");
    auto entries = read_table_text_file(*file, spec);
    if (!entries) continue;

    const auto make_const = [&](std::string name, ir::Tensor tensor) {
      ir::Node c;
      c.name = std::move(name);
      c.op = "Const";
      c.outputs.push_back({tensor.dtype(), tensor.shape()});
      c.attrs["dtype"].value = tensor.dtype();
      c.attrs["value"].value = ir::Box<ir::Tensor>(std::move(tensor));
      return c;
    };
    added.push_back(make_const(n.name + "/keys", entries->keys));
    added.push_back(make_const(n.name + "/values", entries->values));
    n.op = "LookupTableImportV2";
    const auto data_ref = [](const std::string& node) {
      ir::TensorRef ref;
      ref.node = node;
      return ref;
    };
    n.inputs = {n.inputs[0], data_ref(added[added.size() - 2].name), data_ref(added.back().name)};
    n.attrs.clear();
    n.attrs["Tin"].value = spec.key_dtype;
    n.attrs["Tout"].value = spec.value_dtype;
  }
  for (auto& c : added) flat.nodes.add(std::move(c));
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
  import_text_file_tables(model, *flat);

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
