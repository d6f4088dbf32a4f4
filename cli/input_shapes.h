#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/ir/shape.h"
#include "analyzer/support/expected.h"

namespace litelint::cli {

/// Parses `--input-shape NAME=D1,D2,...` flags (convert and fix) into fixed input shapes.
Expected<std::map<std::string, ir::Shape>> parse_input_shapes(const std::vector<std::string>& specs);

}  // namespace litelint::cli
