#include "converter/quantize/quantize.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "converter/quantize/numeric.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;
using T = tflite::TensorType;

std::int32_t add_constant(tfl::Model& model, tfl::Subgraph& sg, std::string name,
                          std::vector<std::int32_t> shape, const std::vector<float>& values) {
  std::vector<std::byte> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  tfl::Tensor t;
  t.name = std::move(name);
  t.shape = shape;
  t.signature = std::move(shape);
  t.buffer = model.add_buffer(std::move(bytes));
  return sg.add_tensor(std::move(t));
}

std::int32_t add_activation(tfl::Subgraph& sg, std::string name, std::vector<std::int32_t> shape) {
  tfl::Tensor t;
  t.name = std::move(name);
  t.shape = shape;
  t.signature = std::move(shape);
  return sg.add_tensor(std::move(t));
}

template <typename V>
std::vector<V> values_of(const tfl::Model& model, const tfl::Tensor& t) {
  const auto bytes = model.buffers[t.buffer].bytes();
  std::vector<V> out(bytes.size() / sizeof(V));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(V));
  return out;
}

// x[1,4,4,16] -CONV_2D(filter [32,3,3,16], bias [32])-> c;  y[2,32] -FULLY_CONNECTED(weights
// [40,32], bias [40])-> f;  z[2,8] -FULLY_CONNECTED(weights [4,8], no bias)-> g.
struct Fixture {
  tfl::Model model;
  std::vector<float> filter, weights, bias;
  std::int32_t filter_t = 0, conv_bias_t = 0, weights_t = 0, fc_bias_t = 0, small_t = 0;

  Fixture() {
    tfl::Subgraph sg;
    filter.resize(32 * 3 * 3 * 16);
    for (std::size_t i = 0; i < filter.size(); ++i) {
      const float channel = static_cast<float>(i / (3 * 3 * 16));
      filter[i] = std::sin(static_cast<float>(i) * 0.37f) * 0.01f * (channel + 1.0f);
    }
    // Channel 0 is chosen by hand: max |w| = 1.27 gives scale 0.01, so 0.5 is 50, -0.004 is 0
    // and -0.005 rounds away from zero to -1 (in float32, -0.005 * 100 is just above -0.5:
    // what the converter stores is round(w * (1 / scale))).
    weights.assign(40 * 32, 0.0f);
    weights[0] = 1.27f;
    weights[1] = 0.5f;
    weights[2] = -0.004f;
    weights[3] = -0.635f;
    for (std::size_t c = 1; c < 40; ++c) {
      for (std::size_t k = 0; k < 32; ++k) {
        weights[c * 32 + k] = std::cos(static_cast<float>(c * 32 + k)) * static_cast<float>(c);
      }
    }
    weights[5 * 32 + 7] = 0.0f;
    for (std::size_t k = 0; k < 32; ++k) weights[9 * 32 + k] = 0.0f;  // an all-zero channel
    bias = {1.0f, -2.0f, 0.1f, 65504.0f, 1e5f};
    bias.resize(40, 0.25f);

    const std::int32_t x = add_activation(sg, "x", {1, 4, 4, 16});
    filter_t = add_constant(model, sg, "filter", {32, 3, 3, 16}, filter);
    conv_bias_t = add_constant(model, sg, "conv_bias", {32}, std::vector<float>(32, 0.5f));
    const std::int32_t c = add_activation(sg, "c", {1, 4, 4, 32});
    const std::int32_t y = add_activation(sg, "y", {2, 32});
    weights_t = add_constant(model, sg, "weights", {40, 32}, weights);
    fc_bias_t = add_constant(model, sg, "fc_bias", {40}, bias);
    const std::int32_t f = add_activation(sg, "f", {2, 40});
    const std::int32_t z = add_activation(sg, "z", {2, 8});
    small_t = add_constant(model, sg, "small", {4, 8}, std::vector<float>(32, 0.125f));
    const std::int32_t g = add_activation(sg, "g", {2, 4});

    tfl::Operator conv;
    conv.builtin = B::CONV_2D;
    conv.inputs = {x, filter_t, conv_bias_t};
    conv.outputs = {c};
    conv.options.Set(tflite::Conv2DOptionsT{});
    tfl::Operator fc;
    fc.builtin = B::FULLY_CONNECTED;
    fc.inputs = {y, weights_t, fc_bias_t};
    fc.outputs = {f};
    fc.options.Set(tflite::FullyConnectedOptionsT{});
    tfl::Operator small_fc;
    small_fc.builtin = B::FULLY_CONNECTED;
    small_fc.inputs = {z, small_t, -1};
    small_fc.outputs = {g};
    small_fc.options.Set(tflite::FullyConnectedOptionsT{});
    sg.operators = {conv, fc, small_fc};
    sg.inputs = {x, y, z};
    sg.outputs = {c, f, g};
    model.subgraphs.push_back(std::move(sg));
  }
  const tfl::Subgraph& sg() const { return model.subgraphs[0]; }
};

