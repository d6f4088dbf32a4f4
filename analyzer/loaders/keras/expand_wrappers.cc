// TimeDistributed: the wrapped layer applied to every time step, traced as a Reshape that
// folds time into the batch, the layer's own ops, and a Reshape back.
#include "analyzer/loaders/keras/expanders.h"

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {

Expected<std::vector<Value>> expand_time_distributed(LayerContext& ctx, const std::vector<Value>& in) {
  using json = nlohmann::json;
  if (in.size() != 1) return ctx.error("expects one input");
  const json inner = ctx.cfg().value("layer", json::object());
  Layer layer;
  layer.class_name = inner.value("class_name", "");
  if (auto p = layer.class_name.rfind('>'); p != std::string::npos) layer.class_name = layer.class_name.substr(p + 1);
  layer.config = inner.value("config", json::object());
  layer.name = layer.config.value("name", layer.class_name);
  const Expander expand = find_expander(layer.class_name);
  if (expand == nullptr || is_model_class(layer.class_name)) {
    return ctx.unsupported("TimeDistributed over '" + layer.class_name + "' is not modelled");
  }
  const Value& x = in[0];
  if (!x.shape.has_rank() || x.shape.rank() < 3) return ctx.unsupported("TimeDistributed over an input of rank < 3");
  std::vector<std::int32_t> folded{-1};
  std::vector<std::int64_t> folded_dims{-1};
  for (std::size_t i = 2; i < x.shape.rank(); ++i) {
    if (x.shape.dim(i) < 0) return ctx.unsupported("TimeDistributed over an input with unknown inner dimensions");
    folded.push_back(static_cast<std::int32_t>(x.shape.dim(i)));
    folded_dims.push_back(x.shape.dim(i));
  }
  const std::int64_t steps = x.shape.dim(1);
  if (steps < 0) return ctx.unsupported("TimeDistributed over a sequence of unknown length");
  Value flat = reshape_to(ctx.b, x, folded, ir::Shape(folded_dims));
  LayerContext inner_ctx{ctx.b, layer, ctx.chain, ctx.weights, ctx.call, ctx.weight_cache, "layer", layer.name};
  auto y = expand(inner_ctx, {flat});
  if (!y) return y;
  const Value& v = y->front();
  if (!v.shape.has_rank()) return ctx.unsupported("TimeDistributed over a layer whose output shape is unknown");
  std::vector<std::int32_t> back{-1, static_cast<std::int32_t>(steps)};
  std::vector<std::int64_t> back_dims{x.shape.dim(0), steps};
  for (std::size_t i = 1; i < v.shape.rank(); ++i) {
    if (v.shape.dim(i) < 0) return ctx.unsupported("TimeDistributed over a layer with unknown output dimensions");
    back.push_back(static_cast<std::int32_t>(v.shape.dim(i)));
    back_dims.push_back(v.shape.dim(i));
  }
  return std::vector<Value>{reshape_to(ctx.b, v, back, ir::Shape(back_dims))};
}

}  // namespace litelint::analyzer::keras
