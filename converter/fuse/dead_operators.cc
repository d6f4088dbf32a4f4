// Operators whose results nobody reads are dropped, as TensorFlow's converter does after it has
// removed asserts and other checks: an AssertGuard `If` of tf.debugging.assert_* becomes an IF
// with empty branches, feeding only control edges, and is gone from TensorFlow's .tflite.
// Operators with effects beyond their outputs stay: variable writes, hash-table imports, calls,
// custom ops (whose effects we cannot know), and control flow whose bodies have any of those.
#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

bool has_effects(const tfl::Model& model, const tfl::Operator& op, int depth);

bool subgraph_has_effects(const tfl::Model& model, std::int32_t index, int depth) {
  if (index < 0 || static_cast<std::size_t>(index) >= model.subgraphs.size() || depth > 16) return true;
  for (const auto& op : model.subgraphs[index].operators) {
    if (has_effects(model, op, depth + 1)) return true;
  }
  return false;
}

bool has_effects(const tfl::Model& model, const tfl::Operator& op, int depth) {
  switch (op.builtin) {
    case B::ASSIGN_VARIABLE: case B::CALL_ONCE: case B::HASHTABLE_IMPORT: case B::CUSTOM:
    case B::CALL: case B::VAR_HANDLE: case B::HASHTABLE:
      return true;
    case B::IF:
      if (const auto* o = op.options.AsIfOptions()) {
        return subgraph_has_effects(model, o->then_subgraph_index, depth) ||
               subgraph_has_effects(model, o->else_subgraph_index, depth);
      }
      return true;
    case B::WHILE:
      if (const auto* o = op.options.AsWhileOptions()) {
        return subgraph_has_effects(model, o->cond_subgraph_index, depth) ||
               subgraph_has_effects(model, o->body_subgraph_index, depth);
      }
      return true;
    default:
      return false;
  }
}

}  // namespace

bool remove_dead_operators(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t i = sg.operators.size(); i-- > 0;) {
    const auto& op = sg.operators[i];
    bool read = false;
    for (auto t : op.outputs) read = read || (t >= 0 && uses[t] > 0);
    if (read || has_effects(model, op, 0)) continue;
    report.fusions.push_back("dead " + tfl::op_name(op) + " removed" +
                             (op.origin.empty() ? "" : " (" + op.origin.front() + ")"));
    sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }
  return false;
}

}  // namespace litelint::converter
