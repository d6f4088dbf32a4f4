#pragma once

// Shared pieces of the element-wise colour-space fixes (RGBToHSV, HSVToRGB, AdjustSaturation):
// which node they rewrite, its three channels in and out, and the float32 scalar and select
// builders their arithmetic is written with. The arithmetic itself stays in each fix, since
// each follows its own TensorFlow kernel's order of operations.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/support/expected.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"

namespace litelint::rules {

/// The channel axis (the last one, of size 3) of a float32 `op` node with `data_inputs` data
/// inputs when it can be rewritten; else nullopt, with why not when it is such a node.
std::optional<std::int64_t> colour_channel_axis(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                                                const std::string& op, std::size_t data_inputs, std::string& why_not);

/// One match of fix `fix_id` per node of `finding` that colour_channel_axis accepts.
std::vector<FixMatch> match_colour_nodes(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                         std::size_t data_inputs, const std::string& fix_id, std::string& why_not);

/// The matched node (copied: the rewrite changes the body) and its channel axis.
Expected<std::pair<ir::Node, std::int64_t>> colour_match_node(const ir::Graph& graph, const FixMatch& match,
                                                              const std::string& op, std::size_t data_inputs);

/// The three channels of `in` along `axis`, from one Unpack named `suffix`.
std::array<ir::TensorRef, 3> unpack_channels(RewriteBuilder& b, const std::string& suffix, const ir::TensorRef& in,
                                             std::int64_t axis);
/// Three channels packed along `axis` by one Pack named `suffix`.
ir::TensorRef pack_channels(RewriteBuilder& b, const std::string& suffix, std::vector<ir::TensorRef> channels,
                            std::int64_t axis);
/// A float32 scalar Const.
ir::TensorRef f32_scalar(RewriteBuilder& b, const std::string& suffix, float value);
/// SelectV2 of float32 `x` where `cond`, else `y`.
ir::TensorRef f32_select(RewriteBuilder& b, const std::string& suffix, ir::TensorRef cond, ir::TensorRef x,
                         ir::TensorRef y);

}  // namespace litelint::rules
