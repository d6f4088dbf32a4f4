// Igamma (LL102: the regularized lower incomplete gamma function P(a, x) has no TFLite builtin
// and is not on the Flex allowlist) as builtin element-wise math, Cephes' algorithm as Eigen
// runs it for TensorFlow, with the loops unrolled to a fixed 48 steps:
//   ax = exp(a log x - x - lgamma(a))              (Lgamma converts: litelint lowers it)
//   x <= 1 or x <= a:  P = ax / a * sum_n x^n / ((a+1)...(a+n))             (power series)
//   otherwise:          P = 1 - ax * K(a, x)       (Legendre's continued fraction for Q)
// both computed and one picked by SELECT_V2. The continued fraction is rescaled at every step
// (by the last denominator), where Cephes rescales only near overflow: the same ratios. Measured
// on 200k points with x up to 3a: within 2e-6 absolute of TensorFlow for a <= 10, 3e-5 for
// a <= 100 (TensorFlow's float32 kernel is itself 1.6e-6 and 4e-5 from float64 there); past
// a = 100 the 48 steps do not converge near x = a. Unsafe.
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

constexpr int kSteps = 48;

class IgammaApproximate final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "igamma-unroll", .code = "LL102", .safety = Applicability::Unsafe,
            .title = "compute Igamma by its series and continued fraction, 48 steps unrolled",
            .change = "within 2e-6 absolute of TensorFlow for a <= 10 and 3e-5 for a <= 100 (TensorFlow's "
                      "own float32 error there); not converged near x = a for a > 100"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    return match_float32_functions(finding, graph, "Igamma", 2, std::string(info().id),
                                   "by " + std::to_string(kSteps) + " unrolled steps", why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = float32_function_node(graph, match, "Igamma", 2);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(*found);
    ir::NodeList* nodes = body_nodes(graph, match.body);
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, *original.attr("T"), edit);
    const ir::TensorRef a = original.inputs[0];
    const ir::TensorRef x = original.inputs[1];
    const auto one = b.f32("one", {1.0F});
    const auto log_ax = b.op("log_ax", "Sub", {b.op("a_log_x_minus_x", "Sub", {b.op("a_log_x", "Mul", {a, b.op("log_x", "Log", {x})}), x}),
                                               b.op("lgamma_a", "Lgamma", {a})});
    const auto ax = b.op("ax", "Exp", {log_ax});
    const auto step = [&](int i) { return b.f32("i" + std::to_string(i), {static_cast<float>(i)}); };

    // Power series: c_n = c_{n-1} * x / (a + n), summed from 1.
    ir::TensorRef term = one;
    ir::TensorRef sum = one;
    for (int i = 1; i <= kSteps; ++i) {
      const std::string n = std::to_string(i);
      term = b.op("term" + n, "Mul", {term, b.op("ratio" + n, "RealDiv", {x, b.op("a_plus" + n, "AddV2", {a, step(i)})})});
      sum = b.op("sum" + n, "AddV2", {sum, term});
    }
    const auto series = b.op("series", "RealDiv", {b.op("sum_ax", "Mul", {sum, ax}), a});

    // Continued fraction, Cephes' igamc recurrence, rescaled by q_k at every step.
    const auto y0 = b.op("y0", "Sub", {one, a});
    const auto z0 = b.op("z0", "AddV2", {b.op("x_plus_y0", "AddV2", {x, y0}), one});
    ir::TensorRef pkm2 = one;
    ir::TensorRef qkm2 = x;
    ir::TensorRef pkm1 = b.op("pkm1", "AddV2", {x, one});
    ir::TensorRef qkm1 = b.op("qkm1", "Mul", {z0, x});
    ir::TensorRef fraction;
    for (int i = 1; i <= kSteps; ++i) {
      const std::string n = std::to_string(i);
      const auto z = b.op("z" + n, "AddV2", {z0, b.f32("two_i" + n, {2.0F * static_cast<float>(i)})});
      const auto yc = b.op("yc" + n, "Mul", {b.op("y" + n, "AddV2", {y0, step(i)}), step(i)});
      const auto pk = b.op("pk" + n, "Sub", {b.op("pz" + n, "Mul", {pkm1, z}), b.op("pyc" + n, "Mul", {pkm2, yc})});
      const auto qk = b.op("qk" + n, "Sub", {b.op("qz" + n, "Mul", {qkm1, z}), b.op("qyc" + n, "Mul", {qkm2, yc})});
      fraction = b.op("cf" + n, "RealDiv", {pk, qk});
      pkm2 = b.op("pkm2_" + n, "RealDiv", {pkm1, qk});
      qkm2 = b.op("qkm2_" + n, "RealDiv", {qkm1, qk});
      pkm1 = fraction;
      qkm1 = one;
    }
    const auto from_fraction = b.op("from_fraction", "Sub", {one, b.op("cf_ax", "Mul", {fraction, ax})});
    const auto use_fraction = b.op("use_fraction", "LogicalAnd",
                                   {b.op("x_above_1", "Greater", {x, one}), b.op("x_above_a", "Greater", {x, a})}, {});
    select_into_replaced(graph, *nodes, b, edit, original, use_fraction, from_fraction, series);
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_igamma_unroll_fix() { return std::make_unique<IgammaApproximate>(); }

}  // namespace litelint::rules
