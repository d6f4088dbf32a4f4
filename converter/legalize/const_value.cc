#include "converter/legalize/const_value.h"

#include <bit>
#include <cstring>

namespace litelint::converter {
namespace {

template <typename T>
T load_as(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// IEEE half -> float, for DT_HALF constants (rare in float models, but folding must read them).
float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000U) << 16;
  std::uint32_t exp = (h >> 10) & 0x1FU;
  std::uint32_t mant = h & 0x3FFU;
  std::uint32_t bits = 0;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalize
      exp = 127 - 15 + 1;
      while ((mant & 0x400U) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3FFU;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7F800000U | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(bits);
}

template <typename T>
void store(std::vector<std::byte>& out, std::size_t i, T v) {
  std::memcpy(out.data() + i * sizeof(T), &v, sizeof(T));
}

}  // namespace

std::optional<std::vector<std::int64_t>> ConstValue::ints() const {
  using ir::DType;
  const auto n = static_cast<std::size_t>(num_elements());
  const auto size = ir::dtype_size(dtype);
  if (!size || bytes().size() < n * *size) return std::nullopt;
  const std::byte* p = bytes().data();
  std::vector<std::int64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::byte* e = p + i * *size;
    switch (dtype) {
      case DType::Int32: out[i] = load_as<std::int32_t>(e); break;
      case DType::Int64: out[i] = load_as<std::int64_t>(e); break;
      case DType::Int16: out[i] = load_as<std::int16_t>(e); break;
      case DType::Int8: out[i] = load_as<std::int8_t>(e); break;
      case DType::UInt8: case DType::Bool: out[i] = load_as<std::uint8_t>(e); break;
      case DType::UInt16: out[i] = load_as<std::uint16_t>(e); break;
      case DType::UInt32: out[i] = load_as<std::uint32_t>(e); break;
      case DType::UInt64: out[i] = static_cast<std::int64_t>(load_as<std::uint64_t>(e)); break;
      default: return std::nullopt;
    }
  }
  return out;
}

std::optional<std::vector<double>> ConstValue::doubles() const {
  using ir::DType;
  const auto n = static_cast<std::size_t>(num_elements());
  const auto size = ir::dtype_size(dtype);
  if (!size || bytes().size() < n * *size) return std::nullopt;
  const std::byte* p = bytes().data();
  std::vector<double> out(n);
  switch (dtype) {
    case DType::Float:
      for (std::size_t i = 0; i < n; ++i) out[i] = load_as<float>(p + 4 * i);
      return out;
    case DType::Double:
      for (std::size_t i = 0; i < n; ++i) out[i] = load_as<double>(p + 8 * i);
      return out;
    case DType::Half:
      for (std::size_t i = 0; i < n; ++i) out[i] = half_to_float(load_as<std::uint16_t>(p + 2 * i));
      return out;
    case DType::BFloat16:
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = std::bit_cast<float>(std::uint32_t{load_as<std::uint16_t>(p + 2 * i)} << 16);
      }
      return out;
    default: {
      auto v = ints();
      if (!v) return std::nullopt;
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>((*v)[i]);
      return out;
    }
  }
}

std::optional<std::int64_t> ConstValue::scalar_int() const {
  if (num_elements() != 1) return std::nullopt;
  auto v = ints();
  if (!v) return std::nullopt;
  return (*v)[0];
}

std::optional<double> ConstValue::scalar_double() const {
  if (num_elements() != 1) return std::nullopt;
  auto v = doubles();
  if (!v) return std::nullopt;
  return (*v)[0];
}

Expected<ConstValue> ConstValue::from_tensor(const ir::Tensor& t) {
  ConstValue v;
  v.dtype = t.dtype();
  v.shape = t.shape();
  if (!v.shape.is_fully_defined()) return fail(ErrorCode::BadInput, "constant has no static shape");
  auto loaded = t.load();
  if (!loaded) return unexpected(loaded.error());
  if (v.dtype == ir::DType::String) {
    v.strings = std::move(loaded->strings);
    return v;
  }
  const auto size = ir::dtype_size(v.dtype);
  const auto n = v.shape.num_elements();
  if (!size || !n) return fail(ErrorCode::Unsupported, "constant of type " + ir::dtype_name(v.dtype) + " cannot be converted");
  if (loaded->bytes.size() != static_cast<std::size_t>(*n) * *size) {
    return fail(ErrorCode::BadInput, "constant holds " + std::to_string(loaded->bytes.size()) +
                                         " bytes, its shape " + v.shape.to_string() + " needs " +
                                         std::to_string(static_cast<std::size_t>(*n) * *size));
  }
  v.borrowed = loaded->bytes;
  v.keep_alive = std::move(loaded->keep_alive);
  return v;
}

ConstValue ConstValue::from_ints(ir::DType dtype, ir::Shape shape, std::span<const std::int64_t> v) {
  using ir::DType;
  ConstValue c;
  c.dtype = dtype;
  c.shape = std::move(shape);
  const std::size_t size = ir::dtype_size(dtype).value_or(0);
  c.owned.resize(v.size() * size);
  for (std::size_t i = 0; i < v.size(); ++i) {
    switch (dtype) {
      case DType::Int32: store(c.owned, i, static_cast<std::int32_t>(v[i])); break;
      case DType::Int64: store(c.owned, i, v[i]); break;
      case DType::Int16: store(c.owned, i, static_cast<std::int16_t>(v[i])); break;
      case DType::Int8: store(c.owned, i, static_cast<std::int8_t>(v[i])); break;
      case DType::UInt8: store(c.owned, i, static_cast<std::uint8_t>(v[i])); break;
      case DType::Bool: store(c.owned, i, static_cast<std::uint8_t>(v[i] != 0)); break;
      case DType::UInt16: store(c.owned, i, static_cast<std::uint16_t>(v[i])); break;
      case DType::UInt32: store(c.owned, i, static_cast<std::uint32_t>(v[i])); break;
      case DType::UInt64: store(c.owned, i, static_cast<std::uint64_t>(v[i])); break;
      case DType::Float: store(c.owned, i, static_cast<float>(v[i])); break;
      case DType::Double: store(c.owned, i, static_cast<double>(v[i])); break;
      default: break;
    }
  }
  return c;
}

ConstValue ConstValue::from_doubles(ir::DType dtype, ir::Shape shape, std::span<const double> v) {
  using ir::DType;
  if (dtype != DType::Float && dtype != DType::Double) {
    std::vector<std::int64_t> ints(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) ints[i] = static_cast<std::int64_t>(v[i]);
    return from_ints(dtype, std::move(shape), ints);
  }
  ConstValue c;
  c.dtype = dtype;
  c.shape = std::move(shape);
  c.owned.resize(v.size() * (dtype == DType::Float ? 4 : 8));
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (dtype == DType::Float) {
      store(c.owned, i, static_cast<float>(v[i]));
    } else {
      store(c.owned, i, v[i]);
    }
  }
  return c;
}

}  // namespace litelint::converter
