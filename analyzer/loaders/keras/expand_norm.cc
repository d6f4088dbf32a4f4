// Normalization layers in inference mode.
#include "analyzer/loaders/keras/expanders.h"

#include <cmath>
#include <cstring>

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

Expected<std::vector<float>> floats(const Value& v, const ir::Tensor& t) {
  (void)v;
  if (t.dtype() != ir::DType::Float) return fail(ErrorCode::Unsupported, "normalization weights that are not float32");
  auto bytes = t.load();
  if (!bytes) return unexpected(bytes.error());
  std::vector<float> out(bytes->bytes.size() / 4);
  std::memcpy(out.data(), bytes->bytes.data(), out.size() * 4);
  return out;
}


}  // namespace

// BatchNormalization at inference: x * scale + offset with scale = gamma / sqrt(var + eps) and
// offset = beta - mean * scale, the arithmetic tf.nn.batch_normalization traces and the
// converter folds. The two constants are computed from the stored weights only when read.
Expected<std::vector<Value>> expand_batch_norm(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  const bool scale = cfg.value("scale", true), center = cfg.value("center", true);
  json axis = cfg.value("axis", json(-1));
  if (axis.is_array() && axis.size() == 1) axis = axis[0];
  const Value& x = in[0];
  const int rank = x.shape.has_rank() ? static_cast<int>(x.shape.rank()) : -1;
  if (!axis.is_number_integer() || !(axis.get<int>() == -1 || axis.get<int>() == rank - 1)) {
    return ctx.unsupported("BatchNormalization over an axis other than the last is not modelled");
  }
  std::vector<std::string> names;
  if (scale) names.push_back("gamma");
  if (center) names.push_back("beta");
  names.push_back("moving_mean");
  names.push_back("moving_variance");
  // Values, not Const nodes: the folded constants replace them.
  WeightRequest request{ctx.chain, "", "", names};
  if (ctx.weights == nullptr) return ctx.error("the model has no weights to read");
  auto w = ctx.weights->find(request);
  if (!w) return unexpected(w.error());
  const std::int64_t c = dim_or_unknown(x.shape, static_cast<std::size_t>(rank - 1));
  for (std::size_t i = 0; i < names.size(); ++i) {
    Value v{"", (*w)[i].dtype(), (*w)[i].shape()};
    if (auto r = expect_shape(ctx, v, names[i], {c}); !r) return unexpected(r.error());
  }
  const double eps = cfg.value("epsilon", 1e-3);
  const auto tensors = std::make_shared<std::vector<ir::Tensor>>(*w);
  const std::int64_t n = (*w)[0].shape().has_rank() && (*w)[0].shape().rank() == 1 ? (*w)[0].shape().dim(0) : -1;
  if (n < 0) return ctx.error("moving_mean has no fixed size");
  // Both constants come from one computation, cached in `folded`.
  auto folded = std::make_shared<std::optional<Expected<std::pair<std::vector<float>, std::vector<float>>>>>();
  auto mutex = std::make_shared<std::mutex>();
  auto compute = [tensors, scale, center, eps, folded, mutex]() {
    std::lock_guard lock(*mutex);
    if (!*folded) {
      *folded = [&]() -> Expected<std::pair<std::vector<float>, std::vector<float>>> {
        std::size_t i = 0;
        std::vector<float> gamma, beta;
        if (scale) {
          auto g = floats({}, (*tensors)[i++]);
          if (!g) return unexpected(g.error());
          gamma = std::move(*g);
        }
        if (center) {
          auto b = floats({}, (*tensors)[i++]);
          if (!b) return unexpected(b.error());
          beta = std::move(*b);
        }
        auto mean = floats({}, (*tensors)[i++]);
        if (!mean) return unexpected(mean.error());
        auto var = floats({}, (*tensors)[i++]);
        if (!var) return unexpected(var.error());
        const std::size_t n = mean->size();
        if (var->size() != n || (scale && gamma.size() != n) || (center && beta.size() != n)) {
          return fail(ErrorCode::BadInput, "BatchNormalization weights differ in size");
        }
        std::vector<float> mul(n), add(n);
        for (std::size_t k = 0; k < n; ++k) {
          const double inv = 1.0 / std::sqrt(static_cast<double>((*var)[k]) + eps);
          const double s = scale ? inv * gamma[k] : inv;
          mul[k] = static_cast<float>(s);
          add[k] = static_cast<float>((center ? beta[k] : 0.0) - (*mean)[k] * s);
        }
        return std::pair(std::move(mul), std::move(add));
      }();
    }
    return **folded;
  };
  auto make = [&](bool first) {
    ir::Tensor t(ir::DType::Float, ir::Shape({n}), [compute, first]() -> Expected<ir::TensorBytes> {
      auto r = compute();
      if (!r) return unexpected(r.error());
      auto data = std::make_shared<std::vector<float>>(first ? r->first : r->second);
      ir::TensorBytes b;
      b.bytes = std::as_bytes(std::span<const float>(*data));
      b.keep_alive = data;
      return b;
    });
    t.set_byte_size(static_cast<std::uint64_t>(n) * 4);
    return t;
  };
  GraphBuilder& b = ctx.b;
  Value mul = b.constant(make(true), "batchnorm/mul");
  Value add = b.constant(make(false), "batchnorm/sub");
  Value y = b.op("Mul", {x, mul}, {}, x.dtype, x.shape, true);
  y = b.op("AddV2", {y, add}, {}, x.dtype, x.shape);
  return std::vector<Value>{y};
}

