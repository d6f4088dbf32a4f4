// Folders that make tensors from a few numbers: Fill, ZerosLike, OnesLike, Range, OneHot,
// BroadcastArgs.
#include <cmath>

#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

// `value` (one element) repeated over `dims`.
Folded repeat(const ConstValue& value, Dims dims) {
  const auto n = checked_count(dims);
  if (!n || value.num_elements() != 1) return std::nullopt;
  return one(gather_elements(value, std::move(dims), std::vector<std::int64_t>(static_cast<std::size_t>(*n), 0)));
}

Folded fold_fill(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[0]->shape.rank() != 1 ||
      in.values[1]->shape.rank() != 0) {
    return std::nullopt;
  }
  auto dims = index_values(*in.values[0]);
  if (!dims) return std::nullopt;
  return repeat(*in.values[1], std::move(*dims));
}

Folded fold_zeros_like(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in) || !checked_count(in.values[0]->shape.dims())) return std::nullopt;
  const ConstValue& x = *in.values[0];
  // Zero is all-zero bytes in every fixed-size type (+0.0 for floats, false for bool).
  return one(make_raw(x.dtype, x.shape.dims(), std::vector<std::byte>(x.bytes().size())));
}

Folded fold_ones_like(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in) || !checked_count(in.values[0]->shape.dims())) return std::nullopt;
  const ConstValue& x = *in.values[0];
  return with_plain_type(x.dtype, [&](auto tag) -> Folded {
    using T = decltype(tag);
    return one(make_value<T>(x.shape.dims(), std::vector<T>(static_cast<std::size_t>(x.num_elements()), T(1))));
  });
}

// Range: TensorFlow's kernel computes the size as ceil(|(limit - start) / delta|) in T for
// floats and (|limit - start| + |delta| - 1) / |delta| for integers, and element i as
// start + T(i) * delta (not by accumulation).
template <typename T>
Folded range_of(T start, T limit, T delta) {
  if (unsure_float(start) || unsure_float(limit) || unsure_float(delta)) return std::nullopt;
  if (delta == 0 || (delta > 0 && start > limit) || (delta < 0 && start < limit)) return std::nullopt;
  std::int64_t size = 0;
  if constexpr (std::is_integral_v<T>) {
    // |limit - start| and |delta| in int64; declined where even that overflows.
    std::int64_t span = 0;
    if (__builtin_sub_overflow(static_cast<std::int64_t>(limit), static_cast<std::int64_t>(start), &span) ||
        span == std::numeric_limits<std::int64_t>::min() || delta == std::numeric_limits<T>::min()) {
      return std::nullopt;
    }
    const std::int64_t step = delta < 0 ? -static_cast<std::int64_t>(delta) : static_cast<std::int64_t>(delta);
    const std::int64_t distance = span < 0 ? -span : span;
    size = distance / step + (distance % step != 0 ? 1 : 0);
    if (size > kMaxFoldedElements) return std::nullopt;
    std::vector<T> out(static_cast<std::size_t>(size));
    // Every element lies between start and limit, so it fits in T.
    for (std::int64_t i = 0; i < size; ++i) {
      out[static_cast<std::size_t>(i)] = static_cast<T>(static_cast<std::int64_t>(start) + i * static_cast<std::int64_t>(delta));
    }
    return one(make_value<T>({size}, out));
  } else {
    const T n = std::ceil(std::fabs((limit - start) / delta));
    if (!(n <= static_cast<T>(kMaxFoldedElements))) return std::nullopt;
    size = static_cast<std::int64_t>(n);
    std::vector<T> out(static_cast<std::size_t>(size));
    for (std::int64_t i = 0; i < size; ++i) {
      const T v = start + static_cast<T>(i) * delta;
      if (unsure_float(v)) return std::nullopt;
      out[static_cast<std::size_t>(i)] = v;
    }
    return one(make_value<T>({size}, out));
  }
}

