#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/checks/graph/graph_import.h"
#include "rules/checks/graph/op_types.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags inputs that name an output the producing op does not have (`x:3` of a one-output op),
and edges whose tensor has another dtype than the input it feeds: the consumer's OpDef
fixes the input's type (`Less` takes `T`, bound by the node's `T` attr; `ReadVariableOp`
takes a `resource`), and the producer's OpDef, with its own attrs, says what it makes.
Checked in the main graph and in the function bodies it calls, from TensorFlow's OpDefs
(`rules/opdb/tf_op_signatures.toml`). Also flags a colocation constraint (`_class` value
`loc:@name`) naming a node the graph does not have.
## Why is this bad?
TensorFlow's importer checks every edge (GraphConstructor::Convert and MakeEdge) and fails
with "Node 'b': Connecting to invalid output 1 of source node a which has 1 outputs" or
"Input 0 of node while/Less was passed resource from while/Merge:0 incompatible with
expected int32" before the converter sees the graph; tf.compat.v1.import_graph_def also
validates colocation ("Node 'r' expects to be colocated with unknown node 'nope'"). It happens in graphs edited by hand or
by tools that change one node's type attr and not its neighbours'.
## Example
    node { name: "m" op: "Merge" ... attr { key: "T" value { type: DT_RESOURCE } } }
    node { name: "less" op: "Less" input: "m" input: "limit" attr { key: "T" value { type: DT_INT32 } } }
## Fix
Name an output the producer has; drop a `loc:@` entry whose node was pruned away. Make the type attrs agree along the edge (or insert a
`Cast`); for a resource, read it with `ReadVariableOp` first.
)md";

struct Typed {
  const OpSignature* sig = nullptr;
  std::vector<ir::DType> inputs;
  std::vector<ir::DType> outputs;
};

