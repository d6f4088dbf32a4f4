#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "converter/convert.h"
#include "reports/report.h"

namespace litelint::reports {

/// Version of the convert report's schema (reports/schema/convert-report.schema.json), kept
/// as kJsonSchemaVersion is for check's: minor for added keys, major for removed or changed
/// ones, each change noted in reports/schema/convert-report.CHANGELOG.md.
inline constexpr const char* kConvertSchemaVersion = "1.1.0";

/// One successful `litelint convert`: what went in, with which options, and what came out.
struct ConvertRun {
  std::string tool_version;  ///< LITELINT_VERSION
  std::string input_path;    ///< as given on the command line
  std::string input_format;  ///< ir::format_name
  std::string input_sha256;
  std::uint64_t input_size = 0;
  std::string output_path;
  std::string target;  ///< "builtins" or "select-tf-ops"
  bool allow_custom_ops = false;
  std::string optimize;                 ///< "none", "dynamic-range", "float16"
  std::vector<std::string> signatures;  ///< as requested; empty: every signature
  Timings analysis;                     ///< load, shapes, lint (total: the analysis only)
  double write_ms = 0;
  double total_ms = 0;  ///< the whole command
  const converter::Conversion* conversion = nullptr;  ///< the converter's bytes and report
};

/// The `--report` document (convert-report.schema.json): schema_version, tool, input,
/// output, options, passes, per-node mapping, fusions, ops per subgraph, bytes per section,
/// Flex and custom ops, min runtime and per-stage times.
nlohmann::json convert_report_json(const ConvertRun& run);

/// convert_report_json, pretty-printed, ending in a newline.
std::string render_convert_report(const ConvertRun& run);

/// The line `convert` prints on success: "wrote OUT.tflite: 12 operators (CONV_2D 3, ...),
/// 1.2 MB, 2 signatures, min runtime 2.3.0", plus the Flex and custom ops when there are any.
std::string convert_summary(const ConvertRun& run);

}  // namespace litelint::reports
