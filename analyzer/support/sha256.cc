#include "analyzer/support/sha256.h"

#include <nettle/sha2.h>

#include <array>

#include "analyzer/support/file.h"

namespace litelint::support {

// Nettle rather than OpenSSL: OpenSSL 3's EVP layer loads its provider on first use, which
// costs more than hashing a typical model and shows up in every `litelint check` run.
std::string sha256_hex(std::string_view bytes) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  // Nettle takes size_t lengths; feed in bounded chunks anyway to stay portable.
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, bytes.size() - at);
    sha256_update(&ctx, n, reinterpret_cast<const std::uint8_t*>(bytes.data() + at));
  }
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&ctx, digest.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (auto b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

Expected<std::string> sha256_file(const std::filesystem::path& path) {
  auto file = MappedFile::open(path);
  if (!file) return tl::unexpected(file.error());
  return sha256_hex((*file)->view());
}

}  // namespace litelint::support
