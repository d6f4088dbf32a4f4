#include "rules/engine/fix_builder.h"

#include <cstring>
#include <memory>
#include <span>
#include <utility>

#include "rules/engine/fix_graph.h"
#include "rules/engine/op_signatures.h"

namespace litelint::rules {
namespace {

// Call chains in SavedModels are a signature wrapper and a traced function or two deep; the
// bound keeps a recursive library from looping.
constexpr int kMaxCallDepth = 8;

bool calls(const ir::Node& n, std::string_view fn) {
  if (n.op == fn) return true;
  if (n.op != "PartitionedCall" && n.op != "StatefulPartitionedCall") return false;
  const ir::AttrValue* f = n.attr("f");
  return f && f->as_func() && f->as_func()->name == fn;
}

const ir::Function* find_body(const ir::Graph& graph, std::string_view body) {
  for (const auto& f : graph.functions) {
    if (f.name == body) return &f;
  }
  return nullptr;
}

const ir::Node* resolve_const_at(const ir::Graph& graph, std::string_view body, const ir::TensorRef& ref,
                                 int depth) {
  if (depth > kMaxCallDepth || ref.control) return nullptr;
  const ir::NodeList* nodes = body_nodes(graph, body);
  if (nodes == nullptr) return nullptr;
  if (const ir::Node* n = nodes->find(ref.node)) {
    if (n->op == "Const") return n;
    if (n->op == "Identity" && n->data_input_count() == 1) {
      return resolve_const_at(graph, body, n->inputs[0], depth + 1);
    }
    return nullptr;
  }
  const ir::Function* fn = find_body(graph, body);
  if (fn == nullptr) return nullptr;
  std::size_t arg = fn->inputs.size();
  for (std::size_t i = 0; i < fn->inputs.size(); ++i) {
    if (fn->inputs[i].name == ref.node) arg = i;
  }
  if (arg == fn->inputs.size()) return nullptr;
  // Every call site must feed the same constant node.
  const ir::Node* found = nullptr;
  const auto visit = [&](std::string_view caller_body, const ir::NodeList& caller_nodes) -> bool {
    for (const auto& n : caller_nodes.nodes()) {
      if (!calls(n, body)) continue;
      if (arg >= n.data_input_count()) return false;
      const ir::Node* c = resolve_const_at(graph, caller_body, n.inputs[arg], depth + 1);
      if (c == nullptr || (found != nullptr && found != c)) return false;
      found = c;
    }
    return true;
  };
  if (!visit("", graph.nodes)) return nullptr;
  for (const auto& f : graph.functions) {
    if (f.body_loaded && !visit(f.name, f.body)) return nullptr;
  }
  return found;
}

template <typename T>
std::optional<std::vector<T>> read_elements(const ir::Tensor& t) {
  auto count = t.shape().num_elements();
  auto bytes = t.load();
  if (!count || !bytes || bytes->bytes.size() != *count * sizeof(T)) return std::nullopt;
  std::vector<T> out(static_cast<std::size_t>(*count));
  std::memcpy(out.data(), bytes->bytes.data(), bytes->bytes.size());
  return out;
}

template <typename T>
ir::Tensor make_tensor(ir::DType dtype, const ir::Shape& shape, std::vector<T> values) {
  auto data = std::make_shared<std::vector<T>>(std::move(values));
  ir::Tensor t(dtype, shape, [data]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes b;
    b.bytes = std::as_bytes(std::span<const T>(*data));
    b.keep_alive = data;
    return b;
  });
  t.set_byte_size(data->size() * sizeof(T));
  return t;
}

}  // namespace

std::optional<ir::TensorType> ref_type(const ir::Graph& graph, std::string_view body, const ir::TensorRef& ref) {
  const ir::NodeList* nodes = body_nodes(graph, body);
  if (nodes == nullptr) return std::nullopt;
  if (const ir::Node* n = nodes->find(ref.node)) {
    const auto i = static_cast<std::size_t>(ref.index);
    if (i >= n->outputs.size()) return std::nullopt;
    return n->outputs[i];
  }
  const ir::Function* fn = find_body(graph, body);
  if (fn == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < fn->inputs.size(); ++i) {
    if (fn->inputs[i].name != ref.node) continue;
    ir::TensorType t;
    t.dtype = fn->inputs[i].type;
    if (auto a = fn->arg_attrs.find(static_cast<std::int32_t>(i)); a != fn->arg_attrs.end()) {
      auto shapes = a->second.find("_output_shapes");
      if (shapes != a->second.end() && shapes->second.as_list() && shapes->second.as_list()->shape.size() == 1) {
        t.shape = shapes->second.as_list()->shape[0];
      }
    }
    return t;
  }
  return std::nullopt;
}

const ir::Node* resolve_const(const ir::Graph& graph, std::string_view body, const ir::TensorRef& ref) {
  return resolve_const_at(graph, body, ref, 0);
}

std::optional<std::vector<float>> const_floats(const ir::Node& node) {
  const ir::AttrValue* v = node.attr("value");
  const ir::Tensor* t = v ? v->as_tensor() : nullptr;
  if (t == nullptr || t->dtype() != ir::DType::Float) return std::nullopt;
  return read_elements<float>(*t);
}

