#include "analyzer/footprint/macs.h"

#include <array>
#include <limits>
#include <string>
#include <string_view>

namespace litelint::footprint {
namespace {

// One float operation, half a MAC, per output element, as TensorFlow's profiler counts them.
// Relu and Relu6 are not here: TFLite fuses them into the op before them (and the profiler
// does not count them either).
constexpr std::array<std::string_view, 50> kPerElement = {
    "Abs",          "Add",          "AddN",        "AddV2",      "BiasAdd",     "Ceil",
    "ClipByValue",  "Cos",          "Div",         "DivNoNan",   "Elu",         "Erf",
    "Exp",          "Expm1",        "Floor",       "FloorDiv",   "FloorMod",    "Gelu",
    "LeakyRelu",    "Log",          "Log1p",       "LogSoftmax", "Maximum",     "Minimum",
    "Mul",          "MulNoNan",     "Neg",         "Pow",        "RealDiv",     "Reciprocal",
    "Round",       "Rsqrt",      "Selu",        "Sigmoid",
    "Sign",         "Sin",          "Softmax",     "Softplus",   "Softsign",    "Sqrt",
    "Square",       "SquaredDifference", "Sub",    "Tanh",       "Select",      "SelectV2",
    "HardSwish",    "Swish",        "Atan",        "Tan"};

// One float operation per input element: reductions and normalizations read everything once.
constexpr std::array<std::string_view, 14> kPerInputElement = {
    "Mean", "Sum", "Max", "Min", "Prod", "All", "Any", "ArgMax", "ArgMin", "FusedBatchNorm",
    "FusedBatchNormV2", "FusedBatchNormV3", "L2Loss", "LRN"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view op) {
  for (auto s : list) {
    if (s == op) return true;
  }
  return false;
}

const ir::TensorType* input_type(const FlatGraph& g, const FlatOp& op, std::size_t i) {
  if (i >= op.inputs.size() || op.inputs[i] < 0) return nullptr;
  return &g.values[static_cast<std::size_t>(op.inputs[i])].type;
}

const ir::TensorType* output_type(const FlatGraph& g, const FlatOp& op, std::size_t i) {
  if (i >= op.outputs.size() || op.outputs[i] < 0) return nullptr;
  return &g.values[static_cast<std::size_t>(op.outputs[i])].type;
}

// A dimension counted as 1 when unknown; `index` may be negative (from the end).
std::uint64_t dim(const ir::Shape& s, long index, bool& unknown) {
  const long rank = static_cast<long>(s.rank());
  const long i = index < 0 ? rank + index : index;
  if (i < 0 || i >= rank || s.dim(static_cast<std::size_t>(i)) < 0) {
    unknown = true;
    return 1;
  }
  return static_cast<std::uint64_t>(s.dim(static_cast<std::size_t>(i)));
}

bool ranked(const ir::TensorType* t) { return t != nullptr && t->shape.has_rank(); }

OpCost not_counted() { return OpCost{0, false, false}; }

// out elements x (filter elements / filter's last dim): kh*kw*cin per output of a conv.
OpCost conv(const FlatGraph& g, const FlatOp& op) {
  const auto* out = output_type(g, op, 0);
  const auto* filter = input_type(g, op, 1);
  if (!ranked(out) || !ranked(filter) || filter->shape.rank() < 1) return not_counted();
  const auto o = element_count(out->shape);
  const auto f = element_count(filter->shape);
  bool unknown = o.unknown_dims || f.unknown_dims;
  const std::uint64_t cout = dim(filter->shape, -1, unknown);
  return {mul_sat(o.n, cout ? f.n / cout : 0), unknown, true};
}

// Each output element of a depthwise conv reads one kh*kw window of one channel.
OpCost depthwise(const FlatGraph& g, const FlatOp& op) {
  const auto* out = output_type(g, op, 0);
  const auto* filter = input_type(g, op, 1);
  if (!ranked(out) || !ranked(filter) || filter->shape.rank() != 4) return not_counted();
  const auto o = element_count(out->shape);
  bool unknown = o.unknown_dims;
  const std::uint64_t window = dim(filter->shape, 0, unknown) * dim(filter->shape, 1, unknown);
  return {mul_sat(o.n, window), unknown, true};
}

// A transposed conv, as the profiler counts it: output elements x kh*kw*cin taps, divided by
// the stride area (each output sees 1/stride^2 of the taps); the filter is [kh, kw, cout, cin].
OpCost transposed_conv(const FlatGraph& g, const FlatOp& op) {
  const auto* out = output_type(g, op, 0);
  const auto* filter = input_type(g, op, 1);
  if (!ranked(out) || !ranked(filter) || filter->shape.rank() < 3) return not_counted();
  const auto o = element_count(out->shape);
  const auto f = element_count(filter->shape);
  bool unknown = o.unknown_dims || f.unknown_dims;
  std::uint64_t divisor = dim(filter->shape, -2, unknown);
  if (const auto* s = op.node->attr("strides")) {
    if (const auto* list = s->as_list(); list && list->i.size() >= 3) {
      for (std::size_t k = 1; k + 1 < list->i.size(); ++k) divisor *= list->i[k] > 0 ? static_cast<std::uint64_t>(list->i[k]) : 1;
    }
  }
  return {mul_sat(o.n, f.n) / std::max<std::uint64_t>(divisor, 1), unknown, true};
}

// out elements x the contracted dimension.
OpCost matmul(const FlatGraph& g, const FlatOp& op, std::string_view transpose_attr, long inner_axis,
              long transposed_axis) {
  const auto* out = output_type(g, op, 0);
  const auto* a = input_type(g, op, 0);
  if (!ranked(out) || !ranked(a) || a->shape.rank() < 2) return not_counted();
  bool transpose = false;
  if (const auto* t = op.node->attr(transpose_attr)) {
    if (const bool* b = t->as_bool()) transpose = *b;
  }
  const auto o = element_count(out->shape);
  bool unknown = o.unknown_dims;
  const std::uint64_t k = dim(a->shape, transpose ? transposed_axis : inner_axis, unknown);
  return {mul_sat(o.n, k), unknown, true};
}

// out elements x every index the equation sums over (letters in the inputs, not the output).
OpCost einsum(const FlatGraph& g, const FlatOp& op) {
  const auto* out = output_type(g, op, 0);
  const auto* attr = op.node->attr("equation");
  const std::string* eq = attr ? attr->as_string() : nullptr;
  if (!ranked(out) || eq == nullptr) return not_counted();
  const auto arrow = eq->find("->");
  if (arrow == std::string::npos) return not_counted();
  const std::string_view lhs = std::string_view(*eq).substr(0, arrow);
  const std::string_view rhs = std::string_view(*eq).substr(arrow + 2);
  const auto o = element_count(out->shape);
  bool unknown = o.unknown_dims;
  std::uint64_t contracted = 1;
  std::string seen;
  std::size_t operand = 0;
  std::size_t start = 0;
  while (start <= lhs.size()) {
    const auto comma = std::min(lhs.find(',', start), lhs.size());
    const std::string_view term = lhs.substr(start, comma - start);
    const auto* t = input_type(g, op, operand);
    if (!ranked(t)) return not_counted();
    // Letters before an ellipsis count from the front, those after it from the back.
    const auto dots = term.find("...");
    for (std::size_t k = 0; k < term.size(); ++k) {
      const char c = term[k];
      if (c == '.' || c == ' ' || rhs.find(c) != std::string_view::npos || seen.find(c) != std::string::npos) continue;
      seen.push_back(c);
      long axis = static_cast<long>(k);
      if (dots != std::string_view::npos && k > dots) axis = -static_cast<long>(term.size() - k);
      contracted = mul_sat(contracted, dim(t->shape, axis, unknown));
    }
    ++operand;
    start = comma + 1;
  }
  return {mul_sat(o.n, contracted), unknown, true};
}

// Each output element of a pool reads one window.
OpCost pool(const FlatGraph& g, const FlatOp& op) {
  const auto* out = output_type(g, op, 0);
  if (!ranked(out)) return not_counted();
  const auto o = element_count(out->shape);
  std::uint64_t window = 1;
  if (const auto* k = op.node->attr("ksize")) {
    if (const auto* list = k->as_list()) {
      for (auto v : list->i) window = mul_sat(window, v > 0 ? static_cast<std::uint64_t>(v) : 1);
    }
  }
  // The profiler counts one float operation per window element: half a MAC.
  return {(mul_sat(o.n, window) + 1) / 2, o.unknown_dims, true};
}

// One float operation per element: half a MAC, rounded up.
OpCost per_element(const ir::TensorType* t) {
  if (!ranked(t)) return not_counted();
  const auto n = element_count(t->shape);
  return {(n.n + 1) / 2, n.unknown_dims, true};
}

}  // namespace

ElementCount element_count(const ir::Shape& shape) {
  ElementCount c;
  if (!shape.has_rank()) return c;
  c.ranked = true;
  c.n = 1;
  for (auto d : shape.dims()) {
    if (d < 0) {
      c.unknown_dims = true;
      continue;
    }
    c.n = mul_sat(c.n, static_cast<std::uint64_t>(d));
  }
  return c;
}

std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

OpCost op_macs(const FlatGraph& graph, const FlatOp& op) {
  const std::string_view t = op.node->op;
  // Computed from constants only: the converter folds it into a buffer.
  if (!op.outputs.empty() && graph.values[static_cast<std::size_t>(op.outputs[0])].kind != ValueKind::Activation) {
    return {};
  }
  if (t == "Conv2D" || t == "Conv3D" || t == "Conv1D") return conv(graph, op);
  if (t == "DepthwiseConv2dNative") return depthwise(graph, op);
  if (t == "Conv2DBackpropInput" || t == "Conv3DBackpropInputV2") return transposed_conv(graph, op);
  if (t == "MatMul") return matmul(graph, op, "transpose_a", 1, 0);
  if (t == "BatchMatMul" || t == "BatchMatMulV2" || t == "BatchMatMulV3") return matmul(graph, op, "adj_x", -1, -2);
  if (t == "Einsum") return einsum(graph, op);
  if (t == "MaxPool" || t == "AvgPool" || t == "MaxPool3D" || t == "AvgPool3D" || t == "MaxPoolV2") {
    return pool(graph, op);
  }
  if (in(kPerElement, t)) return per_element(output_type(graph, op, 0));
  if (in(kPerInputElement, t)) return per_element(input_type(graph, op, 0));
  if (t == "While" || t == "StatelessWhile" || t == "If" || t == "StatelessIf" || t == "Case" ||
      t == "StatelessCase") {
    return not_counted();
  }
  return {};
}

}  // namespace litelint::footprint
