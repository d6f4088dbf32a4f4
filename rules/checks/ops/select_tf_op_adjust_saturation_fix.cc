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
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/ops/colour_space_math.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"

namespace litelint::rules {
namespace {

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
    return match_colour_nodes(finding, graph, "AdjustSaturation", 2, std::string(info().id), why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = colour_match_node(graph, match, "AdjustSaturation", 2);
    if (!found) return tl::unexpected(found.error());
    const ir::Node& original = found->first;
    const std::int64_t axis = found->second;
    RewriteBuilder b(graph, match.body, original);
    const ir::AttrValue f32 = type_attr(ir::DType::Float);
    const auto rgb = unpack_channels(b, "rgb", original.inputs[0], axis);
    const ir::TensorRef &r = rgb[0], &g = rgb[1], &bl = rgb[2];
    const auto scalar = [&](const std::string& suffix, float value) { return f32_scalar(b, suffix, value); };
    const auto select = [&](const std::string& suffix, ir::TensorRef c, ir::TensorRef x, ir::TensorRef y) {
      return f32_select(b, suffix, std::move(c), std::move(x), std::move(y));
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
    const auto out = pack_channels(b, "rgb_out", {out_r, out_g, out_b}, axis);
    return b.finish(out, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_adjust_saturation_elementwise_fix() {
  return std::make_unique<AdjustSaturationElementwise>();
}

}  // namespace litelint::rules
