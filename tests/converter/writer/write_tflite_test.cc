#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#include <flatbuffers/flexbuffers.h>
#pragma GCC diagnostic pop

#include "analyzer/ir/tflite_model.h"
#include "analyzer/loaders/tflite.h"
#include "analyzer/support/file.h"
#include "analyzer/tflite/schema.h"
#include "converter/tfl/model.h"
#include "converter/writer/flexbuffer_options.h"
#include "converter/writer/write_tflite.h"
#include "tests/support/testing.h"

namespace ir = litelint::ir;
namespace tfl = litelint::converter::tfl;
namespace writer = litelint::converter::writer;
namespace testing = litelint::testing;
using Catch::Matchers::Contains;

namespace {

std::vector<std::byte> floats(std::vector<float> values) {
  std::vector<std::byte> out(values.size() * sizeof(float));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::vector<std::byte> iota_floats(std::size_t n, float start) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return floats(v);
}

tfl::Tensor tensor(std::string name, std::vector<std::int32_t> shape, std::uint32_t buffer = 0,
                   std::vector<std::int32_t> signature = {}) {
  tfl::Tensor t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  t.signature = signature.empty() ? t.shape : std::move(signature);
  t.buffer = buffer;
  return t;
}

// NodeDef{op: "AddV2"} with a NUL byte in an attr key, so the blob is not a C string.
const std::string kNodeDef("\x12\x05" "AddV2" "\x2a\x03" "T\0x", 11);

// FULLY_CONNECTED (v5, fused RELU), CONV_2D (stride 2, dilation 1), a second FULLY_CONNECTED
// (v1, no bias, weights equal to the first one's), a Flex AddV2 and GELU (code 150 > 127).
tfl::Model sample_model() {
  tfl::Model m;
  const auto w = m.add_buffer(iota_floats(12, 1.0f));
  const auto b = m.add_buffer(floats({0.5f, -0.5f, 0.25f}));
  const auto filter = m.add_buffer(iota_floats(54, -3.0f));
  const auto w_copy = m.add_buffer(iota_floats(12, 1.0f));
  m.add_buffer(iota_floats(7, 0.0f));  // used by no tensor: not written
  const auto w_other = m.add_buffer(iota_floats(12, 2.0f));  // same size as w, other bytes
  const auto q = m.add_buffer(std::vector<std::byte>{std::byte{1}, std::byte{2}, std::byte{3}});

  tfl::Subgraph sg;
  sg.name = "main";
  const auto x = sg.add_tensor(tensor("x", {1, 4}, 0, {-1, 4}));
  const auto tw = sg.add_tensor(tensor("w", {3, 4}, w));
  const auto tb = sg.add_tensor(tensor("b", {3}, b));
  const auto fc = sg.add_tensor(tensor("fc", {1, 3}, 0, {-1, 3}));
  const auto image = sg.add_tensor(tensor("image", {1, 6, 6, 2}));
  const auto tf = sg.add_tensor(tensor("filter", {3, 3, 3, 2}, filter));
  const auto conv = sg.add_tensor(tensor("conv", {1, 3, 3, 3}));
  const auto tw2 = sg.add_tensor(tensor("w_copy", {3, 4}, w_copy));
  const auto fc2 = sg.add_tensor(tensor("fc2", {1, 3}, 0, {-1, 3}));
  const auto sum = sg.add_tensor(tensor("sum", {1, 3}, 0, {-1, 3}));
  const auto gelu = sg.add_tensor(tensor("gelu", {1, 3}, 0, {-1, 3}));
  sg.add_tensor(tensor("w_other", {3, 4}, w_other));  // a constant no operator reads
  tfl::Tensor quantized = tensor("q", {3}, q);
  quantized.type = tflite::TensorType::INT8;
  quantized.quantization = tfl::Quantization{{0.5f, 0.25f, 0.125f}, {0, 1, 2}, 0};
  sg.add_tensor(quantized);
  tfl::Tensor state = tensor("state", {1, 3});
  state.is_variable = true;
  sg.add_tensor(state);
  const auto dilated = sg.add_tensor(tensor("dilated", {1, 3}));
  const auto scratch = sg.add_tensor(tensor("scratch", {1, 3}));
  sg.inputs = {x, image};
  sg.outputs = {sum, conv, gelu};

  tfl::Operator op;
  op.builtin = tflite::BuiltinOperator::FULLY_CONNECTED;
  op.version = 5;
  op.inputs = {x, tw, tb};
  op.outputs = {fc};
  tflite::FullyConnectedOptionsT fc_options;
  fc_options.fused_activation_function = tflite::ActivationFunctionType::RELU;
  op.options.Set(std::move(fc_options));
  sg.operators.push_back(op);

  tfl::Operator c;
  c.builtin = tflite::BuiltinOperator::CONV_2D;
  c.inputs = {image, tf, -1};
  c.outputs = {conv};
  tflite::Conv2DOptionsT conv_options;
  conv_options.padding = tflite::Padding::SAME;
  conv_options.stride_w = 2;
  conv_options.stride_h = 2;
  c.options.Set(std::move(conv_options));
  sg.operators.push_back(c);

  tfl::Operator op2;
  op2.builtin = tflite::BuiltinOperator::FULLY_CONNECTED;
  op2.inputs = {x, tw2, -1};
  op2.outputs = {fc2};
  op2.options.Set(tflite::FullyConnectedOptionsT{});
  sg.operators.push_back(op2);

  tfl::Operator flex;
  flex.custom_code = "FlexAddV2";
  flex.inputs = {fc, fc2};
  flex.outputs = {sum};
  flex.custom_options = writer::flex_custom_options("AddV2", kNodeDef);
  sg.operators.push_back(flex);

  tfl::Operator g;
  g.builtin = tflite::BuiltinOperator::GELU;
  g.inputs = {sum};
  g.outputs = {gelu};
  tflite::GeluOptionsT gelu_options;
  gelu_options.approximate = true;
  g.options.Set(std::move(gelu_options));
  sg.operators.push_back(g);

  tfl::Operator d;  // an op whose options live in the second union
  d.builtin = tflite::BuiltinOperator::DILATE;
  d.inputs = {sum};
  d.outputs = {dilated};
  d.intermediates = {scratch};
  d.options2.Set(tflite::DilateOptionsT{});
  sg.operators.push_back(d);

  m.subgraphs.push_back(std::move(sg));
  m.signatures.push_back({.key = "serving_default",
                          .subgraph = 0,
                          .inputs = {{"x", x}, {"image", image}},
                          .outputs = {{"out", sum}, {"conv", conv}, {"gelu", gelu}}});
  return m;
}

bool verifies(const std::vector<std::uint8_t>& bytes) {
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  return tflite::VerifyModelBuffer(verifier);
}

// Reads the bytes back with litelint's own loader, from a file as the CLI would.
ir::TfliteModel load_back(const std::vector<std::uint8_t>& bytes, const testing::TempDir& dir) {
  const auto path = dir.path() / "model.tflite";
  testing::write_file(path, std::string(bytes.begin(), bytes.end()));
  auto file = litelint::MappedFile::open(path);
  REQUIRE(file);
  auto model = litelint::analyzer::parse_tflite(*file);
  if (!model) FAIL(model.error().message());
  return std::move(*model);
}

bool same_bytes(std::span<const std::byte> a, const tfl::Buffer& b) {
  return a.size() == b.bytes().size() && std::memcmp(a.data(), b.bytes().data(), a.size()) == 0;
}

}  // namespace

