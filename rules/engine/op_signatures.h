#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "analyzer/ir/dtype.h"

// TensorFlow's OpDefs as the graph importer checks nodes against them: input and output
// arguments and attrs. Data in rules/opdb/tf_op_signatures.toml (generated from the pinned
// TensorFlow), compiled by rules/opdb/gen_op_signatures.py; every view is static storage.

namespace litelint::rules {

/// One input or output argument of an op (OpDef.ArgDef).
struct OpArgSig {
  std::string_view name;
  ir::DType type = ir::DType::Invalid;  ///< fixed type; Invalid when an attr gives it
  std::string_view type_attr;           ///< "T": the type comes from this attr
  std::string_view number_attr;         ///< "N": the argument is N tensors
  std::string_view type_list_attr;      ///< "Tin": one tensor per type in this list attr
  bool is_ref = false;
};

/// One attr of an op: its kind as TensorFlow spells it ("type", "list(int)", ...).
struct OpAttrSig {
  std::string_view name;
  std::string_view kind;
  bool has_default = false;
  bool has_minimum = false;  ///< ValidateAttrValue's floor: an int's value, a list's length
  std::int64_t minimum = 0;
};

/// The signature of one registered TensorFlow op.
struct OpSignature {
  std::string_view op;
  std::span<const OpArgSig> inputs;
  std::span<const OpArgSig> outputs;
  std::span<const OpAttrSig> attrs;
};

/// The signature of `op`; nullptr for ops the data does not cover (not registered in
/// TensorFlow, or not in tf_ops.toml).
const OpSignature* find_op_signature(std::string_view op);

}  // namespace litelint::rules
