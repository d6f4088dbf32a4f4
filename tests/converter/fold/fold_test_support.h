#pragma once

// Builds one node with constant inputs and runs the folder table on it.

#include <bit>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/ir/node.h"
#include "converter/fold/fold.h"
#include "converter/fold/support.h"

namespace litelint::converter::fold_testing {

using folders::Dims;

/// A constant of T's dtype.
template <typename T>
ConstValue value(Dims dims, std::vector<T> v) {
  return folders::make_value<T>(std::move(dims), v);
}
inline ConstValue i32(Dims dims, std::vector<std::int32_t> v) { return value<std::int32_t>(std::move(dims), std::move(v)); }
inline ConstValue i64(Dims dims, std::vector<std::int64_t> v) { return value<std::int64_t>(std::move(dims), std::move(v)); }
inline ConstValue f32(Dims dims, std::vector<float> v) { return value<float>(std::move(dims), std::move(v)); }
inline ConstValue vec(std::vector<std::int32_t> v) {
  const auto n = static_cast<std::int64_t>(v.size());
  return i32({n}, std::move(v));
}
inline ConstValue scalar(std::int32_t v) { return i32({}, {v}); }
/// 0, 1, 2, ... in int32.
inline ConstValue iota(Dims dims) {
  std::int64_t n = 1;
  for (auto d : dims) n *= d;
  std::vector<std::int32_t> v(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int32_t>(i);
  return i32(std::move(dims), std::move(v));
}

/// One op with its attributes and inputs; a nullopt input is a run-time (non-constant) one.
class Case {
 public:
  explicit Case(std::string op) {
    node_.op = std::move(op);
    node_.name = node_.op;
  }

  Case& in(ConstValue v) {
    inputs_.push_back(std::move(v));
    return *this;
  }
  Case& runtime_input(ir::TensorType t) {
    inputs_.push_back(std::nullopt);
    runtime_types_.emplace_back(inputs_.size() - 1, std::move(t));
    return *this;
  }
  Case& attr(const std::string& key, ir::AttrValue v) {
    node_.attrs[key] = std::move(v);
    return *this;
  }
  Case& attr_int(const std::string& key, std::int64_t v) { return attr(key, ir::AttrValue{v}); }
  Case& attr_bool(const std::string& key, bool v) { return attr(key, ir::AttrValue{v}); }
  Case& attr_type(const std::string& key, ir::DType v) { return attr(key, ir::AttrValue{v}); }
  Case& attr_ints(const std::string& key, std::vector<std::int64_t> v) {
    ir::AttrList l;
    l.i = std::move(v);
    return attr(key, ir::AttrValue{ir::Box<ir::AttrList>(std::move(l))});
  }
  /// What import/inference knows about output i (folds that disagree are dropped).
  Case& output(ir::TensorType t) {
    node_.outputs.push_back(std::move(t));
    return *this;
  }

  std::optional<std::vector<ConstValue>> run() const {
    std::vector<const ConstValue*> values;
    std::vector<ir::TensorType> types;
    for (const auto& v : inputs_) {
      values.push_back(v ? &*v : nullptr);
      types.push_back(v ? ir::TensorType{v->dtype, v->shape} : ir::TensorType{});
    }
    for (const auto& [i, t] : runtime_types_) types[i] = t;
    return fold({node_, values, types});
  }

 private:
  ir::Node node_;
  std::vector<std::optional<ConstValue>> inputs_;
  std::vector<std::pair<std::size_t, ir::TensorType>> runtime_types_;
};

/// A result's elements as T (checks the dtype).
template <typename T>
std::vector<T> elements(const ConstValue& v) {
  if (v.dtype != folders::dtype_of<T>()) return {};
  return folders::elements<T>(v);
}

/// Bits of a float, to compare results exactly.
inline std::uint32_t bits(float f) { return std::bit_cast<std::uint32_t>(f); }

}  // namespace litelint::converter::fold_testing
