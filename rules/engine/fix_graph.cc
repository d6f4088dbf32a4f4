#include "rules/engine/fix_graph.h"

#include <cstring>
#include <iterator>
#include <string>
#include <type_traits>
#include <variant>

#include "analyzer/support/sha256.h"

namespace litelint::rules {
namespace {

void render_attr(const ir::AttrValue& value, std::string& out);

void render_shape(const ir::Shape& shape, std::string& out) { out += shape.to_string(); }

void render_tensor(const ir::Tensor& t, std::string& out) {
  // dtype, shape and size: enough to see a changed constant without reading its bytes.
  out += "tensor(" + ir::dtype_name(t.dtype()) + "," + t.shape().to_string() + "," +
         std::to_string(t.byte_size()) + ")";
}

void render_attrs(const ir::AttrMap& attrs, std::string& out) {
  for (const auto& [key, value] : attrs) {
    // Recorded by the exporter for tools, not read by TensorFlow: a re-export may differ.
    if (key == "_output_shapes" || key == "_XlaMustCompile" || key.starts_with("_user_specified"))
      continue;
    out += key + "=";
    render_attr(value, out);
    out += ";";
  }
}

void render_attr(const ir::AttrValue& value, std::string& out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "none";
        } else if constexpr (std::is_same_v<T, std::string>) {
          out += "s:" + v;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out += "i:" + std::to_string(v);
        } else if constexpr (std::is_same_v<T, float>) {
          out += "f:" + std::to_string(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "b:1" : "b:0";
        } else if constexpr (std::is_same_v<T, ir::DType>) {
          out += "t:" + ir::dtype_name(v);
        } else if constexpr (std::is_same_v<T, ir::Shape>) {
          render_shape(v, out);
        } else if constexpr (std::is_same_v<T, ir::AttrPlaceholder>) {
          out += "$" + v.name;
        } else if constexpr (std::is_same_v<T, ir::Box<ir::Tensor>>) {
          if (v.get()) render_tensor(*v.get(), out);
        } else if constexpr (std::is_same_v<T, ir::Box<ir::FuncRef>>) {
          if (v.get()) out += "func:" + v.get()->name;
        } else if constexpr (std::is_same_v<T, ir::Box<ir::AttrList>>) {
          const ir::AttrList* l = v.get();
          if (l == nullptr) return;
          out += "[";
          for (const auto& s : l->s) out += s + ",";
          for (const auto i : l->i) out += std::to_string(i) + ",";
          for (const auto f : l->f) out += std::to_string(f) + ",";
          for (const bool b : l->b) out += b ? "1," : "0,";
          for (const auto t : l->type) out += ir::dtype_name(t) + ",";
          for (const auto& s : l->shape) out += s.to_string() + ",";
          for (const auto& t : l->tensor) render_tensor(t, out);
          for (const auto& f : l->func) out += f.name + ",";
          out += "]";
        }
      },
      value.value);
}

}  // namespace

std::string body_of(const FindingNode& node) {
  return node.path.size() > 1 ? node.path[node.path.size() - 2] : std::string();
}

ir::NodeList* body_nodes(ir::Graph& graph, std::string_view body) {
  if (body.empty()) return &graph.nodes;
  for (auto& f : graph.functions) {
    if (f.name == body) return f.body_loaded ? &f.body : nullptr;
  }
  return nullptr;
}

const ir::NodeList* body_nodes(const ir::Graph& graph, std::string_view body) {
  return body_nodes(const_cast<ir::Graph&>(graph), body);
}

ir::TensorRef output_ref(std::string_view body, std::string_view node, std::string_view arg,
                         std::int32_t index) {
  ir::TensorRef ref;
  ref.node = std::string(node);
  ref.index = index;
  if (!body.empty()) ref.output_arg = std::string(arg);
  return ref;
}

void insert_before(ir::NodeList& nodes, std::string_view anchor, std::vector<ir::Node> added) {
  auto& list = nodes.mutable_nodes();
  auto at = list.end();
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (it->name == anchor) {
      at = it;
      break;
    }
  }
  list.insert(at, std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  nodes.reindex();
}

void insert_after(ir::NodeList& nodes, std::string_view producer, ir::Node added) {
  auto& list = nodes.mutable_nodes();
  auto at = list.begin();
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (it->name == producer) {
      at = std::next(it);
      break;
    }
  }
  list.insert(at, std::move(added));
  nodes.reindex();
}

std::string unique_name(const ir::NodeList& nodes, const std::string& base) {
  if (nodes.find(base) == nullptr) return base;
  for (int i = 1;; ++i) {
    std::string name = base + "_" + std::to_string(i);
    if (nodes.find(name) == nullptr) return name;
  }
}

std::string describe(const ir::Node& node) { return node.name + " (" + node.op + ")"; }

std::string subgraph_fingerprint(const ir::NodeList& nodes, const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    const ir::Node* n = nodes.find(name);
    if (n == nullptr) return "";
    text += n->name + "|" + n->op + "|";
    for (const auto& in : n->inputs) text += in.to_string() + ",";
    text += "|";
    render_attrs(n->attrs, text);
    text += "|";
    for (const auto& o : n->outputs) text += ir::dtype_name(o.dtype) + o.shape.to_string() + ",";
    text += "\n";
  }
  // 16 hex digits (64 bits) tell a changed subgraph apart; the plan stays readable.
  return support::sha256_hex(text).substr(0, 16);
}

std::vector<const ir::Node*> consumers(const ir::NodeList& nodes, std::string_view name) {
  std::vector<const ir::Node*> out;
  for (const auto& n : nodes.nodes()) {
    for (const auto& in : n.inputs) {
      if (in.node == name) {
        out.push_back(&n);
        break;
      }
    }
  }
  return out;
}

std::optional<std::int64_t> const_int_scalar(const ir::NodeList& nodes, const ir::TensorRef& ref) {
  const ir::Node* n = nodes.find(ref.node);
  if (n == nullptr || n->op != "Const") return std::nullopt;
  const ir::AttrValue* value = n->attr("value");
  const ir::Tensor* t = value ? value->as_tensor() : nullptr;
  if (t == nullptr || t->shape().num_elements() != 1) return std::nullopt;
  auto bytes = t->load();
  if (!bytes) return std::nullopt;
  if (t->dtype() == ir::DType::Int32 && bytes->bytes.size() == 4) {
    std::int32_t v = 0;
    std::memcpy(&v, bytes->bytes.data(), 4);
    return v;
  }
  if (t->dtype() == ir::DType::Int64 && bytes->bytes.size() == 8) {
    std::int64_t v = 0;
    std::memcpy(&v, bytes->bytes.data(), 8);
    return v;
  }
  return std::nullopt;
}

void retarget_output_arg(ir::Graph& graph, std::string_view body, std::string_view node,
                         std::string_view arg) {
  if (body.empty()) return;
  for (auto& f : graph.functions) {
    if (f.name != body) continue;
    for (auto& n : f.body.mutable_nodes()) {
      for (auto& in : n.inputs) {
        if (in.node == node && !in.control && !in.output_arg.empty()) in.output_arg = std::string(arg);
      }
    }
    for (auto& [key, value] : f.ret) {
      auto ref = ir::TensorRef::parse(value);
      if (ref && ref->node == node && !ref->output_arg.empty()) {
        ref->output_arg = std::string(arg);
        value = ref->to_string();
      }
    }
  }
}

}  // namespace litelint::rules
