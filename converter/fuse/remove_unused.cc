// After fusion, tensors of removed operators (and constants only they read) are left behind;
// TensorFlow's converter writes no dead tensors or buffers, and neither do we.
#include "converter/fuse/passes.h"

namespace litelint::converter {

void remove_unused(tfl::Model& model) {
  std::vector<bool> buffer_used(model.buffers.size(), false);
  buffer_used[0] = true;
  for (std::size_t s = 0; s < model.subgraphs.size(); ++s) {
    auto& sg = model.subgraphs[s];
    std::vector<bool> used(sg.tensors.size(), false);
    auto mark = [&](std::int32_t t) {
      if (t >= 0) used[t] = true;
    };
    for (const auto& op : sg.operators) {
      for (auto t : op.inputs) mark(t);
      for (auto t : op.outputs) mark(t);
      for (auto t : op.intermediates) mark(t);
    }
    for (auto t : sg.inputs) mark(t);
    for (auto t : sg.outputs) mark(t);
    std::vector<std::int32_t> remap(sg.tensors.size(), -1);
    std::vector<tfl::Tensor> kept;
    for (std::size_t t = 0; t < sg.tensors.size(); ++t) {
      if (!used[t]) continue;
      remap[t] = static_cast<std::int32_t>(kept.size());
      kept.push_back(std::move(sg.tensors[t]));
    }
    sg.tensors = std::move(kept);
    auto fix = [&](std::vector<std::int32_t>& v) {
      for (auto& t : v) {
        if (t >= 0) t = remap[t];
      }
    };
    for (auto& op : sg.operators) {
      fix(op.inputs);
      fix(op.outputs);
      fix(op.intermediates);
    }
    fix(sg.inputs);
    fix(sg.outputs);
    for (auto& sig : model.signatures) {
      if (sig.subgraph != s) continue;
      for (auto& [name, t] : sig.inputs) t = remap[t];
      for (auto& [name, t] : sig.outputs) t = remap[t];
    }
    for (const auto& t : sg.tensors) buffer_used[t.buffer] = true;
  }
  std::vector<std::uint32_t> remap(model.buffers.size(), 0);
  std::vector<tfl::Buffer> kept;
  for (std::size_t b = 0; b < model.buffers.size(); ++b) {
    if (!buffer_used[b]) continue;
    remap[b] = static_cast<std::uint32_t>(kept.size());
    kept.push_back(std::move(model.buffers[b]));
  }
  model.buffers = std::move(kept);
  for (auto& sg : model.subgraphs) {
    for (auto& t : sg.tensors) t.buffer = remap[t.buffer];
  }
}

}  // namespace litelint::converter