TEST_CASE("writer output passes the FlatBuffers verifier and litelint's loader",
          "[converter][writer]") {
  const tfl::Model model = sample_model();
  auto written = writer::write_tflite(model, {});
  REQUIRE(written);
  REQUIRE(verifies(written->bytes));
  CHECK(std::string(written->bytes.begin() + 4, written->bytes.begin() + 8) == "TFL3");
  testing::TempDir dir;
  const ir::TfliteModel back = load_back(written->bytes, dir);

  CHECK(back.version == 3);
  CHECK(back.description == "litelint");
  REQUIRE(back.subgraphs.size() == 1);
  CHECK(back.subgraphs[0].name == "main");
  CHECK(back.subgraphs[0].inputs == std::vector<std::int32_t>{0, 4});
  CHECK(back.subgraphs[0].outputs == std::vector<std::int32_t>{9, 6, 10});

  SECTION("one operator code per op, at the highest version its operators need") {
    REQUIRE(back.operator_codes.size() == 5);
    CHECK(back.operator_codes[0].builtin_code == static_cast<int>(tflite::BuiltinOperator::FULLY_CONNECTED));
    CHECK(back.operator_codes[0].version == 5);
    CHECK(back.operator_codes[0].deprecated_builtin_code == 9);
    CHECK(back.operator_codes[1].builtin_code == static_cast<int>(tflite::BuiltinOperator::CONV_2D));
    CHECK(back.operator_codes[1].version == 1);
    CHECK(back.operator_codes[2].is_custom());
    CHECK(back.operator_codes[2].custom_code == "FlexAddV2");
    CHECK(back.operator_codes[3].builtin_code == 150);  // GELU
    CHECK(back.operator_codes[3].deprecated_builtin_code == 127);
    const auto& ops = back.subgraphs[0].operators;
    REQUIRE(ops.size() == 6);
    CHECK(ops[0].opcode_index == 0);
    CHECK(ops[2].opcode_index == 0);
    CHECK(ops[4].opcode_index == 3);
    CHECK(ops[1].inputs == std::vector<std::int32_t>{4, 5, -1});
    CHECK(ops[5].intermediates == std::vector<std::int32_t>{15});
    CHECK(back.custom_ops == std::vector<std::string>{"FlexAddV2"});
  }

  SECTION("builtin options and Flex custom options keep their values") {
    const tflite::Model* raw = tflite::GetModel(written->bytes.data());
    const auto* ops = raw->subgraphs()->Get(0)->operators();
    const auto* fc = ops->Get(0)->builtin_options_as_FullyConnectedOptions();
    REQUIRE(fc != nullptr);
    CHECK(fc->fused_activation_function() == tflite::ActivationFunctionType::RELU);
    const auto* conv = ops->Get(1)->builtin_options_as_Conv2DOptions();
    REQUIRE(conv != nullptr);
    CHECK(conv->stride_w() == 2);
    CHECK(conv->stride_h() == 2);
    CHECK(conv->dilation_w_factor() == 1);
    CHECK(conv->padding() == tflite::Padding::SAME);
    const auto* gelu = ops->Get(4)->builtin_options_as_GeluOptions();
    REQUIRE(gelu != nullptr);
    CHECK(gelu->approximate());
    CHECK(ops->Get(5)->builtin_options_type() == tflite::BuiltinOptions::NONE);
    CHECK(ops->Get(5)->builtin_options_2_type() == tflite::BuiltinOptions2::DilateOptions);

    const auto* flex = ops->Get(3);
    CHECK(flex->builtin_options_type() == tflite::BuiltinOptions::NONE);
    CHECK(flex->custom_options_format() == tflite::CustomOptionsFormat::FLEXBUFFERS);
    REQUIRE(flex->custom_options() != nullptr);
    const auto root = flexbuffers::GetRoot(flex->custom_options()->data(), flex->custom_options()->size());
    REQUIRE(root.IsVector());
    const auto vec = root.AsVector();
    REQUIRE(vec.size() == 2);
    CHECK(vec[0].AsString().str() == "AddV2");
    CHECK(vec[1].AsString().str() == kNodeDef);
  }

  SECTION("shape_signature only on dynamic tensors") {
    const auto& t = back.subgraphs[0].tensors;
    CHECK(t[0].shape == std::vector<std::int32_t>{1, 4});
    CHECK(t[0].has_shape_signature);
    CHECK(t[0].shape_signature == std::vector<std::int32_t>{-1, 4});
    CHECK(t[0].has_rank);
    CHECK_FALSE(t[1].has_shape_signature);
    CHECK(t[5].shape == std::vector<std::int32_t>{3, 3, 3, 2});
    CHECK_FALSE(t[6].has_shape_signature);
  }

  SECTION("quantization and variables") {
    const auto& t = back.subgraphs[0].tensors;
    CHECK(t[12].type == ir::TfliteType::Int8);
    REQUIRE(t[12].quantization);
    CHECK(t[12].quantization->scale == std::vector<float>{0.5f, 0.25f, 0.125f});
    CHECK(t[12].quantization->zero_point == std::vector<std::int64_t>{0, 1, 2});
    CHECK(t[12].quantization->quantized_dimension == 0);
    CHECK_FALSE(t[0].quantization);
    CHECK(t[13].is_variable);
    CHECK_FALSE(t[0].is_variable);
  }

  SECTION("equal constants share one aligned buffer; unused ones are dropped") {
    const auto& t = back.subgraphs[0].tensors;
    CHECK(t[1].buffer == t[7].buffer);  // w and w_copy
    CHECK(t[1].buffer != 0);
    CHECK(t[0].buffer == 0);
    CHECK(written->deduplicated_buffers == 1);
    CHECK(written->constant_buffers == 5);
    CHECK(t[11].buffer != t[1].buffer);
    CHECK(same_bytes(ir::buffer_data(back, t[11].buffer), model.buffers[6]));
    // empty + w, b, filter, w_other, q + min_runtime_version + CONVERSION_METADATA
    CHECK(back.buffers.size() == 8);
    CHECK_FALSE(back.buffers[0].has_data());
    CHECK(same_bytes(ir::buffer_data(back, t[1].buffer), model.buffers[1]));
    CHECK(same_bytes(ir::buffer_data(back, t[2].buffer), model.buffers[2]));
    CHECK(same_bytes(ir::buffer_data(back, t[5].buffer), model.buffers[3]));
    for (const auto& b : back.buffers) {
      if (b.has_data()) CHECK(b.offset % 16 == 0);
    }
  }

  SECTION("signature maps are sorted by alias") {
    REQUIRE(back.signature_defs.size() == 1);
    const auto& sig = back.signature_defs[0];
    CHECK(sig.signature_key == "serving_default");
    REQUIRE(sig.inputs.size() == 2);
    CHECK(sig.inputs[0].name == "image");
    CHECK(sig.inputs[0].tensor_index == 4);
    CHECK(sig.inputs[1].name == "x");
    REQUIRE(sig.outputs.size() == 3);
    CHECK(sig.outputs[0].name == "conv");
    CHECK(sig.outputs[2].name == "out");
    CHECK(sig.outputs[2].tensor_index == 9);
  }

  SECTION("metadata: min_runtime_version from the op versions, CONVERSION_METADATA") {
    // FULLY_CONNECTED v5 needs 2.0.0, CONV_2D v1 1.5.0, GELU v1 2.9.0, DILATE v1 2.15.0.
    CHECK(back.min_runtime_version == "2.15.0");
    CHECK(written->min_runtime_version == "2.15.0");
    REQUIRE(back.metadata.size() == 2);
    CHECK(back.metadata[0].name == "min_runtime_version");
    CHECK(back.metadata[0].bytes == 16);
    CHECK(back.metadata[1].name == "CONVERSION_METADATA");
    REQUIRE(back.conversion_metadata);
    CHECK(back.conversion_metadata->tensorflow_version == std::string("litelint ") + LITELINT_VERSION);
    CHECK(back.conversion_metadata->api_version == 2);
    CHECK_FALSE(back.buffers_outside_flatbuffer);
  }

  SECTION("bytes per section add up to the file") {
    std::uint64_t total = 0;
    for (const auto& [name, bytes] : written->bytes_per_section) total += bytes;
    CHECK(total == written->bytes.size());
    // 12 + 3 + 54 + 12 floats and 3 bytes, each buffer rounded up to 16 bytes
    CHECK(written->bytes_per_section.at("buffers") >= 48 + 16 + 224 + 48 + 16);
    CHECK(written->bytes_per_section.at("tensors") > 0);
    CHECK(written->bytes_per_section.at("operators") > 0);
    CHECK(written->bytes_per_section.at("signature_defs") > 0);
    CHECK(written->bytes_per_section.at("metadata") > 16);
  }
}

