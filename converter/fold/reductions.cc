// Folders for reductions: Sum, Prod, Max, Min, Mean (int32/int64/float32/float64), Any, All
// (bool), ArgMax, ArgMin.
//
// TensorFlow reduces floats with Eigen's vectorized tree, whose summation order is not the
// sequential one, so a float Sum/Mean/Prod folds only when every order gives the same bits:
// the sum (product) is exact. Integer overflow, duplicate axes and NaN inputs decline.
#include <algorithm>
#include <bit>
#include <cmath>

#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

// Which output element each input element reduces into.
struct Grouping {
  Dims out_dims;
  std::vector<std::vector<std::int64_t>> members;  // input flat indices, ascending
};

std::optional<Grouping> group(const Dims& dims, const Dims& axes_in, bool keep_dims) {
  const auto rank = static_cast<std::int64_t>(dims.size());
  std::vector<bool> reduced(dims.size(), false);
  for (auto a : axes_in) {
    auto axis = normalize_axis(a, rank);
    if (!axis || reduced[static_cast<std::size_t>(*axis)]) return std::nullopt;  // TF: error
    reduced[static_cast<std::size_t>(*axis)] = true;
  }
  Grouping g;
  Dims kept_dims;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (!reduced[i]) kept_dims.push_back(dims[i]);
    if (!reduced[i]) g.out_dims.push_back(dims[i]);
    else if (keep_dims) g.out_dims.push_back(1);
  }
  const auto n = checked_count(dims);
  const auto outs = checked_count(kept_dims);
  if (!n || !outs) return std::nullopt;
  g.members.resize(static_cast<std::size_t>(*outs));
  const Dims kept_strides = strides_of(kept_dims);
  Dims counter(dims.size(), 0);
  for (std::int64_t k = 0; k < *n; ++k) {
    std::int64_t out = 0;
    for (std::size_t i = 0, j = 0; i < dims.size(); ++i) {
      if (!reduced[i]) out += counter[i] * kept_strides[j++];
    }
    g.members[static_cast<std::size_t>(out)].push_back(k);
    for (std::size_t i = dims.size(); i-- > 0;) {
      if (++counter[i] < dims[i]) break;
      counter[i] = 0;
    }
  }
  return g;
}

// The exponent of the lowest set bit of a finite nonzero x: x is an integer multiple of 2^e.
template <typename T>
int lowest_bit_exponent(T x) {
  int e = 0;
  const T m = std::frexp(std::fabs(x), &e);  // x = m * 2^e, m in [0.5, 1)
  auto mant = static_cast<std::uint64_t>(std::ldexp(m, std::numeric_limits<T>::digits));
  const int digits = std::numeric_limits<T>::digits;
  return e - digits + std::countr_zero(mant);
}

// The sum of float elements when it is exact, so that any summation order gives it: all
// elements are multiples of 2^q and the sum of magnitudes stays below 2^(digits + q), hence
// every partial sum is representable.
template <typename T>
std::optional<T> exact_sum(const std::vector<T>& v) {
  int q = std::numeric_limits<int>::max();
  long double magnitude = 0;
  long double sum = 0;
  for (T x : v) {
    if (!std::isfinite(x) || is_subnormal(x)) return std::nullopt;
    if (x == 0) continue;
    q = std::min(q, lowest_bit_exponent(x));
    magnitude += std::fabs(static_cast<long double>(x));
    sum += x;
  }
  if (q == std::numeric_limits<int>::max()) return T{0};  // all zeros: +0, as Eigen starts from +0
  if (magnitude >= std::ldexp(1.0L, std::numeric_limits<T>::digits + q)) return std::nullopt;
  return static_cast<T>(sum);
}

// The product of float elements when it is exact in any order: all integers whose magnitudes
// (counting zeros as 1) multiply to below 2^digits. Zero's sign is the xor of the signs,
// whatever the order.
template <typename T>
std::optional<T> exact_product(const std::vector<T>& v) {
  long double bound = 1;
  T prod = 1;
  for (T x : v) {
    if (!std::isfinite(x) || std::trunc(x) != x) return std::nullopt;
    bound *= std::max<long double>(std::fabs(static_cast<long double>(x)), 1);
    if (bound >= std::ldexp(1.0L, std::numeric_limits<T>::digits)) return std::nullopt;
    prod *= x;
  }
  return prod;
}

enum class Kind { Sum, Prod, Max, Min, Mean };

