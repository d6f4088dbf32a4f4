#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/checks/graph/graph_import.h"
#include "rules/checks/graph/op_types.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags nodes that do not fit their op's definition (OpDef) the way TensorFlow's
ValidateNodeDef checks it: an attr without a default is missing, an attr holds a value of
the wrong kind (an int where a type is expected), a type attr is DT_INVALID, an attr is
below the OpDef's minimum (ConcatV2's `N` under 2, a MaxPool `ksize` of fewer than 4
values), or the number of data inputs differs from what the op's arguments add up to. (An attr the op does not
have is only logged by TensorFlow, and not flagged.) Checked in the main graph and in the
function bodies it calls, from TensorFlow's OpDefs (`rules/opdb/tf_op_signatures.toml`).
## Why is this bad?
TensorFlow validates each node against its OpDef while importing the graph, so the
conversion fails before it starts, e.g. "NodeDef missing attr 'shape' from
Op<name=TPUDummyInput; ...>" or "AttrValue had value with type 'int' when 'type'
expected".
## Example
    node { name: "in" op: "TPUDummyInput" attr { key: "dtype" value { type: DT_FLOAT } } }
Use instead:
    node { name: "in" op: "TPUDummyInput" attr { key: "dtype" value { type: DT_FLOAT } }
                                          attr { key: "shape" value { shape { } } } }
## Fix
Set the missing attr and give each attr a value of the kind the op declares (or convert
with the TensorFlow version that wrote the graph).
)md";

// The kind of an attr value as TensorFlow names it; "" for placeholders and unset values,
// which the check leaves alone.
std::string value_kind(const ir::AttrValue& v) {
  if (v.as_string()) return "string";
  if (v.as_int()) return "int";
  if (v.as_float()) return "float";
  if (v.as_bool()) return "bool";
  if (v.as_type()) return "type";
  if (v.as_shape()) return "shape";
  if (v.as_tensor()) return "tensor";
  if (v.as_func()) return "func";
  if (const ir::AttrList* l = v.as_list()) {
    // An empty list fits every list kind.
    if (!l->s.empty()) return "list(string)";
    if (!l->i.empty()) return "list(int)";
    if (!l->f.empty()) return "list(float)";
    if (!l->b.empty()) return "list(bool)";
    if (!l->type.empty()) return "list(type)";
    if (!l->shape.empty()) return "list(shape)";
    if (!l->tensor.empty()) return "list(tensor)";
    if (!l->func.empty()) return "list(func)";
    return "list";
  }
  return "";
}

std::string with_article(std::string_view kind) {
  const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", kind);
}

// The length ValidateAttrValue measures against a list attr's minimum: the entries of the
// declared kind (an empty list counts 0 for every kind).
std::size_t list_length(std::string_view declared, const ir::AttrList& l) {
  if (declared == "list(string)") return l.s.size();
  if (declared == "list(int)") return l.i.size();
  if (declared == "list(float)") return l.f.size();
  if (declared == "list(bool)") return l.b.size();
  if (declared == "list(type)") return l.type.size();
  if (declared == "list(shape)") return l.shape.size();
  if (declared == "list(tensor)") return l.tensor.size();
  return l.func.size();
}

// ValidateAttrValue's minimum: an int attr's value (N >= 2 for ConcatV2's inputs), a list
// attr's length (4 entries in MaxPool's ksize).
std::optional<std::string> below_minimum(const ir::Node& node, std::string_view key,
                                         const OpAttrSig& declared, const ir::AttrValue& value) {
  if (!declared.has_minimum) return std::nullopt;
  if (const std::int64_t* i = value.as_int(); i && declared.kind == "int") {
    if (*i >= declared.minimum) return std::nullopt;
    return fmt::format("attr '{}' is {}, below the minimum of {} that {} declares (\"Value for "
                       "attr '{}' of {} must be at least minimum {}\")",
                       key, *i, declared.minimum, node.op, key, *i, declared.minimum);
  }
  if (const ir::AttrList* l = value.as_list(); l && declared.kind.starts_with("list(")) {
    const auto length = static_cast<std::int64_t>(list_length(declared.kind, *l));
    if (length >= declared.minimum) return std::nullopt;
    return fmt::format("attr '{}' lists {} value{}, fewer than the {} that {} requires (\"Length "
                       "for attr '{}' of {} must be at least minimum {}\")",
                       key, length, length == 1 ? "" : "s", declared.minimum, node.op, key, length,
                       declared.minimum);
  }
  return std::nullopt;
}

