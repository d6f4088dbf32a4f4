#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <random>

#include "analyzer/ir/tflite_model.h"
#include "analyzer/loaders/tflite.h"
#include "analyzer/tflite/schema.h"
#include "tests/support/testing.h"

namespace fs = std::filesystem;
namespace ir = litelint::ir;
namespace testing = litelint::testing;
using litelint::Expected;
using litelint::analyzer::Detected;
using litelint::analyzer::load_tflite;
using Catch::Matchers::Contains;

namespace {

Expected<ir::Model> load(const fs::path& file) {
  return load_tflite(Detected{ir::Format::Tflite, file}, {});
}

nlohmann::json tflite_manifest_entries() {
  std::ifstream in(testing::corpus_root() / "MANIFEST.json");
  REQUIRE(in);
  const auto manifest = nlohmann::json::parse(in);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : manifest.at("entries")) {
    if (e.at("category") == "tflite") out.push_back(e);
  }
  return out;
}

// The model file of a corpus entry, as the manifest names it.
fs::path main_file(const std::string& id) {
  for (const auto& e : tflite_manifest_entries()) {
    if (e.at("id") == id) return testing::corpus(e.at("main_file").get<std::string>());
  }
  FAIL("no manifest entry " << id);
  return {};
}

std::string json_string_or_empty(const nlohmann::json& v) {
  return v.is_null() ? std::string() : v.get<std::string>();
}

// What a tiny hand-built model should contain; each test breaks one thing. The default is a
// valid model: out = ADD(x, const b), with a signature and min_runtime_version metadata.
struct Spec {
  std::uint32_t version = 3;
  std::int8_t deprecated_code = 0;  // ADD
  tflite::BuiltinOperator code = tflite::BuiltinOperator::ADD;
  const char* custom_code = nullptr;
  std::uint32_t opcode_index = 0;
  std::vector<std::int32_t> op_inputs = {0, 1};
  std::vector<std::int32_t> op_outputs = {2};
  std::vector<std::int32_t> const_shape = {1, 2};
  std::vector<std::int32_t> input_shape = {1, 2};
  std::uint32_t const_buffer = 2;
  std::vector<std::uint8_t> const_data = std::vector<std::uint8_t>(8, 0);
  std::uint64_t const_offset = 0;  // > 1: out-of-FlatBuffer data instead of const_data
  std::uint64_t const_size = 0;
  std::uint32_t signature_subgraph = 0;
  std::uint32_t signature_tensor = 0;
  // When set, the operator is a WHILE with these cond/body subgraph indices.
  std::optional<std::pair<std::int32_t, std::int32_t>> while_subgraphs;
  std::string tensor_name = "x";
};

std::string build(const Spec& s) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers = {
      tflite::CreateBufferDirect(fbb), tflite::CreateBufferDirect(fbb)};
  if (s.const_offset > 1) {
    buffers.push_back(tflite::CreateBufferDirect(fbb, nullptr, s.const_offset, s.const_size));
  } else {
    buffers.push_back(tflite::CreateBufferDirect(fbb, &s.const_data));
  }
  const std::vector<std::uint8_t> version_string = {'1', '.', '5', '.', '0', 0, 0, 0,
                                                    0,   0,   0,   0,   0,   0, 0, 0};
  buffers.push_back(tflite::CreateBufferDirect(fbb, &version_string));

  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors = {
      tflite::CreateTensorDirect(fbb, &s.input_shape, tflite::TensorType::FLOAT32, 1,
                                 s.tensor_name.c_str()),
      tflite::CreateTensorDirect(fbb, &s.const_shape, tflite::TensorType::FLOAT32, s.const_buffer, "b"),
      tflite::CreateTensorDirect(fbb, &s.input_shape, tflite::TensorType::FLOAT32, 0, "out"),
  };
  auto options_type = tflite::BuiltinOptions::NONE;
  flatbuffers::Offset<void> options = 0;
  if (s.while_subgraphs) {
    options_type = tflite::BuiltinOptions::WhileOptions;
    options = tflite::CreateWhileOptions(fbb, s.while_subgraphs->first, s.while_subgraphs->second).Union();
  }
  std::vector<flatbuffers::Offset<tflite::Operator>> ops = {tflite::CreateOperatorDirect(
      fbb, s.opcode_index, &s.op_inputs, &s.op_outputs, options_type, options)};
  const std::vector<std::int32_t> inputs = {0}, outputs = {2};
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
      tflite::CreateSubGraphDirect(fbb, &tensors, &inputs, &outputs, &ops, "main")};
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes = {
      tflite::CreateOperatorCodeDirect(fbb, s.deprecated_code, s.custom_code, 1, s.code)};
  std::vector<flatbuffers::Offset<tflite::TensorMap>> sig_in = {
      tflite::CreateTensorMapDirect(fbb, "x", s.signature_tensor)};
  std::vector<flatbuffers::Offset<tflite::TensorMap>> sig_out = {
      tflite::CreateTensorMapDirect(fbb, "y", 2)};
  std::vector<flatbuffers::Offset<tflite::SignatureDef>> sigs = {tflite::CreateSignatureDefDirect(
      fbb, &sig_in, &sig_out, "serving_default", s.signature_subgraph)};
  std::vector<flatbuffers::Offset<tflite::Metadata>> metadata = {
      tflite::CreateMetadataDirect(fbb, "min_runtime_version", 3)};
  auto model = tflite::CreateModelDirect(fbb, s.version, &codes, &subgraphs, "hand built",
                                         &buffers, nullptr, &metadata, &sigs);
  tflite::FinishModelBuffer(fbb, model);
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// Writes `bytes` as a .tflite file and loads it.
Expected<ir::Model> load_bytes(const testing::TempDir& dir, const std::string& bytes) {
  const auto file = dir.path() / "model.tflite";
  testing::write_file(file, bytes);
  return load(file);
}

