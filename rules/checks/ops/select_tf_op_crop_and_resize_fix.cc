// CropAndResize (LL101: no TFLite builtin) with constant boxes, box indices and crop size, as
// GATHERs of constant positions and element-wise lerps. With the boxes known, every sampling
// point's four neighbours and its lerp weights are known when the graph is built; they are
// computed here with the float32 arithmetic of TensorFlow's CPU kernel (crop_and_resize_op.cc:
// in_y = y1 * (height - 1) + y * height_scale, top_y = floor(in_y), y_lerp = in_y - top_y, ...),
// and the graph does what the kernel does per channel: top = tl + (tr - tl) * x_lerp,
// bottom = bl + (br - bl) * x_lerp, crop = top + (bottom - top) * y_lerp, with the
// extrapolation value where a sampling point falls outside the image. "nearest" gathers the
// rounded position. Same operations, same order: safe.
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/ops/planned_node_match.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

// More sampling points than this make the constant index tensors larger than the op is worth.
constexpr std::int64_t kMaxPoints = 1 << 20;

struct Plan {
  std::int64_t h = 0, w = 0, c = 0;
  std::int64_t boxes = 0, ch = 0, cw = 0;
  bool bilinear = true;
  float extrapolation = 0.0f;
  // Per sampling point (box, y, x), flat positions in [N * H * W] and the weights.
  std::vector<std::int32_t> tl, tr, bl, br;
  std::vector<float> x_lerp, y_lerp;
  std::vector<bool> valid;
  bool all_valid = true;
};

std::optional<Plan> plan_for(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                             std::string& why_not) {
  if (node.op != "CropAndResize" || node.data_input_count() != 4) return std::nullopt;
  const std::string what = "CropAndResize '" + node.name + "'";
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = what + " reads a non-float32 image";
    return std::nullopt;
  }
  Plan p;
  if (const ir::AttrValue* m = node.attr("method"); m && m->as_string()) {
    if (*m->as_string() != "bilinear" && *m->as_string() != "nearest") return std::nullopt;
    p.bilinear = *m->as_string() == "bilinear";
  }
  if (const ir::AttrValue* e = node.attr("extrapolation_value"); e && e->as_float()) p.extrapolation = *e->as_float();
  auto image = ref_type(graph, body, node.inputs[0]);
  if (!image || !image->shape.has_rank() || image->shape.rank() != 4 || image->shape.dim(1) < 1 ||
      image->shape.dim(2) < 1 || image->shape.dim(3) < 1) {
    why_not = what + " reads an image whose height, width and channels are not static";
    return std::nullopt;
  }
  p.h = image->shape.dim(1);
  p.w = image->shape.dim(2);
  p.c = image->shape.dim(3);
  const ir::Node* boxes_node = resolve_const(graph, body, node.inputs[1]);
  const ir::Node* index_node = resolve_const(graph, body, node.inputs[2]);
  const ir::Node* size_node = resolve_const(graph, body, node.inputs[3]);
  auto boxes = boxes_node ? const_floats(*boxes_node) : std::nullopt;
  auto box_index = index_node ? const_ints(*index_node) : std::nullopt;
  auto size = size_node ? const_ints(*size_node) : std::nullopt;
  if (!boxes || !box_index || !size || size->size() != 2 || boxes->size() != 4 * box_index->size()) {
    why_not = what + " has boxes, box indices or a crop size that are not constants";
    return std::nullopt;
  }
  p.boxes = static_cast<std::int64_t>(box_index->size());
  p.ch = (*size)[0];
  p.cw = (*size)[1];
  if (p.boxes < 1 || p.ch < 1 || p.cw < 1 || p.boxes * p.ch * p.cw > kMaxPoints) {
    why_not = what + " samples no points or more than " + std::to_string(kMaxPoints);
    return std::nullopt;
  }
  const auto ih = static_cast<float>(p.h - 1), iw = static_cast<float>(p.w - 1);
  for (std::int64_t b = 0; b < p.boxes; ++b) {
    const float y1 = (*boxes)[4 * b], x1 = (*boxes)[4 * b + 1], y2 = (*boxes)[4 * b + 2], x2 = (*boxes)[4 * b + 3];
    const std::int64_t b_in = (*box_index)[static_cast<std::size_t>(b)];
    if (b_in < 0) return std::nullopt;
    // float32 throughout, as the kernel; the one-point case computes in double as it does.
    const float height_scale = p.ch > 1 ? (y2 - y1) * ih / static_cast<float>(p.ch - 1) : 0.0f;
    const float width_scale = p.cw > 1 ? (x2 - x1) * iw / static_cast<float>(p.cw - 1) : 0.0f;
    for (std::int64_t y = 0; y < p.ch; ++y) {
      const float in_y = p.ch > 1 ? y1 * ih + static_cast<float>(y) * height_scale
                                  : static_cast<float>(0.5 * (y1 + y2) * ih);
      for (std::int64_t x = 0; x < p.cw; ++x) {
        const float in_x = p.cw > 1 ? x1 * iw + static_cast<float>(x) * width_scale
                                    : static_cast<float>(0.5 * (x1 + x2) * iw);
        const bool valid = !(in_y < 0 || in_y > ih || in_x < 0 || in_x > iw);
        p.valid.push_back(valid);
        p.all_valid = p.all_valid && valid;
        const auto at = [&](std::int64_t yy, std::int64_t xx) {
          return valid ? static_cast<std::int32_t>((b_in * p.h + yy) * p.w + xx) : 0;
        };
        if (!p.bilinear) {
          const auto cy = valid ? static_cast<std::int64_t>(std::round(in_y)) : 0;
          const auto cx = valid ? static_cast<std::int64_t>(std::round(in_x)) : 0;
          p.tl.push_back(at(cy, cx));
          continue;
        }
        const auto top = valid ? static_cast<std::int64_t>(std::floor(in_y)) : 0;
        const auto bottom = valid ? static_cast<std::int64_t>(std::ceil(in_y)) : 0;
        const auto left = valid ? static_cast<std::int64_t>(std::floor(in_x)) : 0;
        const auto right = valid ? static_cast<std::int64_t>(std::ceil(in_x)) : 0;
        p.tl.push_back(at(top, left));
        p.tr.push_back(at(top, right));
        p.bl.push_back(at(bottom, left));
        p.br.push_back(at(bottom, right));
        p.y_lerp.push_back(valid ? in_y - static_cast<float>(top) : 0.0f);
        p.x_lerp.push_back(valid ? in_x - static_cast<float>(left) : 0.0f);
      }
    }
  }
  return p;
}