TEST_CASE("writer puts constants after the FlatBuffer past the size threshold",
          "[converter][writer]") {
  const tfl::Model model = sample_model();
  writer::WriteOptions opts;
  opts.buffers_outside_threshold = 64;  // the 352 bytes of constants exceed it
  auto written = writer::write_tflite(model, opts);
  REQUIRE(written);
  CHECK(written->buffers_outside_flatbuffer);
  REQUIRE(verifies(written->bytes));
  testing::TempDir dir;
  const ir::TfliteModel back = load_back(written->bytes, dir);
  CHECK(back.buffers_outside_flatbuffer);
  const auto& t = back.subgraphs[0].tensors;
  CHECK(t[1].buffer == t[7].buffer);
  std::uint64_t flatbuffer_end = written->bytes.size();
  for (std::uint32_t index : {t[1].buffer, t[2].buffer, t[5].buffer}) {
    const ir::TfliteBuffer& b = back.buffers[index];
    CHECK(b.location == ir::TfliteBuffer::Location::External);
    CHECK(b.offset % 16 == 0);
    flatbuffer_end = std::min(flatbuffer_end, b.offset);
  }
  CHECK(same_bytes(ir::buffer_data(back, t[1].buffer), model.buffers[1]));
  CHECK(same_bytes(ir::buffer_data(back, t[2].buffer), model.buffers[2]));
  CHECK(same_bytes(ir::buffer_data(back, t[5].buffer), model.buffers[3]));
  // The FlatBuffer itself ends before the first constant and still verifies on its own.
  const std::vector<std::uint8_t> head(written->bytes.begin(), written->bytes.begin() + flatbuffer_end);
  CHECK(verifies(head));
  // Metadata values stay inline: the runtime patches min_runtime_version in place.
  CHECK(back.min_runtime_version == "2.15.0");
  const auto names = [&] {
    std::vector<std::string> out;
    for (const auto& m : back.metadata) out.push_back(m.name);
    return out;
  }();
  CHECK(names == std::vector<std::string>{"min_runtime_version", "buffer_location", "CONVERSION_METADATA"});
  std::uint64_t total = 0;
  for (const auto& [name, bytes] : written->bytes_per_section) total += bytes;
  CHECK(total == written->bytes.size());
}

