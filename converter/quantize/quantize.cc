// Post-training weight quantization, after what TensorFlow 2.21's converter stores. Measured on
// zoo fixtures (mobilenet_v2, efficientnet_b0, ...) and probe models with large weights in every
// quantizable position, converted with optimizations=[DEFAULT] (dynamic range) and with
// supported_types=[float16] as well:
//
// Dynamic range (operators keep float32 activations and run hybrid kernels):
//  - Only a FLOAT32 constant with >= 1024 elements in one of these operand slots becomes INT8;
//    smaller weights, biases (any size) and constants of other operators (ADD, MUL, ...) stay
//    float32. Symmetric, narrow range [-127, 127], zero point 0 (all of them).
//      CONV_2D 1, TRANSPOSE_CONV 1, FULLY_CONNECTED 1   per channel, dimension 0
//      DEPTHWISE_CONV_2D 1                              per channel, dimension 3
//      BATCH_MATMUL 1                                   per tensor
//      GATHER 0                                         per tensor; no hybrid kernel: GATHER
//          reads int8 and writes int8 (same scale), and a DEQUANTIZE after it gives back the
//          float32 tensor the graph had.
//      UNIDIRECTIONAL_SEQUENCE_LSTM 1-11, 16             per tensor; all or none: its hybrid
//          kernel takes every weight int8 or none, so when one of these operands is smaller
//          than 1024 elements (a Keras LSTM with fewer than 1024 / units input features) they
//          all stay float32 (prepare_quantize_dynamic_range.cc, "partial quantization of
//          inputs for UnidirectionalSequenceLSTMOp is not supported"). Biases (12-15) and the
//          variable state tensors are never quantized.
//  - FULLY_CONNECTED, BATCH_MATMUL and UNIDIRECTIONAL_SEQUENCE_LSTM get
//    asymmetric_quantize_inputs = true (the input is quantized per batch at run time with a
//    zero point); the others have no such option.
//  - scale = max(|min|, |max|) / 127 over the channel, the range widened to [-5e-7, 5e-7] when
//    narrower than 1e-6; value = round(w * (1 / scale)) (tools/optimize's rounding; every
//    stored value matched).
//  - A weight read by several quantizable operators is quantized once and shared; one also read
//    by an operator that stays float keeps its float tensor for that reader, and the quantizable
//    readers get a quantized copy.
//
// Float16 (supported_types=[float16]):
//  - Every FLOAT32 constant of every subgraph, whatever its size or reader (biases, scalars,
//    constants feeding WHILE), is stored as FLOAT16 and read through a DEQUANTIZE at the top of
//    its subgraph; tensors of other types are left alone. Small constants make the model larger
//    (a DEQUANTIZE costs more than two bytes per element save): TensorFlow does it anyway
//    (mlp: 2096 -> 2136 bytes). The FLOAT16 tensor keeps the constant's name, and the float32
//    output gets the name with "1" appended (MLIR's renaming of the duplicate).
//
// Versions TensorFlow gives these operators are set by op_versions.cc, after this pass.
#include "converter/quantize/quantize.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "converter/quantize/numeric.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;
using T = tflite::TensorType;

constexpr std::size_t kMinElements = 1024;
constexpr int kPerTensor = -1;

/// Where an operator reads the weights TensorFlow quantizes, and how.
struct WeightSlots {
  std::vector<std::size_t> inputs;
  int axis;             ///< channel dimension, or kPerTensor
  bool hybrid;          ///< false: the op computes in int8 and a DEQUANTIZE follows it
  bool all_or_none;     ///< every present weight input must qualify, or none is quantized
};

std::optional<WeightSlots> weight_slots(B builtin) {
  switch (builtin) {
    case B::CONV_2D:
    case B::TRANSPOSE_CONV:
    case B::FULLY_CONNECTED: return WeightSlots{{1}, 0, true, false};
    case B::DEPTHWISE_CONV_2D: return WeightSlots{{1}, 3, true, false};
    case B::BATCH_MATMUL: return WeightSlots{{1}, kPerTensor, true, false};
    case B::GATHER: return WeightSlots{{0}, kPerTensor, false, false};
    // Input, recurrent, peephole and projection weights (tfl_ops.td's quantizable operands).
    case B::UNIDIRECTIONAL_SEQUENCE_LSTM:
      return WeightSlots{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16}, kPerTensor, true, true};
    default: return std::nullopt;
  }
}

bool has_slot(const WeightSlots& slots, std::size_t input) {
  return std::find(slots.inputs.begin(), slots.inputs.end(), input) != slots.inputs.end();
}

