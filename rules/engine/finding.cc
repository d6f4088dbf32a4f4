#include "rules/engine/finding.h"

namespace litelint::rules {

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
