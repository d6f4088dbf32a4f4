#include "analyzer/passes/shape_context.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <vector>

namespace litelint::passes::shape_inference {
namespace {

const Value& unknown_value() {
  static const Value v;
  return v;
}

const ir::AttrList* list_attr(const ir::Node& node, std::string_view key) {
  const auto* a = node.attr(key);
  return a ? a->as_list() : nullptr;
}

/// One output argument of an op: its name and how many tensors it holds. `count` is empty for
/// a single tensor, an int attr name ("N") for a homogeneous list, or "*attr" for the length
/// of a type-list attr.
struct OutputArg {
  std::string_view name;
  std::string_view count;
};

/// An op's output arguments, in order; unused slots have an empty name.
struct OpOutputs {
  std::string_view op;
  OutputArg args[6];
};

// Output arguments of the multi-output ops found in real graphs, as TensorFlow's OpDefs name
// them. Ops not listed here are taken to have one output argument holding every output.
constexpr OpOutputs kOutputArgs[] = {
      {"FusedBatchNorm",
       {{"y", ""}, {"batch_mean", ""}, {"batch_variance", ""}, {"reserve_space_1", ""},
        {"reserve_space_2", ""}}},
      {"FusedBatchNormV2",
       {{"y", ""}, {"batch_mean", ""}, {"batch_variance", ""}, {"reserve_space_1", ""},
        {"reserve_space_2", ""}}},
      {"FusedBatchNormV3",
       {{"y", ""}, {"batch_mean", ""}, {"batch_variance", ""}, {"reserve_space_1", ""},
        {"reserve_space_2", ""}, {"reserve_space_3", ""}}},
      {"_FusedBatchNormEx",
       {{"y", ""}, {"batch_mean", ""}, {"batch_variance", ""}, {"reserve_space_1", ""},
        {"reserve_space_2", ""}, {"reserve_space_3", ""}}},
      {"FusedBatchNormGrad",
       {{"x_backprop", ""}, {"scale_backprop", ""}, {"offset_backprop", ""},
        {"reserve_space_3", ""}, {"reserve_space_4", ""}}},
      {"FusedBatchNormGradV2",
       {{"x_backprop", ""}, {"scale_backprop", ""}, {"offset_backprop", ""},
        {"reserve_space_3", ""}, {"reserve_space_4", ""}}},
      {"FusedBatchNormGradV3",
       {{"x_backprop", ""}, {"scale_backprop", ""}, {"offset_backprop", ""},
        {"reserve_space_4", ""}, {"reserve_space_5", ""}}},
      {"Switch", {{"output_false", ""}, {"output_true", ""}}},
      {"RefSwitch", {{"output_false", ""}, {"output_true", ""}}},
      {"Merge", {{"output", ""}, {"value_index", ""}}},
      {"RefMerge", {{"output", ""}, {"value_index", ""}}},
      {"Unique", {{"y", ""}, {"idx", ""}}},
      {"UniqueV2", {{"y", ""}, {"idx", ""}}},
      {"UniqueWithCounts", {{"y", ""}, {"idx", ""}, {"count", ""}}},
      {"TopKV2", {{"values", ""}, {"indices", ""}}},
      {"TopK", {{"values", ""}, {"indices", ""}}},
      {"BroadcastGradientArgs", {{"r0", ""}, {"r1", ""}}},
      {"SparseSoftmaxCrossEntropyWithLogits", {{"loss", ""}, {"backprop", ""}}},
      {"SoftmaxCrossEntropyWithLogits", {{"loss", ""}, {"backprop", ""}}},
      {"TensorListPopBack", {{"output_handle", ""}, {"tensor", ""}}},
      {"CudnnRNN", {{"output", ""}, {"output_h", ""}, {"output_c", ""}, {"reserve_space", ""}}},
      {"CudnnRNNV2",
       {{"output", ""}, {"output_h", ""}, {"output_c", ""}, {"reserve_space", ""},
        {"host_reserved", ""}}},
      {"CudnnRNNV3",
       {{"output", ""}, {"output_h", ""}, {"output_c", ""}, {"reserve_space", ""},
        {"host_reserved", ""}}},
      {"CudnnRNNBackprop",
       {{"input_backprop", ""}, {"input_h_backprop", ""}, {"input_c_backprop", ""},
        {"params_backprop", ""}}},
      {"ParseExample",
       {{"sparse_indices", "Nsparse"}, {"sparse_values", "*sparse_types"},
        {"sparse_shapes", "Nsparse"}, {"dense_values", "*Tdense"}}},
      {"ParseExampleV2",
       {{"sparse_indices", "num_sparse"}, {"sparse_values", "*sparse_types"},
        {"sparse_shapes", "num_sparse"}, {"dense_values", "*Tdense"},
        {"ragged_values", "*ragged_value_types"}, {"ragged_row_splits", "*ragged_split_types"}}},
      {"StringSplitV2", {{"indices", ""}, {"values", ""}, {"shape", ""}}},
      {"StringSplit", {{"indices", ""}, {"values", ""}, {"shape", ""}}},
      {"LookupTableExportV2", {{"keys", ""}, {"values", ""}}},
      {"LogUniformCandidateSampler",
       {{"sampled_candidates", ""}, {"true_expected_count", ""}, {"sampled_expected_count", ""}}},
      {"DenseToDenseSetOperation",
       {{"result_indices", ""}, {"result_values", ""}, {"result_shape", ""}}},
      {"FakeQuantWithMinMaxVarsGradient",
       {{"backprops_wrt_input", ""}, {"backprop_wrt_min", ""}, {"backprop_wrt_max", ""}}},
      {"TensorArrayV3", {{"handle", ""}, {"flow", ""}}},
      {"TensorArrayGradV3", {{"grad_handle", ""}, {"flow_out", ""}}},
      {"TensorArrayConcatV3", {{"value", ""}, {"lengths", ""}}},
      {"NonMaxSuppressionV4", {{"selected_indices", ""}, {"valid_outputs", ""}}},
      {"NonMaxSuppressionV5",
       {{"selected_indices", ""}, {"selected_scores", ""}, {"valid_outputs", ""}}},
      {"QuantizeV2", {{"output", ""}, {"output_min", ""}, {"output_max", ""}}},
      {"Svd", {{"s", ""}, {"u", ""}, {"v", ""}}},
      {"Qr", {{"q", ""}, {"r", ""}}},
      {"SparseSegmentSumGrad", {{"output", ""}}},
      {"RaggedTensorFromVariant", {{"output_nested_splits", "output_ragged_rank"},
                                   {"output_dense_values", ""}}},
};

// kOutputArgs sorted by op (table_less) at compile time, for bisection.
constexpr auto kOutputArgsByOp = [] {
  std::array<OpOutputs, std::size(kOutputArgs)> sorted{};
  std::copy(std::begin(kOutputArgs), std::end(kOutputArgs), sorted.begin());
  constexpr_stable_sort(sorted, [](const OpOutputs& a, const OpOutputs& b) { return table_less(a.op, b.op); });
  return sorted;
}();

}  // namespace

const Value& InferenceContext::input_value(std::size_t i) const {
  return i < inputs_.size() ? inputs_[i] : unknown_value();
}

const std::vector<std::int64_t>* InferenceContext::input_ints(std::size_t i) const {
  const auto& v = input_value(i);
  return v.ints ? &*v.ints : nullptr;
}

std::optional<ir::DType> InferenceContext::attr_type(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (!a || !a->as_type()) return std::nullopt;
  return *a->as_type();
}

std::optional<std::int64_t> InferenceContext::attr_int(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (!a || !a->as_int()) return std::nullopt;
  return *a->as_int();
}

std::optional<std::string> InferenceContext::attr_string(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (!a || !a->as_string()) return std::nullopt;
  return *a->as_string();
}

bool InferenceContext::attr_bool(std::string_view key, bool fallback) const {
  const auto* a = node_.attr(key);
  if (!a || !a->as_bool()) return fallback;
  return *a->as_bool();
}

const std::vector<std::int64_t>* InferenceContext::attr_ints(std::string_view key) const {
  const auto* l = list_attr(node_, key);
  return l ? &l->i : nullptr;
}

const std::vector<ir::DType>* InferenceContext::attr_types(std::string_view key) const {
  const auto* l = list_attr(node_, key);
  return l ? &l->type : nullptr;
}

const std::vector<ir::Shape>* InferenceContext::attr_shapes(std::string_view key) const {
  const auto* l = list_attr(node_, key);
  return l ? &l->shape : nullptr;
}

std::optional<ir::Shape> InferenceContext::attr_shape(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (!a || !a->as_shape()) return std::nullopt;
  return *a->as_shape();
}

const ir::FuncRef* InferenceContext::attr_func(std::string_view key) const {
  const auto* a = node_.attr(key);
  return a ? a->as_func() : nullptr;
}

std::optional<ir::DType> InferenceContext::first_type_attr(
    std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) {
    if (auto t = attr_type(k)) return t;
  }
  return std::nullopt;
}

