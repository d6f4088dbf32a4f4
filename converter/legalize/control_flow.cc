// Functional control flow: While/StatelessWhile become WHILE and If/StatelessIf become IF, each
// running subgraphs legalized from the TF functions the node names (Program::bodies). The
// operands are the node's data inputs unchanged: TF and TFLite agree that a While's loop
// variables are its inputs, its outputs and the arguments and results of both bodies, and
// that an If's first input is the predicate and the rest are the arguments of either branch.
//
// Case/StatelessCase is not lowered: TensorFlow's converter rejects it too ("'tf.Case' op is
// neither a custom op nor a flex op"), so a model using it does not convert either way.
#include <algorithm>

#include <fmt/format.h>

#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

// The function a control-flow node runs through attr `key`.
Expected<std::string> function_attr(LoweringContext& ctx, std::string_view key) {
  const ir::AttrValue* a = ctx.node().attr(key);
  if (a == nullptr || a->as_func() == nullptr) return ctx.fail(fmt::format("has no function attr '{}'", key));
  return a->as_func()->name;
}

// Output i takes the dtype of `fallback` where inference left it unknown (a loop variable
// keeps its type across iterations; a branch result has the type `Tout` names).
void type_output(LoweringContext& ctx, std::size_t i, ir::DType fallback) {
  TensorSlot& slot = ctx.builder().slot(ctx.node().name, static_cast<std::int32_t>(i));
  if (slot.type.dtype == ir::DType::Invalid) slot.type.dtype = fallback;
}

Expected<std::vector<std::int32_t>> data_inputs(LoweringContext& ctx, std::size_t first) {
  std::vector<std::int32_t> inputs;
  for (std::size_t i = first; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  return inputs;
}

// True when the graph being legalized reads output `index` of the node (as data or as a
// signature output). Without the graph, every output counts as read.
bool output_read(LoweringContext& ctx, std::size_t index) {
  const ir::Graph* graph = ctx.builder().graph();
  if (graph == nullptr) return true;
  const auto k = static_cast<std::int32_t>(index);
  for (const auto& n : graph->nodes.nodes()) {
    for (const auto& in : n.inputs) {
      if (!in.control && in.node == ctx.node().name && in.index == k) return true;
    }
  }
  for (const auto& sig : graph->signatures) {
    for (const auto& out : sig.outputs) {
      auto ref = ir::TensorRef::parse(out.tensor_name);
      if (!ref || (ref->node == ctx.node().name && ref->index == k)) return true;
    }
  }
  return false;
}

// Operators whose effect is more than their outputs; dead-code removal keeps them.
bool has_effect(const tfl::Operator& op) {
  using B = tflite::BuiltinOperator;
  switch (op.builtin) {
    case B::ASSIGN_VARIABLE: case B::CALL_ONCE: case B::HASHTABLE_IMPORT: case B::WHILE: case B::IF:
    case B::CALL: case B::CUSTOM: case B::RANDOM_UNIFORM: case B::RANDOM_STANDARD_NORMAL: case B::MULTINOMIAL:
      return true;
    default:
      return false;
  }
}

bool reads(const tfl::Subgraph& sg, std::int32_t tensor) {
  for (const auto& op : sg.operators) {
    if (std::find(op.inputs.begin(), op.inputs.end(), tensor) != op.inputs.end()) return true;
  }
  return std::find(sg.outputs.begin(), sg.outputs.end(), tensor) != sg.outputs.end();
}

// True when loop variable k only feeds itself: the cond does not read it, and in the body it
// reaches no other result and no operator with an effect (a loop counter nobody reads, a
// maximum_iterations the cond ignores).
bool feeds_only_itself(const tfl::Subgraph& cond, const tfl::Subgraph& body, std::size_t k) {
  if (reads(cond, cond.inputs[k])) return false;
  std::vector<bool> tainted(body.tensors.size(), false);
  tainted[static_cast<std::size_t>(body.inputs[k])] = true;
  for (const auto& op : body.operators) {
    bool hit = false;
    for (auto t : op.inputs) hit |= t >= 0 && tainted[static_cast<std::size_t>(t)];
    if (!hit) continue;
    if (has_effect(op)) return false;
    for (auto t : op.outputs) tainted[static_cast<std::size_t>(t)] = true;
  }
  for (std::size_t j = 0; j < body.outputs.size(); ++j) {
    if (j != k && tainted[static_cast<std::size_t>(body.outputs[j])]) return false;
  }
  return true;
}

// Removes operators without effect whose results nothing reads.
void remove_dead_operators(tfl::Subgraph& sg) {
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = sg.operators.size(); i-- > 0;) {
      const auto& op = sg.operators[i];
      if (has_effect(op)) continue;
      bool live = false;
      for (auto t : op.outputs) live |= reads(sg, t);
      if (live) continue;
      sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(i));
      changed = true;
    }
  }
}

// Drops the loop variables that TensorFlow's converter drops: those whose result the graph
// does not read and that only feed themselves in the loop. TF2's while_v2 adds two of them to
// every loop (the loop counter and maximum_iterations). Returns the kept positions. The
// bodies are changed in place, so only a loop that is the first user of both is pruned; a
// later loop naming the same functions then fails the arity check and says so.
std::vector<std::size_t> prune_loop_variables(LoweringContext& ctx, std::int32_t cond_index, std::int32_t body_index) {
  std::vector<std::size_t> kept;
  auto& ids = ctx.builder().model_ids();
  const std::string cond_key = fmt::format("while_user:{}", cond_index);
  const std::string body_key = fmt::format("while_user:{}", body_index);
  const bool first_user = !ids.count(cond_key) && !ids.count(body_key) && cond_index != body_index;
  ids.emplace(cond_key, 1);
  ids.emplace(body_key, 1);
  auto& model = ctx.builder().model();
  auto& cond = model.subgraphs[static_cast<std::size_t>(cond_index)];
  auto& body = model.subgraphs[static_cast<std::size_t>(body_index)];
  for (std::size_t k = 0; k < ctx.input_count(); ++k) {
    if (first_user && !output_read(ctx, k) && feeds_only_itself(cond, body, k)) continue;
    kept.push_back(k);
  }
  if (kept.size() == ctx.input_count()) return kept;
  auto select = [&](std::vector<std::int32_t>& v) {
    std::vector<std::int32_t> out;
    for (auto k : kept) out.push_back(v[k]);
    v = std::move(out);
  };
  select(cond.inputs);
  select(body.inputs);
  select(body.outputs);
  remove_dead_operators(body);
  return kept;
}

