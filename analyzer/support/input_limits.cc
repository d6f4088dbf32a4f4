#include "analyzer/support/input_limits.h"

#include <charconv>

namespace litelint {
namespace {

// Set once from the command line before anything is loaded; see set_input_limits().
std::array<std::uint64_t, kInputLimits.size()> current = [] {
  std::array<std::uint64_t, kInputLimits.size()> values{};
  for (std::size_t i = 0; i < kInputLimits.size(); ++i) values[i] = kInputLimits[i].default_value;
  return values;
}();

std::string known_names() {
  std::string names;
  for (const auto& row : kInputLimits) {
    if (!row.raisable) continue;
    if (!names.empty()) names += ", ";
    names += row.name;
  }
  return names;
}

}  // namespace

std::uint64_t input_limit(InputLimit limit) { return current[static_cast<std::size_t>(limit)]; }

Expected<void> set_input_limits(const std::vector<std::string>& settings) {
  for (const auto& setting : settings) {
    const auto eq = setting.find('=');
    const std::string_view name = std::string_view(setting).substr(0, eq);
    const InputLimitInfo* row = nullptr;
    for (const auto& r : kInputLimits) {
      if (r.name == name) row = &r;
    }
    if (row == nullptr) {
      return fail(ErrorCode::Usage, "--limit: unknown limit '" + std::string(name) + "' (" + known_names() + ")");
    }
    if (!row->raisable) {
      return fail(ErrorCode::Usage, "--limit: '" + std::string(name) + "' is fixed at " +
                                        std::to_string(row->default_value) + ": " + std::string(row->reason));
    }
    std::uint64_t value = 0;
    const char* first = eq == std::string::npos ? setting.data() + setting.size() : setting.data() + eq + 1;
    const char* last = setting.data() + setting.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (first == last || ec != std::errc() || end != last || value == 0) {
      return fail(ErrorCode::Usage, "--limit: expected " + std::string(name) + "=N with N a positive integer, got '" +
                                        setting + "'");
    }
    current[static_cast<std::size_t>(row->limit)] = value;
  }
  return {};
}

Error input_limit_error(InputLimit limit, std::string_view what, std::uint64_t value) {
  const auto& row = input_limit_info(limit);
  std::string reason = std::string(what) + " is " + std::to_string(value) + " " + std::string(row.unit) +
                       ", over the " + std::string(row.name) + " limit of " + std::to_string(input_limit(limit));
  reason += row.raisable ? " (raise it with --limit " + std::string(row.name) + "=N)" : " (a fixed limit)";
  return Error(ErrorCode::BadInput, std::move(reason));
}

Expected<void> check_input_limit(InputLimit limit, std::string_view what, std::uint64_t value) {
  if (value <= input_limit(limit)) return {};
  return tl::unexpected<Error>(input_limit_error(limit, what, value));
}

}  // namespace litelint
