// Pooling, padding, cropping and upsampling layers.
#include "analyzer/loaders/keras/expanders.h"

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

Expected<std::vector<Value>> pool(LayerContext& ctx, const std::vector<Value>& in, int rank, bool max) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  if (channels_first(cfg)) return ctx.unsupported("data_format='channels_first' is not modelled");
  auto k = int_list(cfg, "pool_size", static_cast<std::size_t>(rank), 2);
  auto s = cfg.contains("strides") && !cfg["strides"].is_null() ? int_list(cfg, "strides", static_cast<std::size_t>(rank), 1)
                                                                 : k;
  const bool same = cfg.value("padding", "valid") == "same";
  GraphBuilder& b = ctx.b;
  Value x = in[0];
  if (rank == 1) {
    x = expand_dims(b, x, 1);
    k.insert(k.begin(), 1);
    s.insert(s.begin(), 1);
  }
  const std::size_t r = rank == 3 ? 3 : 2;
  std::vector<std::int64_t> ksize{1}, strides{1}, dims{dim_or_unknown(x.shape, 0)};
  for (std::size_t i = 0; i < r; ++i) {
    ksize.push_back(k[i]);
    strides.push_back(s[i]);
    dims.push_back(conv_out_dim(dim_or_unknown(x.shape, i + 1), k[i], s[i], 1, same));
  }
  ksize.push_back(1);
  strides.push_back(1);
  dims.push_back(dim_or_unknown(x.shape, r + 1));
  std::string op = max ? "MaxPool" : "AvgPool";
  if (rank == 3) op += "3D";
  Value y = b.op(op, {x},
                 {{"ksize", attr_ints(ksize)}, {"strides", attr_ints(strides)},
                  {"padding", attr_string(same ? "SAME" : "VALID")},
                  {"data_format", attr_string(rank == 3 ? "NDHWC" : "NHWC")}},
                 x.dtype, ir::Shape(dims));
  if (rank == 1) y = squeeze(b, y, 1);
  return std::vector<Value>{y};
}

Expected<std::vector<Value>> global_pool(LayerContext& ctx, const std::vector<Value>& in, int rank, bool max) {
  if (in.size() != 1) return ctx.error("expects one input");
  if (channels_first(ctx.cfg())) return ctx.unsupported("data_format='channels_first' is not modelled");
  const bool keep = ctx.cfg().value("keepdims", false);
  std::vector<std::int32_t> axes;
  for (int i = 1; i <= rank; ++i) axes.push_back(i);
  const Value& x = in[0];
  std::vector<std::int64_t> dims{dim_or_unknown(x.shape, 0)};
  if (keep) dims.insert(dims.end(), static_cast<std::size_t>(rank), 1);
  dims.push_back(dim_or_unknown(x.shape, static_cast<std::size_t>(rank + 1)));
  Value a = ctx.b.const_i32(axes, max ? "Max/reduction_indices" : "Mean/reduction_indices");
  return std::vector<Value>{ctx.b.op(max ? "Max" : "Mean", {x, a},
                                     {{"keep_dims", attr_bool(keep)}, {"Tidx", attr_type(ir::DType::Int32)}},
                                     x.dtype, ir::Shape(dims))};
}

// ((before, after), ...) per spatial axis from an int, a pair, or a list of pairs.
std::vector<std::pair<std::int64_t, std::int64_t>> pad_pairs(const json& v, std::size_t rank) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out(rank, {0, 0});
  if (v.is_number_integer()) {
    for (auto& p : out) p = {v.get<std::int64_t>(), v.get<std::int64_t>()};
    return out;
  }
  if (!v.is_array()) return out;
  if (rank == 1 && v.size() == 2 && v[0].is_number_integer()) return {{v[0].get<std::int64_t>(), v[1].get<std::int64_t>()}};
  for (std::size_t i = 0; i < rank && i < v.size(); ++i) {
    if (v[i].is_number_integer()) {
      out[i] = {v[i].get<std::int64_t>(), v[i].get<std::int64_t>()};
    } else if (v[i].is_array() && v[i].size() == 2) {
      out[i] = {v[i][0].get<std::int64_t>(), v[i][1].get<std::int64_t>()};
    }
  }
  return out;
}

