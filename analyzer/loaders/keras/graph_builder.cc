#include "analyzer/loaders/keras/graph_builder.h"

#include <cstring>
#include <memory>

namespace litelint::analyzer::keras {

ir::AttrValue attr_type(ir::DType t) { return ir::AttrValue{t}; }
ir::AttrValue attr_int(std::int64_t v) { return ir::AttrValue{v}; }
ir::AttrValue attr_float(float v) { return ir::AttrValue{v}; }
ir::AttrValue attr_bool(bool v) { return ir::AttrValue{v}; }
ir::AttrValue attr_string(std::string v) { return ir::AttrValue{std::move(v)}; }
ir::AttrValue attr_ints(std::vector<std::int64_t> v) {
  ir::AttrList list;
  list.i = std::move(v);
  return ir::AttrValue{ir::Box<ir::AttrList>(std::move(list))};
}

ir::Tensor owned_tensor(ir::DType dtype, std::vector<std::int64_t> shape, std::vector<std::byte> bytes) {
  auto data = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
  const std::uint64_t n = data->size();
  ir::Tensor t(dtype, ir::Shape(std::move(shape)), [data]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes b;
    b.bytes = std::span<const std::byte>(data->data(), data->size());
    b.keep_alive = data;
    return b;
  });
  t.set_byte_size(n);
  return t;
}

std::string_view output_arg_name(std::string_view op) {
  static const std::pair<std::string_view, std::string_view> kArgs[] = {
      {"AddV2", "z"},         {"BiasAdd", "output"},   {"Const", "output"},     {"Elu", "activations"},
      {"Erf", "y"},           {"Exp", "y"},             {"Identity", "output"},  {"LeakyRelu", "activations"},
      {"Less", "z"},          {"LogicalAnd", "z"},      {"MatMul", "product"},   {"Maximum", "z"},
      {"Minimum", "z"},       {"Mul", "z"},             {"Neg", "y"},            {"RealDiv", "z"},
      {"Relu", "activations"}, {"Relu6", "activations"}, {"Selu", "activations"}, {"Sigmoid", "y"},
      {"Softmax", "softmax"}, {"Softplus", "activations"}, {"Softsign", "activations"}, {"Split", "output"},
      {"Sub", "z"},           {"Tanh", "y"},            {"TensorListGetItem", "item"},
      {"TensorListSetItem", "output_handle"}, {"Unpack", "output"}, {"LogSoftmax", "logsoftmax"}};
  for (const auto& [o, a] : kArgs) {
    if (o == op) return a;
  }
  return "output";
}

void GraphBuilder::set_layer(std::string scope, std::string layer, std::string class_name) {
  scope_ = std::move(scope);
  layer_ = std::move(layer);
  class_name_ = std::move(class_name);
}

std::string GraphBuilder::unique(const std::string& base) {
  if (nodes_.find(base) == nullptr) return base;
  for (int i = 1;; ++i) {
    std::string name = base + "_" + std::to_string(i);
    if (nodes_.find(name) == nullptr) return name;
  }
}

std::vector<Value> GraphBuilder::multi_op(std::string_view op, std::vector<Value> inputs, ir::AttrMap attrs,
                                          std::vector<ir::TensorType> outputs, std::string_view name) {
  ir::Node node;
  node.name = unique((scope_.empty() ? "" : scope_ + "/") + std::string(name.empty() ? op : name));
  node.op = std::string(op);
  for (const Value& v : inputs) {
    auto ref = ir::TensorRef::parse(v.ref);
    node.inputs.push_back(ref ? *ref : ir::TensorRef{v.ref, {}, 0, false});
  }
  node.attrs = std::move(attrs);
  if (!layer_.empty()) {
    node.attrs["_keras_layer"] = attr_string(layer_);
    node.attrs["_keras_class"] = attr_string(class_name_);
  }
  node.outputs = outputs;
  std::vector<Value> out;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    std::string ref;
    if (function_body_) {
      // Ops with one list output (Split, Unpack) index into it; others have one output arg.
      ref = node.name + ":" + std::string(output_arg_name(op)) + ":" + std::to_string(i);
    } else {
      ref = i == 0 ? node.name : node.name + ":" + std::to_string(i);
    }
    out.push_back(Value{std::move(ref), outputs[i].dtype, outputs[i].shape});
  }
  nodes_.add(std::move(node));
  return out;
}

Value GraphBuilder::op(std::string_view op, std::vector<Value> inputs, ir::AttrMap attrs, ir::DType dtype,
                       ir::Shape shape, bool typed) {
  if (typed && !attrs.contains("T")) attrs["T"] = attr_type(inputs.empty() ? dtype : inputs.front().dtype);
  return multi_op(op, std::move(inputs), std::move(attrs), {ir::TensorType{dtype, std::move(shape)}}).front();
}

Value GraphBuilder::constant(ir::Tensor value, std::string_view hint) {
  const ir::DType dtype = value.dtype();
  ir::Shape shape = value.shape();
  ir::AttrMap attrs;
  attrs["dtype"] = attr_type(dtype);
  attrs["value"] = ir::AttrValue{ir::Box<ir::Tensor>(std::move(value))};
  return multi_op("Const", {}, std::move(attrs), {ir::TensorType{dtype, std::move(shape)}}, hint).front();
}

Value GraphBuilder::const_i32(std::vector<std::int32_t> values, std::string_view hint, bool scalar) {
  std::vector<std::byte> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  std::vector<std::int64_t> shape;
  if (!scalar) shape.push_back(static_cast<std::int64_t>(values.size()));
  return constant(owned_tensor(ir::DType::Int32, std::move(shape), std::move(bytes)), hint);
}

Value GraphBuilder::const_i32_shaped(std::vector<std::int32_t> values, std::vector<std::int64_t> shape,
                                     std::string_view hint) {
  std::vector<std::byte> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return constant(owned_tensor(ir::DType::Int32, std::move(shape), std::move(bytes)), hint);
}

Value GraphBuilder::const_f32(std::vector<float> values, std::vector<std::int64_t> shape, std::string_view hint) {
  std::vector<std::byte> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return constant(owned_tensor(ir::DType::Float, std::move(shape), std::move(bytes)), hint);
}

Value GraphBuilder::placeholder(const std::string& name, ir::DType dtype, ir::Shape shape) {
  ir::AttrMap attrs;
  attrs["dtype"] = attr_type(dtype);
  attrs["shape"] = ir::AttrValue{shape};
  const std::string saved_scope = scope_;
  scope_.clear();
  Value v = multi_op("Placeholder", {}, std::move(attrs), {ir::TensorType{dtype, std::move(shape)}}, name).front();
  scope_ = saved_scope;
  return v;
}

}  // namespace litelint::analyzer::keras
