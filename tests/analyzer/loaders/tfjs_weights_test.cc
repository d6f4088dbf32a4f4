#include "analyzer/loaders/tfjs_weights.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "tests/support/testing.h"

namespace tfjs = litelint::analyzer::tfjs;
namespace ir = litelint::ir;
namespace testing = litelint::testing;
using nlohmann::json;

namespace {

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

template <typename T>
std::vector<T> values_of(const ir::TensorBytes& b) {
  REQUIRE(b.bytes.size() % sizeof(T) == 0);
  std::vector<T> out(b.bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), b.bytes.data(), b.bytes.size());
  return out;
}

std::uint32_t float_bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

tfjs::WeightSpec quantized_spec(tfjs::StoredType stored, std::vector<std::int64_t> shape,
                                double scale, double min, ir::DType dtype = ir::DType::Float) {
  tfjs::WeightSpec spec;
  spec.name = "w";
  spec.shape = shape;
  spec.num_elements = 1;
  for (auto d : shape) spec.num_elements *= static_cast<std::uint64_t>(d);
  spec.dtype = dtype;
  spec.stored = stored;
  spec.quantization = tfjs::Quantization{stored, scale, min};
  spec.byte_length = spec.num_elements * (stored == tfjs::StoredType::UInt8 ? 1 : 2);
  return spec;
}

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  std::memcpy(s.data(), &v, 4);
  return s;
}

std::string le_float(float v) {
  std::string s(4, '\0');
  std::memcpy(s.data(), &v, 4);
  return s;
}

}  // namespace

TEST_CASE("half_to_float decodes every class of IEEE half exactly", "[loader][tfjs][weights]") {
  CHECK(tfjs::half_to_float(0x3c00) == 1.0f);
  CHECK(tfjs::half_to_float(0xc000) == -2.0f);
  CHECK(tfjs::half_to_float(0x3555) == 0.333251953125f);
  CHECK(tfjs::half_to_float(0x7bff) == 65504.0f);
  CHECK(float_bits(tfjs::half_to_float(0x0000)) == 0x00000000u);
  CHECK(float_bits(tfjs::half_to_float(0x8000)) == 0x80000000u);  // -0 keeps its sign
  SECTION("subnormals") {
    CHECK(tfjs::half_to_float(0x0001) == std::ldexp(1.0f, -24));
    CHECK(tfjs::half_to_float(0x03ff) == std::ldexp(1023.0f, -24));
    CHECK(tfjs::half_to_float(0x8200) == -std::ldexp(1.0f, -15));
    CHECK(tfjs::half_to_float(0x0400) == std::ldexp(1.0f, -14));  // smallest normal
  }
  SECTION("infinities and NaN") {
    CHECK(tfjs::half_to_float(0x7c00) == std::numeric_limits<float>::infinity());
    CHECK(tfjs::half_to_float(0xfc00) == -std::numeric_limits<float>::infinity());
    CHECK(std::isnan(tfjs::half_to_float(0x7e00)));
    CHECK(float_bits(tfjs::half_to_float(0x7c01)) == 0x7f802000u);  // payload kept
    CHECK(float_bits(tfjs::half_to_float(0xfe00)) == 0xffc00000u);
  }
}

TEST_CASE("uint8 affine weights dequantize as q * scale + min", "[loader][tfjs][weights]") {
  auto spec = quantized_spec(tfjs::StoredType::UInt8, {2, 2}, 0.5, -1.0);
  auto raw = bytes_of({0, 1, 2, 255});
  auto out = tfjs::decode_weight(spec, raw, ir::DType::Float);
  REQUIRE(out);
  CHECK(values_of<float>(*out) == std::vector<float>{-1.0f, -0.5f, 0.0f, 126.5f});
}

