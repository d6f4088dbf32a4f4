// HSVToRGB (LL101: no TFLite builtin) as element-wise builtins with the arithmetic of
// TensorFlow's kernel (colorspace_op.h): dh = H * 6, dr = clamp(|dh - 3| - 1, 0, 1),
// dg = clamp(2 - |dh - 2|, 0, 1), db = clamp(2 - |dh - 4|, 0, 1) (Eigen's -x + 2 rounds as
// 2 - x), and each channel (1 - S + S * d) * V. The same float32 operations in the same
// order give the same numbers: safe.
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

class HsvToRgbElementwise final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "hsv-to-rgb-elementwise", .code = "LL101", .safety = Applicability::Safe,
            .title = "convert HSV to RGB with element-wise builtins", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    return match_colour_nodes(finding, graph, "HSVToRGB", 1, std::string(info().id), why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = colour_match_node(graph, match, "HSVToRGB", 1);
    if (!found) return tl::unexpected(found.error());
    const ir::Node& original = found->first;
    const std::int64_t axis = found->second;
    RewriteBuilder b(graph, match.body, original);
    const ir::AttrValue f32 = type_attr(ir::DType::Float);
    const auto hsv = unpack_channels(b, "hsv", original.inputs[0], axis);
    const ir::TensorRef &h = hsv[0], &s = hsv[1], &v = hsv[2];
    const auto scalar = [&](const std::string& suffix, float value) { return f32_scalar(b, suffix, value); };
    const auto abs = [&](const std::string& suffix, ir::TensorRef x) {
      return b.op(suffix, "Abs", {std::move(x)}, {{"T", f32}});
    };
    const auto zero = scalar("zero", 0.0f);
    const auto one = scalar("one", 1.0f);
    const auto two = scalar("two", 2.0f);
    const auto clamp = [&](const std::string& suffix, ir::TensorRef x) {
      return b.binary(suffix, "Minimum", b.binary(suffix + "_low", "Maximum", std::move(x), zero), one);
    };
    const auto dh = b.binary("dh", "Mul", h, scalar("six", 6.0f));
    // |dh - k|, k = 3, 2, 4
    const auto dist3 = abs("dh_3_abs", b.binary("dh_3", "Sub", dh, scalar("three", 3.0f)));
    const auto dist2 = abs("dh_2_abs", b.binary("dh_2", "Sub", dh, two));
    const auto dist4 = abs("dh_4_abs", b.binary("dh_4", "Sub", dh, scalar("four", 4.0f)));
    const auto dr = clamp("dr", b.binary("dr_raw", "Sub", dist3, one));
    const auto dg = clamp("dg", b.binary("dg_raw", "Sub", two, dist2));
    const auto db = clamp("db", b.binary("db_raw", "Sub", two, dist4));
    const auto one_s = b.binary("one_s", "Sub", one, s);
    const auto channel = [&](const std::string& name, ir::TensorRef d) {
      const auto sd = b.binary(name + "_sd", "Mul", s, std::move(d));
      return b.binary(name, "Mul", b.binary(name + "_sat", "AddV2", one_s, sd), v);
    };
    const auto rgb = pack_channels(b, "rgb", {channel("r", dr), channel("g", dg), channel("b", db)}, axis);
    return b.finish(rgb, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_hsv_to_rgb_elementwise_fix() { return std::make_unique<HsvToRgbElementwise>(); }

}  // namespace litelint::rules
