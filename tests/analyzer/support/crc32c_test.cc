#include "analyzer/support/crc32c.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

namespace litelint {
namespace {

// Bit-at-a-time CRC-32C, the definition the table-driven code must agree with.
std::uint32_t reference_crc32c(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1u) ? 0x82F63B78u : 0u);
  }
  return ~crc;
}

TEST_CASE("crc32c matches the published check values", "[support][crc32c]") {
  CHECK(crc32c(std::string_view("123456789")) == 0xE3069283u);
  CHECK(crc32c(std::string(32, '\0')) == 0x8A9136AAu);
  CHECK(crc32c(std::string(32, '\xff')) == 0x62A8AB43u);
  std::string ascending;
  std::string descending;
  for (int i = 0; i < 32; ++i) {
    ascending += static_cast<char>(i);
    descending += static_cast<char>(31 - i);
  }
  CHECK(crc32c(ascending) == 0x46DD794Eu);
  CHECK(crc32c(descending) == 0x113FDB5Cu);
  CHECK(crc32c(std::string_view()) == 0u);
}

TEST_CASE("crc32c agrees with the bitwise definition at every length and alignment",
          "[support][crc32c]") {
  std::mt19937 rng(1234);
  std::string buffer(300, '\0');
  for (char& c : buffer) c = static_cast<char>(rng() & 0xFFu);
  for (std::size_t start = 0; start < 8; ++start) {
    for (std::size_t len = 0; len + start <= buffer.size(); len += 7) {
      const std::string_view piece = std::string_view(buffer).substr(start, len);
      INFO("start " << start << " length " << len);
      REQUIRE(crc32c(piece) == reference_crc32c(piece));
    }
  }
}

TEST_CASE("crc32c's hardware and software paths agree on random buffers", "[support][crc32c]") {
  if (!crc32c_detail::hardware_available()) {
    WARN("no SSE4.2 on this CPU: only the software path is in use");
    return;
  }
  std::mt19937 rng(99);
  std::vector<std::byte> buffer(70000);
  for (std::byte& b : buffer) b = static_cast<std::byte>(rng() & 0xFFu);
  const std::span<const std::byte> all(buffer);
  for (int round = 0; round < 200; ++round) {
    const std::size_t start = rng() % 64;
    const std::size_t len = round < 100 ? rng() % 100 : rng() % (buffer.size() - start);
    const std::uint32_t seed = round % 2 == 0 ? 0u : static_cast<std::uint32_t>(rng());
    const auto piece = all.subspan(start, len);
    INFO("start " << start << " length " << len << " seed " << seed);
    REQUIRE(crc32c_detail::extend_hardware(seed, piece) == crc32c_detail::extend_software(seed, piece));
  }
  const std::string_view check("123456789");
  CHECK(crc32c_detail::extend_hardware(0, std::as_bytes(std::span(check.data(), check.size()))) ==
        0xE3069283u);
}

TEST_CASE("crc32c_extend continues a checksum across pieces", "[support][crc32c]") {
  const std::string whole = "a checkpoint data shard, split anywhere";
  for (std::size_t split = 0; split <= whole.size(); ++split) {
    const std::string_view a = std::string_view(whole).substr(0, split);
    const std::string_view b = std::string_view(whole).substr(split);
    REQUIRE(crc32c_extend(crc32c(a), b) == crc32c(whole));
  }
}

TEST_CASE("masking changes a crc and unmasking restores it", "[support][crc32c]") {
  const std::uint32_t crc = crc32c(std::string_view("foo"));
  CHECK(crc32c_mask(crc) != crc);
  CHECK(crc32c_mask(crc32c_mask(crc)) != crc);
  CHECK(crc32c_unmask(crc32c_mask(crc)) == crc);
  CHECK(crc32c_unmask(crc32c_unmask(crc32c_mask(crc32c_mask(crc)))) == crc);
  for (std::uint32_t v : {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xa282ead8u}) {
    CHECK(crc32c_unmask(crc32c_mask(v)) == v);
  }
}

TEST_CASE("masked crc32c matches a TensorFlow checkpoint entry", "[support][crc32c]") {
  // tf_cc_half_plus_two stores variable `a` = 0.5f (bytes 00 00 00 3f) with crc32c field
  // 0x1f273806 in its BundleEntryProto.
  const std::string half("\x00\x00\x00\x3f", 4);
  CHECK(crc32c_mask(crc32c(half)) == 0x1f273806u);
}

}  // namespace
}  // namespace litelint