Expected<std::vector<Value>> zero_pad(LayerContext& ctx, const std::vector<Value>& in, int rank) {
  if (in.size() != 1) return ctx.error("expects one input");
  if (channels_first(ctx.cfg())) return ctx.unsupported("data_format='channels_first' is not modelled");
  auto pads = pad_pairs(ctx.cfg().value("padding", json(1)), static_cast<std::size_t>(rank));
  const Value& x = in[0];
  std::vector<std::int32_t> flat{0, 0};
  std::vector<std::int64_t> dims{dim_or_unknown(x.shape, 0)};
  for (std::size_t i = 0; i < pads.size(); ++i) {
    flat.push_back(static_cast<std::int32_t>(pads[i].first));
    flat.push_back(static_cast<std::int32_t>(pads[i].second));
    const std::int64_t d = dim_or_unknown(x.shape, i + 1);
    dims.push_back(d < 0 ? d : d + pads[i].first + pads[i].second);
  }
  flat.push_back(0);
  flat.push_back(0);
  dims.push_back(dim_or_unknown(x.shape, static_cast<std::size_t>(rank + 1)));
  Value p = ctx.b.const_i32_shaped(flat, {rank + 2, 2}, "Pad/paddings");
  return std::vector<Value>{
      ctx.b.op("Pad", {x, p}, {{"Tpaddings", attr_type(ir::DType::Int32)}}, x.dtype, ir::Shape(dims))};
}

Expected<std::vector<Value>> crop(LayerContext& ctx, const std::vector<Value>& in, int rank) {
  if (in.size() != 1) return ctx.error("expects one input");
  if (channels_first(ctx.cfg())) return ctx.unsupported("data_format='channels_first' is not modelled");
  auto crops = pad_pairs(ctx.cfg().value("cropping", json(0)), static_cast<std::size_t>(rank));
  const Value& x = in[0];
  std::vector<std::int32_t> begin{0}, size{-1};
  std::vector<std::int64_t> dims{dim_or_unknown(x.shape, 0)};
  for (std::size_t i = 0; i < crops.size(); ++i) {
    const std::int64_t d = dim_or_unknown(x.shape, i + 1);
    if (d < 0) return ctx.unsupported("cropping an axis of unknown size is not modelled");
    begin.push_back(static_cast<std::int32_t>(crops[i].first));
    const std::int64_t n = d - crops[i].first - crops[i].second;
    size.push_back(static_cast<std::int32_t>(n));
    dims.push_back(n);
  }
  begin.push_back(0);
  size.push_back(-1);
  dims.push_back(dim_or_unknown(x.shape, static_cast<std::size_t>(rank + 1)));
  Value bv = ctx.b.const_i32(begin, "Slice/begin");
  Value sv = ctx.b.const_i32(size, "Slice/size");
  return std::vector<Value>{ctx.b.op("Slice", {x, bv, sv}, {{"Index", attr_type(ir::DType::Int32)}}, x.dtype,
                                     ir::Shape(dims))};
}

}  // namespace

Expected<std::vector<Value>> expand_max_pool1d(LayerContext& c, const std::vector<Value>& in) { return pool(c, in, 1, true); }
Expected<std::vector<Value>> expand_max_pool2d(LayerContext& c, const std::vector<Value>& in) { return pool(c, in, 2, true); }
Expected<std::vector<Value>> expand_max_pool3d(LayerContext& c, const std::vector<Value>& in) { return pool(c, in, 3, true); }
Expected<std::vector<Value>> expand_avg_pool1d(LayerContext& c, const std::vector<Value>& in) { return pool(c, in, 1, false); }
Expected<std::vector<Value>> expand_avg_pool2d(LayerContext& c, const std::vector<Value>& in) { return pool(c, in, 2, false); }
Expected<std::vector<Value>> expand_avg_pool3d(LayerContext& c, const std::vector<Value>& in) { return pool(c, in, 3, false); }
Expected<std::vector<Value>> expand_global_avg_pool1d(LayerContext& c, const std::vector<Value>& in) { return global_pool(c, in, 1, false); }
Expected<std::vector<Value>> expand_global_avg_pool2d(LayerContext& c, const std::vector<Value>& in) { return global_pool(c, in, 2, false); }
Expected<std::vector<Value>> expand_global_avg_pool3d(LayerContext& c, const std::vector<Value>& in) { return global_pool(c, in, 3, false); }
Expected<std::vector<Value>> expand_global_max_pool1d(LayerContext& c, const std::vector<Value>& in) { return global_pool(c, in, 1, true); }
Expected<std::vector<Value>> expand_global_max_pool2d(LayerContext& c, const std::vector<Value>& in) { return global_pool(c, in, 2, true); }
Expected<std::vector<Value>> expand_global_max_pool3d(LayerContext& c, const std::vector<Value>& in) { return global_pool(c, in, 3, true); }
Expected<std::vector<Value>> expand_zero_pad1d(LayerContext& c, const std::vector<Value>& in) { return zero_pad(c, in, 1); }
Expected<std::vector<Value>> expand_zero_pad2d(LayerContext& c, const std::vector<Value>& in) { return zero_pad(c, in, 2); }
Expected<std::vector<Value>> expand_zero_pad3d(LayerContext& c, const std::vector<Value>& in) { return zero_pad(c, in, 3); }
Expected<std::vector<Value>> expand_crop1d(LayerContext& c, const std::vector<Value>& in) { return crop(c, in, 1); }
Expected<std::vector<Value>> expand_crop2d(LayerContext& c, const std::vector<Value>& in) { return crop(c, in, 2); }

