// The fused Keras LSTM that import makes of an api_implements "lstm_*" composite function
// (converter/import/keras_lstm_composite.h) -> UNIDIRECTIONAL_SEQUENCE_LSTM, with the operands
// laid out as TensorFlow's converter lays them out (lstm_utils.cc ConvertKerasLSTMLayer,
// measured with TF 2.21 on a fixed-batch composite):
//   0 input; 1-4 input-to-{input, forget, cell, output} weights [units, input];
//   5-8 recurrent-to-{input, forget, cell, output} weights [units, units]; 9-11 peepholes
//   (omitted); 12-15 gate biases [units]; 16-17 projection (omitted); 18 output state and
//   19 cell state, variable tensors [batch, units] without data; 20-23 layer norms (omitted).
// Keras's kernel [input, 4 * units] holds the gates in the order i, f, c, o along its columns,
// so gate g's TFLite weight is the transpose of columns [g * units, (g + 1) * units).
// Options: TANH, proj_clip 0, time_major from the function. TensorFlow's converter writes
// cell_clip 10, which clips the cell state where Keras does not; cell_clip 0 (no clipping)
// keeps Keras's numbers for long sequences whose cell state grows past 10.
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "converter/import/keras_lstm_composite.h"
#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

constexpr std::size_t kGates = 4;

bool all_zero(const ConstValue& v) {
  auto d = v.doubles();
  if (!d) return false;
  for (double x : *d) {
    if (x != 0.0) return false;
  }
  return true;
}

/// True when input i is zeros: a constant, or Keras's zeros([batch, units]) for a batch known
/// only at run time (Fill of a constant zero, ZerosLike).
bool is_zeros(LoweringContext& ctx, std::size_t i) {
  if (const ConstValue* c = ctx.constant(i)) return all_zero(*c);
  const ir::Graph* graph = ctx.builder().graph();
  if (graph == nullptr || i >= ctx.node().inputs.size()) return false;
  const ir::Node* producer = graph->nodes.find(ctx.node().inputs[i].node);
  if (producer == nullptr) return false;
  if (producer->op == "ZerosLike") return true;
  if (producer->op != "Fill" || producer->data_input_count() != 2) return false;
  const ir::TensorRef& value = producer->inputs[1];
  const TensorSlot* slot = ctx.builder().find_slot(value.node, value.index);
  return slot != nullptr && slot->constant != nullptr && all_zero(*slot->constant);
}

std::vector<float> floats(const ConstValue& v) {
  std::vector<float> out(static_cast<std::size_t>(v.num_elements()));
  std::memcpy(out.data(), v.bytes().data(), out.size() * sizeof(float));
  return out;
}

bool has_shape(const ConstValue& v, std::initializer_list<std::int64_t> dims) {
  return v.dtype == ir::DType::Float && v.shape.has_rank() && v.shape.dims() == std::vector<std::int64_t>(dims) &&
         v.bytes().size() == static_cast<std::size_t>(v.num_elements()) * sizeof(float);
}

/// Gate g of a Keras weight [rows, 4 * units], transposed to TFLite's [units, rows].
std::vector<float> gate_weight(const std::vector<float>& w, std::int64_t rows, std::int64_t units, std::size_t g) {
  std::vector<float> out(static_cast<std::size_t>(units * rows));
  const auto cols = static_cast<std::size_t>(kGates) * static_cast<std::size_t>(units);
  for (std::size_t u = 0; u < static_cast<std::size_t>(units); ++u) {
    for (std::size_t r = 0; r < static_cast<std::size_t>(rows); ++r) {
      out[u * static_cast<std::size_t>(rows) + r] = w[r * cols + g * static_cast<std::size_t>(units) + u];
    }
  }
  return out;
}

