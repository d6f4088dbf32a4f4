#include "converter/legalize/layout.h"

#include <sys/mman.h>
#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace litelint::converter::lowerings {
namespace {

// Asks for transparent huge pages on the 2 MiB-aligned part of a fresh allocation before it is
// first touched: ResNet50's 94 MB of transposed filters otherwise fault in 4 KiB page by page
// (~23k faults, ~12% of its conversion in the kernel). Only a hint, ignored where THP is off;
// only whole huge pages inside the allocation, so it never grows the process.
void advise_huge_pages(const std::byte* data, std::size_t n) {
#if defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  if (n < 2 * kHuge) return;
  const auto at = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (at + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (at + n) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)n;
#endif
}

// Copies `count` elements into `dst` in output order. The element size is a template argument
// where it is common, so each copy is one load and store rather than a memcpy call: permuting
// ResNet50's filters element by element through memcpy was ~15% of its conversion.
template <std::size_t kSize>
void permute_elements(const std::byte* src, std::byte* dst, const std::vector<std::int64_t>& out_dims,
                      const std::vector<std::size_t>& stride_of_out, std::size_t count,
                      std::size_t dynamic_size = kSize) {
  const std::size_t size = kSize != 0 ? kSize : dynamic_size;
  const std::size_t rank = out_dims.size();
  if (rank == 0) {
    std::memcpy(dst, src, size);
    return;
  }
  const auto inner = static_cast<std::size_t>(out_dims[rank - 1]);
  const std::size_t inner_stride = stride_of_out[rank - 1] * size;
  if (stride_of_out[rank - 1] == 1) {  // the innermost axis is contiguous in the input too
    std::vector<std::int64_t> index(rank, 0);
    std::size_t from = 0;
    for (std::size_t n = 0; n < count; n += inner, dst += inner * size) {
      std::memcpy(dst, src + from * size, inner * size);
      for (std::size_t axis = rank - 1; axis-- > 0;) {
        if (++index[axis] < out_dims[axis]) {
          from += stride_of_out[axis];
          break;
        }
        from -= stride_of_out[axis] * static_cast<std::size_t>(out_dims[axis] - 1);
        index[axis] = 0;
      }
    }
    return;
  }
  std::vector<std::int64_t> index(rank, 0);
  std::size_t from = 0;  // input element offset of `index`, whose last axis is 0
  for (std::size_t n = 0; n < count; n += inner) {
    const std::byte* s = src + from * size;
    for (std::size_t k = 0; k < inner; ++k, s += inner_stride, dst += size) std::memcpy(dst, s, size);
    // Odometer step over the outer output axes, keeping `from` in sync.
    for (std::size_t axis = rank - 1; axis-- > 0;) {
      if (++index[axis] < out_dims[axis]) {
        from += stride_of_out[axis];
        break;
      }
      from -= stride_of_out[axis] * static_cast<std::size_t>(out_dims[axis] - 1);
      index[axis] = 0;
    }
  }
}

// dst[c][r] = src[r][c] for a rows x cols source, in square tiles so that both sides are read
// and written a cache line at a time (a plain loop strides through one of them).
template <std::size_t kSize>
void transpose_2d(const std::byte* src, std::byte* dst, std::size_t rows, std::size_t cols) {
  constexpr std::size_t kTile = 32;
  const auto scalar = [&](std::size_t r0, std::size_t r1, std::size_t c0, std::size_t c1) {
    for (std::size_t c = c0; c < c1; ++c) {
      for (std::size_t r = r0; r < r1; ++r) {
        std::memcpy(dst + (c * rows + r) * kSize, src + (r * cols + c) * kSize, kSize);
      }
    }
  };
  for (std::size_t r0 = 0; r0 < rows; r0 += kTile) {
    const std::size_t r1 = std::min(rows, r0 + kTile);
    for (std::size_t c0 = 0; c0 < cols; c0 += kTile) {
      const std::size_t c1 = std::min(cols, c0 + kTile);
#if defined(__SSE2__)
      if constexpr (kSize == 4) {
        // float32 filters, 4x4 blocks at a time through SSE registers: one element per load
        // and store was ~10% of ResNet50's conversion. Shuffles move bits, NaNs included.
        const std::size_t r4 = r0 + (r1 - r0) / 4 * 4;
        const std::size_t c4 = c0 + (c1 - c0) / 4 * 4;
        for (std::size_t r = r0; r < r4; r += 4) {
          for (std::size_t c = c0; c < c4; c += 4) {
            const auto* in = reinterpret_cast<const float*>(src) + r * cols + c;
            __m128 a = _mm_loadu_ps(in);
            __m128 b = _mm_loadu_ps(in + cols);
            __m128 d = _mm_loadu_ps(in + 2 * cols);
            __m128 e = _mm_loadu_ps(in + 3 * cols);
            _MM_TRANSPOSE4_PS(a, b, d, e);
            auto* out = reinterpret_cast<float*>(dst) + c * rows + r;
            _mm_storeu_ps(out, a);
            _mm_storeu_ps(out + rows, b);
            _mm_storeu_ps(out + 2 * rows, d);
            _mm_storeu_ps(out + 3 * rows, e);
          }
        }
        scalar(r0, r1, c4, c1);
        scalar(r4, r1, c0, c4);
        continue;
      }
#endif
      scalar(r0, r1, c0, c1);
    }
  }
}

}  // namespace

