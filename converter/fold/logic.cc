// Folders for comparisons (Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual), logical
// ops (LogicalAnd, LogicalOr, LogicalNot) and Select/SelectV2, all with TensorFlow's
// broadcasting. Comparisons follow IEEE (NaN compares unequal), as TensorFlow's kernels do.
#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

template <typename T, typename Cmp>
Folded compare_as(const ConstValue& a, const ConstValue& b, Cmp cmp) {
  return broadcast_apply<T, bool>(a, b, [&](T u, T v) -> std::optional<bool> {
    // Under denormals-are-zero a subnormal compares equal to 0; which mode applies is unsure.
    if (is_subnormal(u) || is_subnormal(v)) return std::nullopt;
    return cmp(u, v);
  });
}

// Equal/NotEqual also take bool; the ordering comparisons are not registered for it.
template <typename Cmp, bool kAllowBool>
Folded fold_compare(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const ConstValue& a = *in.values[0];
  const ConstValue& b = *in.values[1];
  if (a.dtype != b.dtype || (a.dtype == ir::DType::Bool && !kAllowBool)) return std::nullopt;
  return with_plain_type(a.dtype, [&](auto tag) -> Folded {
    return compare_as<decltype(tag)>(a, b, Cmp{});
  });
}

struct Eq {
  template <typename T>
  bool operator()(T x, T y) const { return x == y; }
};
struct Ne {
  template <typename T>
  bool operator()(T x, T y) const { return x != y; }
};
struct Lt {
  template <typename T>
  bool operator()(T x, T y) const { return x < y; }
};
struct Le {
  template <typename T>
  bool operator()(T x, T y) const { return x <= y; }
};
struct Gt {
  template <typename T>
  bool operator()(T x, T y) const { return x > y; }
};
struct Ge {
  template <typename T>
  bool operator()(T x, T y) const { return x >= y; }
};

template <bool kAnd>
Folded fold_logical(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  if (in.values[0]->dtype != ir::DType::Bool || in.values[1]->dtype != ir::DType::Bool) return std::nullopt;
  return compare_as<bool>(*in.values[0], *in.values[1],
                          [](bool x, bool y) { return kAnd ? (x && y) : (x || y); });
}

Folded fold_logical_not(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in) || in.values[0]->dtype != ir::DType::Bool) return std::nullopt;
  auto x = elements<bool>(*in.values[0]);
  for (auto&& e : x) e = !e;
  return one(make_value<bool>(in.values[0]->shape.dims(), x));
}

// Picks elements of t/e by cond; `ic`, `it`, `ie` map each output element to its source.
Folded select_elements(const ConstValue& cond, const ConstValue& t, const ConstValue& e,
                       Dims dims, const std::vector<std::int64_t>& ic,
                       const std::vector<std::int64_t>& it, const std::vector<std::int64_t>& ie) {
  const auto size = element_size(t);
  if (!size) return std::nullopt;
  const auto c = elements<bool>(cond);
  std::vector<std::byte> out(ic.size() * *size);
  for (std::size_t i = 0; i < ic.size(); ++i) {
    const bool pick_t = c[static_cast<std::size_t>(ic[i])];
    const auto src = pick_t ? t.bytes().subspan(static_cast<std::size_t>(it[i]) * *size, *size)
                            : e.bytes().subspan(static_cast<std::size_t>(ie[i]) * *size, *size);
    std::copy(src.begin(), src.end(), out.begin() + static_cast<std::ptrdiff_t>(i * *size));
  }
  return one(make_raw(t.dtype, std::move(dims), std::move(out)));
}

bool select_inputs_ok(const FoldInput& in) {
  return in.values.size() == 3 && all_constant(in) && in.values[0]->dtype == ir::DType::Bool &&
         in.values[1]->dtype == in.values[2]->dtype;
}

// SelectV2 broadcasts all three inputs.
Folded fold_select_v2(const FoldInput& in) {
  if (!select_inputs_ok(in)) return std::nullopt;
  const ConstValue& c = *in.values[0];
  const ConstValue& t = *in.values[1];
  const ConstValue& e = *in.values[2];
  auto te = broadcast_dims(t.shape.dims(), e.shape.dims());
  if (!te) return std::nullopt;
  auto dims = broadcast_dims(c.shape.dims(), *te);
  if (!dims || !checked_count(*dims)) return std::nullopt;
  return select_elements(c, t, e, *dims, broadcast_index(c.shape.dims(), *dims),
                         broadcast_index(t.shape.dims(), *dims), broadcast_index(e.shape.dims(), *dims));
}

// Select (v1): t and e have one shape; cond has that shape, is a scalar, or is a vector that
// picks whole rows of t/e along their first dimension.
Folded fold_select(const FoldInput& in) {
  if (!select_inputs_ok(in)) return std::nullopt;
  const ConstValue& c = *in.values[0];
  const ConstValue& t = *in.values[1];
  const ConstValue& e = *in.values[2];
  const Dims& dims = t.shape.dims();
  if (e.shape.dims() != dims) return std::nullopt;
  const auto n = checked_count(dims);
  if (!n) return std::nullopt;
  std::vector<std::int64_t> same(static_cast<std::size_t>(*n));
  for (std::size_t i = 0; i < same.size(); ++i) same[i] = static_cast<std::int64_t>(i);
  std::vector<std::int64_t> ic;
  if (c.shape.dims() == dims) {
    ic = same;
  } else if (c.shape.rank() == 0) {
    ic.assign(same.size(), 0);
  } else if (c.shape.rank() == 1 && !dims.empty() && c.shape.dim(0) == dims[0]) {
    const std::int64_t row = dims[0] == 0 ? 1 : *n / dims[0];
    ic.resize(same.size());
    for (std::size_t i = 0; i < ic.size(); ++i) ic[i] = static_cast<std::int64_t>(i) / row;
  } else {
    return std::nullopt;
  }
  return select_elements(c, t, e, dims, ic, same, same);
}

}  // namespace

std::span<const Folder> logic_folders() {
  static constexpr Folder kFolders[] = {
      {"Equal", fold_compare<Eq, true>},
      {"Greater", fold_compare<Gt, false>},
      {"GreaterEqual", fold_compare<Ge, false>},
      {"Less", fold_compare<Lt, false>},
      {"LessEqual", fold_compare<Le, false>},
      {"LogicalAnd", fold_logical<true>},
      {"LogicalNot", fold_logical_not},
      {"LogicalOr", fold_logical<false>},
      {"NotEqual", fold_compare<Ne, true>},
      {"Select", fold_select},
      {"SelectV2", fold_select_v2},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
