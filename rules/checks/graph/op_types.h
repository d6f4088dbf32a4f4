#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analyzer/ir/node.h"
#include "rules/engine/op_signatures.h"

// The dtypes a node's OpDef arguments stand for, with the node's attrs bound: what
// TensorFlow's InOutTypesForNode computes before it checks each edge (rules LL414, LL415).
namespace litelint::rules::checks {

/// The dtypes of one argument of `node` (a list for number_attr / type_list_attr arguments),
/// references as ref dtypes; nullopt when an attr it depends on is missing or not a value
/// (a placeholder in a function body).
inline std::optional<std::vector<ir::DType>> arg_types(const OpArgSig& arg, const ir::Node& node) {
  auto as_ref = [&](ir::DType t) {
    return arg.is_ref ? static_cast<ir::DType>(static_cast<std::int32_t>(t) + ir::kRefOffset) : t;
  };
  if (!arg.type_list_attr.empty()) {
    const ir::AttrValue* a = node.attr(arg.type_list_attr);
    const ir::AttrList* list = a ? a->as_list() : nullptr;
    if (list == nullptr) return std::nullopt;
    std::vector<ir::DType> out;
    for (auto t : list->type) out.push_back(as_ref(t));
    return out;
  }
  ir::DType type = arg.type;
  if (!arg.type_attr.empty()) {
    const ir::AttrValue* a = node.attr(arg.type_attr);
    const ir::DType* t = a ? a->as_type() : nullptr;
    if (t == nullptr || *t == ir::DType::Invalid) return std::nullopt;
    type = *t;
  }
  std::int64_t count = 1;
  if (!arg.number_attr.empty()) {
    const ir::AttrValue* a = node.attr(arg.number_attr);
    const std::int64_t* n = a ? a->as_int() : nullptr;
    if (n == nullptr || *n < 0 || *n > 1 << 20) return std::nullopt;
    count = *n;
  }
  return std::vector<ir::DType>(static_cast<std::size_t>(count), as_ref(type));
}

/// The dtypes of every argument in `args`, flattened (one per tensor); nullopt as above.
inline std::optional<std::vector<ir::DType>> flat_types(std::span<const OpArgSig> args,
                                                        const ir::Node& node) {
  std::vector<ir::DType> out;
  for (const auto& arg : args) {
    auto types = arg_types(arg, node);
    if (!types) return std::nullopt;
    out.insert(out.end(), types->begin(), types->end());
  }
  return out;
}

/// TensorFlow's TypesCompatible: an input that wants T takes T or a reference to T.
inline bool types_compatible(ir::DType expected, ir::DType actual) {
  return expected == actual || expected == ir::base_dtype(actual);
}

}  // namespace litelint::rules::checks
