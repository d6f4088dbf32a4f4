#include "analyzer/loaders/tensor_bundle.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "analyzer/proto/tensor_bundle.pb.h"
#include "analyzer/support/crc32c.h"
#include "tests/support/testing.h"

namespace litelint::analyzer {
namespace {
namespace fs = std::filesystem;
using litelint::testing::corpus;
using litelint::testing::TempDir;

fs::path prefix_of(const std::string& model) { return corpus(model) / "variables" / "variables"; }

float float_at(const ir::TensorBytes& bytes, std::size_t i) {
  float v = 0;
  REQUIRE(bytes.bytes.size() >= (i + 1) * sizeof v);
  std::memcpy(&v, bytes.bytes.data() + i * sizeof v, sizeof v);
  return v;
}

float scalar(const TensorBundle& bundle, std::string_view key) {
  auto tensor = bundle.tensor(key);
  REQUIRE(tensor);
  CHECK(tensor->dtype() == ir::DType::Float);
  auto bytes = tensor->load();
  REQUIRE(bytes);
  return float_at(*bytes, 0);
}

TEST_CASE("tensor bundle reads half_plus_two's variables a and b", "[loader][tensor_bundle]") {
  auto bundle = TensorBundle::open(prefix_of("savedmodel/tf_cc_half_plus_two"));
  REQUIRE(bundle);
  CHECK(bundle->num_shards() == 1);
  CHECK_FALSE(bundle->big_endian());
  REQUIRE(bundle->entries().size() == 3);
  const BundleEntry& a = bundle->entries()[0];
  CHECK(a.key == "a");
  CHECK(a.dtype == ir::DType::Float);
  CHECK(a.shape == ir::Shape::scalar());
  CHECK(a.shard_id == 0);
  CHECK(a.offset == 0);
  CHECK(a.size == 4);
  CHECK(a.crc32c == 0x1f273806u);
  CHECK(bundle->entries()[1].offset == 4);
  CHECK(scalar(*bundle, "a") == 0.5f);
  CHECK(scalar(*bundle, "b") == 2.0f);
  CHECK(scalar(*bundle, "c") == 3.0f);
  CHECK(bundle->variable_count() == 3);
  CHECK(bundle->variable_bytes() == 12);
  CHECK_FALSE(bundle->object_graph().value().has_value());  // TF1 name-based checkpoint
}

TEST_CASE("tensor bundle reads a Snappy-compressed TF1 index", "[loader][tensor_bundle]") {
  auto bundle = TensorBundle::open(prefix_of("savedmodel/tfserving_half_plus_two_cpu"));
  REQUIRE(bundle);
  REQUIRE(bundle->entries().size() == 5);
  CHECK(bundle->entries()[1].key == "a2");
  CHECK(bundle->entries()[1].offset == 4);
  CHECK(scalar(*bundle, "a") == 0.5f);
  CHECK(scalar(*bundle, "b") == 2.0f);
  CHECK(scalar(*bundle, "c2") == 3.0f);
}

TEST_CASE("tensor bundle totals a Keras checkpoint from the index alone", "[loader][tensor_bundle]") {
  const fs::path prefix = prefix_of("savedmodel/user_tetris_dqn_mlp");
  auto bundle = TensorBundle::open(prefix);
  REQUIRE(bundle);
  CHECK(bundle->entries().size() == 23);
  CHECK(bundle->variable_count() == 22);  // 6 weights, 2 metrics, 2 optimizer scalars, 12 slots
  CHECK(bundle->data_bytes() == fs::file_size(bundle->shard_path(0)));
  CHECK(bundle->data_bytes() == 33292);
  CHECK(bundle->variable_bytes() == 33292 - 5228);  // minus the object graph
  const BundleEntry* kernel = bundle->find("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE");
  REQUIRE(kernel != nullptr);
  CHECK(kernel->shape == ir::Shape({32, 64}));
  CHECK(kernel->offset == 640);
  CHECK(kernel->size == 8192);
  CHECK(bundle->find("layer_with_weights-1/kernel") == nullptr);
  // Every tensor's checksum verifies.
  for (const BundleEntry& e : bundle->entries()) {
    INFO(e.key);
    auto tensor = bundle->tensor(e.key);
    REQUIRE(tensor);
    CHECK(tensor->byte_size() == e.size);
    auto bytes = tensor->load();
    REQUIRE(bytes);
    if (e.dtype != ir::DType::String) CHECK(bytes->bytes.size() == e.size);
  }
  auto iterations = bundle->tensor("optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE");
  REQUIRE(iterations);
  CHECK(iterations->dtype() == ir::DType::Int64);
}

TEST_CASE("tensor bundle parses the checkpoint object graph", "[loader][tensor_bundle]") {
  auto bundle = TensorBundle::open(prefix_of("savedmodel/tfjs_node_times_three_float"));
  REQUIRE(bundle);
  auto graph = bundle->object_graph();
  REQUIRE(graph);
  REQUIRE(graph->has_value());
  const auto& nodes = (*graph)->nodes();
  REQUIRE(nodes.size() >= 2);
  REQUIRE(nodes[0].children_size() >= 1);
  CHECK(nodes[0].children(0).local_name() == "v");
  CHECK(nodes[0].children(0).node_id() == 1);
  REQUIRE(nodes[1].attributes_size() == 1);
  CHECK(nodes[1].attributes(0).name() == "VARIABLE_VALUE");
  CHECK(nodes[1].attributes(0).full_name() == "Variable");
  CHECK(nodes[1].attributes(0).checkpoint_key() == "v/.ATTRIBUTES/VARIABLE_VALUE");
  CHECK(scalar(*bundle, "v/.ATTRIBUTES/VARIABLE_VALUE") == 3.0f);
  auto strings = bundle->tensor(kObjectGraphKey);
  REQUIRE(strings);
  auto decoded = strings->load();
  REQUIRE(decoded);
  REQUIRE(decoded->strings.size() == 1);
  CHECK(decoded->strings[0].size() == 87);
}

TEST_CASE("tensor bundle reads a tensor from the second of two shards", "[loader][tensor_bundle]") {
  auto bundle = TensorBundle::open(prefix_of("savedmodel/tf_trt_tftrt_2_0"));
  REQUIRE(bundle);
  CHECK(bundle->num_shards() == 2);
  const BundleEntry* v = bundle->find("v/.ATTRIBUTES/VARIABLE_VALUE");
  REQUIRE(v != nullptr);
  CHECK(v->shard_id == 1);
  CHECK(v->shape == ir::Shape({1, 1, 1}));
  CHECK(bundle->shard_path(1).filename() == "variables.data-00001-of-00002");
  CHECK(scalar(*bundle, "v/.ATTRIBUTES/VARIABLE_VALUE") == 1.0f);
  CHECK(bundle->data_bytes() == 124);
  auto graph = bundle->object_graph();  // lives in shard 0
  REQUIRE(graph);
  CHECK(graph->has_value());
}

TEST_CASE("tensor bundle tensors outlive the bundle and share its shard mapping",
          "[loader][tensor_bundle]") {
  ir::Tensor a;
  {
    auto bundle = TensorBundle::open(prefix_of("savedmodel/tf_cc_half_plus_two"));
    REQUIRE(bundle);
    a = bundle->tensor("a").value();
  }
  auto bytes = a.load();
  REQUIRE(bytes);
  CHECK(float_at(*bytes, 0) == 0.5f);
  auto again = a.load();
  REQUIRE(again);
  CHECK(again->bytes.data() == bytes->bytes.data());
}

TEST_CASE("tensor bundle opens every corpus checkpoint and verifies every tensor",
          "[loader][tensor_bundle]") {
  std::size_t bundles = 0;
  for (const auto& dir : fs::directory_iterator(testing::corpus_root() / "savedmodel")) {
    const fs::path index = dir.path() / "variables" / "variables.index";
    if (!fs::is_regular_file(index)) continue;
    INFO(index);
    auto bundle = TensorBundle::open(dir.path() / "variables" / "variables");
    REQUIRE(bundle);
    ++bundles;
    std::uint64_t shard_bytes = 0;
    for (std::int32_t i = 0; i < bundle->num_shards(); ++i) {
      shard_bytes += fs::file_size(bundle->shard_path(i));
    }
    CHECK(bundle->data_bytes() == shard_bytes);  // TensorFlow writes no padding by default
    for (const BundleEntry& e : bundle->entries()) {
      INFO(e.key);
      auto tensor = bundle->tensor(e.key);
      REQUIRE(tensor);
      CHECK(tensor->load());
    }
  }
  CHECK(bundles >= 40);
}

// The damaged copies below all come from this model.
struct DamagedCopy {
  TempDir dir;
  fs::path model = testing::copy_into(corpus("savedmodel/tf_cc_half_plus_two"), dir.path());
  fs::path prefix = model / "variables" / "variables";
  fs::path index = model / "variables" / "variables.index";
  fs::path shard = model / "variables" / "variables.data-00000-of-00001";
};

void check_names(const Error& error, const fs::path& file, const std::string& reason_part) {
  INFO(error.message());
  CHECK(error.file() == file.string());
  CHECK_THAT(error.message(), Catch::Contains(file.string()));
  CHECK_THAT(error.reason(), Catch::Contains(reason_part));
}

TEST_CASE("tensor bundle reports damaged checkpoints as errors naming the file",
          "[loader][tensor_bundle]") {
  DamagedCopy copy;
  SECTION("zero-length index") {
    testing::truncate_file(copy.index, 0);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    check_names(bundle.error(), copy.index, "too short");
  }
  SECTION("truncated index") {
    testing::truncate_file(copy.index, fs::file_size(copy.index) - 10);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    check_names(bundle.error(), copy.index, "bad magic number");
  }
  SECTION("wrong footer magic") {
    std::string bytes = testing::slurp(copy.index);
    bytes[bytes.size() - 8] ^= 0x01;
    testing::write_file(copy.index, bytes);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    check_names(bundle.error(), copy.index, "bad magic number");
  }
  SECTION("flipped byte in the index's data block") {
    std::string bytes = testing::slurp(copy.index);
    bytes[12] ^= 0x04;
    testing::write_file(copy.index, bytes);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    check_names(bundle.error(), copy.index, "block checksum mismatch");
  }
  SECTION("flipped byte in a data shard") {
    std::string bytes = testing::slurp(copy.shard);
    bytes[5] ^= 0x01;  // inside b
    testing::write_file(copy.shard, bytes);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE(bundle);  // the index is fine; the damage shows when b is read
    CHECK(scalar(*bundle, "a") == 0.5f);
    auto b = bundle->tensor("b");
    REQUIRE(b);
    auto bytes_b = b->load();
    REQUIRE_FALSE(bytes_b);
    check_names(bytes_b.error(), copy.shard, "checksum mismatch for tensor 'b'");
    CHECK(bytes_b.error().offset() == 4u);
  }
  SECTION("missing data shard") {
    fs::remove(copy.shard);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    check_names(bundle.error(), copy.shard, "missing checkpoint data shard");
    CHECK(bundle.error().code() == ErrorCode::NotFound);
  }
  SECTION("data shard shorter than its entries") {
    testing::truncate_file(copy.shard, 10);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    check_names(bundle.error(), copy.shard, "lies outside the 10-byte shard");
  }
  SECTION("missing index") {
    fs::remove(copy.index);
    auto bundle = TensorBundle::open(copy.prefix);
    REQUIRE_FALSE(bundle);
    CHECK(bundle.error().code() == ErrorCode::NotFound);
    CHECK(bundle.error().file() == copy.index.string());
  }
}

// Writes a one-block index holding `entries` (already sorted), for entry-level checks that
// need hand-made BundleEntryProtos.
std::string varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  return out + static_cast<char>(v);
}
std::string le32(std::uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}
std::string with_trailer(const std::string& block) {
  return block + '\0' + le32(crc32c_mask(crc32c_extend(crc32c(block), std::string(1, '\0'))));
}
std::string index_file(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string block;
  std::vector<std::uint32_t> restarts;
  for (const auto& [k, v] : entries) {
    restarts.push_back(static_cast<std::uint32_t>(block.size()));
    block += varint(0) + varint(k.size()) + varint(v.size()) + k + v;
  }
  for (auto r : restarts) block += le32(r);
  block += le32(static_cast<std::uint32_t>(restarts.size()));
  std::string file = with_trailer(block);
  const std::size_t meta_at = file.size();
  const std::string meta = le32(0) + le32(1);
  file += with_trailer(meta);
  const std::string handle = varint(0) + varint(block.size());
  const std::string index_block =
      varint(0) + varint(1) + varint(handle.size()) + "~" + handle + le32(0) + le32(1);
  const std::size_t index_at = file.size();
  file += with_trailer(index_block);
  std::string footer = varint(meta_at) + varint(meta.size()) + varint(index_at) + varint(index_block.size());
  footer.resize(40, '\0');
  return file + footer + le32(0x8b80fb57u) + le32(0xdb477524u);
}

std::string header_value(int num_shards) {
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(num_shards);
  header.mutable_version()->set_producer(1);
  return header.SerializeAsString();
}

std::string float_entry(std::vector<std::int64_t> dims, std::int64_t offset, std::int64_t size,
                        int shard = 0) {
  tensorflow::BundleEntryProto entry;
  entry.set_dtype(tensorflow::DT_FLOAT);
  for (auto d : dims) entry.mutable_shape()->add_dim()->set_size(d);
  entry.set_shard_id(shard);
  entry.set_offset(offset);
  entry.set_size(size);
  return entry.SerializeAsString();
}

TEST_CASE("tensor bundle checks entries against dtype, shape and shard count",
          "[loader][tensor_bundle]") {
  TempDir dir;
  const fs::path prefix = dir.path() / "ckpt";
  testing::write_file(TensorBundle::shard_path(prefix, 0, 1), std::string(64, '\0'));
  auto open_with = [&](const std::string& key, const std::string& value) {
    testing::write_file(dir.path() / "ckpt.index", index_file({{"", header_value(1)}, {key, value}}));
    return TensorBundle::open(prefix);
  };
  SECTION("size that does not match the shape") {
    auto bundle = open_with("w", float_entry({2, 3}, 0, 20));
    REQUIRE_FALSE(bundle);
    CHECK_THAT(bundle.error().reason(), Catch::Contains("tensor 'w': invalid size in bundle entry"));
  }
  SECTION("shard id beyond the header's shard count") {
    auto bundle = open_with("w", float_entry({2}, 0, 8, 3));
    REQUIRE_FALSE(bundle);
    CHECK_THAT(bundle.error().reason(), Catch::Contains("shard 3 is not one of the 1 shards"));
  }
  SECTION("negative dimension") {
    auto bundle = open_with("w", float_entry({-1}, 0, 4));
    REQUIRE_FALSE(bundle);
    CHECK_THAT(bundle.error().reason(), Catch::Contains("invalid tensor shape"));
  }
  SECTION("unparsable entry") {
    auto bundle = open_with("w", "\xff\xff\xff");
    REQUIRE_FALSE(bundle);
    CHECK_THAT(bundle.error().reason(), Catch::Contains("cannot parse"));
  }
  SECTION("well-formed entry reads") {
    auto bundle = open_with("w", float_entry({2, 3}, 8, 24));
    REQUIRE(bundle);
    auto w = bundle->tensor("w");
    REQUIRE(w);
    CHECK(w->shape() == ir::Shape({2, 3}));
    auto bytes = w->load();
    REQUIRE_FALSE(bytes);  // crc32c field is 0, the zero bytes' masked CRC is not
    CHECK_THAT(bytes.error().reason(), Catch::Contains("checksum mismatch for tensor 'w'"));
  }
}

TEST_CASE("tensor bundle lists partitioned tensors and refuses to read them",
          "[loader][tensor_bundle]") {
  TempDir dir;
  const fs::path prefix = dir.path() / "ckpt";
  const std::string slice_data(8, '\0');
  testing::write_file(TensorBundle::shard_path(prefix, 0, 1), slice_data);
  tensorflow::BundleEntryProto full;
  full.set_dtype(tensorflow::DT_FLOAT);
  full.mutable_shape()->add_dim()->set_size(4);
  full.add_slices()->add_extent()->set_length(2);
  auto* second = full.add_slices()->add_extent();
  second->set_start(2);
  second->set_length(2);
  tensorflow::BundleEntryProto slice;
  slice.set_dtype(tensorflow::DT_FLOAT);
  slice.mutable_shape()->add_dim()->set_size(2);
  slice.set_size(8);
  slice.set_crc32c(crc32c_mask(crc32c(slice_data)));
  // EncodeTensorNameSlice("part", [0:2]) up to the name: 00, "part", 00 01, then the extents.
  const std::string slice_key = std::string("\x00part\x00\x01\x01\x01\x80\x82", 11);
  testing::write_file(dir.path() / "ckpt.index",
                      index_file({{"", header_value(1)},
                                  {slice_key, slice.SerializeAsString()},
                                  {"part", full.SerializeAsString()}}));
  auto bundle = TensorBundle::open(prefix);
  REQUIRE(bundle);
  REQUIRE(bundle->entries().size() == 2);
  const BundleEntry& s = bundle->entries()[0];
  REQUIRE(s.is_slice());
  CHECK(*s.slice_of == "part");
  const BundleEntry* p = bundle->find("part");
  REQUIRE(p != nullptr);
  CHECK(p->is_partitioned());
  CHECK(p->num_slices == 2);
  CHECK(bundle->variable_count() == 1);
  CHECK(bundle->variable_bytes() == 8);
  auto tensor = bundle->tensor("part");
  REQUIRE_FALSE(tensor);
  CHECK(tensor.error().code() == ErrorCode::Unsupported);
  CHECK_THAT(tensor.error().reason(), Catch::Contains("partitioned into 2 slices"));
  auto piece = bundle->tensor(slice_key);
  REQUIRE(piece);
  CHECK(piece->load());
}

TEST_CASE("tensor bundle never crashes on a flipped index byte", "[loader][tensor_bundle]") {
  DamagedCopy copy;
  const std::string original = testing::slurp(copy.index);
  for (std::size_t i = 0; i < original.size(); ++i) {
    std::string bytes = original;
    bytes[i] ^= 0x41;
    testing::write_file(copy.index, bytes);
    auto bundle = TensorBundle::open(copy.prefix);
    if (!bundle) {
      CHECK(bundle.error().file().find("variables") != std::string::npos);
      continue;
    }
    for (const BundleEntry& e : bundle->entries()) {
      if (auto t = bundle->tensor(e.key)) (void)t->load();
    }
  }
}

}  // namespace
}  // namespace litelint::analyzer
