#include "rules/tflite/tflite_rule.h"

#include <utility>

#include <fmt/format.h>

namespace litelint::rules {

const ir::TfliteOperatorCode* TfliteContext::code_of(TfliteOpRef op) const {
  if (op.subgraph >= model_.subgraphs.size()) return nullptr;
  const auto& ops = model_.subgraphs[op.subgraph].operators;
  if (op.index >= ops.size()) return nullptr;
  const auto idx = ops[op.index].opcode_index;
  return idx < model_.operator_codes.size() ? &model_.operator_codes[idx] : nullptr;
}

std::string TfliteContext::op_name(TfliteOpRef op) const {
  const auto* code = code_of(op);
  return code ? ir::tflite_op_name(*code) : std::string("INVALID_OPCODE");
}

const DelegatePlacement& TfliteContext::placement() {
  if (!placement_) placement_ = place_ops(model_, profile_.delegate.value_or(Delegate::Xnnpack));
  return *placement_;
}

TfliteRawFinding& TfliteContext::report(TfliteOpRef op, std::string cause) {
  TfliteRawFinding f;
  f.rule = rule_;
  f.op = op_name(op);
  f.node.name = tflite_node_name(op, f.op);
  f.node.path = {f.node.name};
  f.cause = std::move(cause);
  raw_.push_back(std::move(f));
  return raw_.back();
}

TfliteRawFinding& TfliteContext::report_model(std::string what, std::string cause) {
  TfliteRawFinding f;
  f.rule = rule_;
  f.node.name = std::move(what);
  f.node.path = {f.node.name};
  f.cause = std::move(cause);
  raw_.push_back(std::move(f));
  return raw_.back();
}

std::string tflite_node_name(TfliteOpRef op, std::string_view op_name) {
  return fmt::format("subgraph {} / op {} ({})", op.subgraph, op.index, op_name);
}

}  // namespace litelint::rules
