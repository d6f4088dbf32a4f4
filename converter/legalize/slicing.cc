// Reading and writing parts of a tensor: Slice, StridedSlice, Gather/GatherV2, GatherNd,
// ScatterNd and TensorScatterUpdate.
//
// StridedSlice follows TensorFlow's prepare pass: when the input rank and the bounds are
// known, new axes and the ellipsis are resolved here (a RESHAPE inserts the new unit dims and
// the slice is rewritten over the reshaped input), so that the STRIDED_SLICE kernel only sees
// begin/end/shrink masks; a slice that then selects everything is dropped.
#include <algorithm>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_slice(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto begin = i32_input(ctx, 1);
  if (!begin) return unexpected(begin.error());
  auto size = i32_input(ctx, 2);
  if (!size) return unexpected(size.error());
  ctx.emit("SLICE", {*x, *begin, *size}, {ctx.output(0)});
  return {};
}

struct SliceSpec {
  std::vector<std::int64_t> begin, end, strides;
  std::int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_mask = 0;
};

// The slice over every dim of the input with the new axes inserted (`reshaped`), without
// ellipsis or new-axis bits.
SliceSpec dense_spec(const SliceSpec& sparse, const std::vector<std::int64_t>& in_dims,
                     std::vector<std::int64_t>& reshaped) {
  const auto n = sparse.begin.size();
  std::size_t real = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ellipsis = (sparse.ellipsis_mask >> i) & 1;
    const bool new_axis = !ellipsis && ((sparse.new_axis_mask >> i) & 1);
    if (!ellipsis && !new_axis) ++real;
  }
  SliceSpec dense;
  std::size_t in = 0;
  auto full = [&](bool consumes) {
    const auto bit = static_cast<std::int32_t>(1u << dense.begin.size());
    dense.begin.push_back(0);
    dense.end.push_back(0);
    dense.strides.push_back(1);
    dense.begin_mask |= bit;
    dense.end_mask |= bit;
    reshaped.push_back(consumes ? in_dims[in++] : 1);
  };
  bool saw_ellipsis = false;
  for (std::size_t i = 0; i < n; ++i) {
    if ((sparse.ellipsis_mask >> i) & 1) {
      if (saw_ellipsis) continue;  // TensorFlow honours only the first ellipsis
      saw_ellipsis = true;
      for (std::size_t k = 0; k + real < in_dims.size(); ++k) full(true);
    } else if ((sparse.new_axis_mask >> i) & 1) {
      full(false);
    } else {
      const auto bit = static_cast<std::int32_t>(1u << dense.begin.size());
      dense.begin.push_back(sparse.begin[i]);
      dense.end.push_back(sparse.end[i]);
      dense.strides.push_back(sparse.strides[i]);
      if ((sparse.begin_mask >> i) & 1) dense.begin_mask |= bit;
      if ((sparse.end_mask >> i) & 1) dense.end_mask |= bit;
      if ((sparse.shrink_mask >> i) & 1) dense.shrink_mask |= bit;
      reshaped.push_back(in < in_dims.size() ? in_dims[in] : 1);
      ++in;
    }
  }
  while (in < in_dims.size()) full(true);
  return dense;
}

// True when the dense slice keeps every element of every dim in order.
bool selects_everything(const SliceSpec& s, const std::vector<std::int64_t>& dims) {
  if (s.shrink_mask != 0) return false;
  for (std::size_t i = 0; i < s.begin.size(); ++i) {
    if (s.strides[i] != 1) return false;
    const bool from_start = ((s.begin_mask >> i) & 1) || s.begin[i] == 0;
    const bool to_end = ((s.end_mask >> i) & 1) || (dims[i] >= 0 && s.end[i] >= dims[i]);
    if (!from_start || !to_end) return false;
  }
  return true;
}

Expected<void> emit_strided_slice(LoweringContext& ctx, std::int32_t x, std::int32_t begin, std::int32_t end,
                                  std::int32_t strides, const SliceSpec& s) {
  auto& op = ctx.emit("STRIDED_SLICE", {x, begin, end, strides}, {ctx.output(0)});
  tflite::StridedSliceOptionsT options;
  options.begin_mask = s.begin_mask;
  options.end_mask = s.end_mask;
  options.ellipsis_mask = s.ellipsis_mask;
  options.new_axis_mask = s.new_axis_mask;
  options.shrink_axis_mask = s.shrink_mask;
  op.options.Set(std::move(options));
  return {};
}