TEST_CASE("writer leaves min_runtime_version zero when no op is in the runtime table",
          "[converter][writer]") {
  tfl::Model model;
  tfl::Subgraph sg;
  sg.add_tensor(tensor("in", {2}));
  sg.add_tensor(tensor("out", {2}));
  sg.inputs = {0};
  sg.outputs = {1};
  tfl::Operator op;
  op.custom_code = "MyOp";
  op.inputs = {0};
  op.outputs = {1};
  sg.operators.push_back(op);
  model.subgraphs.push_back(sg);
  writer::WriteOptions opts;
  opts.conversion_metadata = false;
  auto written = writer::write_tflite(model, opts);
  REQUIRE(written);
  CHECK(written->min_runtime_version.empty());
  testing::TempDir dir;
  const ir::TfliteModel back = load_back(written->bytes, dir);
  CHECK(back.min_runtime_version.empty());
  REQUIRE(back.metadata.size() == 1);
  const auto value = ir::buffer_data(back, back.metadata[0].buffer);
  REQUIRE(value.size() == 16);
  CHECK(std::all_of(value.begin(), value.end(), [](std::byte b) { return b == std::byte{0}; }));
  CHECK(back.operator_codes[0].custom_code == "MyOp");
}

TEST_CASE("writer reports broken models instead of writing them", "[converter][writer]") {
  tfl::Model model = sample_model();
  SECTION("operator input out of range") {
    model.subgraphs[0].operators[0].inputs[1] = 99;
    auto written = writer::write_tflite(model, {});
    REQUIRE_FALSE(written);
    CHECK_THAT(written.error().reason(), Contains("operator 0 (FULLY_CONNECTED): input is 99"));
  }
  SECTION("options of another op") {
    model.subgraphs[0].operators[1].options.Set(tflite::FullyConnectedOptionsT{});
    auto written = writer::write_tflite(model, {});
    REQUIRE_FALSE(written);
    CHECK_THAT(written.error().reason(), Contains("options are FullyConnectedOptions, the op reads Conv2DOptions"));
  }
  SECTION("signature tensor out of range") {
    model.signatures[0].outputs.push_back({"bad", 99});
    auto written = writer::write_tflite(model, {});
    REQUIRE_FALSE(written);
    CHECK_THAT(written.error().reason(), Contains("signature 'serving_default': output 'bad' is 99"));
  }
}