std::size_t element_count(const tfl::Tensor& t) {
  std::size_t n = 1;
  for (std::int32_t d : t.shape) n *= static_cast<std::size_t>(std::max(d, 0));
  return n;
}

bool is_float_constant(const tfl::Model& model, const tfl::Tensor& t) {
  return t.type == T::FLOAT32 && !t.is_variable && t.buffer != 0 && t.has_rank &&
         model.buffers[t.buffer].bytes().size() == element_count(t) * sizeof(float);
}

std::vector<float> read_floats(const tfl::Model& model, const tfl::Tensor& t) {
  const auto bytes = model.buffers[t.buffer].bytes();
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));  // may be unaligned
  return values;
}

std::string shape_text(const tfl::Tensor& t) {
  return fmt::format("[{}]", fmt::join(t.shape, ","));
}

void set_asymmetric_inputs(tfl::Operator& op) {
  if (op.builtin == B::FULLY_CONNECTED) {
    if (op.options.AsFullyConnectedOptions() == nullptr) {
      op.options.Set(tflite::FullyConnectedOptionsT{});
    }
    op.options.AsFullyConnectedOptions()->asymmetric_quantize_inputs = true;
  } else if (op.builtin == B::BATCH_MATMUL) {
    if (op.options.AsBatchMatMulOptions() == nullptr) op.options.Set(tflite::BatchMatMulOptionsT{});
    op.options.AsBatchMatMulOptions()->asymmetric_quantize_inputs = true;
  } else if (op.builtin == B::UNIDIRECTIONAL_SEQUENCE_LSTM) {
    if (op.options.AsUnidirectionalSequenceLSTMOptions() == nullptr) {
      op.options.Set(tflite::UnidirectionalSequenceLSTMOptionsT{});
    }
    op.options.AsUnidirectionalSequenceLSTMOptions()->asymmetric_quantize_inputs = true;
  }
}

/// One reader of a tensor: operator index and input position.
struct Use {
  std::size_t op;
  std::size_t input;
};

