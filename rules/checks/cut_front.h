#pragma once

// Graph surgery shared by the fixes that cut a front out of the model (a Python callback, a
// string preprocessing op): the node's one output becomes a new model input, named after the
// node, which the app computes from the original inputs and feeds; the rest of the model
// converts. This changes the model's interface (unsafe): the plan records the new input's
// name, dtype and shape, and the summary says what the app must compute. The cut applies only
// where the node reads the model's inputs and constants alone (a front), has one output of a
// static shape (as inferred, or --input-shape NODE=...), and something other than Identity
// reads it (otherwise nothing would be left to convert). A node inside a function body gets
// the input threaded through its callers' signatures, one call site each.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules::cut_front {

inline bool is_call(std::string_view op) { return op == "StatefulPartitionedCall" || op == "PartitionedCall"; }

// One step up the chain from a body to the main graph: the call node and the body holding it.
struct CallSite {
  std::string body;  ///< "" for the main graph
  std::string node;
};

struct Cut {
  std::string key;  ///< the new input's name (signature key and main-graph Placeholder)
  ir::TensorType type;
  std::vector<CallSite> chain;  ///< from the callback's body up to the main graph
  std::vector<std::string> reads;  ///< the model inputs the callback reads
  std::vector<std::string> signatures;  ///< the signatures that get the new input
};

// The single call of function `body`; nullopt when there are none or several.
inline std::optional<CallSite> call_site(const ir::Graph& graph, const std::string& body) {
  std::optional<CallSite> found;
  int count = 0;
  const auto scan = [&](const std::string& where, const ir::NodeList& nodes) {
    for (const auto& n : nodes.nodes()) {
      const ir::AttrValue* f = n.attr("f");
      if (is_call(n.op) && f && f->as_func() && f->as_func()->name == body) {
        ++count;
        found = CallSite{where, n.name};
      }
    }
  };
  scan("", graph.nodes);
  for (const auto& fn : graph.functions) {
    if (fn.body_loaded) scan(fn.name, fn.body);
  }
  if (count != 1) return std::nullopt;
  return found;
}

inline std::string dims_text(const ir::Shape& shape) {
  std::string out;
  for (const auto d : shape.dims()) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

inline std::optional<ir::Shape> parse_dims(const std::string& text) {
  std::vector<std::int64_t> dims;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(',', at), text.size());
    std::int64_t d = 0;
    auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + end, d);
    if (ec != std::errc() || ptr != text.data() + end || d < 0) return std::nullopt;
    dims.push_back(d);
    at = end + 1;
  }
  return ir::Shape(std::move(dims));
}

