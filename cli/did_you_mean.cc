#include "cli/did_you_mean.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace litelint::cli {
namespace {

std::string folded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Levenshtein distance with one row; names are short.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> close_names(std::string_view name, std::span<const std::string> candidates,
                                     std::size_t limit) {
  const std::string want = folded(name);
  // A third of the name may be wrong (at least two characters), as in git's and clang's
  // suggestions; a candidate that contains the whole name is close too ("Conv" -> Conv2D).
  const std::size_t budget = std::max<std::size_t>(2, want.size() / 3);
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> scored;  // distance, order, name
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string have = folded(candidates[i]);
    std::size_t d = edit_distance(want, have);
    if (d > budget && !(want.size() >= 3 && have.find(want) != std::string::npos)) continue;
    scored.emplace_back(d, i, candidates[i]);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, i, candidate] : scored) {
    if (out.size() == limit) break;
    if (std::find(out.begin(), out.end(), candidate) == out.end()) out.push_back(std::move(candidate));
  }
  return out;
}

std::string unknown_name_message(std::string_view what, std::string_view name,
                                 std::span<const std::string> candidates, std::string_view hint) {
  std::string out = "unknown " + std::string(what) + " '" + std::string(name) + "'";
  const auto close = close_names(name, candidates);
  for (std::size_t i = 0; i < close.size(); ++i) {
    out += (i == 0 ? "; did you mean: " : ", ") + close[i];
  }
  if (!close.empty()) out += '?';
  if (!hint.empty()) out += " (" + std::string(hint) + ")";
  return out;
}

}  // namespace litelint::cli
