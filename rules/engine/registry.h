#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "rules/engine/rule.h"

namespace litelint::rules {

/// Every rule, sorted by code, built once.
std::span<const std::unique_ptr<Rule>> all_rules();
/// The rule with that code ("LL101") or name ("select-tf-op"), or nullptr.
const Rule* find_rule(std::string_view code_or_name);

}  // namespace litelint::rules
