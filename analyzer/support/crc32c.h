#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace litelint {

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TensorFlow's
/// checkpoint tables and tensor data. Uses the SSE4.2 `crc32` instruction when the CPU has it
/// (checked once at run time), else software slicing-by-8.
std::uint32_t crc32c(std::span<const std::byte> data);
std::uint32_t crc32c(std::string_view data);

/// Continues a CRC-32C: `crc32c_extend(crc32c(a), b) == crc32c(a + b)`.
std::uint32_t crc32c_extend(std::uint32_t crc, std::span<const std::byte> data);
std::uint32_t crc32c_extend(std::uint32_t crc, std::string_view data);

/// The two implementations behind crc32c_extend, exposed so tests can compare them.
namespace crc32c_detail {
/// Software slicing-by-8; works everywhere.
std::uint32_t extend_software(std::uint32_t crc, std::span<const std::byte> data);
/// Whether extend_hardware may be called on this CPU (x86-64 with SSE4.2).
bool hardware_available();
/// The SSE4.2 `crc32` instruction; only when hardware_available().
std::uint32_t extend_hardware(std::uint32_t crc, std::span<const std::byte> data);
}  // namespace crc32c_detail

/// The delta LevelDB/TensorFlow add when masking a stored CRC.
inline constexpr std::uint32_t kCrc32cMaskDelta = 0xa282ead8u;

/// Masks a CRC before storing it: a CRC of data that itself contains CRCs is weak, so stored
/// checksums are rotated and offset (LevelDB's crc32c::Mask).
constexpr std::uint32_t crc32c_mask(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kCrc32cMaskDelta;
}

/// Inverse of crc32c_mask.
constexpr std::uint32_t crc32c_unmask(std::uint32_t masked) {
  const std::uint32_t rot = masked - kCrc32cMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace litelint
