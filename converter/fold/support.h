#pragma once

// Helpers shared by the folder families: typed access to constant bytes, attribute reads,
// broadcasting. Internal to converter/fold.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "converter/fold/fold.h"

namespace litelint::converter::folders {

using Folded = std::optional<std::vector<ConstValue>>;
using Dims = std::vector<std::int64_t>;

/// A folded single result.
inline Folded one(ConstValue v) {
  std::vector<ConstValue> out;
  out.push_back(std::move(v));
  return out;
}

/// The DType that stores C++ type T (bool is TensorFlow's one-byte DT_BOOL).
template <typename T>
constexpr ir::DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return ir::DType::Float;
  else if constexpr (std::is_same_v<T, double>) return ir::DType::Double;
  else if constexpr (std::is_same_v<T, bool>) return ir::DType::Bool;
  else if constexpr (std::is_same_v<T, std::int8_t>) return ir::DType::Int8;
  else if constexpr (std::is_same_v<T, std::int16_t>) return ir::DType::Int16;
  else if constexpr (std::is_same_v<T, std::int32_t>) return ir::DType::Int32;
  else if constexpr (std::is_same_v<T, std::int64_t>) return ir::DType::Int64;
  else if constexpr (std::is_same_v<T, std::uint8_t>) return ir::DType::UInt8;
  else if constexpr (std::is_same_v<T, std::uint16_t>) return ir::DType::UInt16;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return ir::DType::UInt32;
  else return ir::DType::UInt64;
}

/// Calls f(T{}) for the arithmetic types the folders compute in (float32/64, int32/64) and
/// returns its result; a default-constructed result (nullopt) for every other type.
template <typename F>
auto with_number_type(ir::DType t, F&& f) -> decltype(f(float{})) {
  switch (t) {
    case ir::DType::Float: return f(float{});
    case ir::DType::Double: return f(double{});
    case ir::DType::Int32: return f(std::int32_t{});
    case ir::DType::Int64: return f(std::int64_t{});
    default: return {};
  }
}

/// Like with_number_type, over every fixed-size real type including bool.
template <typename F>
auto with_plain_type(ir::DType t, F&& f) -> decltype(f(float{})) {
  switch (t) {
    case ir::DType::Float: return f(float{});
    case ir::DType::Double: return f(double{});
    case ir::DType::Bool: return f(bool{});
    case ir::DType::Int8: return f(std::int8_t{});
    case ir::DType::Int16: return f(std::int16_t{});
    case ir::DType::Int32: return f(std::int32_t{});
    case ir::DType::Int64: return f(std::int64_t{});
    case ir::DType::UInt8: return f(std::uint8_t{});
    case ir::DType::UInt16: return f(std::uint16_t{});
    case ir::DType::UInt32: return f(std::uint32_t{});
    case ir::DType::UInt64: return f(std::uint64_t{});
    default: return {};
  }
}

/// A constant's elements as T; the caller has checked that its dtype stores T.
template <typename T>
std::vector<T> elements(const ConstValue& v) {
  const auto n = static_cast<std::size_t>(v.num_elements());
  std::vector<T> out(n);
  const std::byte* p = v.bytes().data();
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      out[i] = p[i] != std::byte{0};
    } else {
      std::memcpy(&out[i], p + i * sizeof(T), sizeof(T));
    }
  }
  return out;
}

/// A constant of T's dtype from elements.
template <typename T>
ConstValue make_value(Dims dims, const std::vector<T>& v) {
  ConstValue c;
  c.dtype = dtype_of<T>();
  c.shape = ir::Shape(std::move(dims));
  c.owned.resize(v.size() * sizeof(T));
  for (std::size_t i = 0; i < v.size(); ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      c.owned[i] = std::byte{static_cast<unsigned char>(v[i] ? 1 : 0)};
    } else {
      std::memcpy(c.owned.data() + i * sizeof(T), &v[i], sizeof(T));
    }
  }
  return c;
}

/// A constant from raw row-major bytes.
ConstValue make_raw(ir::DType dtype, Dims dims, std::vector<std::byte> bytes);