std::string load_error(const Spec& spec) {
  testing::TempDir dir;
  auto model = load_bytes(dir, build(spec));
  REQUIRE_FALSE(model);
  CHECK_THAT(model.error().message(), Contains("model.tflite"));
  return model.error().reason();
}

}  // namespace

TEST_CASE("tflite loader reads every corpus .tflite file as the manifest describes it",
          "[loader][tflite][corpus]") {
  const auto entries = tflite_manifest_entries();
  REQUIRE(entries.size() == 127);
  std::size_t loaded = 0, rejected = 0;
  for (const auto& e : entries) {
    const std::string id = e.at("id");
    INFO(id);
    const auto file = testing::corpus(e.at("main_file").get<std::string>());
    auto model = load(file);
    if (e.value("malformed", false)) {
      REQUIRE_FALSE(model);
      CHECK_THAT(model.error().message(), Contains(file.filename().string()));
      ++rejected;
      continue;
    }
    INFO((model ? std::string() : model.error().message()));
    REQUIRE(model);
    ++loaded;
    CHECK(model->format == ir::Format::Tflite);
    CHECK(model->main_file == file);
    CHECK(model->file_bytes == e.at("size_bytes").get<std::uint64_t>());
    REQUIRE(model->main_mapping);
    CHECK(model->main_mapping->size() == model->file_bytes);
    CHECK(model->graphs.empty());
    REQUIRE(model->tflite);
    const auto& m = *model->tflite;
    CHECK(ir::op_types(m) == e.at("ops").get<std::vector<std::string>>());

    const auto& a = e.at("analysis");
    CHECK(m.version == a.at("schema_version").get<std::uint32_t>());
    CHECK(m.description == json_string_or_empty(a.at("description")));
    const auto& subgraphs = a.at("subgraphs");
    REQUIRE(m.subgraphs.size() == subgraphs.size());
    std::size_t operators = 0;
    for (std::size_t i = 0; i < subgraphs.size(); ++i) {
      CHECK(m.subgraphs[i].name == json_string_or_empty(subgraphs[i].at("name")));
      CHECK(m.subgraphs[i].operators.size() == subgraphs[i].at("operators").get<std::size_t>());
      CHECK(m.subgraphs[i].tensors.size() == subgraphs[i].at("tensors").get<std::size_t>());
      operators += m.subgraphs[i].operators.size();
    }
    CHECK(operators == a.at("operator_count").get<std::size_t>());
    CHECK(ir::op_types(m) == a.at("ops").get<std::vector<std::string>>());

    std::vector<std::string> keys;
    for (const auto& s : m.signature_defs) keys.push_back(s.signature_key);
    CHECK(keys == a.value("signature_keys", std::vector<std::string>{}));
    std::vector<std::string> names;
    for (const auto& md : m.metadata) names.push_back(md.name);
    CHECK(names == a.value("metadata_names", std::vector<std::string>{}));
    CHECK(m.custom_ops == a.value("custom_ops", std::vector<std::string>{}));
    if (std::find(names.begin(), names.end(), "min_runtime_version") == names.end()) {
      CHECK(m.min_runtime_version.empty());
    }
  }
  CHECK(loaded == 124);
  CHECK(rejected == 3);
}

