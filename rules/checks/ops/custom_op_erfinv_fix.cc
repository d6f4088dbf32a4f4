// Erfinv (LL102: no TFLite builtin, not on the Flex allowlist) as builtin element-wise math:
// M. Giles' single-precision approximation ("Approximating the erfinv function", GPU Computing
// Gems, 2011; XLA's ErfInv32 uses it), w = -log((1 - x)(1 + x)), then one polynomial in
// w - 2.5 for w < 5 and another in sqrt(w) - 3 beyond, times x; |x| = 1 gives x * inf, and
// |x| > 1 NaN, as TensorFlow does. Measured on 2M points against float64 erfinv: within 6e-7
// absolute. TensorFlow's float32 kernel (ndtri of 0.5 + x/2, which rounds away small x) is
// the less accurate one: 4.6% relative near 0, 8e-3 absolute near |x| = 1. Unsafe.
#include <limits>
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

// Giles' coefficients, highest power first.
constexpr float kCentral[] = {2.81022636e-08F,  3.43273939e-07F, -3.5233877e-06F,
                              -4.39150654e-06F, 0.00021858087F,  -0.00125372503F,
                              -0.00417768164F,  0.246640727F,    1.50140941F};
constexpr float kTail[] = {-0.000200214257F, 0.000100950558F, 0.00134934322F,
                           -0.00367342844F,  0.00573950773F,  -0.0076224613F,
                           0.00943887047F,   1.00167406F,     2.83297682F};

class ErfinvApproximate final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "erfinv-approximate", .code = "LL102", .safety = Applicability::Unsafe,
            .title = "compute Erfinv by Giles' polynomial approximation in builtin math",
            .change = "within 6e-7 absolute (3e-7 relative away from 0) of the exact erfinv; "
                      "TensorFlow's own float32 kernel is less accurate (up to 1.2e-5 absolute for "
                      "|x| <= 0.999, 8e-3 near |x| = 1), so against TensorFlow the difference is "
                      "TensorFlow's error"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    return match_float32_functions(finding, graph, "Erfinv", 1, std::string(info().id), "by Giles' approximation", why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    auto found = float32_function_node(graph, match, "Erfinv", 1);
    if (!found) return tl::unexpected(found.error());
    const ir::Node original = std::move(*found);
    ir::NodeList* nodes = body_nodes(graph, match.body);
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, *original.attr("T"), edit);
    const ir::TensorRef x = original.inputs[0];
    const auto one = b.f32("one", {1.0F});
    const auto w = b.op("w", "Neg", {b.op("log", "Log", {b.op("one_minus_x2", "Mul", {b.op("one_minus_x", "Sub", {one, x}),
                                                                                       b.op("one_plus_x", "AddV2", {one, x})})})});
    const auto horner = [&](const std::string& tag, const float* c, ir::TensorRef t) {
      ir::TensorRef p = b.f32(tag + "_c0", {c[0]});
      for (int i = 1; i < 9; ++i) {
        p = b.op(tag + "_s" + std::to_string(i), "AddV2", {b.op(tag + "_m" + std::to_string(i), "Mul", {p, t}),
                                                          b.f32(tag + "_c" + std::to_string(i), {c[i]})});
      }
      return p;
    };
    const auto central = horner("central", kCentral, b.op("w_central", "Sub", {w, b.f32("two_and_half", {2.5F})}));
    const auto tail = horner("tail", kTail, b.op("w_tail", "Sub", {b.op("sqrt_w", "Sqrt", {w}), b.f32("three", {3.0F})}));
    const auto is_central = b.op("is_central", "Less", {w, b.f32("five", {5.0F})});
    const auto p = b.op("p", "SelectV2", {is_central, central, tail});
    const auto px = b.op("px", "Mul", {p, x});
    // At |x| = 1, w is inf and the tail polynomial inf - inf; erfinv(+-1) is +-inf.
    const auto at_one = b.op("at_one", "Equal", {b.op("abs", "Abs", {x}), one},
                             {{"T", *original.attr("T")}, {"incompatible_shape_error", ir::AttrValue{true}}});
    const auto infinite = b.op("infinite", "Mul", {x, b.f32("inf", {std::numeric_limits<float>::infinity()})});
    select_into_replaced(graph, *nodes, b, edit, original, at_one, infinite, px);
    return edit;
  }
};

}  // namespace

std::unique_ptr<Fix> make_erfinv_approximate_fix() { return std::make_unique<ErfinvApproximate>(); }

}  // namespace litelint::rules
