// After fusion, tensors of removed operators (and constants only they read) are left behind;
// TensorFlow's converter writes no dead tensors or buffers, and neither do we. The same goes
// for subgraphs: the branches of an IF that fusion removed (tf.debugging.assert's AssertGuard)
// are no longer named by any operator, and TensorFlow writes only the subgraphs reachable from
// the entries.
#include <algorithm>
#include <functional>

#include "converter/fuse/passes.h"

namespace litelint::converter {
namespace {

// Calls `visit` on every subgraph index an operator's options name (WHILE, IF, CALL_ONCE).
void for_each_subgraph_ref(tfl::Operator& op, const std::function<void(std::int32_t&)>& visit) {
  if (auto* o = op.options.AsWhileOptions()) {
    visit(o->cond_subgraph_index);
    visit(o->body_subgraph_index);
  } else if (auto* o = op.options.AsIfOptions()) {
    visit(o->then_subgraph_index);
    visit(o->else_subgraph_index);
  } else if (auto* o = op.options.AsCallOnceOptions()) {
    visit(o->init_subgraph_index);
  }
}

// Drops subgraphs not reachable from subgraph 0 or a signature's subgraph, renumbering the
// references to those kept.
void remove_unreachable_subgraphs(tfl::Model& model) {
  const auto n = model.subgraphs.size();
  std::vector<bool> reached(n, false);
  std::vector<std::size_t> work;
  auto reach = [&](std::size_t s) {
    if (s < n && !reached[s]) {
      reached[s] = true;
      work.push_back(s);
    }
  };
  if (n > 0) reach(0);
  for (const auto& sig : model.signatures) reach(sig.subgraph);
  while (!work.empty()) {
    const auto s = work.back();
    work.pop_back();
    for (auto& op : model.subgraphs[s].operators) {
      for_each_subgraph_ref(op, [&](std::int32_t& ref) {
        if (ref >= 0) reach(static_cast<std::size_t>(ref));
      });
    }
  }
  if (std::find(reached.begin(), reached.end(), false) == reached.end()) return;
  std::vector<std::int32_t> remap(n, -1);
  std::vector<tfl::Subgraph> kept;
  for (std::size_t s = 0; s < n; ++s) {
    if (!reached[s]) continue;
    remap[s] = static_cast<std::int32_t>(kept.size());
    kept.push_back(std::move(model.subgraphs[s]));
  }
  model.subgraphs = std::move(kept);
  for (auto& sg : model.subgraphs) {
    for (auto& op : sg.operators) {
      for_each_subgraph_ref(op, [&](std::int32_t& ref) {
        if (ref >= 0 && static_cast<std::size_t>(ref) < n) ref = remap[ref];
      });
    }
  }
  for (auto& sig : model.signatures) sig.subgraph = static_cast<std::uint32_t>(remap[sig.subgraph]);
}

}  // namespace

void remove_unused(tfl::Model& model) {
  remove_unreachable_subgraphs(model);
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
