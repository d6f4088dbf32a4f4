#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace litelint::reports {

/// The data the HTML page draws: the JSON report's model documents (each with its graph
/// sketch under `graph`), the run's tool and target, and metadata of the rules that fired.
nlohmann::json html_data(const RunReport& run);

/// `--format html`: one self-contained page (inline CSS, JS and data; no network) with the
/// verdict banner, fallback plan, filterable findings, op table and a graph view that
/// highlights offending nodes. A batch gets a model picker and a summary table.
std::string render_html(const RunReport& run);

}  // namespace litelint::reports
