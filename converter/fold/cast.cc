// Folder for Cast between bool, the integer types, float32 and float64 (half/bfloat16 are
// read, not produced). TensorFlow's CPU kernel is a static_cast per element:
//   float -> int   truncates toward zero; NaN and out-of-range values are undefined in C++
//                  (x86 gives INT_MIN, uint8 wraps through int32), so those decline;
//   int -> int     keeps the low bits (two's complement wrap);
//   x -> bool      is x != 0;   bool -> x is 0 or 1;
//   wider -> float rounds to nearest, unless Truncate=true, which chops mantissa bits: an
//                  inexact conversion under Truncate declines.
#include <cmath>

#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

template <typename D>
std::optional<D> from_float(double v, bool truncate) {
  if (std::isnan(v) || is_subnormal(v)) return std::nullopt;
  if constexpr (std::is_same_v<D, bool>) {
    return v != 0;
  } else if constexpr (std::is_floating_point_v<D>) {
    const D r = static_cast<D>(v);
    if (is_subnormal(r) || (truncate && static_cast<double>(r) != v)) return std::nullopt;
    return r;
  } else {
    const double t = std::trunc(v);
    constexpr int kBits = std::numeric_limits<D>::digits + (std::is_signed_v<D> ? 1 : 0);
    const double lo = std::is_signed_v<D> ? -std::ldexp(1.0, kBits - 1) : 0.0;
    const double hi = std::is_signed_v<D> ? std::ldexp(1.0, kBits - 1) : std::ldexp(1.0, kBits);
    if (!(t >= lo && t < hi)) return std::nullopt;
    return static_cast<D>(t);
  }
}

template <typename D, typename S>
std::optional<D> from_integer(S v, bool truncate) {
  if constexpr (std::is_same_v<D, bool>) {
    return v != 0;
  } else if constexpr (std::is_floating_point_v<D>) {
    const D r = static_cast<D>(v);
    // An inexact int -> float conversion is rounded by static_cast, chopped under Truncate.
    if (truncate && !std::is_same_v<S, bool> && static_cast<long double>(r) != static_cast<long double>(v)) {
      return std::nullopt;
    }
    return r;
  } else {
    return static_cast<D>(v);
  }
}

template <typename D>
Folded cast_to(const ConstValue& src, bool truncate) {
  const auto n = static_cast<std::size_t>(src.num_elements());
  std::vector<D> out(n);
  const bool float_source = src.dtype == ir::DType::Float || src.dtype == ir::DType::Double ||
                            src.dtype == ir::DType::Half || src.dtype == ir::DType::BFloat16;
  if (float_source) {
    // Every float type this reads is exact in double, so the conversion rounds once, as
    // TensorFlow's does (float32 -> float32 is the identity either way).
    auto v = src.doubles();
    if (!v) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) {
      auto r = from_float<D>((*v)[i], truncate);
      if (!r) return std::nullopt;
      out[i] = *r;
    }
  } else {
    const bool ok = with_plain_type(src.dtype, [&](auto tag) -> bool {
      using S = decltype(tag);
      const auto v = elements<S>(src);
      for (std::size_t i = 0; i < n; ++i) {
        auto r = from_integer<D>(v[i], truncate);
        if (!r) return false;
        out[i] = *r;
      }
      return true;
    });
    if (!ok) return std::nullopt;
  }
  return one(make_value<D>(src.shape.dims(), out));
}

Folded fold_cast(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in)) return std::nullopt;
  const ConstValue& src = *in.values[0];
  const auto dst = attr_type(in.node, "DstT");
  if (!dst || !checked_count(src.shape.dims())) return std::nullopt;
  const bool truncate = attr_bool(in.node, "Truncate", false);
  return with_plain_type(*dst, [&](auto tag) -> Folded { return cast_to<decltype(tag)>(src, truncate); });
}

}  // namespace

std::span<const Folder> cast_folders() {
  static constexpr Folder kFolders[] = {
      {"Cast", fold_cast},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
