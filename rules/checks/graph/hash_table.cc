#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Checks the model's hash tables (`tf.lookup.StaticHashTable`, vocabulary lookups): either all
of them become TFLite's HASHTABLE builtins, or all table ops stay TensorFlow ops.
## Why is this bad?
The converter legalizes tables only when every HashTableV2 maps string to int64 or int64 to
string and is used only by LookupTableFindV2, LookupTableImportV2 and LookupTableSizeV2.
Otherwise every table op stays a TensorFlow op: Select TF ops where allowlisted, custom ops
or errors elsewhere. String preprocessing in the model usually needs Flex too.
## Example
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(keys_f32, values_i32), -1)   # float keys
## Fix
Use string->int64 or int64->string tables with StaticHashTable, or do the lookup (and
tokenization) in the app and feed ids to the model.
)md";

bool legal_types(const ir::Node& table) {
  const auto* k = table.attr("key_dtype");
  const auto* v = table.attr("value_dtype");
  if (!k || !v || !k->as_type() || !v->as_type()) return false;
  const auto key = *k->as_type();
  const auto value = *v->as_type();
  return (key == ir::DType::String && value == ir::DType::Int64) ||
         (key == ir::DType::Int64 && value == ir::DType::String);
}

// Table ops the HASHTABLE legalization handles (text-file initializers become imports).
bool handled_use(std::string_view op) {
  return op == "HashTableV2" || op == "LookupTableFindV2" || op == "LookupTableImportV2" ||
         op == "LookupTableSizeV2" || op == "InitializeTableFromTextFileV2";
}

bool is_table_op(std::string_view op) {
  return op.find("HashTable") != std::string_view::npos ||
         op.find("LookupTable") != std::string_view::npos ||
         op.starts_with("InitializeTable") || op.starts_with("MutableDenseHashTable");
}

class HashTable final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL406", .name = "hash-table", .severity = Severity::Error,
            .summary = "hash table ops that cannot all become HASHTABLE builtins",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    std::string why;
    bool any = false;
    for (const auto& v : ctx.visited()) {
      const ir::Node& n = *v.node;
      if (!is_table_op(n.op)) continue;
      any = true;
      if (!why.empty()) continue;
      if (n.op == "HashTableV2" && !legal_types(n)) {
        why = fmt::format("table '{}' is not string->int64 or int64->string", n.name);
      } else if (!handled_use(n.op)) {
        why = fmt::format("'{}' ({}) is a table op the HASHTABLE builtins do not cover", n.name,
                          n.op);
      }
    }
    if (!any || why.empty()) return;
    // The legalization is all or nothing, so every table op stays a TF op.
    for (const auto& v : ctx.visited()) {
      if (!is_table_op(v.node->op)) continue;
      ctx.focus(v);
      Impact impact = checks::impact_if_stays(v.node->op);
      ctx.report(*v.node, fmt::format("hash tables cannot become HASHTABLE builtins ({}); {}", why,
                                      checks::consequence(impact)))
          .impact(impact)
          .suggestion("use string->int64 or int64->string tf.lookup.StaticHashTable tables, or "
                      "look up ids in the app");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_hash_table() { return std::make_unique<HashTable>(); }

}  // namespace litelint::rules
