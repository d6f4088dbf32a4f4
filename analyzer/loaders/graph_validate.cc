#include "analyzer/loaders/graph_validate.h"

#include <cctype>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace litelint::analyzer {
namespace {

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// One output argument of an op: its name and how many tensors it yields (nullopt when that
// depends on attributes we cannot read, e.g. placeholders inside a function body).
struct OutputArg {
  std::string_view name;
  std::optional<std::int64_t> count;
};

// Output arguments of common ops whose OpDef a plain GraphDef does not carry. Each yields one
// tensor. Names are TensorFlow's OpDef output_arg names; a wrong entry here would reject valid
// graphs, so only ops whose outputs are certain are listed.
const std::unordered_map<std::string_view, std::vector<std::string_view>>& known_ops() {
  static const auto* table = new std::unordered_map<std::string_view, std::vector<std::string_view>>{
      {"Const", {"output"}},          {"Placeholder", {"output"}},
      {"PlaceholderWithDefault", {"output"}},
      {"Identity", {"output"}},       {"StopGradient", {"output"}},
      {"Cast", {"y"}},                {"Add", {"z"}},
      {"AddV2", {"z"}},               {"Sub", {"z"}},
      {"Mul", {"z"}},                 {"RealDiv", {"z"}},
      {"Maximum", {"z"}},             {"Minimum", {"z"}},
      {"MatMul", {"product"}},        {"BiasAdd", {"output"}},
      {"Relu", {"activations"}},      {"Relu6", {"activations"}},
      {"Tanh", {"y"}},                {"Sigmoid", {"y"}},
      {"Softmax", {"softmax"}},       {"Reshape", {"output"}},
      {"Shape", {"output"}},          {"ReadVariableOp", {"value"}},
      {"VarHandleOp", {"resource"}},  {"Merge", {"output", "value_index"}},
      {"Switch", {"output_false", "output_true"}},
      {"Enter", {"output"}},          {"Exit", {"output"}},
      {"NextIteration", {"output"}},  {"LoopCond", {"output"}},
      {"NoOp", {}},                   {"ConcatV2", {"output"}},
      {"Pack", {"output"}},           {"Transpose", {"y"}},
      {"Conv2D", {"output"}},         {"MaxPool", {"output"}},
  };
  return *table;
}

// TensorFlow's IsValidNodeName (graph_constructor.cc) as its own loaders run it
// (allow_internal_ops = true): one of [A-Za-z0-9._], then [A-Za-z0-9_./-]*, then any number
// of pieces made of '>', one of [A-Za-z0-9.] and [A-Za-z0-9_./-]*. import_graph_def also
// refuses the leading '_'; rule LL410 reports that, since SavedModel loaders accept it.
bool valid_node_name(std::string_view name) {
  auto head = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.'; };
  auto body = [&](char c) { return head(c) || c == '_' || c == '-' || c == '/'; };
  std::size_t i = 0;
  bool first = true;
  while (true) {
    if (i >= name.size() || !(head(name[i]) || (first && name[i] == '_'))) return false;
    for (++i; i < name.size() && body(name[i]); ++i) {
    }
    if (i == name.size()) return true;
    if (name[i] != '>') return false;
    ++i;
    first = false;
  }
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

class Validator {
 public:
  Validator(const ir::Graph& graph, const tensorflow::OpList* declared_ops, ConstValues const_values)
      : graph_(graph), const_values_(const_values) {
    if (declared_ops != nullptr) {
      for (const auto& op : declared_ops->op()) declared_.emplace(op.name(), &op);
    }
    for (const auto& f : graph.functions) functions_.emplace(f.name, &f);
  }

  Expected<void> run() {
    for (const auto& node : graph_.nodes.nodes()) check_node(node, nullptr);
    std::unordered_set<std::string_view> function_names;
    for (const auto& f : graph_.functions) {
      if (!f.name.empty() && !function_names.insert(f.name).second) {
        problem("function " + quoted(f.name) + " is defined more than once");
      }
      check_function(f);
    }
    if (problem_count_ == 0) return {};
    std::string reason = first_problem_;
    if (problem_count_ > 1) {
      reason += " (and " + std::to_string(problem_count_ - 1) + " more problem" +
                (problem_count_ > 2 ? "s" : "") + ")";
    }
    return bad_input(std::move(reason));
  }

 private:
  void problem(std::string text) {
    if (problem_count_++ == 0) first_problem_ = std::move(text);
  }

  static std::string where(const ir::Node& node, const ir::Function* f) {
    std::string out = "node " + quoted(printable(node.name)) + " (" + printable(node.op) + ")";
    if (f != nullptr) out = "function " + quoted(printable(f->name)) + ": " + out;
    return out;
  }

  // Output args of the op that `producer` runs, when known. Filled into one reused vector:
  // this runs for every input of every node, and a fresh vector each time was an allocation
  // per input.
  const std::vector<OutputArg>* outputs_of(const ir::Node& producer) {
    const OpSource& source = op_source(producer.op);
    outputs_.clear();
    switch (source.kind) {
      case OpSource::Function:
        for (const auto& arg : source.function->outputs) {
          outputs_.push_back({arg.name, count_of(producer, arg.number_attr, arg.type_list_attr)});
        }
        return &outputs_;
      case OpSource::Declared:
        for (const auto& arg : source.declared->output_arg()) {
          outputs_.push_back({arg.name(), count_of(producer, arg.number_attr(), arg.type_list_attr())});
        }
        return &outputs_;
      case OpSource::Known:
        for (auto name : *source.known) outputs_.push_back({name, 1});
        return &outputs_;
      case OpSource::Unknown:
        break;
    }
    return nullptr;
  }

  // Where an op's output args are described: a library function, the MetaGraph's op list, or
  // known_ops(), in that order. Cached per op type (one lookup per input instead of three).
  struct OpSource {
    enum Kind { Function, Declared, Known, Unknown } kind = Unknown;
    const ir::Function* function = nullptr;
    const tensorflow::OpDef* declared = nullptr;
    const std::vector<std::string_view>* known = nullptr;
  };

  const OpSource& op_source(const std::string& op) {
    auto [it, inserted] = op_sources_.try_emplace(op);
    if (!inserted) return it->second;
    OpSource& source = it->second;
    if (auto f = functions_.find(op); f != functions_.end()) {
      source.kind = OpSource::Function;
      source.function = f->second;
    } else if (auto d = declared_.find(op); d != declared_.end()) {
      source.kind = OpSource::Declared;
      source.declared = d->second;
    } else if (auto k = known_ops().find(op); k != known_ops().end()) {
      source.kind = OpSource::Known;
      source.known = &k->second;
    }
    return source;
  }

  static std::optional<std::int64_t> count_of(const ir::Node& node, const std::string& number_attr,
                                              const std::string& type_list_attr) {
    if (!number_attr.empty()) {
      const ir::AttrValue* a = node.attr(number_attr);
      const std::int64_t* n = a ? a->as_int() : nullptr;
      if (n == nullptr) return std::nullopt;
      return *n;
    }
    if (!type_list_attr.empty()) {
      const ir::AttrValue* a = node.attr(type_list_attr);
      const ir::AttrList* l = a ? a->as_list() : nullptr;
      if (l == nullptr) return std::nullopt;
      return static_cast<std::int64_t>(l->type.size());
    }
    return 1;
  }

  // Checks that `ref` (already known to name `producer`) picks an output that exists.
  void check_output(const ir::Node& consumer, const ir::Function* f, const ir::TensorRef& ref,
                    const ir::Node& producer, std::string_view what) {
    if (ref.control) return;
    const auto* outputs = outputs_of(producer);
    if (!outputs) return;
    auto prefix = [&] {
      return where(consumer, f) + ": " + std::string(what) + " " + quoted(printable(ref.to_string())) + ": ";
    };
    auto producer_name = [&] { return quoted(printable(producer.name)) + " (" + printable(producer.op) + ")"; };
    if (!ref.output_arg.empty()) {
      for (const auto& arg : *outputs) {
        if (arg.name != ref.output_arg) continue;
        if (arg.count && ref.index >= *arg.count) {
          problem(prefix() + "output " + std::to_string(ref.index) + " of " + producer_name() + "'s " +
                  quoted(arg.name) + " is out of bounds (it has " + std::to_string(*arg.count) + ")");
        }
        return;
      }
      problem(prefix() + producer_name() + " has no output called " + quoted(printable(ref.output_arg)));
      return;
    }
    std::int64_t total = 0;
    for (const auto& arg : *outputs) {
      if (!arg.count) return;
      total += *arg.count;
    }
    if (ref.index >= total) {
      problem(prefix() + "output " + std::to_string(ref.index) + " of " + producer_name() +
              " is out of bounds (it has " + std::to_string(total) + " output" +
              (total == 1 ? "" : "s") + ")");
    }
  }

  // Where a problem is: built only when there is one, since graphs are mostly valid and
  // composing a name per node and attribute was a fifth of loading time.
  using Owner = std::function<std::string()>;

  void check_attrs(const ir::AttrMap& attrs, const Owner& owner, bool in_function, int depth = 0) {
    for (const auto& [key, value] : attrs) {
      if (key.empty()) problem(owner() + ": empty attr name");
      // Only placeholders and function references can be wrong; most attrs are neither, and
      // building the Owner for each was a tenth of validation.
      const ir::AttrList* list = value.as_list();
      if (!std::holds_alternative<ir::AttrPlaceholder>(value.value) && value.as_func() == nullptr &&
          (list == nullptr || list->func.empty())) {
        continue;
      }
      check_attr(value, [&] { return owner() + ": attr " + quoted(printable(key)); }, in_function, depth);
    }
  }

  void check_func_ref(const ir::FuncRef& func, const Owner& owner, bool in_function, int depth) {
    if (func.name.empty()) problem(owner() + ": function reference without a name");
    if (depth < 16) check_attrs(func.attrs, owner, in_function, depth + 1);
  }

  void check_attr(const ir::AttrValue& value, const Owner& owner, bool in_function, int depth) {
    if (std::holds_alternative<ir::AttrPlaceholder>(value.value) && !in_function) {
      problem(owner() + ": placeholder value outside a function body");
    }
    if (const ir::FuncRef* func = value.as_func()) check_func_ref(*func, owner, in_function, depth);
    if (const ir::AttrList* list = value.as_list()) {
      for (const auto& func : list->func) check_func_ref(func, owner, in_function, depth);
    }
  }

  void check_node(const ir::Node& node, const ir::Function* f) {
    const auto here = [&] { return where(node, f); };
    if (node.name.empty()) {
      problem(here() + ": node without a name");
    } else if (f == nullptr && !valid_node_name(node.name)) {
      problem(here() + ": node name contains invalid characters");
    }
    if (node.op.empty()) problem(here() + ": empty op type");
    check_attrs(node.attrs, here, f != nullptr);
    if (node.op == "Const" && const_values_ == ConstValues::Required) {
      const ir::AttrValue* value = node.attr("value");
      if (value == nullptr || value->as_tensor() == nullptr) problem(here() + ": Const node has no 'value' tensor");
    }
    bool seen_control = false;
    for (const auto& in : node.inputs) {
      if (in.control) {
        seen_control = true;
      } else if (seen_control) {
        problem(here() + ": data input " + quoted(printable(in.to_string())) +
                " comes after a control input");
      }
      check_input(node, f, in, "input");
    }
  }

  // An input names a node of the same scope; inside a function a bare name may also be one of
  // the function's arguments.
  void check_input(const ir::Node& node, const ir::Function* f, const ir::TensorRef& in,
                   std::string_view what) {
    const ir::NodeList& scope = f ? f->body : graph_.nodes;
    if (const ir::Node* producer = scope.find(in.node)) {
      check_output(node, f, in, *producer, what);
      return;
    }
    if (f != nullptr && in.output_arg.empty() && is_arg(*f, in.node)) return;
    problem(where(node, f) + ": " + std::string(what) + " " + quoted(printable(in.to_string())) +
            " names a node that does not exist");
  }

  static bool is_arg(const ir::Function& f, std::string_view name) {
    for (const auto& a : f.inputs) {
      if (a.name == name) return true;
    }
    return false;
  }

  void check_function(const ir::Function& f) {
    const std::string here = "function " + quoted(printable(f.name));
    if (f.name.empty()) problem("function without a name");
    check_attrs(f.attrs, [&] { return here; }, true);
    for (const auto& [index, attrs] : f.arg_attrs) {
      check_attrs(attrs, [&] { return here + ": argument " + std::to_string(index); }, true);
    }
    std::unordered_set<std::string_view> args;
    for (const auto& a : f.inputs) {
      if (a.name.empty()) problem(here + ": input argument without a name");
      if (!args.insert(a.name).second) problem(here + ": duplicated argument name " + quoted(a.name));
    }
    for (const auto& node : f.body.nodes()) {
      if (args.count(node.name)) {
        problem(here + ": node " + quoted(printable(node.name)) +
                " has the same name as a function argument");
      }
      check_node(node, &f);
    }
    for (const auto& out : f.outputs) {
      if (out.name.empty()) problem(here + ": output argument without a name");
      if (!f.ret.count(out.name)) problem(here + ": output " + quoted(out.name) + " was not found in 'ret'");
    }
    for (const auto& [key, value] : f.ret) {
      if (key.empty()) problem(here + ": 'ret' entry without a name");
      auto ref = ir::TensorRef::parse(value);
      if (!ref || ref->control) {
        problem(here + ": result " + quoted(key) + " has an invalid value " + quoted(printable(value)));
        continue;
      }
      // A body the loader did not build (nothing calls it) has no nodes to check against.
      if (!f.body_loaded) continue;
      if (const ir::Node* producer = f.body.find(ref->node)) {
        check_ret(f, *ref, *producer, key);
      } else if (!(ref->output_arg.empty() && ref->index == 0 && is_arg(f, ref->node))) {
        problem(here + ": result " + quoted(key) + " names " + quoted(printable(value)) + ", which was not found");
      }
    }
    for (const auto& name : f.control_outputs) {
      if (!f.control_ret.count(name)) {
        problem(here + ": control output " + quoted(name) + " was not found in 'control_ret'");
      }
    }
    for (const auto& [key, value] : f.control_ret) {
      if (key.empty()) problem(here + ": 'control_ret' entry without a name");
      if (value.empty()) {
        problem(here + ": control result " + quoted(key) + " is empty");
      } else if (f.body_loaded && f.body.find(value) == nullptr && !is_arg(f, value)) {
        problem(here + ": control result " + quoted(key) + " names node " + quoted(printable(value)) +
                ", which was not found");
      }
    }
  }

  void check_ret(const ir::Function& f, const ir::TensorRef& ref, const ir::Node& producer,
                 const std::string& key) {
    if (ref.output_arg.empty()) return;
    const auto* outputs = outputs_of(producer);
    if (!outputs) return;
    for (const auto& arg : *outputs) {
      if (arg.name == ref.output_arg) {
        if (arg.count && ref.index >= *arg.count) {
          problem("function " + quoted(printable(f.name)) + ": result " + quoted(key) + " " +
                  quoted(ref.to_string()) + " is out of bounds");
        }
        return;
      }
    }
    problem("function " + quoted(printable(f.name)) + ": result " + quoted(key) + ": " +
            quoted(printable(producer.name)) + " (" + producer.op + ") has no output called " +
            quoted(printable(ref.output_arg)));
  }

  const ir::Graph& graph_;
  ConstValues const_values_;
  std::unordered_map<std::string_view, const tensorflow::OpDef*> declared_;
  std::unordered_map<std::string_view, const ir::Function*> functions_;
  std::size_t problem_count_ = 0;
  std::string first_problem_;
  std::vector<OutputArg> outputs_;  // outputs_of's result
  std::unordered_map<std::string_view, OpSource> op_sources_;  // keys: op strings of graph_
};

}  // namespace

Expected<void> validate_graph(const ir::Graph& graph, const tensorflow::OpList* declared_ops,
                              ConstValues const_values) {
  return Validator(graph, declared_ops, const_values).run();
}

}  // namespace litelint::analyzer
