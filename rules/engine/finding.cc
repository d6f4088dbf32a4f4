#include "rules/engine/finding.h"

#include <fmt/format.h>

namespace litelint::rules {

namespace {
constexpr std::size_t kNamedNodes = 3;  // a group's message names this many nodes
}  // namespace

std::string group_message(const std::vector<FindingNode>& nodes, const std::string& op,
                          const std::string& cause) {
  if (nodes.size() == 1) return fmt::format("node '{}' ({}): {}", nodes[0].name, op, cause);
  std::string names;
  for (std::size_t i = 0; i < nodes.size() && i < kNamedNodes; ++i) {
    if (i) names += ", ";
    names += fmt::format("'{}'", nodes[i].name);
  }
  if (nodes.size() > kNamedNodes) names += fmt::format(" and {} more", nodes.size() - kNamedNodes);
  return fmt::format("nodes {} ({}): {}", names, op, cause);
}

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "note";
}

std::string_view to_string(Impact i) {
  switch (i) {
    case Impact::None: return "none";
    case Impact::Flex: return "flex";
    case Impact::Custom: return "custom";
    case Impact::FlexOrFail: return "flex-or-fail";
    case Impact::Fails: return "fails";
  }
  return "none";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::Error;
  if (text == "warning") return Severity::Warning;
  if (text == "note") return Severity::Note;
  return std::nullopt;
}

}  // namespace litelint::rules
