// RGBToHSV (LL101: no TFLite builtin) as element-wise builtins with the arithmetic of
// TensorFlow's kernel (colorspace_op.h): V = max, range = V - min, S = range / V where V > 0,
// norm = (1 / range) * (1/6), the hue of the largest channel (norm * (G - B), norm * (B - R)
// + 2/6, norm * (R - G) + 4/6, R winning ties before G), 0 where range is 0, wrapped into
// [0, 1). The same float32 operations in the same order give the same numbers: safe.
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

// The channel axis (the last one) when the node can be rewritten; else why not.
std::optional<std::int64_t> channel_axis(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                                         std::string& why_not) {
  if (node.op != "RGBToHSV" || node.data_input_count() != 1) return std::nullopt;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = "RGBToHSV '" + node.name + "' is not float32";
    return std::nullopt;
  }
  auto in = ref_type(graph, body, node.inputs[0]);
  if (!in || !in->shape.has_rank() || in->shape.rank() < 1 || in->shape.dim(in->shape.rank() - 1) != 3) {
    why_not = "RGBToHSV '" + node.name + "' reads a tensor whose rank or last dimension (3) is not known";
    return std::nullopt;
  }
  return static_cast<std::int64_t>(in->shape.rank()) - 1;
}

class RgbToHsvElementwise final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "rgb-to-hsv-elementwise", .code = "LL101", .safety = Applicability::Safe,
            .title = "convert RGB to HSV with element-wise builtins", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "RGBToHSV") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || !channel_axis(graph, body, *node, why_not)) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "compute RGBToHSV '" + node->name + "' element-wise";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto axis = node ? channel_axis(graph, match.body, *node, why) : std::nullopt;
    if (!axis) return fail(ErrorCode::BadInput, "no rewritable RGBToHSV: " + why);
    const ir::Node original = *node;
    RewriteBuilder b(graph, match.body, original);
    const ir::AttrValue f32 = type_attr(ir::DType::Float);
    const auto rgb = b.op("rgb", "Unpack", {original.inputs[0]},
                          {{"T", f32}, {"num", ir::AttrValue{std::int64_t{3}}}, {"axis", ir::AttrValue{*axis}}});
    ir::TensorRef r = rgb, g = rgb, bl = rgb;
    g.index = 1;
    bl.index = 2;
    const auto scalar = [&](const std::string& suffix, float v) { return b.floats(suffix, ir::Shape::scalar(), {v}); };
    const auto select = [&](const std::string& suffix, ir::TensorRef c, ir::TensorRef x, ir::TensorRef y) {
      return b.op(suffix, "SelectV2", {std::move(c), std::move(x), std::move(y)}, {{"T", f32}});
    };
    const auto zero = scalar("zero", 0.0f);
    const auto v = b.binary("v", "Maximum", b.binary("max_rg", "Maximum", r, g), bl);
    const auto range = b.binary("range", "Sub", v, b.binary("min", "Minimum", b.binary("min_rg", "Minimum", r, g), bl));
    const auto s = select("s", b.binary("v_positive", "Greater", v, zero), b.binary("range_over_v", "RealDiv", range, v),
                          zero);
    // T(1) / T(6) and friends are rounded to float32 before use, as in the kernel.
    const auto norm = b.binary("norm", "Mul", b.binary("inverse", "RealDiv", scalar("one", 1.0f), range),
                               scalar("sixth", 1.0f / 6.0f));
    const auto h_r = b.binary("h_r", "Mul", norm, b.binary("g_b", "Sub", g, bl));
    const auto h_g = b.binary("h_g", "AddV2", b.binary("norm_b_r", "Mul", norm, b.binary("b_r", "Sub", bl, r)),
                              scalar("two_sixths", 2.0f / 6.0f));
    const auto h_b = b.binary("h_b", "AddV2", b.binary("norm_r_g", "Mul", norm, b.binary("r_g", "Sub", r, g)),
                              scalar("four_sixths", 4.0f / 6.0f));
    auto h = select("h_gb", b.binary("g_is_v", "Equal", g, v), h_g, h_b);
    h = select("h_rgb", b.binary("r_is_v", "Equal", r, v), h_r, h);
    h = select("h_grey", b.binary("range_positive", "Greater", range, zero), h, zero);
    h = select("h_wrapped", b.binary("h_negative", "Less", h, zero), b.binary("h_plus_one", "AddV2", h, scalar("one_h", 1.0f)),
               h);
    const auto hsv = b.op("hsv", "Pack", {h, s, v},
                          {{"T", f32}, {"N", ir::AttrValue{std::int64_t{3}}}, {"axis", ir::AttrValue{*axis}}});
    return b.finish(hsv, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_rgb_to_hsv_elementwise_fix() { return std::make_unique<RgbToHsvElementwise>(); }

}  // namespace litelint::rules
