// Shared pieces of the special-function fixes; see float_function_fix.h.
#include "rules/checks/ops/float_function_fix.h"

#include <utility>

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
  std::vector<FixMatch> out;
  if (finding.op != op) return out;
  for (const auto& fn : finding.nodes) {
    const std::string body = body_of(fn);
    const ir::NodeList* nodes = body_nodes(graph, body);
    const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
    if (node == nullptr || !is_float32_function(*node, op, data_inputs, why_not)) continue;
    FixMatch m;
    m.fix_id = fix_id;
    m.body = body;
    m.nodes = {node->name};
    m.summary = "compute " + op + " '" + node->name + "' " + how;
    out.push_back(std::move(m));
  }
  return out;
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
