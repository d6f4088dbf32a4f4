// Hash tables, as TensorFlow's converter lowers them:
//   HashTableV2                            -> HASHTABLE (table_id, key and value types)
//   LookupTableImportV2, InitializeTableV2 -> HASHTABLE_IMPORT
//   LookupTableFindV2                      -> HASHTABLE_FIND
//   LookupTableSizeV2                      -> HASHTABLE_SIZE
// A TFLite table is a resource keyed by table_id, so every subgraph that names one TF table
// (by container and shared_name) gets the same id. Tables start empty: the SavedModel's
// initializer (import's kTableInitBody) becomes a subgraph of its own, run by a CALL_ONCE
// before the first HASHTABLE of each subgraph that uses a table.
#include <fmt/format.h>

#include "converter/import/table_initializer.h"
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

const ir::TensorType kResource{ir::DType::Resource, ir::Shape::scalar()};

// The table id for this node's table; ids count up from 0 in the order tables are met.
std::int32_t table_id(LoweringContext& ctx) {
  std::string shared_name = ctx.attr_string("shared_name");
  // With use_node_name_sharing (or no shared_name) TensorFlow shares the table by node name.
  if (shared_name.empty() || ctx.attr_bool("use_node_name_sharing")) shared_name = ctx.node().name;
  auto& ids = ctx.builder().model_ids();
  const std::string key = fmt::format("table:{}/{}", ctx.attr_string("container"), shared_name);
  if (auto it = ids.find(key); it != ids.end()) return it->second;
  auto& count = ids["table_count"];
  const std::int32_t id = count++;
  ids.emplace(key, id);
  return id;
}

Expected<void> lower_hash_table(LoweringContext& ctx) {
  const auto key_dtype = tfl_type(ctx.attr_type("key_dtype").value_or(ir::DType::Invalid));
  const auto value_dtype = tfl_type(ctx.attr_type("value_dtype").value_or(ir::DType::Invalid));
  if (!key_dtype || !value_dtype) return ctx.fail("key or value type that TFLite has no table for");
  const std::int32_t id = table_id(ctx);
  if (ctx.builder().subgraph().name != kTableInitBody) {
    auto& ids = ctx.builder().model_ids();
    const std::string once_key = fmt::format("table_call_once:{}", ctx.builder().index());
    if (!ids.count(once_key)) {
      auto init = ctx.builder().body_subgraph(kTableInitBody);
      if (!init) return ctx.fail("the model initializes no hash table that TFLite could fill (no table import in its "
                                 "__saved_model_init_op)");
      auto& once = ctx.emit("CALL_ONCE", {}, {});
      tflite::CallOnceOptionsT options;
      options.init_subgraph_index = *init;
      once.options.Set(std::move(options));
      ids.emplace(once_key, *init);
    }
  }
  ctx.builder().slot(ctx.node().name, 0).type = kResource;
  auto& op = ctx.emit("HASHTABLE", {}, {ctx.output(0)});
  tflite::HashtableOptionsT options;
  options.table_id = id;
  options.key_dtype = *key_dtype;
  options.value_dtype = *value_dtype;
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_import(LoweringContext& ctx) {
  auto inputs = all_inputs(ctx);
  if (!inputs) return unexpected(inputs.error());
  if (inputs->size() != 3) return ctx.fail("takes a table, keys and values");
  ctx.emit("HASHTABLE_IMPORT", std::move(*inputs), {});
  return {};
}

Expected<void> lower_find(LoweringContext& ctx) {
  auto inputs = all_inputs(ctx);
  if (!inputs) return unexpected(inputs.error());
  if (inputs->size() != 3) return ctx.fail("takes a table, keys and a default value");
  ctx.emit("HASHTABLE_FIND", std::move(*inputs), {ctx.output(0)});
  return {};
}

Expected<void> lower_size(LoweringContext& ctx) {
  auto table = ctx.input(0);
  if (!table) return unexpected(table.error());
  ctx.emit("HASHTABLE_SIZE", {*table}, {ctx.output(0)});
  return {};
}

}  // namespace

std::span<const Lowering> hash_tables() {
  static constexpr Lowering kLowerings[] = {
      {"HashTableV2", lower_hash_table},
      {"InitializeTableV2", lower_import},
      {"LookupTableFindV2", lower_find},
      {"LookupTableImportV2", lower_import},
      {"LookupTableSizeV2", lower_size},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