void InferenceContext::set_output(std::size_t i, ir::DType dtype, ir::Shape shape) {
  // Output counts come from attrs a hostile file controls; TensorFlow itself would not build
  // a node with this many outputs.
  if (i >= 4096) return;
  if (outputs_.size() <= i) {
    outputs_.resize(i + 1);
    set_.resize(i + 1, false);
  }
  // Dims below -1 are not dims; a shape read from a hostile file may carry them.
  if (shape.has_rank()) {
    auto dims = shape.dims();
    bool changed = false;
    for (auto& d : dims) {
      if (d < 0 && d != ir::Shape::kUnknownDim) {
        d = ir::Shape::kUnknownDim;
        changed = true;
      }
    }
    if (changed) shape = ir::Shape(std::move(dims));
  }
  outputs_[i].type = ir::TensorType{dtype, std::move(shape)};
  set_[i] = true;
}

void InferenceContext::set_output_ints(std::size_t i, std::vector<std::int64_t> values) {
  if (i >= outputs_.size() || values.size() > kMaxTrackedValues) return;
  const auto dt = outputs_[i].type.dtype;
  if (dt != ir::DType::Int32 && dt != ir::DType::Int64) return;
  // Any rank: Pad's paddings are [rank, 2]; the element count bounds the storage.
  const auto n = outputs_[i].type.shape.num_elements();
  if (!n || static_cast<std::size_t>(*n) != values.size()) return;
  if (dt == ir::DType::Int32) {
    // Keep int32 arithmetic honest: a value outside int32 would have wrapped in TensorFlow.
    for (auto& v : values) {
      if (v != kUnknownValue && (v < std::numeric_limits<std::int32_t>::min() ||
                                 v > std::numeric_limits<std::int32_t>::max())) {
        v = kUnknownValue;
      }
    }
  }
  outputs_[i].ints = std::move(values);
}

