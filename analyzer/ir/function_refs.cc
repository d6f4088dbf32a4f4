#include "analyzer/ir/function_refs.h"

namespace litelint::ir {

std::vector<std::string> function_refs(const Node& node) {
  std::vector<std::string> names;
  for_each_function_ref(node, [&](const std::string& name) { names.push_back(name); });
  return names;
}

bool is_fused_composite(const Function& fn) {
  for (const char* key : {"api_implements", "_implements"}) {
    auto it = fn.attrs.find(key);
    if (it == fn.attrs.end()) continue;
    if (const auto* s = it->second.as_string(); s && s->starts_with("lstm_")) return true;
  }
  return false;
}

}  // namespace litelint::ir