// LayerNormalization over the last axis: moments, rsqrt(var + eps) * gamma, then
// x * inv + (beta - mean * inv), as Keras 3 traces it.
Expected<std::vector<Value>> expand_layer_norm(LayerContext& ctx, const std::vector<Value>& in) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  json axis = cfg.value("axis", json(-1));
  if (axis.is_array() && axis.size() == 1) axis = axis[0];
  const Value& x = in[0];
  const int rank = x.shape.has_rank() ? static_cast<int>(x.shape.rank()) : -1;
  if (!axis.is_number_integer() || !(axis.get<int>() == -1 || axis.get<int>() == rank - 1)) {
    return ctx.unsupported("LayerNormalization over axes other than the last is not modelled");
  }
  if (cfg.value("rms_scaling", false)) return ctx.unsupported("rms_scaling is not modelled");
  const bool scale = cfg.value("scale", true), center = cfg.value("center", true);
  std::vector<std::string> names;
  if (scale) names.push_back("gamma");
  if (center) names.push_back("beta");
  std::vector<Value> w;
  if (!names.empty()) {
    auto got = ctx.variables(names);
    if (!got) return unexpected(got.error());
    w = *got;
  }
  GraphBuilder& b = ctx.b;
  const float eps = cfg.value("epsilon", 1e-3f);
  ir::Shape reduced = with_last_dim(x.shape, 1);
  Value axes = b.const_i32({-1}, "moments/mean/reduction_indices");
  Value mean = b.op("Mean", {x, axes}, {{"keep_dims", attr_bool(true)}, {"Tidx", attr_type(ir::DType::Int32)}},
                    x.dtype, reduced);
  Value sq = b.op("SquaredDifference", {x, mean}, {}, x.dtype, x.shape);
  Value var = b.op("Mean", {sq, axes}, {{"keep_dims", attr_bool(true)}, {"Tidx", attr_type(ir::DType::Int32)}},
                   x.dtype, reduced);
  Value inv = b.op("AddV2", {var, b.const_f32({eps}, {}, "add/y")}, {}, x.dtype, reduced);
  inv = b.op("Rsqrt", {inv}, {}, x.dtype, reduced);
  std::size_t i = 0;
  if (scale) inv = b.op("Mul", {inv, w[i++]}, {}, x.dtype, x.shape);
  Value y = b.op("Mul", {x, inv}, {}, x.dtype, x.shape);
  Value shift = b.op("Mul", {mean, inv}, {}, x.dtype, x.shape);
  if (center) {
    shift = b.op("Sub", {w[i], shift}, {}, x.dtype, x.shape);
    y = b.op("AddV2", {y, shift}, {}, x.dtype, x.shape);
  } else {
    y = b.op("Sub", {y, shift}, {}, x.dtype, x.shape);
  }
  return std::vector<Value>{y};
}

}  // namespace litelint::analyzer::keras
