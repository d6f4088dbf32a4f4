#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analyzer/ir/model.h"

namespace litelint::reports {

/// `litelint inspect --format json`: what a model contains, for programs. Top-level keys
/// include `format` and `op_types` (the corpus manifest's `ops`).
nlohmann::json inspect_json(const ir::Model& model);

/// `litelint inspect`: the same facts laid out for people.
std::string inspect_text(const ir::Model& model);

}  // namespace litelint::reports
