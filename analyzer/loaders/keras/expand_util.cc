#include "analyzer/loaders/keras/expand_util.h"

#include <cmath>

namespace litelint::analyzer::keras {

using json = nlohmann::json;

std::vector<std::int64_t> int_list(const json& cfg, const char* key, std::size_t n, std::int64_t dflt) {
  std::vector<std::int64_t> out(n, dflt);
  auto it = cfg.find(key);
  if (it == cfg.end()) return out;
  if (it->is_number_integer()) return std::vector<std::int64_t>(n, it->get<std::int64_t>());
  if (it->is_array()) {
    for (std::size_t i = 0; i < n && i < it->size(); ++i) {
      if ((*it)[i].is_number_integer()) out[i] = (*it)[i].get<std::int64_t>();
    }
  }
  return out;
}

std::string activation_name(const json& a) {
  if (a.is_string()) return a.get<std::string>();
  if (a.is_object()) {
    // Keras 3 serializes functions as {"class_name": "function", "config": "relu", ...}.
    if (auto c = a.find("config"); c != a.end() && c->is_string()) return c->get<std::string>();
    if (auto c = a.find("class_name"); c != a.end() && c->is_string()) return c->get<std::string>();
  }
  return "linear";
}

Expected<Value> apply_activation(LayerContext& ctx, Value x, const std::string& name) {
  GraphBuilder& b = ctx.b;
  const ir::Shape s = x.shape;
  const ir::DType t = x.dtype;
  if (name == "linear" || name.empty()) return x;
  static const std::pair<const char*, const char*> kUnary[] = {
      {"relu", "Relu"},         {"relu6", "Relu6"},       {"sigmoid", "Sigmoid"}, {"tanh", "Tanh"},
      {"elu", "Elu"},           {"selu", "Selu"},         {"softplus", "Softplus"}, {"softsign", "Softsign"},
      {"exponential", "Exp"},   {"log_softmax", "LogSoftmax"}, {"softmax", "Softmax"}};
  for (const auto& [k, op] : kUnary) {
    if (name == k) return b.op(op, {x}, {}, t, s);
  }
  if (name == "leaky_relu") return b.op("LeakyRelu", {x}, {{"alpha", attr_float(0.2f)}}, t, s);
  if (name == "swish" || name == "silu") return b.op("Mul", {x, b.op("Sigmoid", {x}, {}, t, s)}, {}, t, s);
  if (name == "hard_sigmoid") {
    // Keras 3: relu6(x + 3) / 6.
    Value y = b.op("AddV2", {x, b.const_f32({3.0f}, {}, "add/y")}, {}, t, s);
    y = b.op("Relu6", {y}, {}, t, s);
    return b.op("RealDiv", {y, b.const_f32({6.0f}, {}, "truediv/y")}, {}, t, s);
  }
  if (name == "hard_swish" || name == "hard_silu") {
    Value y = b.op("AddV2", {x, b.const_f32({3.0f}, {}, "add/y")}, {}, t, s);
    y = b.op("Relu6", {y}, {}, t, s);
    y = b.op("RealDiv", {y, b.const_f32({6.0f}, {}, "truediv/y")}, {}, t, s);
    return b.op("Mul", {x, y}, {}, t, s);
  }
  if (name == "gelu") {
    // tf.nn.gelu(approximate=False) as TensorFlow 2.21 writes it, the pattern its optimizer
    // fuses into GELU: 0.5 * x * erfc(-x * sqrt(1/2)).
    Value y = b.op("Neg", {x}, {}, t, s);
    y = b.op("Mul", {y, b.const_f32({0.70710677f}, {}, "Cast")}, {}, t, s);
    y = b.op("Erfc", {y}, {}, t, s);
    Value half = b.op("Mul", {b.const_f32({0.5f}, {}, "mul/x"), x}, {}, t, s);
    return b.op("Mul", {half, y}, {}, t, s);
  }
  if (name == "mish") {
    Value y = b.op("Softplus", {x}, {}, t, s);
    y = b.op("Tanh", {y}, {}, t, s);
    return b.op("Mul", {x, y}, {}, t, s);
  }
  // Custom functions never get here (find_missing_code names them first): this is a Keras
  // activation that litelint does not trace yet ("celu", "sparsemax").
  return ctx.unsupported("activation '" + name + "' is not modelled");
}

ir::Shape with_last_dim(const ir::Shape& shape, std::int64_t dim) {
  if (!shape.has_rank() || shape.rank() == 0) return ir::Shape();
  auto dims = shape.dims();
  dims.back() = dim;
  return ir::Shape(dims);
}

std::int64_t dim_or_unknown(const ir::Shape& shape, std::size_t i) {
  if (!shape.has_rank() || i >= shape.rank()) return ir::Shape::kUnknownDim;
  return shape.dim(i);
}

std::int64_t conv_out_dim(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation, bool same) {
  if (in < 0 || stride <= 0) return ir::Shape::kUnknownDim;
  if (same) return (in + stride - 1) / stride;
  const std::int64_t eff = (k - 1) * dilation + 1;
  return in >= eff ? (in - eff) / stride + 1 : 0;
}

Expected<void> expect_shape(const LayerContext& ctx, const Value& weight, const std::string& what,
                            const std::vector<std::int64_t>& dims) {
  const ir::Shape& s = weight.shape;
  bool ok = s.has_rank() && s.rank() == dims.size();
  for (std::size_t i = 0; ok && i < dims.size(); ++i) {
    if (dims[i] >= 0 && s.dim(i) >= 0 && dims[i] != s.dim(i)) ok = false;
  }
  if (ok) return {};
  return ctx.error("weight '" + what + "' has shape " + s.to_string() + ", the config implies " +
                   ir::Shape(dims).to_string());
}

Value reshape_to(GraphBuilder& b, const Value& x, std::vector<std::int32_t> target, ir::Shape out) {
  Value shape = b.const_i32(std::move(target), "Reshape/shape");
  return b.op("Reshape", {x, shape}, {{"Tshape", attr_type(ir::DType::Int32)}}, x.dtype, std::move(out));
}

Value expand_dims(GraphBuilder& b, const Value& x, int axis) {
  ir::Shape out;
  if (x.shape.has_rank()) {
    auto d = x.shape.dims();
    const int r = static_cast<int>(d.size());
    const int at = axis < 0 ? r + 1 + axis : axis;
    d.insert(d.begin() + at, 1);
    out = ir::Shape(d);
  }
  Value a = b.const_i32({axis}, "ExpandDims/dim", true);
  return b.op("ExpandDims", {x, a}, {{"Tdim", attr_type(ir::DType::Int32)}}, x.dtype, out);
}

Value squeeze(GraphBuilder& b, const Value& x, int axis) {
  ir::Shape out;
  if (x.shape.has_rank()) {
    auto d = x.shape.dims();
    const int at = axis < 0 ? static_cast<int>(d.size()) + axis : axis;
    d.erase(d.begin() + at);
    out = ir::Shape(d);
  }
  return b.op("Squeeze", {x}, {{"squeeze_dims", attr_ints({axis})}}, x.dtype, out);
}

bool channels_first(const json& cfg) { return cfg.value("data_format", "channels_last") == "channels_first"; }

}  // namespace litelint::analyzer::keras