inline std::string sanitized(const std::string& name) {
  std::string out;
  for (const char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  return out;
}

/// Cuts a node at the model's front out: its one output becomes a new model input (see the
/// file comment). `info` names the fix and its rule; `cuts` says which ops it takes.
class CutFront final : public Fix {
 public:
  CutFront(FixInfo info, bool (*cuts)(std::string_view op)) : info_(info), cuts_(cuts) {}

  FixInfo info() const override { return info_; }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions& options,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (!cuts_(finding.op)) return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      // What the callback returns is the user's knowledge when TensorFlow did not record it.
      std::optional<ir::Shape> shape;
      if (auto it = options.input_shapes.find(sanitized(node->name)); it != options.input_shapes.end()) shape = it->second;
      auto cut = plan(graph, body, *nodes, *node, shape, why_not);
      if (!cut) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.params["input"] = cut->key;
      m.params["dtype"] = ir::dtype_name(cut->type.dtype);
      m.params["shape"] = dims_text(cut->type.shape);
      std::string reads;
      for (const auto& r : cut->reads) reads += (reads.empty() ? "" : ", ") + r;
      m.summary = "cut " + node->op + " '" + node->name + "': new input '" + cut->key + "' " +
                  ir::dtype_name(cut->type.dtype) + cut->type.shape.to_string() + " = " + node->op + "(" + reads +
                  "), computed by the app";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* found = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    const auto shape = match.params.count("shape") ? parse_dims(match.params.at("shape")) : std::nullopt;
    auto cut = found && shape ? plan(graph, match.body, *nodes, *found, shape, why) : std::nullopt;
    if (!cut || match.params.count("input") == 0 || match.params.at("input") != cut->key)
      return fail(ErrorCode::BadInput, "no node to cut" + (why.empty() ? "" : ": " + why));
    const ir::Node callback = *found;
    GraphEdit edit;
    edit.removed.push_back(describe(callback));
    // Gone first, so that in the main graph the new input can take the callback's name.
    std::erase_if(nodes->mutable_nodes(), [&](const ir::Node& n) { return n.name == callback.name; });
    nodes->reindex();

    // The main graph's new Placeholder and signature input.
    ir::Node placeholder;
    placeholder.name = unique_name(graph.nodes, cut->key);
    placeholder.op = "Placeholder";
    placeholder.attrs["dtype"] = ir::AttrValue{cut->type.dtype};
    placeholder.attrs["shape"] = ir::AttrValue{cut->type.shape};
    placeholder.outputs = {cut->type};
    edit.added.push_back(describe(placeholder));
    const std::string placeholder_name = placeholder.name;
    insert_after(graph.nodes, "", std::move(placeholder));
    for (auto& sig : graph.signatures) {
      if (std::find(cut->signatures.begin(), cut->signatures.end(), sig.key) != cut->signatures.end())
        sig.inputs.push_back({cut->key, placeholder_name + ":0", cut->type});
    }

    // Thread it down the call chain: each callee gets a new last argument, each call one more
    // data input (before its control inputs) and one more Tin.
    ir::TensorRef value{placeholder_name, "", 0, false};
    for (auto it = cut->chain.rbegin(); it != cut->chain.rend(); ++it) {
      ir::NodeList* caller = body_nodes(graph, it->body);
      ir::Node* call = caller->find(it->node);
      const std::string callee = call->attr("f")->as_func()->name;
      call->inputs.insert(call->inputs.begin() + static_cast<std::ptrdiff_t>(call->data_input_count()), value);
      ir::AttrValue& tin = call->attrs["Tin"];
      ir::AttrList list = tin.as_list() ? *tin.as_list() : ir::AttrList{};
      list.type.push_back(cut->type.dtype);
      tin.value = ir::Box<ir::AttrList>(std::move(list));
      edit.changed.push_back(describe(*call));
      for (auto& f : graph.functions) {
        if (f.name != callee) continue;
        std::string arg = unique_name(f.body, sanitized(cut->key));
        while (std::any_of(f.inputs.begin(), f.inputs.end(), [&](const ir::ArgDef& a) { return a.name == arg; })) arg += "_";
        ir::ArgDef def;
        def.name = arg;
        def.type = cut->type.dtype;
        f.inputs.push_back(std::move(def));
        ir::AttrList shapes;
        shapes.shape.push_back(cut->type.shape);
        f.arg_attrs[static_cast<std::int32_t>(f.inputs.size() - 1)]["_output_shapes"].value =
            ir::Box<ir::AttrList>(std::move(shapes));
        value = ir::TensorRef{arg, "", 0, false};
      }
    }

    // Readers of the callback read the argument; the callback goes.
    for (auto& n : nodes->mutable_nodes()) {
      bool changed = false;
      for (auto& r : n.inputs) {
        if (r.node != callback.name) continue;
        if (r.control) continue;
        r = value;
        changed = true;
      }
      std::erase_if(n.inputs, [&](const ir::TensorRef& r) { return r.control && r.node == callback.name; });
      if (changed) edit.changed.push_back(describe(n));
    }
    if (!match.body.empty()) {
      for (auto& f : graph.functions) {
        if (f.name != match.body) continue;
        for (auto& [k, v] : f.ret) {
          auto r = ir::TensorRef::parse(v);
          if (r && r->node == callback.name) v = value.node;
        }
      }
    }
    // What only fed the cut node (an Identity, Cast or Reshape of the inputs) is dead now.
    std::vector<std::string> dead;
    for (std::size_t i = 0; i < callback.data_input_count(); ++i) dead.push_back(callback.inputs[i].node);
    nodes->reindex();
    while (!dead.empty()) {
      const std::string name = dead.back();
      dead.pop_back();
      const ir::Node* p = nodes->find(name);
      if (p == nullptr || ir::is_placeholder(p->op) || !consumers(*nodes, name).empty() ||
          returned(graph, match.body, name))
        continue;
      for (std::size_t i = 0; i < p->data_input_count(); ++i) dead.push_back(p->inputs[i].node);
      edit.removed.push_back(describe(*p));
      std::erase_if(nodes->mutable_nodes(), [&](const ir::Node& n) { return n.name == name; });
      nodes->reindex();
    }
    graph.nodes.reindex();
    return edit;
  }

 private:
  std::optional<Cut> plan(const ir::Graph& graph, const std::string& body, const ir::NodeList& nodes,
                                 const ir::Node& node, const std::optional<ir::Shape>& shape, std::string& why_not) const {
    if (!cuts_(node.op)) return std::nullopt;
    const std::string what = node.op + " '" + node.name + "'";
    if (node.outputs.size() != 1 || node.outputs[0].dtype == ir::DType::Invalid) {
      why_not = what + " does not have one output of a known type to become an input";
      return std::nullopt;
    }
    const ir::Shape result_shape = shape ? *shape : node.outputs[0].shape;
    if (!result_shape.is_fully_defined()) {
      why_not = what + " returns a tensor of shape " + node.outputs[0].shape.to_string() +
                ", which TensorFlow did not record; give it as --input-shape " + sanitized(node.name) + "=D1,D2,...";
      return std::nullopt;
    }
    Cut cut;
    cut.key = sanitized(node.name);
    cut.type = {node.outputs[0].dtype, result_shape};
    // A front: what the callback reads comes from the model's inputs and constants only.
    std::vector<const ir::Node*> todo;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < node.data_input_count(); ++i) {
      const ir::Node* p = nodes.find(node.inputs[i].node);
      if (p == nullptr) {
        cut.reads.push_back(node.inputs[i].node);  // a function argument: a model input
        continue;
      }
      todo.push_back(p);
    }
    while (!todo.empty()) {
      const ir::Node* p = todo.back();
      todo.pop_back();
      if (!seen.insert(p->name).second) continue;
      if (ir::is_placeholder(p->op)) {
        cut.reads.push_back(p->name);
        continue;
      }
      if (p->op == "Const") continue;
      if (p->op != "Identity" && p->op != "Cast" && p->op != "Reshape") {
        why_not = what + " reads '" + p->name + "' (" + p->op + "), computed in the model: it is not at the front";
        return std::nullopt;
      }
      for (std::size_t i = 0; i < p->data_input_count(); ++i) {
        const ir::Node* q = nodes.find(p->inputs[i].node);
        if (q == nullptr) cut.reads.push_back(p->inputs[i].node);
        else todo.push_back(q);
      }
    }
    // Something besides Identity must read the result, or nothing is left to convert.
    bool computed = false;
    std::vector<std::string> frontier = {node.name};
    std::set<std::string> visited;
    while (!frontier.empty() && !computed) {
      const std::string at = frontier.back();
      frontier.pop_back();
      if (!visited.insert(at).second) continue;
      for (const ir::Node* c : consumers(nodes, at)) {
        const bool data = std::any_of(c->inputs.begin(), c->inputs.end(),
                                      [&](const ir::TensorRef& r) { return r.node == at && !r.control; });
        if (!data) continue;
        if (c->op == "Identity" || c->op == "IdentityN") frontier.push_back(c->name);
        else computed = true;
      }
    }
    if (!computed) {
      why_not = what + " feeds the outputs directly: cutting it leaves nothing of the model to convert";
      return std::nullopt;
    }
    // The chain of single call sites from the body up to the main graph.
    std::string at = body;
    while (!at.empty()) {
      auto site = call_site(graph, at);
      if (!site) {
        why_not = what + ": function '" + at + "' is not called from exactly one place";
        return std::nullopt;
      }
      cut.chain.push_back(*site);
      at = site->body;
      if (cut.chain.size() > 16) return std::nullopt;
    }
    // The signatures that run the callback: those whose outputs the top call (or, in the main
    // graph, anything) produces. Each gets the new input.
    for (const auto& sig : graph.signatures) {
      const bool reaches = cut.chain.empty() || std::any_of(sig.outputs.begin(), sig.outputs.end(), [&](const auto& o) {
                             auto r = ir::TensorRef::parse(o.tensor_name);
                             return r && r->node == cut.chain.back().node;
                           });
      if (!reaches) continue;
      cut.signatures.push_back(sig.key);
      for (const auto& in : sig.inputs) {
        if (in.key == cut.key) cut.key += "_cut";
      }
    }
    // A GraphDef without signatures takes its inputs from its Placeholders: nothing to extend.
    if (cut.signatures.empty() && !graph.signatures.empty()) {
      why_not = what + ": no signature runs it";
      return std::nullopt;
    }
    return cut;
  }

  // Whether `name` is a graph output (a signature's, in the main graph) or its body returns it.
  static bool returned(const ir::Graph& graph, const std::string& body, const std::string& name) {
    const auto names = [&](const std::string& ref) {
      auto r = ir::TensorRef::parse(ref);
      return r && r->node == name;
    };
    if (body.empty()) {
      for (const auto& sig : graph.signatures) {
        for (const auto& o : sig.outputs) {
          if (names(o.tensor_name)) return true;
        }
      }
      return false;
    }
    const ir::Function* f = graph.find_function(body);
    return f == nullptr || std::any_of(f->ret.begin(), f->ret.end(), [&](const auto& kv) { return names(kv.second); });
  }

  FixInfo info_;
  bool (*cuts_)(std::string_view op);
};

}  // namespace litelint::rules::cut_front
