// Shape functions for elementwise math, reductions and matrix products.
#include <algorithm>
#include <map>
#include <numeric>

#include "analyzer/passes/shape_context.h"

namespace litelint::passes::shape_inference {
namespace {

using ir::DType;
using ir::Shape;

bool is_int(DType t) { return t == DType::Int32 || t == DType::Int64; }

/// Element type of a unary/binary op: its Tout attr where the result type differs from the
/// operands' (Real, Imag: complex -> float; Complex: float -> complex), else its T attr, else
/// the first input's.
DType elem_type(const InferenceContext& ctx) {
  if (auto t = ctx.first_type_attr({"Tout"})) return *t;
  // Tout's defaults, for graphs saved with default attrs stripped.
  if (ctx.node().op == "Complex") return DType::Complex64;
  if (ctx.node().op == "Real" || ctx.node().op == "Imag") return DType::Float;
  return ctx.first_type_attr({"T"}).value_or(ir::base_dtype(ctx.input_dtype(0)));
}

void unary(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), ctx.input_shape(0)); }

void unary_bool(InferenceContext& ctx) { ctx.set_output(0, DType::Bool, ctx.input_shape(0)); }

/// Folds an elementwise int op when both sides' values are known (scalar broadcast only).
template <typename F>
void fold_binary(InferenceContext& ctx, F f) {
  const auto* a = ctx.input_ints(0);
  const auto* b = ctx.input_ints(1);
  if (!a || !b || !is_int(ctx.outputs()[0].type.dtype)) return;
  const std::size_t n = std::max(a->size(), b->size());
  if ((a->size() != n && a->size() != 1) || (b->size() != n && b->size() != 1)) return;
  std::vector<std::int64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = (*a)[a->size() == 1 ? 0 : i];
    const auto y = (*b)[b->size() == 1 ? 0 : i];
    out[i] = (x == kUnknownValue || y == kUnknownValue) ? kUnknownValue : f(x, y);
  }
  ctx.set_output_ints(0, std::move(out));
}

// Checked int64 arithmetic for folding; an overflow makes the element unknown.
std::int64_t fold_add(std::int64_t x, std::int64_t y) {
  std::int64_t r;
  return __builtin_add_overflow(x, y, &r) || r == kUnknownValue ? kUnknownValue : r;
}
std::int64_t fold_sub(std::int64_t x, std::int64_t y) {
  std::int64_t r;
  return __builtin_sub_overflow(x, y, &r) || r == kUnknownValue ? kUnknownValue : r;
}
std::int64_t fold_mul(std::int64_t x, std::int64_t y) {
  std::int64_t r;
  return __builtin_mul_overflow(x, y, &r) || r == kUnknownValue ? kUnknownValue : r;
}
std::int64_t fold_floordiv(std::int64_t x, std::int64_t y) {
  if (y == 0 || (x == std::numeric_limits<std::int64_t>::min() && y == -1)) return kUnknownValue;
  std::int64_t q = x / y;
  if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
  return q;
}
std::int64_t fold_floormod(std::int64_t x, std::int64_t y) {
  if (y == 0) return kUnknownValue;
  std::int64_t m = x % y;
  if (m != 0 && ((m < 0) != (y < 0))) m += y;
  return m;
}

void binary(InferenceContext& ctx) {
  ctx.set_output(0, elem_type(ctx), broadcast(ctx, ctx.input_shape(0), ctx.input_shape(1)));
  const auto& op = ctx.node().op;
  if (op == "Add" || op == "AddV2") fold_binary(ctx, fold_add);
  else if (op == "Sub") fold_binary(ctx, fold_sub);
  else if (op == "Mul") fold_binary(ctx, fold_mul);
  else if (op == "FloorDiv" || op == "Div") fold_binary(ctx, fold_floordiv);
  else if (op == "FloorMod") fold_binary(ctx, fold_floormod);
  else if (op == "Maximum") fold_binary(ctx, [](std::int64_t x, std::int64_t y) { return std::max(x, y); });
  else if (op == "Minimum") fold_binary(ctx, [](std::int64_t x, std::int64_t y) { return std::min(x, y); });
}

void compare(InferenceContext& ctx) {
  ctx.set_output(0, DType::Bool, broadcast(ctx, ctx.input_shape(0), ctx.input_shape(1)));
}

