// MaxPool3D / AvgPool3D (LL101: no TFLite builtin) as two 2-D pools: fold depth into the batch
// and pool height and width (MAX_POOL_2D / AVERAGE_POOL_2D), then fold height and width into
// one axis and pool depth with a [kd, 1] window. A 3-D window is the product of the per-axis
// windows, and so is its part inside the input under SAME padding, so the max of maxes is the
// max (exact) and the mean of means is the mean (the same value up to the rounding of the
// two divisions): safe.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

struct Plan {
  std::string pool2d;  ///< "MaxPool" or "AvgPool"
  std::vector<std::int64_t> in;  ///< [N, D, H, W, C]; N may be unknown (-1)
  std::vector<std::int64_t> k, s;  ///< window and strides over D, H, W
  std::string padding;
};

std::int64_t out_size(std::int64_t in, std::int64_t k, std::int64_t s, const std::string& padding) {
  return padding == "SAME" ? (in + s - 1) / s : (in - k) / s + 1;
}

std::optional<std::vector<std::int64_t>> five(const ir::Node& node, std::string_view key) {
  const ir::AttrValue* v = node.attr(key);
  if (v == nullptr || v->as_list() == nullptr || v->as_list()->i.size() != 5) return std::nullopt;
  return v->as_list()->i;
}

std::optional<Plan> plan_for(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                             std::string& why_not) {
  if ((node.op != "MaxPool3D" && node.op != "AvgPool3D") || node.data_input_count() != 1) return std::nullopt;
  const std::string what = node.op + " '" + node.name + "'";
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = what + " is not float32";
    return std::nullopt;
  }
  const ir::AttrValue* fmt = node.attr("data_format");
  if (fmt && fmt->as_string() && *fmt->as_string() != "NDHWC") {
    why_not = what + " is " + *fmt->as_string() + "; only NDHWC is rewritten";
    return std::nullopt;
  }
  const ir::AttrValue* pad = node.attr("padding");
  auto ksize = five(node, "ksize");
  auto strides = five(node, "strides");
  if (!pad || !pad->as_string() || !ksize || !strides || (*ksize)[0] != 1 || (*ksize)[4] != 1 ||
      (*strides)[0] != 1 || (*strides)[4] != 1) {
    why_not = what + " pools over the batch or channels";
    return std::nullopt;
  }
  auto in = ref_type(graph, body, node.inputs[0]);
  if (!in || !in->shape.has_rank() || in->shape.rank() != 5) {
    why_not = what + " reads a tensor of unknown rank";
    return std::nullopt;
  }
  Plan p;
  p.pool2d = node.op == "MaxPool3D" ? "MaxPool" : "AvgPool";
  p.in = in->shape.dims();
  for (std::size_t i = 1; i < 5; ++i) {
    if (p.in[i] < 1) {
      why_not = what + " reads " + in->shape.to_string() + "; depth, height, width and channels must be static";
      return std::nullopt;
    }
  }
  p.k = {(*ksize)[1], (*ksize)[2], (*ksize)[3]};
  p.s = {(*strides)[1], (*strides)[2], (*strides)[3]};
  p.padding = *pad->as_string();
  if (p.padding != "SAME" && p.padding != "VALID") return std::nullopt;
  for (std::size_t i = 0; i < 3; ++i) {
    if (p.k[i] < 1 || p.s[i] < 1 || (p.padding == "VALID" && p.k[i] > p.in[i + 1])) {
      why_not = what + " has a window that does not fit its input";
      return std::nullopt;
    }
  }
  return p;
}

class Pool3dAs2d final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "pool3d-as-2d", .code = "LL101", .safety = Applicability::Safe,
            .title = "pool in 3-D as a 2-D pool over height and width, then one over depth",
            .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || !plan_for(graph, body, *node, why_not)) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "compute " + node->op + " '" + node->name + "' as two 2-D pools";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto plan = node ? plan_for(graph, match.body, *node, why) : std::nullopt;
    if (!plan) return fail(ErrorCode::BadInput, "no rewritable 3-D pool: " + why);
    const ir::Node original = *node;
    const Plan& p = *plan;
    const std::int64_t d = p.in[1], h = p.in[2], w = p.in[3], c = p.in[4];
    const std::int64_t od = out_size(d, p.k[0], p.s[0], p.padding);
    const std::int64_t oh = out_size(h, p.k[1], p.s[1], p.padding);
    const std::int64_t ow = out_size(w, p.k[2], p.s[2], p.padding);
    const auto pool = [&](RewriteBuilder& b, const std::string& suffix, ir::TensorRef x, std::int64_t kh,
                          std::int64_t kw, std::int64_t sh, std::int64_t sw) {
      return b.op(suffix, p.pool2d, {std::move(x)},
                  {{"T", type_attr(ir::DType::Float)},
                   {"ksize", int_list_attr({1, kh, kw, 1})},
                   {"strides", int_list_attr({1, sh, sw, 1})},
                   {"padding", ir::AttrValue{p.padding}},
                   {"data_format", ir::AttrValue{std::string("NHWC")}}});
    };
    RewriteBuilder b(graph, match.body, original);
    auto x = b.reshape("depth_in_batch", original.inputs[0], {-1, h, w, c});
    x = pool(b, "pool_hw", x, p.k[1], p.k[2], p.s[1], p.s[2]);
    x = b.reshape("hw_flat", x, {-1, d, oh * ow, c});
    x = pool(b, "pool_d", x, p.k[0], 1, p.s[0], 1);
    x = b.reshape("unfold", x, {-1, od, oh, ow, c});
    return b.finish(x, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_pool3d_as_2d_fix() { return std::make_unique<Pool3dAs2d>(); }

}  // namespace litelint::rules