template <typename T>
std::optional<T> reduce(Kind kind, const std::vector<T>& v) {
  switch (kind) {
    case Kind::Sum:
    case Kind::Mean: {
      std::optional<T> sum;
      if constexpr (std::is_integral_v<T>) {
        T acc = 0;
        for (T x : v) {
          if (__builtin_add_overflow(acc, x, &acc)) return std::nullopt;
        }
        sum = acc;
      } else {
        sum = exact_sum(v);
      }
      if (!sum || kind == Kind::Sum) return sum;
      if (v.empty()) return std::nullopt;
      // TensorFlow divides the sum by the count in T: truncation for integers.
      return static_cast<T>(*sum / static_cast<T>(v.size()));
    }
    case Kind::Prod: {
      if constexpr (std::is_integral_v<T>) {
        T acc = 1;
        for (T x : v) {
          if (__builtin_mul_overflow(acc, x, &acc)) return std::nullopt;
        }
        return acc;
      } else {
        return exact_product(v);
      }
    }
    case Kind::Max:
    case Kind::Min: {
      const bool max = kind == Kind::Max;
      // Empty reductions give Eigen's initial value: -inf/+inf for floats, lowest/highest ints.
      T acc;
      if constexpr (std::is_floating_point_v<T>) {
        acc = max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
      } else {
        acc = max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
      }
      bool pos_zero = false;
      bool neg_zero = false;
      for (T x : v) {
        if (unsure_float(x)) return std::nullopt;
        if (x == 0) (std::signbit(static_cast<double>(x)) ? neg_zero : pos_zero) = true;
        if (max ? acc < x : x < acc) acc = x;
      }
      // Which zero wins a tie depends on Eigen's order.
      if (acc == 0 && pos_zero && neg_zero) return std::nullopt;
      return acc;
    }
  }
  return std::nullopt;
}

template <Kind kKind>
Folded fold_reduce(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto axes = index_values(*in.values[1]);
  if (!axes || in.values[1]->shape.rank() > 1) return std::nullopt;
  auto g = group(x.shape.dims(), *axes, attr_bool(in.node, "keep_dims", false));
  if (!g) return std::nullopt;
  return with_number_type(x.dtype, [&](auto tag) -> Folded {
    using T = decltype(tag);
    const auto v = elements<T>(x);
    std::vector<T> out;
    out.reserve(g->members.size());
    std::vector<T> items;
    for (const auto& m : g->members) {
      items.clear();
      for (auto k : m) items.push_back(v[static_cast<std::size_t>(k)]);
      auto r = reduce<T>(kKind, items);
      if (!r || unsure_float(*r)) return std::nullopt;
      out.push_back(*r);
    }
    return one(make_value<T>(g->out_dims, out));
  });
}

template <bool kAll>
Folded fold_bool_reduce(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[0]->dtype != ir::DType::Bool) return std::nullopt;
  auto axes = index_values(*in.values[1]);
  if (!axes || in.values[1]->shape.rank() > 1) return std::nullopt;
  auto g = group(in.values[0]->shape.dims(), *axes, attr_bool(in.node, "keep_dims", false));
  if (!g) return std::nullopt;
  const auto v = elements<bool>(*in.values[0]);
  std::vector<bool> out;
  for (const auto& m : g->members) {
    bool acc = kAll;
    for (auto k : m) acc = kAll ? (acc && v[static_cast<std::size_t>(k)]) : (acc || v[static_cast<std::size_t>(k)]);
    out.push_back(acc);
  }
  return one(make_value<bool>(g->out_dims, out));
}

// ArgMax/ArgMin along one axis; ties resolve to the smallest index, as TensorFlow's do.
template <bool kMax>
Folded fold_arg(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  const auto axis_value = index_scalar(*in.values[1]);
  if (!axis_value) return std::nullopt;
  const auto rank = static_cast<std::int64_t>(x.shape.rank());
  const auto axis = normalize_axis(*axis_value, rank);
  if (!axis || x.shape.dim(static_cast<std::size_t>(*axis)) == 0) return std::nullopt;
  const ir::DType out_type = attr_type(in.node, "output_type").value_or(ir::DType::Int64);
  if (out_type != ir::DType::Int32 && out_type != ir::DType::Int64) return std::nullopt;
  const Dims axis_only{*axis};
  auto g = group(x.shape.dims(), axis_only, false);
  if (!g) return std::nullopt;
  return with_number_type(x.dtype, [&](auto tag) -> Folded {
    using T = decltype(tag);
    const auto v = elements<T>(x);
    std::vector<std::int64_t> out;
    for (const auto& m : g->members) {
      std::size_t best = 0;
      for (std::size_t j = 0; j < m.size(); ++j) {
        const T e = v[static_cast<std::size_t>(m[j])];
        if (unsure_float(e)) return std::nullopt;
        const T b = v[static_cast<std::size_t>(m[best])];
        if (kMax ? b < e : e < b) best = j;
      }
      // Members run along the axis in order, so `best` is the index on that axis.
      out.push_back(static_cast<std::int64_t>(best));
    }
    return one(ConstValue::from_ints(out_type, ir::Shape(g->out_dims), out));
  });
}

}  // namespace

std::span<const Folder> reduction_folders() {
  static constexpr Folder kFolders[] = {
      {"All", fold_bool_reduce<true>},
      {"Any", fold_bool_reduce<false>},
      {"ArgMax", fold_arg<true>},
      {"ArgMin", fold_arg<false>},
      {"Max", fold_reduce<Kind::Max>},
      {"Mean", fold_reduce<Kind::Mean>},
      {"Min", fold_reduce<Kind::Min>},
      {"Prod", fold_reduce<Kind::Prod>},
      {"Sum", fold_reduce<Kind::Sum>},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
