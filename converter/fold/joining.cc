// Folders that join or divide tensors along an axis: Pack, Unpack, ConcatV2, Concat, Split,
// SplitV. Axes may be negative: Pack's lies in [-(rank+1), rank], the others' in
// [-rank, rank). Shapes TensorFlow rejects (mismatched inputs, uneven splits) decline.
#include <numeric>

#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

std::int64_t product(const Dims& d, std::size_t from, std::size_t to) {
  std::int64_t n = 1;
  for (std::size_t i = from; i < to; ++i) n *= d[i];
  return n;
}

// Concatenates `parts` (same dtype, equal dims except `axis`) along `axis`.
Folded concat(std::span<const ConstValue* const> parts, std::int64_t axis_in) {
  if (parts.empty()) return std::nullopt;
  const Dims& first = parts[0]->shape.dims();
  const auto axis = normalize_axis(axis_in, static_cast<std::int64_t>(first.size()));
  if (!axis) return std::nullopt;
  const auto ax = static_cast<std::size_t>(*axis);
  const auto size = element_size(*parts[0]);
  if (!size) return std::nullopt;
  Dims out_dims = first;
  out_dims[ax] = 0;
  for (const ConstValue* p : parts) {
    const Dims& d = p->shape.dims();
    if (p->dtype != parts[0]->dtype || d.size() != first.size()) return std::nullopt;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (i != ax && d[i] != first[i]) return std::nullopt;
    }
    out_dims[ax] += d[ax];
  }
  const auto total = checked_count(out_dims);
  if (!total) return std::nullopt;
  const std::int64_t outer = product(first, 0, ax);
  std::vector<std::byte> out;
  out.reserve(static_cast<std::size_t>(*total) * *size);
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const ConstValue* p : parts) {
      const auto row = static_cast<std::size_t>(product(p->shape.dims(), ax, p->shape.rank())) * *size;
      const auto src = p->bytes().subspan(static_cast<std::size_t>(o) * row, row);
      out.insert(out.end(), src.begin(), src.end());
    }
  }
  return one(make_raw(parts[0]->dtype, std::move(out_dims), std::move(out)));
}

Folded fold_concat_v2(const FoldInput& in) {
  if (in.values.size() < 2 || !all_constant(in)) return std::nullopt;
  const auto axis = index_scalar(*in.values.back());
  if (!axis) return std::nullopt;
  return concat(in.values.first(in.values.size() - 1), *axis);
}

Folded fold_concat(const FoldInput& in) {
  if (in.values.size() < 2 || !all_constant(in)) return std::nullopt;
  const auto axis = index_scalar(*in.values.front());
  if (!axis) return std::nullopt;
  return concat(in.values.subspan(1), *axis);
}

// Pack stacks equal-shaped inputs along a new axis: a concat of the inputs reshaped with a 1
// inserted at that axis.
Folded fold_pack(const FoldInput& in) {
  if (in.values.empty() || !all_constant(in)) return std::nullopt;
  const Dims& d = in.values[0]->shape.dims();
  const auto rank = static_cast<std::int64_t>(d.size());
  std::int64_t axis = attr_int(in.node, "axis", 0);
  if (axis < -(rank + 1) || axis > rank) return std::nullopt;
  if (axis < 0) axis += rank + 1;
  std::vector<ConstValue> expanded;
  expanded.reserve(in.values.size());
  for (const ConstValue* v : in.values) {
    if (v->shape.dims() != d || v->dtype != in.values[0]->dtype) return std::nullopt;
    Dims e = d;
    e.insert(e.begin() + axis, 1);
    const auto bytes = v->bytes();
    expanded.push_back(make_raw(v->dtype, std::move(e), std::vector<std::byte>(bytes.begin(), bytes.end())));
  }
  std::vector<const ConstValue*> parts;
  for (const auto& e : expanded) parts.push_back(&e);
  return concat(parts, axis);
}

