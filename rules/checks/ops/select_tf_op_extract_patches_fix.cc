// ExtractImagePatches (LL101: no TFLite builtin) as a GATHER with constant indices: with the
// input's height, width and channels static, every output element is one input element (or a
// zero of SAME padding), known when the graph is built. PAD adds the zeros, RESHAPE flattens
// height and width, GATHER picks [out_rows, out_cols, ksize_rows * ksize_cols] positions and
// RESHAPE lays them out as TensorFlow does (row, column, channel within a patch). Nothing is
// computed, only copied, so the numbers are exact (for inf and NaN too, which a convolution
// with a one-hot filter would spread): safe.
#include <algorithm>
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

// More gathered positions than this make a constant index tensor larger than the op is worth.
constexpr std::int64_t kMaxIndices = 1 << 22;

struct Plan {
  std::int64_t h = 0, w = 0, c = 0;
  std::int64_t kh = 0, kw = 0, sh = 0, sw = 0, rh = 0, rw = 0;
  std::int64_t oh = 0, ow = 0;
  std::int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  ir::DType dtype = ir::DType::Float;
};

std::optional<std::vector<std::int64_t>> four(const ir::Node& node, std::string_view key) {
  const ir::AttrValue* v = node.attr(key);
  if (v == nullptr || v->as_list() == nullptr || v->as_list()->i.size() != 4) return std::nullopt;
  return v->as_list()->i;
}

// TensorFlow's GetWindowedOutputSize: output size and padding before/after for one axis.
void window(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t r, bool same, std::int64_t& out,
            std::int64_t& before, std::int64_t& after) {
  const std::int64_t effective = (k - 1) * r + 1;
  if (same) {
    out = (in + s - 1) / s;
    const std::int64_t total = std::max<std::int64_t>((out - 1) * s + effective - in, 0);
    before = total / 2;
    after = total - before;
  } else {
    out = (in - effective + s) / s;
    before = after = 0;
  }
}

std::optional<Plan> plan_for(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                             std::string& why_not) {
  if (node.op != "ExtractImagePatches" || node.data_input_count() != 1) return std::nullopt;
  const std::string what = "ExtractImagePatches '" + node.name + "'";
  const ir::AttrValue* t = node.attr("T");
  const ir::AttrValue* pad = node.attr("padding");
  auto ks = four(node, "ksizes");
  auto st = four(node, "strides");
  auto rt = four(node, "rates");
  if (!t || !t->as_type() || !pad || !pad->as_string() || !ks || !st || !rt) return std::nullopt;
  const ir::DType dtype = *t->as_type();
  // GATHER and PAD take these.
  if (dtype != ir::DType::Float && dtype != ir::DType::Int32 && dtype != ir::DType::Int64 &&
      dtype != ir::DType::Int8 && dtype != ir::DType::UInt8) {
    why_not = what + " is " + ir::dtype_name(dtype);
    return std::nullopt;
  }
  auto in = ref_type(graph, body, node.inputs[0]);
  if (!in || !in->shape.has_rank() || in->shape.rank() != 4 || in->shape.dim(1) < 1 || in->shape.dim(2) < 1 ||
      in->shape.dim(3) < 1) {
    why_not = what + " reads an image whose height, width and channels are not static";
    return std::nullopt;
  }
  Plan p;
  p.dtype = dtype;
  p.h = in->shape.dim(1);
  p.w = in->shape.dim(2);
  p.c = in->shape.dim(3);
  p.kh = (*ks)[1], p.kw = (*ks)[2], p.sh = (*st)[1], p.sw = (*st)[2], p.rh = (*rt)[1], p.rw = (*rt)[2];
  if (p.kh < 1 || p.kw < 1 || p.sh < 1 || p.sw < 1 || p.rh < 1 || p.rw < 1) return std::nullopt;
  const bool same = *pad->as_string() == "SAME";
  if (!same && *pad->as_string() != "VALID") return std::nullopt;
  window(p.h, p.kh, p.sh, p.rh, same, p.oh, p.pad_top, p.pad_bottom);
  window(p.w, p.kw, p.sw, p.rw, same, p.ow, p.pad_left, p.pad_right);
  if (p.oh < 1 || p.ow < 1) {
    why_not = what + " has a patch larger than its image";
    return std::nullopt;
  }
  if (p.oh * p.ow * p.kh * p.kw > kMaxIndices) {
    why_not = what + " gathers more than " + std::to_string(kMaxIndices) + " positions";
    return std::nullopt;
  }
  return p;
}