TEST_CASE("min_runtime_version compares versions numerically", "[converter][writer]") {
  tfl::Model model;
  tfl::Subgraph sg;
  tfl::Operator a;
  a.builtin = tflite::BuiltinOperator::CONV_2D;
  a.version = 7;  // 2.11.0
  tfl::Operator b;
  b.builtin = tflite::BuiltinOperator::FULLY_CONNECTED;
  b.version = 9;  // 2.3.0: later as a string, earlier as a version
  sg.operators = {a, b};
  model.subgraphs.push_back(sg);
  CHECK(writer::min_runtime_version(model) == "2.11.0");
  // ADD v1 is what TensorFlow writes for a lone ADD (tf2onnx_regression_tflite in the corpus).
  model.subgraphs[0].operators = {a};
  model.subgraphs[0].operators[0].builtin = tflite::BuiltinOperator::ADD;
  model.subgraphs[0].operators[0].version = 1;
  CHECK(writer::min_runtime_version(model) == "1.5.0");
}

TEST_CASE("flex_custom_options is a FlexBuffer vector of op name and NodeDef",
          "[converter][writer]") {
  const std::vector<std::uint8_t> blob = writer::flex_custom_options("MatrixInverse", kNodeDef);
  const auto root = flexbuffers::GetRoot(blob.data(), blob.size());
  REQUIRE(root.IsVector());
  const auto vec = root.AsVector();
  REQUIRE(vec.size() == 2);
  CHECK(vec[0].IsString());
  CHECK(vec[0].AsString().str() == "MatrixInverse");
  CHECK(vec[1].IsString());
  CHECK(vec[1].AsString().size() == kNodeDef.size());
  CHECK(vec[1].AsString().str() == kNodeDef);
}