Expected<void> lower_keras_lstm(LoweringContext& ctx) {
  if (ctx.input_count() != 6) return ctx.fail("a fused Keras LSTM takes 6 inputs");
  const ConstValue* kernel = ctx.constant(3);
  const ConstValue* recurrent = ctx.constant(4);
  const ConstValue* bias = ctx.constant(5);
  if (kernel == nullptr || recurrent == nullptr || bias == nullptr) {
    return ctx.fail("the LSTM's kernel, recurrent kernel and bias are not constant after freezing variables");
  }
  if (!recurrent->shape.has_rank() || recurrent->shape.rank() != 2) {
    return ctx.fail("the LSTM's recurrent kernel is not a matrix");
  }
  const std::int64_t units = recurrent->shape.dim(0);
  const std::int64_t n_input = kernel->shape.has_rank() && kernel->shape.rank() == 2 ? kernel->shape.dim(0) : -1;
  if (units <= 0 || n_input <= 0 || !has_shape(*recurrent, {units, 4 * units}) ||
      !has_shape(*kernel, {n_input, 4 * units}) || !has_shape(*bias, {4 * units})) {
    return ctx.fail(fmt::format("the LSTM's weights have shapes {}, {}, {}; expected float [input, 4 * units], "
                                "[units, 4 * units], [4 * units]",
                                kernel->shape.to_string(), recurrent->shape.to_string(), bias->shape.to_string()));
  }
  const ir::TensorType& in_type = ctx.input_type(0);
  if (in_type.dtype != ir::DType::Float || (in_type.shape.has_rank() && in_type.shape.rank() != 3)) {
    return ctx.fail("the LSTM's input is not a float tensor of rank 3");
  }
  // The kernel keeps its state in two variable tensors that start at zero; a Keras initial
  // state passed by the caller has no place there.
  if (!is_zeros(ctx, 1) || !is_zeros(ctx, 2)) {
    return ctx.fail("the LSTM starts from a given initial state; UNIDIRECTIONAL_SEQUENCE_LSTM starts from zeros");
  }
  const bool time_major = ctx.attr_bool("time_major");

  auto input = ctx.input(0);
  if (!input) return unexpected(input.error());
  // Copies: adding tensors below may move the tensor table.
  const std::vector<std::int32_t> in_shape = ctx.tensor(*input).shape;
  const std::vector<std::int32_t> in_signature = ctx.tensor(*input).signature;
  if (in_shape.size() != 3) return ctx.fail("the LSTM's input has no static rank 3");
  if (in_shape[2] != n_input) {
    return ctx.fail(fmt::format("the LSTM's input has {} features but its kernel takes {}", in_shape[2], n_input));
  }
  // The state tensors take the static batch; the sequence keeps the input's dynamic dims.
  const std::int64_t batch = in_shape[time_major ? 1 : 0];
  auto dim = [&](std::size_t d) -> std::int64_t {
    return d < in_signature.size() && in_signature[d] < 0 ? -1 : in_shape[d];
  };
  const std::vector<std::int64_t> seq{dim(0), dim(1), units};

  const std::vector<float> k = floats(*kernel);
  const std::vector<float> rk = floats(*recurrent);
  const std::vector<float> b = floats(*bias);
  static constexpr const char* kGateNames[kGates] = {"input", "forget", "cell", "output"};
  std::vector<std::int32_t> operands(24, -1);
  operands[0] = *input;
  for (std::size_t g = 0; g < kGates; ++g) {
    operands[1 + g] = ctx.add_f32(fmt::format("{}_to_{}_weights", "input", kGateNames[g]),
                                  gate_weight(k, n_input, units, g), {units, n_input});
    operands[5 + g] = ctx.add_f32(fmt::format("recurrent_to_{}_weights", kGateNames[g]),
                                  gate_weight(rk, units, units, g), {units, units});
    const auto* first = b.data() + g * static_cast<std::size_t>(units);
    operands[12 + g] = ctx.add_f32(fmt::format("{}_gate_bias", kGateNames[g]),
                                   std::vector<float>(first, first + units), {units});
  }
  const ir::TensorType state{ir::DType::Float, ir::Shape(std::vector<std::int64_t>{batch, units})};
  for (std::size_t s : {18u, 19u}) {
    operands[s] = ctx.add_tensor(s == 18 ? "output_state" : "cell_state", state);
    ctx.builder().subgraph().tensors[static_cast<std::size_t>(operands[s])].is_variable = true;
  }

  // The output type from the operands: inference may not know every dimension of the op.
  ctx.builder().slot(ctx.node().name, 0).type = {ir::DType::Float, ir::Shape(seq)};
  auto& op = ctx.emit("UNIDIRECTIONAL_SEQUENCE_LSTM", operands, {ctx.output(0)});
  tflite::UnidirectionalSequenceLSTMOptionsT options;
  options.fused_activation_function = tflite::ActivationFunctionType::TANH;
  options.cell_clip = 0.0f;
  options.proj_clip = 0.0f;
  options.time_major = time_major;
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_keras_lstm_cell_state(LoweringContext& ctx) {
  return ctx.fail(
      "the model uses the final cell state of a Keras LSTM (return_state=True), which "
      "UNIDIRECTIONAL_SEQUENCE_LSTM does not output");
}

constexpr Lowering kLowerings[] = {
    {import::kKerasLstmOp, lower_keras_lstm},
    {import::kKerasLstmCellStateOp, lower_keras_lstm_cell_state},
};

}  // namespace

std::span<const Lowering> keras_lstm() { return kLowerings; }

}  // namespace litelint::converter::lowerings