/// True when every data input has a constant value of fixed-size type whose bytes match its
/// shape. Folders that compute from values (all but Shape/Size/Rank) start with this.
bool all_constant(const FoldInput& in);
/// Bytes per element of a constant (nullopt for strings and sub-byte types).
std::optional<std::size_t> element_size(const ConstValue& v);
/// An int32/int64 input's elements (shape vectors, axes, indices); nullopt for other types.
std::optional<Dims> index_values(const ConstValue& v);
/// A scalar (or one-element) int32/int64 input.
std::optional<std::int64_t> index_scalar(const ConstValue& v);

/// Attribute reads with TensorFlow's defaults.
std::int64_t attr_int(const ir::Node& node, std::string_view key, std::int64_t fallback);
bool attr_bool(const ir::Node& node, std::string_view key, bool fallback);
std::optional<ir::DType> attr_type(const ir::Node& node, std::string_view key);
/// A list(int) attribute; empty when absent.
Dims attr_ints(const ir::Node& node, std::string_view key);

/// Number of elements of `dims`; nullopt when it exceeds kMaxFoldedElements or a dim is < 0.
std::optional<std::int64_t> checked_count(const Dims& dims);
/// Maps an axis in [-rank, rank) to [0, rank); nullopt when out of range.
std::optional<std::int64_t> normalize_axis(std::int64_t axis, std::int64_t rank);

/// NumPy/TensorFlow broadcast of two shapes; nullopt when incompatible.
std::optional<Dims> broadcast_dims(const Dims& a, const Dims& b);
/// For each element of `out` (row-major), the flat index of the element of a tensor of shape
/// `in` that broadcasting reads; `in` must broadcast to `out`.
std::vector<std::int64_t> broadcast_index(const Dims& in, const Dims& out);

/// The elements of `v` at flat indices `index`, as a constant of `v`'s type and shape `dims`.
/// Every data-movement folder (slices, gathers, transposes) ends here.
ConstValue gather_elements(const ConstValue& v, Dims dims, const std::vector<std::int64_t>& index);
/// Flat indices of a strided box of a tensor of shape `dims`: along axis i, `count[i]`
/// positions from `start[i]` in steps of `step[i]` (steps may be negative), row-major.
std::vector<std::int64_t> box_index(const Dims& dims, const Dims& start, const Dims& step, const Dims& count);

/// Row-major strides of dims.
Dims strides_of(const Dims& dims);

/// True for float subnormals, which TensorFlow's kernels may flush to zero (its CPU threads
/// set flush-to-zero), so a folded value near them could differ from what TensorFlow stores.
template <typename T>
bool is_subnormal(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::fpclassify(v) == FP_SUBNORMAL;
  else return false;
}
/// True for NaN and subnormals: float values whose bits TensorFlow's kernels do not pin down.
template <typename T>
bool unsure_float(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v) || is_subnormal(v);
  else return false;
}

/// `f(a[i], b[i])` over the broadcast of two constants of element type T, as a constant of
/// element type R; `f` returns nullopt to decline the whole fold, as does a shape that does
/// not broadcast or is over the folding limit. Every element-wise binary folder ends here.
template <typename T, typename R, typename F>
Folded broadcast_apply(const ConstValue& a, const ConstValue& b, F f) {
  auto dims = broadcast_dims(a.shape.dims(), b.shape.dims());
  if (!dims || !checked_count(*dims)) return std::nullopt;
  const auto x = elements<T>(a);
  const auto y = elements<T>(b);
  const auto ia = broadcast_index(a.shape.dims(), *dims);
  const auto ib = broadcast_index(b.shape.dims(), *dims);
  std::vector<R> out(ia.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::optional<R> r = f(x[static_cast<std::size_t>(ia[i])], y[static_cast<std::size_t>(ib[i])]);
    if (!r) return std::nullopt;
    out[i] = *r;
  }
  return one(make_value<R>(std::move(*dims), out));
}

}  // namespace litelint::converter::folders