void InferenceContext::set_output_handle(std::size_t i, ir::TensorType handle) {
  if (i >= outputs_.size()) return;
  outputs_[i].handle = std::move(handle);
}

void InferenceContext::error(std::string message) { errors_.push_back(std::move(message)); }

ShapeFn find_shape_fn(std::string_view op) {
  // The families in the order they were registered in: the first that has an op wins.
  for (const ShapeTable& table : {elementwise_shape_table, array_shape_table, nn_shape_table, control_shape_table}) {
    auto it = std::lower_bound(table.begin(), table.end(), op,
                               [](const auto& entry, std::string_view name) { return table_less(entry.first, name); });
    if (it != table.end() && it->first == op) return it->second;
  }
  return nullptr;
}

std::optional<std::size_t> flat_output_index(const ir::Node& node, std::string_view arg,
                                             std::int32_t index) {
  if (index < 0) return std::nullopt;
  auto it = std::lower_bound(kOutputArgsByOp.begin(), kOutputArgsByOp.end(), node.op,
                             [](const OpOutputs& entry, std::string_view op) { return table_less(entry.op, op); });
  if (it == kOutputArgsByOp.end() || it->op != node.op) return static_cast<std::size_t>(index);
  std::size_t offset = 0;
  for (const auto& a : it->args) {
    if (a.name.empty()) break;
    std::size_t count = 1;
    if (!a.count.empty()) {
      if (a.count.front() == '*') {
        const auto* l = list_attr(node, a.count.substr(1));
        if (!l) return std::nullopt;
        count = l->type.size();
      } else {
        const auto* v = node.attr(a.count);
        if (!v || !v->as_int() || *v->as_int() < 0 || *v->as_int() > 4096) return std::nullopt;
        count = static_cast<std::size_t>(*v->as_int());
      }
    }
    if (a.name == arg) {
      if (static_cast<std::size_t>(index) >= count) return std::nullopt;
      return offset + static_cast<std::size_t>(index);
    }
    offset += count;
  }
  return std::nullopt;
}

ir::Shape join(const ir::Shape& a, const ir::Shape& b) {
  if (!a.has_rank() || !b.has_rank() || a.rank() != b.rank()) return ir::Shape();
  std::vector<std::int64_t> dims(a.rank());
  for (std::size_t i = 0; i < dims.size(); ++i) {
    dims[i] = a.dim(i) == b.dim(i) ? a.dim(i) : ir::Shape::kUnknownDim;
  }
  return ir::Shape(std::move(dims));
}

