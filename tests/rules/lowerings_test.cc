#include "rules/engine/lowerings.h"

#include <vector>

#include <catch2/catch.hpp>

namespace ir = litelint::ir;
namespace lr = litelint::rules;
using lr::LoweringOutcome;

namespace {

constexpr std::int64_t U = ir::Shape::kUnknownDim;

LoweringOutcome einsum(const char* eq, std::vector<ir::Shape> shapes) {
  return lr::check_einsum(eq, shapes).outcome;
}

}  // namespace

TEST_CASE("einsum equations the converter lowers to BATCH_MATMUL", "[rules][einsum]") {
  const ir::Shape a({2, 3, 4}), b({2, 4, 5}), q({2, 2, 3, 4});
  // Measured (oracle einsum_matmul_like, TF 2.21): all three convert with builtins.
  CHECK(einsum("bij,bjk->bik", {a, b}) == LoweringOutcome::Applies);
  CHECK(einsum("bhqd,bhkd->bhqk", {q, q}) == LoweringOutcome::Applies);
  CHECK(einsum("bhqd,dk->bhqk", {q, ir::Shape({4, 5})}) == LoweringOutcome::Applies);
  // Outer product with a batch label; Keras MultiHeadAttention projections with dynamic batch.
  CHECK(einsum("bi,bj->bij", {ir::Shape({2, 4}), ir::Shape({2, 5})}) == LoweringOutcome::Applies);
  CHECK(einsum("abc,cde->abde", {ir::Shape({U, 8, 16}), ir::Shape({16, 2, 8})}) ==
        LoweringOutcome::Applies);
  CHECK(einsum("abcd,cde->abe", {ir::Shape({U, 8, 2, 8}), ir::Shape({2, 8, 16})}) ==
        LoweringOutcome::Applies);
  // Ellipsis broadcasting, and one-operand transposes and sums.
  CHECK(einsum("...ij,...jk->...ik", {a, b}) == LoweringOutcome::Applies);
  CHECK(einsum("bij->bji", {a}) == LoweringOutcome::Applies);
  CHECK(einsum("bij->b", {a}) == LoweringOutcome::Applies);
}

TEST_CASE("einsum equations the lowering leaves to TensorFlow or breaks", "[rules][einsum]") {
  const ir::Shape a({2, 3, 4});
  // Measured (oracle einsum): the whole conversion fails on the invalid BatchMatMulV2.
  auto v = lr::check_einsum("bij,bij->b", std::vector<ir::Shape>{a, a});
  CHECK(v.outcome == LoweringOutcome::ConvertError);
  CHECK(v.why.find("from [2,3,4] to [2,1,12]") != std::string::npos);
  CHECK(einsum("bii->b", {a}) == LoweringOutcome::NotApplied);
  CHECK(einsum("bij->bij", {a}) == LoweringOutcome::NotApplied);
  CHECK(einsum("bij,bjk->bk", {a, ir::Shape({2, 4, 5})}) == LoweringOutcome::NotApplied);
  CHECK(einsum("ij,jk,kl->il", {ir::Shape({2, 3}), ir::Shape({3, 4}), ir::Shape({4, 5})}) ==
        LoweringOutcome::NotApplied);
  CHECK(einsum("ij,jk", {ir::Shape({2, 3}), ir::Shape({3, 4})}) == LoweringOutcome::NotApplied);
  CHECK(einsum("bij,bjk->bxk", {a, ir::Shape({2, 4, 5})}) == LoweringOutcome::NotApplied);
  // Two dynamic dims in one reshape group and no contracted label to compute it at run time.
  CHECK(einsum("bijk,bl->bijkl", {ir::Shape({U, U, 3, 4}), ir::Shape({U, 5})}) ==
        LoweringOutcome::NotApplied);
}

TEST_CASE("einsum with shapes litelint does not know is not judged", "[rules][einsum]") {
  CHECK(einsum("bij,bij->b", {ir::Shape(), ir::Shape()}) == LoweringOutcome::Unknown);
  CHECK(einsum("bij,bjk->bik", {ir::Shape({2, 3}), ir::Shape({2, 3, 4})}) ==
        LoweringOutcome::Unknown);
  // The skipped reshape only matters where a dim is known to differ.
  CHECK(einsum("bij,bij->b", {ir::Shape({2, 1, U}), ir::Shape({2, 1, U})}) ==
        LoweringOutcome::Unknown);
}
