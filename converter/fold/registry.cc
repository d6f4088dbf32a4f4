#include <algorithm>
#include <vector>

#include "analyzer/support/assert.h"
#include "converter/fold/fold.h"
#include "converter/fold/folders.h"

namespace litelint::converter {
namespace {

// One line per folder family; the table is sorted once and searched by op type.
std::vector<Folder> make_table() {
  std::vector<Folder> table;
  for (auto family : {folders::arithmetic_folders(), folders::cast_folders(), folders::generator_folders(),
                      folders::joining_folders(), folders::logic_folders(), folders::reduction_folders(),
                      folders::reshaping_folders(), folders::shape_folders(), folders::slicing_folders()}) {
    table.insert(table.end(), family.begin(), family.end());
  }
  std::sort(table.begin(), table.end(), [](const Folder& a, const Folder& b) { return a.op < b.op; });
  for (std::size_t i = 1; i < table.size(); ++i) LITELINT_ASSERT(table[i - 1].op != table[i].op);
  return table;
}

// Bits of a tensor as MLIR counts them (bool is i1); nullopt when its size is not static.
// Types without a bit width (strings) count 0, as TensorFlow ignores them.
std::optional<std::int64_t> bits(ir::DType dtype, const ir::Shape& shape) {
  const auto n = shape.num_elements();
  if (!n) return std::nullopt;
  if (dtype == ir::DType::Bool) return *n;
  const auto size = dtype == ir::DType::String ? std::nullopt : ir::dtype_size(dtype);
  return size ? *n * static_cast<std::int64_t>(*size) * 8 : 0;
}

// TensorFlow's constant-folding policy (tensorflow/compiler/mlir/tensorflow/transforms/
// constant_fold.cc, ShouldBeFolded): fold when the results total at most 2^21 bits (256 KB),
// or at most twice the operands' bits; a Fill or BroadcastTo that would blow a scalar up into
// a large tensor stays an operator.
bool tensorflow_would_fold(const FoldInput& in, const std::vector<ConstValue>& results) {
  constexpr std::int64_t kSizeThreshold = std::int64_t{1} << 21;
  constexpr std::int64_t kSizeFactor = 2;
  std::int64_t result_bits = 0;
  for (const auto& r : results) result_bits += bits(r.dtype, r.shape).value_or(0);
  if (result_bits <= kSizeThreshold) return true;
  std::int64_t operand_bits = 0;
  for (std::size_t i = 0; i < in.types.size(); ++i) {
    const auto b = i < in.values.size() && in.values[i] != nullptr
                       ? bits(in.values[i]->dtype, in.values[i]->shape)
                       : bits(in.types[i].dtype, in.types[i].shape);
    if (!b) return true;  // TensorFlow folds when a size is unknown
    operand_bits += *b;
  }
  return result_bits <= kSizeFactor * operand_bits;
}

// A folded result must agree with what import and shape inference already know about the
// node's outputs; a disagreement means the folder misread the op, so it is not used.
bool agrees_with_node(const ir::Node& node, const std::vector<ConstValue>& results) {
  for (std::size_t i = 0; i < std::min(node.outputs.size(), results.size()); ++i) {
    const auto& known = node.outputs[i];
    if (known.dtype != ir::DType::Invalid && ir::base_dtype(known.dtype) != results[i].dtype) return false;
    if (!known.shape.has_rank()) continue;
    const auto& dims = known.shape.dims();
    const auto& got = results[i].shape.dims();
    if (dims.size() != got.size()) return false;
    for (std::size_t k = 0; k < dims.size(); ++k) {
      if (dims[k] != ir::Shape::kUnknownDim && dims[k] != got[k]) return false;
    }
  }
  return true;
}

}  // namespace

std::span<const Folder> all_folders() {
  static const std::vector<Folder> table = make_table();
  return table;
}

std::optional<std::vector<ConstValue>> fold(const FoldInput& in) {
  const auto table = all_folders();
  auto it = std::lower_bound(table.begin(), table.end(), in.node.op,
                             [](const Folder& f, std::string_view op) { return f.op < op; });
  if (it == table.end() || it->op != in.node.op) return std::nullopt;
  auto results = it->fold(in);
  if (!results || !tensorflow_would_fold(in, *results) || !agrees_with_node(in.node, *results)) {
    return std::nullopt;
  }
  return results;
}

}  // namespace litelint::converter