TEST_CASE("the consuming writer writes the same bytes and frees each constant it copied",
          "[converter][writer]") {
  for (const std::uint64_t threshold : {writer::kMaxInlineBufferBytes, std::uint64_t{64}}) {
    CAPTURE(threshold);
    writer::WriteOptions opts;
    opts.buffers_outside_threshold = threshold;
    const tfl::Model model = sample_model();
    const auto kept = writer::write_tflite(model, opts);
    REQUIRE(kept);
    tfl::Model consumed = sample_model();
    const auto written = writer::write_tflite(std::move(consumed), opts);
    REQUIRE(written);
    CHECK(written->bytes == kept->bytes);
    CHECK(written->buffers_outside_flatbuffer == (threshold == 64));
    // Every buffer whose bytes were written is freed; a duplicate of one (never read after
    // planning) and the buffer no tensor uses keep theirs, and operators stay for the report.
    std::size_t left = 0;
    for (const auto& b : consumed.buffers) left += !b.empty();
    CHECK(left == written->deduplicated_buffers + 1);
    CHECK(written->constant_buffers + left + 1 == model.buffers.size());
    CHECK(written->deduplicated_buffers > 0);
    CHECK(consumed.subgraphs.front().operators.size() == model.subgraphs.front().operators.size());
  }
}

TEST_CASE("the writer streams the same bytes to a sink, in pieces, and stops at its error",
          "[converter][writer]") {
  for (const std::uint64_t threshold : {writer::kMaxInlineBufferBytes, std::uint64_t{64}}) {
    CAPTURE(threshold);
    writer::WriteOptions opts;
    opts.buffers_outside_threshold = threshold;
    const auto kept = writer::write_tflite(sample_model(), opts);
    REQUIRE(kept);
    std::vector<std::uint8_t> streamed;
    std::size_t pieces = 0;
    const writer::ByteSink sink = [&](std::span<const std::uint8_t> bytes) -> litelint::Expected<void> {
      CHECK_FALSE(bytes.empty());
      streamed.insert(streamed.end(), bytes.begin(), bytes.end());
      ++pieces;
      return {};
    };
    const auto written = writer::write_tflite(sample_model(), opts, sink);
    REQUIRE(written);
    CHECK(written->bytes.empty());
    CHECK(streamed == kept->bytes);
    CHECK(written->size == kept->bytes.size());
    CHECK(kept->size == kept->bytes.size());
    CHECK(written->bytes_per_section == kept->bytes_per_section);
    CHECK(written->signature_defs == 1);
    CHECK(kept->signature_defs == 1);
    CHECK(pieces > 2);  // the tables between constants, and each constant on its own

    std::size_t calls = 0;
    const writer::ByteSink full = [&](std::span<const std::uint8_t>) -> litelint::Expected<void> {
      if (++calls == 2) return litelint::fail(litelint::ErrorCode::Usage, "disk full");
      return {};
    };
    const auto failed = writer::write_tflite(sample_model(), opts, full);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().reason() == "disk full");
    CHECK(calls == 2);
  }
}
