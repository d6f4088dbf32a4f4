// float64 compute (LL201) narrowed to float32: every node of one body that computes in
// float64 is retyped to float32, its float64 constants are rounded to float32, and CASTs at
// the island's borders keep the body's interface (arguments, returns, calls, graph inputs and
// outputs) in float64. TFLite's CAST has a float64 kernel, so only the casts touch float64.
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

bool has_func_attr(const ir::Node& node) {
  for (const auto& [key, value] : node.attrs) {
    if (value.as_func()) return true;
    if (const auto* l = value.as_list(); l && !l->func.empty()) return true;
  }
  return false;
}

bool mentions_double(const ir::Node& node) {
  for (const auto& [key, value] : node.attrs) {
    if (key.starts_with("_")) continue;
    if (const auto* t = value.as_type(); t && *t == ir::DType::Double) return true;
    if (const auto* l = value.as_list()) {
      for (const auto t : l->type) {
        if (t == ir::DType::Double) return true;
      }
    }
  }
  return false;
}

// Nodes that compute in float64 and can be retyped: not graph inputs (the interface) and not
// calls or control flow (their bodies have types of their own; they become borders).
bool in_island(const ir::Node& node) {
  return mentions_double(node) && !ir::is_placeholder(node.op) && !has_func_attr(node);
}

ir::Tensor narrowed(const ir::Tensor& wide) {
  const ir::Tensor source = wide;
  ir::Tensor out(ir::DType::Float, wide.shape(), [source]() -> Expected<ir::TensorBytes> {
    auto bytes = source.load();
    if (!bytes) return tl::unexpected(bytes.error());
    const std::size_t n = bytes->bytes.size() / sizeof(double);
    auto values = std::make_shared<std::vector<float>>(n);
    for (std::size_t i = 0; i < n; ++i) {
      double d = 0;
      std::memcpy(&d, bytes->bytes.data() + i * sizeof(double), sizeof(double));
      (*values)[i] = static_cast<float>(d);
    }
    ir::TensorBytes result;
    result.bytes = std::as_bytes(std::span<const float>(*values));
    result.keep_alive = values;
    return result;
  });
  if (wide.byte_size() != 0) out.set_byte_size(wide.byte_size() / 2);
  return out;
}

void retype(ir::Node& node) {
  for (auto& [key, value] : node.attrs) {
    if (key.starts_with("_")) continue;
    if (const auto* t = value.as_type(); t && *t == ir::DType::Double) value = ir::AttrValue{ir::DType::Float};
    if (const auto* l = value.as_list()) {
      ir::AttrList copy = *l;
      bool touched = false;
      for (auto& t : copy.type) {
        if (t == ir::DType::Double) {
          t = ir::DType::Float;
          touched = true;
        }
      }
      if (touched) value.value = ir::Box<ir::AttrList>(std::move(copy));
    }
    if (const auto* t = value.as_tensor(); t && t->dtype() == ir::DType::Double) {
      value.value = ir::Box<ir::Tensor>(narrowed(*t));
    }
  }
  for (auto& o : node.outputs) {
    if (o.dtype == ir::DType::Double) o.dtype = ir::DType::Float;
  }
}

ir::Node make_cast(const std::string& name, ir::TensorRef from, ir::DType src, ir::DType dst,
                   const std::string& device) {
  ir::Node cast;
  cast.name = name;
  cast.op = "Cast";
  cast.device = device;
  cast.inputs = {std::move(from)};
  cast.attrs["SrcT"] = ir::AttrValue{src};
  cast.attrs["DstT"] = ir::AttrValue{dst};
  cast.attrs["Truncate"] = ir::AttrValue{false};
  return cast;
}

