#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/footprint/footprint.h"

// How each report format shows a model's footprint (analyzer/footprint); the renderers call
// these so that the numbers read the same everywhere.
namespace litelint::reports {

/// The `footprint` object of the JSON report (check-report schema 1.2.0).
nlohmann::json footprint_json(const footprint::Footprint& fp);

/// The text summary's block: three lines, each indented by two spaces after the first.
std::string footprint_text(const footprint::Footprint& fp);

/// One line per fact for Markdown: a bullet list of size, MACs and peak activations with
/// the top ops and tensors. `escape` makes node names safe in Markdown.
std::string footprint_markdown(const footprint::Footprint& fp, std::string (*escape)(std::string_view));

/// "1.2 G MACs", with "(unknown dims as 1)" when some were; for table cells.
std::string macs_cell(const footprint::Footprint& fp);

}  // namespace litelint::reports
