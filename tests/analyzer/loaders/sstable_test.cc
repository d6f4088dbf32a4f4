#include "analyzer/loaders/sstable.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/support/crc32c.h"
#include "tests/support/testing.h"

namespace litelint::analyzer {
namespace {
namespace fs = std::filesystem;
using litelint::testing::corpus;
using litelint::testing::TempDir;

// A small table writer for tests, so corrupt variants can be built byte by byte.
std::string varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}

std::string le32(std::uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

using Entries = std::vector<std::pair<std::string, std::string>>;

std::string block_contents(const Entries& entries, std::size_t restart_interval) {
  std::string out;
  std::vector<std::uint32_t> restarts;
  std::string previous;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& [key, value] = entries[i];
    std::size_t shared = 0;
    if (i % restart_interval == 0) {
      restarts.push_back(static_cast<std::uint32_t>(out.size()));
    } else {
      while (shared < key.size() && shared < previous.size() && key[shared] == previous[shared]) {
        ++shared;
      }
    }
    out += varint(shared) + varint(key.size() - shared) + varint(value.size());
    out += key.substr(shared) + value;
    previous = key;
  }
  if (restarts.empty()) restarts.push_back(0);
  for (auto r : restarts) out += le32(r);
  return out + le32(static_cast<std::uint32_t>(restarts.size()));
}

std::string trailer(const std::string& contents, char type = 0) {
  const std::string typed(1, type);
  return typed + le32(crc32c_mask(crc32c_extend(crc32c(contents), typed)));
}

// Lays out data blocks (contents without trailer), an empty metaindex, the index and footer.
std::string table_file(const std::vector<std::string>& blocks,
                       const std::vector<std::string>& index_keys) {
  std::string file;
  Entries index;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    index.emplace_back(index_keys[i], varint(file.size()) + varint(blocks[i].size()));
    file += blocks[i] + trailer(blocks[i]);
  }
  const std::string meta = block_contents({}, 1);
  const std::size_t meta_at = file.size();
  file += meta + trailer(meta);
  const std::string index_block = block_contents(index, 1);
  const std::size_t index_at = file.size();
  file += index_block + trailer(index_block);
  std::string footer = varint(meta_at) + varint(meta.size()) + varint(index_at) +
                       varint(index_block.size());
  footer.resize(40, '\0');
  footer += le32(0x8b80fb57u) + le32(0xdb477524u);
  return file + footer;
}

Expected<std::vector<std::pair<std::string, std::string>>> read_all(const fs::path& path) {
  auto table = SSTable::open(path);
  if (!table) return unexpected(table.error());
  return table->entries();
}

fs::path write_table(const TempDir& dir, const std::string& bytes) {
  const fs::path path = dir.path() / "test.index";
  testing::write_file(path, bytes);
  return path;
}

TEST_CASE("sstable reads every entry of a TF2 checkpoint index in key order", "[loader][sstable]") {
  const fs::path index = corpus("savedmodel/tfjs_node_times_three_float") / "variables/variables.index";
  auto entries = read_all(index);
  REQUIRE(entries);
  REQUIRE(entries->size() == 3);
  CHECK((*entries)[0].first.empty());
  CHECK((*entries)[0].second == std::string("\x08\x01\x1a\x02\x08\x01", 6));
  CHECK((*entries)[1].first == "_CHECKPOINTABLE_OBJECT_GRAPH");
  CHECK((*entries)[2].first == "v/.ATTRIBUTES/VARIABLE_VALUE");
  CHECK((*entries)[2].second == std::string("\x08\x01\x12\x00\x28\x04\x35\xef\xd6\x82\xc3", 11));
}

TEST_CASE("sstable finds a key and reports an absent one as nullopt", "[loader][sstable]") {
  auto table = SSTable::open(corpus("savedmodel/tfjs_node_times_three_float") /
                             "variables/variables.index");
  REQUIRE(table);
  auto found = table->find("v/.ATTRIBUTES/VARIABLE_VALUE");
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK(found->value().size() == 11);
  auto header = table->find("");
  REQUIRE(header);
  CHECK(header->value() == std::string("\x08\x01\x1a\x02\x08\x01", 6));
  auto absent = table->find("v/.ATTRIBUTES/VARIABLE_VALUf");
  REQUIRE(absent);
  CHECK_FALSE(absent->has_value());
  auto past_end = table->find("zzz");
  REQUIRE(past_end);
  CHECK_FALSE(past_end->has_value());
}

