#include "reports/convert_report.h"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "reports/json_report.h"

namespace litelint::reports {
namespace {

using nlohmann::json;

// Operator counts over every subgraph, most frequent first, then by name.
std::vector<std::pair<std::string, int>> ops_by_count(const converter::ConvertReport& report) {
  std::map<std::string, int> total;
  for (const auto& [subgraph, ops] : report.ops_per_subgraph) {
    for (const auto& [op, count] : ops) total[op] += count;
  }
  std::vector<std::pair<std::string, int>> out(total.begin(), total.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// Decimal units, as `ls -h --si` and TFLite's benchmark tools print model sizes.
std::string human_bytes(std::uint64_t bytes) {
  if (bytes < 1000) return fmt::format("{} bytes", bytes);
  if (bytes < 1000 * 1000) return fmt::format("{:.1f} kB", static_cast<double>(bytes) / 1e3);
  if (bytes < 1000ULL * 1000 * 1000) return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
  return fmt::format("{:.2f} GB", static_cast<double>(bytes) / 1e9);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

json convert_report_json(const ConvertRun& run) {
  const converter::ConvertReport& r = run.conversion->report;
  json nodes = json::array();
  for (const auto& n : r.nodes) {
    nodes.push_back({{"subgraph", n.subgraph},
                     {"tf_node", n.tf_node},
                     {"tf_op", n.tf_op},
                     {"tflite_ops", n.tflite_ops}});
  }
  json ops_per_subgraph = json::object();
  for (const auto& [subgraph, ops] : r.ops_per_subgraph) ops_per_subgraph[subgraph] = ops;
  int operators = 0;
  for (const auto& [op, count] : ops_by_count(r)) operators += count;
  json convert_ms = json::object();
  for (const auto& [stage, ms] : r.milliseconds) convert_ms[stage] = ms;
  json input = {{"path", run.input_path}, {"format", run.input_format}, {"size", run.input_size}};
  if (!run.input_sha256.empty()) input["sha256"] = run.input_sha256;
  return {{"schema_version", kConvertSchemaVersion},
          {"tool", {{"name", "litelint"}, {"version", run.tool_version}}},
          {"input", std::move(input)},
          {"output", {{"path", run.output_path}, {"size", run.conversion->tflite_size}}},
          {"target", run.target},
          {"allow_custom_ops", run.allow_custom_ops},
          {"optimize", run.optimize},
          {"signatures", run.signatures},
          {"passes", r.passes},
          {"nodes", std::move(nodes)},
          {"fusions", r.fusions},
          {"fusions_declined", r.fusions_declined},
          {"operators", operators},
          {"ops_per_subgraph", std::move(ops_per_subgraph)},
          {"bytes_per_section", r.bytes_per_section},
          {"flex_ops", r.flex_ops},
          {"custom_ops", r.custom_ops},
          {"min_runtime_version", r.min_runtime_version},
          {"timings",
           {{"load_ms", run.analysis.load_ms},
            {"shapes_ms", run.analysis.shapes_ms},
            {"lint_ms", run.analysis.lint_ms},
            {"convert_ms", std::move(convert_ms)},
            {"write_ms", run.write_ms},
            {"total_ms", run.total_ms}}}};
}

std::string render_convert_report(const ConvertRun& run) { return dump_json(convert_report_json(run)); }

std::string convert_summary(const ConvertRun& run) {
  const converter::ConvertReport& r = run.conversion->report;
  const auto ops = ops_by_count(r);
  int operators = 0;
  for (const auto& [op, count] : ops) operators += count;
  // The commonest few say what kind of model it is; the JSON report has them all.
  constexpr std::size_t kShownOps = 5;
  std::string op_list;
  for (std::size_t i = 0; i < ops.size() && i < kShownOps; ++i) {
    op_list += fmt::format("{}{} {}", i == 0 ? "" : ", ", ops[i].first, ops[i].second);
  }
  if (ops.size() > kShownOps) op_list += ", ...";
  std::string line = fmt::format("wrote {}: {}", run.output_path,
                                 plural(static_cast<std::size_t>(operators), "operator", "operators"));
  if (!op_list.empty()) line += " (" + op_list + ")";
  line += ", " + human_bytes(run.conversion->tflite_size);
  line += ", " + plural(run.conversion->signature_defs, "signature", "signatures");
  if (!r.min_runtime_version.empty()) line += ", min runtime " + r.min_runtime_version;
  const auto join = [](const std::vector<std::string>& names) {
    return fmt::format("{}", fmt::join(names, ", "));
  };
  if (!r.flex_ops.empty()) line += "; Flex ops: " + join(r.flex_ops);
  if (!r.custom_ops.empty()) line += "; custom ops the app must register: " + join(r.custom_ops);
  line += "\n";
  // A composite left unfused converts as its loop: larger and slower than TensorFlow's.
  for (const auto& why : r.fusions_declined) line += "note: not fused: " + why + "\n";
  return line;
}

}  // namespace litelint::reports
