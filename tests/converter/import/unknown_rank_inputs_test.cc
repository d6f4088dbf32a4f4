#include <catch2/catch.hpp>

#include <string>

#include "analyzer/loaders/load.h"
#include "converter/import/program.h"
#include "converter/import/unknown_rank_inputs.h"
#include "tests/support/testing.h"

using namespace litelint;

namespace {

converter::Program import_pbtxt(const std::string& text, const converter::ImportOptions& options = {}) {
  testing::TempDir dir;
  const auto file = dir.path() / "graph.pbtxt";
  testing::write_file(file, text);
  auto model = analyzer::load(file);
  REQUIRE(model);
  auto program = converter::import_program(*model, options);
  REQUIRE(program);
  return std::move(*program);
}

// x of unknown rank (no shape attr) into a MatMul with a [3, 2] weight.
constexpr const char* kMatMul = R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "w" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } dim { size: 2 } }
                                        float_val: 1 } } } }
node { name: "y" op: "MatMul" input: "x" input: "w" attr { key: "T" value { type: DT_FLOAT } } }
)pb";

}  // namespace

TEST_CASE("an unknown-rank input that only a real shape can run asks for --input-shape", "[converter][import]") {
  const auto program = import_pbtxt(kMatMul);
  const auto why = converter::unknown_rank_refusal(program);
  REQUIRE(why);
  CHECK_THAT(*why, Catch::Matchers::Contains("input 'x' has an unknown rank") &&
                       Catch::Matchers::Contains("'y' (MatMul)") &&
                       Catch::Matchers::Contains("--input-shape x=..."));

  converter::ImportOptions options;
  options.input_shapes["x"] = ir::Shape({1, 3});
  CHECK_FALSE(converter::unknown_rank_refusal(import_pbtxt(kMatMul, options)));
}

TEST_CASE("an unknown-rank input that element-wise ops take at any rank converts as it is", "[converter][import]") {
  const auto program = import_pbtxt(R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "two" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 2 } } } }
node { name: "m" op: "Mul" input: "x" input: "two" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "y" op: "Softmax" input: "m" attr { key: "T" value { type: DT_FLOAT } } }
)pb");
  CHECK_FALSE(converter::unknown_rank_refusal(program));
}