TEST_CASE("sstable decodes shared-prefix keys of a Keras checkpoint index", "[loader][sstable]") {
  auto entries = read_all(corpus("savedmodel/user_tetris_dqn_mlp") / "variables/variables.index");
  REQUIRE(entries);
  REQUIRE(entries->size() == 24);  // header + object graph + 22 variables
  CHECK((*entries)[5].first == "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE");
  CHECK((*entries)[23].first == "optimizer/_variables/9/.ATTRIBUTES/VARIABLE_VALUE");
  for (std::size_t i = 1; i < entries->size(); ++i) {
    CHECK((*entries)[i - 1].first < (*entries)[i].first);
  }
}

TEST_CASE("sstable decompresses Snappy blocks of TF 1.x checkpoint indexes", "[loader][sstable]") {
  // tensorflow_serving's half_plus_two was written by a TensorFlow that still compressed.
  auto entries =
      read_all(corpus("savedmodel/tfserving_half_plus_two_cpu") / "variables/variables.index");
  REQUIRE(entries);
  REQUIRE(entries->size() == 6);
  CHECK((*entries)[0].first.empty());
  CHECK((*entries)[1].first == "a");
  CHECK((*entries)[2].first == "a2");
  CHECK((*entries)[3].first == "b");
  CHECK((*entries)[5].first == "c2");
  auto slots = read_all(corpus("savedmodel/tf_cc_optimizer_slot_variable_module") /
                        "variables/variables.index");
  REQUIRE(slots);
  CHECK(slots->size() > 4);
}

TEST_CASE("sstable built with restart intervals and several blocks reads back", "[loader][sstable]") {
  TempDir dir;
  Entries first;
  Entries second;
  for (int i = 0; i < 40; ++i) first.emplace_back("key/" + std::to_string(100 + i), "v" + std::to_string(i));
  for (int i = 0; i < 5; ++i) second.emplace_back("other/" + std::to_string(i), std::string(i, 'x'));
  const auto path = write_table(dir, table_file({block_contents(first, 16), block_contents(second, 16)},
                                                {"key/2", "p"}));
  auto entries = read_all(path);
  REQUIRE(entries);
  REQUIRE(entries->size() == 45);
  CHECK((*entries)[17].first == "key/117");
  CHECK((*entries)[44].second == "xxxx");
  auto table = SSTable::open(path);
  REQUIRE(table);
  auto hit = table->find("other/3");
  REQUIRE(hit);
  REQUIRE(hit->has_value());
  CHECK(**hit == "xxx");
}

void check_rejected(const fs::path& path, const std::string& reason_part) {
  auto entries = read_all(path);
  REQUIRE_FALSE(entries);
  INFO(entries.error().message());
  CHECK(entries.error().file() == path.string());
  CHECK_THAT(entries.error().reason(), Catch::Contains(reason_part));
}

TEST_CASE("sstable rejects short, truncated and non-table files", "[loader][sstable]") {
  TempDir dir;
  const fs::path index =
      testing::copy_into(corpus("savedmodel/tfjs_node_times_three_float") / "variables", dir.path()) /
      "variables.index";
  SECTION("zero-length file") {
    testing::truncate_file(index, 0);
    check_rejected(index, "too short to be an sstable");
  }
  SECTION("truncated file") {
    testing::truncate_file(index, 150);
    check_rejected(index, "bad magic number");
  }
  SECTION("wrong footer magic") {
    std::string bytes = testing::slurp(index);
    bytes[bytes.size() - 1] = 'x';
    testing::write_file(index, bytes);
    check_rejected(index, "bad magic number");
  }
  SECTION("flipped byte in the data block") {
    std::string bytes = testing::slurp(index);
    bytes[60] ^= 0x20;  // inside the key "v/.ATTRIBUTES/..."
    testing::write_file(index, bytes);
    check_rejected(index, "block checksum mismatch");
  }
  SECTION("index handle past the end of the file") {
    std::string bytes = testing::slurp(index);
    const std::size_t footer = bytes.size() - 48;
    bytes[footer + 2] = '\x7f';  // index block offset 127 -> block runs into the footer
    testing::write_file(index, bytes);
    check_rejected(index, "bad block handle");
  }
}