ConstValue permute_constant(const ConstValue& value, std::span<const int> perm) {
  const std::size_t rank = perm.size();
  const auto& in_dims = value.shape.dims();
  std::vector<std::int64_t> out_dims(rank);
  for (std::size_t i = 0; i < rank; ++i) out_dims[i] = in_dims[perm[i]];

  const std::size_t size = ir::dtype_size(value.dtype).value_or(1);
  const auto count = static_cast<std::size_t>(value.num_elements());
  ConstValue out;
  out.dtype = value.dtype;
  out.shape = ir::Shape(out_dims);
  out.owned.reserve(count * size);
  advise_huge_pages(out.owned.data(), count * size);
  out.owned.resize(count * size);
  const std::byte* src = value.bytes().data();
  if (count == 0) return out;

  // Input axes that stay next to each other in the output move as one: HWIO -> OHWI is a
  // [H*W*I, O] -> [O, H*W*I] transpose. Fewer axes, longer runs.
  std::vector<std::vector<int>> groups;  // input axes of each merged output axis, in order
  for (std::size_t i = 0; i < rank; ++i) {
    if (!groups.empty() && groups.back().back() + 1 == perm[i]) {
      groups.back().push_back(perm[i]);
    } else {
      groups.push_back({perm[i]});
    }
  }
  // The merged input axes are the groups sorted by their first input axis.
  std::vector<std::size_t> by_input(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) by_input[g] = g;
  std::sort(by_input.begin(), by_input.end(),
            [&](std::size_t a, std::size_t b) { return groups[a].front() < groups[b].front(); });
  std::vector<std::size_t> group_dim(groups.size(), 1);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (int axis : groups[g]) group_dim[g] *= static_cast<std::size_t>(in_dims[axis]);
  }
  // Row-major input strides of each group, in elements.
  std::vector<std::size_t> group_stride(groups.size(), 1);
  for (std::size_t k = by_input.size(); k-- > 1;) {
    group_stride[by_input[k - 1]] = group_stride[by_input[k]] * group_dim[by_input[k]];
  }
  std::vector<std::int64_t> merged_dims(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) merged_dims[g] = static_cast<std::int64_t>(group_dim[g]);

  if (groups.size() == 2 && group_stride[1] != 1) {
    switch (size) {
      case 4: transpose_2d<4>(src, out.owned.data(), group_dim[1], group_dim[0]); return out;
      case 2: transpose_2d<2>(src, out.owned.data(), group_dim[1], group_dim[0]); return out;
      case 8: transpose_2d<8>(src, out.owned.data(), group_dim[1], group_dim[0]); return out;
      case 1: transpose_2d<1>(src, out.owned.data(), group_dim[1], group_dim[0]); return out;
      default: break;
    }
  }
  switch (size) {
    case 1: permute_elements<1>(src, out.owned.data(), merged_dims, group_stride, count); break;
    case 2: permute_elements<2>(src, out.owned.data(), merged_dims, group_stride, count); break;
    case 4: permute_elements<4>(src, out.owned.data(), merged_dims, group_stride, count); break;
    case 8: permute_elements<8>(src, out.owned.data(), merged_dims, group_stride, count); break;
    default: permute_elements<0>(src, out.owned.data(), merged_dims, group_stride, count, size); break;
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
