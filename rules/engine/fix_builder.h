#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"
#include "rules/engine/fix.h"

// Building blocks for fixes that replace one node by a subgraph of TensorFlow ops (the
// decompositions: patches as a convolution, colour spaces as element-wise math, ...).

namespace litelint::rules {

/// The static type of the tensor `ref` names in `body`: its producer's output type, or the
/// traced shape of a function argument; nullopt when not known.
std::optional<ir::TensorType> ref_type(const ir::Graph& graph, std::string_view body,
                                       const ir::TensorRef& ref);

/// The Const node whose value `ref` carries, following function arguments to their callers
/// (a tf.function's captured constant is an argument of the body, fed a Const by the one
/// call site); nullptr when it is not a constant or callers disagree.
const ir::Node* resolve_const(const ir::Graph& graph, std::string_view body, const ir::TensorRef& ref);

/// The elements of a Const node's float32 / int32 / int64 / bool tensor; nullopt for another
/// dtype or an unreadable value.
std::optional<std::vector<float>> const_floats(const ir::Node& node);
std::optional<std::vector<std::int64_t>> const_ints(const ir::Node& node);

/// A Const tensor value for a node's "value" attr.
ir::Tensor float_tensor(const ir::Shape& shape, std::vector<float> values);
ir::Tensor int32_tensor(const ir::Shape& shape, std::vector<std::int32_t> values);
ir::Tensor bool_tensor(const ir::Shape& shape, const std::vector<bool>& values);

/// Adds the nodes of one rewrite to one body: unique names under the replaced node's name,
/// output references in the body's syntax, and the --diff record. Nodes are inserted before
/// the replaced node by finish(), which turns that node into an Identity of the result so
/// that its readers and the function's returns keep their references.
class RewriteBuilder {
 public:
  RewriteBuilder(ir::Graph& graph, std::string body, const ir::Node& replaced);

  /// A Const node holding `value`.
  ir::TensorRef constant(const std::string& suffix, ir::Tensor value);
  ir::TensorRef floats(const std::string& suffix, const ir::Shape& shape, std::vector<float> values);
  ir::TensorRef ints(const std::string& suffix, std::vector<std::int32_t> values);  ///< 1-D int32
  ir::TensorRef int_scalar(const std::string& suffix, std::int32_t value);
  /// A node of `op` reading `inputs`, with `attrs`; returns its output `index` (of its first
  /// output argument, as named by the op's signature).
  ir::TensorRef op(const std::string& suffix, const std::string& op, std::vector<ir::TensorRef> inputs,
                   ir::AttrMap attrs, std::int32_t index = 0);
  /// op() for a binary element-wise float32 op (AddV2, Sub, Mul, RealDiv, Maximum, ...).
  ir::TensorRef binary(const std::string& suffix, const std::string& op, ir::TensorRef a, ir::TensorRef b);
  /// Reshape to a static shape.
  ir::TensorRef reshape(const std::string& suffix, ir::TensorRef x, const std::vector<std::int64_t>& dims,
                        ir::DType dtype = ir::DType::Float);

  /// Inserts the added nodes and makes the replaced node an Identity of `result`.
  GraphEdit finish(const ir::TensorRef& result, ir::DType dtype);

 private:
  std::string name_for(const std::string& suffix);

  ir::Graph& graph_;
  std::string body_;
  ir::NodeList& nodes_;
  std::string base_;
  std::string device_;
  std::set<std::string> taken_;
  std::vector<ir::Node> added_;
  GraphEdit edit_;
};

/// An AttrValue holding a dtype / int / bool / string / int list.
ir::AttrValue type_attr(ir::DType t);
ir::AttrValue int_list_attr(std::vector<std::int64_t> values);

}  // namespace litelint::rules
