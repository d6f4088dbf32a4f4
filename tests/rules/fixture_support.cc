#include "tests/rules/fixture_support.h"

#include <catch2/catch.hpp>

#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/graphdef.h"
#include "analyzer/loaders/load.h"
#include "analyzer/loaders/savedmodel.h"
#include "analyzer/passes/infer_shapes.h"

namespace litelint::testing {

ir::Model load_model(const std::filesystem::path& path) {
  auto detected = analyzer::detect_format(path);
  REQUIRE(detected);
  // The loaders directly: load() dispatches to them once every loader is wired.
  Expected<ir::Model> model = [&]() -> Expected<ir::Model> {
    switch (detected->format) {
      case ir::Format::SavedModel:
      case ir::Format::SavedModelText: return analyzer::load_saved_model(*detected, {});
      case ir::Format::GraphDefBinary:
      case ir::Format::GraphDefText:
      case ir::Format::MetaGraphDefBinary:
      case ir::Format::MetaGraphDefText: return analyzer::load_graphdef(*detected, {});
      default: return analyzer::load(path);
    }
  }();
  INFO(path.string());
  if (!model) FAIL(model.error().message());
  return std::move(*model);
}

rules::LintResult check(ir::Model& model, rules::LintOptions options) {
  auto report = passes::infer_shapes(model.graph());
  options.shape_diagnostics = report.diagnostics;
  return rules::lint(model.graph(), options);
}

}  // namespace litelint::testing
