#pragma once

#include <span>
#include <string>
#include <string_view>

#include "analyzer/ir/shape.h"

// Legality checks of converter lowerings that are structural, so the op database cannot state
// them as data: a `when = { lowering = "<name>" }` entry in tf_ops.toml names one of these.
namespace litelint::rules {

/// What a lowering does with one node.
enum class LoweringOutcome {
  Applies,       ///< the op is rewritten into ops with builtins
  NotApplied,    ///< the pattern does not match: the database's fallback applies
  ConvertError,  ///< the lowering builds an invalid op and the whole conversion fails
  Unknown,       ///< litelint lacks the shapes to tell; assume it applies
};

/// A lowering check's answer, with a lower-case reason for NotApplied/ConvertError.
struct LoweringVerdict {
  LoweringOutcome outcome = LoweringOutcome::Unknown;
  std::string why;
};

/// TensorFlow's Einsum lowering (ConvertTFEinsumOp, TF 2.21) for `equation` over operands of
/// these shapes: one operand becomes SUM/TRANSPOSE, two become BATCH_MATMUL with RESHAPE and
/// TRANSPOSE. Reproduces its reshape bookkeeping, including the equations (e.g. "bij,bij->b")
/// for which it skips a reshape it needs and the converter then rejects the BatchMatMulV2.
LoweringVerdict check_einsum(std::string_view equation, std::span<const ir::Shape> operands);

}  // namespace litelint::rules
