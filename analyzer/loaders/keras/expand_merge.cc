// Merge layers: element-wise Add/Subtract/Multiply/Average/Maximum/Minimum and Concatenate.
#include "analyzer/loaders/keras/expanders.h"

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {
namespace {

// The broadcast of two known shapes (right-aligned); unknown when either is unknown.
ir::Shape broadcast(const ir::Shape& a, const ir::Shape& b) {
  if (!a.has_rank() || !b.has_rank()) return ir::Shape();
  const std::size_t r = std::max(a.rank(), b.rank());
  std::vector<std::int64_t> d(r);
  for (std::size_t i = 0; i < r; ++i) {
    const std::int64_t x = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
    const std::int64_t y = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
    d[i] = x == 1 ? y : (y == 1 ? x : (x < 0 ? y : x));
  }
  return ir::Shape(d);
}

Expected<std::vector<Value>> fold(LayerContext& ctx, const std::vector<Value>& in, const char* op) {
  if (in.size() < 2) return ctx.error("expects at least two inputs");
  Value y = in[0];
  for (std::size_t i = 1; i < in.size(); ++i) y = ctx.b.op(op, {y, in[i]}, {}, y.dtype, broadcast(y.shape, in[i].shape));
  return std::vector<Value>{y};
}

}  // namespace

Expected<std::vector<Value>> expand_add(LayerContext& c, const std::vector<Value>& in) { return fold(c, in, "AddV2"); }
Expected<std::vector<Value>> expand_multiply(LayerContext& c, const std::vector<Value>& in) { return fold(c, in, "Mul"); }
Expected<std::vector<Value>> expand_maximum(LayerContext& c, const std::vector<Value>& in) { return fold(c, in, "Maximum"); }
Expected<std::vector<Value>> expand_minimum(LayerContext& c, const std::vector<Value>& in) { return fold(c, in, "Minimum"); }

Expected<std::vector<Value>> expand_subtract(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 2) return ctx.error("expects exactly two inputs");
  return fold(ctx, in, "Sub");
}

Expected<std::vector<Value>> expand_average(LayerContext& ctx, const std::vector<Value>& in) {
  auto sum = fold(ctx, in, "AddV2");
  if (!sum) return sum;
  Value y = sum->front();
  Value n = ctx.b.const_f32({static_cast<float>(in.size())}, {}, "truediv/y");
  return std::vector<Value>{ctx.b.op("RealDiv", {y, n}, {}, y.dtype, y.shape)};
}

Expected<std::vector<Value>> expand_concatenate(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.empty()) return ctx.error("expects inputs");
  int axis = ctx.cfg().value("axis", -1);
  const ir::Shape& s0 = in[0].shape;
  ir::Shape out;
  if (s0.has_rank()) {
    const int r = static_cast<int>(s0.rank());
    const int a = axis < 0 ? axis + r : axis;
    auto d = s0.dims();
    std::int64_t total = 0;
    for (const Value& v : in) {
      const std::int64_t n = dim_or_unknown(v.shape, static_cast<std::size_t>(a));
      total = total < 0 || n < 0 ? -1 : total + n;
    }
    if (a >= 0 && a < r) d[static_cast<std::size_t>(a)] = total;
    out = ir::Shape(d);
  }
  std::vector<Value> args = in;
  args.push_back(ctx.b.const_i32({axis}, "concat/axis", true));
  return std::vector<Value>{ctx.b.op("ConcatV2", args,
                                     {{"N", attr_int(static_cast<std::int64_t>(in.size()))},
                                      {"Tidx", attr_type(ir::DType::Int32)}},
                                     in[0].dtype, out)};
}

}  // namespace litelint::analyzer::keras
