#include "analyzer/loaders/debug_info.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace litelint::analyzer {
namespace {

ir::StackFrame to_frame(const tensorflow::GraphDebugInfo& info,
                        const tensorflow::GraphDebugInfo::FileLineCol& flc) {
  ir::StackFrame frame;
  if (flc.has_file_index() && flc.file_index() >= 0 && flc.file_index() < info.files_size()) {
    frame.file = info.files(flc.file_index());
  }
  frame.line = flc.line();
  frame.function = flc.func();
  return frame;
}

// Resolves one trace to frames, outermost first as TensorFlow writes them, keeping the
// innermost kMaxStackFrames.
std::vector<ir::StackFrame> resolve(const tensorflow::GraphDebugInfo& info,
                                    const tensorflow::GraphDebugInfo::StackTrace& trace) {
  std::vector<ir::StackFrame> frames;
  if (trace.file_line_cols_size() > 0) {
    const int n = trace.file_line_cols_size();
    const int first = n > static_cast<int>(kMaxStackFrames) ? n - static_cast<int>(kMaxStackFrames) : 0;
    for (int i = first; i < n; ++i) frames.push_back(to_frame(info, trace.file_line_cols(i)));
    return frames;
  }
  const int n = trace.frame_id_size();
  const int first = n > static_cast<int>(kMaxStackFrames) ? n - static_cast<int>(kMaxStackFrames) : 0;
  for (int i = first; i < n; ++i) {
    auto it = info.frames_by_id().find(trace.frame_id(i));
    if (it != info.frames_by_id().end()) frames.push_back(to_frame(info, it->second));
  }
  return frames;
}

using FunctionIndex = std::unordered_map<std::string_view, ir::Function*>;

ir::Node* find_node(ir::Graph& graph, const FunctionIndex& functions, std::string_view key) {
  const auto at = key.rfind('@');
  if (at == std::string_view::npos) return graph.nodes.find(key);
  const std::string_view node = key.substr(0, at);
  const std::string_view function = key.substr(at + 1);
  if (function.empty()) return graph.nodes.find(node);
  auto it = functions.find(function);
  return it == functions.end() ? nullptr : it->second->body.find(node);
}

}  // namespace

void apply_debug_info(ir::Graph& graph, const tensorflow::GraphDebugInfo& info) {
  FunctionIndex functions;
  for (auto& f : graph.functions) functions.emplace(f.name, &f);
  bool any = false;
  auto attach = [&](std::string_view key, const tensorflow::GraphDebugInfo::StackTrace& trace) {
    ir::Node* node = find_node(graph, functions, key);
    if (node == nullptr) return;
    node->stack = resolve(info, trace);
    any = any || !node->stack.empty();
  };
  for (const auto& [key, trace] : info.traces()) attach(key, trace);
  for (const auto& [key, id] : info.name_to_trace_id()) {
    auto it = info.traces_by_id().find(id);
    if (it != info.traces_by_id().end()) attach(key, it->second);
  }
  if (any) graph.has_debug_info = true;
}

}  // namespace litelint::analyzer
