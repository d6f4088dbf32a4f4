#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/formats.h"
#include "reports/html_report.h"
#include "tests/reports/html/check_support.h"
#include "tests/support/testing.h"

namespace {

using litelint::reports::ModelReport;
using litelint::testing::check_model;
using litelint::testing::corpus;
using litelint::testing::run_of;
using nlohmann::json;

constexpr std::string_view kDataOpen = R"(<script type="application/json" id="litelint-data">)";

// The JSON inside the page's data block, parsed as the browser's JSON.parse would.
json embedded_data(const std::string& page) {
  const auto open = page.find(kDataOpen);
  REQUIRE(open != std::string::npos);
  const auto start = open + kDataOpen.size();
  const auto end = page.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return json::parse(page.substr(start, end - start));
}

}  // namespace

TEST_CASE("html report is one page with inline styles, script and the model's data",
          "[reports][html]") {
  const ModelReport model = check_model(corpus("savedmodel/tf_cc_half_plus_two"));
  const std::string page = litelint::reports::render(litelint::reports::ReportFormat::Html,
                                                     run_of({model}));
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(page, Catch::Matchers::Contains("<style>") && Catch::Matchers::Contains("--error:"));
  CHECK_THAT(page, Catch::Matchers::Contains("function layoutBlock(") && Catch::Matchers::Contains("LitelintGraph.create("));
  // Self-contained: nothing to fetch (the SVG namespace URI is a name, not a request).
  CHECK_THAT(page, !Catch::Matchers::Contains(" src=") && !Catch::Matchers::Contains(" href="));
  CHECK_THAT(page, !Catch::Matchers::Contains("https://"));
  CHECK_THAT(page, !Catch::Matchers::Contains("@LITELINT_"));

  const json data = embedded_data(page);
  REQUIRE(data.at("models").size() == 1);
  const json& doc = data["models"][0];
  CHECK(doc.at("verdict") == "needs-select-tf-ops");
  CHECK(doc.at("findings").at(0).at("code") == "LL101");
  CHECK(doc["findings"][0]["nodes"][0]["name"] == "ParseExample/ParseExample");
  CHECK(data.at("rules").at("LL101").at("name") == "select-tf-op");
  // The graph view's data holds the offending node with its op.
  bool drawn = false;
  for (const auto& node : doc.at("graph").at("graphs").at(0).at("nodes")) {
    if (node[0] == "ParseExample/ParseExample") drawn = node[1] == "ParseExample";
  }
  CHECK(drawn);
}

TEST_CASE("html report keeps '</script>' in model strings from ending the data block",
          "[reports][html][escaping]") {
  ModelReport model = check_model(corpus("savedmodel/tf_cc_half_plus_two"));
  REQUIRE_FALSE(model.result.findings.empty());
  const std::string hostile = "</script><script>alert(1)</script><!-- \xff";
  model.result.findings[0].message = hostile;
  const std::string page = litelint::reports::render_html(run_of({model}));
  CHECK_THAT(page, !Catch::Matchers::Contains("alert(1)</script>"));
  const json data = embedded_data(page);
  // Invalid UTF-8 becomes U+FFFD instead of aborting the report.
  CHECK(data["models"][0]["findings"][0]["message"] ==
        "</script><script>alert(1)</script><!-- \xEF\xBF\xBD");
}

TEST_CASE("html report of a batch lists every model, unreadable ones with their reason",
          "[reports][html][batch]") {
  ModelReport broken;
  broken.path = "zoo/broken";
  broken.error = "zoo/broken: saved_model.pb: truncated";
  const auto run = run_of({check_model(corpus("savedmodel/tf_cc_half_plus_two")), broken});
  const json data = embedded_data(litelint::reports::render_html(run));
  CHECK(data.at("batch") == true);
  REQUIRE(data.at("models").size() == 2);
  CHECK(data["models"][1].at("error") == "zoo/broken: saved_model.pb: truncated");
  CHECK_FALSE(data["models"][1].contains("graph"));
}

TEST_CASE("html and model-explorer are --format names with their own output files",
          "[reports][html][formats]") {
  using litelint::reports::ReportFormat;
  CHECK(litelint::reports::parse_report_format("html") == ReportFormat::Html);
  CHECK(litelint::reports::parse_report_format("model-explorer") == ReportFormat::ModelExplorer);
  CHECK(litelint::reports::default_file_name(ReportFormat::Html) == "litelint.html");
  CHECK(litelint::reports::default_file_name(ReportFormat::ModelExplorer) ==
        "litelint.model-explorer.json");
}