class ExtractPatchesAsGather final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "extract-patches-gather", .code = "LL101", .safety = Applicability::Safe,
            .title = "extract image patches with a GATHER of constant positions", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    const auto summary = [](const ir::Node& node, const Plan& plan) {
      return "extract the " + std::to_string(plan.kh) + "x" + std::to_string(plan.kw) + " patches of '" + node.name +
             "' with a GATHER";
    };
    return match_planned_nodes(finding, graph, std::string(info().id), why_not, plan_for, summary);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = planned_node(graph, match, "ExtractImagePatches", plan_for);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(found->first);
    const Plan& p = found->second;
    const std::int64_t ph = p.h + p.pad_top + p.pad_bottom;
    const std::int64_t pw = p.w + p.pad_left + p.pad_right;
    // indices[y][x][i][j]: the flat position (in the padded image) of patch (y, x)'s tap (i, j).
    std::vector<std::int32_t> indices;
    indices.reserve(static_cast<std::size_t>(p.oh * p.ow * p.kh * p.kw));
    for (std::int64_t y = 0; y < p.oh; ++y) {
      for (std::int64_t x = 0; x < p.ow; ++x) {
        for (std::int64_t i = 0; i < p.kh; ++i) {
          for (std::int64_t j = 0; j < p.kw; ++j) {
            indices.push_back(static_cast<std::int32_t>((y * p.sh + i * p.rh) * pw + x * p.sw + j * p.rw));
          }
        }
      }
    }
    RewriteBuilder b(graph, match.body, original);
    ir::TensorRef x = original.inputs[0];
    if (p.pad_top + p.pad_bottom + p.pad_left + p.pad_right > 0) {
      std::vector<std::int32_t> pads = {0, 0,
                                        static_cast<std::int32_t>(p.pad_top), static_cast<std::int32_t>(p.pad_bottom),
                                        static_cast<std::int32_t>(p.pad_left), static_cast<std::int32_t>(p.pad_right),
                                        0, 0};
      const auto paddings = b.constant("paddings", int32_tensor(ir::Shape({4, 2}), std::move(pads)));
      x = b.op("pad", "Pad", {x, paddings}, {{"T", type_attr(p.dtype)}, {"Tpaddings", type_attr(ir::DType::Int32)}});
    }
    x = b.reshape("flat", x, {-1, ph * pw, p.c}, p.dtype);
    const auto positions =
        b.constant("positions", int32_tensor(ir::Shape({p.oh, p.ow, p.kh * p.kw}), std::move(indices)));
    const auto axis = b.int_scalar("axis", 1);
    x = b.op("gather", "GatherV2", {x, positions, axis},
             {{"Tparams", type_attr(p.dtype)}, {"Tindices", type_attr(ir::DType::Int32)},
              {"Taxis", type_attr(ir::DType::Int32)}, {"batch_dims", ir::AttrValue{std::int64_t{0}}}});
    x = b.reshape("patches", x, {-1, p.oh, p.ow, p.kh * p.kw * p.c}, p.dtype);
    return b.finish(x, p.dtype);
  }
};

}  // namespace

std::unique_ptr<Fix> make_extract_patches_gather_fix() { return std::make_unique<ExtractPatchesAsGather>(); }

}  // namespace litelint::rules
