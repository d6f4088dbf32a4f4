// The input-limit table: names and defaults match docs/limits.md, and --limit parses.
#include <catch2/catch.hpp>

#include <string>

#include "analyzer/support/input_limits.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

using Catch::Contains;

TEST_CASE("docs/limits.md lists every input limit with its default", "[fuzz][limits]") {
  const std::string doc = testing::slurp(std::string(LITELINT_SOURCE_ROOT) + "/docs/limits.md");
  for (const auto& row : kInputLimits) {
    INFO(row.name);
    const std::string cells = "| `" + std::string(row.name) + "` | " + std::to_string(row.default_value);
    CHECK_THAT(doc, Contains(cells));
    CHECK_THAT(doc, Contains(row.raisable ? "`--limit " + std::string(row.name) + "=N`" : std::string("| fixed |")));
  }
}

TEST_CASE("set_input_limits raises a limit and refuses fixed, unknown and malformed ones", "[fuzz][limits]") {
  const auto before = input_limit(InputLimit::Nodes);
  REQUIRE(set_input_limits({"nodes=12345"}));
  CHECK(input_limit(InputLimit::Nodes) == 12345);
  CHECK_THAT(input_limit_error(InputLimit::Nodes, "the node count", 20000).reason(),
             Contains("the node count is 20000 nodes, over the nodes limit of 12345 (raise it with --limit nodes=N)"));
  REQUIRE(set_input_limits({"nodes=" + std::to_string(before)}));

  const auto rank = set_input_limits({"rank=300"});
  REQUIRE_FALSE(rank);
  CHECK(rank.error().code() == ErrorCode::Usage);
  CHECK_THAT(rank.error().reason(), Contains("'rank' is fixed at 254"));
  CHECK_THAT(set_input_limits({"node=5"}).error().reason(), Contains("unknown limit 'node'"));
  for (const char* bad : {"nodes", "nodes=", "nodes=-1", "nodes=0", "nodes=1e6", "nodes=99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(set_input_limits({bad}));
  }
  CHECK(input_limit(InputLimit::Nodes) == before);
}

}  // namespace
}  // namespace litelint
