// Complex arithmetic (LL101: Complex, Angle and complex Mul have no TFLite builtin) carried as
// pairs of float32 tensors. An island is the complex64 values built by Complex(re, im) from
// float32 tensors and combined by AddV2/Add/Sub/Mul/Neg/Conj/Identity, read only by Real, Imag
// and Angle; no complex value may leave it (a graph output, a function return, another op).
// Each complex value becomes a (re, im) pair: (a+bi)(c+di) = (ac - bd) + (ad + bc)i, Conj
// negates im, Angle is ATAN2(im, re), Real/Imag forward their part. These are the formulas of
// TensorFlow's complex64 kernels (std::complex<float> multiplication and std::arg), so the
// numbers agree to float rounding: safe. ComplexAbs is left out (TensorFlow computes a hypot
// that does not overflow where sqrt(re^2 + im^2) would).
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/node_builder.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

bool is_arith(std::string_view op) {
  return op == "AddV2" || op == "Add" || op == "Sub" || op == "Mul" || op == "Neg" || op == "Conj" || op == "Identity";
}
bool is_sink(std::string_view op) { return op == "Angle" || op == "Real" || op == "Imag"; }

// Whether `n` makes a complex64 value: by its inferred output type, else by the attr that gives
// it (Complex's Tout, complex64 by default; an arithmetic op's T).
bool complex64_out(const ir::Node& n) {
  if (!n.outputs.empty() && n.outputs[0].dtype != ir::DType::Invalid)
    return ir::base_dtype(n.outputs[0].dtype) == ir::DType::Complex64;
  const ir::AttrValue* t = n.attr(n.op == "Complex" ? "Tout" : "T");
  if (t == nullptr) return n.op == "Complex";
  return t->as_type() != nullptr && *t->as_type() == ir::DType::Complex64;
}

