// A finding on an op the converter lowers into several builtins names the TF op the user wrote,
// the lowering and the step that fails, and gives a fix in TensorFlow terms (issue 18: LL201
// once read "ONE_HOT has no float32 kernel" on SparseSoftmaxCrossEntropyWithLogits).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/testing.h"

namespace litelint {
namespace {

using Catch::Contains;
using testing::litelint_binary;
using testing::run_command;

TEST_CASE("a lowered op's dtype finding names the TF op, its lowering and a TensorFlow fix",
          "[cli][lowering]") {
  const std::string model = std::string(LITELINT_SOURCE_ROOT) + "/tests/cli/fixtures/lowered_float64.pbtxt";
  const auto r = run_command({litelint_binary(), "check", model, "--select", "LL201", "--format", "json"});
  REQUIRE(r.exit_code == 1);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc.at("findings").size() == 1);
  const auto& f = doc.at("findings").at(0);
  const std::string message = f.at("message");
  CHECK_THAT(message, Contains("'Softplus' has no single TFLite builtin"));
  CHECK_THAT(message, Contains("lowers it to EXP + ADD + LOG"));
  CHECK_THAT(message, Contains("float64"));
  // The message does not open with a builtin the user never wrote.
  CHECK(message.find("EXP has no") == std::string::npos);
  const std::string help = f.at("suggestion");
  CHECK_THAT(help, Contains("tf.cast"));
  CHECK_THAT(help, Contains("float32"));
  CHECK(help.find("the builtin takes") == std::string::npos);
}

}  // namespace
}  // namespace litelint
