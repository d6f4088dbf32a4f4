#pragma once

#include <string_view>

#include "analyzer/ir/model.h"
#include "converter/import/program.h"

namespace litelint::converter {

/// The Program::bodies key of the graph that fills the model's hash tables.
inline constexpr std::string_view kTableInitBody = "__saved_model_init_op";

/// Adds the table initialization a SavedModel runs before serving (what its
/// `__saved_model_init_op` reaches that fills a hash table: LookupTableImportV2,
/// InitializeTableV2, and the tables and values they read) to `program.bodies` under
/// kTableInitBody, as a flat graph without inputs or outputs. TensorFlow's converter makes
/// the same nodes the subgraph that CALL_ONCE runs. A table filled from one of the
/// SavedModel's asset files (InitializeTableFromTextFileV2) is read now and imported as
/// constants; TensorFlow's converter leaves such a table empty. Adds nothing when the model initializes
/// no table or the initializer cannot be imported: the table lowering then says so.
void add_table_initializer(const ir::Model& model, Program& program);

}  // namespace litelint::converter