// The dims of the tensor whose SHAPE produced `t` (-1 where dynamic), or nullopt when `t` is not
// a SHAPE result.
std::optional<std::vector<std::int64_t>> shape_source_dims(LoweringContext& ctx, std::int32_t t) {
  const auto& ops = ctx.builder().subgraph().operators;
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
    if (std::find(it->outputs.begin(), it->outputs.end(), t) == it->outputs.end()) continue;
    if (it->builtin != tflite::BuiltinOperator::SHAPE || it->inputs.empty()) return std::nullopt;
    const auto& source = ctx.tensor(it->inputs[0]);
    if (!source.has_rank) return std::nullopt;
    return std::vector<std::int64_t>(source.signature.begin(), source.signature.end());
  }
  return std::nullopt;
}

// A slice of a 1-D SHAPE result that picks only static dims is a constant: TensorFlow's
// converter folds it (Keras' Repeat and Reshape read the static dims of a dynamic-batch
// tensor this way), leaving the SHAPE to the dead-operator pass when nothing else reads it.
bool fold_static_dims(LoweringContext& ctx, std::int32_t x, const SliceSpec& s) {
  if (s.ellipsis_mask != 0 || s.new_axis_mask != 0 || s.begin.size() != 1) return false;
  const auto dims = shape_source_dims(ctx, x);
  if (!dims) return false;
  const auto n = static_cast<std::int64_t>(dims->size());
  const auto stride = s.strides[0];
  if (stride == 0) return false;
  auto resolve = [&](std::int64_t v, bool masked, bool is_begin) {
    if (masked && is_begin) return stride > 0 ? std::int64_t{0} : n - 1;
    if (masked) return stride > 0 ? n : std::int64_t{-1};
    if (v < 0) v += n;
    return stride > 0 ? std::clamp<std::int64_t>(v, 0, n) : std::clamp<std::int64_t>(v, -1, n - 1);
  };
  std::vector<std::int64_t> picked;
  const bool shrink = s.shrink_mask & 1;
  if (shrink) {
    const auto i = s.begin[0] < 0 ? s.begin[0] + n : s.begin[0];
    if (i < 0 || i >= n) return false;
    picked.push_back((*dims)[i]);
  } else {
    const auto b = resolve(s.begin[0], s.begin_mask & 1, true);
    const auto e = resolve(s.end[0], s.end_mask & 1, false);
    for (auto i = b; stride > 0 ? i < e : i > e; i += stride) picked.push_back((*dims)[i]);
  }
  if (std::any_of(picked.begin(), picked.end(), [](auto d) { return d < 0; })) return false;
  const auto dtype = ctx.input_type(0).dtype;
  ctx.set_constant(0, ConstValue::from_ints(dtype, shrink ? ir::Shape::scalar() : ir::Shape({static_cast<std::int64_t>(picked.size())}), picked));
  return true;
}

