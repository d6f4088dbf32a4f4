// Shape functions for sources (Const, Placeholder), shape arithmetic and array manipulation.
#include <algorithm>
#include <cstring>

#include "analyzer/passes/shape_context.h"

namespace litelint::passes::shape_inference {
namespace {

using ir::DType;
using ir::Shape;

constexpr std::int64_t kUnknown = Shape::kUnknownDim;

bool is_int(DType t) { return t == DType::Int32 || t == DType::Int64; }

DType elem_type(const InferenceContext& ctx, std::size_t input = 0) {
  return ctx.first_type_attr({"T"}).value_or(ir::base_dtype(ctx.input_dtype(input)));
}

/// Values of a small int Const, read through the lazy tensor loader.
std::optional<std::vector<std::int64_t>> const_ints(const ir::Tensor& t) {
  if (!is_int(t.dtype()) || !t.has_value()) return std::nullopt;
  const auto n = t.shape().num_elements();
  if (!n || *n < 0 || static_cast<std::size_t>(*n) > kMaxTrackedValues) return std::nullopt;
  auto bytes = t.load();
  if (!bytes) return std::nullopt;
  const std::size_t width = t.dtype() == DType::Int32 ? 4 : 8;
  const auto count = static_cast<std::size_t>(*n);
  const auto& b = bytes->bytes;
  // A TensorProto may give one value for a whole tensor (splat); TensorFlow repeats it.
  const bool splat = b.size() == width && count > 1;
  if (!splat && b.size() != count * width) return std::nullopt;
  std::vector<std::int64_t> out(count);
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t off = splat ? 0 : k * width;
    if (width == 4) {
      std::int32_t v;
      std::memcpy(&v, b.data() + off, 4);
      out[k] = v;
    } else {
      std::int64_t v;
      std::memcpy(&v, b.data() + off, 8);
      out[k] = v == kUnknownValue ? kUnknownValue : v;
    }
  }
  return out;
}

void const_op(InferenceContext& ctx) {
  const auto* a = ctx.node().attr("value");
  const auto* t = a ? a->as_tensor() : nullptr;
  auto dtype = ctx.attr_type("dtype").value_or(t ? t->dtype() : DType::Invalid);
  if (!t) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  ctx.set_output(0, dtype, t->shape());
  if (auto v = const_ints(*t)) ctx.set_output_ints(0, std::move(*v));
}

void placeholder(InferenceContext& ctx) {
  auto shape = ctx.attr_shape("shape").value_or(Shape());
  ctx.set_output(0, ctx.attr_type("dtype").value_or(DType::Invalid), shape);
}

void placeholder_with_default(InferenceContext& ctx) {
  auto shape = ctx.attr_shape("shape");
  ctx.set_output(0, ctx.attr_type("dtype").value_or(ctx.input_dtype(0)),
                 shape ? *shape : ctx.input_shape(0));
}

void shape_op(InferenceContext& ctx) {
  const auto dtype = ctx.attr_type("out_type").value_or(DType::Int32);
  const std::size_t n = ctx.node().op == "ShapeN" ? ctx.num_inputs() : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = ctx.input_shape(i);
    if (!s.has_rank()) {
      ctx.set_output(i, dtype, Shape({kUnknown}));
      continue;
    }
    ctx.set_output(i, dtype, Shape({static_cast<std::int64_t>(s.rank())}));
    std::vector<std::int64_t> v;
    for (auto d : s.dims()) v.push_back(d < 0 ? kUnknownValue : d);
    ctx.set_output_ints(i, std::move(v));
  }
}

void size_op(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("out_type").value_or(DType::Int32), Shape::scalar());
  if (auto n = ctx.input_shape(0).num_elements()) ctx.set_output_ints(0, {*n});
}

void rank_op(InferenceContext& ctx) {
  ctx.set_output(0, DType::Int32, Shape::scalar());
  const auto& s = ctx.input_shape(0);
  if (s.has_rank()) ctx.set_output_ints(0, {static_cast<std::int64_t>(s.rank())});
}

void reshape(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* v = ctx.input_ints(1);
  const auto& spec_shape = ctx.input_shape(1);
  if (!v || !spec_shape.has_rank() || spec_shape.rank() > 1) {
    ctx.set_output(0, dtype, shape_from_input(ctx, 1));
    return;
  }
  std::vector<std::int64_t> dims;
  std::int64_t known_product = 1;
  bool product_known = true;
  int infer_at = -1;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto d = (*v)[i];
    if (d == -1) {
      if (infer_at >= 0) {
        ctx.error("reshape shape has more than one -1");
        ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(v->size())));
        return;
      }
      infer_at = static_cast<int>(i);
      dims.push_back(kUnknown);
      continue;
    }
    if (d < 0) {
      dims.push_back(kUnknown);
      product_known = false;
      continue;
    }
    dims.push_back(d);
    known_product = mul_dims(known_product, d);
    if (known_product < 0) product_known = false;
  }
  const auto in_elems = in.num_elements();
  if (in_elems && product_known) {
    if (infer_at >= 0) {
      if (known_product == 0 || *in_elems % known_product != 0) {
        if (known_product != 0) {
          ctx.error("cannot reshape " + in.to_string() + " (" + std::to_string(*in_elems) +
                    " elements) into a multiple of " + std::to_string(known_product));
        }
      } else {
        dims[static_cast<std::size_t>(infer_at)] = *in_elems / known_product;
      }
    } else if (known_product != *in_elems) {
      ctx.error("cannot reshape " + in.to_string() + " (" + std::to_string(*in_elems) +
                " elements) into " + Shape(dims).to_string() + " (" +
                std::to_string(known_product) + " elements)");
    }
  }
  ctx.set_output(0, dtype, Shape(dims));
  if (const auto* iv = ctx.input_ints(0)) ctx.set_output_ints(0, *iv);
}

