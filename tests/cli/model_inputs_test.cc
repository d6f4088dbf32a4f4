// The MODEL argument is described once (cli/model_inputs.cc): every command's --help and the
// README must say the same. LITELINT_UPDATE_GOLDEN=1 (scripts/update-golden) rewrites the
// README's line, so that adding a format is one edit in cli/model_inputs.cc.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/model_inputs.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;
using testing::litelint_binary;
using testing::run_command;

bool updating() {
  const char* v = std::getenv("LITELINT_UPDATE_GOLDEN");
  return v != nullptr && *v != '\0' && *v != '0';
}

TEST_CASE("every command's MODEL help comes from the one list of model inputs", "[cli][help]") {
  const std::string all = cli::model_help();
  // The list the README once had without .tflite; the one source must name it.
  CHECK_THAT(all, Catch::Contains(".tflite"));
  CHECK_THAT(all, Catch::Contains("MetaGraphDef"));
  CHECK_THAT(all, Catch::Contains("TF.js"));
  for (const char* command : {"check", "inspect"}) {
    const auto r = run_command({litelint_binary(), command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(all));
  }
  const auto convert = run_command({litelint_binary(), "convert", "--help"});
  CHECK_THAT(convert.out, Catch::Contains(cli::model_help(/*for_convert=*/true)));
  // convert does not read a .tflite: its MODEL help leaves it out.
  CHECK_THAT(convert.out, !Catch::Contains(all));
}

TEST_CASE("the README's MODEL sentence is the one cli/model_inputs.cc words", "[cli][help][golden]") {
  const fs::path readme = fs::path(LITELINT_SOURCE_ROOT) / "README.md";
  std::string text = testing::slurp(readme);
  const std::string want = cli::model_readme_sentence();
  const auto start = text.find("\n`MODEL` is ");
  REQUIRE(start != std::string::npos);
  const auto end = text.find('\n', start + 1);
  const std::string have = text.substr(start + 1, end - start - 1);
  if (updating() && have != want) {
    text.replace(start + 1, have.size(), want);
    std::ofstream(readme, std::ios::binary) << text;
    return;
  }
  INFO("README.md's line must read (scripts/update-golden writes it):\n" << want);
  CHECK(have == want);
}

}  // namespace
}  // namespace litelint