class CropAndResizeAsGather final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "crop-and-resize-gather", .code = "LL101", .safety = Applicability::Safe,
            .title = "crop and resize constant boxes with GATHERs and element-wise lerps", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    if (finding.op != "CropAndResize") return {};
    const auto summary = [](const ir::Node& node, const Plan& plan) {
      return "crop " + std::to_string(plan.boxes) + " constant box(es) of '" + node.name + "' to " +
             std::to_string(plan.ch) + "x" + std::to_string(plan.cw) + " with GATHERs";
    };
    return match_planned_nodes(finding, graph, std::string(info().id), why_not, plan_for, summary);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = planned_node(graph, match, "CropAndResize", plan_for);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(found->first);
    Plan& p = found->second;
    RewriteBuilder b(graph, match.body, original);
    const ir::AttrValue f32 = type_attr(ir::DType::Float);
    const ir::Shape points({p.boxes, p.ch, p.cw});
    const ir::Shape weights({p.boxes, p.ch, p.cw, 1});
    const auto flat = b.reshape("flat", original.inputs[0], {-1, p.c});
    const auto axis = b.int_scalar("axis", 0);
    const auto gather = [&](const std::string& suffix, std::vector<std::int32_t> positions) {
      const auto idx = b.constant(suffix + "_positions", int32_tensor(points, std::move(positions)));
      return b.op(suffix, "GatherV2", {flat, idx, axis},
                  {{"Tparams", f32}, {"Tindices", type_attr(ir::DType::Int32)},
                   {"Taxis", type_attr(ir::DType::Int32)}, {"batch_dims", ir::AttrValue{std::int64_t{0}}}});
    };
    ir::TensorRef crops;
    if (!p.bilinear) {
      crops = gather("nearest", std::move(p.tl));
    } else {
      const auto tl = gather("top_left", std::move(p.tl));
      const auto tr = gather("top_right", std::move(p.tr));
      const auto bl = gather("bottom_left", std::move(p.bl));
      const auto br = gather("bottom_right", std::move(p.br));
      const auto xl = b.floats("x_lerp", weights, std::move(p.x_lerp));
      const auto yl = b.floats("y_lerp", weights, std::move(p.y_lerp));
      const auto top = b.binary("top", "AddV2", tl, b.binary("top_step", "Mul", b.binary("top_diff", "Sub", tr, tl), xl));
      const auto bottom =
          b.binary("bottom", "AddV2", bl, b.binary("bottom_step", "Mul", b.binary("bottom_diff", "Sub", br, bl), xl));
      crops = b.binary("crops", "AddV2", top, b.binary("y_step", "Mul", b.binary("y_diff", "Sub", bottom, top), yl));
    }
    if (!p.all_valid) {
      const auto valid = b.constant("inside", bool_tensor(weights, p.valid));
      const auto fill = b.floats("extrapolation", ir::Shape::scalar(), {p.extrapolation});
      crops = b.op("extrapolate", "SelectV2", {valid, crops, fill}, {{"T", f32}});
    }
    return b.finish(crops, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_crop_and_resize_gather_fix() { return std::make_unique<CropAndResizeAsGather>(); }

}  // namespace litelint::rules
