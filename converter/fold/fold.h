#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "analyzer/ir/node.h"
#include "converter/legalize/const_value.h"

namespace litelint::converter {

/// Largest result (in elements) a folder materializes. TensorFlow's converter folds larger
/// tensors too, but only shape arithmetic and small tables matter for what it emits; a huge
/// folded tensor would only trade an operator for weight bytes.
inline constexpr std::int64_t kMaxFoldedElements = 1 << 20;

/// What a folder sees: the node, its data inputs' constant values (nullptr when computed at
/// run time) and their static types.
struct FoldInput {
  const ir::Node& node;
  std::span<const ConstValue* const> values;
  std::span<const ir::TensorType> types;
};

/// Computes a node's outputs at conversion time, with TensorFlow's semantics for the op.
/// Returns nullopt when the op has no folder, an input it needs is not constant, or the folder
/// declines (unsupported dtype, result over kMaxFoldedElements).
std::optional<std::vector<ConstValue>> fold(const FoldInput& in);

/// One folder: an op type and its function.
struct Folder {
  std::string_view op;
  std::optional<std::vector<ConstValue>> (*fold)(const FoldInput& in);
};

/// Every folder, sorted by op type (fold/registry.cc).
std::span<const Folder> all_folders();

}  // namespace litelint::converter
