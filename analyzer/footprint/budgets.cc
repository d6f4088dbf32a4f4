#include "analyzer/footprint/budgets.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

namespace litelint::footprint {

Expected<std::uint64_t> parse_budget(std::string_view text, std::string_view key) {
  const auto bad = [&] {
    return fail(ErrorCode::Usage, std::string(key) + ": '" + std::string(text) +
                                      "' is not a budget (a number with an optional unit: 300M, 1.5G, "
                                      "20MB, 20MiB)");
  };
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
  if (end == 0) return bad();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, value);
  if (ec != std::errc() || ptr != text.data() + end) return bad();
  std::string_view unit = text.substr(end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  static constexpr std::array<std::pair<std::string_view, double>, 14> kUnits = {{
      {"", 1}, {"B", 1}, {"k", 1e3}, {"K", 1e3}, {"kB", 1e3}, {"KB", 1e3}, {"M", 1e6}, {"MB", 1e6},
      {"G", 1e9}, {"GB", 1e9}, {"T", 1e12}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
  }};
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    const double n = value * scale;
    if (!std::isfinite(n) || n >= 1.8e19) return bad();
    return static_cast<std::uint64_t>(n + 0.5);
  }
  return bad();
}

}  // namespace litelint::footprint
