// Constant tensors with equal type, shape and bytes are one tensor in TensorFlow's converter
// (MLIR folds identical constants of a function together), so a model where every strided
// slice reads its own [1] strides tensor costs a tensor table and a name per copy. The buffers
// are already shared; this merges the tensors, per subgraph.
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <string_view>
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

// A cheap fingerprint of constant bytes: their size and up to 64 bytes from each end. Equal
// bytes have equal fingerprints; candidates that share one are compared in place.
std::size_t fingerprint(std::span<const std::byte> bytes) {
  const std::size_t n = std::min<std::size_t>(bytes.size(), 64);
  const std::string_view head(reinterpret_cast<const char*>(bytes.data()), n);
  const std::string_view tail(reinterpret_cast<const char*>(bytes.data() + bytes.size() - n), n);
  const std::hash<std::string_view> h;
  return h(head) ^ (h(tail) * 31) ^ (bytes.size() * 0x9E3779B97F4A7C15ull);
}

bool same_bytes(std::span<const std::byte> a, std::span<const std::byte> b) {
  if (a.size() != b.size()) return false;
  return a.data() == b.data() || std::memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void merge_duplicate_constants(tfl::Model& model) {
  for (std::size_t s = 0; s < model.subgraphs.size(); ++s) {
    auto& sg = model.subgraphs[s];
    // A constant that is a subgraph input or output keeps its own tensor: the signature names it.
    std::vector<bool> boundary(sg.tensors.size(), false);
    for (auto t : sg.inputs) if (t >= 0) boundary[t] = true;
    for (auto t : sg.outputs) if (t >= 0) boundary[t] = true;
    // Candidates keyed by (type, shape, fingerprint), the bytes compared in place: keying by a
    // copy of every constant's bytes held all of ResNet50's weights twice (+~100 MB peak RSS).
    // The first tensor with given bytes is kept.
    using Key = std::tuple<tflite::TensorType, std::vector<std::int32_t>, std::size_t>;
    std::map<Key, std::vector<std::int32_t>> seen;
    std::vector<std::int32_t> replacement(sg.tensors.size(), -1);
    for (std::size_t t = 0; t < sg.tensors.size(); ++t) {
      const auto& tensor = sg.tensors[t];
      if (boundary[t] || tensor.is_variable || !tensor.has_rank || tensor.buffer == 0) continue;
      const auto bytes = constant_bytes(model, sg, static_cast<std::int32_t>(t));
      if (bytes.empty()) continue;
      auto& same = seen[Key{tensor.type, tensor.shape, fingerprint(bytes)}];
      for (auto kept : same) {
        const auto& k = sg.tensors[kept];
        if (k.signature == tensor.signature && same_quantization(k.quantization, tensor.quantization) &&
            same_bytes(constant_bytes(model, sg, kept), bytes)) {
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
