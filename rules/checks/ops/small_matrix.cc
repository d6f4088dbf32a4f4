// Shared pieces of the small-matrix unrolling fixes; see small_matrix.h.
#include "rules/checks/ops/small_matrix.h"

#include <utility>

#include "rules/checks/ops/planned_node_match.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {

std::optional<ir::Shape> unrollable_matrices(const ir::Node& node, const ir::NodeList& nodes, const std::string& op,
                                             std::int64_t max_order, std::string& why_not) {
  if (node.op != op || node.data_input_count() != 1) return std::nullopt;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = op + " '" + node.name + "' is not float32";
    return std::nullopt;
  }
  const ir::Node* p = nodes.find(node.inputs[0].node);
  const auto index = static_cast<std::size_t>(node.inputs[0].index);
  if (p == nullptr || index >= p->outputs.size() || !p->outputs[index].shape.is_fully_defined() ||
      p->outputs[index].shape.rank() < 2) {
    why_not = op + " '" + node.name + "' reads a tensor whose shape is not static";
    return std::nullopt;
  }
  const ir::Shape& shape = p->outputs[index].shape;
  const std::int64_t n = shape.dim(shape.rank() - 1);
  if (n != shape.dim(shape.rank() - 2) || n < 1 || n > max_order) {
    why_not = op + " '" + node.name + "' is of " + shape.to_string() + " matrices; only square ones up to " +
              std::to_string(max_order) + "x" + std::to_string(max_order) + " are unrolled";
    return std::nullopt;
  }
  return shape;
}

Expected<std::pair<ir::Node, ir::Shape>> unrollable_node(const ir::Graph& graph, const FixMatch& match,
                                                         const std::string& op, std::int64_t max_order) {
  const ir::NodeList* nodes = body_nodes(graph, match.body);
  const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
  std::string why;
  auto shape = node ? unrollable_matrices(*node, *nodes, op, max_order, why) : std::nullopt;
  if (!shape) return fail(ErrorCode::BadInput, "no unrollable " + op + ": " + why);
  return std::pair{*node, std::move(*shape)};
}

std::vector<FixMatch> match_matrix_nodes(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                         const std::string& fix_id, const MatrixOrder& order,
                                         const MatrixSummary& summary, std::string& why_not) {
  if (finding.op != op) return {};
  const auto order_of = [&](const ir::Graph& g, const std::string& body, const ir::Node& node, std::string& why) {
    return order(node, *body_nodes(g, body), why);
  };
  const auto summarise = [&](const ir::Node& node, std::int64_t n) { return summary(node.name, n); };
  return match_planned_nodes(finding, graph, fix_id, why_not, order_of, summarise);
}

std::vector<FixMatch> match_unrollable_matrices(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                                std::int64_t max_order, const std::string& fix_id,
                                                const MatrixSummary& summary, std::string& why_not) {
  const auto order = [&](const ir::Node& node, const ir::NodeList& nodes, std::string& why) {
    auto shape = unrollable_matrices(node, nodes, op, max_order, why);
    return shape ? std::optional<std::int64_t>(shape->dim(shape->rank() - 1)) : std::nullopt;
  };
  return match_matrix_nodes(finding, graph, op, fix_id, order, summary, why_not);
}

std::string unpack_entries(NodeBuilder& b, const ir::TensorRef& in, std::int64_t n) {
  const auto flat = b.op("flat", "Reshape", {in, b.i32("flat_shape", {-1, static_cast<std::int32_t>(n * n)}, {2})},
                         {{"Tshape", ir::AttrValue{ir::DType::Int32}}});
  return b.node("entries", "Unpack", {flat}, {{"num", ir::AttrValue{n * n}}, {"axis", ir::AttrValue{std::int64_t{1}}}});
}

void reshape_into_replaced(ir::Graph& graph, ir::NodeList& nodes, NodeBuilder& b, GraphEdit& edit,
                           const ir::Node& original, const std::vector<ir::TensorRef>& entries,
                           const ir::Shape& shape) {
  const auto count = static_cast<std::int64_t>(entries.size());
  const auto pack =
      b.op("pack", "Pack", entries, {{"N", ir::AttrValue{count}}, {"axis", ir::AttrValue{std::int64_t{1}}}});
  std::vector<std::int32_t> dims;
  for (const auto d : shape.dims()) dims.push_back(static_cast<std::int32_t>(d));
  const auto out_shape = b.i32("shape", dims, {static_cast<std::int64_t>(dims.size())});
  b.insert_before(original.name);
  ir::Node* result = nodes.find(original.name);
  result->op = "Reshape";
  result->inputs = {pack, out_shape};
  result->attrs.clear();
  result->attrs["T"] = *original.attr("T");
  result->attrs["Tshape"] = ir::AttrValue{ir::DType::Int32};
  edit.added.push_back(describe(*result));
  retarget_output_arg(graph, b.body(), original.name, "output");
}

}  // namespace litelint::rules
