#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"

namespace litelint::analyzer::keras {

/// One tensor of the graph being built, with what Keras knows of its type.
struct Value {
  std::string ref;  ///< "node" or "node:1"
  ir::DType dtype = ir::DType::Float;
  ir::Shape shape;
};

/// Appends TensorFlow nodes to a Graph the way Keras' tracing names them
/// ("<model>/<layer>/<Op>"), tagging each with the Keras layer it came from
/// (attrs `_keras_layer` and `_keras_class`) so findings can name the layer a user wrote.
class GraphBuilder {
 public:
  explicit GraphBuilder(ir::Graph& graph) : nodes_(graph.nodes), graph_(&graph) {}
  /// Builds the body of a function: inputs are referenced as "node:out_arg:i" there.
  GraphBuilder(ir::NodeList& body, bool function_body) : nodes_(body), function_body_(function_body) {}

  /// The layer the next nodes belong to, and the name scope they get.
  void set_layer(std::string scope, std::string layer, std::string class_name);
  const std::string& scope() const { return scope_; }
  const std::string& layer() const { return layer_; }
  const std::string& class_name() const { return class_name_; }
  /// The graph whose function library loop bodies go to (null for a function-body builder).
  ir::Graph* graph() const { return graph_; }

  /// Adds one node with a single output of `dtype`/`shape`. `attrs` get `T` = dtype unless
  /// `typed` is false or they already have it.
  Value op(std::string_view op, std::vector<Value> inputs, ir::AttrMap attrs, ir::DType dtype,
           ir::Shape shape, bool typed = true);
  /// Adds one node and returns its first `outputs` outputs.
  std::vector<Value> multi_op(std::string_view op, std::vector<Value> inputs, ir::AttrMap attrs,
                              std::vector<ir::TensorType> outputs, std::string_view name = {});
  /// A Const node holding `value` (lazy: its bytes are read only when a pass asks).
  Value constant(ir::Tensor value, std::string_view hint = "Const");
  Value const_i32(std::vector<std::int32_t> values, std::string_view hint = "Const", bool scalar = false);
  /// An int32 constant of any shape (Pad's [rank, 2] paddings).
  Value const_i32_shaped(std::vector<std::int32_t> values, std::vector<std::int64_t> shape, std::string_view hint);
  Value const_f32(std::vector<float> values, std::vector<std::int64_t> shape, std::string_view hint = "Const");
  /// A graph input.
  Value placeholder(const std::string& name, ir::DType dtype, ir::Shape shape);
  /// A node name not taken yet: `base`, else `base_1`, `base_2`, ...
  std::string unique(const std::string& base);

 private:
  ir::NodeList& nodes_;
  ir::Graph* graph_ = nullptr;
  bool function_body_ = false;
  std::string scope_;
  std::string layer_;
  std::string class_name_;
};

ir::AttrValue attr_type(ir::DType t);
ir::AttrValue attr_int(std::int64_t v);
ir::AttrValue attr_float(float v);
ir::AttrValue attr_bool(bool v);
ir::AttrValue attr_string(std::string v);
ir::AttrValue attr_ints(std::vector<std::int64_t> v);

/// The name of an op's output argument ("z" for AddV2), for function-body references.
std::string_view output_arg_name(std::string_view op);

/// An owned tensor of float32 or int32 elements.
ir::Tensor owned_tensor(ir::DType dtype, std::vector<std::int64_t> shape, std::vector<std::byte> bytes);

}  // namespace litelint::analyzer::keras
