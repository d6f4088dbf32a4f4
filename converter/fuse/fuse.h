#pragma once

#include "converter/convert.h"
#include "converter/tfl/model.h"

namespace litelint::converter {

/// The fusions TensorFlow's converter applies after legalization, on every subgraph, until
/// nothing changes: constant bias ADDs into CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED /
/// TRANSPOSE_CONV, RELU / RELU6 / RELU_N1_TO_1 / TANH into the operator before them, then
/// unused tensors and buffers are dropped. Each fusion applied is a line in `report.fusions`.
void fuse(tfl::Model& model, ConvertReport& report);

}  // namespace litelint::converter