TEST_CASE("dynamic range: FULLY_CONNECTED weights become per-channel symmetric int8",
          "[converter][quantize]") {
  Fixture fx;
  ConvertReport report;
  quantize(fx.model, Optimize::DynamicRange, report);
  const tfl::Tensor& w = fx.sg().tensors[fx.weights_t];
  REQUIRE(w.type == T::INT8);
  REQUIRE(w.quantization);
  CHECK(w.quantization->quantized_dimension == 0);
  REQUIRE(w.quantization->scale.size() == 40);
  CHECK(w.quantization->zero_point == std::vector<std::int64_t>(40, 0));
  CHECK(w.quantization->scale[0] == Approx(0.01f).epsilon(1e-6));
  const auto q = values_of<std::int8_t>(fx.model, w);
  REQUIRE(q.size() == 40 * 32);
  CHECK(std::vector<int>(q.begin(), q.begin() + 5) == std::vector<int>{127, 50, 0, -64, 0});
  // Channel c has max |w| about c (cos reaches ~1 within 32 samples): scale max/127.
  for (std::size_t c = 1; c < 40; ++c) {
    if (c == 9) continue;
    float max_abs = 0;
    for (std::size_t k = 0; k < 32; ++k) max_abs = std::max(max_abs, std::abs(fx.weights[c * 32 + k]));
    CHECK(w.quantization->scale[c] == Approx(max_abs / 127.0f).epsilon(1e-6));
    int peak = 0;
    for (std::size_t k = 0; k < 32; ++k) peak = std::max(peak, std::abs(static_cast<int>(q[c * 32 + k])));
    CHECK(peak == 127);
  }
  CHECK(q[5 * 32 + 7] == 0);
  // An all-zero channel gets TensorFlow's smallest range, 5e-7 / 127, not a zero scale.
  CHECK(w.quantization->scale[9] == Approx(5e-7f / 127.0f).epsilon(1e-6));
  for (std::size_t k = 0; k < 32; ++k) CHECK(q[9 * 32 + k] == 0);

  const auto* options = fx.sg().operators[1].options.AsFullyConnectedOptions();
  REQUIRE(options != nullptr);
  CHECK(options->asymmetric_quantize_inputs);
  // The bias stays float32, and so does a weight under 1024 elements (and its operator's options).
  CHECK(fx.sg().tensors[fx.fc_bias_t].type == T::FLOAT32);
  CHECK(fx.sg().tensors[fx.small_t].type == T::FLOAT32);
  CHECK_FALSE(fx.sg().operators[2].options.AsFullyConnectedOptions()->asymmetric_quantize_inputs);
  CHECK(report.quantized.size() == 2);
}

TEST_CASE("dynamic range: CONV_2D filters are per channel along dimension 0",
          "[converter][quantize]") {
  Fixture fx;
  ConvertReport report;
  quantize(fx.model, Optimize::DynamicRange, report);
  const tfl::Tensor& f = fx.sg().tensors[fx.filter_t];
  REQUIRE(f.type == T::INT8);
  REQUIRE(f.quantization->scale.size() == 32);
  CHECK(f.quantization->quantized_dimension == 0);
  const auto q = values_of<std::int8_t>(fx.model, f);
  const std::size_t per_channel = 3 * 3 * 16;
  for (std::size_t c = 0; c < 32; ++c) {
    float max_abs = 0;
    for (std::size_t k = 0; k < per_channel; ++k) {
      max_abs = std::max(max_abs, std::abs(fx.filter[c * per_channel + k]));
    }
    const float scale = f.quantization->scale[c];
    CHECK(scale == Approx(max_abs / 127.0f).epsilon(1e-6));
    for (std::size_t k = 0; k < per_channel; ++k) {
      const std::size_t i = c * per_channel + k;
      CHECK(q[i] == static_cast<int>(std::round(fx.filter[i] * (1.0f / scale))));
    }
  }
  CHECK(fx.sg().tensors[fx.conv_bias_t].type == T::FLOAT32);
  CHECK(fx.sg().operators.size() == 3);  // hybrid kernels: no DEQUANTIZE
}

