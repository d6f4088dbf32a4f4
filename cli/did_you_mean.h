#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace litelint::cli {

/// Up to `limit` candidates close to `name` (case-insensitive edit distance, or containing it),
/// closest first: the "did you mean" list of an unknown-name error.
std::vector<std::string> close_names(std::string_view name, std::span<const std::string> candidates,
                                     std::size_t limit = 5);

/// "unknown <what> '<name>'; did you mean: a, b? (<hint>)": the one line every command prints
/// for a name it does not know, before exiting with the usage code 2. The list is left out when
/// nothing is close; the hint ("see litelint rules") when empty.
std::string unknown_name_message(std::string_view what, std::string_view name,
                                 std::span<const std::string> candidates, std::string_view hint);

}  // namespace litelint::cli
