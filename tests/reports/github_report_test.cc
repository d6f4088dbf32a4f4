#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "reports/github_report.h"
#include "tests/support/testing.h"

namespace {

namespace lr = litelint::rules;
namespace rp = litelint::reports;

std::string github_in_corpus(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-C", litelint::testing::corpus_root().string(),
                                   litelint::testing::litelint_binary().string(), "check"};
  argv.insert(argv.end(), args.begin(), args.end());
  // After the paths: --format takes every value that follows it.
  argv.insert(argv.end(), {"--format", "github"});
  auto run = litelint::testing::run_command(argv);
  INFO(run.err);
  REQUIRE((run.exit_code >= 0 && run.exit_code <= 2));
  return run.out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

}  // namespace

TEST_CASE("github annotations point at the model file when there is no debug info",
          "[reports][github]") {
  const auto out = lines(github_in_corpus({"savedmodel/tf_cc_half_plus_two"}));
  REQUIRE(out.size() == 2);
  CHECK(out[0] ==
        "::error file=savedmodel/tf_cc_half_plus_two/saved_model.pb,title=LL101 select-tf-op::"
        "node 'ParseExample/ParseExample' (ParseExample): no TFLite builtin; it can only run as a "
        "Select TF op%0Afix: parse tf.Example protos outside the model and feed dense tensors");
  CHECK(out[1].starts_with("::warning file=savedmodel/tf_cc_half_plus_two/saved_model.pb,"
                           "title=LL401 dynamic-shape::node 'tf_example' (Placeholder)"));
}

TEST_CASE("github annotations point at the Python line from debug info and name the model",
          "[reports][github]") {
  const auto out = lines(github_in_corpus(
      {"pbtxt/tf_mlir_lite_debuginfo_mobilenet_v1_line/v1_1.0_224_frozen.wrong_attr.line.part.pbtxt"}));
  REQUIRE(out.size() == 1);
  CHECK(out[0].starts_with("::error file=fake/user/code/file_C.py,line=27,title=LL409 invalid-attr-value::"
                           "node 'MobilenetV1/MobilenetV1/Conv2d_0/Conv2D' (Conv2D): attr 'data_format' "
                           "is 'NDHWC'"));
  CHECK(out[0].find("%0Amodel: pbtxt/tf_mlir_lite_debuginfo_mobilenet_v1_line/") != std::string::npos);
}

TEST_CASE("github escapes %, CR and LF in messages and also : and , in properties",
          "[reports][github]") {
  rp::ModelReport m;
  m.path = "C:\\models\\a,b.pb";
  m.format = "graphdef-binary";
  lr::Finding f;
  f.code = "LL901";
  f.rule = "op-not-in-database";
  f.severity = lr::Severity::Note;
  f.op = "My:Op";
  f.cause = "100% unknown\r\nsecond line";
  f.message = "node 'n' (My:Op): " + f.cause;
  f.nodes = {{"n", {"n"}, lr::SourceLocation{"src/a,b:c.py", 7, "f"}}};
  m.result.findings = {f};
  rp::ModelReport broken;
  broken.path = "bad:model,1";
  broken.error = "bad:model,1: truncated at 50%\nstop";
  rp::RunReport run;
  run.models = {m, broken};
  run.batch = true;
  const auto out = lines(rp::render_github(run));
  REQUIRE(out.size() == 2);
  CHECK(out[0] == "::notice file=src/a%2Cb%3Ac.py,line=7,title=LL901 op-not-in-database::"
                  "node 'n' (My:Op): 100%25 unknown%0D%0Asecond line%0Amodel: C:\\models\\a,b.pb");
  CHECK(out[1] == "::error file=bad%3Amodel%2C1,title=litelint%3A unreadable model::"
                  "bad:model,1: truncated at 50%25%0Astop");
}
