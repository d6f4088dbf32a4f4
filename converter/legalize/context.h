#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/support/expected.h"
#include "converter/legalize/const_value.h"
#include "converter/tfl/model.h"

namespace litelint::converter {

/// What is known about one TF tensor while a graph is legalized: its type, its constant value
/// (Const nodes and folded results) and the TFLite tensor that holds it, once there is one.
struct TensorSlot {
  ir::TensorType type;
  std::shared_ptr<const ConstValue> constant;
  std::int32_t tfl = -1;
};

/// The TFLite element type for a TF dtype; nullopt when TFLite has none.
std::optional<tflite::TensorType> tfl_type(ir::DType dtype);

/// Shared state of one subgraph under construction; LoweringContext is a view of it for one
/// node. Owned by the legalization driver.
class SubgraphBuilder {
 public:
  SubgraphBuilder(tfl::Model& model, std::size_t subgraph_index, std::string name_prefix = "");

  tfl::Model& model() { return model_; }
  tfl::Subgraph& subgraph() { return model_.subgraphs[index_]; }
  std::size_t index() const { return index_; }

  /// The slot of TF tensor "node:i" (created empty on first use).
  TensorSlot& slot(std::string_view node, std::int32_t output);
  const TensorSlot* find_slot(std::string_view node, std::int32_t output) const;

  /// Creates a TFLite tensor of `type` (unknown dims -> 1 in `shape`, -1 in `signature`).
  std::int32_t add_tensor(std::string name, const ir::TensorType& type);
  /// Creates a constant TFLite tensor holding `value` (its own buffer).
  Expected<std::int32_t> add_constant(std::string name, const ConstValue& value);
  /// Same, taking over `value`'s owned bytes instead of copying them.
  Expected<std::int32_t> add_constant(std::string name, ConstValue&& value);
  /// The TFLite tensor of a slot: the existing one, a new constant, or a new tensor named
  /// `name` of the slot's type.
  Expected<std::int32_t> materialize(TensorSlot& slot, const std::string& name);
  /// A name not used yet in this subgraph, derived from `base`.
  std::string unique_name(std::string_view base);

  /// Resolves a control-flow body (a function name) to the index of its TFLite subgraph,
  /// legalizing it first if needed. Set by the driver.
  using BodyResolver = std::function<Expected<std::int32_t>(std::string_view function)>;
  void set_body_resolver(BodyResolver r) { body_resolver_ = std::move(r); }
  Expected<std::int32_t> body_subgraph(std::string_view function) const;

  /// The TF graph this subgraph is legalized from (its `variables` hold the checkpoint values
  /// of mutable variables); null when a test builds a subgraph without one. Set by the driver.
  void set_graph(const ir::Graph* graph) { graph_ = graph; }
  const ir::Graph* graph() const { return graph_; }

  /// Integers that every subgraph of one model shares, by name: resource ids (hash tables)
  /// and the indices of subgraphs made for the whole model (variable initialization). The
  /// driver points every builder of a model at one map; a lone builder has its own.
  using ModelIds = std::map<std::string, std::int32_t, std::less<>>;
  void set_model_ids(ModelIds* ids) { model_ids_ = ids; }
  ModelIds& model_ids() { return model_ids_ != nullptr ? *model_ids_ : own_ids_; }

 private:
  tfl::Model& model_;
  std::size_t index_;
  std::string prefix_;
  std::map<std::string, TensorSlot, std::less<>> slots_;
  std::map<std::string, int, std::less<>> names_;
  BodyResolver body_resolver_;
  const ir::Graph* graph_ = nullptr;
  ModelIds* model_ids_ = nullptr;
  ModelIds own_ids_;
};

/// The view one lowering gets of the node it lowers: typed inputs (and their constant values),
/// attributes, and ways to add TFLite tensors and operators. Every operator emitted records
/// the node as its origin.
class LoweringContext {
 public:
  LoweringContext(SubgraphBuilder& builder, const ir::Node& node);

  const ir::Node& node() const { return node_; }
  std::string_view op() const { return node_.op; }
  /// Number of data inputs.
  std::size_t input_count() const { return inputs_.size(); }
  const ir::TensorType& input_type(std::size_t i) const;
  /// Output type as inference left it (unknown when inference knew nothing).
  ir::TensorType output_type(std::size_t i) const;
  std::size_t output_count() const { return node_.outputs.size(); }
  /// The constant value of input i, or nullptr when it is computed at run time.
  const ConstValue* constant(std::size_t i) const;
  bool is_constant(std::size_t i) const { return constant(i) != nullptr; }

  // Attributes; nullopt / fallback when absent or of another kind.
  std::optional<std::int64_t> attr_int(std::string_view key) const;
  std::int64_t attr_int(std::string_view key, std::int64_t fallback) const;
  std::optional<float> attr_float(std::string_view key) const;
  bool attr_bool(std::string_view key, bool fallback = false) const;
  std::string attr_string(std::string_view key, std::string_view fallback = "") const;
  std::vector<std::int64_t> attr_ints(std::string_view key) const;
  std::optional<ir::DType> attr_type(std::string_view key) const;

  /// The TFLite tensor of input i (a constant input becomes a constant tensor).
  Expected<std::int32_t> input(std::size_t i);
  /// The TFLite tensor of output i, created on first use with the node's name and type.
  std::int32_t output(std::size_t i);
  /// Makes output i of the node the TFLite tensor `tensor` (no operator; e.g. a no-op reshape).
  void forward(std::size_t i, std::int32_t tensor);
  /// Makes output i of the node a constant (folded); no operator is emitted.
  void set_constant(std::size_t i, ConstValue value);

  /// A new intermediate tensor named after the node.
  std::int32_t add_tensor(std::string_view suffix, const ir::TensorType& type);
  /// A new constant tensor named after the node.
  Expected<std::int32_t> add_constant(std::string_view suffix, const ConstValue& value);
  Expected<std::int32_t> add_constant(std::string_view suffix, ConstValue&& value);
  std::int32_t add_i32(std::string_view suffix, std::span<const std::int32_t> values,
                       std::optional<std::vector<std::int64_t>> shape = std::nullopt);
  std::int32_t add_f32(std::string_view suffix, std::span<const float> values,
                       std::vector<std::int64_t> shape);

  /// Appends an operator (version 1; the op-version pass sets the real one).
  tfl::Operator& emit(std::string_view builtin, std::vector<std::int32_t> inputs,
                      std::vector<std::int32_t> outputs);
  /// Appends a custom operator with `custom_code`.
  tfl::Operator& emit_custom(std::string custom_code, std::vector<std::int32_t> inputs,
                             std::vector<std::int32_t> outputs);

  /// The TFLite tensor's description (for shapes of emitted tensors).
  const tfl::Tensor& tensor(std::int32_t index) { return builder_.subgraph().tensors[index]; }
  SubgraphBuilder& builder() { return builder_; }

  /// A failed match: "node 'x' (Conv2D): <reason>".
  tl::unexpected<Error> fail(std::string_view reason) const;

 private:
  TensorSlot& input_slot(std::size_t i) const;
  SubgraphBuilder& builder_;
  const ir::Node& node_;
  std::vector<ir::TensorRef> inputs_;
};

/// One lowering: a TF op type and the function that legalizes a node of it.
struct Lowering {
  std::string_view op;
  Expected<void> (*lower)(LoweringContext& ctx);
};

/// The lowering for a TF op type, or nullptr (legalize/registry.cc holds the table).
const Lowering* find_lowering(std::string_view op);
/// Every lowering, sorted by op type.
std::span<const Lowering> all_lowerings();

}  // namespace litelint::converter
