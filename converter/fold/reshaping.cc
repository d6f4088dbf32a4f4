// Folders that rearrange a whole tensor: Reshape (one -1 inferred), ExpandDims, Squeeze,
// Transpose, BroadcastTo, Tile, Identity, IdentityN, Snapshot. They move elements without
// arithmetic and fold for every fixed-size dtype.
#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

// The same bytes under new dims.
Folded with_dims(const ConstValue& x, Dims dims) {
  ConstValue v = x;
  v.shape = ir::Shape(std::move(dims));
  return one(std::move(v));
}

Folded fold_identity(const FoldInput& in) {
  if (in.values.empty() || !all_constant(in)) return std::nullopt;
  std::vector<ConstValue> out;
  for (const ConstValue* v : in.values) out.push_back(*v);
  return out;
}

// Reshape: at most one -1, inferred from the element count; TensorFlow cannot infer it when
// the other sizes multiply to 0.
Folded fold_reshape(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[1]->shape.rank() != 1) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto dims = index_values(*in.values[1]);
  if (!dims) return std::nullopt;
  const auto n = checked_count(x.shape.dims());
  if (!n) return std::nullopt;
  std::int64_t known = 1;
  std::optional<std::size_t> unknown;
  for (std::size_t i = 0; i < dims->size(); ++i) {
    const std::int64_t d = (*dims)[i];
    if (d == -1) {
      if (unknown) return std::nullopt;
      unknown = i;
    } else if (d < 0 || __builtin_mul_overflow(known, d, &known)) {
      return std::nullopt;
    }
  }
  if (unknown) {
    if (known == 0 || *n % known != 0) return std::nullopt;
    (*dims)[*unknown] = *n / known;
  } else if (known != *n) {
    return std::nullopt;
  }
  return with_dims(x, std::move(*dims));
}

// ExpandDims: the axis lies in [-(rank+1), rank]; -1 appends.
Folded fold_expand_dims(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  const auto axis_value = index_scalar(*in.values[1]);
  if (!axis_value) return std::nullopt;
  const auto rank = static_cast<std::int64_t>(x.shape.rank());
  std::int64_t axis = *axis_value;
  if (axis < -(rank + 1) || axis > rank) return std::nullopt;
  if (axis < 0) axis += rank + 1;
  Dims d = x.shape.dims();
  d.insert(d.begin() + axis, 1);
  return with_dims(x, std::move(d));
}

// Squeeze: without squeeze_dims every size-1 axis goes; a named axis that is not 1 is an error.
Folded fold_squeeze(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  const Dims& d = x.shape.dims();
  const Dims axes = attr_ints(in.node, "squeeze_dims");
  std::vector<bool> drop(d.size(), false);
  for (auto a : axes) {
    auto axis = normalize_axis(a, static_cast<std::int64_t>(d.size()));
    if (!axis || d[static_cast<std::size_t>(*axis)] != 1) return std::nullopt;
    drop[static_cast<std::size_t>(*axis)] = true;
  }
  Dims out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (axes.empty() ? d[i] != 1 : !drop[i]) out.push_back(d[i]);
  }
  return with_dims(x, std::move(out));
}

// Flat input indices of the output of shape `out`, where output axis i advances the input by
// `step[i]` elements.
std::vector<std::int64_t> strided_view(const Dims& out, const Dims& step) {
  std::int64_t total = 1;
  for (auto d : out) total *= d;
  std::vector<std::int64_t> index;
  index.reserve(static_cast<std::size_t>(total));
  Dims counter(out.size(), 0);
  std::int64_t offset = 0;
  for (std::int64_t k = 0; k < total; ++k) {
    index.push_back(offset);
    for (std::size_t i = out.size(); i-- > 0;) {
      if (++counter[i] < out[i]) {
        offset += step[i];
        break;
      }
      offset -= step[i] * (out[i] - 1);
      counter[i] = 0;
    }
  }
  return index;
}

Folded fold_transpose(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[1]->shape.rank() != 1) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto perm = index_values(*in.values[1]);
  const Dims& d = x.shape.dims();
  if (!perm || perm->size() != d.size() || !checked_count(d)) return std::nullopt;
  const Dims in_strides = strides_of(d);
  std::vector<bool> seen(d.size(), false);
  Dims out_dims(d.size()), step(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    // TensorFlow wants a permutation of 0..rank-1; anything else is an error.
    const std::int64_t p0 = (*perm)[i];
    if (p0 < 0 || p0 >= static_cast<std::int64_t>(d.size())) return std::nullopt;
    const std::optional<std::int64_t> p = p0;
    if (seen[static_cast<std::size_t>(*p)]) return std::nullopt;
    seen[static_cast<std::size_t>(*p)] = true;
    out_dims[i] = d[static_cast<std::size_t>(*p)];
    step[i] = in_strides[static_cast<std::size_t>(*p)];
  }
  auto index = strided_view(out_dims, step);
  return one(gather_elements(x, std::move(out_dims), index));
}

// BroadcastTo: the input must broadcast to exactly the requested shape.
Folded fold_broadcast_to(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[1]->shape.rank() != 1) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto shape = index_values(*in.values[1]);
  if (!shape || !checked_count(*shape)) return std::nullopt;
  auto b = broadcast_dims(x.shape.dims(), *shape);
  if (!b || *b != *shape) return std::nullopt;
  return one(gather_elements(x, *shape, broadcast_index(x.shape.dims(), *shape)));
}

Folded fold_tile(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in) || in.values[1]->shape.rank() != 1) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto multiples = index_values(*in.values[1]);
  const Dims& d = x.shape.dims();
  if (!multiples || multiples->size() != d.size()) return std::nullopt;
  Dims out_dims(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    if ((*multiples)[i] < 0) return std::nullopt;
    if (d[i] != 0 && (*multiples)[i] > kMaxFoldedElements) return std::nullopt;
    out_dims[i] = d[i] * (*multiples)[i];
  }
  const auto total = checked_count(out_dims);
  if (!total) return std::nullopt;
  const Dims in_strides = strides_of(d);
  std::vector<std::int64_t> index;
  index.reserve(static_cast<std::size_t>(*total));
  Dims counter(d.size(), 0);
  for (std::int64_t k = 0; k < *total; ++k) {
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < d.size(); ++i) offset += (counter[i] % d[i]) * in_strides[i];
    index.push_back(offset);
    for (std::size_t i = d.size(); i-- > 0;) {
      if (++counter[i] < out_dims[i]) break;
      counter[i] = 0;
    }
  }
  return one(gather_elements(x, std::move(out_dims), index));
}

}  // namespace

std::span<const Folder> reshaping_folders() {
  static constexpr Folder kFolders[] = {
      {"BroadcastTo", fold_broadcast_to},
      {"ExpandDims", fold_expand_dims},
      {"Identity", fold_identity},
      {"IdentityN", fold_identity},
      {"Reshape", fold_reshape},
      {"Snapshot", fold_identity},
      {"Squeeze", fold_squeeze},
      {"Tile", fold_tile},
      {"Transpose", fold_transpose},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