TEST_CASE("uint16 affine weights read little-endian codes", "[loader][tfjs][weights]") {
  const double scale = 0.001, min = -2.0;
  auto spec = quantized_spec(tfjs::StoredType::UInt16, {3}, scale, min);
  auto raw = bytes_of({0x00, 0x00, 0xff, 0xff, 0xe8, 0x03});  // 0, 65535, 1000
  auto out = tfjs::decode_weight(spec, raw, ir::DType::Float);
  REQUIRE(out);
  auto v = values_of<float>(*out);
  REQUIRE(v.size() == 3);
  CHECK(v[0] == -2.0f);
  CHECK(v[1] == static_cast<float>(65535 * scale + min));
  CHECK(v[2] == static_cast<float>(1000 * scale + min));
  CHECK(v[2] == Approx(-1.0f));
}

TEST_CASE("quantized int32 weights round like Math.round", "[loader][tfjs][weights]") {
  SECTION("uint8") {
    auto spec = quantized_spec(tfjs::StoredType::UInt8, {5}, 0.5, -1.5, ir::DType::Int32);
    // -1.5 -> -1, -1.0, -0.5 -> 0, 0.0, 0.5 -> 1 (halves go toward +infinity)
    auto out = tfjs::decode_weight(spec, bytes_of({0, 1, 2, 3, 4}), ir::DType::Int32);
    REQUIRE(out);
    CHECK(values_of<std::int32_t>(*out) == std::vector<std::int32_t>{-1, -1, 0, 0, 1});
  }
  SECTION("uint16 widened to int64 for an int64 Const") {
    auto spec = quantized_spec(tfjs::StoredType::UInt16, {2}, 3.0, -100.0, ir::DType::Int32);
    auto out = tfjs::decode_weight(spec, bytes_of({0x0a, 0x00, 0x00, 0x01}), ir::DType::Int64);
    REQUIRE(out);
    CHECK(values_of<std::int64_t>(*out) == std::vector<std::int64_t>{-70, 668});
  }
}

TEST_CASE("float16 weights decode to float32", "[loader][tfjs][weights]") {
  tfjs::WeightSpec spec;
  spec.name = "h";
  spec.shape = {4};
  spec.num_elements = 4;
  spec.stored = tfjs::StoredType::Float16;
  spec.quantization = tfjs::Quantization{tfjs::StoredType::Float16, 1.0, 0.0};
  spec.byte_length = 8;
  auto raw = bytes_of({0x00, 0x3c, 0x01, 0x00, 0x00, 0xfc, 0x00, 0x7e});
  auto out = tfjs::decode_weight(spec, raw, ir::DType::Float);
  REQUIRE(out);
  auto v = values_of<float>(*out);
  CHECK(v[0] == 1.0f);
  CHECK(v[1] == std::ldexp(1.0f, -24));
  CHECK(v[2] == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(v[3]));
}

TEST_CASE("unquantized weights widen back to the Const node's dtype", "[loader][tfjs][weights]") {
  tfjs::WeightSpec spec;
  spec.name = "d";
  spec.shape = {2};
  spec.num_elements = 2;
  spec.dtype = ir::DType::Float;
  spec.stored = tfjs::StoredType::Float32;
  spec.byte_length = 8;
  CHECK(tfjs::decoded_dtype(spec, ir::DType::Double) == ir::DType::Double);
  CHECK(tfjs::decoded_dtype(spec, ir::DType::Half) == ir::DType::Float);
  std::string raw = le_float(0.1f) + le_float(-3.0f);
  auto out = tfjs::decode_weight(spec, std::as_bytes(std::span(raw.data(), raw.size())),
                                 ir::DType::Double);
  REQUIRE(out);
  CHECK(values_of<double>(*out) == std::vector<double>{static_cast<double>(0.1f), -3.0});
}

TEST_CASE("string weights are length-prefixed elements", "[loader][tfjs][weights]") {
  tfjs::WeightSpec spec;
  spec.name = "vocab";
  spec.shape = {3};
  spec.num_elements = 3;
  spec.dtype = ir::DType::String;
  spec.stored = tfjs::StoredType::String;
  std::string raw = le32(2) + "hi" + le32(0) + le32(3) + "a\xffz";
  spec.byte_length = raw.size();
  auto out = tfjs::decode_weight(spec, std::as_bytes(std::span(raw.data(), raw.size())),
                                 ir::DType::String);
  REQUIRE(out);
  CHECK(out->strings == std::vector<std::string>{"hi", "", "a\xffz"});
}

