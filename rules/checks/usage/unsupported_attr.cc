#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks/common.h"
#include "rules/engine/lowerings.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags attribute values the TFLite builtin does not take, as the op database's conditions
state them: `data_format`, `strides`, `dilations`, `ksize` and `padding`, and the equations
of `tf.einsum` that the converter's einsum lowering does not take.
## Why is this bad?
Depending on the attribute the converter either adds TRANSPOSE ops around the op
(NCHW data format: slower, sometimes blocks delegates) or keeps the TensorFlow op (a Select
TF op if allowlisted, else a custom op or an error), e.g. pooling across the batch or
channel dimension. An einsum equation outside the lowering (a label summed within one
operand, three operands) keeps the TensorFlow op; for some equations, e.g. `bij,bij->b`,
TensorFlow's lowering builds an invalid BatchMatMulV2 and the whole conversion fails.
## Example
    y = tf.nn.avg_pool2d(x, ksize=2, strides=2, padding="VALID", data_format="NCHW")
Use instead:
    y = tf.nn.avg_pool2d(x, ksize=2, strides=2, padding="VALID")   # NHWC
    d = tf.einsum("bij,bij->b", a, b)
Use instead:
    d = tf.reduce_sum(a * b, axis=[1, 2])
## Fix
Build the model channels-last (`tf.keras.backend.set_image_data_format("channels_last")`),
and keep strides, dilations and window sizes at 1 on the batch and channel dimensions.
Write einsum contractions the lowering takes (two operands, every summed label in both), or
spell them with `tf.matmul` / `tf.reduce_sum`.
)md";

std::string format_list(const std::vector<std::int64_t>& v) {
  return fmt::format("[{}]", fmt::join(v, ","));
}

// "[1,h,w,1]" / "[1,d,h,w,1]": batch and channel entries are 1. "[1,1,1,1]": every entry is 1.
bool matches_pattern(std::string_view pattern, const std::vector<std::int64_t>& v) {
  std::vector<std::string_view> parts;
  std::string_view body = pattern;
  if (body.size() < 2 || body.front() != '[' || body.back() != ']') return true;
  body = body.substr(1, body.size() - 2);
  while (true) {
    auto comma = body.find(',');
    parts.push_back(body.substr(0, comma));
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  if (parts.size() != v.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "1" && v[i] != 1) return false;
  }
  return true;
}

bool matches_alternatives(std::string_view alternatives, std::string_view value) {
  while (true) {
    auto bar = alternatives.find('|');
    if (alternatives.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) return false;
    alternatives.remove_prefix(bar + 1);
  }
}

class UnsupportedAttr final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL204", .name = "unsupported-attr-value", .severity = Severity::Error,
            .summary = "attribute value the TFLite builtin does not take",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || !info->converts_to_builtins() || info->when.empty()) return;
    if (checks::folds(ctx, node)) return;
    bool layout_ok = true;
    for (const auto& c : info->when) {
      if (c.key != ConditionKey::DataFormat) continue;
      const auto* a = node.attr("data_format");
      // The default data_format of every such op is the channels-last one.
      // A value TensorFlow itself rejects is LL409's (the import fails before any layout
      // question arises).
      if (a && a->as_string() && !a->as_string()->empty() && *a->as_string() != c.value &&
          info->allows("data_format", *a->as_string())) {
        layout_ok = false;
        report(node, ctx, *info, c,
               fmt::format("data_format {} is not {}", *a->as_string(), c.value));
      }
    }
    for (const auto& c : info->when) {
      if (c.key == ConditionKey::Lowering) check_lowering(node, ctx, *info, c);
    }
    for (const auto& c : info->when) {
      std::string_view key;
      switch (c.key) {
        case ConditionKey::Strides: key = "strides"; break;
        case ConditionKey::Dilations: key = "dilations"; break;
        case ConditionKey::Ksize: key = "ksize"; break;
        case ConditionKey::Padding: {
          const auto* a = node.attr("padding");
          if (a && a->as_string() && !matches_alternatives(c.value, *a->as_string()) &&
              info->allows("padding", *a->as_string())) {
            report(node, ctx, *info, c,
                   fmt::format("padding {} is not one of {}", *a->as_string(), c.value));
          }
          continue;
        }
        default: continue;
      }
      // Window attrs are written in the op's own layout; after a transposition the pattern
      // applies to the permuted list, so only channels-last ops are checked.
      if (!layout_ok) continue;
      const auto* a = node.attr(key);
      const auto* list = a ? a->as_list() : nullptr;
      if (!list || list->i.empty() || matches_pattern(c.value, list->i)) continue;
      report(node, ctx, *info, c,
             fmt::format("{} {} does not match {}", key, format_list(list->i), c.value));
    }
  }

 private:
  static void check_lowering(const ir::Node& node, RuleContext& ctx, const TfOpInfo& info,
                             const Condition& c) {
    if (c.value != "einsum") return;
    const auto* eq = node.attr("equation");
    if (!eq || !eq->as_string()) return;
    std::vector<ir::Shape> shapes;
    for (std::size_t i = 0; i < node.data_input_count(); ++i) {
      auto t = ctx.input_type(node, i);
      shapes.push_back(t ? t->shape : ir::Shape());
    }
    auto v = check_einsum(*eq->as_string(), shapes);
    if (v.outcome == LoweringOutcome::ConvertError) {
      ctx.report(node, fmt::format("{}; {}", v.why, checks::consequence(Impact::Fails)))
          .impact(Impact::Fails)
          .suggestion("spell this contraction with tf.reduce_sum(a * b, axis=...) or tf.matmul");
    } else if (v.outcome == LoweringOutcome::NotApplied) {
      Fallback fb = c.otherwise == Fallback::None ? info.otherwise : c.otherwise;
      Impact impact = checks::impact_of(fb, node.op);
      ctx.report(node, fmt::format("equation '{}' is not lowered ({}); {}", *eq->as_string(),
                                   v.why, checks::consequence(impact)))
          .impact(impact)
          .suggestion("use a two-operand equation in which every summed label appears in both "
                      "operands, or tf.matmul / tf.transpose / tf.reduce_sum");
    }
  }

  static void report(const ir::Node& node, RuleContext& ctx, const TfOpInfo& info,
                     const Condition& c, std::string what) {
    Fallback fb = c.otherwise == Fallback::None ? info.otherwise : c.otherwise;
    Impact impact = checks::impact_of(fb, node.op);
    std::string effect = fb == Fallback::TransposeInserted
                             ? "the converter adds TRANSPOSE ops around it"
                             : checks::consequence(impact);
    std::string hint = c.key == ConditionKey::DataFormat
                           ? "build the model channels-last (NHWC), e.g. "
                             "tf.keras.backend.set_image_data_format('channels_last')"
                           : "keep the batch and channel entries at 1 (window only over the "
                             "spatial dimensions)";
    ctx.report(node, fmt::format("{}; {}", what, effect)).impact(impact).suggestion(std::move(hint));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unsupported_attr() { return std::make_unique<UnsupportedAttr>(); }

}  // namespace litelint::rules
