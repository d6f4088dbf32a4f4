// RGBToHSV (LL101: no TFLite builtin) as element-wise builtins with the arithmetic of
// TensorFlow's kernel (colorspace_op.h): V = max, range = V - min, S = range / V where V > 0,
// norm = (1 / range) * (1/6), the hue of the largest channel (norm * (G - B), norm * (B - R)
// + 2/6, norm * (R - G) + 4/6, R winning ties before G), 0 where range is 0, wrapped into
// [0, 1). The same float32 operations in the same order give the same numbers: safe.
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

class RgbToHsvElementwise final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "rgb-to-hsv-elementwise", .code = "LL101", .safety = Applicability::Safe,
            .title = "convert RGB to HSV with element-wise builtins", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    return match_colour_nodes(finding, graph, "RGBToHSV", 1, std::string(info().id), why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = colour_match_node(graph, match, "RGBToHSV", 1);
    if (!found) return tl::unexpected(found.error());
    const ir::Node& original = found->first;
    const std::int64_t axis = found->second;
    RewriteBuilder b(graph, match.body, original);
    const auto rgb = unpack_channels(b, "rgb", original.inputs[0], axis);
    const ir::TensorRef &r = rgb[0], &g = rgb[1], &bl = rgb[2];
    const auto scalar = [&](const std::string& suffix, float value) { return f32_scalar(b, suffix, value); };
    const auto select = [&](const std::string& suffix, ir::TensorRef c, ir::TensorRef x, ir::TensorRef y) {
      return f32_select(b, suffix, std::move(c), std::move(x), std::move(y));
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
    const auto hsv = pack_channels(b, "hsv", {h, s, v}, axis);
    return b.finish(hsv, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_rgb_to_hsv_elementwise_fix() { return std::make_unique<RgbToHsvElementwise>(); }

}  // namespace litelint::rules
