#include <algorithm>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags ops whose operand rank is outside what the TFLite builtin's kernel takes (the op
database's `max_rank`, `min_rank`, `max_effective_rank` and `broadcast_max_rank`).
## Why is this bad?
Above the limit the converter keeps the TensorFlow op (a Select TF op or an error), or, for
broadcasting, inserts an extra BROADCAST_TO.
## Example
    y = tf.transpose(x6d, perm=[0, 2, 1, 3, 5, 4])   # rank 6 where the kernel takes 5
## Fix
Reshape to fold dimensions of size 1 or adjacent dimensions together before the op and
reshape back after it.
)md";

class RankLimit final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL202", .name = "rank-above-limit", .severity = Severity::Error,
            .summary = "operand rank is outside the TFLite kernel's limits",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || !info->converts_to_builtins() || info->when.empty()) return;
    if (checks::folds(ctx, node)) return;
    auto in0 = ctx.input_type(node, 0);
    const bool ranked = in0 && in0->shape.has_rank();
    const int rank = ranked ? static_cast<int>(in0->shape.rank()) : -1;
    for (const auto& c : info->when) {
      std::string cause;
      switch (c.key) {
        case ConditionKey::MaxRank:
          if (ranked && rank > c.number) {
            cause = fmt::format("input rank {} is above the limit {} of the builtin", rank, c.number);
          }
          break;
        case ConditionKey::MinRank:
          if (ranked && rank < c.number) {
            cause = fmt::format("input rank {} is below the minimum {} of the builtin", rank,
                                c.number);
          }
          break;
        case ConditionKey::MaxEffectiveRank:
          if (ranked) {
            auto dims = in0->shape.dims();
            // Dimensions of size 1 do not count: the converter squeezes them away.
            int effective = static_cast<int>(std::count_if(
                dims.begin(), dims.end(), [](std::int64_t d) { return d != 1; }));
            if (effective > c.number) {
              cause = fmt::format("input has {} dimensions other than 1, above the limit {}",
                                  effective, c.number);
            }
          }
          break;
        case ConditionKey::BroadcastMaxRank: {
          // Only broadcasting is limited: operands of one shape take any rank.
          int max_rank = -1;
          bool same = true;
          std::optional<ir::Shape> first;
          for (std::size_t i = 0; i < node.data_input_count(); ++i) {
            auto t = ctx.input_type(node, i);
            if (!t || !t->shape.has_rank()) {
              same = false;
              continue;
            }
            max_rank = std::max(max_rank, static_cast<int>(t->shape.rank()));
            if (!first) first = t->shape;
            else if (!(*first == t->shape) || !t->shape.is_fully_defined()) same = false;
          }
          if (!same && max_rank > c.number) {
            cause = fmt::format("broadcasts operands of rank {}, above the kernel's limit {}",
                                max_rank, c.number);
          }
          break;
        }
        default: break;
      }
      if (cause.empty()) continue;
      Fallback fb = c.otherwise == Fallback::None ? info->otherwise : c.otherwise;
      Impact impact = checks::impact_of(fb, node.op);
      std::string what = fb == Fallback::BroadcastToInserted
                             ? "the converter inserts a BROADCAST_TO in front"
                             : checks::consequence(impact);
      ctx.report(node, fmt::format("{}; {}", cause, what))
          .impact(impact)
          .suggestion("reshape to fold dimensions together before the op and reshape back after it");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rank_limit() { return std::make_unique<RankLimit>(); }

}  // namespace litelint::rules