TEST_CASE("dynamic range: a DEPTHWISE_CONV_2D filter is per channel along dimension 3 and a "
          "GATHER table is per tensor behind a DEQUANTIZE",
          "[converter][quantize]") {
  tfl::Model model;
  tfl::Subgraph sg;
  std::vector<float> dw(1 * 3 * 3 * 128);
  for (std::size_t i = 0; i < dw.size(); ++i) dw[i] = static_cast<float>(i % 128 + 1) * ((i / 128) % 2 ? -1.0f : 1.0f);
  std::vector<float> table(100 * 16);
  for (std::size_t i = 0; i < table.size(); ++i) table[i] = static_cast<float>(i) / 1600.0f - 0.25f;
  const std::int32_t x = add_activation(sg, "x", {1, 4, 4, 128});
  const std::int32_t w = add_constant(model, sg, "dw", {1, 3, 3, 128}, dw);
  const std::int32_t y = add_activation(sg, "y", {1, 4, 4, 128});
  const std::int32_t e = add_constant(model, sg, "table", {100, 16}, table);
  tfl::Tensor ids_t;
  ids_t.name = "ids";
  ids_t.type = T::INT32;
  ids_t.shape = {3};
  const std::int32_t ids = sg.add_tensor(ids_t);
  const std::int32_t g = add_activation(sg, "g", {3, 16});
  tfl::Operator op;
  op.builtin = B::DEPTHWISE_CONV_2D;
  op.inputs = {x, w, -1};
  op.outputs = {y};
  tfl::Operator gather;
  gather.builtin = B::GATHER;
  gather.inputs = {e, ids};
  gather.outputs = {g};
  sg.operators = {op, gather};
  sg.outputs = {y, g};
  model.subgraphs.push_back(std::move(sg));

  ConvertReport report;
  quantize(model, Optimize::DynamicRange, report);
  const tfl::Subgraph& out = model.subgraphs[0];
  const tfl::Tensor& q = out.tensors[w];
  REQUIRE(q.type == T::INT8);
  CHECK(q.quantization->quantized_dimension == 3);
  REQUIRE(q.quantization->scale.size() == 128);
  CHECK(q.quantization->scale[0] == Approx(1.0f / 127.0f));
  CHECK(q.quantization->scale[127] == Approx(128.0f / 127.0f));
  const auto values = values_of<std::int8_t>(model, q);
  CHECK(values[0] == 127);
  CHECK(values[128] == -127);
  CHECK(values[63] == 127);

  const tfl::Tensor& t = out.tensors[e];
  REQUIRE(t.type == T::INT8);
  // max |w| = 1599 / 1600 - 0.25
  CHECK(t.quantization->scale == std::vector<float>{static_cast<float>((1599.0f / 1600.0f - 0.25f) / 127.0)});
  REQUIRE(out.operators.size() == 3);
  CHECK(out.operators[1].builtin == B::GATHER);
  CHECK(out.operators[2].builtin == B::DEQUANTIZE);
  const tfl::Tensor& gathered = out.tensors[out.operators[1].outputs[0]];
  CHECK(gathered.type == T::INT8);
  CHECK(gathered.quantization->scale == t.quantization->scale);
  CHECK(out.operators[2].inputs == out.operators[1].outputs);
  CHECK(out.operators[2].outputs == std::vector<std::int32_t>{g});
  CHECK(out.tensors[g].type == T::FLOAT32);
}

TEST_CASE("dynamic range: a weight also read by a float operator is copied, not converted",
          "[converter][quantize]") {
  Fixture fx;
  tfl::Subgraph& sg = fx.model.subgraphs[0];
  const std::int32_t sum = add_activation(sg, "sum", {40, 32});
  tfl::Operator add;
  add.builtin = B::ADD;
  add.inputs = {fx.weights_t, fx.weights_t};
  add.outputs = {sum};
  sg.operators.push_back(add);
  ConvertReport report;
  quantize(fx.model, Optimize::DynamicRange, report);
  CHECK(fx.sg().tensors[fx.weights_t].type == T::FLOAT32);
  const std::int32_t copy = fx.sg().operators[1].inputs[1];
  CHECK(copy != fx.weights_t);
  CHECK(fx.sg().tensors[copy].type == T::INT8);
  CHECK(fx.sg().operators[3].inputs[0] == fx.weights_t);
}

