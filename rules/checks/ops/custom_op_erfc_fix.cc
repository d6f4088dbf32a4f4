// Erfc (LL102: no TFLite builtin, not on the Flex allowlist; TensorFlow's converter only takes
// it inside the exact-GELU pattern it fuses) replaced by builtin element-wise math, the
// Abramowitz-Stegun 7.1.26 approximation: with a = |z|, t = 1 / (1 + p*a),
// q = t*(a1 + t*(a2 + t*(a3 + t*(a4 + t*a5)))) * exp(-a*a), erfc(z) = q for z >= 0 and 2 - q
// below. The formula's error is at most 1.5e-7; evaluated in float32 and measured against
// TensorFlow's erfc on 2M points of [-10, 10] it stays within 6e-7 absolute (worst near 0,
// where 2 - q rounds). Taking q itself for z >= 0 (not 1 - erf)
// keeps the tail from rounding to 0 early. Unsafe: the numbers change within that bound.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/node_builder.h"
#include "rules/checks/ops/float_function_fix.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

class ErfcApproximate final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "erfc-approximate", .code = "LL102", .safety = Applicability::Unsafe,
            .title = "compute Erfc by a polynomial approximation in builtin math",
            .change = "Abramowitz-Stegun 7.1.26: within 1e-6 absolute of TensorFlow's erfc (6e-7 "
                      "measured in float32 over [-10, 10])"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    return match_float32_functions(finding, graph, "Erfc", 1, std::string(info().id), "by Abramowitz-Stegun 7.1.26",
                                   why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = float32_function_node(graph, match, "Erfc", 1);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(*found);
    ir::NodeList* nodes = body_nodes(graph, match.body);
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, *original.attr("T"), edit);
    const ir::TensorRef z = original.inputs[0];
    const auto one = b.f32("one", {1.0F});
    const auto a = b.op("abs", "Abs", {z});
    const auto t = b.op("t", "RealDiv", {one, b.op("pa1", "AddV2", {b.op("pa", "Mul", {a, b.f32("p", {0.3275911F})}), one})});
    // Horner from a5 down, in the order of the converter's own Erfc lowering.
    auto poly = b.op("h5", "Mul", {t, b.f32("a5", {1.061405429F})});
    const float coefficients[] = {-1.453152027F, 1.421413741F, -0.284496736F, 0.254829592F};
    for (int k = 0; k < 4; ++k) {
      const std::string i = std::to_string(4 - k);
      poly = b.op("h" + i, "Mul", {b.op("s" + i, "AddV2", {poly, b.f32("a" + i, {coefficients[k]})}), t});
    }
    const auto e = b.op("exp", "Exp", {b.op("neg_sq", "Neg", {b.op("sq", "Mul", {a, a})})});
    const auto q = b.op("q", "Mul", {poly, e});
    const auto two_minus_q = b.op("two_minus_q", "Sub", {b.f32("two", {2.0F}), q});
    const auto nonnegative = b.op("nonnegative", "GreaterEqual", {z, b.f32("zero", {0.0F})});
    select_into_replaced(graph, *nodes, b, edit, original, nonnegative, q, two_minus_q);
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_erfc_approximate_fix() { return std::make_unique<ErfcApproximate>(); }

}  // namespace litelint::rules