Expected<void> lower_strided_slice(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  SliceSpec sparse;
  sparse.begin_mask = static_cast<std::int32_t>(ctx.attr_int("begin_mask", 0));
  sparse.end_mask = static_cast<std::int32_t>(ctx.attr_int("end_mask", 0));
  sparse.ellipsis_mask = static_cast<std::int32_t>(ctx.attr_int("ellipsis_mask", 0));
  sparse.new_axis_mask = static_cast<std::int32_t>(ctx.attr_int("new_axis_mask", 0));
  sparse.shrink_mask = static_cast<std::int32_t>(ctx.attr_int("shrink_axis_mask", 0));
  const auto& in_shape = ctx.input_type(0).shape;
  auto begin = const_ints(ctx, 1);
  auto end = const_ints(ctx, 2);
  auto strides = const_ints(ctx, 3);
  if (begin && end && strides && begin->size() == 1 && end->size() == 1 && strides->size() == 1) {
    SliceSpec one = sparse;
    one.begin = *begin;
    one.end = *end;
    one.strides = *strides;
    if (fold_static_dims(ctx, *x, one)) return {};
  }
  const bool resolvable = (sparse.ellipsis_mask != 0 || sparse.new_axis_mask != 0) && in_shape.has_rank() &&
                          begin && end && strides && begin->size() == end->size() &&
                          begin->size() == strides->size();
  if (!resolvable) {
    auto b = i32_input(ctx, 1);
    if (!b) return unexpected(b.error());
    auto e = i32_input(ctx, 2);
    if (!e) return unexpected(e.error());
    auto st = i32_input(ctx, 3);
    if (!st) return unexpected(st.error());
    return emit_strided_slice(ctx, *x, *b, *e, *st, sparse);
  }
  sparse.begin = std::move(*begin);
  sparse.end = std::move(*end);
  sparse.strides = std::move(*strides);
  std::vector<std::int64_t> reshaped;
  const SliceSpec dense = dense_spec(sparse, in_shape.dims(), reshaped);
  std::int32_t source = *x;
  const bool everything = selects_everything(dense, reshaped);
  if (reshaped.size() != in_shape.rank()) {
    // Unknown dims stay -1: RESHAPE infers one of them; with more, keep the kernel's masks.
    if (std::count(reshaped.begin(), reshaped.end(), -1) > 1) {
      auto b = i32_input(ctx, 1);
      if (!b) return unexpected(b.error());
      auto e = i32_input(ctx, 2);
      if (!e) return unexpected(e.error());
      auto st = i32_input(ctx, 3);
      if (!st) return unexpected(st.error());
      return emit_strided_slice(ctx, *x, *b, *e, *st, sparse);
    }
    const auto reshaped_tensor =
        everything ? ctx.output(0) : ctx.add_tensor("reshaped", {ctx.input_type(0).dtype, ir::Shape(reshaped)});
    emit_reshape(ctx, *x, reshaped, reshaped_tensor);
    if (everything) return {};
    source = reshaped_tensor;
  }
  const auto shape = std::vector<std::int64_t>{static_cast<std::int64_t>(dense.begin.size())};
  return emit_strided_slice(ctx, source, i32_constant(ctx, "begin", dense.begin, shape),
                            i32_constant(ctx, "end", dense.end, shape),
                            i32_constant(ctx, "strides", dense.strides, shape), dense);
}