void dynamic_range(tfl::Model& model, tfl::Subgraph& sg, ConvertReport& report) {
  // Readers of each large float constant, split by the quantization they ask for (channel
  // axis) and the ones that need the float values.
  struct Readers {
    std::map<int, std::vector<Use>> by_axis;
    bool float_reader = false;
  };
  std::map<std::int32_t, Readers> readers;
  auto large_constant = [&](std::int32_t i) {
    return i >= 0 && is_float_constant(model, sg.tensors[i]) &&
           element_count(sg.tensors[i]) >= kMinElements;
  };
  for (std::size_t o = 0; o < sg.operators.size(); ++o) {
    const tfl::Operator& op = sg.operators[o];
    auto slots = weight_slots(op.builtin);
    if (slots && slots->all_or_none) {
      // One weight left float (too small, or computed: TensorFlow would quantize the others
      // and leave a model the hybrid kernel rejects) keeps them all float.
      for (std::size_t k : slots->inputs) {
        if (k < op.inputs.size() && op.inputs[k] >= 0 && !large_constant(op.inputs[k])) {
          slots.reset();
          break;
        }
      }
    }
    for (std::size_t k = 0; k < op.inputs.size(); ++k) {
      const std::int32_t i = op.inputs[k];
      if (!large_constant(i)) continue;
      const tfl::Tensor& t = sg.tensors[i];
      const bool quantizable = slots && has_slot(*slots, k) &&
                               (slots->axis == kPerTensor ||
                                static_cast<std::size_t>(slots->axis) < t.shape.size());
      if (quantizable) {
        readers[i].by_axis[slots->axis].push_back({o, k});
      } else {
        readers[i].float_reader = true;
      }
    }
  }
  for (std::int32_t out : sg.outputs) {
    if (readers.contains(out)) readers[out].float_reader = true;
  }

  std::vector<std::size_t> dequantize_after;  // GATHERs whose output must be made float again
  for (auto& [index, r] : readers) {
    bool in_place = !r.float_reader;
    const tfl::Tensor original = sg.tensors[index];
    const std::vector<float> values = read_floats(model, original);
    for (const auto& [axis, uses] : r.by_axis) {
      const auto q = weights::symmetric_int8(values, original.shape, axis);
      std::vector<std::byte> bytes(q.values.size());
      std::memcpy(bytes.data(), q.values.data(), bytes.size());

      std::int32_t target = index;
      if (!in_place) {  // another reader needs the float tensor (or another scheme took it)
        tfl::Tensor copy = original;
        copy.name += "1";
        target = sg.add_tensor(std::move(copy));
      }
      in_place = false;
      tfl::Tensor& t = sg.tensors[target];
      t.type = T::INT8;
      t.buffer = model.add_buffer(std::move(bytes));
      t.quantization = tfl::Quantization{
          .scale = q.scales,
          .zero_point = std::vector<std::int64_t>(q.scales.size(), 0),
          .quantized_dimension = axis == kPerTensor ? 0 : axis};

      std::string readers_text;
      for (const Use& u : uses) {
        tfl::Operator& op = sg.operators[u.op];
        op.inputs[u.input] = target;
        set_asymmetric_inputs(op);
        if (!weight_slots(op.builtin)->hybrid) dequantize_after.push_back(u.op);
        if (!readers_text.empty()) readers_text += ",";
        readers_text += tfl::op_name(op);
      }
      report.quantized.push_back(fmt::format(
          "{}: FLOAT32{} -> INT8 {} ({})", t.name, shape_text(t),
          axis == kPerTensor ? std::string("per tensor") : fmt::format("per channel, axis {}", axis),
          readers_text));
    }
  }

  // The op computes on int8 (same scale in and out); DEQUANTIZE gives its readers float again.
  std::sort(dequantize_after.begin(), dequantize_after.end());
  dequantize_after.erase(std::unique(dequantize_after.begin(), dequantize_after.end()),
                         dequantize_after.end());
  for (auto it = dequantize_after.rbegin(); it != dequantize_after.rend(); ++it) {
    const std::size_t o = *it;
    const std::int32_t weight = sg.operators[o].inputs[weight_slots(sg.operators[o].builtin)->inputs[0]];
    const std::int32_t float_out = sg.operators[o].outputs[0];
    tfl::Tensor int8_out = sg.tensors[float_out];
    int8_out.name += "_int8";
    int8_out.type = T::INT8;
    int8_out.buffer = 0;
    int8_out.quantization = sg.tensors[weight].quantization;
    const std::int32_t q = sg.add_tensor(std::move(int8_out));
    sg.operators[o].outputs[0] = q;
    tfl::Operator dq;
    dq.builtin = B::DEQUANTIZE;
    dq.inputs = {q};
    dq.outputs = {float_out};
    dq.origin = sg.operators[o].origin;
    sg.operators.insert(sg.operators.begin() + static_cast<std::ptrdiff_t>(o) + 1, std::move(dq));
  }
}

void float16(tfl::Model& model, tfl::Subgraph& sg, ConvertReport& report) {
  std::vector<tfl::Operator> dequantize;
  const std::size_t count = sg.tensors.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_float_constant(model, sg.tensors[i])) continue;
    const std::vector<float> values = read_floats(model, sg.tensors[i]);
    std::vector<std::byte> bytes(values.size() * sizeof(std::uint16_t));
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::uint16_t h = weights::float_to_half(values[k]);
      std::memcpy(bytes.data() + k * sizeof h, &h, sizeof h);
    }
    // The constant's index stays the float32 value its readers (and signatures) refer to; the
    // FLOAT16 data moves to a new tensor that takes over the name.
    tfl::Tensor half = sg.tensors[i];
    half.type = T::FLOAT16;
    half.buffer = model.add_buffer(std::move(bytes));
    report.quantized.push_back(
        fmt::format("{}: FLOAT32{} -> FLOAT16", half.name, shape_text(half)));
    const std::int32_t h = sg.add_tensor(std::move(half));
    tfl::Tensor& f = sg.tensors[i];
    f.buffer = 0;
    f.name += "1";
    tfl::Operator dq;
    dq.builtin = B::DEQUANTIZE;
    dq.inputs = {h};
    dq.outputs = {static_cast<std::int32_t>(i)};
    dequantize.push_back(std::move(dq));
  }
  sg.operators.insert(sg.operators.begin(), std::make_move_iterator(dequantize.begin()),
                      std::make_move_iterator(dequantize.end()));
}

}  // namespace

void quantize(tfl::Model& model, Optimize mode, ConvertReport& report) {
  for (tfl::Subgraph& sg : model.subgraphs) {
    switch (mode) {
      case Optimize::None: return;
      case Optimize::DynamicRange: dynamic_range(model, sg, report); break;
      case Optimize::Float16: float16(model, sg, report); break;
    }
  }
}

}  // namespace litelint::converter