// x[1,5,n_input] -UNIDIRECTIONAL_SEQUENCE_LSTM-> out[1,5,units], laid out as the Keras LSTM
// lowering emits it: 4 input and 4 recurrent weights, 4 biases, two variable states.
struct LstmFixture {
  tfl::Model model;
  std::vector<std::int32_t> weights, biases;
  std::int32_t state = 0;

  LstmFixture(std::int32_t n_input, std::int32_t units) {
    tfl::Subgraph sg;
    const std::int32_t x = add_activation(sg, "x", {1, 5, n_input});
    std::vector<std::int32_t> inputs(24, -1);
    inputs[0] = x;
    auto gate = [&](std::string name, std::int32_t rows, std::int32_t cols, float scale) {
      std::vector<float> v(static_cast<std::size_t>(rows * cols));
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::sin(static_cast<float>(i) * 0.61f) * scale;
      return add_constant(model, sg, std::move(name), {rows, cols}, v);
    };
    for (std::int32_t g = 0; g < 4; ++g) {
      inputs[static_cast<std::size_t>(1 + g)] = gate("input_w" + std::to_string(g), units, n_input, 0.5f + g);
      inputs[static_cast<std::size_t>(5 + g)] = gate("recurrent_w" + std::to_string(g), units, units, 0.25f);
      inputs[static_cast<std::size_t>(12 + g)] =
          add_constant(model, sg, "bias" + std::to_string(g), {units}, std::vector<float>(static_cast<std::size_t>(units), 0.5f));
      weights.push_back(inputs[static_cast<std::size_t>(1 + g)]);
      weights.push_back(inputs[static_cast<std::size_t>(5 + g)]);
      biases.push_back(inputs[static_cast<std::size_t>(12 + g)]);
    }
    for (std::size_t s : {18u, 19u}) {
      tfl::Tensor t;
      t.name = s == 18 ? "output_state" : "cell_state";
      t.shape = t.signature = {1, units};
      t.is_variable = true;
      inputs[s] = sg.add_tensor(std::move(t));
    }
    state = inputs[18];
    const std::int32_t out = add_activation(sg, "out", {1, 5, units});
    tfl::Operator lstm;
    lstm.builtin = B::UNIDIRECTIONAL_SEQUENCE_LSTM;
    lstm.inputs = inputs;
    lstm.outputs = {out};
    tflite::UnidirectionalSequenceLSTMOptionsT options;
    options.fused_activation_function = tflite::ActivationFunctionType::TANH;
    lstm.options.Set(std::move(options));
    sg.operators = {lstm};
    sg.inputs = {x};
    sg.outputs = {out};
    model.subgraphs.push_back(std::move(sg));
  }
  const tfl::Subgraph& sg() const { return model.subgraphs[0]; }
};

TEST_CASE("dynamic range: UNIDIRECTIONAL_SEQUENCE_LSTM weights become per-tensor int8, hybrid "
          "with asymmetric inputs",
          "[converter][quantize]") {
  LstmFixture fx(32, 64);  // input weights [64,32] and recurrent [64,64]: all >= 1024 elements
  ConvertReport report;
  quantize(fx.model, Optimize::DynamicRange, report);
  for (std::int32_t w : fx.weights) {
    const tfl::Tensor& t = fx.sg().tensors[static_cast<std::size_t>(w)];
    INFO(t.name);
    REQUIRE(t.type == T::INT8);
    REQUIRE(t.quantization);
    CHECK(t.quantization->scale.size() == 1);
    CHECK(t.quantization->zero_point == std::vector<std::int64_t>{0});
    // Per tensor: the largest magnitude is stored as +-127.
    const auto q = values_of<std::int8_t>(fx.model, t);
    int largest = 0;
    for (std::int8_t v : q) largest = std::max(largest, std::abs(static_cast<int>(v)));
    CHECK(largest == 127);
  }
  for (std::int32_t b : fx.biases) CHECK(fx.sg().tensors[static_cast<std::size_t>(b)].type == T::FLOAT32);
  CHECK(fx.sg().tensors[static_cast<std::size_t>(fx.state)].type == T::FLOAT32);
  const auto* options = fx.sg().operators[0].options.AsUnidirectionalSequenceLSTMOptions();
  REQUIRE(options != nullptr);
  CHECK(options->asymmetric_quantize_inputs);
  CHECK(options->fused_activation_function == tflite::ActivationFunctionType::TANH);
  CHECK(report.quantized.size() == 8);
}

