#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/ir/node.h"
#include "rules/engine/finding.h"
#include "rules/engine/opdb.h"
#include "rules/engine/rule_context.h"

// Helpers several rules share: how the op database's fallbacks map to impacts. Not a place
// for op knowledge; that stays in rules/opdb/.
namespace litelint::rules::checks {

/// What happens when a TF op stays a TF op: a Select TF op if it is on the main allowlist,
/// else a custom op.
inline Impact impact_if_stays(std::string_view op) {
  return flex_list_of(op) == FlexList::Main ? Impact::Flex : Impact::Custom;
}

/// The impact of a database fallback for `op`.
inline Impact impact_of(Fallback fallback, std::string_view op) {
  switch (fallback) {
    case Fallback::StaysTf: return impact_if_stays(op);
    case Fallback::ConvertError: return Impact::Fails;
    case Fallback::None:
    case Fallback::TransposeInserted:
    case Fallback::BroadcastToInserted: return Impact::None;
  }
  return Impact::None;
}

/// The consequence clause of a message for an impact ("it stays a TensorFlow op ...").
inline std::string consequence(Impact impact) {
  switch (impact) {
    case Impact::Flex: return "the op stays a TensorFlow op and needs Select TF ops";
    case Impact::Custom:
      return "the op stays a TensorFlow op that is not on the Select TF ops allowlist, so it "
             "can only be a custom op";
    case Impact::FlexOrFail: return "the op needs Select TF ops, else the conversion fails";
    case Impact::Fails: return "the conversion fails";
    case Impact::None: return "it still converts";
  }
  return {};
}

/// The main builtin an op entry produces, or "".
inline std::string_view main_builtin(const TfOpInfo& info) {
  return info.builtins.empty() ? std::string_view() : info.builtins.front();
}

/// The element type of the op's main data operand: the `T` attr (TensorFlow's name for it
/// on nearly every op), else input 0's type. Handles (resource, variant) are never data.
inline std::optional<ir::DType> main_dtype(const RuleContext& ctx, const ir::Node& node) {
  std::optional<ir::DType> t;
  if (const auto* a = node.attr("T"); a && a->as_type()) {
    t = ir::base_dtype(*a->as_type());
  } else if (auto in = ctx.input_type(node, 0); in && in->dtype != ir::DType::Invalid) {
    t = ir::base_dtype(in->dtype);
  }
  if (t && (*t == ir::DType::Resource || *t == ir::DType::Variant)) return std::nullopt;
  return t;
}

/// True when every data input is computed from constants, so the converter folds the node
/// into a constant (TensorFlow's constant folding runs the TF kernel) and no kernel is needed.
inline bool folds(const RuleContext& ctx, const ir::Node& node) {
  const std::size_t n = node.data_input_count();
  if (n == 0) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!ctx.is_constant(node, i)) return false;
  }
  return true;
}

/// The element type of output 0: inferred, else the `dtype` / `out_type` / `T` attr.
inline std::optional<ir::DType> result_dtype(const ir::Node& node) {
  if (!node.outputs.empty() && node.outputs[0].dtype != ir::DType::Invalid) {
    return ir::base_dtype(node.outputs[0].dtype);
  }
  for (const char* key : {"dtype", "out_type", "T"}) {
    if (const auto* a = node.attr(key); a && a->as_type()) return ir::base_dtype(*a->as_type());
  }
  return std::nullopt;
}

/// The text the database gives for why an op is not a builtin, or a fallback.
inline std::string reason_of(const TfOpInfo* info, std::string_view fallback) {
  if (info && !info->reason.empty()) return std::string(info->reason);
  return std::string(fallback);
}

}  // namespace litelint::rules::checks
