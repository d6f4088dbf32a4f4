// Core layers: Dense, activations, reshaping, Embedding, Rescaling.
#include "analyzer/loaders/keras/expanders.h"

#include <numeric>

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

Expected<std::vector<Value>> one(Expected<Value> v) {
  if (!v) return unexpected(v.error());
  return std::vector<Value>{*v};
}

}  // namespace

Expected<std::vector<Value>> expand_dense(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  const std::int64_t units = cfg.value("units", std::int64_t{0});
  const bool use_bias = cfg.value("use_bias", true);
  const Value& x = in[0];
  const std::int64_t k = x.shape.has_rank() && x.shape.rank() > 0 ? x.shape.dims().back() : -1;
  std::vector<std::string> names{"kernel"};
  if (use_bias) names.push_back("bias");
  auto w = ctx.variables(names);
  if (!w) return unexpected(w.error());
  if (auto r = expect_shape(ctx, (*w)[0], "kernel", {k, units}); !r) return unexpected(r.error());
  if (use_bias) {
    if (auto r = expect_shape(ctx, (*w)[1], "bias", {units}); !r) return unexpected(r.error());
  }
  GraphBuilder& b = ctx.b;
  const ir::Shape out = with_last_dim(x.shape, units);
  Value y;
  if (x.shape.has_rank() && x.shape.rank() == 2) {
    y = b.op("MatMul", {x, (*w)[0]}, {{"transpose_a", attr_bool(false)}, {"transpose_b", attr_bool(false)}},
             x.dtype, out);
  } else {
    // ops.matmul on a rank-3+ input broadcasts the kernel: BatchMatMulV2.
    y = b.op("BatchMatMulV2", {x, (*w)[0]}, {{"adj_x", attr_bool(false)}, {"adj_y", attr_bool(false)}}, x.dtype,
             out);
  }
  if (use_bias) y = b.op("BiasAdd", {y, (*w)[1]}, {{"data_format", attr_string("NHWC")}}, y.dtype, y.shape);
  return one(apply_activation(ctx, y, activation_name(cfg.value("activation", json("linear")))));
}

Expected<std::vector<Value>> expand_activation(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  return one(apply_activation(ctx, in[0], activation_name(ctx.cfg().value("activation", json("linear")))));
}

Expected<std::vector<Value>> expand_relu(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  const Value& x = in[0];
  GraphBuilder& b = ctx.b;
  const json max_value = cfg.value("max_value", json());
  const double slope = cfg.value("negative_slope", 0.0);
  const double threshold = cfg.value("threshold", 0.0);
  if (threshold != 0.0) return ctx.unsupported("ReLU with a threshold is not modelled");
  Value y = slope != 0.0 ? b.op("LeakyRelu", {x}, {{"alpha", attr_float(static_cast<float>(slope))}}, x.dtype, x.shape)
                         : Value{};
  if (max_value.is_number() && slope == 0.0 && max_value.get<double>() == 6.0) {
    return std::vector<Value>{b.op("Relu6", {x}, {}, x.dtype, x.shape)};
  }
  if (slope == 0.0) y = b.op("Relu", {x}, {}, x.dtype, x.shape);
  if (max_value.is_number()) {
    y = b.op("Minimum", {y, b.const_f32({static_cast<float>(max_value.get<double>())}, {}, "Minimum/y")}, {},
             x.dtype, x.shape);
  }
  return std::vector<Value>{y};
}

Expected<std::vector<Value>> expand_leaky_relu(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  // Keras 3 calls it negative_slope, Keras 2 alpha.
  const double a = ctx.cfg().value("negative_slope", ctx.cfg().value("alpha", 0.3));
  return std::vector<Value>{
      ctx.b.op("LeakyRelu", {in[0]}, {{"alpha", attr_float(static_cast<float>(a))}}, in[0].dtype, in[0].shape)};
}

Expected<std::vector<Value>> expand_elu(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  if (ctx.cfg().value("alpha", 1.0) != 1.0) return ctx.unsupported("ELU with alpha != 1 is not modelled");
  return std::vector<Value>{ctx.b.op("Elu", {in[0]}, {}, in[0].dtype, in[0].shape)};
}

Expected<std::vector<Value>> expand_softmax(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.empty()) return ctx.error("expects an input");
  const json axis = ctx.cfg().value("axis", json(-1));
  const int rank = in[0].shape.has_rank() ? static_cast<int>(in[0].shape.rank()) : -1;
  if (!(axis.is_number_integer() && (axis.get<int>() == -1 || axis.get<int>() == rank - 1))) {
    return ctx.unsupported("Softmax over an axis other than the last is not modelled");
  }
  return std::vector<Value>{ctx.b.op("Softmax", {in[0]}, {}, in[0].dtype, in[0].shape)};
}

Expected<std::vector<Value>> expand_prelu(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  auto w = ctx.variables({"alpha"});
  if (!w) return unexpected(w.error());
  GraphBuilder& b = ctx.b;
  const Value& x = in[0];
  // Keras: relu(x) - alpha * relu(-x).
  Value pos = b.op("Relu", {x}, {}, x.dtype, x.shape);
  Value neg = b.op("Neg", {x}, {}, x.dtype, x.shape);
  neg = b.op("Relu", {neg}, {}, x.dtype, x.shape);
  neg = b.op("Mul", {(*w)[0], neg}, {}, x.dtype, x.shape);
  return std::vector<Value>{b.op("Sub", {pos, neg}, {}, x.dtype, x.shape)};
}

