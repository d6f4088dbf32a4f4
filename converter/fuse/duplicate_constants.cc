// Constant tensors with equal type, shape and bytes are one tensor in TensorFlow's converter
// (MLIR folds identical constants of a function together), so a model where every strided
// slice reads its own [1] strides tensor costs a tensor table and a name per copy. The buffers
// are already shared; this merges the tensors, per subgraph.
#include <algorithm>
#include <map>
#include <tuple>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

bool same_quantization(const std::optional<tfl::Quantization>& a, const std::optional<tfl::Quantization>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->scale == b->scale && a->zero_point == b->zero_point && a->quantized_dimension == b->quantized_dimension;
}

}  // namespace

void merge_duplicate_constants(tfl::Model& model) {
  for (std::size_t s = 0; s < model.subgraphs.size(); ++s) {
    auto& sg = model.subgraphs[s];
    // A constant that is a subgraph input or output keeps its own tensor: the signature names it.
    std::vector<bool> boundary(sg.tensors.size(), false);
    for (auto t : sg.inputs) if (t >= 0) boundary[t] = true;
    for (auto t : sg.outputs) if (t >= 0) boundary[t] = true;
    // Candidates keyed by (type, shape, bytes); the first tensor of each key is kept.
    using Key = std::tuple<tflite::TensorType, std::vector<std::int32_t>, std::vector<std::byte>>;
    std::map<Key, std::vector<std::int32_t>> seen;
    std::vector<std::int32_t> replacement(sg.tensors.size(), -1);
    for (std::size_t t = 0; t < sg.tensors.size(); ++t) {
      const auto& tensor = sg.tensors[t];
      if (boundary[t] || tensor.is_variable || !tensor.has_rank || tensor.buffer == 0) continue;
      const auto bytes = constant_bytes(model, sg, static_cast<std::int32_t>(t));
      if (bytes.empty()) continue;
      auto& same = seen[Key{tensor.type, tensor.shape, std::vector<std::byte>(bytes.begin(), bytes.end())}];
      for (auto kept : same) {
        const auto& k = sg.tensors[kept];
        if (k.signature == tensor.signature && same_quantization(k.quantization, tensor.quantization)) {
          replacement[t] = kept;
          break;
        }
      }
      if (replacement[t] < 0) same.push_back(static_cast<std::int32_t>(t));
    }
    for (auto& op : sg.operators) {
      for (auto& t : op.inputs) {
        if (t >= 0 && replacement[t] >= 0) t = replacement[t];
      }
    }
  }
}

}  // namespace litelint::converter