// The output types of a tensor a node reads, as far as the graph says: the producer's
// `outputs` (flat index; an arg-named output in a function body counts as index 0 when the
// op has one output).
ir::DType produced_dtype(const ir::NodeList& nodes, const ir::Function* fn, const ir::TensorRef& ref) {
  if (fn != nullptr && ref.output_arg.empty()) {
    for (const auto& a : fn->inputs) {
      if (a.name == ref.node) return a.type;
    }
  }
  const ir::Node* p = nodes.find(ref.node);
  if (p == nullptr) return ir::DType::Invalid;
  if (p->outputs.size() == 1) return p->outputs[0].dtype;
  const auto i = static_cast<std::size_t>(ref.index);
  return ref.output_arg.empty() && i < p->outputs.size() ? p->outputs[i].dtype : ir::DType::Invalid;
}

class NarrowFloat64 final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "narrow-float64", .code = "LL201", .safety = Applicability::Unsafe,
            .title = "compute in float32, with casts at the borders",
            .change = "results differ from float64 by float32 rounding (about 1e-7 relative per "
                      "op); values beyond 3.4e38 overflow"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    std::set<std::string> bodies;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || !in_island(*node) || !bodies.insert(body).second) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      for (const auto& n : nodes->nodes()) {
        if (in_island(n)) m.nodes.push_back(n.name);
      }
      m.summary = "compute " + std::to_string(m.nodes.size()) + " float64 node(s) of " +
                  (body.empty() ? std::string("the main graph") : "'" + body + "'") + " in float32";
      out.push_back(std::move(m));
    }
    if (out.empty()) why_not = "no float64 computation in the finding's nodes";
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    if (nodes == nullptr) return fail(ErrorCode::BadInput, "no body '" + match.body + "'");
    const ir::Function* fn = match.body.empty() ? nullptr : graph.find_function(match.body);
    if (!match.body.empty() && fn == nullptr) return fail(ErrorCode::BadInput, "no function '" + match.body + "'");
    std::set<std::string> island;
    for (const auto& n : nodes->nodes()) {
      if (in_island(n)) island.insert(n.name);
    }
    if (island != std::set<std::string>(match.nodes.begin(), match.nodes.end())) {
      return fail(ErrorCode::BadInput, "the float64 nodes of the body are not the matched ones");
    }
    GraphEdit edit;
    const std::string device = nodes->find(match.nodes.front())->device;

    // Borders in: float64 tensors an island node reads from outside the island.
    std::map<std::string, ir::TensorRef> narrowed_inputs;  // ref string -> cast output
    std::vector<ir::Node> casts_in;
    for (auto& n : nodes->mutable_nodes()) {
      if (!island.count(n.name)) continue;
      for (auto& in : n.inputs) {
        if (in.control || island.count(in.node)) continue;
        if (produced_dtype(*nodes, fn, in) != ir::DType::Double) continue;
        const std::string key = in.to_string();
        auto it = narrowed_inputs.find(key);
        if (it == narrowed_inputs.end()) {
          std::string base = in.node + (in.index == 0 ? "" : "_" + std::to_string(in.index)) + "/to_float32";
          ir::Node cast = make_cast(unique_name(*nodes, base), in, ir::DType::Double, ir::DType::Float, device);
          for (const auto& c : casts_in) {
            if (c.name == cast.name) cast.name += "_" + std::to_string(casts_in.size());
          }
          it = narrowed_inputs.emplace(key, output_ref(match.body, cast.name, "y")).first;
          edit.added.push_back(describe(cast));
          casts_in.push_back(std::move(cast));
        }
        in = it->second;
      }
    }

    // The island itself. A Cast that now converts float32 to float32 becomes an Identity.
    std::vector<std::string> became_identity;
    for (auto& n : nodes->mutable_nodes()) {
      if (!island.count(n.name)) continue;
      retype(n);
      if (n.op == "Cast") {
        const auto* src = n.attr("SrcT");
        const auto* dst = n.attr("DstT");
        if (src && dst && src->as_type() && dst->as_type() && *src->as_type() == *dst->as_type()) {
          const ir::AttrValue t = *src;
          n.op = "Identity";
          ir::AttrMap kept;
          for (auto& [key, value] : n.attrs) {
            if (key.starts_with("_")) kept.emplace(key, value);
          }
          kept["T"] = t;
          n.attrs = std::move(kept);
          became_identity.push_back(n.name);
        }
      }
      edit.changed.push_back(describe(n));
    }
    for (const auto& name : became_identity) retarget_output_arg(graph, match.body, name, "output");

    // Main-graph outputs (a signature's, or sinks: a GraphDef's --outputs) keep their names and
    // float64: the island node moves to "<name>/float32" and a Cast back takes its name.
    std::set<std::string> output_casts;
    if (match.body.empty()) {
      std::set<std::string> outputs;
      for (const auto& sig : graph.signatures) {
        for (const auto& o : sig.outputs) {
          auto ref = ir::TensorRef::parse(o.tensor_name);
          if (!ref || !island.count(ref->node)) continue;
          if (ref->index != 0) return fail(ErrorCode::BadInput, "graph output '" + o.tensor_name + "' is not output 0");
          outputs.insert(ref->node);
        }
      }
      for (const auto& name : island) {
        if (consumers(*nodes, name).empty()) outputs.insert(name);
      }
      for (const auto& name : outputs) {
        const std::string inner = unique_name(*nodes, name + "/float32");
        for (auto& n : nodes->mutable_nodes()) {
          if (!island.count(n.name)) continue;
          for (auto& in : n.inputs) {
            if (in.node == name) in.node = inner;
          }
        }
        nodes->find(name)->name = inner;
        nodes->reindex();
        island.erase(name);
        island.insert(inner);
        ir::Node cast = make_cast(name, output_ref("", inner, "", 0), ir::DType::Float, ir::DType::Double, device);
        edit.added.push_back(describe(cast));
        output_casts.insert(name);
        insert_after(*nodes, inner, std::move(cast));
      }
    }

    // Borders out: float64 readers outside the island (calls, returns) get a cast back.
    std::map<std::string, ir::TensorRef> widened;
    std::vector<ir::Node> casts_out;
    const auto widen = [&](const ir::TensorRef& ref) -> ir::TensorRef {
      const std::string key = ref.to_string();
      auto it = widened.find(key);
      if (it != widened.end()) return it->second;
      std::string name = unique_name(*nodes, ref.node + (ref.index == 0 ? "" : "_" + std::to_string(ref.index)) +
                                                 "/to_float64");
      for (const auto& c : casts_out) {
        if (c.name == name) name += "_" + std::to_string(casts_out.size());
      }
      ir::Node cast = make_cast(name, ref, ir::DType::Float, ir::DType::Double, device);
      edit.added.push_back(describe(cast));
      casts_out.push_back(std::move(cast));
      return widened.emplace(key, output_ref(match.body, name, "y")).first->second;
    };
    for (auto& n : nodes->mutable_nodes()) {
      if (island.count(n.name) || output_casts.count(n.name)) continue;
      for (auto& in : n.inputs) {
        if (!in.control && island.count(in.node) && mentions_double(n)) in = widen(in);
      }
    }
    if (!match.body.empty()) {
      for (auto& f : graph.functions) {
        if (f.name != match.body) continue;
        for (const auto& out : f.outputs) {
          if (out.type != ir::DType::Double) continue;
          auto it = f.ret.find(out.name);
          if (it == f.ret.end()) continue;
          auto ref = ir::TensorRef::parse(it->second);
          if (ref && island.count(ref->node)) it->second = widen(*ref).to_string();
        }
      }
    }
    // Each cast goes right after what it reads, so producers stay before their readers.
    for (auto& c : casts_in) {
      const std::string producer = c.inputs[0].node;
      insert_after(*nodes, producer, std::move(c));
    }
    for (auto& c : casts_out) {
      const std::string producer = c.inputs[0].node;
      insert_after(*nodes, producer, std::move(c));
    }
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_narrow_float64_fix() { return std::make_unique<NarrowFloat64>(); }

}  // namespace litelint::rules