bool kind_fits(std::string_view declared, std::string_view actual) {
  if (actual.empty() || actual == declared) return true;
  return actual == "list" && declared.starts_with("list(");
}

class InvalidNodeDef final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL415", .name = "invalid-node-def", .severity = Severity::Error,
            .summary = "node does not match its op's definition (attrs or input count), so "
                       "TensorFlow rejects it",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!checks::read_by_tensorflow(ctx)) return;
    check_body(graph.nodes, nullptr, ctx);
    for (const ir::Function* f : checks::reachable_functions(graph)) check_body(f->body, f, ctx);
  }

 private:
  static void check_body(const ir::NodeList& scope, const ir::Function* fn, RuleContext& ctx) {
    for (const auto& node : scope.nodes()) {
      const OpSignature* sig = find_op_signature(node.op);
      if (sig == nullptr) continue;
      if (auto problem = first_problem(node, *sig, fn != nullptr)) {
        checks::report_at(ctx, node, fn,
                          *problem + (fn ? fmt::format(" (in function '{}')", fn->name) : "") +
                              "; TensorFlow's ValidateNodeDef rejects the node at import")
            .impact(Impact::Fails)
            .suggestion(fmt::format("make the node match TensorFlow's definition of {} (or "
                                    "convert with the TensorFlow version that wrote the graph)",
                                    node.op));
      }
    }
  }

  // TensorFlow reports the first problem it meets; so does this, in ValidateNodeDef's order.
  static std::optional<std::string> first_problem(const ir::Node& node, const OpSignature& sig,
                                                  bool in_function) {
    for (const auto& [key, value] : node.attrs) {
      if (key.starts_with("_")) continue;
      const OpAttrSig* declared = nullptr;
      for (const auto& a : sig.attrs) {
        if (a.name == key) declared = &a;
      }
      // TensorFlow only logs an attr its OpDef lacks ("Unknown attributes will be ignored").
      if (declared == nullptr) continue;
      const std::string kind = value_kind(value);
      if (!kind_fits(declared->kind, kind)) {
        return fmt::format("attr '{}' holds {} where {} declares {} (\"AttrValue had value "
                           "with type '{}' when '{}' expected\")",
                           key, with_article(kind), node.op, with_article(declared->kind), kind,
                           declared->kind);
      }
      if (const ir::DType* t = value.as_type(); t && *t == ir::DType::Invalid) {
        return fmt::format("type attr '{}' is DT_INVALID (0), which is no type", key);
      }
      if (auto problem = below_minimum(node, key, *declared, value)) return problem;
    }
    std::vector<std::string_view> missing;
    for (const auto& a : sig.attrs) {
      if (!a.has_default && node.attr(a.name) == nullptr) missing.push_back(a.name);
    }
    if (!missing.empty()) {
      const bool one = missing.size() == 1;
      return fmt::format("{} '{}' that {} requires (no default) {} missing (\"NodeDef missing "
                         "attr{} '{}' from Op<name={}>\")",
                         one ? "attr" : "attrs", fmt::join(missing, "', '"), node.op,
                         one ? "is" : "are", one ? "" : "s", fmt::join(missing, "', '"), node.op);
    }
    // Placeholders in a body only get their values when the function is instantiated.
    if (auto expected = checks::flat_types(sig.inputs, node); expected && !in_function) {
      const std::size_t given = node.data_input_count();
      if (given != expected->size()) {
        return fmt::format("the op takes {} data input{} here, the node has {} (\"NodeDef "
                           "expected inputs ... do not match {} inputs specified\")",
                           expected->size(), expected->size() == 1 ? "" : "s", given, given);
      }
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Rule> make_invalid_node_def() { return std::make_unique<InvalidNodeDef>(); }

}  // namespace litelint::rules