class InvalidInputEdge final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL414", .name = "invalid-input-edge", .severity = Severity::Error,
            .summary = "input names a missing output or has a dtype the op does not take, so "
                       "TensorFlow rejects the edge",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!checks::read_by_tensorflow(ctx)) return;
    check_body(graph.nodes, nullptr, ctx);
    for (const ir::Function* f : checks::reachable_functions(graph)) check_body(f->body, f, ctx);
    if (checks::imported_by_import_graph_def(ctx)) check_colocation(graph.nodes, ctx);
  }

 private:
  // GraphConstructor::ValidateColocationConstraints: import_graph_def (which validates
  // colocation by default) wants every `loc:@name` of a main-graph node to name a node of
  // the GraphDef; a graph pruned without clearing `_class` fails here.
  static void check_colocation(const ir::NodeList& scope, RuleContext& ctx) {
    constexpr std::string_view kPrefix = "loc:@";
    for (const auto& node : scope.nodes()) {
      const ir::AttrValue* cls = node.attr("_class");
      const ir::AttrList* list = cls ? cls->as_list() : nullptr;
      if (list == nullptr) continue;
      for (const auto& c : list->s) {
        if (!c.starts_with(kPrefix)) continue;
        const std::string_view target = std::string_view(c).substr(kPrefix.size());
        if (scope.find(target) != nullptr) continue;
        checks::report_at(ctx, node, nullptr,
                          fmt::format("'_class' colocates '{}' with '{}', which is not a node of "
                                      "the graph; TensorFlow's importer fails with \"Node '{}' "
                                      "expects to be colocated with unknown node '{}'\"",
                                      node.name, target, node.name, target))
            .impact(Impact::Fails)
            .suggestion(fmt::format("remove \"{}\" from the node's '_class' attr (or keep the "
                                    "node it names in the graph)", c));
        break;  // TensorFlow stops at the first
      }
    }
  }

  static std::optional<Typed> typed(const ir::Node& node) {
    Typed t;
    t.sig = find_op_signature(node.op);
    if (t.sig == nullptr) return std::nullopt;
    auto in = checks::flat_types(t.sig->inputs, node);
    auto out = checks::flat_types(t.sig->outputs, node);
    if (!in || !out) return std::nullopt;
    t.inputs = std::move(*in);
    t.outputs = std::move(*out);
    return t;
  }

  // The dtype of the tensor `ref` names, when the producer's OpDef and attrs give it.
  static std::optional<ir::DType> produced(const ir::TensorRef& ref, const ir::NodeList& scope,
                                           const ir::Function* fn) {
    const ir::Node* producer = scope.find(ref.node);
    if (producer == nullptr) {
      if (fn == nullptr || !ref.output_arg.empty()) return std::nullopt;
      for (const auto& a : fn->inputs) {
        if (a.name == ref.node && a.type != ir::DType::Invalid) return a.type;
      }
      return std::nullopt;
    }
    const OpSignature* sig = find_op_signature(producer->op);
    if (sig == nullptr) return std::nullopt;
    if (ref.output_arg.empty()) {
      auto outs = checks::flat_types(sig->outputs, *producer);
      if (!outs || ref.index < 0 || static_cast<std::size_t>(ref.index) >= outs->size()) return std::nullopt;
      return (*outs)[static_cast<std::size_t>(ref.index)];
    }
    for (const auto& arg : sig->outputs) {
      if (arg.name != ref.output_arg) continue;
      auto types = checks::arg_types(arg, *producer);
      if (!types || ref.index < 0 || static_cast<std::size_t>(ref.index) >= types->size()) return std::nullopt;
      return (*types)[static_cast<std::size_t>(ref.index)];
    }
    return std::nullopt;
  }

  // How many outputs the producer of a plain "node:i" reference has, from its OpDef.
  static std::optional<std::size_t> output_count(const ir::TensorRef& ref, const ir::NodeList& scope) {
    if (!ref.output_arg.empty()) return std::nullopt;
    const ir::Node* producer = scope.find(ref.node);
    const OpSignature* sig = producer ? find_op_signature(producer->op) : nullptr;
    if (sig == nullptr) return std::nullopt;
    auto outs = checks::flat_types(sig->outputs, *producer);
    if (!outs) return std::nullopt;
    return outs->size();
  }

  static void check_body(const ir::NodeList& scope, const ir::Function* fn, RuleContext& ctx) {
    const std::string where = fn ? fmt::format(" (in function '{}')", fn->name) : "";
    for (const auto& node : scope.nodes()) {
      auto t = typed(node);
      if (!t) continue;
      std::size_t i = 0;
      for (const auto& ref : node.inputs) {
        if (ref.control) break;
        if (i >= t->inputs.size()) break;  // a count mismatch is LL415's
        const ir::DType want = t->inputs[i];
        if (auto count = output_count(ref, scope); count && ref.index >= 0 &&
                                                   static_cast<std::size_t>(ref.index) >= *count) {
          checks::report_at(ctx, node, fn,
                            fmt::format("input {} '{}' names output {} of '{}', which has {} "
                                        "output{}{}; TensorFlow's importer fails with \"Connecting "
                                        "to invalid output {}\"",
                                        i, ref.to_string(), ref.index, ref.node, *count,
                                        *count == 1 ? "" : "s", where, ref.index))
              .impact(Impact::Fails)
              .suggestion("name an output the producing node has");
          ++i;
          continue;
        }
        auto got = produced(ref, scope, fn);
        if (got && !checks::types_compatible(want, *got)) {
          checks::report_at(ctx, node, fn,
                            fmt::format("input {} '{}' is {}, but {} expects {} here{}; TensorFlow's "
                                        "importer fails with \"incompatible with expected {}\"",
                                        i, ref.to_string(), ir::dtype_name(*got), node.op,
                                        ir::dtype_name(want), where, ir::dtype_name(want)))
              .impact(Impact::Fails)
              .suggestion("make the type attrs agree along this edge, or insert a Cast (read a "
                          "resource with ReadVariableOp)");
        }
        ++i;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_invalid_input_edge() { return std::make_unique<InvalidInputEdge>(); }

}  // namespace litelint::rules
