// Folders that read part of a tensor: StridedSlice, Slice, GatherV2/Gather, ReverseV2.
// These move elements without arithmetic, so they fold for every fixed-size dtype.
//
// StridedSlice follows TensorFlow's ValidateStridedSliceOp step by step: the sparse spec (with
// an implicit trailing ellipsis) becomes a dense one over the input's axes, each axis's begin
// and end are canonicalized (masks, negative indices, clamping by stride direction), and the
// final shape drops shrunk axes and inserts new ones. Specs TensorFlow rejects decline.
#include <bit>

#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

constexpr int kNewAxis = -1;
constexpr int kShrinkAxis = -2;

Folded fold_strided_slice(const FoldInput& in) {
  if (in.values.size() != 4 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto begin = index_values(*in.values[1]);
  auto end = index_values(*in.values[2]);
  auto strides = index_values(*in.values[3]);
  if (!begin || !end || !strides) return std::nullopt;
  for (std::size_t i = 1; i < 4; ++i) {
    if (in.values[i]->shape.rank() != 1) return std::nullopt;
  }
  const int sparse_given = static_cast<int>(begin->size());
  if (static_cast<int>(end->size()) != sparse_given || static_cast<int>(strides->size()) != sparse_given ||
      sparse_given > 30) {
    return std::nullopt;
  }
  const auto mask = [&](std::string_view key) {
    return static_cast<std::uint32_t>(attr_int(in.node, key, 0));
  };
  const std::uint32_t begin_mask = mask("begin_mask");
  const std::uint32_t end_mask = mask("end_mask");
  std::uint32_t ellipsis_mask = mask("ellipsis_mask");
  const std::uint32_t new_axis_mask = mask("new_axis_mask");
  const std::uint32_t shrink_mask = mask("shrink_axis_mask");
  if (std::popcount(ellipsis_mask) > 1) return std::nullopt;  // "Multiple ellipses"

  // Sparse spec: new axes after the ellipsis reduce how many input axes it covers.
  int sparse_dims = sparse_given;
  int new_axes_after_ellipsis = 0;
  bool ellipsis_seen = false;
  for (int i = 0; i < sparse_dims; ++i) {
    if (ellipsis_seen && (new_axis_mask & (1U << i)) != 0) ++new_axes_after_ellipsis;
    if ((ellipsis_mask & (1U << i)) != 0) ellipsis_seen = true;
  }
  if (!ellipsis_seen) {
    ellipsis_mask |= 1U << sparse_dims;
    ++sparse_dims;
  }

  // Dense spec: one entry per input axis.
  const Dims& dims = x.shape.dims();
  const int rank = static_cast<int>(dims.size());
  Dims d_begin(dims.size(), 0), d_end(dims.size(), 0), d_stride(dims.size(), 1);
  std::vector<bool> d_begin_masked(dims.size(), false), d_end_masked(dims.size(), false),
      d_shrink(dims.size(), false);
  std::vector<int> final_axes;  // dense axis, kNewAxis or kShrinkAxis per sparse entry
  int full = 0;
  for (int i = 0; i < sparse_dims; ++i) {
    const std::uint32_t bit = 1U << i;
    if ((ellipsis_mask & bit) != 0) {
      const int next = std::min(rank - (sparse_dims - i) + 1 + new_axes_after_ellipsis, rank);
      for (; full < next; ++full) {
        d_begin_masked[static_cast<std::size_t>(full)] = true;
        d_end_masked[static_cast<std::size_t>(full)] = true;
        final_axes.push_back(full);
      }
    } else if ((new_axis_mask & bit) != 0) {
      final_axes.push_back(kNewAxis);
    } else {
      if (full == rank) return std::nullopt;  // "Index out of range using input dim"
      const auto f = static_cast<std::size_t>(full);
      const auto s = static_cast<std::size_t>(i);
      d_begin[f] = (*begin)[s];
      d_end[f] = (*end)[s];
      d_stride[f] = (*strides)[s];
      d_begin_masked[f] = (begin_mask & bit) != 0;
      d_end_masked[f] = (end_mask & bit) != 0;
      if ((shrink_mask & bit) != 0) {
        d_shrink[f] = true;
        final_axes.push_back(kShrinkAxis);
      } else {
        final_axes.push_back(full);
      }
      ++full;
    }
  }

  // Canonical begin and size per input axis.
  Dims start(dims.size()), count(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const std::int64_t dim = dims[i];
    const std::int64_t stride = d_stride[i];
    if (stride == 0) return std::nullopt;
    std::int64_t b = d_begin[i];
    std::int64_t e = d_end[i];
    if (d_shrink[i]) {
      if (stride <= 0) return std::nullopt;  // "only stride 1 allowed on non-range indexing"
      const std::int64_t fwd = b < 0 ? dim + b : b;
      if (fwd < 0 || fwd >= dim) return std::nullopt;  // "slice index out of bounds"
      b = fwd;
      e = fwd + 1;
    } else {
      const std::int64_t lo = stride > 0 ? 0 : -1;
      const std::int64_t hi = stride > 0 ? dim : dim - 1;
      const auto canonical = [&](std::int64_t v, bool masked, bool is_begin) {
        if (masked) return (stride > 0) == is_begin ? lo : hi;
        const std::int64_t fwd = v < 0 ? dim + v : v;
        return fwd < lo ? lo : (fwd > hi ? hi : fwd);
      };
      b = canonical(b, d_begin_masked[i], true);
      e = canonical(e, d_end_masked[i], false);
    }
    const std::int64_t interval = e - b;
    std::int64_t size = 0;
    if (interval != 0 && (interval < 0) == (stride < 0)) {
      size = interval / stride + (interval % stride != 0 ? 1 : 0);
    }
    start[i] = b;
    count[i] = size;
  }

  Dims out_dims;
  for (int a : final_axes) {
    if (a == kNewAxis) out_dims.push_back(1);
    else if (a != kShrinkAxis) out_dims.push_back(count[static_cast<std::size_t>(a)]);
  }
  if (!checked_count(count)) return std::nullopt;
  return one(gather_elements(x, std::move(out_dims), box_index(dims, start, d_stride, count)));
}

// Slice: size -1 means "to the end"; TensorFlow requires 0 <= begin <= begin + size <= dim.
Folded fold_slice(const FoldInput& in) {
  if (in.values.size() != 3 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto begin = index_values(*in.values[1]);
  auto size = index_values(*in.values[2]);
  const Dims& dims = x.shape.dims();
  if (!begin || !size || begin->size() != dims.size() || size->size() != dims.size()) return std::nullopt;
  Dims count(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const std::int64_t b = (*begin)[i];
    const std::int64_t s = (*size)[i] == -1 ? dims[i] - b : (*size)[i];
    if (b < 0 || s < 0 || b > dims[i] || s > dims[i] - b) return std::nullopt;
    count[i] = s;
  }
  if (!checked_count(count)) return std::nullopt;
  const Dims ones(dims.size(), 1);
  return one(gather_elements(x, count, box_index(dims, *begin, ones, count)));
}

// ReverseV2: axes may be negative; a repeated axis is an error in TensorFlow.
Folded fold_reverse(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const ConstValue& x = *in.values[0];
  auto axes = index_values(*in.values[1]);
  if (!axes || in.values[1]->shape.rank() != 1) return std::nullopt;
  const Dims& dims = x.shape.dims();
  Dims start(dims.size(), 0), step(dims.size(), 1);
  std::vector<bool> seen(dims.size(), false);
  for (auto a : *axes) {
    auto axis = normalize_axis(a, static_cast<std::int64_t>(dims.size()));
    if (!axis || seen[static_cast<std::size_t>(*axis)]) return std::nullopt;
    const auto i = static_cast<std::size_t>(*axis);
    seen[i] = true;
    start[i] = dims[i] - 1;
    step[i] = -1;
  }
  if (!checked_count(dims)) return std::nullopt;
  return one(gather_elements(x, dims, box_index(dims, start, step, dims)));
}

// Gather along `axis` with `batch_dims` leading axes shared by params and indices:
//   out[b, o, i, r] = params[b, o, indices[b, i], r].
// Out-of-range or negative indices are an error on CPU, so they decline.
Folded gather(const ConstValue& params, const ConstValue& indices_value, std::int64_t axis_in,
              std::int64_t batch_dims_in) {
  auto indices = index_values(indices_value);
  if (!indices) return std::nullopt;
  const Dims& p = params.shape.dims();
  const Dims& q = indices_value.shape.dims();
  const auto axis = normalize_axis(axis_in, static_cast<std::int64_t>(p.size()));
  if (!axis) return std::nullopt;
  const std::int64_t batch_dims = batch_dims_in < 0 ? batch_dims_in + static_cast<std::int64_t>(q.size()) : batch_dims_in;
  if (batch_dims < 0 || batch_dims > static_cast<std::int64_t>(q.size()) || batch_dims > *axis) return std::nullopt;
  const auto bd = static_cast<std::size_t>(batch_dims);
  const auto ax = static_cast<std::size_t>(*axis);
  for (std::size_t i = 0; i < bd; ++i) {
    if (p[i] != q[i]) return std::nullopt;
  }
  Dims out_dims(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(ax));
  out_dims.insert(out_dims.end(), q.begin() + static_cast<std::ptrdiff_t>(bd), q.end());
  out_dims.insert(out_dims.end(), p.begin() + static_cast<std::ptrdiff_t>(ax) + 1, p.end());
  if (!checked_count(out_dims)) return std::nullopt;
  const auto product = [](auto first, auto last) {
    std::int64_t n = 1;
    for (; first != last; ++first) n *= *first;
    return n;
  };
  const std::int64_t batch = product(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(bd));
  const std::int64_t outer = product(p.begin() + static_cast<std::ptrdiff_t>(bd), p.begin() + static_cast<std::ptrdiff_t>(ax));
  const std::int64_t n = p[ax];
  const std::int64_t inner = product(p.begin() + static_cast<std::ptrdiff_t>(ax) + 1, p.end());
  const std::int64_t per_batch = product(q.begin() + static_cast<std::ptrdiff_t>(bd), q.end());
  for (auto i : *indices) {
    if (i < 0 || i >= n) return std::nullopt;
  }
  std::vector<std::int64_t> index;
  index.reserve(static_cast<std::size_t>(batch * outer * per_batch * inner));
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t o = 0; o < outer; ++o) {
      for (std::int64_t i = 0; i < per_batch; ++i) {
        const std::int64_t row = (*indices)[static_cast<std::size_t>(b * per_batch + i)];
        const std::int64_t base = ((b * outer + o) * n + row) * inner;
        for (std::int64_t r = 0; r < inner; ++r) index.push_back(base + r);
      }
    }
  }
  return one(gather_elements(params, std::move(out_dims), index));
}

Folded fold_gather_v2(const FoldInput& in) {
  if (in.values.size() != 3 || !all_constant(in)) return std::nullopt;
  const auto axis = index_scalar(*in.values[2]);
  if (!axis || in.values[2]->shape.rank() != 0) return std::nullopt;
  return gather(*in.values[0], *in.values[1], *axis, attr_int(in.node, "batch_dims", 0));
}

Folded fold_gather(const FoldInput& in) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  return gather(*in.values[0], *in.values[1], 0, 0);
}

}  // namespace

std::span<const Folder> slicing_folders() {
  static constexpr Folder kFolders[] = {
      {"Gather", fold_gather},
      {"GatherV2", fold_gather_v2},
      {"ReverseV2", fold_reverse},
      {"Slice", fold_slice},
      {"StridedSlice", fold_strided_slice},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