TEST_CASE("tflite loader exposes op codes, signatures and metadata of a converted model",
          "[loader][tflite]") {
  auto model = load(testing::corpus("tflite/tflm_micro_hello_world_float/hello_world_float.tflite"));
  REQUIRE(model);
  const auto& m = *model->tflite;
  CHECK(m.version == 3);
  CHECK(m.description == "MLIR Converted.");
  REQUIRE(m.operator_codes.size() == 1);
  CHECK(ir::tflite_op_name(m.operator_codes[0]) == "FULLY_CONNECTED");
  CHECK(m.operator_codes[0].builtin_code == 9);
  CHECK(m.min_runtime_version == "1.5.0");
  REQUIRE(m.conversion_metadata);
  CHECK(m.conversion_metadata->tensorflow_version.rfind("2.", 0) == 0);
  REQUIRE(m.metadata.size() == 2);
  CHECK(m.metadata[0].value_summary == "1.5.0");
  CHECK_THAT(m.metadata[1].value_summary, Contains("TensorFlow 2."));
  REQUIRE(m.signature_defs.size() == 1);
  CHECK(m.signature_defs[0].signature_key == "serving_default");
  CHECK(m.signature_defs[0].subgraph_index == 0);
  REQUIRE(m.subgraphs.size() == 1);
  const auto& sg = m.subgraphs[0];
  for (const auto& op : sg.operators) CHECK(op.opcode_index == 0);
  // Weights are inline constants; every tensor index is in range.
  std::uint64_t constant_bytes = 0;
  for (const auto& t : sg.tensors) {
    REQUIRE(t.buffer < m.buffers.size());
    constant_bytes += m.buffers[t.buffer].size;
    CHECK(ir::buffer_data(m, t.buffer).size() == m.buffers[t.buffer].size);
  }
  CHECK(constant_bytes > 0);
  CHECK(m.total_buffer_bytes >= constant_bytes);
  CHECK_FALSE(m.buffers_outside_flatbuffer);
}

TEST_CASE("tflite loader follows WHILE options to their subgraphs", "[loader][tflite]") {
  auto model = load(main_file("tflite/tf_lite_testdata_multi_subgraphs_while"));
  REQUIRE(model);
  const auto& m = *model->tflite;
  REQUIRE(m.subgraphs.size() == 3);
  REQUIRE(m.subgraphs[0].operators.size() == 1);
  const auto& op = m.subgraphs[0].operators[0];
  CHECK(ir::tflite_op_name(m.operator_codes[op.opcode_index]) == "WHILE");
  CHECK(op.called_subgraphs == std::vector<std::int32_t>{1, 2});
  CHECK(op.builtin_options_type == static_cast<std::uint8_t>(tflite::BuiltinOptions::WhileOptions));
}

TEST_CASE("tflite loader names custom ops CUSTOM:<custom_code>", "[loader][tflite]") {
  auto model = load(main_file("tflite/tf_lite_testdata_multi_add_flex"));
  REQUIRE(model);
  CHECK(model->tflite->custom_ops == std::vector<std::string>{"FlexAddV2"});
  CHECK(ir::op_types(*model->tflite) == std::vector<std::string>{"CUSTOM:FlexAddV2"});
}

TEST_CASE("tflite loader rejects the malformed corpus files with a specific reason",
          "[loader][tflite][malformed]") {
  auto reason = [](const char* id) {
    auto model = load(main_file(id));
    REQUIRE_FALSE(model);
    return model.error().reason();
  };
  // A SUB model whose op code was patched to SEGMENT_SUM (and whose segment-ids tensor was
  // pointed at the empty buffer 0): the options still say SubOptions.
  CHECK(reason("tflite/tf_lite_testdata_segment_sum_invalid_buffer") ==
        "subgraph 0, operator 0 (SEGMENT_SUM): carries SubOptions, which belong to another op "
        "(SEGMENT_SUM takes SegmentSumOptions)");
  // Its first bytes are damaged too: no TFL3 identifier.
  CHECK_THAT(reason("tflite/tf_lite_testdata_test_model_broken"), Contains("file identifier"));
  CHECK_THAT(reason("tflite/tf_lite_java_testdata_invalid_model"), Contains("file identifier"));
}