std::optional<std::vector<std::int64_t>> const_ints(const ir::Node& node) {
  const ir::AttrValue* v = node.attr("value");
  const ir::Tensor* t = v ? v->as_tensor() : nullptr;
  if (t == nullptr) return std::nullopt;
  if (t->dtype() == ir::DType::Int64) return read_elements<std::int64_t>(*t);
  if (t->dtype() != ir::DType::Int32) return std::nullopt;
  auto v32 = read_elements<std::int32_t>(*t);
  if (!v32) return std::nullopt;
  return std::vector<std::int64_t>(v32->begin(), v32->end());
}

ir::Tensor float_tensor(const ir::Shape& shape, std::vector<float> values) {
  return make_tensor(ir::DType::Float, shape, std::move(values));
}

ir::Tensor int32_tensor(const ir::Shape& shape, std::vector<std::int32_t> values) {
  return make_tensor(ir::DType::Int32, shape, std::move(values));
}

ir::Tensor bool_tensor(const ir::Shape& shape, const std::vector<bool>& values) {
  std::vector<std::uint8_t> bytes(values.begin(), values.end());
  return make_tensor(ir::DType::Bool, shape, std::move(bytes));
}

ir::AttrValue type_attr(ir::DType t) { return ir::AttrValue{t}; }

ir::AttrValue int_list_attr(std::vector<std::int64_t> values) {
  ir::AttrList list;
  list.i = std::move(values);
  ir::AttrValue v;
  v.value = ir::Box<ir::AttrList>(std::move(list));
  return v;
}

RewriteBuilder::RewriteBuilder(ir::Graph& graph, std::string body, const ir::Node& replaced)
    : graph_(graph),
      body_(std::move(body)),
      nodes_(*body_nodes(graph, body_)),
      base_(replaced.name),
      device_(replaced.device) {
  edit_.removed.push_back(describe(replaced));
}

std::string RewriteBuilder::name_for(const std::string& suffix) {
  std::string name = unique_name(nodes_, base_ + "/" + suffix);
  for (int i = 1; taken_.count(name) != 0; ++i) {
    name = unique_name(nodes_, base_ + "/" + suffix + "_" + std::to_string(i));
  }
  taken_.insert(name);
  return name;
}

ir::TensorRef RewriteBuilder::constant(const std::string& suffix, ir::Tensor value) {
  ir::Node c;
  c.name = name_for(suffix);
  c.op = "Const";
  c.device = device_;
  c.attrs["dtype"] = type_attr(value.dtype());
  c.attrs["value"].value = ir::Box<ir::Tensor>(std::move(value));
  const std::string name = c.name;
  edit_.added.push_back(describe(c));
  added_.push_back(std::move(c));
  return output_ref(body_, name, "output");
}

ir::TensorRef RewriteBuilder::floats(const std::string& suffix, const ir::Shape& shape, std::vector<float> values) {
  return constant(suffix, float_tensor(shape, std::move(values)));
}

ir::TensorRef RewriteBuilder::ints(const std::string& suffix, std::vector<std::int32_t> values) {
  const ir::Shape shape({static_cast<std::int64_t>(values.size())});
  return constant(suffix, int32_tensor(shape, std::move(values)));
}

ir::TensorRef RewriteBuilder::int_scalar(const std::string& suffix, std::int32_t value) {
  return constant(suffix, int32_tensor(ir::Shape::scalar(), {value}));
}

ir::TensorRef RewriteBuilder::op(const std::string& suffix, const std::string& op, std::vector<ir::TensorRef> inputs,
                                 ir::AttrMap attrs, std::int32_t index) {
  ir::Node n;
  n.name = name_for(suffix);
  n.op = op;
  n.device = device_;
  n.inputs = std::move(inputs);
  n.attrs = std::move(attrs);
  const OpSignature* sig = find_op_signature(op);
  const std::string arg = sig && !sig->outputs.empty() ? std::string(sig->outputs[0].name) : "output";
  const std::string name = n.name;
  edit_.added.push_back(describe(n));
  added_.push_back(std::move(n));
  return output_ref(body_, name, arg, index);
}

ir::TensorRef RewriteBuilder::binary(const std::string& suffix, const std::string& op, ir::TensorRef a,
                                     ir::TensorRef b) {
  ir::AttrMap attrs{{"T", type_attr(ir::DType::Float)}};
  if (op == "Equal" || op == "NotEqual") attrs["incompatible_shape_error"] = ir::AttrValue{true};
  return this->op(suffix, op, {std::move(a), std::move(b)}, std::move(attrs));
}

ir::TensorRef RewriteBuilder::reshape(const std::string& suffix, ir::TensorRef x,
                                      const std::vector<std::int64_t>& dims, ir::DType dtype) {
  std::vector<std::int32_t> d(dims.begin(), dims.end());
  auto shape = ints(suffix + "_shape", std::move(d));
  return op(suffix, "Reshape", {std::move(x), std::move(shape)},
            {{"T", type_attr(dtype)}, {"Tshape", type_attr(ir::DType::Int32)}});
}

GraphEdit RewriteBuilder::finish(const ir::TensorRef& result, ir::DType dtype) {
  insert_before(nodes_, base_, std::move(added_));
  added_.clear();
  ir::Node* node = nodes_.find(base_);
  std::vector<ir::TensorRef> controls;
  for (const auto& in : node->inputs) {
    if (in.control) controls.push_back(in);
  }
  node->op = "Identity";
  node->inputs = {result};
  node->inputs.insert(node->inputs.end(), controls.begin(), controls.end());
  node->attrs.clear();
  node->attrs["T"] = type_attr(dtype);
  edit_.changed.push_back(describe(*node));
  retarget_output_arg(graph_, body_, base_, "output");
  return edit_;
}

}  // namespace litelint::rules
