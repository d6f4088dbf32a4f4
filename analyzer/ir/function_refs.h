#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/attr_value.h"
#include "analyzer/ir/graph.h"
#include "analyzer/ir/node.h"

namespace litelint::ir {

namespace detail {

// FuncRef attrs nest (a While's body with its own func-valued attrs); real graphs stay within
// a few levels, and the bound keeps a hostile file from recursing deeply.
inline constexpr int kMaxFuncRefDepth = 8;

template <typename Visit>
void visit_attr_functions(const AttrValue& value, Visit& visit, int depth) {
  if (depth > kMaxFuncRefDepth) return;
  if (const auto* f = value.as_func()) {
    visit(f->name);
    for (const auto& [key, nested] : f->attrs) visit_attr_functions(nested, visit, depth + 1);
  } else if (const auto* list = value.as_list()) {
    for (const auto& f : list->func) {
      visit(f.name);
      for (const auto& [key, nested] : f.attrs) visit_attr_functions(nested, visit, depth + 1);
    }
  }
}

}  // namespace detail

/// Calls `visit(const std::string&)` with every function name a node refers to: func-valued
/// attrs (f, body, cond, then_branch, branches, ... and the attrs nested in them), then its
/// op type, which calls a library function when it names one. The caller decides which
/// names are library functions. Builds no list: this runs for every node of a graph.
template <typename Visit>
void for_each_function_ref(const Node& node, Visit&& visit) {
  for (const auto& [key, value] : node.attrs) detail::visit_attr_functions(value, visit, 0);
  visit(node.op);
}

/// The same for a function's own attrs (e.g. a gradient or forward function it names).
template <typename Visit>
void for_each_function_ref(const Function& fn, Visit&& visit) {
  for (const auto& [key, value] : fn.attrs) detail::visit_attr_functions(value, visit, 0);
}

/// Every function name a node refers to (for_each_function_ref as a list).
std::vector<std::string> function_refs(const Node& node);

/// True when the Keras LSTM function is one the converter fuses: PrepareCompositeFunctions
/// replaces a function tagged api_implements "lstm_<id>" by one UNIDIRECTIONAL_SEQUENCE_LSTM
/// builtin, so its body (tensor lists, a While loop) never reaches legalization.
bool is_fused_composite(const Function& fn);

}  // namespace litelint::ir