TEST_CASE("decode_weight refuses specs that do not fit their bytes", "[loader][tfjs][weights]") {
  auto spec = quantized_spec(tfjs::StoredType::UInt8, {4}, 1.0, 0.0);
  auto raw = bytes_of({1, 2, 3, 4});
  CHECK_FALSE(tfjs::decode_weight(spec, raw, ir::DType::Complex64));
  spec.quantization.reset();
  CHECK_FALSE(tfjs::decode_weight(spec, raw, ir::DType::Float));
}

TEST_CASE("weights manifest parsing validates dtypes, shapes and paths",
          "[loader][tfjs][weights][malformed]") {
  auto parse = [](const std::string& text) { return tfjs::parse_weights_manifest(json::parse(text)); };
  SECTION("a valid manifest flattens groups in order") {
    auto m = parse(R"([{"paths": ["a.bin"], "weights": [
        {"name": "x", "shape": [2, 3], "dtype": "float32",
         "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1, "original_dtype": "float32"}},
        {"name": "s", "shape": [], "dtype": "int32"}]},
      {"paths": ["b.bin", "c.bin"], "weights": [{"name": "t", "shape": [0, 7], "dtype": "bool"}]}])");
    REQUIRE(m);
    CHECK(m->paths == std::vector<std::string>{"a.bin", "b.bin", "c.bin"});
    REQUIRE(m->weights.size() == 3);
    CHECK(m->weights[0].num_elements == 6);
    CHECK(m->weights[0].stored == tfjs::StoredType::UInt8);
    CHECK(m->weights[0].quantization->scale == 0.5);
    CHECK(m->weights[1].num_elements == 1);
    CHECK(m->weights[1].dtype == ir::DType::Int32);
    CHECK(m->weights[2].num_elements == 0);
  }
  SECTION("negative dimension") {
    auto m = parse(R"([{"paths": ["a.bin"], "weights": [{"name": "x", "shape": [2, -3], "dtype": "float32"}]}])");
    REQUIRE_FALSE(m);
    CHECK_THAT(m.error().reason(), Catch::Contains("'x'") && Catch::Contains("negative dimension -3"));
  }
  SECTION("element count overflow") {
    auto m = parse(R"([{"paths": ["a.bin"], "weights": [{"name": "x",
        "shape": [4294967296, 4294967296, 0], "dtype": "float32"}]}])");
    REQUIRE_FALSE(m);
    CHECK_THAT(m.error().reason(), Catch::Contains("overflows"));
  }
  SECTION("fractional dimension") {
    CHECK_FALSE(parse(R"([{"paths": ["a"], "weights": [{"name": "x", "shape": [1.5], "dtype": "float32"}]}])"));
  }
  SECTION("unknown dtype") {
    auto m = parse(R"([{"paths": ["a"], "weights": [{"name": "x", "shape": [1], "dtype": "float64"}]}])");
    REQUIRE_FALSE(m);
    CHECK_THAT(m.error().reason(), Catch::Contains("unknown dtype 'float64'"));
  }
  SECTION("affine quantization without scale") {
    CHECK_FALSE(parse(R"([{"paths": ["a"], "weights": [{"name": "x", "shape": [1], "dtype": "float32",
        "quantization": {"dtype": "uint8", "min": 0}}]}])"));
  }
  SECTION("quantized string") {
    CHECK_FALSE(parse(R"([{"paths": ["a"], "weights": [{"name": "x", "shape": [1], "dtype": "string",
        "quantization": {"dtype": "uint8", "min": 0, "scale": 1}}]}])"));
  }
  SECTION("absolute shard path") {
    auto m = parse(R"([{"paths": ["/etc/passwd"], "weights": []}])");
    REQUIRE_FALSE(m);
    CHECK_THAT(m.error().reason(), Catch::Contains("/etc/passwd"));
  }
  SECTION("not an array") { CHECK_FALSE(parse(R"({"paths": []})")); }
}

