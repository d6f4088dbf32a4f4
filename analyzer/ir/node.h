#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/attr_value.h"
#include "analyzer/ir/dtype.h"
#include "analyzer/ir/shape.h"

namespace litelint::ir {

/// A reference to a tensor or a control dependency, parsed from a NodeDef input string.
/// Graph syntax: "node", "node:2", "^node". Function-body syntax adds the producing op's output
/// argument name: "node:out_arg:2"; a bare name there may also be a function argument.
struct TensorRef {
  std::string node;
  std::string output_arg;  ///< only in function bodies; empty otherwise
  std::int32_t index = 0;
  bool control = false;

  /// Parses an input string; nullopt when it is malformed (empty name, bad index).
  static std::optional<TensorRef> parse(std::string_view text);
  /// The input string this reference was parsed from (canonical form).
  std::string to_string() const;
  friend bool operator==(const TensorRef&, const TensorRef&) = default;
};

/// Static type of one tensor as far as it is known.
struct TensorType {
  DType dtype = DType::Invalid;
  Shape shape;
  friend bool operator==(const TensorType&, const TensorType&) = default;
};

/// One Python stack frame from a SavedModel's debug info.
struct StackFrame {
  std::string file;
  std::int32_t line = 0;
  std::string function;
};

/// True for the op types that feed a graph from outside (Placeholder and its variants).
inline bool is_placeholder(std::string_view op) {
  return op == "Placeholder" || op == "PlaceholderV2" || op == "PlaceholderWithDefault";
}

/// One operation of a TensorFlow graph or function body.
struct Node {
  std::string name;
  std::string op;
  std::string device;
  std::vector<TensorRef> inputs;  ///< data inputs first, then control inputs
  AttrMap attrs;
  /// Output types; filled from `_output_shapes`/signatures by loaders and completed by
  /// shape inference. May be shorter than the real output count when unknown.
  std::vector<TensorType> outputs;
  /// Where the op was created in Python, innermost frame last (empty when not known).
  std::vector<StackFrame> stack;

  const AttrValue* attr(std::string_view key) const;
  /// Number of data (non-control) inputs.
  std::size_t data_input_count() const;
};

}  // namespace litelint::ir
