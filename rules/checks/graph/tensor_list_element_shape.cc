#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags TensorList ops (TensorArrays, Keras RNN loops) whose element shape is not static, or
whose element type the converter cannot lower.
## Why is this bad?
TFLiteConverter lowers tensor lists to plain tensors, which needs a static element shape.
A constant element shape with an unknown first dimension (a dynamic batch in a Keras RNN is
the common case) fails with "requires element_shape to be static during TF Lite
transformation pass", and the whole lowering is abandoned: with SELECT_TF_OPS every tensor
list op stays a Select TF op, without it the conversion fails.
## Example
    inputs = tf.keras.Input(shape=(10, 8))          # batch unknown
    y = tf.keras.layers.LSTM(16)(inputs)
Use instead:
    inputs = tf.keras.Input(shape=(10, 8), batch_size=1)
## Fix
Export with a static batch size (`batch_size=1` on the Input, or a concrete function with a
fully defined `TensorSpec`), or convert with SELECT_TF_OPS and
`converter._experimental_lower_tensor_list_ops = False`.
)md";

// The ops whose element_shape / element_dtype attributes the lowering checks.
bool creates_list(std::string_view op) {
  return op == "TensorListReserve" || op == "EmptyTensorList";
}

// Values of a small int Const, or nullopt when unknown.
std::optional<std::vector<std::int64_t>> const_ints(const ir::Node& n) {
  if (n.op != "Const") return std::nullopt;
  const auto* a = n.attr("value");
  const ir::Tensor* t = a ? a->as_tensor() : nullptr;
  if (!t || !t->has_value()) return std::nullopt;
  const std::size_t width = t->dtype() == ir::DType::Int32 ? 4 : t->dtype() == ir::DType::Int64 ? 8 : 0;
  if (width == 0) return std::nullopt;
  auto bytes = t->load();
  if (!bytes || bytes->bytes.size() % width != 0 || bytes->bytes.size() > 64 * width) {
    return std::nullopt;
  }
  std::vector<std::int64_t> values;
  for (std::size_t off = 0; off < bytes->bytes.size(); off += width) {
    if (width == 4) {
      std::int32_t v;
      std::memcpy(&v, bytes->bytes.data() + off, 4);
      values.push_back(v);
    } else {
      std::int64_t v;
      std::memcpy(&v, bytes->bytes.data() + off, 8);
      values.push_back(v);
    }
  }
  return values;
}

class TensorListElementShape final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL404", .name = "tensor-list-dynamic-element", .severity = Severity::Error,
            .summary = "tensor list with a non-static element shape cannot be lowered to builtins",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    bool failed = false;
    const bool static_item = has_static_item(ctx);
    std::set<const ir::Node*> reported;
    for (const auto& v : ctx.visited()) {
      const ir::Node& node = *v.node;
      if (!creates_list(node.op)) continue;
      ctx.focus(v);
      std::string cause = problem(node, ctx, static_item);
      if (cause.empty()) continue;
      failed = true;
      reported.insert(&node);
      ctx.report(node, std::move(cause))
          .impact(Impact::FlexOrFail)
          .flag(ConverterFlag::KeepTensorListOps)
          .suggestion("export with a static batch size (e.g. tf.keras.Input(..., batch_size=1)), "
                      "or convert with SELECT_TF_OPS and "
                      "converter._experimental_lower_tensor_list_ops = False");
    }
    if (!failed) return;
    // The ops that use the list the lowering gave up on stay TF ops too (measured: Keras RNN
    // output lists keep TensorListSetItem/Stack). Lists built from a tensor
    // (TensorListFromTensor, read by TensorListGetItem) still lower, so those two are left out.
    for (const auto& v : ctx.visited()) {
      const TfOpInfo* info = ctx.op_info(*v.node);
      if (!info || info->status != TfOpStatus::TensorList || reported.count(v.node)) continue;
      if (v.node->op == "TensorListFromTensor" || v.node->op == "TensorListGetItem") continue;
      ctx.focus(v);
      ctx.report(*v.node, "stays a TensorFlow op because the model's tensor-list lowering fails; "
                          "the op needs Select TF ops, else the conversion fails")
          .impact(Impact::FlexOrFail)
          .flag(ConverterFlag::KeepTensorListOps)
          .suggestion("make every tensor list's element shape static (see the other finding)");
    }
  }

 private:
  // True when some TensorListSetItem writes an item of static shape (checked per scope).
  static bool has_static_item(RuleContext& ctx) {
    for (const auto& v : ctx.visited()) {
      if (v.node->op != "TensorListSetItem" || v.node->data_input_count() < 3) continue;
      ctx.focus(v);
      auto t = ctx.input_type(*v.node, 2);
      if (t && t->shape.is_fully_defined()) return true;
    }
    return false;
  }

  static std::string problem(const ir::Node& node, const RuleContext& ctx, bool static_item) {
    if (const auto* a = node.attr("element_dtype"); a && a->as_type()) {
      switch (ir::base_dtype(*a->as_type())) {
        case ir::DType::Bool: case ir::DType::Int8: case ir::DType::Int16: case ir::DType::Int32:
        case ir::DType::Int64: case ir::DType::UInt8: case ir::DType::Half: case ir::DType::Float:
        case ir::DType::Double:
          break;
        default:
          return fmt::format("element type {} cannot be lowered; the op needs Select TF ops, "
                             "else the conversion fails",
                             ir::dtype_name(*a->as_type()));
      }
    }
    // Input 0 of both ops is element_shape. A non-constant one is passed through as a run-time
    // value, and a scalar -1 takes the shape from the first TensorListSetItem; both lower.
    const ir::Node* p = ctx.producer(node, 0);
    if (!p) return {};
    auto values = const_ints(*p);
    if (!values || values->empty()) return {};
    const auto* a = p->attr("value");
    const bool scalar = a && a->as_tensor() && a->as_tensor()->shape().has_rank() &&
                        a->as_tensor()->shape().rank() == 0;
    if (scalar) {
      // An unknown-rank element shape (-1) is taken from the items written to the list; the
      // lowering needs one TensorListSetItem whose item has a static shape.
      if ((*values)[0] != -1 || static_item) return {};
      return "element shape is unknown (-1) and no item written to the list has a static "
             "shape; tensor-list lowering fails (\"requires element_shape to be 1D tensor\"), "
             "so the op needs Select TF ops, else the conversion fails";
    }
    if ((*values)[0] >= 0) return {};
    return fmt::format("element shape [{}] has an unknown first dimension; tensor-list lowering "
                       "fails (\"requires element_shape to be static\"), so the op needs "
                       "Select TF ops, else the conversion fails",
                       fmt::join(*values, ","));
  }
};

}  // namespace

std::unique_ptr<Rule> make_tensor_list_element_shape() {
  return std::make_unique<TensorListElementShape>();
}

}  // namespace litelint::rules
