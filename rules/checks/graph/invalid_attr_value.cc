#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags attribute values that TensorFlow's own op definition does not allow: a `data_format`
or `padding` string outside the op's list, or an element type (`T`, `dtype`, ...) the op
is not registered for. The lists come from TensorFlow's op registry
(`rules/opdb/tf_attr_values.toml`).
## Why is this bad?
TFLiteConverter imports the graph with TensorFlow, which validates every node against its
op definition first; one bad value fails the whole conversion ("Value for attr
'data_format' of \"NDHWC\" is not in the list of allowed values"), under every target.
Such graphs come from hand-written or edited GraphDefs and from other tools' exporters.
## Example
    node { name: "conv" op: "Conv2D" ... attr { key: "data_format" value { s: "NDHWC" } } }
Use instead:
    node { name: "conv" op: "Conv2D" ... attr { key: "data_format" value { s: "NHWC" } } }
## Fix
Write the value the op takes (for Conv2D `NHWC` or `NCHW`; `NDHWC` belongs to Conv3D), or
cast the operand to a type the op is registered for.
)md";

class InvalidAttrValue final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL409", .name = "invalid-attr-value", .severity = Severity::Error,
            .summary = "attribute value outside the op's definition, so TensorFlow rejects the graph",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || info->allowed_attrs.empty()) return;
    for (const auto& a : info->allowed_attrs) {
      const ir::AttrValue* value = node.attr(a.attr);
      if (value == nullptr) continue;  // absent: the OpDef's default applies
      if (const auto* s = value->as_string()) {
        check_value(node, ctx, *info, a, *s, *s);
      } else if (const auto* t = value->as_type()) {
        check_value(node, ctx, *info, a, ir::dtype_enum_name(*t), ir::dtype_name(*t));
      } else if (const auto* list = value->as_list()) {
        for (const auto& s : list->s) check_value(node, ctx, *info, a, s, s);
        for (const auto t : list->type) {
          check_value(node, ctx, *info, a, ir::dtype_enum_name(t), ir::dtype_name(t));
        }
      }
    }
  }

 private:
  static void check_value(const ir::Node& node, RuleContext& ctx, const TfOpInfo& info,
                          const AllowedAttrValues& a, std::string_view spelled,
                          std::string_view shown) {
    if (info.allows(a.attr, spelled)) return;
    // Types are listed as enum names; show them as Python spells them, like the value.
    std::vector<std::string> values;
    for (const auto& v : a.values) {
      const auto t = ir::parse_dtype_enum_name(v);
      values.push_back(t ? ir::dtype_name(*t) : std::string(v));
    }
    ctx.report(node, fmt::format("attr '{}' is '{}', which {} does not allow ({}); TensorFlow "
                                 "rejects the graph at import, so the conversion fails",
                                 a.attr, shown, node.op, fmt::join(values, ", ")))
        .impact(Impact::Fails)
        .suggestion(fmt::format("set '{}' to one of the values {} is registered for", a.attr,
                                node.op));
  }
};

}  // namespace

std::unique_ptr<Rule> make_invalid_attr_value() { return std::make_unique<InvalidAttrValue>(); }

}  // namespace litelint::rules
