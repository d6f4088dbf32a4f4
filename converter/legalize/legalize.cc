#include "converter/legalize/legalize.h"

#include <fmt/format.h>

#include "converter/fold/fold.h"
#include "converter/legalize/context.h"
#include "converter/legalize/custom_ops.h"
#include "rules/engine/opdb.h"

namespace litelint::converter {
namespace {

class Legalizer {
 public:
  Legalizer(const Program& program, const LegalizeOptions& options, ConvertReport& report)
      : program_(program), options_(options), report_(report) {}

  Expected<tfl::Model> run() {
    model_.subgraphs.resize(program_.entries.size());
    for (std::size_t i = 0; i < program_.entries.size(); ++i) {
      const auto& graph = program_.entries[i];
      const auto& sig = graph.signatures.at(0);
      model_.subgraphs[i].name = sig.key;
      if (auto ok = legalize_graph(graph, i); !ok) return unexpected(ok.error());
      tfl::SignatureDef def;
      def.key = sig.key;
      def.subgraph = static_cast<std::uint32_t>(i);
      const auto& sg = model_.subgraphs[i];
      for (std::size_t k = 0; k < sig.inputs.size(); ++k) def.inputs.emplace_back(sig.inputs[k].key, sg.inputs[k]);
      for (std::size_t k = 0; k < sig.outputs.size(); ++k) def.outputs.emplace_back(sig.outputs[k].key, sg.outputs[k]);
      model_.signatures.push_back(std::move(def));
    }
    return std::move(model_);
  }

 private:
  Expected<std::int32_t> body(std::string_view function) {
    if (auto it = body_index_.find(function); it != body_index_.end()) {
      if (it->second < 0) return fail(ErrorCode::Unsupported, fmt::format("function '{}' calls itself", function));
      return it->second;
    }
    auto found = program_.bodies.find(function);
    if (found == program_.bodies.end()) {
      return fail(ErrorCode::Internal, fmt::format("control-flow body '{}' was not imported", function));
    }
    body_index_.emplace(std::string(function), -1);
    const std::size_t index = model_.subgraphs.size();
    model_.subgraphs.emplace_back();
    model_.subgraphs[index].name = std::string(function);
    if (auto ok = legalize_graph(found->second, index); !ok) return unexpected(ok.error());
    body_index_[std::string(function)] = static_cast<std::int32_t>(index);
    return static_cast<std::int32_t>(index);
  }

  Expected<void> legalize_graph(const ir::Graph& graph, std::size_t index) {
    SubgraphBuilder builder(model_, index);
    builder.set_body_resolver([this](std::string_view f) { return body(f); });
    builder.set_graph(&graph);
    builder.set_model_ids(&model_ids_);
    const std::string subgraph_name = model_.subgraphs[index].name;
    const auto& sig = graph.signatures.at(0);
    // Inputs first, in signature order, so that SignatureDef and subgraph inputs agree.
    for (const auto& in : sig.inputs) {
      const auto ref = ir::TensorRef::parse(in.tensor_name);
      if (!ref) return fail(ErrorCode::Internal, "bad signature input '" + in.tensor_name + "'");
      const ir::Node* node = graph.nodes.find(ref->node);
      TensorSlot& slot = builder.slot(ref->node, ref->index);
      slot.type = node != nullptr && !node->outputs.empty() ? node->outputs[0] : in.type;
      slot.tfl = builder.add_tensor(ref->node, slot.type);
      model_.subgraphs[index].inputs.push_back(slot.tfl);
    }
    for (const auto& node : graph.nodes.nodes()) {
      if (ir::is_placeholder(node.op)) {
        if (builder.find_slot(node.name, 0) == nullptr) {
          return fail(ErrorCode::Unsupported,
                      fmt::format("node '{}' ({}): a graph input that the signature does not name", node.name, node.op));
        }
        continue;
      }
      if (auto ok = legalize_node(builder, node, subgraph_name); !ok) return ok;
    }
    for (const auto& out : sig.outputs) {
      const auto ref = ir::TensorRef::parse(out.tensor_name);
      if (!ref) return fail(ErrorCode::Internal, "bad signature output '" + out.tensor_name + "'");
      TensorSlot* slot = const_cast<TensorSlot*>(builder.find_slot(ref->node, ref->index));
      if (slot == nullptr) {
        return fail(ErrorCode::Internal, fmt::format("output '{}' was never computed", out.tensor_name));
      }
      auto t = builder.materialize(*slot, out.tensor_name);
      if (!t) return unexpected(t.error());
      model_.subgraphs[index].outputs.push_back(*t);
    }
    return {};
  }

