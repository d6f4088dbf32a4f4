#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "analyzer/ir/box.h"
#include "analyzer/ir/dtype.h"
#include "analyzer/ir/shape.h"
#include "analyzer/ir/tensor.h"

namespace litelint::ir {

struct AttrValue;

/// Attributes by name. std::less<> lets lookups take a string_view without a copy.
using AttrMap = std::map<std::string, AttrValue, std::less<>>;

/// A function reference with its attributes (TensorFlow's NameAttrList), e.g. the `f` of a
/// StatefulPartitionedCall or the `body` of a While.
struct FuncRef {
  std::string name;
  AttrMap attrs;
};

/// A list-valued attribute. TensorFlow lists hold one kind of element at a time.
struct AttrList {
  std::vector<std::string> s;
  std::vector<std::int64_t> i;
  std::vector<float> f;
  std::vector<bool> b;
  std::vector<DType> type;
  std::vector<Shape> shape;
  std::vector<Tensor> tensor;
  std::vector<FuncRef> func;
};

/// A placeholder attribute inside a function body ("$T"), resolved at the call site.
struct AttrPlaceholder {
  std::string name;
};

/// One node attribute, mirroring TensorFlow's AttrValue oneof. Tensors, lists and function
/// references are boxed (box.h): assign them as their plain types, read them with as_*().
struct AttrValue {
  using Value = std::variant<std::monostate, std::string, std::int64_t, float, bool, DType, Shape,
                             Box<Tensor>, Box<AttrList>, Box<FuncRef>, AttrPlaceholder>;
  Value value;

  const std::string* as_string() const { return std::get_if<std::string>(&value); }
  const std::int64_t* as_int() const { return std::get_if<std::int64_t>(&value); }
  const float* as_float() const { return std::get_if<float>(&value); }
  const bool* as_bool() const { return std::get_if<bool>(&value); }
  const DType* as_type() const { return std::get_if<DType>(&value); }
  const Shape* as_shape() const { return std::get_if<Shape>(&value); }
  const Tensor* as_tensor() const { return boxed<Tensor>(); }
  const AttrList* as_list() const { return boxed<AttrList>(); }
  const FuncRef* as_func() const { return boxed<FuncRef>(); }

 private:
  template <typename T>
  const T* boxed() const {
    const auto* box = std::get_if<Box<T>>(&value);
    return box ? box->get() : nullptr;
  }
};

}  // namespace litelint::ir
