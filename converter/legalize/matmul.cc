// Matrix products. A MatMul with a constant right operand becomes FULLY_CONNECTED, whose
// weights TFLite stores as [units, depth] (TensorFlow's are [depth, units] unless
// transpose_b): the transpose happens here, once, on the constant. Anything else is
// BATCH_MATMUL with adj_x/adj_y. BiasAdd is an ADD until fusion folds it into the producer.
#include <cstring>

#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

// [rows, cols] -> [cols, rows] of a constant with elements of `size` bytes.
ConstValue transpose_2d(const ConstValue& v) {
  const auto rows = static_cast<std::size_t>(v.shape.dim(0));
  const auto cols = static_cast<std::size_t>(v.shape.dim(1));
  const std::size_t size = ir::dtype_size(v.dtype).value_or(1);
  ConstValue out;
  out.dtype = v.dtype;
  out.shape = ir::Shape({v.shape.dim(1), v.shape.dim(0)});
  out.owned.resize(rows * cols * size);
  const std::byte* src = v.bytes().data();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      std::memcpy(out.owned.data() + (c * rows + r) * size, src + (r * cols + c) * size, size);
    }
  }
  return out;
}

Expected<void> emit_batch_matmul(LoweringContext& ctx, bool adj_x, bool adj_y) {
  auto a = ctx.input(0);
  if (!a) return unexpected(a.error());
  auto b = ctx.input(1);
  if (!b) return unexpected(b.error());
  auto& op = ctx.emit("BATCH_MATMUL", {*a, *b}, {ctx.output(0)});
  tflite::BatchMatMulOptionsT options;
  options.adj_x = adj_x;
  options.adj_y = adj_y;
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_matmul(LoweringContext& ctx) {
  const bool transpose_a = ctx.attr_bool("transpose_a");
  const bool transpose_b = ctx.attr_bool("transpose_b");
  const ConstValue* weights = ctx.constant(1);
  const auto dtype = ctx.input_type(0).dtype;
  if (transpose_a || weights == nullptr || weights->shape.rank() != 2 ||
      (dtype != ir::DType::Float && dtype != ir::DType::Int8)) {
    return emit_batch_matmul(ctx, transpose_a, transpose_b);
  }
  auto a = ctx.input(0);
  if (!a) return unexpected(a.error());
  auto w = ctx.add_constant("weights", transpose_b ? *weights : transpose_2d(*weights));
  if (!w) return unexpected(w.error());
  auto& op = ctx.emit("FULLY_CONNECTED", {*a, *w, -1}, {ctx.output(0)});
  op.options.Set(tflite::FullyConnectedOptionsT{});
  return {};
}

Expected<void> lower_batch_matmul(LoweringContext& ctx) {
  return emit_batch_matmul(ctx, ctx.attr_bool("adj_x"), ctx.attr_bool("adj_y"));
}

// NCHW: TFLite adds along the last axis, so the ADD runs in NHWC between two TRANSPOSEs, as
// TensorFlow's converter does; with an NCHW convolution before it (lowered the same way) the
// transposes in between cancel and the bias folds into the CONV_2D.
Expected<void> lower_bias_add_nchw(LoweringContext& ctx, std::int32_t x, std::int32_t b) {
  const auto& type = ctx.input_type(0);
  if (!type.shape.has_rank() || type.shape.rank() != 4) {
    return ctx.fail("BiasAdd in NCHW layout needs a rank-4 input of known rank");
  }
  const auto& d = type.shape.dims();
  const std::int32_t to_nhwc[] = {0, 2, 3, 1};
  const std::int32_t to_nchw[] = {0, 3, 1, 2};
  const auto nhwc = ir::TensorType{type.dtype, ir::Shape({d[0], d[2], d[3], d[1]})};
  const auto in_nhwc = ctx.add_tensor("nhwc", nhwc);
  ctx.emit("TRANSPOSE", {x, ctx.add_i32("to_nhwc", to_nhwc)}, {in_nhwc});
  const auto sum = ctx.add_tensor("biased_nhwc", nhwc);
  ctx.emit("ADD", {in_nhwc, b}, {sum}).options.Set(tflite::AddOptionsT{});
  ctx.emit("TRANSPOSE", {sum, ctx.add_i32("to_nchw", to_nchw)}, {ctx.output(0)});
  return {};
}

Expected<void> lower_bias_add(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto b = ctx.input(1);
  if (!b) return unexpected(b.error());
  if (ctx.attr_string("data_format", "NHWC") == "NCHW") return lower_bias_add_nchw(ctx, *x, *b);
  auto& op = ctx.emit("ADD", {*x, *b}, {ctx.output(0)});
  op.options.Set(tflite::AddOptionsT{});
  return {};
}

}  // namespace

std::span<const Lowering> matmul() {
  static constexpr Lowering kLowerings[] = {
      {"BatchMatMul", lower_batch_matmul},
      {"BatchMatMulV2", lower_batch_matmul},
      {"BatchMatMulV3", lower_batch_matmul},
      {"BiasAdd", lower_bias_add},
      {"BiasAddV1", lower_bias_add},
      {"MatMul", lower_matmul},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