TEST_CASE("sstable rejects corrupt block contents with the byte offset", "[loader][sstable]") {
  TempDir dir;
  SECTION("shared prefix longer than the previous key") {
    std::string block = varint(0) + varint(2) + varint(1) + "ab" + "1";
    block += varint(5) + varint(1) + varint(1) + "c" + "2";
    block += le32(0) + le32(1);
    const auto path = write_table(dir, table_file({block}, {"b"}));
    check_rejected(path, "shares 5 bytes with a previous key of 2 bytes");
    auto entries = read_all(path);
    REQUIRE(entries.error().offset());
    CHECK(*entries.error().offset() == 6);
  }
  SECTION("restart count larger than the block") {
    std::string block = varint(0) + varint(1) + varint(1) + "a" + "1" + le32(0) + le32(1000);
    check_rejected(write_table(dir, table_file({block}, {"b"})), "restart points do not fit");
  }
  SECTION("restart point outside the entries") {
    std::string block = varint(0) + varint(1) + varint(1) + "a" + "1" + le32(77) + le32(1);
    check_rejected(write_table(dir, table_file({block}, {"b"})), "restart point 77");
  }
  SECTION("block too small for a restart count") {
    check_rejected(write_table(dir, table_file({"ab"}, {"b"})), "cannot hold a restart count");
  }
  SECTION("truncated varint") {
    std::string block = std::string("\x80\x80", 2) + le32(0) + le32(1);
    check_rejected(write_table(dir, table_file({block}, {"b"})), "truncated or overlong varint");
  }
  SECTION("value longer than the block") {
    std::string block = varint(0) + varint(1) + varint(200) + "a" + "1" + le32(0) + le32(1);
    check_rejected(write_table(dir, table_file({block}, {"b"})), "run past the end of the block");
  }
  SECTION("keys out of order") {
    std::string block = block_contents({{"b", "1"}, {"a", "2"}}, 1);
    check_rejected(write_table(dir, table_file({block}, {"c"})), "not in increasing order");
  }
  SECTION("unknown compression type") {
    std::string file = table_file({block_contents({{"a", "1"}}, 1)}, {"b"});
    const std::string contents = block_contents({{"a", "1"}}, 1);
    file.replace(contents.size(), 5, trailer(contents, 7));
    const auto path = write_table(dir, file);
    auto entries = read_all(path);
    REQUIRE_FALSE(entries);
    CHECK(entries.error().code() == ErrorCode::Unsupported);
    CHECK_THAT(entries.error().reason(), Catch::Contains("unsupported compression"));
  }
  SECTION("corrupt Snappy block") {
    std::string file = table_file({block_contents({{"a", "1"}}, 1)}, {"b"});
    const std::string contents = block_contents({{"a", "1"}}, 1);
    file.replace(contents.size(), 5, trailer(contents, 1));
    check_rejected(write_table(dir, file), "corrupt Snappy-compressed block");
  }
}

TEST_CASE("sstable never crashes on any single flipped byte or truncation", "[loader][sstable]") {
  TempDir dir;
  for (const char* model : {"savedmodel/tfjs_node_times_three_float", "savedmodel/tfserving_half_plus_two_cpu"}) {
    const std::string original = testing::slurp(corpus(model) / "variables/variables.index");
    const fs::path path = dir.path() / "fuzz.index";
    for (std::size_t i = 0; i < original.size(); ++i) {
      for (unsigned char flip : {0x01, 0x80, 0xFF}) {
        std::string bytes = original;
        bytes[i] = static_cast<char>(static_cast<unsigned char>(bytes[i]) ^ flip);
        testing::write_file(path, bytes);
        auto entries = read_all(path);  // either outcome is fine; it must not crash
        if (!entries) REQUIRE_FALSE(entries.error().reason().empty());
      }
      testing::write_file(path, original.substr(0, i));
      REQUIRE_FALSE(read_all(path));
    }
  }
}

}  // namespace
}  // namespace litelint::analyzer