TEST_CASE("weights straddle shard boundaries and shortfalls name the shard",
          "[loader][tfjs][weights][malformed]") {
  testing::TempDir tmp;
  // x: 3 float32 = 12 bytes, s: 2 strings, y: uint8 x 2.
  const std::string all = le_float(1.0f) + le_float(2.0f) + le_float(3.0f) + le32(3) + "abc" +
                          le32(1) + "d" + std::string("\x02\x04", 2);
  testing::write_file(tmp.path() / "s1.bin", all.substr(0, 6));
  testing::write_file(tmp.path() / "s2.bin", all.substr(6));
  auto manifest = tfjs::parse_weights_manifest(json::parse(R"([{"paths": ["s1.bin", "s2.bin"],
      "weights": [{"name": "x", "shape": [3], "dtype": "float32"},
                  {"name": "s", "shape": [2], "dtype": "string"},
                  {"name": "y", "shape": [2], "dtype": "float32",
                   "quantization": {"dtype": "uint8", "scale": 0.25, "min": 1}}]}])"));
  REQUIRE(manifest);
  auto shards = tfjs::ShardSet::open(tmp.path(), manifest->paths);
  REQUIRE(shards);
  CHECK((*shards)->size() == all.size());

  SECTION("complete shards") {
    REQUIRE(tfjs::layout_weights(*manifest, **shards));
    CHECK(manifest->weights[1].offset == 12);
    CHECK(manifest->weights[1].byte_length == 12);
    CHECK(manifest->weights[2].offset == 24);
    auto x = tfjs::make_weight_tensor(*shards, manifest->weights[0], ir::DType::Float);
    auto xb = x.load();
    REQUIRE(xb);
    CHECK(values_of<float>(*xb) == std::vector<float>{1.0f, 2.0f, 3.0f});
    auto s = tfjs::make_weight_tensor(*shards, manifest->weights[1], ir::DType::String).load();
    REQUIRE(s);
    CHECK(s->strings == std::vector<std::string>{"abc", "d"});
    auto y = tfjs::make_weight_tensor(*shards, manifest->weights[2], ir::DType::Float).load();
    REQUIRE(y);
    CHECK(values_of<float>(*y) == std::vector<float>{1.5f, 2.0f});
  }
  SECTION("last shard truncated") {
    testing::truncate_file(tmp.path() / "s2.bin", all.size() - 6 - 1);
    auto short_shards = tfjs::ShardSet::open(tmp.path(), manifest->paths);
    REQUIRE(short_shards);
    auto r = tfjs::layout_weights(*manifest, **short_shards);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("s2.bin") && Catch::Contains("'y'"));
  }
  SECTION("string length runs past the end") {
    std::string bad = all.substr(0, 12) + le32(0xffffff00u) + "abc";
    testing::write_file(tmp.path() / "s1.bin", bad.substr(0, 6));
    testing::write_file(tmp.path() / "s2.bin", bad.substr(6));
    auto bad_shards = tfjs::ShardSet::open(tmp.path(), manifest->paths);
    REQUIRE(bad_shards);
    auto r = tfjs::layout_weights(*manifest, **bad_shards);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("s2.bin") && Catch::Contains("'s'"));
  }
  SECTION("missing shard") {
    std::filesystem::remove(tmp.path() / "s2.bin");
    auto missing = tfjs::ShardSet::open(tmp.path(), manifest->paths);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == litelint::ErrorCode::NotFound);
    CHECK_THAT(missing.error().message(), Catch::Contains("s2.bin"));
  }
}

