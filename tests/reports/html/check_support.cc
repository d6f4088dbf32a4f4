#include "tests/reports/html/check_support.h"

#include <catch2/catch.hpp>

#include "analyzer/loaders/load.h"
#include "analyzer/passes/infer_shapes.h"
#include "reports/graph_sketch.h"
#include "rules/engine/engine.h"
#include "rules/engine/op_coverage.h"

namespace litelint::testing {

reports::ModelReport check_model(const std::filesystem::path& path, ir::Graph* graph_out) {
  auto model = analyzer::load(path);
  REQUIRE(model);
  reports::ModelReport report;
  report.path = path.string();
  report.format = std::string(ir::format_name(model->format));
  report.size = model->file_bytes;
  ir::Graph& graph = model->graph();
  rules::LintOptions options;
  options.shape_diagnostics = passes::infer_shapes(graph).diagnostics;
  report.result = rules::lint(graph, options);
  report.op_coverage = rules::op_coverage(graph);
  report.graph = reports::sketch_graph(graph, options, report.result);
  if (graph_out != nullptr) *graph_out = graph;
  return report;
}

reports::RunReport run_of(std::vector<reports::ModelReport> models, bool batch) {
  reports::RunReport run;
  run.tool_version = "test";
  run.profile = rules::make_profile(rules::Target::Builtins, false);
  run.models = std::move(models);
  run.batch = batch || run.models.size() > 1;
  return run;
}

}  // namespace litelint::testing
