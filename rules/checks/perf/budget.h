#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analyzer/footprint/footprint.h"
#include "rules/checks/graph/graph_import.h"
#include "rules/engine/rule_context.h"

// What the LL5xx budget rules share: the model's footprint, measured as analyze() measures it
// for the reports, and reporting at the top contributor with the next ones named.
namespace litelint::rules::checks {

/// The footprint of the graph under the rule context's signature and outputs. Rules call it
/// only when their budget is set, so a run without budgets measures once (in analyze()).
inline footprint::Footprint measured_footprint(const RuleContext& ctx) {
  return footprint::measure(ctx.graph(), {ctx.options().signature, ctx.options().outputs});
}

/// "node" of a "node:1" tensor name.
inline std::string_view node_of(std::string_view tensor) {
  const auto colon = tensor.rfind(':');
  return colon == std::string_view::npos ? tensor : tensor.substr(0, colon);
}

/// Reports `cause` with `suggestion` at the node named `name`: in the main graph, else in the
/// first function body that has it (the footprint inlines calls, so a contributor may sit in
/// a body).
inline void report_at_named(RuleContext& ctx, std::string_view name, std::string cause,
                            std::string suggestion) {
  const ir::Graph& g = ctx.graph();
  if (const ir::Node* n = g.nodes.find(name)) {
    report_at(ctx, *n, nullptr, std::move(cause)).suggestion(std::move(suggestion));
    return;
  }
  for (const auto& f : g.functions) {
    if (const ir::Node* n = f.body.find(name)) {
      report_at(ctx, *n, &f, std::move(cause)).suggestion(std::move(suggestion));
      return;
    }
  }
}

/// "'a' [3,3,64,64] 144.0 KiB, 'b' ..." for the first three entries.
inline std::string tensor_list(const std::vector<footprint::TensorSize>& list) {
  std::string out;
  for (std::size_t i = 0; i < list.size() && i < 3; ++i) {
    out += fmt::format("{}'{}' {} {}", i ? ", " : "", list[i].tensor, list[i].shape,
                       footprint::byte_size(list[i].bytes));
  }
  return out;
}

}  // namespace litelint::rules::checks
