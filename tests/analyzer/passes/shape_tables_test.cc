#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "analyzer/passes/shape_context.h"

using namespace litelint::passes::shape_inference;

TEST_CASE("shape tables are sorted for bisection, one entry per op", "[shapes]") {
  std::set<std::string> all;
  for (const ShapeTable& table : {elementwise_shape_table, array_shape_table, nn_shape_table, control_shape_table}) {
    REQUIRE_FALSE(table.empty());
    CHECK(std::is_sorted(table.begin(), table.end(),
                         [](const auto& a, const auto& b) { return table_less(a.first, b.first); }));
    for (std::size_t i = 1; i < table.size(); ++i) CHECK(table[i - 1].first != table[i].first);
    for (const auto& [op, fn] : table) {
      CHECK(fn != nullptr);
      all.emplace(op);
    }
  }
  // Every op of every family is found, and unknown ops are not.
  for (const auto& op : all) {
    INFO(op);
    CHECK(find_shape_fn(op) != nullptr);
  }
  CHECK(find_shape_fn("NoSuchOp") == nullptr);
  CHECK(find_shape_fn("") == nullptr);
}

TEST_CASE("the first registration of an op wins", "[shapes]") {
  Registry r;
  const ShapeFn first = [](InferenceContext&) {};
  const ShapeFn second = [](InferenceContext&) {};
  r.emplace_back("Relu", first);
  r.emplace_back("Add", first);
  r.emplace_back("Relu", second);
  r.emplace_back("Conv2D", second);
  sort_registry(r);
  REQUIRE(r.size() == 3);
  CHECK(r[0].first == "Add");
  CHECK(r[1].first == "Relu");
  CHECK(r[1].second == first);
  CHECK(r[2].first == "Conv2D");  // longer names after shorter ones (table_less)
}
