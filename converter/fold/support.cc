#include "converter/fold/support.h"

#include <algorithm>

namespace litelint::converter::folders {

ConstValue make_raw(ir::DType dtype, Dims dims, std::vector<std::byte> bytes) {
  ConstValue c;
  c.dtype = dtype;
  c.shape = ir::Shape(std::move(dims));
  c.owned = std::move(bytes);
  return c;
}

std::optional<std::size_t> element_size(const ConstValue& v) {
  if (v.dtype == ir::DType::String) return std::nullopt;
  return ir::dtype_size(v.dtype);
}

bool all_constant(const FoldInput& in) {
  for (const ConstValue* v : in.values) {
    if (v == nullptr || !v->shape.is_fully_defined()) return false;
    const auto size = element_size(*v);
    if (!size || v->bytes().size() != *size * static_cast<std::size_t>(v->num_elements())) return false;
  }
  return true;
}

std::optional<Dims> index_values(const ConstValue& v) {
  if (v.dtype == ir::DType::Int32) {
    auto e = elements<std::int32_t>(v);
    return Dims(e.begin(), e.end());
  }
  if (v.dtype == ir::DType::Int64) return elements<std::int64_t>(v);
  return std::nullopt;
}

std::optional<std::int64_t> index_scalar(const ConstValue& v) {
  if (v.num_elements() != 1) return std::nullopt;
  auto e = index_values(v);
  if (!e) return std::nullopt;
  return (*e)[0];
}

std::int64_t attr_int(const ir::Node& node, std::string_view key, std::int64_t fallback) {
  const auto* a = node.attr(key);
  return a != nullptr && a->as_int() != nullptr ? *a->as_int() : fallback;
}

bool attr_bool(const ir::Node& node, std::string_view key, bool fallback) {
  const auto* a = node.attr(key);
  return a != nullptr && a->as_bool() != nullptr ? *a->as_bool() : fallback;
}

std::optional<ir::DType> attr_type(const ir::Node& node, std::string_view key) {
  const auto* a = node.attr(key);
  if (a == nullptr || a->as_type() == nullptr) return std::nullopt;
  return *a->as_type();
}

Dims attr_ints(const ir::Node& node, std::string_view key) {
  const auto* a = node.attr(key);
  if (a == nullptr || a->as_list() == nullptr) return {};
  return a->as_list()->i;
}

std::optional<std::int64_t> checked_count(const Dims& dims) {
  std::int64_t n = 1;
  for (auto d : dims) {
    if (d < 0) return std::nullopt;
    if (d == 0) return 0;
  }
  for (auto d : dims) {
    if (d > kMaxFoldedElements || n * d > kMaxFoldedElements) return std::nullopt;
    n *= d;
  }
  return n;
}

std::optional<std::int64_t> normalize_axis(std::int64_t axis, std::int64_t rank) {
  if (axis < -rank || axis >= rank) return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<Dims> broadcast_dims(const Dims& a, const Dims& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

Dims strides_of(const Dims& dims) {
  Dims s(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

std::vector<std::int64_t> broadcast_index(const Dims& in, const Dims& out) {
  const std::size_t rank = out.size();
  const std::size_t pad = rank - in.size();
  // Stride of each output axis in the input: 0 where the input repeats (size 1 or missing).
  Dims in_strides(rank, 0);
  const Dims own = strides_of(in);
  for (std::size_t i = pad; i < rank; ++i) in_strides[i] = in[i - pad] == 1 ? 0 : own[i - pad];
  std::int64_t total = 1;
  for (auto d : out) total *= d;
  std::vector<std::int64_t> index(static_cast<std::size_t>(total));
  Dims counter(rank, 0);
  std::int64_t offset = 0;
  for (std::int64_t k = 0; k < total; ++k) {
    index[static_cast<std::size_t>(k)] = offset;
    // Odometer increment over the output shape, keeping the input offset in step.
    for (std::size_t i = rank; i-- > 0;) {
      if (++counter[i] < out[i]) {
        offset += in_strides[i];
        break;
      }
      offset -= in_strides[i] * (out[i] - 1);
      counter[i] = 0;
    }
  }
  return index;
}

ConstValue gather_elements(const ConstValue& v, Dims dims, const std::vector<std::int64_t>& index) {
  const std::size_t size = element_size(v).value_or(0);
  std::vector<std::byte> out(index.size() * size);
  const std::byte* src = v.bytes().data();
  for (std::size_t i = 0; i < index.size(); ++i) {
    std::memcpy(out.data() + i * size, src + static_cast<std::size_t>(index[i]) * size, size);
  }
  return make_raw(v.dtype, std::move(dims), std::move(out));
}

std::vector<std::int64_t> box_index(const Dims& dims, const Dims& start, const Dims& step, const Dims& count) {
  const std::size_t rank = dims.size();
  const Dims strides = strides_of(dims);
  std::int64_t total = 1;
  for (auto c : count) total *= c;
  std::vector<std::int64_t> index;
  if (total == 0) return index;
  index.reserve(static_cast<std::size_t>(total));
  Dims counter(rank, 0);
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < rank; ++i) offset += start[i] * strides[i];
  for (std::int64_t k = 0; k < total; ++k) {
    index.push_back(offset);
    for (std::size_t i = rank; i-- > 0;) {
      if (++counter[i] < count[i]) {
        offset += step[i] * strides[i];
        break;
      }
      offset -= step[i] * strides[i] * (count[i] - 1);
      counter[i] = 0;
    }
  }
  return index;
}

}  // namespace litelint::converter::folders
