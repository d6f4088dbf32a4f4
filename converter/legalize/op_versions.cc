// Operator versions, after TFLite's tools/versioning/op_version.cc: a version says which
// kernel features an operator needs, and the runtime refuses versions it does not know, so
// each operator gets the lowest version that covers its operand types and options.
#include "converter/legalize/op_versions.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;
using T = tflite::TensorType;

T input_type(const tfl::Subgraph& sg, const tfl::Operator& op, std::size_t i) {
  if (i >= op.inputs.size() || op.inputs[i] < 0) return T::FLOAT32;
  return sg.tensors[op.inputs[i]].type;
}

bool per_channel(const tfl::Subgraph& sg, const tfl::Operator& op, std::size_t i) {
  if (i >= op.inputs.size() || op.inputs[i] < 0) return false;
  const auto& q = sg.tensors[op.inputs[i]].quantization;
  return q.has_value() && q->scale.size() > 1;
}

int version_of(const tfl::Subgraph& sg, const tfl::Operator& op) {
  const T in = input_type(sg, op, 0);
  // Hybrid kernels (float activations, int8 weights from --optimize dynamic-range) need the
  // versions that introduced them; measured on TF 2.21's own dynamic-range output.
  const bool hybrid_weights = in == T::FLOAT32 && input_type(sg, op, 1) == T::INT8;
  switch (op.builtin) {
    case B::CONV_2D:
      return hybrid_weights ? 5 : 1;
    case B::DEPTHWISE_CONV_2D: {
      if (hybrid_weights) return 6;
      const auto* o = op.options.AsDepthwiseConv2DOptions();
      return o != nullptr && (o->dilation_w_factor != 1 || o->dilation_h_factor != 1) ? 2 : 1;
    }
    case B::TRANSPOSE_CONV: {
      const auto* o = op.options.AsTransposeConvOptions();
      if (o != nullptr && o->fused_activation_function != tflite::ActivationFunctionType::NONE) return 4;
      return input_type(sg, op, 1) == T::INT8 ? 2 : 1;
    }
    case B::RESIZE_BILINEAR: {
      const auto* o = op.options.AsResizeBilinearOptions();
      return o != nullptr && o->half_pixel_centers ? 3 : 1;
    }
    case B::RESIZE_NEAREST_NEIGHBOR: {
      const auto* o = op.options.AsResizeNearestNeighborOptions();
      return o != nullptr && o->half_pixel_centers ? 3 : 1;
    }
    case B::BATCH_MATMUL:
      return hybrid_weights ? 4 : 1;
    case B::UNIDIRECTIONAL_SEQUENCE_LSTM: {
      // Hybrid (int8 weights; operand 1 may be absent, so operand 2 tells): 2, and 3 when the
      // input is quantized asymmetrically, as dynamic-range quantization sets.
      if (in != T::FLOAT32 || input_type(sg, op, 2) != T::INT8) return 1;
      const auto* o = op.options.AsUnidirectionalSequenceLSTMOptions();
      return o != nullptr && o->asymmetric_quantize_inputs ? 3 : 2;
    }
    case B::DEQUANTIZE:
      if (in == T::INT8) return 2;
      if (in == T::FLOAT16) return 3;
      return 1;
    case B::FULLY_CONNECTED: {
      if (hybrid_weights && per_channel(sg, op, 1)) return 12;
      const auto* o = op.options.AsFullyConnectedOptions();
      if (o != nullptr && o->keep_num_dims) return 5;
      return 1;
    }
    case B::ADD:
      if (in == T::INT64) return 4;
      return 1;
    case B::MUL:
      if (in == T::INT64 || in == T::INT16) return 5;
      return 1;
    case B::SUB:
      if (in == T::INT64) return 4;
      return 1;
    case B::CAST:
      return 1;
    case B::BROADCAST_TO:
      return 2;  // version 1 was never a builtin (it belonged to the custom op of that name)
    case B::GATHER:
      if (in == T::BOOL) return 3;
      if (in == T::INT8) return 2;
      return 1;
    case B::LESS: case B::GREATER: case B::LESS_EQUAL: case B::GREATER_EQUAL:
    case B::EQUAL: case B::NOT_EQUAL:
      return 1;
    default:
      return 1;
  }
}

}  // namespace

void set_op_versions(tfl::Model& model) {
  for (auto& sg : model.subgraphs) {
    for (auto& op : sg.operators) {
      if (op.builtin == B::CUSTOM) continue;
      op.version = version_of(sg, op);
    }
  }
}

}  // namespace litelint::converter