Expected<std::vector<Value>> expand_upsampling1d(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const std::int64_t n = ctx.cfg().value("size", std::int64_t{2});
  const Value& x = in[0];
  const std::int64_t t = dim_or_unknown(x.shape, 1), c = dim_or_unknown(x.shape, 2);
  if (t < 0 || c < 0) return ctx.unsupported("UpSampling1D of unknown length is not modelled");
  // ops.repeat(x, n, axis=1): [N, T, C] -> [N, T, 1, C] -> tile -> [N, T*n, C].
  Value e = expand_dims(ctx.b, x, 2);
  Value m = ctx.b.const_i32({1, 1, static_cast<std::int32_t>(n), 1}, "Tile/multiples");
  Value tiled = ctx.b.op("Tile", {e, m}, {{"Tmultiples", attr_type(ir::DType::Int32)}}, x.dtype,
                         ir::Shape({dim_or_unknown(x.shape, 0), t, n, c}));
  return std::vector<Value>{reshape_to(ctx.b, tiled, {-1, static_cast<std::int32_t>(t * n), static_cast<std::int32_t>(c)},
                                       ir::Shape({dim_or_unknown(x.shape, 0), t * n, c}))};
}

Expected<std::vector<Value>> expand_upsampling2d(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  if (channels_first(ctx.cfg())) return ctx.unsupported("data_format='channels_first' is not modelled");
  auto size = int_list(ctx.cfg(), "size", 2, 2);
  const std::string interp = ctx.cfg().value("interpolation", "nearest");
  const Value& x = in[0];
  const std::int64_t h = dim_or_unknown(x.shape, 1), w = dim_or_unknown(x.shape, 2);
  const std::int64_t oh = h < 0 ? -1 : h * size[0], ow = w < 0 ? -1 : w * size[1];
  GraphBuilder& b = ctx.b;
  Value sz;
  if (h >= 0 && w >= 0) {
    sz = b.const_i32({static_cast<std::int32_t>(oh), static_cast<std::int32_t>(ow)}, "resize/size");
  } else {
    // Spatial size known only at run time: Shape(x)[1:3] * size.
    Value shape = b.op("Shape", {x}, {{"out_type", attr_type(ir::DType::Int32)}}, ir::DType::Int32, ir::Shape({4}));
    Value hw = b.op("StridedSlice",
                    {shape, b.const_i32({1}, "strided_slice/stack"), b.const_i32({3}, "strided_slice/stack_1"),
                     b.const_i32({1}, "strided_slice/stack_2")},
                    {{"Index", attr_type(ir::DType::Int32)}, {"begin_mask", attr_int(0)}, {"end_mask", attr_int(0)},
                     {"ellipsis_mask", attr_int(0)}, {"new_axis_mask", attr_int(0)}, {"shrink_axis_mask", attr_int(0)}},
                    ir::DType::Int32, ir::Shape({2}));
    sz = b.op("Mul", {hw, b.const_i32({static_cast<std::int32_t>(size[0]), static_cast<std::int32_t>(size[1])}, "mul/y")}, {},
              ir::DType::Int32, ir::Shape({2}));
  }
  std::string op;
  if (interp == "nearest") {
    op = "ResizeNearestNeighbor";
  } else if (interp == "bilinear") {
    op = "ResizeBilinear";
  } else {
    return ctx.unsupported("UpSampling2D interpolation '" + interp + "' is not modelled");
  }
  return std::vector<Value>{ctx.b.op(op, {x, sz}, {{"align_corners", attr_bool(false)}, {"half_pixel_centers", attr_bool(interp == "bilinear")}},
                                     x.dtype, ir::Shape({dim_or_unknown(x.shape, 0), oh, ow, dim_or_unknown(x.shape, 3)}))};
}

}  // namespace litelint::analyzer::keras