void squeeze(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* axes = ctx.attr_ints("squeeze_dims");
  if (!axes) axes = ctx.attr_ints("axis");
  if (!in.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  std::vector<bool> drop(in.rank(), false);
  if (!axes || axes->empty()) {
    for (std::size_t i = 0; i < in.rank(); ++i) {
      if (in.dim(i) < 0) {
        ctx.set_output(0, dtype, Shape());  // an unknown dim may or may not be 1
        return;
      }
      drop[i] = in.dim(i) == 1;
    }
  } else {
    for (auto a : *axes) {
      auto n = normalize_axis(a, in.rank());
      if (!n) {
        ctx.error("squeeze axis " + std::to_string(a) + " is out of range for " + in.to_string());
        ctx.set_output(0, dtype, Shape());
        return;
      }
      if (in.dim(*n) > 1 || in.dim(*n) == 0) {
        ctx.error("cannot squeeze dim " + std::to_string(*n) + " of " + in.to_string() +
                  ": it is not 1");
      }
      drop[*n] = true;
    }
  }
  std::vector<std::int64_t> dims;
  for (std::size_t i = 0; i < in.rank(); ++i) {
    if (!drop[i]) dims.push_back(in.dim(i));
  }
  ctx.set_output(0, dtype, Shape(std::move(dims)));
  if (const auto* iv = ctx.input_ints(0)) ctx.set_output_ints(0, *iv);
}

void expand_dims(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  auto axis = scalar_input(ctx, 1);
  if (!in.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  if (!axis) {
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank()) + 1));
    return;
  }
  auto n = normalize_axis(*axis, in.rank() + 1);
  if (!n) {
    ctx.error("expand_dims axis " + std::to_string(*axis) + " is out of range for " + in.to_string());
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank()) + 1));
    return;
  }
  auto dims = in.dims();
  dims.insert(dims.begin() + static_cast<std::ptrdiff_t>(*n), 1);
  ctx.set_output(0, dtype, Shape(std::move(dims)));
  if (const auto* iv = ctx.input_ints(0)) ctx.set_output_ints(0, *iv);
}

void transpose(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* perm = ctx.input_ints(1);
  if (!perm) {
    const auto& ps = ctx.input_shape(1);
    if (in.has_rank()) ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
    else if (ps.has_rank() && ps.rank() == 1) ctx.set_output(0, dtype, unknown_dims(ps.dim(0)));
    else ctx.set_output(0, dtype, Shape());
    return;
  }
  if (!in.has_rank()) {
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(perm->size())));
    return;
  }
  if (perm->size() != in.rank()) {
    ctx.error("transpose perm has " + std::to_string(perm->size()) + " entries for input " +
              in.to_string());
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
    return;
  }
  std::vector<std::int64_t> dims(in.rank(), kUnknown);
  std::vector<bool> seen(in.rank(), false);
  for (std::size_t i = 0; i < perm->size(); ++i) {
    auto n = normalize_axis((*perm)[i], in.rank());
    if (!n || seen[*n]) {
      ctx.error("transpose perm is not a permutation of 0.." + std::to_string(in.rank() - 1));
      ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
      return;
    }
    seen[*n] = true;
    dims[i] = in.dim(*n);
  }
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

/// Concatenates inputs [first, first+n) along `axis`.
void concat_common(InferenceContext& ctx, std::size_t first, std::size_t n,
                   std::optional<std::int64_t> axis) {
  DType dtype = ctx.first_type_attr({"T"}).value_or(DType::Invalid);
  Shape common;
  bool any_rank = false;
  for (std::size_t i = first; i < first + n; ++i) {
    if (dtype == DType::Invalid) dtype = ctx.input_dtype(i);
    const auto& s = ctx.input_shape(i);
    if (!s.has_rank()) continue;
    if (any_rank && s.rank() != common.rank()) {
      ctx.error("concat inputs have different ranks: " + common.to_string() + " and " + s.to_string());
      ctx.set_output(0, dtype, Shape());
      return;
    }
    if (!any_rank) {
      common = s;
      any_rank = true;
    }
  }
  if (!any_rank) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const std::size_t rank = common.rank();
  if (!axis) {
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(rank)));
    return;
  }
  auto ax = normalize_axis(*axis, rank);
  if (!ax) {
    ctx.error("concat axis " + std::to_string(*axis) + " is out of range for rank " + std::to_string(rank));
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(rank)));
    return;
  }
  std::vector<std::int64_t> dims(rank, kUnknown);
  std::int64_t total = 0;
  for (std::size_t i = first; i < first + n; ++i) {
    const auto& s = ctx.input_shape(i);
    if (!s.has_rank()) {
      total = kUnknown;
      continue;
    }
    total = add_dims(total, s.dim(*ax));
    for (std::size_t d = 0; d < rank; ++d) {
      if (d == *ax || s.dim(d) < 0) continue;
      if (dims[d] >= 0 && dims[d] != s.dim(d)) {
        ctx.error("concat inputs differ in dim " + std::to_string(d) + ": " +
                  std::to_string(dims[d]) + " vs " + std::to_string(s.dim(d)));
      } else {
        dims[d] = s.dim(d);
      }
    }
  }
  dims[*ax] = total;
  ctx.set_output(0, dtype, Shape(std::move(dims)));
  // Shape vectors glued together: the Reshape target of many graphs.
  if (rank == 1) {
    std::vector<std::int64_t> values;
    for (std::size_t i = first; i < first + n; ++i) {
      const auto* v = ctx.input_ints(i);
      if (!v) return;
      values.insert(values.end(), v->begin(), v->end());
      if (values.size() > kMaxTrackedValues) return;
    }
    ctx.set_output_ints(0, std::move(values));
  }
}

void concat_v2(InferenceContext& ctx) {
  if (ctx.num_inputs() < 2) return;
  concat_common(ctx, 0, ctx.num_inputs() - 1, scalar_input(ctx, ctx.num_inputs() - 1));
}

void concat_v1(InferenceContext& ctx) {
  if (ctx.num_inputs() < 2) return;
  concat_common(ctx, 1, ctx.num_inputs() - 1, scalar_input(ctx, 0));
}

