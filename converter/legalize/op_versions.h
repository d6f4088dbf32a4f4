#pragma once

#include "converter/tfl/model.h"

namespace litelint::converter {

/// Sets every operator's version from its builtin, operand types and options, following
/// TFLite's op-version rules (tools/versioning/op_version.cc): the lowest version whose
/// kernel handles what the operator uses, so that `min_runtime_version` is right.
void set_op_versions(tfl::Model& model);

}  // namespace litelint::converter
