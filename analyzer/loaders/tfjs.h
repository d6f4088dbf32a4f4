#pragma once

#include <cstddef>
#include <string_view>

#include "analyzer/ir/model.h"
#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/load.h"
#include "analyzer/support/expected.h"
#include "analyzer/support/input_limits.h"

namespace litelint::analyzer {

/// model.json larger than this is refused before it is read: the largest published graph
/// models have a few MB of topology, and parsing holds the text plus its DOM in memory.
inline constexpr std::uint64_t kMaxTfjsModelJsonBytes = std::uint64_t{512} << 20;

/// Deepest JSON nesting accepted in model.json. A GraphDef nests about 12 deep; the limit
/// keeps `[[[[...` from exhausting the stack of the recursive parts of JSON handling.
/// The json-nesting row of kInputLimits.
inline constexpr std::size_t kMaxTfjsJsonDepth = input_limit_info(InputLimit::JsonNesting).default_value;

/// Reads a TF.js graph model (Format::GraphModel: `detected.main_file` is model.json) into a
/// Model with one validated Graph. Weights from `weightsManifest` become lazy `value` tensors
/// of the Const nodes they belong to (dequantized on load()); when none of the shard files
/// exists the topology is still loaded and Model::metadata says "weights: not present".
/// Never throws; errors name the file.
Expected<ir::Model> load_tfjs(const Detected& detected, const LoadOptions& options);

/// Deepest nesting of arrays/objects in `json_text` (strings skipped), counting only up to
/// `limit + 1`, so the scan is cheap and never recursive.
std::size_t json_nesting_depth(std::string_view json_text, std::size_t limit);

}  // namespace litelint::analyzer
