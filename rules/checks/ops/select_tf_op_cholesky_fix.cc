// Cholesky (LL101: no TFLite builtin) of small matrices with static shapes unrolled: RESHAPE to
// [-1, n*n], UNPACK the entries, the Cholesky-Banachiewicz recurrence in MUL/SUB/SQRT/DIV on
// the lower triangle (TensorFlow reads only that), PACK with zeros above the diagonal, RESHAPE
// back. Eigen's LLT, which TensorFlow runs, sums the same products in a different order, so
// the rounding differs: unsafe, within about 1e-5 relative for well-conditioned matrices. A
// matrix that is not positive definite gives NaN where TensorFlow fails the run.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/node_builder.h"
#include "rules/checks/ops/small_matrix.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

// Beyond this order the unrolled graph (about n^3/6 products) outgrows a Flex op.
constexpr std::int64_t kMaxOrder = 8;

class CholeskyUnroll final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "cholesky-unroll", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "unroll small Cholesky factorizations into element-wise math",
            .change = "the products are summed in another order than Eigen's LLT: within about "
                      "1e-5 relative for well-conditioned matrices; a matrix that is not positive "
                      "definite gives NaN instead of TensorFlow's error"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    const auto summary = [](const std::string& name, std::int64_t n) {
      return "unroll Cholesky '" + name + "' of " + std::to_string(n) + "x" + std::to_string(n) + " matrices";
    };
    return match_unrollable_matrices(finding, graph, "Cholesky", kMaxOrder, std::string(info().id), summary,
                                     why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = unrollable_node(graph, match, "Cholesky", kMaxOrder);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(found->first);
    const ir::Shape& shape = found->second;
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const std::int64_t n = shape.dim(shape.rank() - 1);
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, *original.attr("T"), edit);
    const std::string entries = unpack_entries(b, original.inputs[0], n);
    const auto a = [&](std::int64_t i, std::int64_t j) { return b.out(entries, static_cast<std::int32_t>(i * n + j)); };
    std::vector<std::vector<ir::TensorRef>> l(n, std::vector<ir::TensorRef>(n));
    const auto at = [](std::int64_t i, std::int64_t j) { return std::to_string(i) + "_" + std::to_string(j); };
    for (std::int64_t j = 0; j < n; ++j) {
      for (std::int64_t i = j; i < n; ++i) {
        // s = a[i][j] - sum_k l[i][k] * l[j][k], subtracted one product at a time as LLT does.
        ir::TensorRef s = a(i, j);
        for (std::int64_t k = 0; k < j; ++k) {
          const auto p = b.op("p" + at(i, j) + "_" + std::to_string(k), "Mul", {l[i][k], l[j][k]});
          s = b.op("s" + at(i, j) + "_" + std::to_string(k), "Sub", {s, p});
        }
        l[i][j] = i == j ? b.op("l" + at(i, j), "Sqrt", {s}) : b.op("l" + at(i, j), "RealDiv", {s, l[j][j]});
      }
    }
    const auto zero = b.op("zero", "ZerosLike", {a(0, 0)});
    std::vector<ir::TensorRef> packed;
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t j = 0; j < n; ++j) packed.push_back(j <= i ? l[i][j] : zero);
    }
    reshape_into_replaced(graph, *nodes, b, edit, original, packed, shape);
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_cholesky_unroll_fix() { return std::make_unique<CholeskyUnroll>(); }

}  // namespace litelint::rules
