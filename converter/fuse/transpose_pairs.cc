// TRANSPOSE(p) ... TRANSPOSE(p^-1) with only element-wise operators between: the transposes
// cancel. NCHW convolutions and pools are lowered as TRANSPOSE -> op -> TRANSPOSE each, so two
// NCHW ops in a row (with a bias ADD and a RELU between them) leave an inverse pair in the
// middle; TensorFlow's converter removes it, leaving one TRANSPOSE at each end of the NCHW
// region. A TRANSPOSE is only moved down through a chain that ends in its inverse, so that
// graphs without such a pair keep TensorFlow's operator order.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

// Operators that act element by element on one tensor, so that they commute with a transpose.
bool is_unary_elementwise(B op) {
  switch (op) {
    case B::RELU: case B::RELU6: case B::RELU_N1_TO_1: case B::TANH: case B::LOGISTIC: case B::HARD_SWISH:
    case B::ABS: case B::NEG: case B::EXP: case B::SQRT: case B::RSQRT: case B::LEAKY_RELU: case B::ELU:
    case B::GELU:
      return true;
    default:
      return false;
  }
}

bool is_binary_elementwise(B op) { return op == B::ADD || op == B::SUB || op == B::MUL || op == B::DIV; }

// The permutation of a TRANSPOSE whose perm operand is a constant; empty otherwise.
std::vector<std::int32_t> perm_of(const tfl::Model& model, const tfl::Subgraph& sg, const tfl::Operator& op) {
  if (op.builtin != B::TRANSPOSE || op.inputs.size() != 2 || op.outputs.size() != 1) return {};
  const auto& t = sg.tensors[op.inputs[1]];
  const auto bytes = constant_bytes(model, sg, op.inputs[1]);
  if (t.type != tflite::TensorType::INT32 || bytes.empty()) return {};
  std::vector<std::int32_t> p(bytes.size() / 4);
  std::memcpy(p.data(), bytes.data(), p.size() * 4);
  return p;
}

bool inverse(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (b[i] < 0 || static_cast<std::size_t>(b[i]) >= a.size() || a[b[i]] != static_cast<std::int32_t>(i)) return false;
  }
  return true;
}

// The only operator that reads `tensor` (when it is read once and is no subgraph output).
int sole_consumer(const tfl::Subgraph& sg, const std::vector<int>& uses, std::int32_t tensor) {
  if (uses[tensor] != 1) return -1;
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    for (auto t : sg.operators[i].inputs) {
      if (t == tensor) return static_cast<int>(i);
    }
  }
  return -1;  // a subgraph output
}

// For a binary operator fed by `t`: the index of its other operand when that is a float32
// constant of rank <= the transpose's, so that it can be permuted along; -1 otherwise.
int constant_side(const tfl::Model& model, const tfl::Subgraph& sg, const tfl::Operator& op, std::int32_t t,
                  std::size_t rank) {
  if (op.inputs.size() != 2 || (op.inputs[0] == t) == (op.inputs[1] == t)) return -1;
  const int side = op.inputs[0] == t ? 1 : 0;
  const auto& c = sg.tensors[op.inputs[side]];
  if (c.type != tflite::TensorType::FLOAT32 || constant_bytes(model, sg, op.inputs[side]).empty()) return -1;
  if (c.shape.size() > rank) return -1;
  // Only the transposed operand may decide the output shape.
  if (sg.tensors[op.outputs[0]].shape != sg.tensors[t].shape) return -1;
  return side;
}

// True when the operator can move above a transpose fed through operand tensor `t`.
bool commutes(const tfl::Model& model, const tfl::Subgraph& sg, const tfl::Operator& op, std::int32_t t,
              std::size_t rank) {
  if (op.outputs.size() != 1) return false;
  if (is_unary_elementwise(op.builtin)) return op.inputs.size() == 1;
  if (is_binary_elementwise(op.builtin)) return constant_side(model, sg, op, t, rank) >= 0;
  return false;
}

