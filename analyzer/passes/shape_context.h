#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/node.h"
#include "analyzer/ir/shape.h"

// Internal to the shape-inference pass: the per-node context shape functions see, and the
// table of shape functions. Not for use outside analyzer/passes.
namespace litelint::passes::shape_inference {

/// An element of a known integer value that is itself unknown, e.g. the batch entry of
/// Shape(x) when x is [?,224,224,3]. Distinct from -1, which Reshape reads as "infer".
inline constexpr std::int64_t kUnknownValue = std::numeric_limits<std::int64_t>::min();
/// Integer tensors up to this many elements have their values tracked (shape arithmetic).
inline constexpr std::size_t kMaxTrackedValues = 64;

/// What is known about one tensor: its type and, for small int tensors, its values.
struct Value {
  ir::TensorType type;
  /// Row-major values of a small int32/int64 tensor of known shape (some may be kUnknownValue).
  std::optional<std::vector<std::int64_t>> ints;
  /// For resource and variant handles: the type of what they hold (a variable's value, a
  /// TensorList's or TensorArray's element), when known.
  std::optional<ir::TensorType> handle;
  /// The producer has not been evaluated yet (a loop back edge on the first pass).
  bool pending = false;
};

/// Called for function-call ops: the results of `function` given the argument values (types,
/// and the values of small int results when the body computes them).
using CallFn = std::function<std::optional<std::vector<Value>>(
    const std::string& function, const std::vector<Value>& args)>;

/// The view of one node a shape function gets: its input values and attrs; it sets outputs.
class InferenceContext {
 public:
  InferenceContext(const ir::Node& node, std::vector<Value> inputs, CallFn call)
      : node_(node), inputs_(std::move(inputs)), call_(std::move(call)) {}

  const ir::Node& node() const { return node_; }
  std::size_t num_inputs() const { return inputs_.size(); }
  /// Input i's value; an unknown value when i is out of range.
  const Value& input_value(std::size_t i) const;
  const ir::TensorType& input(std::size_t i) const { return input_value(i).type; }
  const ir::Shape& input_shape(std::size_t i) const { return input(i).shape; }
  ir::DType input_dtype(std::size_t i) const { return input(i).dtype; }
  const std::vector<std::int64_t>* input_ints(std::size_t i) const;
  const std::vector<Value>& inputs() const { return inputs_; }

  std::optional<ir::DType> attr_type(std::string_view key) const;
  std::optional<std::int64_t> attr_int(std::string_view key) const;
  std::optional<std::string> attr_string(std::string_view key) const;
  bool attr_bool(std::string_view key, bool fallback) const;
  const std::vector<std::int64_t>* attr_ints(std::string_view key) const;
  const std::vector<ir::DType>* attr_types(std::string_view key) const;
  const std::vector<ir::Shape>* attr_shapes(std::string_view key) const;
  std::optional<ir::Shape> attr_shape(std::string_view key) const;
  const ir::FuncRef* attr_func(std::string_view key) const;
  /// First attr among `keys` holding a single type.
  std::optional<ir::DType> first_type_attr(std::initializer_list<std::string_view> keys) const;

  void set_output(std::size_t i, ir::DType dtype, ir::Shape shape);
  void set_output(std::size_t i, const ir::TensorType& type) { set_output(i, type.dtype, type.shape); }
  /// Records the known values of output i (kept for small int tensors of known shape).
  void set_output_ints(std::size_t i, std::vector<std::int64_t> values);
  /// Records what resource/variant output i refers to (variable value, list element).
  void set_output_handle(std::size_t i, ir::TensorType handle);
  /// Records a shape inconsistency (becomes a ShapeDiagnostic).
  void error(std::string message);

  std::optional<std::vector<Value>> call(const std::string& function,
                                         const std::vector<Value>& args) const {
    return call_ ? call_(function, args) : std::nullopt;
  }

