// Small-integer arithmetic (LL201: ADD/SUB/MUL have no uint8/int8/int16/uint16 kernel for plain
// tensors) computed in int32 between CASTs. int32 holds the exact sum, difference or product of
// two 8- or 16-bit values (int16 products stay within 2^30; uint16 Mul, which can pass 2^31, is
// left alone), and casting the int32 result back wraps modulo 2^bits as TensorFlow's narrow
// kernel does, so the numbers are the same.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

bool widenable_op(std::string_view op) { return op == "AddV2" || op == "Add" || op == "Sub" || op == "Mul"; }

bool small_int(ir::DType t) {
  // int16 products reach 2^30 and uint16 ones 2^32 - 2^17 + 1, past int32: uint16 Mul is left out.
  return t == ir::DType::UInt8 || t == ir::DType::Int8 || t == ir::DType::Int16 || t == ir::DType::UInt16;
}

std::optional<ir::DType> operand_type(const ir::Node& node) {
  const ir::AttrValue* t = node.attr("T");
  if (t == nullptr || t->as_type() == nullptr || !small_int(*t->as_type())) return std::nullopt;
  if (*t->as_type() == ir::DType::UInt16 && node.op == "Mul") return std::nullopt;
  return *t->as_type();
}

ir::Node cast_node(const std::string& name, ir::TensorRef from, ir::DType src, ir::DType dst, const std::string& device) {
  ir::Node cast;
  cast.name = name;
  cast.op = "Cast";
  cast.device = device;
  cast.inputs = {std::move(from)};
  cast.attrs["SrcT"] = ir::AttrValue{src};
  cast.attrs["DstT"] = ir::AttrValue{dst};
  cast.attrs["Truncate"] = ir::AttrValue{false};
  return cast;
}

class WidenSmallInt final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "widen-small-int", .code = "LL201", .safety = Applicability::Safe,
            .title = "compute in int32 between casts", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (!widenable_op(finding.op)) return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || node->data_input_count() != 2) continue;
      auto t = operand_type(*node);
      if (!t) {
        why_not = "node '" + fn.name + "' is not 8- or 16-bit integer arithmetic that int32 holds exactly";
        continue;
      }
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "compute " + node->op + " '" + node->name + "' (" + ir::dtype_name(*t) + ") in int32";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    auto t = node ? operand_type(*node) : std::nullopt;
    if (!t || !widenable_op(node->op) || node->data_input_count() != 2) {
      return fail(ErrorCode::BadInput, "'" + (match.nodes.empty() ? std::string() : match.nodes.front()) +
                                           "' is no small-integer Add, Sub or Mul");
    }
    GraphEdit edit;
    const std::string name = node->name;
    const std::string wide = unique_name(*nodes, name + "/int32");
    std::vector<ir::Node> added;
    for (std::size_t i = 0; i < 2; ++i) {
      ir::Node c = cast_node(unique_name(*nodes, name + "/operand" + std::to_string(i) + "_int32"),
                             node->inputs[i], *t, ir::DType::Int32, node->device);
      node->inputs[i] = output_ref(match.body, c.name, "y");
      edit.added.push_back(describe(c));
      added.push_back(std::move(c));
    }
    // The arithmetic moves to "<name>/int32"; a Cast back takes the node's name, so readers
    // keep their references (with the Cast's output argument in a function body).
    ir::Node arithmetic = *node;
    arithmetic.name = wide;
    arithmetic.attrs["T"] = ir::AttrValue{ir::DType::Int32};
    arithmetic.attrs.erase("_output_shapes");
    arithmetic.outputs.clear();
    edit.changed.push_back(describe(arithmetic));
    const std::string z_arg = "z";
    ir::Node back = cast_node(name, output_ref(match.body, wide, z_arg), ir::DType::Int32, *t, node->device);
    back.outputs = node->outputs;
    edit.added.push_back(describe(back));
    added.push_back(std::move(arithmetic));
    *node = std::move(back);
    insert_before(*nodes, name, std::move(added));
    retarget_output_arg(graph, match.body, name, "y");
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_widen_small_int_fix() { return std::make_unique<WidenSmallInt>(); }

}  // namespace litelint::rules