// `c` (rank <= perm.size()) broadcast-aligned to the transpose's output, as a constant in the
// layout of its input: leading 1s up to full rank, then the axes permuted by perm^-1.
std::int32_t unpermuted_constant(tfl::Model& model, tfl::Subgraph& sg, std::int32_t c,
                                 const std::vector<std::int32_t>& perm) {
  const std::size_t rank = perm.size();
  auto dims = sg.tensors[c].shape;
  dims.insert(dims.begin(), rank - dims.size(), 1);
  // Output axis i of the transpose is input axis perm[i]: the new constant's axis perm[i] is
  // the old constant's axis i.
  std::vector<std::int32_t> new_dims(rank);
  for (std::size_t i = 0; i < rank; ++i) new_dims[perm[i]] = dims[i];
  const auto src = constant_bytes(model, sg, c);
  std::vector<std::byte> out(src.size());
  std::vector<std::size_t> src_strides(rank, 1);
  for (std::size_t i = rank; i-- > 1;) src_strides[i - 1] = src_strides[i] * static_cast<std::size_t>(dims[i]);
  const std::size_t count = src.size() / 4;
  std::vector<std::int32_t> index(rank, 0);  // index into new_dims
  for (std::size_t n = 0; n < count; ++n) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < rank; ++i) from += static_cast<std::size_t>(index[perm[i]]) * src_strides[i];
    std::memcpy(out.data() + n * 4, src.data() + from * 4, 4);
    for (std::size_t axis = rank; axis-- > 0;) {
      if (++index[axis] < new_dims[axis]) break;
      index[axis] = 0;
    }
  }
  tfl::Tensor t;
  t.name = sg.tensors[c].name;
  t.type = tflite::TensorType::FLOAT32;
  t.shape = new_dims;
  t.signature = new_dims;
  t.buffer = model.add_buffer(std::move(out));
  return sg.add_tensor(std::move(t));
}

}  // namespace

bool fuse_transpose_pairs(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t a = 0; a < sg.operators.size(); ++a) {
    const auto perm = perm_of(model, sg, sg.operators[a]);
    if (perm.empty()) continue;
    const auto x = sg.operators[a].inputs[0];
    const auto t = sg.operators[a].outputs[0];
    // Follow the chain of commuting operators below the transpose to its end.
    std::int32_t tensor = t;
    int next = sole_consumer(sg, uses, tensor);
    int first = next;
    while (next >= 0 && commutes(model, sg, sg.operators[next], tensor, perm.size())) {
      tensor = sg.operators[next].outputs[0];
      next = sole_consumer(sg, uses, tensor);
    }
    if (next < 0 || !inverse(perm, perm_of(model, sg, sg.operators[next]))) continue;
    if (next == first) {
      // Adjacent inverse pair: the second transpose's readers read x instead; both go.
      const auto y = sg.operators[next].outputs[0];
      if (std::find(sg.outputs.begin(), sg.outputs.end(), y) != sg.outputs.end()) continue;
      for (auto& op : sg.operators) {
        for (auto& in : op.inputs) {
          if (in == y) in = x;
        }
      }
      report.fusions.push_back(fmt::format("TRANSPOSE+TRANSPOSE -> (nothing) ({})", sg.tensors[y].name));
      const auto hi = std::max<std::size_t>(a, static_cast<std::size_t>(next));
      const auto lo = std::min<std::size_t>(a, static_cast<std::size_t>(next));
      sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(hi));
      sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(lo));
      return true;
    }
    // Move the transpose below the first operator of the chain: E(T(x)) -> T(E'(x)).
    auto& e = sg.operators[first];
    if (is_binary_elementwise(e.builtin)) {
      const int side = constant_side(model, sg, e, t, perm.size());
      e.inputs[side] = unpermuted_constant(model, sg, e.inputs[side], perm);
    }
    const auto e_out = e.outputs[0];
    for (auto& in : e.inputs) {
      if (in == t) in = x;
    }
    e.outputs[0] = t;
    sg.tensors[t].shape = sg.tensors[x].shape;
    sg.tensors[t].signature = sg.tensors[x].signature;
    sg.operators[a].inputs[0] = t;
    sg.operators[a].outputs[0] = e_out;
    // E now reads x and T reads E's result: E takes the transpose's place in the order.
    std::swap(sg.operators[a], sg.operators[first]);
    report.fusions.push_back(fmt::format("TRANSPOSE+{} -> {}+TRANSPOSE ({})", tfl::op_name(sg.operators[a]),
                                         tfl::op_name(sg.operators[a]), sg.tensors[e_out].name));
    return true;
  }
  return false;
}

}  // namespace litelint::converter
