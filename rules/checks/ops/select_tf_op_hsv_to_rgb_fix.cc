// HSVToRGB (LL101: no TFLite builtin) as element-wise builtins with the arithmetic of
// TensorFlow's kernel (colorspace_op.h): dh = H * 6, dr = clamp(|dh - 3| - 1, 0, 1),
// dg = clamp(2 - |dh - 2|, 0, 1), db = clamp(2 - |dh - 4|, 0, 1) (Eigen's -x + 2 rounds as
// 2 - x), and each channel (1 - S + S * d) * V. The same float32 operations in the same
// order give the same numbers: safe.
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
  if (node.op != "HSVToRGB" || node.data_input_count() != 1) return std::nullopt;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = "HSVToRGB '" + node.name + "' is not float32";
    return std::nullopt;
  }
  auto in = ref_type(graph, body, node.inputs[0]);
  if (!in || !in->shape.has_rank() || in->shape.rank() < 1 || in->shape.dim(in->shape.rank() - 1) != 3) {
    why_not = "HSVToRGB '" + node.name + "' reads a tensor whose rank or last dimension (3) is not known";
    return std::nullopt;
  }
  return static_cast<std::int64_t>(in->shape.rank()) - 1;
}

class HsvToRgbElementwise final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "hsv-to-rgb-elementwise", .code = "LL101", .safety = Applicability::Safe,
            .title = "convert HSV to RGB with element-wise builtins", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "HSVToRGB") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || !channel_axis(graph, body, *node, why_not)) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "compute HSVToRGB '" + node->name + "' element-wise";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto axis = node ? channel_axis(graph, match.body, *node, why) : std::nullopt;
    if (!axis) return fail(ErrorCode::BadInput, "no rewritable HSVToRGB: " + why);
    const ir::Node original = *node;
    RewriteBuilder b(graph, match.body, original);
    const ir::AttrValue f32 = type_attr(ir::DType::Float);
    const auto hsv = b.op("hsv", "Unpack", {original.inputs[0]},
                          {{"T", f32}, {"num", ir::AttrValue{std::int64_t{3}}}, {"axis", ir::AttrValue{*axis}}});
    ir::TensorRef h = hsv, s = hsv, v = hsv;
    s.index = 1;
    v.index = 2;
    const auto scalar = [&](const std::string& suffix, float x) { return b.floats(suffix, ir::Shape::scalar(), {x}); };
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
    const auto rgb = b.op("rgb", "Pack", {channel("r", dr), channel("g", dg), channel("b", db)},
                          {{"T", f32}, {"N", ir::AttrValue{std::int64_t{3}}}, {"axis", ir::AttrValue{*axis}}});
    return b.finish(rgb, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_hsv_to_rgb_elementwise_fix() { return std::make_unique<HsvToRgbElementwise>(); }

}  // namespace litelint::rules