// Cuts `x` along `axis` into pieces of the given sizes (which sum to the axis's size).
Folded split(const ConstValue& x, std::int64_t axis_in, const Dims& sizes, bool keep_axis) {
  const Dims& d = x.shape.dims();
  const auto axis = normalize_axis(axis_in, static_cast<std::int64_t>(d.size()));
  const auto size = element_size(x);
  if (!axis || !size || !checked_count(d)) return std::nullopt;
  const auto ax = static_cast<std::size_t>(*axis);
  const std::int64_t outer = product(d, 0, ax);
  const std::int64_t inner = product(d, ax + 1, d.size());
  std::vector<ConstValue> out;
  std::int64_t offset = 0;
  for (auto s : sizes) {
    Dims od = d;
    od[ax] = s;
    if (!keep_axis) od.erase(od.begin() + static_cast<std::ptrdiff_t>(ax));
    std::vector<std::byte> bytes;
    bytes.reserve(static_cast<std::size_t>(outer * s * inner) * *size);
    for (std::int64_t o = 0; o < outer; ++o) {
      const auto from = static_cast<std::size_t>((o * d[ax] + offset) * inner) * *size;
      const auto src = x.bytes().subspan(from, static_cast<std::size_t>(s * inner) * *size);
      bytes.insert(bytes.end(), src.begin(), src.end());
    }
    out.push_back(make_raw(x.dtype, std::move(od), std::move(bytes)));
    offset += s;
  }
  return out;
}

Folded fold_unpack(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  const auto axis = normalize_axis(attr_int(in.node, "axis", 0), static_cast<std::int64_t>(x.shape.rank()));
  if (!axis) return std::nullopt;
  const std::int64_t n = x.shape.dim(static_cast<std::size_t>(*axis));
  if (attr_int(in.node, "num", n) != n) return std::nullopt;
  return split(x, *axis, Dims(static_cast<std::size_t>(n), 1), false);
}

Folded fold_split(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const auto axis_value = index_scalar(*in.values[0]);
  const ConstValue& x = *in.values[1];
  const std::int64_t n = attr_int(in.node, "num_split", 0);
  if (!axis_value || n <= 0) return std::nullopt;
  const auto axis = normalize_axis(*axis_value, static_cast<std::int64_t>(x.shape.rank()));
  if (!axis) return std::nullopt;
  const std::int64_t dim = x.shape.dim(static_cast<std::size_t>(*axis));
  if (dim % n != 0) return std::nullopt;
  return split(x, *axis, Dims(static_cast<std::size_t>(n), dim / n), true);
}

// SplitV: one size may be -1 (the rest of the axis); sizes must add up to the axis's size.
Folded fold_split_v(const FoldInput& in) {
  if (in.values.size() != 3 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto sizes = index_values(*in.values[1]);
  const auto axis_value = index_scalar(*in.values[2]);
  if (!sizes || !axis_value || sizes->empty()) return std::nullopt;
  const auto axis = normalize_axis(*axis_value, static_cast<std::int64_t>(x.shape.rank()));
  if (!axis) return std::nullopt;
  const std::int64_t dim = x.shape.dim(static_cast<std::size_t>(*axis));
  std::int64_t known = 0;
  std::optional<std::size_t> unknown;
  for (std::size_t i = 0; i < sizes->size(); ++i) {
    const std::int64_t s = (*sizes)[i];
    if (s == -1) {
      if (unknown) return std::nullopt;
      unknown = i;
    } else if (s < 0) {
      return std::nullopt;
    } else {
      known += s;
    }
  }
  if (unknown) {
    if (known > dim) return std::nullopt;
    (*sizes)[*unknown] = dim - known;
  } else if (known != dim) {
    return std::nullopt;
  }
  return split(x, *axis, *sizes, true);
}

}  // namespace

std::span<const Folder> joining_folders() {
  static constexpr Folder kFolders[] = {
      {"Concat", fold_concat},
      {"ConcatV2", fold_concat_v2},
      {"Pack", fold_pack},
      {"Split", fold_split},
      {"SplitV", fold_split_v},
      {"Unpack", fold_unpack},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