TEST_CASE("tflite loader reads a hand-built model", "[loader][tflite]") {
  testing::TempDir dir;
  auto model = load_bytes(dir, build(Spec{}));
  INFO((model ? std::string() : model.error().message()));
  REQUIRE(model);
  const auto& m = *model->tflite;
  CHECK(ir::op_types(m) == std::vector<std::string>{"ADD"});
  CHECK(m.min_runtime_version == "1.5.0");
  REQUIRE(m.buffers.size() == 4);
  CHECK(m.buffers[2].location == ir::TfliteBuffer::Location::Inline);
  CHECK(m.buffers[2].size == 8);
  CHECK(m.buffers[2].offset % 16 == 0);  // force_align: 16
  CHECK(m.total_buffer_bytes == 8 + 16);
  REQUIRE(m.signature_defs.size() == 1);
  CHECK(m.signature_defs[0].inputs[0].name == "x");
  CHECK(m.signature_defs[0].outputs[0].tensor_index == 2);
  CHECK(m.subgraphs[0].tensors[1].shape == std::vector<std::int32_t>{1, 2});
  CHECK(m.subgraphs[0].tensors[1].type == ir::TfliteType::Float32);
}

TEST_CASE("tflite loader resolves op codes with max(deprecated_builtin_code, builtin_code)",
          "[loader][tflite]") {
  testing::TempDir dir;
  struct Case {
    std::int8_t deprecated;
    tflite::BuiltinOperator code;
    const char* name;
  };
  auto c = GENERATE(Case{3, tflite::BuiltinOperator::ADD, "CONV_2D"},  // old file: byte only
                    Case{127, tflite::BuiltinOperator::GELU, "GELU"},  // code >= 127
                    Case{41, tflite::BuiltinOperator::SUB, "SUB"},     // both written
                    Case{0, tflite::BuiltinOperator::ADD, "ADD"});     // neither: ADD
  Spec spec;
  spec.deprecated_code = c.deprecated;
  spec.code = c.code;
  auto model = load_bytes(dir, build(spec));
  REQUIRE(model);
  CHECK(ir::op_types(*model->tflite) == std::vector<std::string>{c.name});
}

TEST_CASE("tflite loader rejects inconsistent models with a one-line reason",
          "[loader][tflite][malformed]") {
  Spec spec;
  std::string expected;
  SECTION("opcode index out of range") {
    spec.opcode_index = 5;
    expected = "operator 0: opcode_index 5 is out of range (1 operator codes)";
  }
  SECTION("operator input tensor out of range") {
    spec.op_inputs = {0, 7};
    expected = "input 1 refers to tensor 7, but the subgraph has 3 tensors";
  }
  SECTION("omitted optional input is fine, other negative indices are not") {
    spec.op_inputs = {0, -2};
    expected = "input 1 refers to tensor -2";
  }
  SECTION("buffer index out of range") {
    spec.const_buffer = 9;
    expected = "tensor 1 ('b'): buffer index 9 is out of range (4 buffers)";
  }
  SECTION("negative dimension") {
    spec.const_shape = {1, -2};
    expected = "shape dimension 1 is -2";
  }
  SECTION("constant with an unknown dimension") {
    spec.const_shape = {-1, 2};
    expected = "constant (buffer 2) with an unknown dimension in shape [-1,2]";
  }
  SECTION("rank over the limit") {
    spec.const_shape = std::vector<std::int32_t>(300, 1);
    expected = "rank 300 is over the limit";
  }
  SECTION("constant data does not match the shape") {
    spec.const_shape = {2, 2};
    expected = "buffer 2 holds 8 bytes, but shape [2,2] of FLOAT32 needs 16";
  }
  SECTION("out-of-FlatBuffer data past the end of the file") {
    spec.const_offset = 1'000'000;
    spec.const_size = 8;
    expected = "buffer 2: data at offset 1000000 with size 8 ends past the end of the file";
  }
  SECTION("offset plus size overflows") {
    spec.const_offset = 16;
    spec.const_size = ~std::uint64_t{0};
    expected = "ends past the end of the file";
  }
  SECTION("WHILE body subgraph out of range") {
    spec.code = tflite::BuiltinOperator::WHILE;
    spec.deprecated_code = 119;
    spec.while_subgraphs = std::pair{0, 4};
    expected = "refers to subgraph 4, but the model has 1 subgraphs";
  }
  SECTION("output overwrites a constant") {
    spec.op_outputs = {1};
    expected = "operator 0 (ADD): output tensor 1 ('b') is a constant (buffer 2)";
  }
  SECTION("options of another op") {
    spec.while_subgraphs = std::pair{0, 0};  // WhileOptions on an ADD
    expected = "operator 0 (ADD): carries WhileOptions, which belong to another op (ADD takes AddOptions)";
  }
  SECTION("signature names a missing subgraph") {
    spec.signature_subgraph = 2;
    expected = "signature 0 ('serving_default'): subgraph_index 2 is out of range";
  }
  SECTION("signature names a missing tensor") {
    spec.signature_tensor = 3;
    expected = "input 'x' refers to tensor 3, but subgraph 0 has 3 tensors";
  }
  SECTION("CUSTOM without a name") {
    spec.code = tflite::BuiltinOperator::CUSTOM;
    spec.deprecated_code = 32;
    expected = "operator code 0: CUSTOM op without a custom_code";
  }
  SECTION("schema version from the future") {
    spec.version = 4;
    expected = "unsupported TFLite schema version 4";
  }
  const auto reason = load_error(spec);
  CHECK_THAT(reason, Contains(expected));
  CHECK(reason.find('\n') == std::string::npos);
}

