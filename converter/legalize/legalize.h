#pragma once

#include "analyzer/support/expected.h"
#include "converter/convert.h"
#include "converter/import/program.h"
#include "converter/tfl/model.h"

namespace litelint::converter {

/// What legalization may do with a TF op that has no lowering.
struct LegalizeOptions {
  bool select_tf_ops = false;     ///< allowlisted ops become Flex<Op> custom ops
  bool allow_custom_ops = false;  ///< other ops become CUSTOM ops named after the TF op
};

/// Turns every entry of `program` (one subgraph and SignatureDef each, in order) and the
/// control-flow bodies they use into TFLite operators. Constants are folded as they are met;
/// each node goes to the lowering registered for its op type. Records node -> operators in
/// `report`. Fails naming the first node nothing can convert.
Expected<tfl::Model> legalize(const Program& program, const LegalizeOptions& options,
                              ConvertReport& report);

}  // namespace litelint::converter