void concat_offset(InferenceContext& ctx) {
  for (std::size_t i = 1; i < ctx.num_inputs(); ++i) ctx.set_output(i - 1, DType::Int32, ctx.input_shape(i));
}

void pack(InferenceContext& ctx) {
  DType dtype = elem_type(ctx);
  const std::size_t n = ctx.num_inputs();
  Shape common;
  bool first = true;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = ctx.input_shape(i);
    if (first) {
      common = s;
      first = false;
      continue;
    }
    if (common.has_rank() && s.has_rank()) {
      if (common.rank() != s.rank()) {
        ctx.error("pack inputs have different shapes: " + common.to_string() + " and " + s.to_string());
        ctx.set_output(0, dtype, Shape());
        return;
      }
      for (std::size_t d = 0; d < s.rank(); ++d) {
        if (common.dim(d) >= 0 && s.dim(d) >= 0 && common.dim(d) != s.dim(d)) {
          ctx.error("pack inputs have different shapes: " + common.to_string() + " and " + s.to_string());
          break;
        }
      }
    }
    common = refine(common, s);
  }
  if (!common.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const auto axis = ctx.attr_int("axis").value_or(0);
  auto ax = normalize_axis(axis, common.rank() + 1);
  if (!ax) {
    ctx.error("pack axis " + std::to_string(axis) + " is out of range");
    ctx.set_output(0, dtype, Shape());
    return;
  }
  auto dims = common.dims();
  dims.insert(dims.begin() + static_cast<std::ptrdiff_t>(*ax), static_cast<std::int64_t>(n));
  ctx.set_output(0, dtype, Shape(std::move(dims)));
  if (common.rank() == 0) {
    std::vector<std::int64_t> values;
    for (std::size_t i = 0; i < n; ++i) {
      const auto* v = ctx.input_ints(i);
      values.push_back(v && v->size() == 1 ? (*v)[0] : kUnknownValue);
    }
    ctx.set_output_ints(0, std::move(values));
  }
}

void unpack(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  auto num = ctx.attr_int("num");
  const auto axis = ctx.attr_int("axis").value_or(0);
  Shape out;
  if (in.has_rank()) {
    auto ax = normalize_axis(axis, in.rank());
    if (!ax) {
      ctx.error("unpack axis " + std::to_string(axis) + " is out of range for " + in.to_string());
    } else {
      if (num && in.dim(*ax) >= 0 && in.dim(*ax) != *num) {
        ctx.error("unpack num " + std::to_string(*num) + " does not match dim " +
                  std::to_string(in.dim(*ax)) + " of " + in.to_string());
      }
      if (!num && in.dim(*ax) >= 0) num = in.dim(*ax);
      auto dims = in.dims();
      dims.erase(dims.begin() + static_cast<std::ptrdiff_t>(*ax));
      out = Shape(std::move(dims));
    }
  }
  if (!num || *num < 0 || *num > 4096) return;
  for (std::int64_t i = 0; i < *num; ++i) {
    ctx.set_output(static_cast<std::size_t>(i), dtype, out);
    const auto* v = ctx.input_ints(0);
    if (v && in.has_rank() && in.rank() == 1 && static_cast<std::size_t>(i) < v->size()) {
      ctx.set_output_ints(static_cast<std::size_t>(i), {(*v)[static_cast<std::size_t>(i)]});
    }
  }
}

void split(InferenceContext& ctx) {
  const bool v2 = ctx.node().op == "SplitV";
  const std::size_t value_input = v2 ? 0 : 1;
  const auto dtype = elem_type(ctx, value_input);
  const auto& in = ctx.input_shape(value_input);
  const auto num = ctx.attr_int("num_split");
  if (!num || *num <= 0 || *num > 4096) return;
  const auto n = static_cast<std::size_t>(*num);
  auto axis = scalar_input(ctx, v2 ? 2 : 0);
  std::optional<std::size_t> ax;
  if (in.has_rank() && axis) {
    ax = normalize_axis(*axis, in.rank());
    if (!ax) ctx.error("split axis " + std::to_string(*axis) + " is out of range for " + in.to_string());
  }
  std::vector<std::int64_t> sizes(n, kUnknown);
  if (ax) {
    const auto d = in.dim(*ax);
    if (!v2) {
      if (d >= 0) {
        if (d % *num != 0) {
          ctx.error("dim " + std::to_string(d) + " of " + in.to_string() + " is not divisible by num_split " +
                    std::to_string(*num));
        } else {
          std::fill(sizes.begin(), sizes.end(), d / *num);
        }
      }
    } else if (const auto* ss = ctx.input_ints(1); ss && ss->size() == n) {
      std::int64_t sum = 0;
      int infer = -1;
      for (std::size_t i = 0; i < n; ++i) {
        const auto s = (*ss)[i];
        if (s == -1 && infer < 0) {
          infer = static_cast<int>(i);
        } else if (s < 0) {
          sum = kUnknown;
        } else {
          sizes[i] = s;
          sum = add_dims(sum, s);
        }
      }
      if (infer >= 0 && d >= 0 && sum >= 0 && sum <= d) sizes[static_cast<std::size_t>(infer)] = d - sum;
      if (infer < 0 && d >= 0 && sum >= 0 && sum != d) {
        ctx.error("split sizes add up to " + std::to_string(sum) + ", not dim " + std::to_string(d));
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!in.has_rank()) {
      ctx.set_output(i, dtype, Shape());
    } else if (!ax) {
      ctx.set_output(i, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
    } else {
      auto dims = in.dims();
      dims[*ax] = sizes[i];
      ctx.set_output(i, dtype, Shape(std::move(dims)));
    }
  }
}

void slice(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* begin = ctx.input_ints(1);
  const auto* size = ctx.input_ints(2);
  std::size_t rank = 0;
  if (in.has_rank()) rank = in.rank();
  else if (size) rank = size->size();
  else if (begin) rank = begin->size();
  else {
    const auto& bs = ctx.input_shape(1);
    ctx.set_output(0, dtype, bs.has_rank() && bs.rank() == 1 ? unknown_dims(bs.dim(0)) : Shape());
    return;
  }
  if ((size && size->size() != rank) || (begin && begin->size() != rank)) {
    ctx.error("slice begin/size length does not match input rank " + std::to_string(rank));
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(rank)));
    return;
  }
  std::vector<std::int64_t> dims(rank, kUnknown);
  for (std::size_t i = 0; i < rank; ++i) {
    const auto s = size ? (*size)[i] : kUnknownValue;
    const auto b = begin ? (*begin)[i] : kUnknownValue;
    const auto d = in.has_rank() ? in.dim(i) : kUnknown;
    if (s >= 0) {
      dims[i] = s;
      if (d >= 0 && b >= 0 && b <= d && s > d - b) {
        ctx.error("slice of size " + std::to_string(s) + " at " + std::to_string(b) +
                  " is out of bounds for dim " + std::to_string(d));
      }
    } else if (s == -1 && d >= 0 && b >= 0 && b <= d) {
      dims[i] = d - b;
    }
  }
  ctx.set_output(0, dtype, Shape(dims));
  const auto* v = ctx.input_ints(0);
  if (v && rank == 1 && dims[0] >= 0 && begin && (*begin)[0] >= 0 &&
      static_cast<std::uint64_t>((*begin)[0]) + static_cast<std::uint64_t>(dims[0]) <= v->size()) {
    const auto b = static_cast<std::size_t>((*begin)[0]);
    ctx.set_output_ints(0, std::vector<std::int64_t>(v->begin() + static_cast<std::ptrdiff_t>(b),
                                                     v->begin() + static_cast<std::ptrdiff_t>(b + static_cast<std::size_t>(dims[0]))));
  }
}

