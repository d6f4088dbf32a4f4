#include "converter/legalize/layout.h"

#include <cstring>

namespace litelint::converter::lowerings {

ConstValue permute_constant(const ConstValue& value, std::span<const int> perm) {
  const std::size_t rank = perm.size();
  const auto& in_dims = value.shape.dims();
  std::vector<std::int64_t> out_dims(rank);
  for (std::size_t i = 0; i < rank; ++i) out_dims[i] = in_dims[perm[i]];
  // Row-major strides of the input, in elements, read in output axis order.
  std::vector<std::size_t> in_strides(rank, 1);
  for (std::size_t i = rank; i-- > 1;) in_strides[i - 1] = in_strides[i] * static_cast<std::size_t>(in_dims[i]);
  std::vector<std::size_t> stride_of_out(rank);
  for (std::size_t i = 0; i < rank; ++i) stride_of_out[i] = in_strides[perm[i]];

  const std::size_t size = ir::dtype_size(value.dtype).value_or(1);
  const auto count = static_cast<std::size_t>(value.num_elements());
  ConstValue out;
  out.dtype = value.dtype;
  out.shape = ir::Shape(out_dims);
  out.owned.resize(count * size);
  const std::byte* src = value.bytes().data();
  std::vector<std::int64_t> index(rank, 0);
  std::size_t from = 0;  // input element offset of `index`
  for (std::size_t n = 0; n < count; ++n) {
    std::memcpy(out.owned.data() + n * size, src + from * size, size);
    // Odometer step over the output index, keeping `from` in sync.
    for (std::size_t axis = rank; axis-- > 0;) {
      if (++index[axis] < out_dims[axis]) {
        from += stride_of_out[axis];
        break;
      }
      from -= stride_of_out[axis] * static_cast<std::size_t>(out_dims[axis] - 1);
      index[axis] = 0;
    }
  }
  return out;
}

ir::TensorType permute_type(const ir::TensorType& type, std::span<const int> perm) {
  if (!type.shape.has_rank() || type.shape.rank() != perm.size()) return {type.dtype, ir::Shape::unknown()};
  std::vector<std::int64_t> dims(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) dims[i] = type.shape.dim(perm[i]);
  return {type.dtype, ir::Shape(std::move(dims))};
}

void emit_transpose_into(LoweringContext& ctx, std::int32_t tensor, std::span<const int> perm,
                         std::int32_t output) {
  std::vector<std::int32_t> p(perm.begin(), perm.end());
  const auto perm_tensor = ctx.add_i32("perm", p);
  ctx.emit("TRANSPOSE", {tensor, perm_tensor}, {output});
}

std::int32_t emit_transpose(LoweringContext& ctx, std::string_view suffix, std::int32_t tensor,
                            const ir::TensorType& type, std::span<const int> perm) {
  const auto out = ctx.add_tensor(suffix, permute_type(type, perm));
  emit_transpose_into(ctx, tensor, perm, out);
  return out;
}

Expected<bool> is_channels_first(const LoweringContext& ctx) {
  const auto format = ctx.attr_string("data_format", "NHWC");
  if (format == "NHWC" || format == "NDHWC") return false;
  if (format == "NCHW" || format == "NCDHW") return true;
  return ctx.fail("data_format '" + format + "' has no TFLite layout");
}

std::optional<tflite::Padding> tfl_padding(std::string_view padding) {
  if (padding == "SAME") return tflite::Padding::SAME;
  if (padding == "VALID") return tflite::Padding::VALID;
  return std::nullopt;
}

}  // namespace litelint::converter::lowerings
