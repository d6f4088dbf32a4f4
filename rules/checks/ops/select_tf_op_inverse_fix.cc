// MatrixInverse (LL101: no TFLite builtin) of matrices up to 4x4 with static shapes unrolled
// into the adjugate formula: RESHAPE to [-1, n*n], UNPACK the entries, every minor by Laplace
// expansion (the sub-determinants shared between minors are built once), the determinant,
// one RECIPROCAL of it times each cofactor, PACK, RESHAPE back. TensorFlow solves with an LU
// factorization with partial pivoting, so the rounding differs: unsafe, within about 1e-5
// relative for well-conditioned matrices. A singular matrix gives inf/NaN where TensorFlow
// fails the run.
#include <cstdint>
#include <map>
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

// A 4x4 adjugate takes about 200 operators; a 5x5 one would take about 1000.
constexpr std::int64_t kMaxOrder = 4;

// Determinants of the square sub-matrices of one matrix's entries, by row and column masks.
class Minors {
 public:
  Minors(NodeBuilder& b, std::string entries, std::int64_t n) : b_(b), entries_(std::move(entries)), n_(n) {}

  ir::TensorRef entry(std::int64_t i, std::int64_t j) { return b_.out(entries_, static_cast<std::int32_t>(i * n_ + j)); }

  /// det of the rows and columns in the masks (equal popcounts), expanded along its first row.
  ir::TensorRef det(unsigned rows, unsigned cols) {
    if (auto it = memo_.find({rows, cols}); it != memo_.end()) return it->second;
    int r0 = 0;
    while (!(rows & (1u << r0))) ++r0;
    std::vector<int> cs;
    for (int c = 0; c < n_; ++c) {
      if (cols & (1u << c)) cs.push_back(c);
    }
    const std::string tag = std::to_string(rows) + "_" + std::to_string(cols);
    ir::TensorRef result;
    if (cs.size() == 1) {
      result = entry(r0, cs[0]);
    } else {
      for (std::size_t k = 0; k < cs.size(); ++k) {
        const auto sub = det(rows & ~(1u << r0), cols & ~(1u << cs[k]));
        const auto term = b_.op("m" + tag + "_" + std::to_string(k), "Mul", {entry(r0, cs[k]), sub});
        if (k == 0) {
          result = term;
        } else {
          result = b_.op("d" + tag + "_" + std::to_string(k), k % 2 ? "Sub" : "AddV2", {result, term});
        }
      }
    }
    memo_[{rows, cols}] = result;
    return result;
  }

 private:
  NodeBuilder& b_;
  std::string entries_;
  std::int64_t n_;
  std::map<std::pair<unsigned, unsigned>, ir::TensorRef> memo_;
};

class InverseUnroll final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "inverse-unroll", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "invert small matrices by the adjugate formula",
            .change = "cofactors over the determinant round differently from TensorFlow's LU "
                      "solve: within about 1e-5 relative for well-conditioned matrices, more for "
                      "ill-conditioned ones; a singular matrix gives inf/NaN instead of an error"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    const auto summary = [](const std::string& name, std::int64_t n) {
      return "invert '" + name + "' (" + std::to_string(n) + "x" + std::to_string(n) + ") by cofactors";
    };
    return match_unrollable_matrices(finding, graph, "MatrixInverse", kMaxOrder, std::string(info().id), summary,
                                     why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = unrollable_node(graph, match, "MatrixInverse", kMaxOrder);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(found->first);
    const ir::Shape& shape = found->second;
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const std::int64_t n = shape.dim(shape.rank() - 1);
    const ir::AttrValue* adjoint_attr = original.attr("adjoint");
    const bool adjoint = adjoint_attr && adjoint_attr->as_bool() && *adjoint_attr->as_bool();
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, *original.attr("T"), edit);
    const std::string entries = unpack_entries(b, original.inputs[0], n);
    Minors minors(b, entries, n);
    const unsigned all = (1u << n) - 1;
    const auto det = minors.det(all, all);
    const auto rdet = b.op("rdet", "Reciprocal", {det});
    // inverse[j][i] = (-1)^(i+j) * minor(i, j) / det; for n = 1 the "minor" is 1.
    std::vector<ir::TensorRef> packed(static_cast<std::size_t>(n * n));
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t j = 0; j < n; ++j) {
        const std::string at = std::to_string(i) + "_" + std::to_string(j);
        ir::TensorRef v;
        if (n == 1) {
          v = rdet;
        } else {
          const auto minor = minors.det(all & ~(1u << i), all & ~(1u << j));
          v = b.op("inv" + at, "Mul", {minor, rdet});
          if ((i + j) % 2) v = b.op("neg" + at, "Neg", {v});
        }
        // The adjugate is the transposed cofactor matrix; the adjoint's inverse transposes back.
        const std::int64_t row = adjoint ? i : j;
        const std::int64_t col = adjoint ? j : i;
        packed[static_cast<std::size_t>(row * n + col)] = v;
      }
    }
    reshape_into_replaced(graph, *nodes, b, edit, original, packed, shape);
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_inverse_unroll_fix() { return std::make_unique<InverseUnroll>(); }

}  // namespace litelint::rules