/// One dim of a strided slice after masks and ellipsis are resolved.
struct DenseDim {
  std::int64_t begin = 0, end = 0, stride = 1;
  bool begin_masked = false, end_masked = false, shrink = false;
};

/// Canonical [begin, end) and size of a slice of a known dim; nullopt on an invalid shrink.
std::optional<std::int64_t> slice_size(const DenseDim& s, std::int64_t d, std::int64_t* start) {
  if (s.shrink) {
    std::int64_t b = s.begin;
    if (b == kUnknownValue) return std::nullopt;
    if (b < 0) b += d;
    if (b < 0 || b >= d) return std::nullopt;
    *start = b;
    return 1;
  }
  const bool pos = s.stride > 0;
  auto canon = [&](std::int64_t x, bool masked, bool is_begin) {
    if (masked) return is_begin ? (pos ? 0 : d - 1) : (pos ? d : -1);
    if (x < 0) x += d;
    return pos ? std::clamp<std::int64_t>(x, 0, d) : std::clamp<std::int64_t>(x, -1, d - 1);
  };
  const auto b = canon(s.begin, s.begin_masked, true);
  const auto e = canon(s.end, s.end_masked, false);
  *start = b;
  std::int64_t size;
  // Written so that a huge stride cannot overflow: ceil(n / stride) = (n - 1) / stride + 1.
  if (pos) size = e > b ? (e - b - 1) / s.stride + 1 : 0;
  else size = b > e ? (b - e - 1) / (-s.stride) + 1 : 0;
  return size;
}

