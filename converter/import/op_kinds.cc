// Which TensorFlow ops import treats specially. Kept in one place so that the steps agree.
#include <string_view>

#include "converter/import/steps.h"

namespace litelint::converter::import {

bool is_call_op(std::string_view op) {
  return op == "PartitionedCall" || op == "StatefulPartitionedCall";
}

bool is_control_flow_op(std::string_view op) {
  return op == "While" || op == "StatelessWhile" || op == "If" || op == "StatelessIf" ||
         op == "Case" || op == "StatelessCase";
}

bool is_variable_write_op(std::string_view op) {
  // The resource ops that change a variable in place; optimizer updates (ResourceApply*) are
  // writes too, though a serving signature rarely runs them.
  return op == "AssignVariableOp" || op == "AssignAddVariableOp" || op == "AssignSubVariableOp" ||
         op == "ResourceStridedSliceAssign" || op.starts_with("ResourceScatter") ||
         op.starts_with("ResourceSparseApply") || op.starts_with("ResourceApply") ||
         // TF1 reference-variable writes (ScatterNd itself is a pure op and is not listed).
         op == "Assign" || op == "AssignAdd" || op == "AssignSub" || op == "ScatterUpdate" ||
         op == "ScatterAdd" || op == "ScatterSub" || op == "ScatterMul" || op == "ScatterDiv" ||
         op == "ScatterMin" || op == "ScatterMax" || op == "ScatterNdUpdate" ||
         op == "ScatterNdAdd" || op == "ScatterNdSub";
}

bool is_forwarding_op(std::string_view op) {
  return op == "Identity" || op == "IdentityN" || op == "NoOp" || op == "Snapshot" ||
         op == "StopGradient" || op == "PreventGradient";
}

}  // namespace litelint::converter::import