Expected<void> lower_while(LoweringContext& ctx) {
  auto cond = function_attr(ctx, "cond");
  if (!cond) return unexpected(cond.error());
  auto body = function_attr(ctx, "body");
  if (!body) return unexpected(body.error());
  auto cond_index = ctx.builder().body_subgraph(*cond);
  if (!cond_index) return ctx.fail(cond_index.error().reason());
  auto body_index = ctx.builder().body_subgraph(*body);
  if (!body_index) return ctx.fail(body_index.error().reason());
  const auto& model = ctx.builder().model();
  const auto& body_graph = model.subgraphs[static_cast<std::size_t>(*body_index)];
  const auto& cond_graph = model.subgraphs[static_cast<std::size_t>(*cond_index)];
  // The WHILE kernel copies loop variables position by position between the operator and
  // both subgraphs, so every count must agree.
  if (body_graph.inputs.size() != ctx.input_count() || body_graph.outputs.size() != ctx.input_count() ||
      cond_graph.inputs.size() != ctx.input_count() || cond_graph.outputs.size() != 1) {
    return ctx.fail(fmt::format("loop of {} variables runs body '{}' ({} arguments, {} results) and cond '{}' "
                                "({} arguments, {} results)",
                                ctx.input_count(), *body, body_graph.inputs.size(), body_graph.outputs.size(),
                                *cond, cond_graph.inputs.size(), cond_graph.outputs.size()));
  }
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  for (auto i : prune_loop_variables(ctx, *cond_index, *body_index)) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
    type_output(ctx, i, ctx.input_type(i).dtype);
    outputs.push_back(ctx.output(i));
  }
  auto& op = ctx.emit("WHILE", std::move(inputs), std::move(outputs));
  tflite::WhileOptionsT options;
  options.cond_subgraph_index = *cond_index;
  options.body_subgraph_index = *body_index;
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_if(LoweringContext& ctx) {
  if (ctx.input_count() == 0) return ctx.fail("has no predicate");
  // TensorFlow reads a non-boolean predicate by its truth value; the IF kernel reads a bool.
  if (ctx.input_type(0).dtype != ir::DType::Bool) {
    return ctx.fail(fmt::format("predicate of type {}; TFLite's IF takes a bool", ir::dtype_name(ctx.input_type(0).dtype)));
  }
  auto then_name = function_attr(ctx, "then_branch");
  if (!then_name) return unexpected(then_name.error());
  auto else_name = function_attr(ctx, "else_branch");
  if (!else_name) return unexpected(else_name.error());
  auto then_index = ctx.builder().body_subgraph(*then_name);
  if (!then_index) return ctx.fail(then_index.error().reason());
  auto else_index = ctx.builder().body_subgraph(*else_name);
  if (!else_index) return ctx.fail(else_index.error().reason());
  const auto& model = ctx.builder().model();
  for (auto index : {*then_index, *else_index}) {
    const auto& branch = model.subgraphs[static_cast<std::size_t>(index)];
    if (branch.inputs.size() != ctx.input_count() - 1 || branch.outputs.size() != ctx.output_count()) {
      return ctx.fail(fmt::format("branch '{}' takes {} arguments and returns {} results; the node passes {} and "
                                  "expects {}",
                                  branch.name, branch.inputs.size(), branch.outputs.size(), ctx.input_count() - 1,
                                  ctx.output_count()));
    }
  }
  auto inputs = data_inputs(ctx, 0);
  if (!inputs) return unexpected(inputs.error());
  std::vector<ir::DType> out_types;
  if (const ir::AttrValue* tout = ctx.node().attr("Tout"); tout != nullptr && tout->as_list() != nullptr) {
    out_types = tout->as_list()->type;
  }
  std::vector<std::int32_t> outputs;
  for (std::size_t i = 0; i < ctx.output_count(); ++i) {
    type_output(ctx, i, i < out_types.size() ? out_types[i] : ir::DType::Invalid);
    outputs.push_back(ctx.output(i));
  }
  auto& op = ctx.emit("IF", std::move(*inputs), std::move(outputs));
  tflite::IfOptionsT options;
  options.then_subgraph_index = *then_index;
  options.else_subgraph_index = *else_index;
  op.options.Set(std::move(options));
  return {};
}

// Import removes every Identity except where a graph's output would otherwise be one of its
// inputs, as a loop variable that a While body passes through unchanged is. TFLite allows
// that (TensorFlow's converter writes such bodies: the subgraph output is the input tensor),
// so the Identity emits nothing.
Expected<void> lower_identity(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  ctx.forward(0, *in);
  return {};
}

}  // namespace

std::span<const Lowering> control_flow() {
  static constexpr Lowering kLowerings[] = {
      {"Identity", lower_identity},
      {"If", lower_if},
      {"StatelessIf", lower_if},
      {"StatelessWhile", lower_while},
      {"While", lower_while},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