void strided_slice(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* begin = ctx.input_ints(1);
  const auto* end = ctx.input_ints(2);
  const auto* strides = ctx.input_ints(3);
  const auto begin_mask = ctx.attr_int("begin_mask").value_or(0);
  const auto end_mask = ctx.attr_int("end_mask").value_or(0);
  const auto ellipsis_mask = ctx.attr_int("ellipsis_mask").value_or(0);
  const auto new_axis_mask = ctx.attr_int("new_axis_mask").value_or(0);
  const auto shrink_mask = ctx.attr_int("shrink_axis_mask").value_or(0);
  if (!in.has_rank() || !strides) {
    // Without ellipsis/new axes the rank is the input rank minus the shrunk dims.
    if (in.has_rank() && ellipsis_mask == 0 && new_axis_mask == 0) {
      const auto shrunk = __builtin_popcountll(static_cast<unsigned long long>(shrink_mask));
      const auto& ss = ctx.input_shape(1);
      if (ss.has_rank() && ss.rank() == 1 && ss.dim(0) >= 0 &&
          static_cast<std::size_t>(ss.dim(0)) <= in.rank() && shrunk <= ss.dim(0)) {
        ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank()) - shrunk));
        return;
      }
    }
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const std::size_t sparse = strides->size();
  if ((begin && begin->size() != sparse) || (end && end->size() != sparse) || sparse > 64) {
    ctx.error("strided slice begin, end and strides differ in length");
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const auto bit = [](std::int64_t mask, std::size_t i) { return i < 63 && ((mask >> i) & 1); };
  // Entries of the final shape: a dense dim index, or -1 for a new axis.
  std::vector<std::int64_t> final_entries;
  std::vector<DenseDim> dense(in.rank());
  std::size_t full = 0;
  bool saw_ellipsis = false;
  std::size_t used_dense = 0;
  for (std::size_t i = 0; i < sparse; ++i) {
    if (!bit(new_axis_mask, i) && !bit(ellipsis_mask, i)) ++used_dense;
  }
  for (std::size_t i = 0; i < sparse; ++i) {
    if (bit(ellipsis_mask, i) && !saw_ellipsis) {
      saw_ellipsis = true;
      // The ellipsis covers every input dim the other sparse entries do not name.
      const std::size_t others = used_dense;
      if (others > in.rank()) break;
      const std::size_t cover = in.rank() - others;
      for (std::size_t k = 0; k < cover && full < in.rank(); ++k, ++full) {
        dense[full].begin_masked = dense[full].end_masked = true;
        final_entries.push_back(static_cast<std::int64_t>(full));
      }
      continue;
    }
    if (bit(new_axis_mask, i)) {
      final_entries.push_back(-1);
      continue;
    }
    if (full >= in.rank()) {
      ctx.error("strided slice indexes more dims than input " + in.to_string() + " has");
      ctx.set_output(0, dtype, Shape());
      return;
    }
    auto& d = dense[full];
    d.begin = begin ? (*begin)[i] : kUnknownValue;
    d.end = end ? (*end)[i] : kUnknownValue;
    d.stride = (*strides)[i];
    d.begin_masked = bit(begin_mask, i);
    d.end_masked = bit(end_mask, i);
    d.shrink = bit(shrink_mask, i);
    if (d.stride == 0 || d.stride == kUnknownValue) {
      if (d.stride == 0) ctx.error("strided slice stride is 0");
      ctx.set_output(0, dtype, Shape());
      return;
    }
    if (!d.shrink) final_entries.push_back(static_cast<std::int64_t>(full));
    ++full;
  }
  for (; full < in.rank(); ++full) {
    dense[full].begin_masked = dense[full].end_masked = true;
    final_entries.push_back(static_cast<std::int64_t>(full));
  }
  std::vector<std::int64_t> sizes(in.rank(), kUnknown);
  std::vector<std::int64_t> starts(in.rank(), 0);
  for (std::size_t k = 0; k < in.rank(); ++k) {
    const auto& d = dense[k];
    const auto dim = in.dim(k);
    const bool b_known = d.begin_masked || d.begin != kUnknownValue;
    const bool e_known = d.end_masked || d.end != kUnknownValue;
    if (d.shrink) {
      if (dim >= 0 && d.begin != kUnknownValue && !slice_size(d, dim, &starts[k])) {
        ctx.error("strided slice index " + std::to_string(d.begin) + " is out of range for dim " +
                  std::to_string(dim));
      }
      sizes[k] = 1;
      continue;
    }
    if (!b_known || !e_known) continue;
    if (dim >= 0) {
      sizes[k] = *slice_size(d, dim, &starts[k]);
    }
    // An unknown dim leaves the size unknown, as in TensorFlow: x[0:3] may be shorter.
  }
  std::vector<std::int64_t> dims;
  for (auto e : final_entries) dims.push_back(e < 0 ? 1 : sizes[static_cast<std::size_t>(e)]);
  ctx.set_output(0, dtype, Shape(dims));
  // Folding: slices of a shape vector (shape[0], shape[1:3], shape[-1]).
  const auto* v = ctx.input_ints(0);
  const bool start_known = !dense.empty() && (!dense[0].shrink || dense[0].begin != kUnknownValue);
  if (v && in.rank() == 1 && in.dim(0) >= 0 && dims.size() <= 1 && sizes[0] >= 0 && start_known) {
    std::vector<std::int64_t> out;
    std::int64_t idx = starts[0];
    const auto stride = dense[0].shrink ? 1 : dense[0].stride;
    for (std::int64_t c = 0; c < sizes[0]; ++c, idx += stride) {
      if (idx < 0 || static_cast<std::size_t>(idx) >= v->size()) return;
      out.push_back((*v)[static_cast<std::size_t>(idx)]);
    }
    ctx.set_output_ints(0, std::move(out));
  }
}

void pad(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* p = ctx.input_ints(1);
  const auto& ps = ctx.input_shape(1);
  std::int64_t rank = in.has_rank() ? static_cast<std::int64_t>(in.rank())
                      : (ps.has_rank() && ps.rank() == 2 ? ps.dim(0) : kUnknown);
  if (rank < 0) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  if (!p || !in.has_rank() || p->size() != 2 * in.rank()) {
    if (p && in.has_rank()) ctx.error("paddings do not have shape [" + std::to_string(in.rank()) + ",2]");
    ctx.set_output(0, dtype, unknown_dims(rank));
    return;
  }
  std::vector<std::int64_t> dims(in.rank());
  for (std::size_t i = 0; i < in.rank(); ++i) {
    const auto a = (*p)[2 * i], b = (*p)[2 * i + 1];
    if (a == kUnknownValue || b == kUnknownValue || a < 0 || b < 0) {
      if (a != kUnknownValue && b != kUnknownValue) ctx.error("paddings must be non-negative");
      dims[i] = kUnknown;
      continue;
    }
    dims[i] = add_dims(add_dims(in.dim(i), a), b);
  }
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void fill(InferenceContext& ctx) {
  const auto dtype = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(1));
  auto shape = shape_from_input(ctx, 0);
  ctx.set_output(0, dtype, shape);
  const auto* v = ctx.input_ints(1);
  auto n = shape.num_elements();
  if (v && v->size() == 1 && n && *n >= 0 && static_cast<std::size_t>(*n) <= kMaxTrackedValues) {
    ctx.set_output_ints(0, std::vector<std::int64_t>(static_cast<std::size_t>(*n), (*v)[0]));
  }
}

void tile(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto* m = ctx.input_ints(1);
  if (!in.has_rank()) {
    const auto& ms = ctx.input_shape(1);
    ctx.set_output(0, dtype, ms.has_rank() && ms.rank() == 1 ? unknown_dims(ms.dim(0)) : Shape());
    return;
  }
  if (!m) {
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
    return;
  }
  if (m->size() != in.rank()) {
    ctx.error("tile multiples has " + std::to_string(m->size()) + " entries for input " + in.to_string());
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(in.rank())));
    return;
  }
  std::vector<std::int64_t> dims(in.rank());
  for (std::size_t i = 0; i < in.rank(); ++i) dims[i] = mul_dims(in.dim(i), (*m)[i] == kUnknownValue ? kUnknown : (*m)[i]);
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

