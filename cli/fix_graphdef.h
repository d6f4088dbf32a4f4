#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/ir/model.h"
#include "analyzer/support/expected.h"

namespace litelint::cli {

/// What write_frozen_graph wrote: the file and the arrays to give from_frozen_graph.
struct FrozenGraph {
  std::filesystem::path file;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
};

/// Writes `model`'s graph for one signature (`signatures` names it; empty: the model's only
/// one) as a frozen GraphDef, DIR/frozen_graph.pb, that tf.compat.v1.import_graph_def loads:
/// function calls inlined, read-only variables as constants, only what the outputs need. Fails
/// for graphs with control-flow bodies (While, If), which a GraphDef would carry as library
/// functions this writer does not produce yet.
Expected<FrozenGraph> write_frozen_graph(const ir::Model& model, const std::filesystem::path& dir,
                                         const std::vector<std::string>& signatures,
                                         const std::vector<std::string>& inputs,
                                         const std::vector<std::string>& outputs);

}  // namespace litelint::cli