TEST_CASE("dynamic range: an LSTM with one weight under 1024 elements keeps every weight float",
          "[converter][quantize]") {
  // Input weights [64,8] = 512 elements: TensorFlow quantizes none of the LSTM's weights, as
  // its hybrid kernel takes all of them int8 or none.
  LstmFixture fx(8, 64);
  ConvertReport report;
  quantize(fx.model, Optimize::DynamicRange, report);
  for (std::int32_t w : fx.weights) CHECK(fx.sg().tensors[static_cast<std::size_t>(w)].type == T::FLOAT32);
  CHECK_FALSE(fx.sg().operators[0].options.AsUnidirectionalSequenceLSTMOptions()->asymmetric_quantize_inputs);
  CHECK(report.quantized.empty());
}

TEST_CASE("float16: every float32 constant becomes FLOAT16 behind a DEQUANTIZE",
          "[converter][quantize]") {
  Fixture fx;
  const std::size_t tensors_before = fx.sg().tensors.size();
  ConvertReport report;
  quantize(fx.model, Optimize::Float16, report);
  const tfl::Subgraph& sg = fx.sg();
  // filter, conv_bias, weights, fc_bias, small: five constants, five DEQUANTIZE first.
  REQUIRE(sg.operators.size() == 8);
  REQUIRE(sg.tensors.size() == tensors_before + 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(sg.operators[i].builtin == B::DEQUANTIZE);
  CHECK(sg.operators[5].builtin == B::CONV_2D);
  CHECK(report.quantized.size() == 5);

  // The operators still read the same indices, now float32 values computed at run time.
  const tfl::Tensor& bias = sg.tensors[fx.fc_bias_t];
  CHECK(bias.type == T::FLOAT32);
  CHECK(bias.buffer == 0);
  CHECK(bias.name == "fc_bias1");
  const tfl::Operator* dq = nullptr;
  for (const auto& op : sg.operators) {
    if (op.builtin == B::DEQUANTIZE && op.outputs[0] == fx.fc_bias_t) dq = &op;
  }
  REQUIRE(dq != nullptr);
  const tfl::Tensor& half = sg.tensors[dq->inputs[0]];
  CHECK(half.type == T::FLOAT16);
  CHECK(half.name == "fc_bias");
  CHECK(half.shape == std::vector<std::int32_t>{40});
  const auto bits = values_of<std::uint16_t>(fx.model, half);
  REQUIRE(bits.size() == 40);
  // 1, -2, 0.1 (nearest: 0.0999755859375), 65504 (largest half), 1e5 (overflows to infinity).
  CHECK(std::vector<std::uint16_t>(bits.begin(), bits.begin() + 6) ==
        std::vector<std::uint16_t>{0x3c00, 0xc000, 0x2e66, 0x7bff, 0x7c00, 0x3400});
}

TEST_CASE("float16 conversion rounds to nearest even and keeps subnormals",
          "[converter][quantize]") {
  using weights::float_to_half;
  using weights::half_to_float;
  CHECK(float_to_half(0.0f) == 0x0000);
  CHECK(float_to_half(-0.0f) == 0x8000);
  CHECK(float_to_half(1.0f + 1.0f / 2048.0f) == 0x3c00);  // tie: even mantissa stays
  CHECK(float_to_half(1.0f + 3.0f / 2048.0f) == 0x3c02);  // tie: odd mantissa rounds up
  CHECK(float_to_half(65520.0f) == 0x7c00);               // halfway past 65504: infinity
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
  CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);  // tie to even: zero
  CHECK(float_to_half(std::ldexp(3.0f, -26)) == 0x0001);
  CHECK(float_to_half(std::ldexp(1.0f, -14)) == 0x0400);  // smallest normal
  for (std::uint32_t h = 0; h < 0x7c00; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    REQUIRE(float_to_half(half_to_float(bits)) == bits);
  }
}

}  // namespace
}  // namespace litelint::converter