/// params[:axis] + indices.shape[batch_dims:] + params[axis+1:]
void gather_common(InferenceContext& ctx, DType dtype, const Shape& params, std::optional<std::int64_t> axis,
                   std::int64_t batch_dims) {
  const auto& idx = ctx.input_shape(1);
  if (!params.has_rank() || !idx.has_rank() || !axis) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  auto ax = normalize_axis(*axis, params.rank());
  if (batch_dims < 0) batch_dims += static_cast<std::int64_t>(idx.rank());
  if (!ax || batch_dims < 0 || static_cast<std::size_t>(batch_dims) > idx.rank() ||
      static_cast<std::size_t>(batch_dims) > *ax) {
    ctx.error("gather axis/batch_dims out of range for params " + params.to_string() + " and indices " +
              idx.to_string());
    ctx.set_output(0, dtype, Shape());
    return;
  }
  std::vector<std::int64_t> dims(params.dims().begin(), params.dims().begin() + static_cast<std::ptrdiff_t>(*ax));
  dims.insert(dims.end(), idx.dims().begin() + batch_dims, idx.dims().end());
  dims.insert(dims.end(), params.dims().begin() + static_cast<std::ptrdiff_t>(*ax) + 1, params.dims().end());
  ctx.set_output(0, dtype, Shape(std::move(dims)));
  const auto* pv = ctx.input_ints(0);
  const auto* iv = ctx.input_ints(1);
  if (pv && iv && params.rank() == 1 && idx.rank() <= 1) {
    std::vector<std::int64_t> out;
    for (auto i : *iv) {
      if (i < 0 || static_cast<std::size_t>(i) >= pv->size()) return;
      out.push_back((*pv)[static_cast<std::size_t>(i)]);
    }
    ctx.set_output_ints(0, std::move(out));
  }
}

void gather_v2(InferenceContext& ctx) {
  const auto dtype = ctx.first_type_attr({"Tparams"}).value_or(ctx.input_dtype(0));
  gather_common(ctx, dtype, ctx.input_shape(0), scalar_input(ctx, 2), ctx.attr_int("batch_dims").value_or(0));
}

void gather_v1(InferenceContext& ctx) {
  const auto dtype = ctx.first_type_attr({"Tparams"}).value_or(ctx.input_dtype(0));
  gather_common(ctx, dtype, ctx.input_shape(0), 0, 0);
}