  Expected<void> legalize_node(SubgraphBuilder& builder, const ir::Node& node, const std::string& subgraph) {
    // Types of every output, as inference left them (lowerings read them through the slots).
    for (std::size_t i = 0; i < node.outputs.size(); ++i) {
      builder.slot(node.name, static_cast<std::int32_t>(i)).type = node.outputs[i];
    }
    NodeMapping mapping{subgraph, node.name, node.op, {}};
    if (node.op == "Const") {
      const auto* value = node.attr("value");
      if (value == nullptr || value->as_tensor() == nullptr) {
        return fail(ErrorCode::BadInput, fmt::format("node '{}' (Const): no value", node.name));
      }
      auto c = ConstValue::from_tensor(*value->as_tensor());
      if (!c) return fail(c.error().code(), fmt::format("node '{}' (Const): {}", node.name, c.error().reason()));
      TensorSlot& slot = builder.slot(node.name, 0);
      slot.type = {c->dtype, c->shape};
      slot.constant = std::make_shared<const ConstValue>(std::move(*c));
      report_.nodes.push_back(std::move(mapping));
      return {};
    }
    LoweringContext ctx(builder, node);
    if (try_fold(ctx)) {
      report_.nodes.push_back(std::move(mapping));
      return {};
    }
    const std::size_t before = builder.subgraph().operators.size();
    Expected<void> lowered;
    const auto* lowering = find_lowering(node.op);
    if (lowering != nullptr && !builtin_takes_dtype(ctx)) lowering = nullptr;
    if (lowering != nullptr) {
      lowered = lowering->lower(ctx);
    } else if (options_.select_tf_ops && rules::on_flex_allowlist(node.op)) {
      lowered = lower_as_custom_op(ctx, CustomKind::Flex);
    } else if (options_.allow_custom_ops) {
      lowered = lower_as_custom_op(ctx, CustomKind::Custom);
    } else {
      lowered = ctx.fail("litelint's converter has no lowering for this op yet");
    }
    if (!lowered) return lowered;
    const auto& ops = builder.subgraph().operators;
    for (std::size_t i = before; i < ops.size(); ++i) mapping.tflite_ops.push_back(tfl::op_name(ops[i]));
    report_.nodes.push_back(std::move(mapping));
    return {};
  }

  // False when the op database's builtin path has no kernel for the node's element type
  // (float64 ABS, int8 ADDV2 from an unquantized graph): TensorFlow's converter keeps such a
  // node as a TF op, and so do we (rule LL201 reports the same fact). Input 0 is not always
  // the data operand (Fill's dims), so the result type may also vouch for the kernel.
  static bool builtin_takes_dtype(const LoweringContext& ctx) {
    const auto* info = rules::find_tf_op(ctx.op());
    if (info == nullptr || info->dtypes.is_any() || info->dtypes.empty()) return true;
    std::optional<ir::DType> main = ctx.attr_type("T");
    if (!main && ctx.input_count() > 0) main = ctx.input_type(0).dtype;
    if (!main) return true;
    const auto base = ir::base_dtype(*main);
    if (base == ir::DType::Resource || base == ir::DType::Variant || base == ir::DType::Invalid) return true;
    if (auto e = rules::elem_type_of(base); !e || info->accepts(*e)) return true;
    if (ctx.output_count() > 0) {
      const auto out = ir::base_dtype(ctx.output_type(0).dtype);
      if (auto e = rules::elem_type_of(out); e && info->accepts(*e)) return true;
    }
    return false;
  }

  // Folds the node when its inputs allow; the outputs become constants and nothing is emitted.
  bool try_fold(LoweringContext& ctx) {
    std::vector<const ConstValue*> values;
    std::vector<ir::TensorType> types;
    for (std::size_t i = 0; i < ctx.input_count(); ++i) {
      values.push_back(ctx.constant(i));
      types.push_back(ctx.input_type(i));
    }
    auto folded = fold({ctx.node(), values, types});
    if (!folded) return false;
    for (std::size_t i = 0; i < folded->size(); ++i) ctx.set_constant(i, std::move((*folded)[i]));
    return true;
  }

  const Program& program_;
  const LegalizeOptions& options_;
  ConvertReport& report_;
  tfl::Model model_;
  std::map<std::string, std::int32_t, std::less<>> body_index_;
  SubgraphBuilder::ModelIds model_ids_;
};

}  // namespace

Expected<tfl::Model> legalize(const Program& program, const LegalizeOptions& options, ConvertReport& report) {
  return Legalizer(program, options, report).run();
}

}  // namespace litelint::converter
