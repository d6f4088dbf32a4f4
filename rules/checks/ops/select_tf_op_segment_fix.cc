// SegmentMax / SegmentMin / SegmentProd / SegmentMean (LL101: no TFLite builtin) with constant
// segment ids, rewritten as the unsorted segment ops that have builtins (UNSORTED_SEGMENT_MAX,
// _MIN, _PROD, _SUM). The ids are known, so the number of segments is too, and the segments
// that no row falls into are known: TensorFlow's sorted ops give them 0 where the unsorted max
// and min give the type's lowest / highest value, so a SELECT puts the 0 back. Max, min and
// product visit each segment's rows in the same order, so they are exact; the mean is the
// segment's sum divided by its row count, as TensorFlow's kernel computes it: safe.
#include <algorithm>
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

// Past this many segments the constant ids and masks outgrow what the rewrite is for.
constexpr std::int64_t kMaxSegments = 1 << 20;

struct Plan {
  std::vector<std::int32_t> ids;
  std::int64_t segments = 0;
  std::size_t rank = 0;  ///< rank of the data
};

std::string unsorted_op(const std::string& op) {
  if (op == "SegmentMax") return "UnsortedSegmentMax";
  if (op == "SegmentMin") return "UnsortedSegmentMin";
  if (op == "SegmentProd") return "UnsortedSegmentProd";
  return "UnsortedSegmentSum";  // SegmentMean: the sum, then a division
}

std::optional<Plan> plan_for(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                             std::string& why_not) {
  if (node.op != "SegmentMax" && node.op != "SegmentMin" && node.op != "SegmentProd" &&
      node.op != "SegmentMean")
    return std::nullopt;
  if (node.data_input_count() != 2) return std::nullopt;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr ||
      (*t->as_type() != ir::DType::Float && *t->as_type() != ir::DType::Int32)) {
    why_not = node.op + " '" + node.name + "' is not float32 or int32";
    return std::nullopt;
  }
  if (node.op == "SegmentMean" && *t->as_type() != ir::DType::Float) {
    why_not = "SegmentMean '" + node.name + "' is not float32";
    return std::nullopt;
  }
  const ir::Node* ids_node = resolve_const(graph, body, node.inputs[1]);
  auto ids = ids_node ? const_ints(*ids_node) : std::nullopt;
  if (!ids || ids->empty()) {
    why_not = node.op + " '" + node.name + "' has no constant segment ids";
    return std::nullopt;
  }
  if (!std::is_sorted(ids->begin(), ids->end()) || ids->front() < 0 || ids->back() >= kMaxSegments) {
    why_not = node.op + " '" + node.name + "' has segment ids that are not sorted and in 0.." +
              std::to_string(kMaxSegments - 1);
    return std::nullopt;
  }
  auto data = ref_type(graph, body, node.inputs[0]);
  if (!data || !data->shape.has_rank() || data->shape.rank() < 1 ||
      data->shape.dim(0) != static_cast<std::int64_t>(ids->size())) {
    why_not = node.op + " '" + node.name + "' reads data whose first dimension is not the ids' length";
    return std::nullopt;
  }
  Plan p;
  p.ids.assign(ids->begin(), ids->end());
  p.segments = ids->back() + 1;
  p.rank = data->shape.rank();
  return p;
}

class SegmentToUnsorted final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "segment-to-unsorted", .code = "LL101", .safety = Applicability::Safe,
            .title = "compute sorted segment ops with constant ids by the unsorted builtins",
            .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto plan = plan_for(graph, body, *node, why_not);
      if (!plan) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "compute " + node->op + " '" + node->name + "' as " + unsorted_op(node->op) + " over " +
                  std::to_string(plan->segments) + " constant segments";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto plan = node ? plan_for(graph, match.body, *node, why) : std::nullopt;
    if (!plan) return fail(ErrorCode::BadInput, "no sorted segment op with constant ids: " + why);
    const ir::Node original = *node;
    const ir::DType dtype = *original.attr("T")->as_type();
    const auto s = static_cast<std::size_t>(plan->segments);
    std::vector<std::int64_t> count(s, 0);
    for (const auto id : plan->ids) ++count[static_cast<std::size_t>(id)];
    // [segments, 1, ..., 1]: broadcasts over the rest of the data's dimensions.
    std::vector<std::int64_t> column(plan->rank, 1);
    column[0] = plan->segments;

    RewriteBuilder b(graph, match.body, original);
    const auto ids = b.ints("ids", plan->ids);
    const auto segments = b.int_scalar("num_segments", static_cast<std::int32_t>(plan->segments));
    ir::TensorRef result =
        b.op("unsorted", unsorted_op(original.op), {original.inputs[0], ids, segments},
             {{"T", type_attr(dtype)}, {"Tindices", type_attr(ir::DType::Int32)},
              {"Tnumsegments", type_attr(ir::DType::Int32)}});
    if (original.op == "SegmentMean") {
      // An empty segment's sum is 0; dividing it by 1 keeps TensorFlow's 0.
      std::vector<float> divisor;
      for (const auto c : count) divisor.push_back(static_cast<float>(std::max<std::int64_t>(c, 1)));
      const auto counts = b.floats("counts", ir::Shape(column), std::move(divisor));
      result = b.binary("mean", "RealDiv", result, counts);
    } else if (original.op != "SegmentProd" &&
               std::any_of(count.begin(), count.end(), [](std::int64_t c) { return c == 0; })) {
      std::vector<bool> present;
      for (const auto c : count) present.push_back(c > 0);
      const auto mask = b.constant("present", bool_tensor(ir::Shape(column), present));
      const auto zero = dtype == ir::DType::Float ? b.floats("zero", ir::Shape::scalar(), {0.0f})
                                                  : b.constant("zero", int32_tensor(ir::Shape::scalar(), {0}));
      result = b.op("empty_to_zero", "SelectV2", {mask, result, zero}, {{"T", type_attr(dtype)}});
    }
    return b.finish(result, dtype);
  }
};

}  // namespace

std::unique_ptr<Fix> make_segment_to_unsorted_fix() { return std::make_unique<SegmentToUnsorted>(); }

}  // namespace litelint::rules
