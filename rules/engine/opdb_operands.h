#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/node.h"
#include "rules/engine/opdb.h"

// The op database's per-operand type lists (TfOpInfo::operand_types) applied to one node:
// which tensor each list describes, through TensorFlow's OpDef (rules/engine/op_signatures.h),
// and whether the node's element type there is one the builtin path takes. Defined in opdb.cc,
// beside the tables they read.

namespace litelint::rules {

/// The element type of a node's data input `index`, as far as the caller knows it.
using InputDtypeFn = std::function<std::optional<ir::DType>(std::size_t index)>;

/// The element type the node gives `operand` (an OpDef input name, "output",
/// "output:<name>" or an input index): the type attr that binds it, else the input's known
/// type. Nullopt when unknown, and for handles (resource, variant), which are never data.
std::optional<ir::DType> operand_dtype(const ir::Node& node, std::string_view operand,
                                       const InputDtypeFn& input_dtype);

/// One operand whose element type the builtin path does not take.
struct OperandMismatch {
  const OperandTypes* list;  ///< the database's list for that operand
  ir::DType dtype;           ///< the node's element type there
  bool main;                 ///< true for the op's main data operand (the first list)
  bool fails;                ///< the type is on the op's fails list: no mode converts it
};

/// The first operand of `node` whose known element type is outside its list, or nullopt
/// when every known one is accepted (or the op has no lists).
std::optional<OperandMismatch> unaccepted_operand(const TfOpInfo& info, const ir::Node& node,
                                                  const InputDtypeFn& input_dtype);

}  // namespace litelint::rules
