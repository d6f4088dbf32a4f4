#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// What `litelint ops [NAME]` prints: the op database's answer to "is X supported?".

namespace litelint::rules {

/// Human-readable answer for a TF op type and/or TFLite builtin named `name` (both when the
/// name is both, e.g. "RFFT2D"); an overview of the database when `name` is empty; for an
/// unknown name, a line saying so with close spellings. Ends with a newline.
std::string describe_op(std::string_view name);

/// The same as JSON: {"query", "tf_op": {...}|null, "builtin": {...}|null, "suggestions"}, or
/// {"tf_ops": {status: count}, "builtins": n, "flex_allowlist": n, "delegates": [...]} when
/// `name` is empty.
nlohmann::json describe_op_json(std::string_view name);

}  // namespace litelint::rules