void gather_nd(InferenceContext& ctx) {
  const auto dtype = ctx.first_type_attr({"Tparams"}).value_or(ctx.input_dtype(0));
  const auto& params = ctx.input_shape(0);
  const auto& idx = ctx.input_shape(1);
  if (!params.has_rank() || !idx.has_rank() || idx.rank() == 0 || idx.dim(idx.rank() - 1) < 0) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const auto k = static_cast<std::size_t>(idx.dim(idx.rank() - 1));
  if (k > params.rank()) {
    ctx.error("gather_nd index depth " + std::to_string(k) + " exceeds params rank " + std::to_string(params.rank()));
    ctx.set_output(0, dtype, Shape());
    return;
  }
  std::vector<std::int64_t> dims(idx.dims().begin(), idx.dims().end() - 1);
  dims.insert(dims.end(), params.dims().begin() + static_cast<std::ptrdiff_t>(k), params.dims().end());
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void range(InferenceContext& ctx) {
  const auto dtype = ctx.first_type_attr({"Tidx"}).value_or(ctx.input_dtype(0));
  auto start = scalar_input(ctx, 0), limit = scalar_input(ctx, 1), delta = scalar_input(ctx, 2);
  if (!start || !limit || !delta) {
    ctx.set_output(0, dtype, Shape({kUnknown}));
    return;
  }
  if (*delta == 0) {
    ctx.error("range delta is 0");
    ctx.set_output(0, dtype, Shape({kUnknown}));
    return;
  }
  std::int64_t span;
  if (__builtin_sub_overflow(*limit, *start, &span) || span == kUnknownValue) {
    ctx.set_output(0, dtype, Shape({kUnknown}));
    return;
  }
  std::int64_t n = 0;
  if ((span > 0 && *delta > 0) || (span < 0 && *delta < 0)) {
    const auto a = span < 0 ? -span : span;
    const auto d = *delta < 0 ? -*delta : *delta;
    n = a / d + (a % d != 0 ? 1 : 0);
  }
  ctx.set_output(0, dtype, Shape({n}));
  if (static_cast<std::size_t>(n) <= kMaxTrackedValues) {
    std::vector<std::int64_t> v;
    for (std::int64_t i = 0; i < n; ++i) v.push_back(*start + i * *delta);
    ctx.set_output_ints(0, std::move(v));
  }
}

void one_hot(InferenceContext& ctx) {
  const auto dtype = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(2));
  const auto& idx = ctx.input_shape(0);
  auto depth = scalar_input(ctx, 1);
  if (!idx.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  const auto axis = ctx.attr_int("axis").value_or(-1);
  auto dims = idx.dims();
  std::size_t at = dims.size();
  if (axis != -1) {
    auto n = normalize_axis(axis, idx.rank() + 1);
    if (!n) {
      ctx.error("one_hot axis " + std::to_string(axis) + " is out of range");
      ctx.set_output(0, dtype, Shape());
      return;
    }
    at = *n;
  }
  dims.insert(dims.begin() + static_cast<std::ptrdiff_t>(at), depth && *depth >= 0 ? *depth : kUnknown);
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void where(InferenceContext& ctx) {
  if (ctx.num_inputs() >= 3) {  // TF1 Where with x and y is Select
    ctx.set_output(0, ctx.input_dtype(1), refine(ctx.input_shape(1), ctx.input_shape(2)));
    return;
  }
  const auto& in = ctx.input_shape(0);
  ctx.set_output(0, DType::Int64,
                 Shape({kUnknown, in.has_rank() ? static_cast<std::int64_t>(in.rank()) : kUnknown}));
}

void broadcast_to(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  auto target = shape_from_input(ctx, 1);
  const auto& in = ctx.input_shape(0);
  if (in.has_rank() && target.has_rank()) {
    if (in.rank() > target.rank()) {
      ctx.error("cannot broadcast " + in.to_string() + " to " + target.to_string());
    } else {
      auto dims = target.dims();
      for (std::size_t i = 0; i < in.rank(); ++i) {
        auto& t = dims[target.rank() - in.rank() + i];
        const auto d = in.dim(i);
        if (d >= 0 && t >= 0 && d != 1 && d != t) {
          ctx.error("cannot broadcast " + in.to_string() + " to " + target.to_string());
        }
        if (t < 0 && d > 1) t = d;
      }
      target = Shape(std::move(dims));
    }
  }
  ctx.set_output(0, dtype, target);
}

void dynamic_stitch(InferenceContext& ctx) {
  const std::size_t n = ctx.num_inputs() / 2;
  DType dtype = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(n));
  const auto& idx = ctx.input_shape(0);
  const auto& data = ctx.input_shape(n);
  if (!idx.has_rank() || !data.has_rank() || data.rank() < idx.rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  std::vector<std::int64_t> dims{kUnknown};
  dims.insert(dims.end(), data.dims().begin() + static_cast<std::ptrdiff_t>(idx.rank()), data.dims().end());
  // All indices known: the output length is the largest index + 1.
  std::int64_t max_index = -1;
  bool all_known = true;
  for (std::size_t i = 0; i < n && all_known; ++i) {
    const auto* v = ctx.input_ints(i);
    if (!v) { all_known = false; break; }
    for (auto x : *v) {
      if (x == kUnknownValue || x < 0) { all_known = false; break; }
      max_index = std::max(max_index, x);
    }
  }
  if (all_known && max_index < std::numeric_limits<std::int64_t>::max()) dims[0] = max_index + 1;
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void unique(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto idx_type = ctx.attr_type("out_idx").value_or(DType::Int32);
  ctx.set_output(0, dtype, Shape({kUnknown}));
  const auto& in = ctx.input_shape(0);
  ctx.set_output(1, idx_type, in.has_rank() && in.rank() == 1 ? in : Shape({kUnknown}));
  if (ctx.node().op == "UniqueWithCounts") ctx.set_output(2, idx_type, Shape({kUnknown}));
}

void scatter_nd(InferenceContext& ctx) {
  ctx.set_output(0, ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(1)), shape_from_input(ctx, 2));
}

void sparse_to_dense(InferenceContext& ctx) {
  ctx.set_output(0, ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(2)), shape_from_input(ctx, 1));
}

void depth_space(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  const auto b = ctx.attr_int("block_size").value_or(0);
  const bool nchw = ctx.attr_string("data_format").value_or("NHWC") == "NCHW";
  if (!in.has_rank() || in.rank() != 4 || b < 2) {
    ctx.set_output(0, dtype, unknown_dims(4));
    return;
  }
  const std::size_t h = nchw ? 2 : 1, w = nchw ? 3 : 2, c = nchw ? 1 : 3;
  auto dims = in.dims();
  const auto bb = mul_dims(b, b);
  if (ctx.node().op == "DepthToSpace") {
    dims[h] = mul_dims(in.dim(h), b);
    dims[w] = mul_dims(in.dim(w), b);
    if (in.dim(c) >= 0 && bb > 0 && in.dim(c) % bb != 0) {
      ctx.error("depth " + std::to_string(in.dim(c)) + " is not divisible by block_size^2");
    }
    dims[c] = in.dim(c) >= 0 && bb > 0 ? in.dim(c) / bb : kUnknown;
  } else {
    dims[h] = in.dim(h) >= 0 ? in.dim(h) / b : kUnknown;
    dims[w] = in.dim(w) >= 0 ? in.dim(w) / b : kUnknown;
    dims[c] = mul_dims(in.dim(c), bb);
  }
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void top_k(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  auto k = ctx.node().op == "TopK" ? ctx.attr_int("k") : scalar_input(ctx, 1);
  Shape out;
  if (in.has_rank() && in.rank() >= 1) {
    auto dims = in.dims();
    if (k && dims.back() >= 0 && *k > dims.back()) {
      ctx.error("top_k k=" + std::to_string(*k) + " exceeds last dim of " + in.to_string());
    }
    dims.back() = k && *k >= 0 ? *k : kUnknown;
    out = Shape(std::move(dims));
  }
  ctx.set_output(0, dtype, out);
  ctx.set_output(1, ctx.attr_type("index_type").value_or(DType::Int32), out);
}

void broadcast_gradient_args(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  ctx.set_output(0, dtype, Shape({kUnknown}));
  ctx.set_output(1, dtype, Shape({kUnknown}));
}

void bitcast(InferenceContext& ctx) {
  const auto to = ctx.attr_type("type").value_or(DType::Invalid);
  const auto from = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(0));
  const auto a = ir::dtype_size(from), b = ir::dtype_size(to);
  const auto& in = ctx.input_shape(0);
  if (!a || !b || !in.has_rank()) {
    ctx.set_output(0, to, Shape());
    return;
  }
  auto dims = in.dims();
  if (*a == *b) {
  } else if (*a > *b) {
    dims.push_back(static_cast<std::int64_t>(*a / *b));
  } else if (!dims.empty()) {
    dims.pop_back();
  }
  ctx.set_output(0, to, Shape(std::move(dims)));
}

void identity_n(InferenceContext& ctx) {
  for (std::size_t i = 0; i < ctx.num_inputs(); ++i) {
    ctx.set_output(i, ctx.input(i));
    if (const auto* v = ctx.input_ints(i)) ctx.set_output_ints(i, *v);
    if (const auto& h = ctx.input_value(i).handle) ctx.set_output_handle(i, *h);
  }
}

void random_op(InferenceContext& ctx) {
  ctx.set_output(0, ctx.first_type_attr({"dtype", "Tout", "T"}).value_or(DType::Invalid), shape_from_input(ctx, 0));
}

void random_uniform_int(InferenceContext& ctx) {
  ctx.set_output(0, ctx.first_type_attr({"Tout"}).value_or(ctx.input_dtype(1)), shape_from_input(ctx, 0));
}

void multinomial(InferenceContext& ctx) {
  const auto& logits = ctx.input_shape(0);
  auto n = scalar_input(ctx, 1);
  ctx.set_output(0, ctx.attr_type("output_dtype").value_or(DType::Int64),
                 Shape({logits.has_rank() && logits.rank() == 2 ? logits.dim(0) : kUnknown,
                        n && *n >= 0 ? *n : kUnknown}));
}

void strided_slice_grad(InferenceContext& ctx) {
  ctx.set_output(0, ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(4)), shape_from_input(ctx, 0));
}