Expected<void> emit_gather(LoweringContext& ctx, std::int64_t axis, std::int64_t batch_dims) {
  auto params = ctx.input(0);
  if (!params) return unexpected(params.error());
  auto indices = ctx.input(1);
  if (!indices) return unexpected(indices.error());
  auto& op = ctx.emit("GATHER", {*params, *indices}, {ctx.output(0)});
  tflite::GatherOptionsT options;
  options.axis = static_cast<std::int32_t>(axis);
  options.batch_dims = static_cast<std::int32_t>(batch_dims);
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_gather_v2(LoweringContext& ctx) {
  const ConstValue* axis = ctx.constant(2);
  const auto value = axis != nullptr ? axis->scalar_int() : std::nullopt;
  if (!value) return ctx.fail("the axis operand is not a constant");
  return emit_gather(ctx, *value, ctx.attr_int("batch_dims", 0));
}

Expected<void> lower_gather(LoweringContext& ctx) { return emit_gather(ctx, 0, 0); }

Expected<void> lower_gather_nd(LoweringContext& ctx) {
  auto params = ctx.input(0);
  if (!params) return unexpected(params.error());
  auto indices = ctx.input(1);
  if (!indices) return unexpected(indices.error());
  ctx.emit("GATHER_ND", {*params, *indices}, {ctx.output(0)});
  return {};
}

tfl::Operator& emit_scatter_nd(LoweringContext& ctx, std::int32_t indices, std::int32_t updates, std::int32_t shape,
                               std::int32_t out) {
  auto& op = ctx.emit("SCATTER_ND", {indices, updates, shape}, {out});
  op.options.Set(tflite::ScatterNdOptionsT{});
  return op;
}

Expected<void> lower_scatter_nd(LoweringContext& ctx) {
  auto indices = i32_input(ctx, 0);
  if (!indices) return unexpected(indices.error());
  auto updates = ctx.input(1);
  if (!updates) return unexpected(updates.error());
  auto shape = i32_input(ctx, 2);
  if (!shape) return unexpected(shape.error());
  emit_scatter_nd(ctx, *indices, *updates, *shape, ctx.output(0));
  return {};
}

// The shape of input i as an int32 tensor: a constant when static, else SHAPE.
Expected<std::int32_t> shape_of(LoweringContext& ctx, std::size_t i, std::string_view suffix) {
  const auto& type = ctx.input_type(i);
  if (type.shape.is_fully_defined()) return i32_constant(ctx, suffix, type.shape.dims());
  if (!type.shape.has_rank()) return ctx.fail("an operand of unknown rank");
  auto x = ctx.input(i);
  if (!x) return x;
  const auto out =
      ctx.add_tensor(suffix, {ir::DType::Int32, ir::Shape({static_cast<std::int64_t>(type.shape.rank())})});
  auto& op = ctx.emit("SHAPE", {*x}, {out});
  tflite::ShapeOptionsT options;
  options.out_type = tflite::TensorType::INT32;
  op.options.Set(std::move(options));
  return out;
}

// TensorFlow's lower_tf: tensor * (1 - ScatterNd(indices, ones_like(updates))) +
// ScatterNd(indices, updates), with ones_like as BroadcastTo(1, shape(updates)).
Expected<void> lower_tensor_scatter_update(LoweringContext& ctx) {
  const auto dtype = ctx.input_type(0).dtype;
  if (dtype == ir::DType::Bool || dtype == ir::DType::String) {
    return ctx.fail("TensorScatterUpdate of bool or string tensors is not lowered");
  }
  auto tensor = ctx.input(0);
  if (!tensor) return unexpected(tensor.error());
  auto indices = i32_input(ctx, 1);
  if (!indices) return unexpected(indices.error());
  auto updates = ctx.input(2);
  if (!updates) return unexpected(updates.error());
  auto shape = shape_of(ctx, 0, "shape");
  if (!shape) return unexpected(shape.error());
  const auto& updates_type = ctx.input_type(2);
  const double one[] = {1.0};
  auto scalar_one = ctx.add_constant("one", ConstValue::from_doubles(dtype, ir::Shape::scalar(), one));
  if (!scalar_one) return unexpected(scalar_one.error());
  std::int32_t ones = -1;
  if (ctx.is_constant(2) && updates_type.shape.is_fully_defined()) {
    std::vector<double> v(static_cast<std::size_t>(*updates_type.shape.num_elements()), 1.0);
    auto c = ctx.add_constant("ones", ConstValue::from_doubles(dtype, updates_type.shape, v));
    if (!c) return unexpected(c.error());
    ones = *c;
  } else {
    auto updates_shape = shape_of(ctx, 2, "updates_shape");
    if (!updates_shape) return unexpected(updates_shape.error());
    ones = ctx.add_tensor("ones", updates_type);
    ctx.emit("BROADCAST_TO", {*scalar_one, *updates_shape}, {ones});
  }
  const auto out_type = ctx.output_type(0);
  const auto mask = ctx.add_tensor("mask", out_type);
  emit_scatter_nd(ctx, *indices, ones, *shape, mask);
  const auto keep = ctx.add_tensor("keep", out_type);
  ctx.emit("SUB", {*scalar_one, mask}, {keep}).options.Set(tflite::SubOptionsT{});
  const auto kept = ctx.add_tensor("kept", out_type);
  ctx.emit("MUL", {*tensor, keep}, {kept}).options.Set(tflite::MulOptionsT{});
  const auto scattered = ctx.add_tensor("scattered", out_type);
  emit_scatter_nd(ctx, *indices, *updates, *shape, scattered);
  ctx.emit("ADD", {kept, scattered}, {ctx.output(0)}).options.Set(tflite::AddOptionsT{});
  return {};
}

}  // namespace

std::span<const Lowering> slicing() {
  static constexpr Lowering kLowerings[] = {
      {"Gather", lower_gather},
      {"GatherNd", lower_gather_nd},
      {"GatherV2", lower_gather_v2},
      {"ScatterNd", lower_scatter_nd},
      {"Slice", lower_slice},
      {"StridedSlice", lower_strided_slice},
      {"TensorScatterUpdate", lower_tensor_scatter_update},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
