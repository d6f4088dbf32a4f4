// AdjustSaturation (LL101: no TFLite builtin) as element-wise builtins with the arithmetic of
// TensorFlow's CPU kernel (adjust_saturation_op.cc): its own rgb_to_hsv (norm = 1 / (6 *
// range)), s = min(1, max(0, s * scale)), and hsv_to_rgb with the hue's sextant
// (int(h * 6), by FLOOR since h * 6 >= 0), fmod(h * 6, 2) (FLOOR_MOD: exact, as the kernel's
// repeated subtraction of 2 is), c = s * v, x = c * (1 - |fmod - 1|), m = v - c. One
// difference: the kernel adds the hue offsets 2/6 and 4/6 in double and rounds the sum to
// float, TFLite adds them in float32, so a hue can differ in its last bit (6e-8), which the
// sextant arithmetic scales by 6 * value: unsafe, within 1e-6 of the pixel's value
// (measured 4.2e-7 on [0, 1] images).
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

std::optional<std::int64_t> channel_axis(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                                         std::string& why_not) {
  if (node.op != "AdjustSaturation" || node.data_input_count() != 2) return std::nullopt;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = "AdjustSaturation '" + node.name + "' is not float32";
    return std::nullopt;
  }
  auto in = ref_type(graph, body, node.inputs[0]);
  if (!in || !in->shape.has_rank() || in->shape.rank() < 1 || in->shape.dim(in->shape.rank() - 1) != 3) {
    why_not = "AdjustSaturation '" + node.name + "' reads a tensor whose rank or last dimension (3) is not known";
    return std::nullopt;
  }
  return static_cast<std::int64_t>(in->shape.rank()) - 1;
}

class AdjustSaturationElementwise final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "adjust-saturation-elementwise", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "adjust saturation through HSV with element-wise builtins",
            .change = "within 1e-6 of each pixel's value (its largest channel): TensorFlow's kernel "
                      "adds the hue offsets 2/6 and 4/6 in double, TFLite in float32"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "AdjustSaturation") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || !channel_axis(graph, body, *node, why_not)) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "compute AdjustSaturation '" + node->name + "' element-wise";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto axis = node ? channel_axis(graph, match.body, *node, why) : std::nullopt;
    if (!axis) return fail(ErrorCode::BadInput, "no rewritable AdjustSaturation: " + why);
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
    const auto any = [&](const std::string& suffix, ir::TensorRef x, ir::TensorRef y) {
      return b.op(suffix, "LogicalOr", {std::move(x), std::move(y)}, {});
    };
    const auto zero = scalar("zero", 0.0f);
    const auto one = scalar("one", 1.0f);

    // rgb_to_hsv
    const auto v = b.binary("v", "Maximum", r, b.binary("max_gb", "Maximum", g, bl));
    const auto range = b.binary("range", "Sub", v, b.binary("min", "Minimum", r, b.binary("min_gb", "Minimum", g, bl)));
    auto s = select("s", b.binary("v_positive", "Greater", v, zero), b.binary("range_over_v", "RealDiv", range, v), zero);
    const auto norm = b.binary("norm", "RealDiv", one, b.binary("six_range", "Mul", scalar("six", 6.0f), range));
    const auto h_r = b.binary("h_r", "Mul", norm, b.binary("g_b", "Sub", g, bl));
    const auto h_g = b.binary("h_g", "AddV2", b.binary("norm_b_r", "Mul", norm, b.binary("b_r", "Sub", bl, r)),
                              scalar("two_sixths", static_cast<float>(2.0 / 6.0)));
    const auto h_b = b.binary("h_b", "AddV2", b.binary("norm_r_g", "Mul", norm, b.binary("r_g", "Sub", r, g)),
                              scalar("four_sixths", static_cast<float>(4.0 / 6.0)));
    auto h = select("h_gb", b.binary("g_is_v", "Equal", g, v), h_g, h_b);
    h = select("h_rgb", b.binary("r_is_v", "Equal", r, v), h_r, h);
    h = select("h_grey", b.binary("range_positive", "Greater", range, zero), h, zero);
    h = select("h_wrapped", b.binary("h_negative", "Less", h, zero), b.binary("h_plus_one", "AddV2", h, one), h);

    // the adjustment
    s = b.binary("s_scaled", "Mul", s, original.inputs[1]);
    s = b.binary("s_clamped", "Minimum", one, b.binary("s_nonnegative", "Maximum", zero, s));

    // hsv_to_rgb
    const auto c = b.binary("c", "Mul", s, v);
    const auto m = b.binary("m", "Sub", v, c);
    const auto dh = b.binary("dh", "Mul", h, scalar("six_h", 6.0f));
    const auto sextant = b.op("sextant", "Floor", {dh}, {{"T", f32}});
    const auto fmodu = b.binary("fmodu", "FloorMod", dh, scalar("two", 2.0f));
    const auto x = b.binary(
        "x", "Mul", c,
        b.binary("one_minus", "Sub", one,
                 b.op("abs", "Abs", {b.binary("fmodu_minus_one", "Sub", fmodu, one)}, {{"T", f32}})));
    std::vector<ir::TensorRef> in_sextant;
    for (int k = 0; k < 6; ++k) {
      const auto k_ref = scalar("k" + std::to_string(k), static_cast<float>(k));
      in_sextant.push_back(b.binary("is_" + std::to_string(k), "Equal", sextant, k_ref));
    }
    // Per channel: the two sextants where it is c, the two where it is x; 0 elsewhere (and
    // for a hue of exactly 1, sextant 6, which the kernel's switch leaves at 0 too).
    const auto channel = [&](const std::string& name, int c1, int c2, int x1, int x2) {
      const auto is_x = select(name + "_x", any(name + "_is_x", in_sextant[x1], in_sextant[x2]), x, zero);
      const auto value = select(name + "_cx", any(name + "_is_c", in_sextant[c1], in_sextant[c2]), c, is_x);
      return b.binary(name, "AddV2", value, m);
    };
    const auto out_r = channel("r_out", 0, 5, 1, 4);
    const auto out_g = channel("g_out", 1, 2, 0, 3);
    const auto out_b = channel("b_out", 3, 4, 2, 5);
    const auto out = b.op("rgb_out", "Pack", {out_r, out_g, out_b},
                          {{"T", f32}, {"N", ir::AttrValue{std::int64_t{3}}}, {"axis", ir::AttrValue{*axis}}});
    return b.finish(out, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_adjust_saturation_elementwise_fix() {
  return std::make_unique<AdjustSaturationElementwise>();
}

}  // namespace litelint::rules
