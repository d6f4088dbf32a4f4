#include "analyzer/footprint/footprint.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <unordered_set>
#include <utility>

#include "analyzer/footprint/flat_graph.h"
#include "analyzer/footprint/macs.h"

namespace litelint::footprint {
namespace {

// FlatBuffer bytes per operator and per tensor beyond the weights, measured on the oracle
// zoo's float .tflite files (TFLiteConverter 2.21): an operator with its options and index
// vectors, a tensor with its name, shape and buffer entry; plus the file's fixed part
// (version, metadata, signature, operator codes).
constexpr std::uint64_t kTfliteBaseBytes = 1200;
constexpr std::uint64_t kTflitePerOpBytes = 48;
constexpr std::uint64_t kTflitePerTensorBytes = 96;

bool is_float(ir::DType t) {
  return t == ir::DType::Float || t == ir::DType::Half || t == ir::DType::Double ||
         t == ir::DType::BFloat16;
}

std::string tensor_name(const ir::Node& node, std::int32_t output) {
  return node.name + ":" + std::to_string(output);
}

// Bytes of a tensor type, unknown dims as 1; 0 for unknown rank or element types without a
// fixed size (strings, resources).
ElementCount byte_count(const ir::TensorType& t) {
  ElementCount c = element_count(t.shape);
  const auto size = ir::dtype_size(ir::base_dtype(t.dtype));
  c.n = size ? mul_sat(c.n, *size) : 0;
  return c;
}

// Parameters as Keras counts them: the source tensors (variables, else float constants), each
// node once however often it is read.
struct WeightTally {
  std::uint64_t variable_elements = 0;
  std::uint64_t constant_parameters = 0;  // non-scalar float constants
  bool has_variables = false;
  std::unordered_set<const ir::Node*> seen;