class ComplexPairs final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "complex-pairs", .code = "LL101", .safety = Applicability::Safe,
            .title = "carry complex numbers as pairs of float32 tensors", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "Complex" && finding.op != "Angle" && finding.op != "Mul") return out;
    std::set<std::string> seen;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || seen.contains(body + "/" + fn.name)) continue;
      auto island = find_island(graph, body, *nodes, *node, why_not);
      if (island.empty()) continue;
      for (const auto& n : island) seen.insert(body + "/" + n);
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = island;
      m.summary = "carry " + std::to_string(island.size()) + " complex node(s) around '" + node->name +
                  "' as float32 pairs";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* anchor = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    const auto island = anchor ? find_island(graph, match.body, *nodes, *anchor, why) : std::vector<std::string>{};
    if (island.empty() || std::set<std::string>(island.begin(), island.end()) !=
                              std::set<std::string>(match.nodes.begin(), match.nodes.end()))
      return fail(ErrorCode::BadInput, "the complex nodes changed" + (why.empty() ? "" : ": " + why));
    GraphEdit edit;
    std::map<std::string, std::pair<ir::TensorRef, ir::TensorRef>> parts;  // complex node -> (re, im)
    std::vector<std::string> removed;
    // Graph order: producers first.
    std::vector<std::string> ordered;
    for (const auto& n : nodes->nodes()) {
      if (std::find(island.begin(), island.end(), n.name) != island.end()) ordered.push_back(n.name);
    }
    const ir::AttrValue f32{ir::DType::Float};
    for (const auto& name : ordered) {
      const ir::Node node = *nodes->find(name);
      NodeBuilder b(*nodes, match.body, node.name, node.device, f32, edit);
      const auto part = [&](std::size_t i) { return parts.at(node.inputs[i].node); };
      if (node.op == "Complex") {
        parts[name] = {node.inputs[0], node.inputs[1]};
      } else if (node.op == "Identity") {
        parts[name] = part(0);
      } else if (node.op == "Neg") {
        parts[name] = {b.op("re", "Neg", {part(0).first}), b.op("im", "Neg", {part(0).second})};
      } else if (node.op == "Conj") {
        parts[name] = {part(0).first, b.op("im", "Neg", {part(0).second})};
      } else if (node.op == "Mul") {
        const auto [a, bi] = part(0);
        const auto [c, d] = part(1);
        const auto re = b.op("re", "Sub", {b.op("ac", "Mul", {a, c}), b.op("bd", "Mul", {bi, d})});
        const auto im = b.op("im", "AddV2", {b.op("ad", "Mul", {a, d}), b.op("bc", "Mul", {bi, c})});
        parts[name] = {re, im};
      } else if (is_arith(node.op)) {  // AddV2, Add, Sub: part by part
        const std::string op = node.op == "Sub" ? "Sub" : "AddV2";
        parts[name] = {b.op("re", op, {part(0).first, part(1).first}), b.op("im", op, {part(0).second, part(1).second})};
      }
      b.insert_before(name);
      if (is_sink(node.op)) {
        // The sink keeps its name (and its float32 output), so its readers keep their references.
        ir::Node* sink = nodes->find(name);
        edit.removed.push_back(describe(*sink));
        const auto [re, im] = part(0);
        sink->attrs.clear();
        sink->attrs["T"] = f32;
        if (node.op == "Angle") {
          sink->op = "Atan2";
          sink->inputs = {im, re};
          retarget_output_arg(graph, match.body, name, "z");
        } else {
          sink->op = "Identity";
          sink->inputs = {node.op == "Real" ? re : im};
          retarget_output_arg(graph, match.body, name, "output");
        }
        edit.added.push_back(describe(*sink));
      } else {
        removed.push_back(name);
      }
    }
    for (const auto& name : removed) edit.removed.push_back(describe(*nodes->find(name)));
    std::erase_if(nodes->mutable_nodes(), [&](const ir::Node& n) {
      return std::find(removed.begin(), removed.end(), n.name) != removed.end();
    });
    nodes->reindex();
    return edit;
  }

 private:
  // The island's node names, `start`'s first; empty (with why_not) when it cannot be rewritten.
  static std::vector<std::string> find_island(const ir::Graph& graph, const std::string& body, const ir::NodeList& nodes,
                                              const ir::Node& start, std::string& why_not) {
    std::vector<std::string> island;
    std::set<std::string> in;
    std::vector<const ir::Node*> todo = {&start};
    const auto fail_with = [&](const std::string& why) {
      why_not = why;
      return std::vector<std::string>{};
    };
    while (!todo.empty()) {
      const ir::Node* n = todo.back();
      todo.pop_back();
      if (in.contains(n->name)) continue;
      const bool complex = complex64_out(*n);
      if (n->op == "Complex") {
        if (!complex) return fail_with("Complex '" + n->name + "' does not make complex64");
      } else if (is_arith(n->op)) {
        if (!complex) return fail_with("'" + n->name + "' (" + n->op + ") is not complex64");
      } else if (!is_sink(n->op)) {
        return fail_with("complex value read by '" + n->name + "' (" + n->op + "), which has no float32 pair form");
      }
      in.insert(n->name);
      island.push_back(n->name);
      // Complex values come from inside the island only (Complex reads float32 tensors).
      if (n->op != "Complex") {
        for (std::size_t i = 0; i < n->data_input_count(); ++i) {
          const ir::Node* p = nodes.find(n->inputs[i].node);
          if (p == nullptr) return fail_with("'" + n->name + "' reads a function argument of complex type");
          todo.push_back(p);
        }
      }
      if (complex) {
        for (const ir::Node* c : consumers(nodes, n->name)) todo.push_back(c);
        if (leaves(graph, body, n->name)) return fail_with("complex value '" + n->name + "' is an output of the graph");
      }
    }
    return island;
  }

  // Whether `name`'s output is returned by its body or is a signature output of the main graph.
  static bool leaves(const ir::Graph& graph, const std::string& body, const std::string& name) {
    const auto names = [&](const std::string& ref) {
      auto r = ir::TensorRef::parse(ref);
      return r && r->node == name;
    };
    if (body.empty()) {
      for (const auto& s : graph.signatures) {
        for (const auto& o : s.outputs) {
          if (names(o.tensor_name)) return true;
        }
      }
      return false;
    }
    const ir::Function* f = graph.find_function(body);
    if (f == nullptr) return true;
    return std::any_of(f->ret.begin(), f->ret.end(), [&](const auto& kv) { return names(kv.second); });
  }
};

}  // namespace

std::unique_ptr<Fix> make_complex_pairs_fix() { return std::make_unique<ComplexPairs>(); }

}  // namespace litelint::rules