Folded fold_range(const FoldInput& in) {
  if (in.values.size() != 3 || !all_constant(in)) return std::nullopt;
  const ir::DType t = in.values[0]->dtype;
  for (const ConstValue* v : in.values) {
    if (v->dtype != t || v->num_elements() != 1) return std::nullopt;
  }
  return with_number_type(t, [&](auto tag) -> Folded {
    using T = decltype(tag);
    return range_of<T>(elements<T>(*in.values[0])[0], elements<T>(*in.values[1])[0],
                       elements<T>(*in.values[2])[0]);
  });
}

// OneHot: `depth` positions inserted at `axis` (-1: last); on_value where the index matches,
// off_value elsewhere, including for out-of-range and negative indices.
Folded fold_one_hot(const FoldInput& in) {
  if (in.values.size() != 4 || !all_constant(in)) return std::nullopt;
  const ConstValue& indices_value = *in.values[0];
  std::optional<Dims> indices;
  if (indices_value.dtype == ir::DType::UInt8) {
    auto e = elements<std::uint8_t>(indices_value);
    indices = Dims(e.begin(), e.end());
  } else {
    indices = index_values(indices_value);
  }
  const auto depth = index_scalar(*in.values[1]);
  const ConstValue& on = *in.values[2];
  const ConstValue& off = *in.values[3];
  if (!indices || !depth || *depth < 0 || on.dtype != off.dtype || on.shape.rank() != 0 || off.shape.rank() != 0) {
    return std::nullopt;
  }
  const Dims& d = indices_value.shape.dims();
  const auto rank = static_cast<std::int64_t>(d.size());
  std::int64_t axis = attr_int(in.node, "axis", -1);
  if (axis < -1 || axis > rank) return std::nullopt;
  if (axis == -1) axis = rank;
  Dims out_dims = d;
  out_dims.insert(out_dims.begin() + axis, *depth);
  const auto total = checked_count(out_dims);
  const auto size = element_size(on);
  if (!total || !size) return std::nullopt;
  std::int64_t outer = 1;
  for (std::int64_t i = 0; i < axis; ++i) outer *= d[static_cast<std::size_t>(i)];
  std::int64_t inner = 1;
  for (std::size_t i = static_cast<std::size_t>(axis); i < d.size(); ++i) inner *= d[i];
  std::vector<std::byte> out;
  out.reserve(static_cast<std::size_t>(*total) * *size);
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t j = 0; j < *depth; ++j) {
      for (std::int64_t r = 0; r < inner; ++r) {
        const bool hit = (*indices)[static_cast<std::size_t>(o * inner + r)] == j;
        const auto src = (hit ? on : off).bytes();
        out.insert(out.end(), src.begin(), src.end());
      }
    }
  }
  return one(make_raw(on.dtype, std::move(out_dims), std::move(out)));
}

// BroadcastArgs: the broadcast of two shape vectors, in their dtype.
Folded fold_broadcast_args(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[0]->dtype != in.values[1]->dtype) return std::nullopt;
  auto a = index_values(*in.values[0]);
  auto b = index_values(*in.values[1]);
  if (!a || !b || in.values[0]->shape.rank() != 1 || in.values[1]->shape.rank() != 1) return std::nullopt;
  auto dims = broadcast_dims(*a, *b);
  if (!dims) return std::nullopt;
  const auto n = static_cast<std::int64_t>(dims->size());
  return one(ConstValue::from_ints(in.values[0]->dtype, ir::Shape({n}), *dims));
}

}  // namespace

std::span<const Folder> generator_folders() {
  static constexpr Folder kFolders[] = {
      {"BroadcastArgs", fold_broadcast_args},
      {"Fill", fold_fill},
      {"OnesLike", fold_ones_like},
      {"OneHot", fold_one_hot},
      {"Range", fold_range},
      {"ZerosLike", fold_zeros_like},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
