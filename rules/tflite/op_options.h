#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/ir/tflite_model.h"

namespace litelint::rules {

/// The builtin-option values delegate checks look at; the IR keeps only which options table
/// an operator has, so these are read from the FlatBuffer the loader already verified.
struct TfliteOpOptions {
  /// ActivationFunctionType (0 NONE, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6, 4 TANH, 5 SIGN_BIT);
  /// 0 for ops without a fused activation.
  int activation = 0;
  int stride_w = 1, stride_h = 1;
  int filter_w = 1, filter_h = 1;
  int dilation_w = 1, dilation_h = 1;
  int depth_multiplier = 1;
  int weights_format = 0;  ///< FULLY_CONNECTED: 0 DEFAULT, 1 SHUFFLED4x16INT8
  bool keep_num_dims = false;
  float beta = 1.0F;       ///< SOFTMAX
  int ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;  ///< STRIDED_SLICE
  int block_size = 2;      ///< DEPTH_TO_SPACE, SPACE_TO_DEPTH
  int axis = 0;            ///< CONCATENATION
  bool present = false;    ///< the operator had a builtin options table litelint read
};

/// Options of every operator, indexed [subgraph][operator]; defaults where the model has
/// no mapping (a TfliteModel built in memory) or the operator has no such table.
std::vector<std::vector<TfliteOpOptions>> read_op_options(const ir::TfliteModel& model);

}  // namespace litelint::rules
