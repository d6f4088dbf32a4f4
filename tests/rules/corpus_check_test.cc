#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/graphdef.h"
#include "analyzer/loaders/savedmodel.h"
#include "analyzer/passes/infer_shapes.h"
#include "rules/engine/engine.h"
#include "tests/support/testing.h"

namespace lr = litelint::rules;

// Every readable TensorFlow-graph model of the corpus goes through the whole check: no crash,
// no hang, and every finding well formed. Prints the verdict table with -s for calibration.
TEST_CASE("lint runs on every readable corpus graph and gives well-formed findings",
          "[rules][corpus][smoke]") {
  auto manifest = nlohmann::json::parse(
      litelint::testing::slurp(litelint::testing::corpus_root() / "MANIFEST.json"));
  std::map<std::string, int> verdicts;
  int checked = 0;
  for (const auto& entry : manifest.at("entries")) {
    const std::string format = entry.value("format", "");
    if (format != "savedmodel" && format != "graphdef-binary" && format != "graphdef-text" &&
        format != "savedmodel-text" && format != "metagraphdef-text" &&
        format != "metagraphdef-binary") {
      continue;
    }
    // A GraphDef entry's path is its directory; the file is main_file.
    const auto path = litelint::testing::corpus_root() /
                      entry.at(format.starts_with("savedmodel") ? "path" : "main_file")
                          .get<std::string>();
    auto detected = litelint::analyzer::detect_format(path);
    if (!detected) {
      if (std::getenv("LITELINT_PRINT_VERDICTS")) std::printf("SKIP %s: %s\n", entry.at("id").get<std::string>().c_str(), detected.error().message().c_str());
      continue;
    }
    const bool saved_model = detected->format == litelint::ir::Format::SavedModel ||
                             detected->format == litelint::ir::Format::SavedModelText;
    auto model = saved_model
                     ? litelint::analyzer::load_saved_model(*detected, {})
                     : litelint::analyzer::load_graphdef(*detected, {});
    if (!model) {  // malformed inputs are the loaders' tests
      if (std::getenv("LITELINT_PRINT_VERDICTS")) std::printf("SKIP %s: %s\n", entry.at("id").get<std::string>().c_str(), model.error().message().c_str());
      continue;
    }
    auto report = litelint::passes::infer_shapes(model->graph());
    lr::LintOptions options;
    options.shape_diagnostics = report.diagnostics;
    for (auto target : {lr::Target::Builtins, lr::Target::SelectTfOps, lr::Target::Gpu}) {
      options.target = target;
      auto r = lr::lint(model->graph(), options);
      INFO(entry.at("id").get<std::string>());
      for (const auto& f : r.findings) {
        CHECK_FALSE(f.nodes.empty());
        CHECK_FALSE(f.message.empty());
        INFO(f.message);
        CHECK((std::islower(static_cast<unsigned char>(f.cause[0])) ||
               (f.cause.size() > 1 && std::isupper(static_cast<unsigned char>(f.cause[1])))));
        CHECK(f.message.back() != '.');
      }
      if (target == lr::Target::Builtins) {
        ++verdicts[std::string(lr::to_string(r.verdict))];
        if (std::getenv("LITELINT_PRINT_VERDICTS")) {
          std::string codes;
          for (const auto& f : r.findings) {
            if (f.impact == lr::Impact::None) continue;
            codes += " " + f.code + ":" + f.op;
            if (std::string(std::getenv("LITELINT_PRINT_VERDICTS")) == "2") {
              codes += "\n    " + f.message;
            }
          }
          std::printf("%-80s %-24s%s\n", entry.at("id").get<std::string>().c_str(),
                      std::string(lr::to_string(r.verdict)).c_str(), codes.c_str());
        }
      }
    }
    ++checked;
  }
  CHECK(checked > 100);
  CHECK(verdicts["converts-with-builtins"] > 10);
}