  void add(const ir::Node& node, ir::DType dtype, const ir::Shape& shape, bool variable) {
    if (!seen.insert(&node).second) return;
    dtype = ir::base_dtype(dtype);
    const ElementCount n = element_count(shape);
    if (variable) {
      has_variables = true;
      variable_elements += n.n;
    } else if (is_float(dtype) && shape.has_rank() && shape.rank() > 0) {
      constant_parameters += n.n;
    }
  }
};

// The dtype and shape a variable node declares (VarHandleOp/VariableV2 attrs).
ir::TensorType declared_type(const ir::Node& node) {
  ir::TensorType t;
  if (const auto* a = node.attr("dtype")) {
    if (const auto* d = a->as_type()) t.dtype = *d;
  }
  if (const auto* a = node.attr("shape")) {
    if (const auto* s = a->as_shape()) t.shape = *s;
  }
  return t;
}

void tally_weights(const FlatGraph& flat, WeightTally& tally) {
  for (const auto& op : flat.ops) {
    const ir::Node& n = *op.node;
    if (n.op == "Const") {
      ir::TensorType t = n.outputs.empty() ? ir::TensorType{} : n.outputs[0];
      if (const auto* v = n.attr("value")) {
        if (const auto* tensor = v->as_tensor()) t = {tensor->dtype(), tensor->shape()};
      }
      tally.add(n, t.dtype, t.shape, false);
    } else if (n.op == "VarHandleOp" || n.op == "VariableV2" || n.op == "Variable") {
      ir::TensorType t = declared_type(n);
      tally.add(n, t.dtype, t.shape, true);
    }
  }
}

// The constant tensors run-time ops read: the buffers of the converted model. What the
// converter folds (batch-norm statistics into a scale and an offset, a transpose of a
// kernel) is counted once, as the folded result the ops read.
void tally_buffers(const FlatGraph& flat, Footprint& fp, std::size_t& tensors) {
  std::map<ir::DType, DTypeWeights> by_dtype;
  std::unordered_set<std::int32_t> seen;
  std::vector<TensorSize> all;
  for (const auto& op : flat.ops) {
    if (op.outputs.empty() || flat.values[static_cast<std::size_t>(op.outputs[0])].kind != ValueKind::Activation) {
      continue;
    }
    for (std::int32_t in : op.inputs) {
      if (in < 0 || !seen.insert(in).second) continue;
      const FlatValue& v = flat.values[static_cast<std::size_t>(in)];
      if (v.kind != ValueKind::Constant) continue;
      ir::TensorType t = v.type;
      // A variable read whose type inference left open has its declared type.
      if (v.variable && (!t.shape.has_rank() || t.dtype == ir::DType::Invalid)) t = declared_type(*v.variable);
      const ElementCount bytes = byte_count(t);
      const ir::DType dtype = ir::base_dtype(t.dtype);
      auto& w = by_dtype[dtype];
      w.dtype = dtype;
      w.elements += element_count(t.shape).n;
      w.bytes += bytes.n;
      ++tensors;
      const FlatOp& producer = flat.ops[static_cast<std::size_t>(v.producer)];
      all.push_back({tensor_name(*producer.node, v.output), producer.node->op, t.shape.to_string(), bytes.n,
                     bytes.unknown_dims});
    }
  }
  for (const auto& [dtype, w] : by_dtype) {
    fp.weights.push_back(w);
    fp.weight_bytes += w.bytes;
  }
  const std::size_t k = std::min(kTopCount, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<long>(k), all.end(),
                    [](const TensorSize& a, const TensorSize& b) { return a.bytes > b.bytes; });
  all.resize(k);
  fp.largest_weights = std::move(all);
}

struct Buffer {
  std::int32_t def = -1;
  std::int32_t last = -1;
  std::int32_t value = -1;  // the value that defined it (names it)
  ElementCount bytes;
};

TensorSize tensor_size(const FlatGraph& flat, const Buffer& b) {
  const FlatValue& v = flat.values[static_cast<std::size_t>(b.value)];
  const FlatOp& op = flat.ops[static_cast<std::size_t>(v.producer)];
  return {tensor_name(*op.node, v.output), op.node->op, v.type.shape.to_string(), b.bytes.n,
          b.bytes.unknown_dims};
}

void measure_activations(const FlatGraph& flat, Footprint& fp) {
  std::vector<Buffer> buffers(static_cast<std::size_t>(flat.buffers));
  for (std::size_t i = 0; i < flat.values.size(); ++i) {
    const FlatValue& v = flat.values[i];
    if (v.buffer < 0) continue;
    Buffer& b = buffers[static_cast<std::size_t>(v.buffer)];
    if (b.value < 0) {
      b.value = static_cast<std::int32_t>(i);
      b.def = v.producer;
      b.last = v.producer;
      b.bytes = byte_count(v.type);
    } else {
      const ElementCount c = byte_count(v.type);
      if (c.n > b.bytes.n) b.bytes = c;
    }
  }
  for (std::size_t i = 0; i < flat.ops.size(); ++i) {
    for (std::int32_t in : flat.ops[i].inputs) {
      if (in < 0) continue;
      const std::int32_t buf = flat.values[static_cast<std::size_t>(in)].buffer;
      if (buf >= 0) buffers[static_cast<std::size_t>(buf)].last = static_cast<std::int32_t>(i);
    }
  }
  // Graph outputs stay allocated until the end.
  const auto end = static_cast<std::int32_t>(flat.ops.size());
  for (std::int32_t r : flat.results) {
    const std::int32_t buf = flat.values[static_cast<std::size_t>(r)].buffer;
    if (buf >= 0) buffers[static_cast<std::size_t>(buf)].last = end;
  }
  std::vector<std::int64_t> delta(flat.ops.size() + 2, 0);
  for (const auto& b : buffers) {
    if (b.value < 0) continue;
    delta[static_cast<std::size_t>(b.def)] += static_cast<std::int64_t>(b.bytes.n);
    delta[static_cast<std::size_t>(b.last) + 1] -= static_cast<std::int64_t>(b.bytes.n);
  }
  std::int64_t live = 0, peak = 0;
  std::size_t peak_index = 0;
  for (std::size_t i = 0; i < flat.ops.size(); ++i) {
    live += delta[i];
    if (live > peak) {
      peak = live;
      peak_index = i;
    }
  }
  fp.peak_activation_bytes = static_cast<std::uint64_t>(peak);
  if (peak > 0) fp.peak_at = flat.ops[peak_index].node->name;

  std::vector<const Buffer*> at_peak, all;
  for (const auto& b : buffers) {
    if (b.value < 0) continue;
    all.push_back(&b);
    if (peak > 0 && b.def <= static_cast<std::int32_t>(peak_index) &&
        b.last >= static_cast<std::int32_t>(peak_index)) {
      at_peak.push_back(&b);
      fp.peak_unknown_dims = fp.peak_unknown_dims || b.bytes.unknown_dims;
    }
  }
  const auto larger = [](const Buffer* a, const Buffer* b) {
    return a->bytes.n != b->bytes.n ? a->bytes.n > b->bytes.n : a->def < b->def;
  };
  const auto top = [&](std::vector<const Buffer*>& list, std::vector<TensorSize>& out) {
    const std::size_t k = std::min(kTopCount, list.size());
    std::partial_sort(list.begin(), list.begin() + static_cast<long>(k), list.end(), larger);
    for (std::size_t i = 0; i < k; ++i) out.push_back(tensor_size(flat, *list[i]));
  };
  top(at_peak, fp.peak_tensors);
  top(all, fp.largest_tensors);
}

void measure_macs(const FlatGraph& flat, Footprint& fp) {
  std::map<std::string_view, OpTypeMacs> by_op;
  std::vector<std::pair<std::uint64_t, const FlatOp*>> costly;
  for (const auto& op : flat.ops) {
    const OpCost cost = op_macs(flat, op);
    if (!cost.counted) {
      fp.uncounted_ops.push_back(op.node->name + " (" + op.node->op + ")");
      continue;
    }
    if (cost.macs == 0) continue;
    fp.macs += cost.macs;
    if (cost.unknown_dims) ++fp.macs_unknown_dim_ops;
    auto& t = by_op[op.node->op];
    t.op = op.node->op;
    t.macs += cost.macs;
    ++t.count;
    costly.emplace_back(cost.macs, &op);
  }
  for (auto& [name, t] : by_op) fp.macs_by_op.push_back(std::move(t));
  std::stable_sort(fp.macs_by_op.begin(), fp.macs_by_op.end(),
                   [](const OpTypeMacs& a, const OpTypeMacs& b) { return a.macs > b.macs; });
  const std::size_t k = std::min(kTopCount, costly.size());
  std::partial_sort(costly.begin(), costly.begin() + static_cast<long>(k), costly.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  for (std::size_t i = 0; i < k; ++i) {
    const FlatOp& op = *costly[i].second;
    const OpCost cost = op_macs(flat, op);
    const auto& v = flat.values[static_cast<std::size_t>(op.outputs.front())];
    fp.top_ops.push_back({op.node->name, op.node->op, v.type.shape.to_string(), cost.macs, cost.unknown_dims});
  }
}

}  // namespace

Footprint measure(const ir::Graph& graph, const MeasureOptions& options) {
  Footprint fp;
  fp.measured = true;
  const FlatGraph flat = flatten(graph, options);

  WeightTally tally;
  tally_weights(flat, tally);
  fp.parameters = tally.has_variables ? tally.variable_elements : tally.constant_parameters;
  std::size_t buffers = 0;
  tally_buffers(flat, fp, buffers);

  measure_macs(flat, fp);
  measure_activations(flat, fp);

  // Every op that computes at run time becomes one operator; its outputs and the weights
  // become tensors.
  std::uint64_t ops = 0, tensors = buffers;
  for (const auto& op : flat.ops) {
    const auto& first = flat.values[static_cast<std::size_t>(op.outputs.front())];
    if (first.kind != ValueKind::Activation) continue;
    ++ops;
    tensors += op.outputs.size();
  }
  fp.tflite_bytes = fp.weight_bytes + kTfliteBaseBytes + ops * kTflitePerOpBytes +
                    tensors * kTflitePerTensorBytes;
  return fp;
}

std::string si_count(std::uint64_t n) {
  static constexpr std::array<const char*, 5> kUnits = {"", " k", " M", " G", " T"};
  double v = static_cast<double>(n);
  std::size_t u = 0;
  while (v >= 1000.0 && u + 1 < kUnits.size()) {
    v /= 1000.0;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
  } else {
    std::snprintf(buf, sizeof buf, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, kUnits[u]);
  }
  return buf;
}

std::string byte_size(std::uint64_t n) {
  static constexpr std::array<const char*, 5> kUnits = {" B", " KiB", " MiB", " GiB", " TiB"};
  double v = static_cast<double>(n);
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < kUnits.size()) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f%s", v, kUnits[u]);
  }
  return buf;
}

}  // namespace litelint::footprint