void unsorted_segment(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& data = ctx.input_shape(0);
  const auto& ids = ctx.input_shape(1);
  auto n = scalar_input(ctx, 2);
  if (!data.has_rank() || !ids.has_rank() || ids.rank() > data.rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  std::vector<std::int64_t> dims{n && *n >= 0 ? *n : kUnknown};
  dims.insert(dims.end(), data.dims().begin() + static_cast<std::ptrdiff_t>(ids.rank()), data.dims().end());
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void bincount(InferenceContext& ctx) {
  auto n = scalar_input(ctx, 1);
  ctx.set_output(0, ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(2)), Shape({n && *n >= 0 ? *n : kUnknown}));
}

void ensure_shape(InferenceContext& ctx) {
  auto s = ctx.attr_shape("shape").value_or(Shape());
  ctx.set_output(0, elem_type(ctx), refine(ctx.input_shape(0), s));
}

void reverse_like(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), ctx.input_shape(0)); }

void invert_permutation(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), ctx.input_shape(0)); }

void matrix_band_part(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), ctx.input_shape(0)); }

}  // namespace

namespace {

constexpr void register_array(Registry& r) {
  r.emplace_back("Const", const_op);
  r.emplace_back("HostConst", const_op);
  r.emplace_back("Placeholder", placeholder);
  r.emplace_back("PlaceholderV2", placeholder);
  r.emplace_back("PlaceholderWithDefault", placeholder_with_default);
  for (auto op : {"Identity", "StopGradient", "Snapshot", "DebugIdentity", "RefIdentity", "Enter",
                  "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration",
                  "DeepCopy", "Print", "_Retval"}) {
    r.emplace_back(op, same_as_input);
  }
  r.emplace_back("IdentityN", identity_n);
  r.emplace_back("Shape", shape_op);
  r.emplace_back("ShapeN", shape_op);
  r.emplace_back("Size", size_op);
  r.emplace_back("Rank", rank_op);
  r.emplace_back("Reshape", reshape);
  r.emplace_back("Squeeze", squeeze);
  r.emplace_back("ExpandDims", expand_dims);
  r.emplace_back("Transpose", transpose);
  r.emplace_back("ConjugateTranspose", transpose);
  r.emplace_back("ConcatV2", concat_v2);
  r.emplace_back("Concat", concat_v1);
  r.emplace_back("ConcatOffset", concat_offset);
  r.emplace_back("Pack", pack);
  r.emplace_back("Unpack", unpack);
  r.emplace_back("Split", split);
  r.emplace_back("SplitV", split);
  r.emplace_back("Slice", slice);
  r.emplace_back("StridedSlice", strided_slice);
  r.emplace_back("Pad", pad);
  r.emplace_back("PadV2", pad);
  r.emplace_back("MirrorPad", pad);
  r.emplace_back("Fill", fill);
  r.emplace_back("Tile", tile);
  r.emplace_back("GatherV2", gather_v2);
  r.emplace_back("Gather", gather_v1);
  r.emplace_back("GatherNd", gather_nd);
  r.emplace_back("Range", range);
  r.emplace_back("OneHot", one_hot);
  r.emplace_back("Where", where);
  r.emplace_back("BroadcastTo", broadcast_to);
  r.emplace_back("DynamicStitch", dynamic_stitch);
  r.emplace_back("ParallelDynamicStitch", dynamic_stitch);
  r.emplace_back("Unique", unique);
  r.emplace_back("UniqueWithCounts", unique);
  r.emplace_back("ScatterNd", scatter_nd);
  r.emplace_back("SparseToDense", sparse_to_dense);
  r.emplace_back("DepthToSpace", depth_space);
  r.emplace_back("SpaceToDepth", depth_space);
  r.emplace_back("TopKV2", top_k);
  r.emplace_back("TopK", top_k);
  r.emplace_back("BroadcastGradientArgs", broadcast_gradient_args);
  r.emplace_back("Bitcast", bitcast);
  for (auto op : {"RandomUniform", "RandomStandardNormal", "TruncatedNormal", "StatelessRandomUniform",
                  "StatelessRandomNormal", "StatelessTruncatedNormal", "StatelessRandomUniformV2",
                  "StatelessRandomNormalV2", "StatelessTruncatedNormalV2", "StatelessRandomUniformFullInt",
                  "StatelessRandomUniformFullIntV2", "StatelessRandomUniformInt",
                  "StatelessRandomUniformIntV2", "StatelessRandomGetKeyCounter"}) {
    r.emplace_back(op, random_op);
  }
  r.emplace_back("RandomUniformInt", random_uniform_int);
  r.emplace_back("Multinomial", multinomial);
  r.emplace_back("StatelessMultinomial", multinomial);
  r.emplace_back("RandomShuffle", reverse_like);
  r.emplace_back("StridedSliceGrad", strided_slice_grad);
  for (auto op : {"UnsortedSegmentSum", "UnsortedSegmentMax", "UnsortedSegmentMin", "UnsortedSegmentProd"}) {
    r.emplace_back(op, unsorted_segment);
  }
  r.emplace_back("Bincount", bincount);
  r.emplace_back("EnsureShape", ensure_shape);
  r.emplace_back("ReverseV2", reverse_like);
  r.emplace_back("ReverseSequence", reverse_like);
  r.emplace_back("InvertPermutation", invert_permutation);
  r.emplace_back("MatrixBandPart", matrix_band_part);
}

constexpr auto kArrayShapes = make_shape_table<register_array>();

}  // namespace

constinit const ShapeTable array_shape_table{kArrayShapes};

}  // namespace litelint::passes::shape_inference
