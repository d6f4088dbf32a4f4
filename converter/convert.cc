#include "converter/convert.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "converter/fuse/fuse.h"
#include "converter/import/program.h"
#include "converter/import/table_initializer.h"
#include "converter/import/unknown_rank_inputs.h"
#include "converter/legalize/legalize.h"
#include "converter/legalize/op_versions.h"
#include "converter/quantize/quantize.h"
#include "converter/writer/write_tflite.h"

namespace litelint::converter {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::int32_t model_type_of(ir::Format f) {
  // ModelType of conversion_metadata.fbs: TF_SAVED_MODEL 1, TF_GRAPH_DEF 4; TF.js has none,
  // and a graph model is a GraphDef in JSON.
  switch (f) {
    case ir::Format::SavedModel:
    case ir::Format::SavedModelText: return 1;
    default: return 4;
  }
}

// The signatures TFLiteConverter.from_saved_model converts when given no signature_keys:
// every one, except for a SavedModel that Keras's `model.export` wrote (its root has a `serve`
// endpoint and no `_default_save_signature`), where the converter keeps only the default
// one (lite.py copies `serve` to `serving_default` and converts that alone).
std::vector<std::string> default_signatures(const ir::Model& model) {
  if (model.format != ir::Format::SavedModel && model.format != ir::Format::SavedModelText) return {};
  const auto& graph = model.graph();
  const auto& attrs = graph.root_attributes;
  const bool keras_export = std::find(attrs.begin(), attrs.end(), "serve") != attrs.end() &&
                            std::find(attrs.begin(), attrs.end(), "_default_save_signature") == attrs.end();
  std::size_t convertible = 0;
  for (const auto& sig : graph.signatures) convertible += sig.key != "__saved_model_init_op";
  if (!keras_export || convertible < 2) return {};
  for (const char* key : {"serving_default", "serve"}) {
    if (graph.find_signature(key) != nullptr) return {key};
  }
  return {};
}

}  // namespace

Expected<Conversion> convert(const ir::Model& model, const ConvertOptions& options,
                             const writer::ByteSink& sink) {
  if (model.format == ir::Format::Tflite) {
    return fail(ErrorCode::Usage, "the input is already a .tflite model");
  }
  Conversion result;
  auto& report = result.report;
  auto stage = Clock::now();

  ImportOptions import_options;
  import_options.signatures = options.signatures.empty() ? default_signatures(model) : options.signatures;
  import_options.inputs = options.inputs;
  import_options.outputs = options.outputs;
  import_options.input_shapes = options.input_shapes;
  auto program = import_program(model, import_options);
  if (!program) return unexpected(program.error());
  if (auto why = unknown_rank_refusal(*program)) {
    result.refused = std::move(*why);
    return result;
  }
  add_table_initializer(model, *program);
  report.fusions_declined = program->fusions_declined;
  report.passes.push_back("import");
  report.milliseconds["import"] = ms_since(stage);

  stage = Clock::now();
  auto tflite_model = legalize(*program, {.select_tf_ops = options.select_tf_ops,
                                          .allow_custom_ops = options.allow_custom_ops},
                               report);
  if (!tflite_model) {
    // The loop of an unfused composite is often what fails: say why it was not fused.
    if (program->fusions_declined.empty()) return unexpected(tflite_model.error());
    return fail(tflite_model.error().code(), tflite_model.error().reason() + " (not fused: " +
                                                 program->fusions_declined.front() + ")");
  }
  report.passes.push_back("legalize");
  report.milliseconds["legalize"] = ms_since(stage);

  stage = Clock::now();
  fuse(*tflite_model, report);
  report.passes.push_back("fuse");
  report.milliseconds["fuse"] = ms_since(stage);

  if (options.optimize != Optimize::None) {
    stage = Clock::now();
    quantize(*tflite_model, options.optimize, report);
    report.passes.push_back(options.optimize == Optimize::Float16 ? "quantize-float16"
                                                                  : "quantize-dynamic-range");
    report.milliseconds["quantize"] = ms_since(stage);
  }

  set_op_versions(*tflite_model);
  report.passes.push_back("op-versions");

  stage = Clock::now();
  writer::WriteOptions write_options;
  write_options.conversion.model_type = model_type_of(model.format);
  write_options.conversion.allow_custom_ops = options.allow_custom_ops;
  write_options.conversion.enable_select_tf_ops = options.select_tf_ops;
  // Consumed: each weight is freed as it is copied into the result (its operators stay, for
  // the counts below), so a large model's weights are not held twice at the peak. With a
  // sink they go there straight from the model's buffers: no in-memory copy of the file.
  auto written = sink ? writer::write_tflite(std::move(*tflite_model), write_options, sink)
                      : writer::write_tflite(std::move(*tflite_model), write_options);
  if (!written) return unexpected(written.error());
  report.passes.push_back("write");
  report.milliseconds["write"] = ms_since(stage);

  for (const auto& sg : tflite_model->subgraphs) {
    auto& counts = report.ops_per_subgraph[sg.name];
    for (const auto& op : sg.operators) {
      const std::string name = tfl::op_name(op);
      ++counts[name];
      if (op.builtin != tflite::BuiltinOperator::CUSTOM) continue;
      auto& list = name.starts_with("Flex") ? report.flex_ops : report.custom_ops;
      const std::string listed = name.starts_with("Flex") ? name.substr(4) : name;
      if (std::find(list.begin(), list.end(), listed) == list.end()) list.push_back(listed);
    }
  }
  std::sort(report.flex_ops.begin(), report.flex_ops.end());
  std::sort(report.custom_ops.begin(), report.custom_ops.end());
  report.bytes_per_section = written->bytes_per_section;
  report.min_runtime_version = written->min_runtime_version;
  result.tflite = std::move(written->bytes);
  result.tflite_size = written->size;
  result.signature_defs = written->signature_defs;
  return result;
}

}  // namespace litelint::converter
