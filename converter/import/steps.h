#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/support/expected.h"
#include "converter/import/program.h"

// The steps of import, one per file, in the order program.cc runs them. They work on a
// FlatGraph: nodes in graph syntax plus the tensors the signature reads and computes.
namespace litelint::converter::import {

/// A graph under import: graph-syntax nodes, its input Placeholders and its output tensors.
struct FlatGraph {
  ir::NodeList nodes;
  std::vector<std::string> inputs;      ///< Placeholder node names, in signature order
  std::vector<ir::TensorRef> outputs;   ///< tensors computing the outputs, in signature order
};

/// True for the ops that call a library function through their `f` attr.
bool is_call_op(std::string_view op);
/// True for the control-flow ops whose function attrs become Program bodies.
bool is_control_flow_op(std::string_view op);
/// True for the ops that write a resource variable through their first input.
bool is_variable_write_op(std::string_view op);
/// True for Identity and the other ops that only forward their inputs.
bool is_forwarding_op(std::string_view op);

/// inline_calls.cc: copies the main-graph nodes that `outputs` and `inputs` reach into a flat
/// graph and inlines every call they make, recursively. Main-graph nodes keep their names;
/// inlined ones are named "<call>/<body node>". `outputs` are main-graph references.
Expected<FlatGraph> inline_main_graph(const ir::Graph& graph, const std::vector<std::string>& inputs,
                                      const std::vector<ir::TensorRef>& outputs);

/// inline_calls.cc: the body of `fn` as a flat graph: one Placeholder per argument (given in
/// `arg_placeholders`, in argument order), the live body nodes with calls inlined, and the
/// results in `fn.outputs` order.
Expected<FlatGraph> inline_function_body(const ir::Graph& graph, const ir::Function& fn,
                                         std::vector<ir::Node> arg_placeholders);

/// remove_identities.cc: removes forwarding ops (Identity, IdentityN, NoOp, Snapshot,
/// StopGradient, PreventGradient), rewiring data consumers to the forwarded tensor and
/// control consumers to the forwarding node's own inputs. An output that would then name a
/// graph input, or a tensor another output already names, keeps its Identity.
void remove_identities(FlatGraph& flat);

/// The value of a variable that a flat graph may read, by the node holding its handle.
struct VariableValue {
  ir::Tensor value;
  std::string origin;  ///< the main-graph variable node it comes from
};
using VariableValues = std::unordered_map<std::string, VariableValue>;

/// A control-flow function imported with some resource arguments frozen: the arguments are
/// gone from its inputs (and, for a While body, from its results, which pass them through).
struct BodyVariant {
  std::string function;
  std::map<std::size_t, VariableValue> frozen_args;  ///< by argument index
  bool drop_frozen_results = false;
};

/// The bodies a program needs, by the name the control-flow ops now use for them.
class BodyVariants {
 public:
  /// The name of `variant`'s body: the function's name when nothing is frozen, else a new
  /// name ("<function>/frozen", "<function>/frozen_1", ...), the same for the same variant.
  std::string name_for(BodyVariant variant);
  /// The variant a name stands for; nullptr for a plain function name.
  const BodyVariant* find(const std::string& name) const;

 private:
  std::map<std::string, BodyVariant> by_name_;
};

/// freeze_variables.cc: turns reads of read-only variables into Const nodes holding their
/// value (ReadVariableOp, ResourceGather, TF1 VariableV2). A variable is mutable when a write
/// op (or a function a control-flow op runs) in `flat` writes its handle. A read-only
/// variable passed into a While, If or Case is frozen inside too: the op runs a variant of
/// its functions (named in `variants`) without that argument. `graph` provides the function
/// library; `values` the variables by handle node.
Expected<void> freeze_variables(const ir::Graph& graph, const VariableValues& values, BodyVariants& variants,
                                FlatGraph& flat);

/// prune.cc: drops control inputs that name no node or a node without effects (Const,
/// Placeholder), then every node that the outputs, the inputs and the variable writes do not
/// reach over data and control edges.
void prune(FlatGraph& flat);

/// topo_sort.cc: orders nodes producers-first (inputs first, in signature order). Edges from
/// NextIteration (TF1 loops) are back edges. Fails on any other cycle, naming a node on it.
Expected<void> topo_sort(FlatGraph& flat);

/// lower_tensor_lists.cc: runs on the whole program once every body is imported, since a
/// list crosses graphs as a While loop variable. Rewrites each tensor list whose every op
/// has a plain-tensor form (TensorListReserve with a static element shape, FromTensor,
/// SetItem, GetItem, Stack) into a tensor of shape [count, element...]; the others stay.
void lower_tensor_lists(Program& program);

}  // namespace litelint::converter::import
