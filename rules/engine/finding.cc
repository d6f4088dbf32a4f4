#include "rules/engine/finding.h"

#include <algorithm>

#include <fmt/format.h>

namespace litelint::rules {

namespace {
constexpr std::size_t kNamedNodes = 3;  // a group's message names this many nodes (and layers)

// "layer 'lstm_1' (LSTM): " for the Keras layers the nodes came from, in node order; "" when
// none did. Users write layers, not the ops Keras traces for them, so the layer leads.
std::string layer_prefix(const std::vector<FindingNode>& nodes) {
  std::vector<const FindingNode*> layers;
  for (const auto& n : nodes) {
    if (n.keras_layer.empty()) continue;
    auto same = [&](const FindingNode* l) {
      return l->keras_layer == n.keras_layer && l->keras_class == n.keras_class;
    };
    if (std::none_of(layers.begin(), layers.end(), same)) layers.push_back(&n);
  }
  if (layers.empty()) return "";
  std::string names;
  for (std::size_t i = 0; i < layers.size() && i < kNamedNodes; ++i) {
    if (i) names += ", ";
    names += fmt::format("'{}' ({})", layers[i]->keras_layer, layers[i]->keras_class);
  }
  if (layers.size() > kNamedNodes) names += fmt::format(" and {} more", layers.size() - kNamedNodes);
  return fmt::format("{} {}: ", layers.size() == 1 ? "layer" : "layers", names);
}
}  // namespace

std::string group_message(const std::vector<FindingNode>& nodes, const std::string& op,
                          const std::string& cause) {
  const std::string layers = layer_prefix(nodes);
  if (nodes.size() == 1) return fmt::format("{}node '{}' ({}): {}", layers, nodes[0].name, op, cause);
  std::string names;
  for (std::size_t i = 0; i < nodes.size() && i < kNamedNodes; ++i) {
    if (i) names += ", ";
    names += fmt::format("'{}'", nodes[i].name);
  }
  if (nodes.size() > kNamedNodes) names += fmt::format(" and {} more", nodes.size() - kNamedNodes);
  return fmt::format("{}nodes {} ({}): {}", layers, names, op, cause);
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
