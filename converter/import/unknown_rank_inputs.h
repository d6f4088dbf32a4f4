#pragma once

#include <optional>
#include <string>

#include "converter/import/program.h"

namespace litelint::converter {

/// Why `program` cannot be converted without --input-shape, or nullopt. A TFLite tensor has a
/// static rank: an input of unknown rank becomes shape [] (a scalar), as in TensorFlow's
/// converter, and the app must resize it before every run. That is only right for a graph
/// that some shape of ones runs (element-wise math, softmax); for one that needs a real
/// shape (a MatMul, a Reshape to a fixed size) the .tflite could not run as written, so the
/// user is asked for the shape instead. Each unknown-rank input is tried alone as a tensor
/// of ones of rank 0 to 4 with shape inference; the answer names the input and the node
/// that rejects the stand-ins.
std::optional<std::string> unknown_rank_refusal(const Program& program);

}  // namespace litelint::converter
