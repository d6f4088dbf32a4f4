#include "rules/engine/rule_context.h"

#include <algorithm>
#include <utility>

namespace litelint::rules {
namespace {

// Constant-ness is decided by walking producers; real graphs fold a handful of levels, so a
// deeper chain is treated as not constant rather than risking deep recursion.
constexpr int kMaxConstantDepth = 48;

// Frames inside TensorFlow or Keras say nothing about the user's model code.
bool is_library_frame(const ir::StackFrame& f) {
  const std::string& p = f.file;
  return p.find("site-packages/") != std::string::npos ||
         p.find("dist-packages/") != std::string::npos ||
         p.find("tensorflow/python/") != std::string::npos ||
         p.find("keras/src/") != std::string::npos;
}

std::optional<SourceLocation> location_of(const ir::Node& node) {
  if (node.stack.empty()) return std::nullopt;
  const ir::StackFrame* best = &node.stack.back();
  for (auto it = node.stack.rbegin(); it != node.stack.rend(); ++it) {
    if (!is_library_frame(*it)) {
      best = &*it;
      break;
    }
  }
  return SourceLocation{best->file, best->line, best->function};
}

std::string string_attr(const ir::Node& node, std::string_view name) {
  const ir::AttrValue* a = node.attr(name);
  const std::string* s = a ? a->as_string() : nullptr;
  return s ? *s : std::string();
}

bool is_random_stateful(std::string_view op) {
  return op.find("Random") != std::string_view::npos && !op.starts_with("Stateless");
}

}  // namespace

FindingBuilder& FindingBuilder::suggestion(std::string text) {
  ctx_.raw_[index_].suggestion = std::move(text);
  return *this;
}

FindingBuilder& FindingBuilder::impact(Impact impact, std::string fallback_op) {
  auto& f = ctx_.raw_[index_];
  f.impact = impact;
  if (impact == Impact::None || impact == Impact::Fails) {
    f.fallback_op.clear();
  } else {
    f.fallback_op = fallback_op.empty() ? f.op : std::move(fallback_op);
  }
  return *this;
}

FindingBuilder& FindingBuilder::flag(ConverterFlag flag) {
  auto& flags = ctx_.raw_[index_].flags;
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
  return *this;
}

RuleContext::RuleContext(const ir::Graph& graph, const LintOptions& options,
                         const Profile& profile)
    : graph_(graph), options_(options), profile_(profile), paths_(1) {}

void RuleContext::set_walk(std::vector<VisitedNode> visited,
                           std::vector<std::vector<std::string>> paths) {
  visited_ = std::move(visited);
  paths_ = std::move(paths);
  if (paths_.empty()) paths_.emplace_back();
}

const std::vector<std::string>& RuleContext::function_path() const {
  return paths_.at(current_.path < paths_.size() ? current_.path : 0);
}

bool RuleContext::is_function_call(const ir::Node& node) const {
  return graph_.find_function(node.op) != nullptr;
}

RuleContext::ResolvedInput RuleContext::resolve(const ir::Node& node, std::size_t input) const {
  ResolvedInput r;
  if (input >= node.data_input_count() || input >= node.inputs.size()) return r;
  const ir::TensorRef& ref = node.inputs[input];
  const ir::NodeList& scope = current_.function ? current_.function->body : graph_.nodes;
  if (const ir::Node* p = scope.find(ref.node)) {
    r.node = p;
    // "node:arg:i" names output i of one output argument; for single-argument ops (nearly
    // all that rules ask about) that is the flat output index.
    r.index = static_cast<std::size_t>(std::max(ref.index, 0));
    return r;
  }
  if (current_.function && ref.output_arg.empty()) {
    for (const auto& arg : current_.function->inputs) {
      if (arg.name == ref.node) {
        r.arg = &arg;
        break;
      }
    }
  }
  return r;
}

const ir::Node* RuleContext::producer(const ir::Node& node, std::size_t input) const {
  return resolve(node, input).node;
}

std::optional<ir::TensorType> RuleContext::input_type(const ir::Node& node,
                                                      std::size_t input) const {
  auto r = resolve(node, input);
  if (r.node) {
    if (r.index < r.node->outputs.size() && r.node->outputs[r.index].dtype != ir::DType::Invalid) {
      return r.node->outputs[r.index];
    }
    return std::nullopt;
  }
  if (r.arg && r.arg->type != ir::DType::Invalid) {
    ir::TensorType t;
    t.dtype = r.arg->type;
    // The shape the function was traced with (tf.function's input_signature).
    const auto& fn = *current_.function;
    const auto index = static_cast<std::int32_t>(r.arg - fn.inputs.data());
    if (auto attrs = fn.arg_attrs.find(index); attrs != fn.arg_attrs.end()) {
      auto shapes = attrs->second.find("_output_shapes");
      if (shapes != attrs->second.end() && shapes->second.as_list() &&
          shapes->second.as_list()->shape.size() == 1) {
        t.shape = shapes->second.as_list()->shape[0];
      }
    }
    return t;
  }
  return std::nullopt;
}

bool RuleContext::is_constant(const ir::Node& node, std::size_t input) const {
  auto r = resolve(node, input);
  if (r.node) return is_constant_ref(*r.node, 0);
  // A resource argument is a captured variable, which the converter freezes.
  return r.arg && ir::base_dtype(r.arg->type) == ir::DType::Resource;
}

bool RuleContext::is_constant_ref(const ir::Node& n, int depth) const {
  if (auto it = constant_memo_.find(&n); it != constant_memo_.end()) return it->second;
  bool result = false;
  const std::string& op = n.op;
  if (op == "Const" || op == "HostConst" || op == "VarHandleOp" || op == "VariableV2" ||
      op == "ReadVariableOp") {
    // Variables are frozen to constants unless the graph writes them; that case is the
    // resource-variable rule's business, not a constness question.
    result = true;
  } else if (ir::is_placeholder(op) || op == "_Arg" || is_random_stateful(op) ||
             depth >= kMaxConstantDepth ||
             n.data_input_count() == 0) {
    result = false;
  } else if (op == "Shape" || op == "Size" || op == "Rank" || op == "ShapeN") {
    // The converter folds these when the input shape is static.
    auto t = input_type(n, 0);
    result = t && (op == "Rank" ? t->shape.has_rank() : t->shape.is_fully_defined());
  } else if (is_function_call(n) || op == "StatefulPartitionedCall" || op == "PartitionedCall") {
    result = false;
  } else if (const TfOpInfo* info = find_tf_op(op);
             !info || !(info->converts_to_builtins() || info->status == TfOpStatus::Removed)) {
    // Constant folding runs only pure math; stateful TF ops (TensorArrayV3, stateless random
    // generators, tables) are never folded, so the database's builtin ops bound it.
    result = false;
  } else {
    result = true;
    for (std::size_t i = 0; i < n.data_input_count() && result; ++i) {
      auto r = resolve(n, i);
      if (r.node) {
        result = is_constant_ref(*r.node, depth + 1);
      } else {
        result = r.arg && ir::base_dtype(r.arg->type) == ir::DType::Resource;
      }
    }
  }
  constant_memo_.emplace(&n, result);
  return result;
}

FindingBuilder RuleContext::report(const ir::Node& node, std::string cause) {
  RawFinding f;
  f.rule = rule_;
  f.node.name = node.name;
  f.node.path = function_path();
  f.node.path.push_back(node.name);
  f.node.location = location_of(node);
  f.node.keras_layer = string_attr(node, "_keras_layer");
  f.node.keras_class = string_attr(node, "_keras_class");
  f.op = node.op;
  f.cause = std::move(cause);
  raw_.push_back(std::move(f));
  return FindingBuilder(*this, raw_.size() - 1);
}

}  // namespace litelint::rules