TEST_CASE("a uint8-quantized corpus model dequantizes to the formula on its bytes",
          "[loader][tfjs][weights][corpus]") {
  const auto dir = testing::corpus("tfjs/nsfwjs_mobilenet_v2_mid");
  const json model = json::parse(testing::slurp(dir / "model.json"));
  auto manifest = tfjs::parse_weights_manifest(model.at("weightsManifest"));
  REQUIRE(manifest);
  REQUIRE(manifest->weights.size() == 108);
  auto shards = tfjs::ShardSet::open(dir, manifest->paths);
  REQUIRE(shards);
  REQUIRE(tfjs::layout_weights(*manifest, **shards));
  const std::string all = testing::slurp(dir / "group1-shard1of2") + testing::slurp(dir / "group1-shard2of2");
  REQUIRE(all.size() == 4300775);
  CHECK(manifest->weights.back().offset + manifest->weights.back().byte_length == all.size());

  auto check_weight = [&](std::size_t index, std::uint64_t offset, std::uint64_t elements) {
    const tfjs::WeightSpec& spec = manifest->weights[index];
    INFO(spec.name);
    CHECK(spec.offset == offset);
    REQUIRE(spec.num_elements == elements);
    REQUIRE(spec.quantization);
    CHECK(spec.stored == tfjs::StoredType::UInt8);
    auto tensor = tfjs::make_weight_tensor(*shards, spec, ir::DType::Float);
    CHECK(tensor.dtype() == ir::DType::Float);
    CHECK(tensor.byte_size() == elements * 4);
    auto bytes = tensor.load();
    REQUIRE(bytes);
    auto values = values_of<float>(*bytes);
    REQUIRE(values.size() == elements);
    const double scale = spec.quantization->scale, min = spec.quantization->min;
    float lo = values[0], hi = values[0];
    for (std::size_t i = 0; i < elements; ++i) {
      const auto q = static_cast<unsigned char>(all[offset + i]);
      if (values[i] != static_cast<float>(q * scale + min)) {
        FAIL_CHECK("element " << i << ": " << values[i] << " != " << q << " * " << scale << " + " << min);
        break;
      }
      lo = std::min(lo, values[i]);
      hi = std::max(hi, values[i]);
    }
    // Conv weights of a trained MobileNet: a few units at most, and not all zero.
    CHECK(lo >= -10.0f);
    CHECK(hi <= 10.0f);
    CHECK(lo < hi);
    return values;
  };
  SECTION("first weight: MobilenetV2/Conv/Conv2D_weights [3,3,3,48]") {
    auto v = check_weight(0, 0, 3 * 3 * 3 * 48);
    CHECK(v[0] == static_cast<float>(144 * 0.04344318240296607 - 6.255818266027114));
    CHECK(v[4] == Approx(-0.82542).epsilon(1e-4));
  }
  SECTION("a weight that straddles the 4 MiB shard boundary") {
    check_weight(103, 3990752, 1 * 1 * 224 * 1344);
  }
}

TEST_CASE("a float16-quantized corpus model decodes its halves", "[loader][tfjs][weights][corpus]") {
  const auto dir = testing::corpus("tfjs/human_facemesh");
  const json model = json::parse(testing::slurp(dir / "model.json"));
  auto manifest = tfjs::parse_weights_manifest(model.at("weightsManifest"));
  REQUIRE(manifest);
  auto shards = tfjs::ShardSet::open(dir, manifest->paths);
  REQUIRE(shards);
  REQUIRE(tfjs::layout_weights(*manifest, **shards));
  const auto& spec = manifest->weights[0];
  CHECK(spec.name == "StatefulPartitionedCall/model_1/p_re_lu_25/Neg");
  CHECK(spec.stored == tfjs::StoredType::Float16);
  auto bytes = tfjs::make_weight_tensor(*shards, spec, ir::DType::Float).load();
  REQUIRE(bytes);
  auto v = values_of<float>(*bytes);
  REQUIRE(v.size() == 32);
  CHECK(v[0] == -0.1741943359375f);
  CHECK(v[1] == 0.035675048828125f);
  CHECK(v[7] == -0.865234375f);
}