  const std::vector<Value>& outputs() const { return outputs_; }
  /// Moves the outputs out, for the driver once the shape function has run.
  std::vector<Value> take_outputs() { return std::move(outputs_); }
  const std::vector<bool>& outputs_set() const { return set_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  const ir::Node& node_;
  std::vector<Value> inputs_;
  CallFn call_;
  std::vector<Value> outputs_;
  std::vector<bool> set_;
  std::vector<std::string> errors_;
};

using ShapeFn = void (*)(InferenceContext&);

/// The shape function for an op type, or nullptr when the op is not modeled.
ShapeFn find_shape_fn(std::string_view op);

/// Where output argument `arg` (index `index` within it) of `node` lands in the flat output
/// list, for function-body references "node:arg:index". nullopt when it cannot be told.
std::optional<std::size_t> flat_output_index(const ir::Node& node, std::string_view arg,
                                             std::int32_t index);

// Shape algebra shared by the shape functions and the driver.

/// Least upper bound: dims that differ become unknown, different ranks give unknown rank.
ir::Shape join(const ir::Shape& a, const ir::Shape& b);
/// `precise` where it knows a dim, `fallback` elsewhere; `precise` wins on rank conflicts.
ir::Shape refine(const ir::Shape& fallback, const ir::Shape& precise);
/// a * b for dims: unknown when either is unknown or the product overflows.
std::int64_t mul_dims(std::int64_t a, std::int64_t b);
std::int64_t add_dims(std::int64_t a, std::int64_t b);

/// Numpy broadcasting of two shapes; reports a mismatch through `ctx` and gives unknown dims
/// where it cannot tell.
ir::Shape broadcast(InferenceContext& ctx, const ir::Shape& a, const ir::Shape& b);
/// The shape held in int input `i` (as Reshape/Fill/BroadcastTo take it): known values where
/// known, else a rank from the tensor's length, else unknown rank. Negative entries become
/// unknown dims.
ir::Shape shape_from_input(const InferenceContext& ctx, std::size_t i);
/// The value of a scalar (or one-element) int input, when known.
std::optional<std::int64_t> scalar_input(const InferenceContext& ctx, std::size_t i);
/// `axis` in [-rank, rank) made non-negative; nullopt when out of range.
std::optional<std::size_t> normalize_axis(std::int64_t axis, std::size_t rank);
/// A shape of `rank` unknown dims (unknown rank when `rank` is implausible).
ir::Shape unknown_dims(std::int64_t rank);
/// Same dtype and shape as input 0, values passed through.
void same_as_input(InferenceContext& ctx);

// Registration: one table per family (shape_fns_*.cc), built and sorted at compile time, so
// that a run pays nothing to set them up (building and sorting them at start-up was ~4% of
// checking a small model).
using Registry = std::vector<std::pair<std::string_view, ShapeFn>>;
using ShapeTable = std::span<const std::pair<std::string_view, ShapeFn>>;

/// The tables' order: by length, then bytes. A bisection needs only some strict order, and
/// this one settles most comparisons on the lengths.
constexpr bool table_less(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

/// Sorts `items` by `less` keeping equal items in their order, at compile time (std::sort is
/// constexpr but not stable, std::stable_sort not constexpr); tables of a few hundred only.
template <class Range, class Less>
constexpr void constexpr_stable_sort(Range& items, Less less) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    for (std::size_t j = i; j > 0 && less(items[j], items[j - 1]); --j) std::swap(items[j], items[j - 1]);
  }
}

/// `r` sorted by table_less, keeping the first registration of each op.
constexpr void sort_registry(Registry& r) {
  constexpr_stable_sort(r, [](const auto& a, const auto& b) { return table_less(a.first, b.first); });
  Registry kept;
  for (const auto& entry : r) {
    if (kept.empty() || kept.back().first != entry.first) kept.push_back(entry);
  }
  r = std::move(kept);
}

/// The sorted table of what `Register` registers, as a constant.
template <void (*Register)(Registry&)>
consteval auto make_shape_table() {
  // Registered twice, at compile time: once for the array's size, which must be a constant.
  constexpr std::size_t n = [] {
    Registry r;
    Register(r);
    sort_registry(r);
    return r.size();
  }();
  Registry r;
  Register(r);
  sort_registry(r);
  std::array<std::pair<std::string_view, ShapeFn>, n> table{};
  for (std::size_t i = 0; i < n; ++i) table[i] = r[i];
  return table;
}

extern const ShapeTable elementwise_shape_table;
extern const ShapeTable array_shape_table;
extern const ShapeTable nn_shape_table;
extern const ShapeTable control_shape_table;

}  // namespace litelint::passes::shape_inference
