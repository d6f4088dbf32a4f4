#include "rules/engine/registry.h"

#include <vector>

namespace litelint::rules {

// Defined one per file under rules/checks/.
std::unique_ptr<Rule> make_select_tf_op();
std::unique_ptr<Rule> make_custom_op();
std::unique_ptr<Rule> make_unregistered_op();
std::unique_ptr<Rule> make_unfrozen_variable();
std::unique_ptr<Rule> make_keras_code_not_in_file();
std::unique_ptr<Rule> make_unsupported_dtype();
std::unique_ptr<Rule> make_rank_limit();
std::unique_ptr<Rule> make_non_constant_operand();
std::unique_ptr<Rule> make_unsupported_attr();
std::unique_ptr<Rule> make_unsupported_input_dtype();
std::unique_ptr<Rule> make_delegate_unsupported_op();
std::unique_ptr<Rule> make_dynamic_shape();
std::unique_ptr<Rule> make_control_flow_v1();
std::unique_ptr<Rule> make_resource_variable();
std::unique_ptr<Rule> make_tensor_list_element_shape();
std::unique_ptr<Rule> make_stateful_random_op();
std::unique_ptr<Rule> make_hash_table();
std::unique_ptr<Rule> make_non_inlinable_call();
std::unique_ptr<Rule> make_inconsistent_shape();
std::unique_ptr<Rule> make_invalid_attr_value();
std::unique_ptr<Rule> make_invalid_node_name();
std::unique_ptr<Rule> make_graph_cycle();
std::unique_ptr<Rule> make_generic_function();
std::unique_ptr<Rule> make_inconsistent_output_shapes();
std::unique_ptr<Rule> make_invalid_input_edge();
std::unique_ptr<Rule> make_weights_over_budget();
std::unique_ptr<Rule> make_macs_over_budget();
std::unique_ptr<Rule> make_activations_over_budget();
std::unique_ptr<Rule> make_invalid_node_def();
std::unique_ptr<Rule> make_op_not_in_database();
// Rules over existing .tflite models, under rules/tflite/.
std::unique_ptr<Rule> make_tflite_flex_op();
std::unique_ptr<Rule> make_tflite_custom_op();
std::unique_ptr<Rule> make_delegate_cpu_fallback();
std::unique_ptr<Rule> make_delegate_coverage();
std::unique_ptr<Rule> make_tflite_min_runtime();

namespace {

// One line per rule, sorted by code; registry_test checks the order.
std::vector<std::unique_ptr<Rule>> build() {
  std::vector<std::unique_ptr<Rule>> r;
  r.push_back(make_select_tf_op());               // LL101
  r.push_back(make_custom_op());                  // LL102
  r.push_back(make_unregistered_op());            // LL103
  r.push_back(make_unfrozen_variable());          // LL104
  r.push_back(make_tflite_flex_op());             // LL105
  r.push_back(make_tflite_custom_op());           // LL106
  r.push_back(make_keras_code_not_in_file());     // LL107
  r.push_back(make_unsupported_dtype());          // LL201
  r.push_back(make_rank_limit());                 // LL202
  r.push_back(make_non_constant_operand());       // LL203
  r.push_back(make_unsupported_attr());           // LL204
  r.push_back(make_unsupported_input_dtype());    // LL205
  r.push_back(make_delegate_unsupported_op());         // LL301
  r.push_back(make_delegate_cpu_fallback());      // LL302
  r.push_back(make_delegate_coverage());          // LL303
  r.push_back(make_dynamic_shape());              // LL401
  r.push_back(make_control_flow_v1());            // LL402
  r.push_back(make_resource_variable());          // LL403
  r.push_back(make_tensor_list_element_shape());  // LL404
  r.push_back(make_stateful_random_op());         // LL405
  r.push_back(make_hash_table());                 // LL406
  r.push_back(make_non_inlinable_call());         // LL407
  r.push_back(make_inconsistent_shape());         // LL408
  r.push_back(make_invalid_attr_value());         // LL409
  r.push_back(make_invalid_node_name());          // LL410
  r.push_back(make_graph_cycle());                // LL411
  r.push_back(make_generic_function());           // LL412
  r.push_back(make_inconsistent_output_shapes()); // LL413
  r.push_back(make_invalid_input_edge());         // LL414
  r.push_back(make_invalid_node_def());           // LL415
  r.push_back(make_weights_over_budget());        // LL501
  r.push_back(make_macs_over_budget());           // LL502
  r.push_back(make_activations_over_budget());    // LL503
  r.push_back(make_op_not_in_database());         // LL901
  r.push_back(make_tflite_min_runtime());         // LL902
  return r;
}

}  // namespace

std::span<const std::unique_ptr<Rule>> all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = build();
  return rules;
}

const Rule* find_rule(std::string_view code_or_name) {
  for (const auto& r : all_rules()) {
    auto info = r->info();
    if (info.code == code_or_name || info.name == code_or_name) return r.get();
  }
  return nullptr;
}

}  // namespace litelint::rules
