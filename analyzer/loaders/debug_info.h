#pragma once

#include <cstddef>

#include "analyzer/ir/graph.h"
#include "analyzer/proto/graph_debug_info.pb.h"

namespace litelint::analyzer {

/// At most this many frames are kept per node (the innermost ones): traces are shared by id,
/// so without a cap a small file could make every node copy a huge trace.
inline constexpr std::size_t kMaxStackFrames = 64;

/// Attaches the Python stack frames of a GraphDebugInfo (a SavedModel's
/// debug/saved_model_debug_info.pb, or GraphDef.debug_info) to the nodes they describe:
/// key "node" for top-level nodes, "node@function" for function bodies. Reads both layouts:
/// `traces` with inline file_line_cols (older writers) and `name_to_trace_id` +
/// `traces_by_id` + `frames_by_id` (newer). Entries naming unknown nodes or out-of-range file
/// indexes are skipped. Sets Graph::has_debug_info when any node got a stack.
void apply_debug_info(ir::Graph& graph, const tensorflow::GraphDebugInfo& info);

}  // namespace litelint::analyzer
