#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/testing.h"

namespace litelint::testing {

/// Runs `litelint check ARGS...` in `dir` with LITELINT_REPRODUCIBLE=1 (timings zeroed), so
/// relative model paths and byte-stable output make reports comparable across machines.
CommandResult run_check_in(const std::filesystem::path& dir, const std::vector<std::string>& args);

/// Parses a report printed by `check --format json`; fails the test when it is not JSON.
nlohmann::json parse_report(const CommandResult& run);

/// `diff -u` of two files, for failure messages.
std::string unified_diff(const std::filesystem::path& expected, const std::filesystem::path& actual);

}  // namespace litelint::testing
