// Shared pieces of the element-wise colour-space fixes; see colour_space_math.h.
#include "rules/checks/ops/colour_space_math.h"

#include <optional>

#include "rules/checks/ops/planned_node_match.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {

std::optional<std::int64_t> colour_channel_axis(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                                                const std::string& op, std::size_t data_inputs, std::string& why_not) {
  if (node.op != op || node.data_input_count() != data_inputs) return std::nullopt;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = op + " '" + node.name + "' is not float32";
    return std::nullopt;
  }
  auto in = ref_type(graph, body, node.inputs[0]);
  if (!in || !in->shape.has_rank() || in->shape.rank() < 1 || in->shape.dim(in->shape.rank() - 1) != 3) {
    why_not = op + " '" + node.name + "' reads a tensor whose rank or last dimension (3) is not known";
    return std::nullopt;
  }
  return static_cast<std::int64_t>(in->shape.rank()) - 1;
}

std::vector<FixMatch> match_colour_nodes(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                         std::size_t data_inputs, const std::string& fix_id, std::string& why_not) {
  if (finding.op != op) return {};
  const auto axis = [&](const ir::Graph& g, const std::string& body, const ir::Node& node, std::string& why) {
    return colour_channel_axis(g, body, node, op, data_inputs, why);
  };
  const auto summary = [&](const ir::Node& node, std::int64_t) {
    return "compute " + op + " '" + node.name + "' element-wise";
  };
  return match_planned_nodes(finding, graph, fix_id, why_not, axis, summary);
}

Expected<std::pair<ir::Node, std::int64_t>> colour_match_node(const ir::Graph& graph, const FixMatch& match,
                                                              const std::string& op, std::size_t data_inputs) {
  const ir::NodeList* nodes = body_nodes(graph, match.body);
  const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
  std::string why;
  auto axis = node ? colour_channel_axis(graph, match.body, *node, op, data_inputs, why) : std::nullopt;
  if (!axis) return fail(ErrorCode::BadInput, "no rewritable " + op + ": " + why);
  return std::pair<ir::Node, std::int64_t>{*node, *axis};
}

std::array<ir::TensorRef, 3> unpack_channels(RewriteBuilder& b, const std::string& suffix, const ir::TensorRef& in,
                                             std::int64_t axis) {
  const auto all = b.op(suffix, "Unpack", {in},
                        {{"T", type_attr(ir::DType::Float)},
                         {"num", ir::AttrValue{std::int64_t{3}}},
                         {"axis", ir::AttrValue{axis}}});
  std::array<ir::TensorRef, 3> channels{all, all, all};
  channels[1].index = 1;
  channels[2].index = 2;
  return channels;
}

ir::TensorRef pack_channels(RewriteBuilder& b, const std::string& suffix, std::vector<ir::TensorRef> channels,
                            std::int64_t axis) {
  return b.op(suffix, "Pack", std::move(channels),
              {{"T", type_attr(ir::DType::Float)},
               {"N", ir::AttrValue{std::int64_t{3}}},
               {"axis", ir::AttrValue{axis}}});
}

ir::TensorRef f32_scalar(RewriteBuilder& b, const std::string& suffix, float value) {
  return b.floats(suffix, ir::Shape::scalar(), {value});
}

ir::TensorRef f32_select(RewriteBuilder& b, const std::string& suffix, ir::TensorRef cond, ir::TensorRef x,
                         ir::TensorRef y) {
  return b.op(suffix, "SelectV2", {std::move(cond), std::move(x), std::move(y)}, {{"T", type_attr(ir::DType::Float)}});
}

}  // namespace litelint::rules
