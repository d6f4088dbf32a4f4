// Mutable resource variables (the ones import did not freeze because the signature writes
// them) become TFLite resource variables, as TensorFlow's converter makes them:
//   VarHandleOp          -> VAR_HANDLE (container, shared_name)
//   ReadVariableOp       -> READ_VARIABLE
//   AssignVariableOp     -> ASSIGN_VARIABLE
//   AssignAdd/SubVariableOp -> READ_VARIABLE, ADD/SUB, ASSIGN_VARIABLE
// A TFLite variable starts empty, so the model also gets one initialization subgraph that
// assigns every variable its checkpoint value, run by a CALL_ONCE before the first VAR_HANDLE
// of each subgraph that uses variables (CALL_ONCE runs its subgraph once per interpreter,
// however many subgraphs call it).
#include <fmt/format.h>

#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

constexpr std::string_view kInitSubgraph = "litelint_variables_init";
constexpr std::string_view kInitKey = "subgraph:variables_init";

const ir::TensorType kResource{ir::DType::Resource, ir::Shape::scalar()};

// The checkpoint value of the variable behind VarHandleOp `node`.
Expected<ConstValue> initial_value(LoweringContext& ctx) {
  const ir::Graph* graph = ctx.builder().graph();
  if (graph != nullptr) {
    for (const auto& v : graph->variables) {
      if (v.node_name != ctx.node().name) continue;
      if (!v.value.has_value()) break;
      auto value = ConstValue::from_tensor(v.value);
      if (!value) return ctx.fail(value.error().reason());
      return value;
    }
  }
  return ctx.fail("a variable the model writes, without a value in the checkpoint to start from");
}

// The index of the model's variable-initialization subgraph, made on first use.
std::int32_t init_subgraph(LoweringContext& ctx) {
  auto& ids = ctx.builder().model_ids();
  if (auto it = ids.find(kInitKey); it != ids.end()) return it->second;
  auto& model = ctx.builder().model();
  const auto index = static_cast<std::int32_t>(model.subgraphs.size());
  model.subgraphs.emplace_back();
  model.subgraphs.back().name = std::string(kInitSubgraph);
  ids.emplace(std::string(kInitKey), index);
  return index;
}

tflite::VarHandleOptionsT handle_options(const std::string& container, const std::string& shared_name) {
  tflite::VarHandleOptionsT o;
  o.container = container;
  o.shared_name = shared_name;
  return o;
}

// Appends VAR_HANDLE, the value and ASSIGN_VARIABLE to the initialization subgraph, once per
// variable.
Expected<void> initialize(LoweringContext& ctx, const std::string& container, const std::string& shared_name) {
  auto& ids = ctx.builder().model_ids();
  const std::string key = fmt::format("variable:{}/{}", container, shared_name);
  if (ids.count(key)) return {};
  auto value = initial_value(ctx);
  if (!value) return unexpected(value.error());
  const std::int32_t index = init_subgraph(ctx);
  SubgraphBuilder init(ctx.builder().model(), static_cast<std::size_t>(index));
  const std::int32_t handle = init.add_tensor(shared_name, kResource);
  auto constant = init.add_constant(shared_name + "/initial_value", *value);
  if (!constant) return ctx.fail(constant.error().reason());
  auto& ops = init.subgraph().operators;
  tfl::Operator var;
  var.builtin = tflite::BuiltinOperator::VAR_HANDLE;
  var.outputs = {handle};
  var.options.Set(handle_options(container, shared_name));
  var.origin = {ctx.node().name};
  ops.push_back(std::move(var));
  tfl::Operator assign;
  assign.builtin = tflite::BuiltinOperator::ASSIGN_VARIABLE;
  assign.inputs = {handle, *constant};
  assign.origin = {ctx.node().name};
  ops.push_back(std::move(assign));
  ids.emplace(key, index);
  return {};
}

Expected<void> lower_var_handle(LoweringContext& ctx) {
  const std::string container = ctx.attr_string("container");
  std::string shared_name = ctx.attr_string("shared_name");
  // An empty shared_name shares by node name in TensorFlow; the TFLite runtime needs a key.
  if (shared_name.empty()) shared_name = ctx.node().name;
  if (auto ok = initialize(ctx, container, shared_name); !ok) return ok;
  const std::int32_t init_index = init_subgraph(ctx);
  auto& ids = ctx.builder().model_ids();
  const std::string once_key = fmt::format("call_once:{}", ctx.builder().index());
  if (!ids.count(once_key)) {
    auto& once = ctx.emit("CALL_ONCE", {}, {});
    tflite::CallOnceOptionsT options;
    options.init_subgraph_index = init_index;
    once.options.Set(std::move(options));
    ids.emplace(once_key, init_index);
  }
  ctx.builder().slot(ctx.node().name, 0).type = kResource;
  auto& op = ctx.emit("VAR_HANDLE", {}, {ctx.output(0)});
  op.options.Set(handle_options(container, shared_name));
  return {};
}

// The type a read of the variable gives: the node's, else the dtype attr.
void type_read(LoweringContext& ctx, std::size_t output, const ir::TensorType& fallback) {
  TensorSlot& slot = ctx.builder().slot(ctx.node().name, static_cast<std::int32_t>(output));
  if (slot.type.dtype == ir::DType::Invalid) slot.type = fallback;
}

Expected<void> lower_read(LoweringContext& ctx) {
  auto handle = ctx.input(0);
  if (!handle) return unexpected(handle.error());
  type_read(ctx, 0, {ctx.attr_type("dtype").value_or(ir::DType::Invalid), ir::Shape()});
  ctx.emit("READ_VARIABLE", {*handle}, {ctx.output(0)});
  return {};
}

Expected<void> lower_assign(LoweringContext& ctx) {
  auto handle = ctx.input(0);
  if (!handle) return unexpected(handle.error());
  auto value = ctx.input(1);
  if (!value) return unexpected(value.error());
  ctx.emit("ASSIGN_VARIABLE", {*handle, *value}, {});
  return {};
}

// var += value (var -= value): TFLite has no in-place update, so read, compute, write back.
Expected<void> lower_assign_update(LoweringContext& ctx) {
  auto handle = ctx.input(0);
  if (!handle) return unexpected(handle.error());
  auto value = ctx.input(1);
  if (!value) return unexpected(value.error());
  const ir::TensorType type = ctx.input_type(1);
  const std::int32_t current = ctx.add_tensor("read", type);
  ctx.emit("READ_VARIABLE", {*handle}, {current});
  const std::int32_t updated = ctx.add_tensor("update", type);
  if (ctx.op() == "AssignAddVariableOp") {
    ctx.emit("ADD", {current, *value}, {updated}).options.Set(tflite::AddOptionsT{});
  } else {
    ctx.emit("SUB", {current, *value}, {updated}).options.Set(tflite::SubOptionsT{});
  }
  ctx.emit("ASSIGN_VARIABLE", {*handle, updated}, {});
  return {};
}

}  // namespace

std::span<const Lowering> variables() {
  static constexpr Lowering kLowerings[] = {
      {"AssignAddVariableOp", lower_assign_update},
      {"AssignSubVariableOp", lower_assign_update},
      {"AssignVariableOp", lower_assign},
      {"ReadVariableOp", lower_read},
      {"VarHandleOp", lower_var_handle},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
