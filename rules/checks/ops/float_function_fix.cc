// Shared pieces of the special-function fixes; see float_function_fix.h.
#include "rules/checks/ops/float_function_fix.h"

#include <utility>

#include "rules/checks/ops/planned_node_match.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {

bool is_float32_function(const ir::Node& node, const std::string& op, std::size_t data_inputs, std::string& why_not) {
  if (node.op != op || node.data_input_count() != data_inputs) return false;
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
    why_not = op + " '" + node.name + "' is not float32";
    return false;
  }
  return true;
}

std::vector<FixMatch> match_float32_functions(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                              std::size_t data_inputs, const std::string& fix_id,
                                              const std::string& how, std::string& why_not) {
  if (finding.op != op) return {};
  // The node itself is the "plan": non-null when it is one to replace.
  const auto accepted = [&](const ir::Graph&, const std::string&, const ir::Node& node, std::string& why) {
    return is_float32_function(node, op, data_inputs, why) ? &node : nullptr;
  };
  const auto summary = [&](const ir::Node& node, const ir::Node&) {
    return "compute " + op + " '" + node.name + "' " + how;
  };
  return match_planned_nodes(finding, graph, fix_id, why_not, accepted, summary);
}

Expected<ir::Node> float32_function_node(const ir::Graph& graph, const FixMatch& match, const std::string& op,
                                         std::size_t data_inputs) {
  const ir::NodeList* nodes = body_nodes(graph, match.body);
  const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
  std::string why;
  if (node == nullptr || !is_float32_function(*node, op, data_inputs, why))
    return fail(ErrorCode::BadInput, "no float32 " + op + " to replace" + (why.empty() ? "" : ": " + why));
  return *node;
}

void select_into_replaced(ir::Graph& graph, ir::NodeList& nodes, NodeBuilder& b, GraphEdit& edit,
                          const ir::Node& original, ir::TensorRef cond, ir::TensorRef x, ir::TensorRef y) {
  b.insert_before(original.name);
  ir::Node* result = nodes.find(original.name);
  result->op = "SelectV2";
  result->inputs = {std::move(cond), std::move(x), std::move(y)};
  result->attrs.clear();
  result->attrs["T"] = *original.attr("T");
  edit.added.push_back(describe(*result));
  retarget_output_arg(graph, b.body(), original.name, "output");
}

}  // namespace litelint::rules
