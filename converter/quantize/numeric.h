#pragma once

#include <cstdint>
#include <span>
#include <vector>

// The arithmetic of weight quantization, apart from the graph rewrite so tests can check it
// value by value against what TensorFlow's converter stores.
namespace litelint::converter::weights {

/// int8 values and their scales (one per channel, or one for the whole tensor).
struct SymmetricInt8 {
  std::vector<std::int8_t> values;
  std::vector<float> scales;
};

/// Symmetric int8 in [-127, 127], zero point 0, as TensorFlow's dynamic-range quantizer:
/// per channel along `axis` of `shape`, or per tensor when `axis` is negative.
SymmetricInt8 symmetric_int8(std::span<const float> weights, std::span<const std::int32_t> shape,
                             int axis);

/// IEEE binary16 bits of `f`, rounded to nearest even (overflow gives infinity), as LLVM's
/// APFloat conversion the converter's float16 pass uses.
std::uint16_t float_to_half(float f);

/// The float a binary16 value stands for (exact).
float half_to_float(std::uint16_t h);

}  // namespace litelint::converter::weights