/// Gradient ops like ReluGrad(gradients, features): shaped like their first input.
void grad_like_first(InferenceContext& ctx) { unary(ctx); }

void add_n(InferenceContext& ctx) {
  Shape s = ctx.input_shape(0);
  for (std::size_t i = 1; i < ctx.num_inputs(); ++i) {
    const auto& o = ctx.input_shape(i);
    if (s.has_rank() && o.has_rank() && s.rank() == o.rank()) {
      for (std::size_t d = 0; d < s.rank(); ++d) {
        if (s.dim(d) >= 0 && o.dim(d) >= 0 && s.dim(d) != o.dim(d)) {
          ctx.error("inputs have different shapes: " + s.to_string() + " and " + o.to_string());
          break;
        }
      }
    }
    s = refine(s, o);
  }
  ctx.set_output(0, elem_type(ctx), s);
}

void cast(InferenceContext& ctx) {
  const auto dst = ctx.attr_type("DstT").value_or(DType::Invalid);
  ctx.set_output(0, dst, ctx.input_shape(0));
  if (const auto* v = ctx.input_ints(0); v && is_int(dst)) ctx.set_output_ints(0, *v);
}

void select(InferenceContext& ctx) {
  // Select (v1): t and e have the same shape; a vector condition selects rows.
  Shape s = refine(ctx.input_shape(1), ctx.input_shape(2));
  s = refine(s, ctx.input_shape(1));
  const auto dtype = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(1));
  if (ctx.node().op == "SelectV2") {
    s = broadcast(ctx, ctx.input_shape(0), broadcast(ctx, ctx.input_shape(1), ctx.input_shape(2)));
  }
  ctx.set_output(0, dtype, s);
}

/// The reduced axes of a reduction, or nullopt when not known.
std::optional<std::vector<bool>> reduced_axes(const InferenceContext& ctx, std::size_t rank,
                                              std::size_t axes_input) {
  const auto* axes = ctx.input_ints(axes_input);
  if (!axes) return std::nullopt;
  std::vector<bool> reduced(rank, false);
  for (auto a : *axes) {
    if (a == kUnknownValue) return std::nullopt;
    auto n = normalize_axis(a, rank);
    if (!n) return std::nullopt;
    reduced[*n] = true;
  }
  return reduced;
}

void reduction(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const bool keep = ctx.attr_bool("keep_dims", false);
  const auto& in = ctx.input_shape(0);
  if (!in.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  auto reduced = reduced_axes(ctx, in.rank(), 1);
  if (!reduced) {
    const auto& axes_shape = ctx.input_shape(1);
    if (keep) {
      ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
    } else if (axes_shape.has_rank() && axes_shape.rank() == 0) {
      ctx.set_output(0, dtype, in.rank() == 0 ? Shape::scalar()
                                              : unknown_dims(static_cast<std::int64_t>(in.rank()) - 1));
    } else {
      ctx.set_output(0, dtype, Shape());
    }
    return;
  }
  std::vector<std::int64_t> dims;
  for (std::size_t i = 0; i < in.rank(); ++i) {
    if (!(*reduced)[i]) dims.push_back(in.dim(i));
    else if (keep) dims.push_back(1);
  }
  ctx.set_output(0, dtype, Shape(std::move(dims)));
  // Prod/Sum over a shape vector: the element count in Reshape patterns.
  const auto* v = ctx.input_ints(0);
  const auto& op = ctx.node().op;
  if (v && in.rank() == 1 && (*reduced)[0] && !keep && (op == "Prod" || op == "Sum")) {
    std::int64_t acc = op == "Prod" ? 1 : 0;
    for (auto x : *v) {
      if (x == kUnknownValue || acc == kUnknownValue) {
        acc = kUnknownValue;
        break;
      }
      acc = op == "Prod" ? fold_mul(acc, x) : fold_add(acc, x);
    }
    ctx.set_output_ints(0, {acc});
  }
}

void arg_min_max(InferenceContext& ctx) {
  const auto dtype = ctx.attr_type("output_type").value_or(DType::Int64);
  const auto& in = ctx.input_shape(0);
  if (!in.has_rank() || in.rank() == 0) {
    ctx.set_output(0, dtype, in.has_rank() ? Shape::scalar() : Shape());
    return;
  }
  auto axis = scalar_input(ctx, 1);
  if (!axis) {
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank()) - 1));
    return;
  }
  auto n = normalize_axis(*axis, in.rank());
  if (!n) {
    ctx.error("axis " + std::to_string(*axis) + " is out of range for rank " + std::to_string(in.rank()));
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank()) - 1));
    return;
  }
  auto dims = in.dims();
  dims.erase(dims.begin() + static_cast<std::ptrdiff_t>(*n));
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void check_inner(InferenceContext& ctx, std::int64_t a, std::int64_t b, const char* what) {
  if (a >= 0 && b >= 0 && a != b) {
    ctx.error(std::string(what) + " differ: " + std::to_string(a) + " vs " + std::to_string(b));
  }
}