Expected<std::vector<Value>> expand_reshape(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  auto target = ctx.cfg().value("target_shape", json::array());
  if (!target.is_array()) return ctx.error("target_shape is not a list");
  std::vector<std::int32_t> t{-1};
  std::vector<std::int64_t> dims{dim_or_unknown(in[0].shape, 0)};
  for (const json& d : target) {
    const int v = d.is_number_integer() ? d.get<int>() : -1;
    t.push_back(v);
    dims.push_back(v);
  }
  return std::vector<Value>{reshape_to(ctx.b, in[0], t, ir::Shape(dims))};
}

Expected<std::vector<Value>> expand_flatten(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const ir::Shape& s = in[0].shape;
  std::int64_t n = 1;
  if (s.has_rank()) {
    for (std::size_t i = 1; i < s.rank(); ++i) n = s.dim(i) < 0 || n < 0 ? -1 : n * s.dim(i);
  } else {
    n = -1;
  }
  if (n < 0) return ctx.unsupported("Flatten of an input with unknown dimensions is not modelled");
  return std::vector<Value>{reshape_to(ctx.b, in[0], {-1, static_cast<std::int32_t>(n)},
                                       ir::Shape({dim_or_unknown(s, 0), n}))};
}

Expected<std::vector<Value>> expand_permute(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  std::vector<std::int32_t> perm{0};
  std::vector<std::int64_t> dims{dim_or_unknown(in[0].shape, 0)};
  for (const json& d : ctx.cfg().value("dims", json::array())) {
    const int v = d.get<int>();
    perm.push_back(v);
    dims.push_back(dim_or_unknown(in[0].shape, static_cast<std::size_t>(v)));
  }
  Value p = ctx.b.const_i32(perm, "transpose/perm");
  return std::vector<Value>{ctx.b.op("Transpose", {in[0], p}, {{"Tperm", attr_type(ir::DType::Int32)}}, in[0].dtype,
                                     ir::Shape(dims))};
}

Expected<std::vector<Value>> expand_repeat_vector(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const std::int64_t n = ctx.cfg().value("n", std::int64_t{1});
  Value x = expand_dims(ctx.b, in[0], 1);
  Value m = ctx.b.const_i32({1, static_cast<std::int32_t>(n), 1}, "Tile/multiples");
  return std::vector<Value>{ctx.b.op("Tile", {x, m}, {{"Tmultiples", attr_type(ir::DType::Int32)}}, x.dtype,
                                     ir::Shape({dim_or_unknown(in[0].shape, 0), n, dim_or_unknown(in[0].shape, 1)}))};
}

Expected<std::vector<Value>> expand_embedding(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  auto w = ctx.variables({"embeddings"});
  if (!w) return unexpected(w.error());
  const std::int64_t input_dim = ctx.cfg().value("input_dim", std::int64_t{-1});
  const std::int64_t output_dim = ctx.cfg().value("output_dim", std::int64_t{-1});
  if (auto r = expect_shape(ctx, (*w)[0], "embeddings", {input_dim, output_dim}); !r) return unexpected(r.error());
  GraphBuilder& b = ctx.b;
  Value ids = in[0];
  if (ids.dtype != ir::DType::Int32 && ids.dtype != ir::DType::Int64) {
    ids = b.op("Cast", {ids}, {{"SrcT", attr_type(ids.dtype)}, {"DstT", attr_type(ir::DType::Int32)},
                               {"Truncate", attr_bool(false)}},
               ir::DType::Int32, ids.shape, false);
  }
  ir::Shape out;
  if (ids.shape.has_rank()) {
    auto d = ids.shape.dims();
    d.push_back(output_dim);
    out = ir::Shape(d);
  }
  Value axis = b.const_i32({0}, "GatherV2/axis", true);
  return std::vector<Value>{b.op("GatherV2", {(*w)[0], ids, axis},
                                 {{"Tparams", attr_type(ir::DType::Float)}, {"Tindices", attr_type(ids.dtype)},
                                  {"Taxis", attr_type(ir::DType::Int32)}, {"batch_dims", attr_int(0)}},
                                 ir::DType::Float, out, false)};
}

Expected<std::vector<Value>> expand_rescaling(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json scale = ctx.cfg().value("scale", json(1.0));
  const json offset = ctx.cfg().value("offset", json(0.0));
  if (!scale.is_number() || !offset.is_number()) return ctx.unsupported("per-channel Rescaling is not modelled");
  GraphBuilder& b = ctx.b;
  const Value& x = in[0];
  Value y = b.op("Mul", {x, b.const_f32({scale.get<float>()}, {}, "mul/y")}, {}, x.dtype, x.shape);
  y = b.op("AddV2", {y, b.const_f32({offset.get<float>()}, {}, "add/y")}, {}, x.dtype, x.shape);
  return std::vector<Value>{y};
}

}  // namespace litelint::analyzer::keras