ir::Shape refine(const ir::Shape& fallback, const ir::Shape& precise) {
  if (!precise.has_rank()) return fallback;
  if (!fallback.has_rank() || fallback.rank() != precise.rank()) return precise;
  std::vector<std::int64_t> dims(precise.rank());
  for (std::size_t i = 0; i < dims.size(); ++i) {
    dims[i] = precise.dim(i) >= 0 ? precise.dim(i) : fallback.dim(i);
  }
  return ir::Shape(std::move(dims));
}

std::int64_t mul_dims(std::int64_t a, std::int64_t b) {
  if (a < 0 || b < 0) return ir::Shape::kUnknownDim;
  if (a == 0 || b == 0) return 0;
  if (a > std::numeric_limits<std::int64_t>::max() / b) return ir::Shape::kUnknownDim;
  return a * b;
}

std::int64_t add_dims(std::int64_t a, std::int64_t b) {
  if (a < 0 || b < 0) return ir::Shape::kUnknownDim;
  if (a > std::numeric_limits<std::int64_t>::max() - b) return ir::Shape::kUnknownDim;
  return a + b;
}

}  // namespace litelint::passes::shape_inference

namespace litelint::passes::shape_inference {

ir::Shape broadcast(InferenceContext& ctx, const ir::Shape& a, const ir::Shape& b) {
  if (!a.has_rank() || !b.has_rank()) {
    // One side may still pin the rank: a scalar broadcasts to anything.
    if (a.has_rank() && a.rank() == 0) return b;
    if (b.has_rank() && b.rank() == 0) return a;
    return ir::Shape();
  }
  const std::size_t rank = std::max(a.rank(), b.rank());
  std::vector<std::int64_t> dims(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
    const std::int64_t db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
    std::int64_t d;
    if (da == 1) {
      d = db;
    } else if (db == 1) {
      d = da;
    } else if (da < 0) {
      d = db > 1 ? db : ir::Shape::kUnknownDim;
    } else if (db < 0) {
      d = da;
    } else if (da == db) {
      d = da;
    } else {
      ctx.error("incompatible shapes for broadcasting: " + a.to_string() + " and " +
                b.to_string());
      d = ir::Shape::kUnknownDim;
    }
    dims[i] = d;
  }
  return ir::Shape(std::move(dims));
}

ir::Shape shape_from_input(const InferenceContext& ctx, std::size_t i) {
  if (const auto* v = ctx.input_ints(i)) {
    const auto& s = ctx.input_shape(i);
    if (s.has_rank() && s.rank() == 1) {
      std::vector<std::int64_t> dims;
      dims.reserve(v->size());
      for (auto d : *v) dims.push_back(d < 0 ? ir::Shape::kUnknownDim : d);
      return ir::Shape(std::move(dims));
    }
  }
  const auto& s = ctx.input_shape(i);
  if (s.has_rank() && s.rank() == 1) return unknown_dims(s.dim(0));
  if (s.has_rank() && s.rank() == 0) return ir::Shape();
  return ir::Shape();
}

std::optional<std::int64_t> scalar_input(const InferenceContext& ctx, std::size_t i) {
  const auto* v = ctx.input_ints(i);
  if (!v || v->size() != 1 || (*v)[0] == kUnknownValue) return std::nullopt;
  return (*v)[0];
}

std::optional<std::size_t> normalize_axis(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) return std::nullopt;
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

ir::Shape unknown_dims(std::int64_t rank) {
  if (rank < 0 || rank > static_cast<std::int64_t>(ir::Shape::kMaxRank)) return ir::Shape();
  return ir::Shape(std::vector<std::int64_t>(static_cast<std::size_t>(rank),
                                             ir::Shape::kUnknownDim));
}

void same_as_input(InferenceContext& ctx) {
  // The attr is the op's element type; a ref input (VariableV2 -> Identity) reads as its base.
  const auto dtype = ctx.first_type_attr({"T"}).value_or(ir::base_dtype(ctx.input_dtype(0)));
  ctx.set_output(0, dtype, ctx.input_shape(0));
  if (const auto* v = ctx.input_ints(0)) ctx.set_output_ints(0, *v);
  if (const auto& h = ctx.input_value(0).handle) ctx.set_output_handle(0, *h);
}

}  // namespace litelint::passes::shape_inference