TEST_CASE("tflite loader accepts data stored after the FlatBuffer", "[loader][tflite]") {
  testing::TempDir dir;
  Spec spec;
  auto bytes = build(spec);  // measure the FlatBuffer first: offsets are absolute
  spec.const_offset = (bytes.size() + 15) / 16 * 16;
  spec.const_size = 8;
  bytes = build(spec);
  REQUIRE(bytes.size() <= spec.const_offset);
  bytes.resize(spec.const_offset, '\0');
  bytes += std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  auto model = load_bytes(dir, bytes);
  INFO((model ? std::string() : model.error().message()));
  REQUIRE(model);
  const auto& m = *model->tflite;
  CHECK(m.buffers[2].location == ir::TfliteBuffer::Location::External);
  CHECK(m.buffers_outside_flatbuffer);
  const auto data = ir::buffer_data(m, 2);
  REQUIRE(data.size() == 8);
  CHECK(data[7] == std::byte{8});
}

TEST_CASE("tflite loader rejects truncated and corrupted copies of a real model",
          "[loader][tflite][malformed]") {
  const auto original =
      testing::slurp(testing::corpus("tflite/tflm_micro_hello_world_float/hello_world_float.tflite"));
  REQUIRE(original.size() == 3164);
  testing::TempDir dir;
  SECTION("truncated") {
    auto keep = GENERATE(std::size_t{0}, std::size_t{4}, std::size_t{8}, std::size_t{100},
                         std::size_t{1582}, std::size_t{3163});
    INFO("keep " << keep);
    auto model = load_bytes(dir, original.substr(0, keep));
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Contains("model.tflite"));
  }
  SECTION("flipped identifier") {
    auto bytes = original;
    bytes[5] = 'X';
    auto model = load_bytes(dir, bytes);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().reason(), Contains("file identifier is 'TXL3'"));
  }
  SECTION("huge vector length") {
    // The subgraph name "main" is a string: its 4-byte length sits just before it.
    auto bytes = original;
    const auto at = bytes.find(std::string("\x04\0\0\0main", 8));
    REQUIRE(at != std::string::npos);
    const std::uint32_t huge = 0x7ffffff0;
    std::memcpy(bytes.data() + at, &huge, 4);
    auto model = load_bytes(dir, bytes);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().reason(), Contains("verifier"));
  }
  SECTION("random bytes behind a valid identifier") {
    std::mt19937 rng(GENERATE(1u, 2u, 3u, 4u, 5u));
    std::string bytes(4096, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    bytes.replace(4, 4, "TFL3");
    CHECK_FALSE(load_bytes(dir, bytes));
  }
  SECTION("random byte flips never crash") {
    std::mt19937 rng(42);
    for (int round = 0; round < 200; ++round) {
      auto bytes = original;
      for (int k = 0; k < 4; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
      (void)load_bytes(dir, bytes);  // accepted or rejected, but no crash or sanitizer report
    }
  }
}

TEST_CASE("tflite options tables follow the reference op table", "[loader][tflite]") {
  // shared/reference/tflite_builtin_ops.csv: name,code,max_version,options_table
  std::ifstream in(testing::corpus_root() / ".." / "reference" / "tflite_builtin_ops.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  int rows = 0;
  while (std::getline(in, line)) {
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
    const auto name = line.substr(0, c1);
    const int code = std::stoi(line.substr(c1 + 1, c2 - c1 - 1));
    const auto table = line.substr(c3 + 1);
    INFO(line);
    CHECK(ir::builtin_op_name(code) == name);
    CHECK(ir::builtin_options_table(code) == table);
    ++rows;
  }
  CHECK(rows == 210);
  CHECK(ir::builtin_op_name(210) == "UNKNOWN_BUILTIN_210");
  CHECK(ir::builtin_options_table(210).empty());
}
