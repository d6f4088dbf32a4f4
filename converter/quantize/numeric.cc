#include "converter/quantize/numeric.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>

namespace litelint::converter::weights {
namespace {

// TensorFlow widens a range narrower than 1e-6 to at least [-5e-7, 5e-7]
// (quantization_utils.cc, ExpandVerySmallRange), so an all-zero channel gets scale
// 5e-7 / 127 and not 0 (measured: 3.937008e-09).
constexpr double kNearZeroTolerance = 1.0e-6;
constexpr double kSmallestHalfRange = kNearZeroTolerance / 2;

float scale_for(double lo, double hi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (hi - lo <= kNearZeroTolerance) {
    lo = std::min(lo, -kSmallestHalfRange);
    hi = std::max(hi, kSmallestHalfRange);
  }
  return static_cast<float>(std::max(-lo, hi) / 127.0);
}

}  // namespace

SymmetricInt8 symmetric_int8(std::span<const float> weights, std::span<const std::int32_t> shape,
                             int axis) {
  std::size_t channels = 1;
  std::size_t inner = 1;  // elements after `axis`: one channel's run in row-major order
  if (axis >= 0) {
    channels = static_cast<std::size_t>(shape[static_cast<std::size_t>(axis)]);
    for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < shape.size(); ++d) {
      inner *= static_cast<std::size_t>(shape[d]);
    }
  }
  auto channel_of = [&](std::size_t i) { return channels == 1 ? 0 : (i / inner) % channels; };

  std::vector<double> lo(channels, 0.0), hi(channels, 0.0);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const std::size_t c = channel_of(i);
    lo[c] = std::min(lo[c], static_cast<double>(weights[i]));
    hi[c] = std::max(hi[c], static_cast<double>(weights[i]));
  }
  SymmetricInt8 out;
  out.scales.resize(channels);
  for (std::size_t c = 0; c < channels; ++c) out.scales[c] = scale_for(lo[c], hi[c]);
  // Multiplying by the float reciprocal and rounding half away from zero is what
  // tools/optimize's SymmetricPerChannelQuantizeValues does; it matched every stored value.
  std::vector<float> inverse(channels);
  for (std::size_t c = 0; c < channels; ++c) inverse[c] = 1.0f / out.scales[c];
  out.values.resize(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const float q = std::round(weights[i] * inverse[channel_of(i)]);
    out.values[i] = static_cast<std::int8_t>(std::clamp(q, -127.0f, 127.0f));
  }
  return out;
}

std::uint16_t float_to_half(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t exp = (bits >> 23) & 0xffu;
  std::uint32_t mant = bits & 0x7fffffu;
  if (exp == 0xff) {  // infinity, or NaN kept quiet
    return static_cast<std::uint16_t>(sign | 0x7c00u | (mant != 0 ? 0x200u | (mant >> 13) : 0u));
  }
  const int e = static_cast<int>(exp) - 127 + 15;
  if (e >= 0x1f) return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit 1 in and round to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000u;
    const int shift = 14 - e;
    std::uint32_t half = mant >> shift;
    const std::uint32_t rest = mant & ((1u << shift) - 1);
    const std::uint32_t midpoint = 1u << (shift - 1);
    if (rest > midpoint || (rest == midpoint && (half & 1u) != 0)) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  std::uint32_t half = (static_cast<std::uint32_t>(e) << 10) | (mant >> 13);
  const std::uint32_t rest = mant & 0x1fffu;
  // A carry out of the mantissa bumps the exponent, up to infinity: still correctly rounded.
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u) != 0)) ++half;
  return static_cast<std::uint16_t>(sign | half);
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  const std::uint32_t mant = h & 0x3ffu;
  if (exp == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
  if (exp == 0) {
    const float magnitude = std::ldexp(static_cast<float>(mant), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  return std::bit_cast<float>(sign | ((exp - 15 + 127) << 23) | (mant << 13));
}

}  // namespace litelint::converter::weights