void mat_mul(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& a = ctx.input_shape(0);
  const auto& b = ctx.input_shape(1);
  const bool ta = ctx.attr_bool("transpose_a", false);
  const bool tb = ctx.attr_bool("transpose_b", false);
  std::int64_t m = Shape::kUnknownDim, n = Shape::kUnknownDim;
  std::int64_t ka = Shape::kUnknownDim, kb = Shape::kUnknownDim;
  if (a.has_rank()) {
    if (a.rank() != 2) {
      ctx.error("matmul input a must be rank 2, got " + a.to_string());
    } else {
      m = a.dim(ta ? 1 : 0);
      ka = a.dim(ta ? 0 : 1);
    }
  }
  if (b.has_rank()) {
    if (b.rank() != 2) {
      ctx.error("matmul input b must be rank 2, got " + b.to_string());
    } else {
      n = b.dim(tb ? 0 : 1);
      kb = b.dim(tb ? 1 : 0);
    }
  }
  check_inner(ctx, ka, kb, "matmul inner dimensions");
  ctx.set_output(0, dtype, Shape({m, n}));
}

void batch_mat_mul(InferenceContext& ctx) {
  auto dtype = ctx.node().op == "BatchMatMulV3" ? ctx.attr_type("Tout").value_or(DType::Invalid)
                                                : elem_type(ctx);
  if (dtype == DType::Invalid) dtype = elem_type(ctx);
  const auto& a = ctx.input_shape(0);
  const auto& b = ctx.input_shape(1);
  if (!a.has_rank() || !b.has_rank() || a.rank() < 2 || b.rank() < 2) {
    if ((a.has_rank() && a.rank() < 2) || (b.has_rank() && b.rank() < 2)) {
      ctx.error("batch matmul inputs must be rank >= 2");
    }
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const bool adj_x = ctx.attr_bool("adj_x", false);
  const bool adj_y = ctx.attr_bool("adj_y", false);
  const std::size_t ra = a.rank(), rb = b.rank();
  const auto m = a.dim(adj_x ? ra - 1 : ra - 2);
  const auto ka = a.dim(adj_x ? ra - 2 : ra - 1);
  const auto kb = b.dim(adj_y ? rb - 1 : rb - 2);
  const auto n = b.dim(adj_y ? rb - 2 : rb - 1);
  check_inner(ctx, ka, kb, "batch matmul inner dimensions");
  Shape batch_a(std::vector<std::int64_t>(a.dims().begin(), a.dims().end() - 2));
  Shape batch_b(std::vector<std::int64_t>(b.dims().begin(), b.dims().end() - 2));
  auto batch = broadcast(ctx, batch_a, batch_b);
  if (!batch.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  auto dims = batch.dims();
  dims.push_back(m);
  dims.push_back(n);
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

/// Einsum "ij,jk->ik" with optional "..." broadcasting; unknown shape when the equation is
/// not understood.
void einsum(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  ctx.set_output(0, dtype, Shape());
  auto eq = ctx.attr_string("equation");
  if (!eq) return;
  std::string e;
  for (char c : *eq) if (c != ' ') e.push_back(c);
  const auto arrow = e.find("->");
  if (arrow == std::string::npos) return;
  std::vector<std::string> ins;
  std::string lhs = e.substr(0, arrow);
  const std::string out = e.substr(arrow + 2);
  for (std::size_t start = 0;;) {
    auto comma = lhs.find(',', start);
    ins.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (ins.size() != ctx.num_inputs()) return;
  std::map<char, std::int64_t> label_dim;
  Shape ellipsis = Shape::scalar();
  for (std::size_t i = 0; i < ins.size(); ++i) {
    const auto& s = ctx.input_shape(i);
    if (!s.has_rank()) return;
    std::string labels = ins[i];
    const auto ell = labels.find("...");
    if (ell != std::string::npos && labels.find("...", ell + 3) != std::string::npos) return;
    std::size_t n_labels = labels.size() - (ell == std::string::npos ? 0 : 3);
    if (ell == std::string::npos ? n_labels != s.rank() : n_labels > s.rank()) {
      ctx.error("einsum equation '" + *eq + "' does not match input " + std::to_string(i) +
                " of shape " + s.to_string());
      return;
    }
    const std::size_t ell_rank = s.rank() - n_labels;
    std::size_t dim = 0;
    for (std::size_t j = 0; j < labels.size();) {
      if (labels.compare(j, 3, "...") == 0) {
        Shape part(std::vector<std::int64_t>(s.dims().begin() + static_cast<std::ptrdiff_t>(dim),
                                             s.dims().begin() + static_cast<std::ptrdiff_t>(dim + ell_rank)));
        ellipsis = broadcast(ctx, ellipsis, part);
        dim += ell_rank;
        j += 3;
        continue;
      }
      const auto d = s.dim(dim++);
      auto [it, fresh] = label_dim.emplace(labels[j], d);
      if (!fresh) {
        if (it->second < 0 || it->second == 1) it->second = d;
        else if (d >= 0 && d != 1 && d != it->second) {
          ctx.error(std::string("einsum label '") + labels[j] + "' has sizes " +
                    std::to_string(it->second) + " and " + std::to_string(d));
        }
      }
      ++j;
    }
  }
  std::vector<std::int64_t> dims;
  for (std::size_t j = 0; j < out.size();) {
    if (out.compare(j, 3, "...") == 0) {
      if (!ellipsis.has_rank()) return;
      dims.insert(dims.end(), ellipsis.dims().begin(), ellipsis.dims().end());
      j += 3;
      continue;
    }
    auto it = label_dim.find(out[j]);
    if (it == label_dim.end()) return;
    dims.push_back(it->second);
    ++j;
  }
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void scalar_of_t(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), Shape::scalar()); }

void bias_add_grad(InferenceContext& ctx) {
  const auto& s = ctx.input_shape(0);
  const bool nchw = ctx.attr_string("data_format").value_or("NHWC") == "NCHW";
  std::int64_t c = Shape::kUnknownDim;
  if (s.has_rank() && s.rank() >= 2) c = s.dim(nchw ? 1 : s.rank() - 1);
  ctx.set_output(0, elem_type(ctx), Shape({c}));
}

void clip_by_value(InferenceContext& ctx) { unary(ctx); }

void cumulative(InferenceContext& ctx) { unary(ctx); }

void approximate_equal(InferenceContext& ctx) { compare(ctx); }

void sparse_softmax_xent(InferenceContext& ctx) {
  const auto& logits = ctx.input_shape(0);
  const auto dtype = elem_type(ctx);
  std::int64_t batch = Shape::kUnknownDim;
  if (logits.has_rank() && logits.rank() == 2) batch = logits.dim(0);
  else if (ctx.input_shape(1).has_rank() && ctx.input_shape(1).rank() == 1) batch = ctx.input_shape(1).dim(0);
  ctx.set_output(0, dtype, Shape({batch}));
  ctx.set_output(1, dtype, logits.has_rank() ? logits : unknown_dims(2));
}

void softmax_xent(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  Shape s = broadcast(ctx, ctx.input_shape(0), ctx.input_shape(1));
  std::int64_t batch = s.has_rank() && s.rank() == 2 ? s.dim(0) : Shape::kUnknownDim;
  ctx.set_output(0, dtype, Shape({batch}));
  ctx.set_output(1, dtype, s.has_rank() ? s : unknown_dims(2));
}

void fake_quant_grad(InferenceContext& ctx) {
  ctx.set_output(0, DType::Float, ctx.input_shape(0));
  const auto& mn = ctx.input_shape(2);
  ctx.set_output(1, DType::Float, mn);
  ctx.set_output(2, DType::Float, mn);
}

}  // namespace

namespace {

constexpr void register_elementwise(Registry& r) {
  for (auto op : {"Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh",
                  "Digamma", "Elu", "Erf", "Erfc", "Exp", "Expm1", "Floor", "Gelu", "Inv", "Invert",
                  "LeakyRelu", "Lgamma", "Log", "Log1p", "LogicalNot", "Neg", "OnesLike",
                  "Reciprocal", "Relu", "Relu6", "Rint", "Round", "Rsqrt", "Selu", "Sigmoid", "Sign",
                  "Sin", "Sinh", "Softplus", "Softsign", "Sqrt", "Square", "Tan", "Tanh",
                  "ZerosLike", "Softmax", "LogSoftmax", "CheckNumerics", "FakeQuantWithMinMaxVars",
                  "FakeQuantWithMinMaxVarsPerChannel", "FakeQuantWithMinMaxArgs",
                  "QuantizeAndDequantize", "QuantizeAndDequantizeV2", "QuantizeAndDequantizeV3",
                  "QuantizeAndDequantizeV4", "Prelu", "Conj", "Real", "Imag", "PopulationCount",
                  "LRN", "L2Normalize", "BesselI0e", "BesselI1e", "Mish", "HardSwish", "Swish",
                  "Relu1", "PreventGradient"}) {
    r.emplace_back(op, unary);
  }
  for (auto op : {"IsNan", "IsInf", "IsFinite"}) r.emplace_back(op, unary_bool);
  for (auto op : {"Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "DivNoNan", "MulNoNan",
                  "FloorDiv", "FloorMod", "Mod", "TruncateDiv", "TruncateMod", "Maximum", "Minimum",
                  "Pow", "SquaredDifference", "Atan2", "Xdivy", "Xlogy", "Xlog1py", "BitwiseAnd",
                  "BitwiseOr", "BitwiseXor", "LeftShift", "RightShift", "LogicalAnd", "LogicalOr",
                  "Igamma", "Igammac", "Zeta", "Polygamma", "NextAfter", "Complex"}) {
    r.emplace_back(op, binary);
  }
  for (auto op : {"Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"}) {
    r.emplace_back(op, compare);
  }
  r.emplace_back("ApproximateEqual", approximate_equal);
  for (auto op : {"ReluGrad", "Relu6Grad", "EluGrad", "SeluGrad", "SigmoidGrad", "TanhGrad",
                  "RsqrtGrad", "SqrtGrad", "ReciprocalGrad", "SoftplusGrad", "SoftsignGrad",
                  "LeakyReluGrad", "InvGrad"}) {
    r.emplace_back(op, grad_like_first);
  }
  r.emplace_back("AddN", add_n);
  r.emplace_back("AccumulateNV2", add_n);
  r.emplace_back("Cast", cast);
  r.emplace_back("Select", select);
  r.emplace_back("SelectV2", select);
  for (auto op : {"Mean", "Sum", "Max", "Min", "Prod", "All", "Any", "EuclideanNorm"}) {
    r.emplace_back(op, reduction);
  }
  r.emplace_back("ArgMax", arg_min_max);
  r.emplace_back("ArgMin", arg_min_max);
  r.emplace_back("MatMul", mat_mul);
  r.emplace_back("_FusedMatMul", mat_mul);
  r.emplace_back("BatchMatMul", batch_mat_mul);
  r.emplace_back("BatchMatMulV2", batch_mat_mul);
  r.emplace_back("BatchMatMulV3", batch_mat_mul);
  r.emplace_back("Einsum", einsum);
  r.emplace_back("L2Loss", scalar_of_t);
  r.emplace_back("BiasAddGrad", bias_add_grad);
  r.emplace_back("ClipByValue", clip_by_value);
  r.emplace_back("Cumsum", cumulative);
  r.emplace_back("Cumprod", cumulative);
  r.emplace_back("CumulativeLogsumexp", cumulative);
  r.emplace_back("SparseSoftmaxCrossEntropyWithLogits", sparse_softmax_xent);
  r.emplace_back("SoftmaxCrossEntropyWithLogits", softmax_xent);
  r.emplace_back("FakeQuantWithMinMaxVarsGradient", fake_quant_grad);
}

constexpr auto kElementwiseShapes = make_shape_table<register_elementwise>();

}  // namespace

constinit const ShapeTable elementwise_shape_table{kElementwiseShapes};

}  // namespace litelint::passes::shape_inference
