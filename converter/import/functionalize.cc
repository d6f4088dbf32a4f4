// Functionalizes TF1 control flow before import, as TensorFlow's converter does (its
// functionalize_while / functionalize_cond passes): each while frame becomes a While node
// with cond and body functions, each Switch/Merge conditional an If node with branch
// functions. Import then treats them like TF2 control flow.
//
// A while frame is the set of nodes between its Enter nodes and its Exit nodes; frames nest.
// Loop variable i is Enter_i -> Merge_i(Enter_i, NextIteration_i) -> Switch_i(Merge_i,
// LoopCond) -> Switch_i:1 (the body's view) / Switch_i:0 -> Exit_i. The cond function is
// what LoopCond reads, computed from the Merges; the body function is what the
// NextIterations read, computed from the Switches' true outputs. Enters that feed no Merge
// are loop invariants: extra loop variables the body returns unchanged.
//
// A conditional is a Merge whose two inputs are computed, each, from outputs of Switches on
// one predicate: the inputs behind Switch:1 (true) form the then branch, those behind
// Switch:0 the else branch. The tensors those Switches forward become the If's inputs.
#include "converter/import/functionalize.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/passes/infer_shapes.h"

namespace litelint::converter::import {
namespace {

bool op_is(const ir::Node& n, std::string_view op) {
  return n.op == op || (n.op.size() == op.size() + 3 && n.op.starts_with("Ref") && n.op.ends_with(op));
}
bool is_switch(const ir::Node& n) { return op_is(n, "Switch"); }
bool is_merge(const ir::Node& n) { return op_is(n, "Merge"); }
bool is_enter(const ir::Node& n) { return op_is(n, "Enter"); }
bool is_exit(const ir::Node& n) { return op_is(n, "Exit"); }
bool is_next_iteration(const ir::Node& n) { return op_is(n, "NextIteration"); }
bool is_loop_cond(const ir::Node& n) { return n.op == "LoopCond"; }

bool is_v1_control_flow(const ir::Node& n) {
  return is_switch(n) || is_merge(n) || is_enter(n) || is_exit(n) || is_next_iteration(n) || is_loop_cond(n);
}

std::string describe(const ir::Node& n) { return "node '" + n.name + "' (" + n.op + ")"; }

ir::TensorRef tensor(const std::string& node, std::size_t index) {
  ir::TensorRef ref;
  ref.node = node;
  ref.index = static_cast<std::int32_t>(index);
  return ref;
}

ir::TensorRef control_on(const std::string& node) {
  ir::TensorRef ref;
  ref.node = node;
  ref.control = true;
  return ref;
}

std::size_t index_of(const ir::NodeList& list, const ir::Node* n) {
  return static_cast<std::size_t>(n - list.nodes().data());
}

/// The `T` attr of a node, Invalid when absent.
ir::DType type_attr(const ir::Node& n, std::string_view key = "T") {
  const ir::AttrValue* t = n.attr(key);
  return t && t->as_type() ? *t->as_type() : ir::DType::Invalid;
}

/// The type of tensor `ref` as far as the list (or the enclosing function's arguments) says.
ir::TensorType type_of(const ir::NodeList& list, const std::map<std::string, ir::TensorType>& args,
                       const ir::TensorRef& ref) {
  if (const ir::Node* p = list.find(ref.node)) {
    auto i = static_cast<std::size_t>(ref.index);
    if (i < p->outputs.size()) return p->outputs[i];
    return {};
  }
  if (auto it = args.find(ref.node); it != args.end()) return it->second;
  return {};
}

/// Producers-first order of `list`, a Merge's input from a NextIteration being a back edge.
Expected<std::vector<std::size_t>> topo_order(const ir::NodeList& list, const std::string& where) {
  const auto& nodes = list.nodes();
  std::vector<std::vector<std::size_t>> consumers(nodes.size());
  std::vector<std::size_t> indegree(nodes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& in : nodes[i].inputs) {
      const ir::Node* p = list.find(in.node);
      if (!p || (is_merge(nodes[i]) && is_next_iteration(*p))) continue;
      consumers[index_of(list, p)].push_back(i);
      ++indegree[i];
    }
  }
  std::deque<std::size_t> ready;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (indegree[i] == 0) ready.push_back(i);
  }
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    std::size_t i = ready.front();
    ready.pop_front();
    order.push_back(i);
    for (std::size_t c : consumers[i]) {
      if (--indegree[c] == 0) ready.push_back(c);
    }
  }
  if (order.size() < nodes.size()) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (indegree[i] > 0) {
        return fail(ErrorCode::Unsupported, describe(nodes[i]) + " " + where +
                                                " is on a cycle that is not a TF1 loop's NextIteration back edge");
      }
    }
  }
  return order;
}

/// The while frame of every node: "" outside loops, else the Enter's frame_name.
struct Frames {
  std::vector<std::string> of;
  std::map<std::string, std::string> parent;

  /// True when frame `a` is `b` or encloses it.
  bool encloses(const std::string& a, std::string b) const {
    for (std::size_t guard = 0; guard <= parent.size(); ++guard) {
      if (a == b) return true;
      if (b.empty()) return false;
      b = parent.at(b);
    }
    return false;
  }
  std::size_t depth(std::string f) const {
    std::size_t d = 0;
    while (!f.empty() && d <= parent.size()) {
      f = parent.at(f);
      ++d;
    }
    return d;
  }
};

Expected<Frames> compute_frames(const ir::NodeList& list) {
  auto order = topo_order(list, "in the main graph");
  if (!order) return unexpected(order.error());
  const auto& nodes = list.nodes();
  Frames frames;
  frames.of.assign(nodes.size(), "");
  // The frame a node's output lives in: an Exit leaves its frame.
  auto emitted = [&](std::size_t j) -> Expected<std::string> {
    if (!is_exit(nodes[j])) return frames.of[j];
    if (frames.of[j].empty()) {
      return fail(ErrorCode::Unsupported, describe(nodes[j]) + " exits no while frame (no Enter precedes it)");
    }
    return frames.parent.at(frames.of[j]);
  };
  for (std::size_t i : *order) {
    const ir::Node& n = nodes[i];
    std::string frame;
    for (const auto& in : n.inputs) {
      const ir::Node* p = list.find(in.node);
      if (!p || (is_merge(n) && is_next_iteration(*p))) continue;
      if (is_enter(n) && in.control) continue;
      auto e = emitted(index_of(list, p));
      if (!e) return unexpected(e.error());
      if (frames.encloses(frame, *e)) {
        frame = *e;
      } else if (!frames.encloses(*e, frame)) {
        return fail(ErrorCode::Unsupported, describe(n) + " reads from two unrelated while frames ('" + frame +
                                                "' and '" + *e + "')");
      }
    }
    if (is_enter(n)) {
      const ir::AttrValue* name = n.attr("frame_name");
      if (!name || !name->as_string() || name->as_string()->empty()) {
        return fail(ErrorCode::BadInput, describe(n) + " has no frame_name");
      }
      const std::string& f = *name->as_string();
      if (auto it = frames.parent.find(f); it != frames.parent.end() && it->second != frame) {
        return fail(ErrorCode::Unsupported, describe(n) + " enters frame '" + f + "' from frame '" + frame +
                                                "', but other Enters of that frame come from '" + it->second + "'");
      }
      if (frame == f || frames.encloses(f, frame)) {
        return fail(ErrorCode::Unsupported, describe(n) + " enters frame '" + f + "' from inside it");
      }
      frames.parent[f] = frame;
      frame = f;
    }
    frames.of[i] = std::move(frame);
  }
  return frames;
}

/// What a region copier does with a reference it meets: copy its producer into the body
/// (nullopt) or stop there, reading argument `name` (for a data reference; a control
/// reference is dropped).
using Boundary = std::function<Expected<std::optional<std::string>>(const ir::TensorRef& ref, const ir::Node* producer,
                                                                    const ir::Node& user)>;

/// The nodes that `roots` reach backwards up to the boundary, copied in list order with
/// references across the boundary rewritten to argument names; `roots` rewritten likewise.
Expected<std::vector<ir::Node>> copy_region(const ir::NodeList& list, std::vector<ir::TensorRef>& roots,
                                            const ir::Node& root_user, const Boundary& boundary) {
  std::set<std::size_t> copied;
  std::vector<std::size_t> stack;
  auto visit = [&](ir::TensorRef& ref, const ir::Node& user) -> Expected<bool> {
    const ir::Node* p = list.find(ref.node);
    auto b = boundary(ref, p, user);
    if (!b) return unexpected(b.error());
    if (*b) {
      if (ref.control) return false;  // dropped
      ref = tensor(**b, 0);
      return true;
    }
    if (!p) return fail(ErrorCode::Internal, "region copy met unknown node '" + ref.node + "'");
    if (copied.insert(index_of(list, p)).second) stack.push_back(index_of(list, p));
    return true;
  };
  for (auto& r : roots) {
    auto kept = visit(r, root_user);
    if (!kept) return unexpected(kept.error());
  }
  std::map<std::size_t, ir::Node> out;
  while (!stack.empty()) {
    std::size_t i = stack.back();
    stack.pop_back();
    ir::Node n = list.nodes()[i];
    std::vector<ir::TensorRef> inputs;
    for (auto ref : n.inputs) {
      auto kept = visit(ref, list.nodes()[i]);
      if (!kept) return unexpected(kept.error());
      if (*kept) inputs.push_back(std::move(ref));
    }
    n.inputs = std::move(inputs);
    out.emplace(i, std::move(n));
  }
  std::vector<ir::Node> nodes;
  for (auto& [i, n] : out) nodes.push_back(std::move(n));
  return nodes;
}

/// An argument name that no node of `list` (or an earlier argument) has.
std::string arg_name(const ir::NodeList& list, std::set<std::string>& taken, std::size_t i) {
  std::string name = "arg_" + std::to_string(i);
  while (list.find(name) || taken.count(name)) name = "_" + name;
  taken.insert(name);
  return name;
}

std::string sanitize(std::string_view s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  return out;
}

ir::AttrValue type_list(std::vector<ir::DType> types) {
  ir::AttrList l;
  l.type = std::move(types);
  ir::AttrValue v;
  v.value = std::move(l);
  return v;
}

ir::AttrValue shape_list(std::vector<ir::Shape> shapes) {
  ir::AttrList l;
  l.shape = std::move(shapes);
  ir::AttrValue v;
  v.value = std::move(l);
  return v;
}

ir::AttrValue func(const std::string& name) {
  ir::FuncRef f;
  f.name = name;
  ir::AttrValue v;
  v.value = ir::Box<ir::FuncRef>(std::move(f));
  return v;
}

/// Follows Identity nodes back to the tensor they forward (a cond's pred_id is one).
ir::TensorRef through_identities(const ir::NodeList& list, ir::TensorRef ref) {
  for (std::size_t guard = 0; guard < list.size(); ++guard) {
    const ir::Node* p = list.find(ref.node);
    if (!p || p->op != "Identity" || p->data_input_count() == 0) break;
    ref = p->inputs[0];
  }
  ref.control = false;
  return ref;
}

/// One side of a Merge: what its input is computed from, up to the Switches.
struct Branch {
  std::set<std::size_t> nodes;                    ///< data-reached nodes: the branch body
  std::set<std::pair<std::size_t, int>> data_ports;  ///< Switch outputs read as data
  std::set<std::pair<std::size_t, int>> control_ports;  ///< Switch outputs reached by control only
  std::set<std::size_t> pivots;                   ///< nodes reached by control only
};

Branch analyze_branch(const ir::NodeList& list, const ir::TensorRef& root) {
  Branch b;
  std::vector<ir::TensorRef> data{root};
  std::vector<std::string> control;
  while (!data.empty()) {
    ir::TensorRef ref = data.back();
    data.pop_back();
    const ir::Node* p = list.find(ref.node);
    if (!p) continue;  // an argument of the enclosing function: captured
    std::size_t j = index_of(list, p);
    if (is_switch(*p)) {
      b.data_ports.emplace(j, ref.index);
      continue;
    }
    // A source other than a constant is captured as an input (a Placeholder, a variable).
    if (p->inputs.empty() && p->op != "Const") continue;
    if (!b.nodes.insert(j).second) continue;
    for (const auto& in : p->inputs) {
      if (in.control) {
        control.push_back(in.node);
      } else {
        data.push_back(in);
      }
    }
  }
  // Control edges (a branch's Consts hang on its pivot, Identity(Switch(pred, pred):1)) tell
  // which branch a node is in without being part of the body.
  std::set<std::size_t> seen;
  while (!control.empty()) {
    const ir::Node* p = list.find(control.back());
    control.pop_back();
    if (!p) continue;
    std::size_t j = index_of(list, p);
    if (is_switch(*p) || b.nodes.count(j) || !seen.insert(j).second) continue;
    b.pivots.insert(j);
    for (const auto& in : p->inputs) {
      const ir::Node* q = list.find(in.node);
      if (!q) continue;
      if (is_switch(*q)) {
        if (!in.control) b.control_ports.emplace(index_of(list, q), in.index);
      } else {
        control.push_back(q->name);
      }
    }
  }
  return b;
}

/// A Merge analysed as a conditional: its predicate and its then/else inputs.
struct CondMerge {
  std::size_t merge = 0;
  ir::TensorRef pred;
  Branch then_branch, else_branch;
  ir::TensorRef then_input, else_input;
};

Expected<CondMerge> analyze_merge(const ir::NodeList& list, std::size_t m, const std::string& where) {
  const ir::Node& merge = list.nodes()[m];
  if (merge.data_input_count() != 2) {
    return fail(ErrorCode::Unsupported,
                describe(merge) + " " + where + " has " + std::to_string(merge.data_input_count()) +
                    " inputs; only a Merge of two branches of a Switch can become an If");
  }
  Branch branches[2] = {analyze_branch(list, merge.inputs[0]), analyze_branch(list, merge.inputs[1])};
  auto pred_of = [&](std::size_t sw) { return through_identities(list, list.nodes()[sw].inputs.at(1)); };
  std::optional<ir::TensorRef> pred;
  for (const auto& b : branches) {
    for (const auto& [sw, port] : b.data_ports) {
      auto p = pred_of(sw);
      if (pred && *pred != p) {
        return fail(ErrorCode::Unsupported, describe(merge) + " " + where + " joins Switches on different predicates ('" +
                                                pred->to_string() + "' and '" + p.to_string() +
                                                "'); TensorFlow cannot functionalize it");
      }
      pred = p;
    }
  }
  if (!pred) {
    for (const auto& b : branches) {
      if (!b.control_ports.empty() && !pred) pred = pred_of(b.control_ports.begin()->first);
    }
  }
  if (!pred) {
    return fail(ErrorCode::Unsupported,
                describe(merge) + " " + where + " is not fed by any Switch; no conditional can be made of it");
  }
  int side[2] = {-1, -1};
  for (int i = 0; i < 2; ++i) {
    std::set<int> ports;
    for (const auto& [sw, port] : branches[i].data_ports) ports.insert(port);
    for (const auto& [sw, port] : branches[i].control_ports) {
      if (pred_of(sw) == *pred) ports.insert(port);
    }
    if (ports.size() > 1) {
      return fail(ErrorCode::Unsupported, describe(merge) + " " + where + " input " + std::to_string(i) +
                                              " reads both outputs of Switches on '" + pred->to_string() + "'");
    }
    if (!ports.empty()) side[i] = *ports.begin();
    if (side[i] > 1) return fail(ErrorCode::BadInput, describe(merge) + " " + where + " reads a Switch output beyond 1");
  }
  if (side[0] < 0 && side[1] < 0) {
    return fail(ErrorCode::Unsupported, describe(merge) + " " + where + ": neither input depends on a Switch on '" +
                                            pred->to_string() + "'");
  }
  if (side[0] < 0) side[0] = 1 - side[1];
  if (side[1] < 0) side[1] = 1 - side[0];
  if (side[0] == side[1]) {
    return fail(ErrorCode::Unsupported, describe(merge) + " " + where + " joins two inputs from the same branch of '" +
                                            pred->to_string() + "'");
  }
  CondMerge c;
  c.merge = m;
  c.pred = *pred;
  const int t = side[0] == 1 ? 0 : 1;
  c.then_branch = std::move(branches[t]);
  c.else_branch = std::move(branches[1 - t]);
  c.then_input = merge.inputs[static_cast<std::size_t>(t)];
  c.else_input = merge.inputs[static_cast<std::size_t>(1 - t)];
  return c;
}

std::string dirname(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? std::string() : name.substr(0, slash);
}

/// Removes the `candidates` that nothing reads any more, repeatedly.
void remove_dead(ir::NodeList& list, std::set<std::string> candidates) {
  std::map<std::string, std::size_t> uses;
  for (const auto& n : list.nodes()) {
    for (const auto& in : n.inputs) ++uses[in.node];
  }
  std::set<std::string> removed;
  std::vector<std::string> work(candidates.begin(), candidates.end());
  while (!work.empty()) {
    std::string name = work.back();
    work.pop_back();
    if (removed.count(name) || uses[name] > 0) continue;
    const ir::Node* n = list.find(name);
    if (!n) continue;
    removed.insert(name);
    for (const auto& in : n->inputs) {
      if (--uses[in.node] == 0 && candidates.count(in.node)) work.push_back(in.node);
    }
  }
  if (removed.empty()) return;
  auto& nodes = list.mutable_nodes();
  std::erase_if(nodes, [&](const ir::Node& n) { return removed.count(n.name) > 0; });
  list.reindex();
}

class Functionalizer {
 public:
  explicit Functionalizer(ir::Graph& graph) : graph_(graph) {
    for (const auto& f : graph.functions) function_names_.insert(f.name);
  }

  Expected<void> run() {
    passes::infer_shapes(graph_);
    if (auto r = loops(); !r) return r;
    if (auto r = conds(graph_.nodes, {}, "in the main graph"); !r) return r;
    // Loop bodies, then the branches made from them and from the main graph, may hold
    // conditionals of their own.
    std::size_t next = graph_.functions.size();
    graph_.functions.insert(graph_.functions.end(), std::make_move_iterator(pending_.begin()),
                            std::make_move_iterator(pending_.end()));
    pending_.clear();
    for (; next < graph_.functions.size(); ++next) {
      ir::NodeList body = std::move(graph_.functions[next].body);
      std::map<std::string, ir::TensorType> args;
      for (std::size_t i = 0; i < graph_.functions[next].inputs.size(); ++i) {
        const auto& fn = graph_.functions[next];
        ir::TensorType t{fn.inputs[i].type, ir::Shape::unknown()};
        if (auto a = fn.arg_attrs.find(static_cast<std::int32_t>(i)); a != fn.arg_attrs.end()) {
          if (auto s = a->second.find("_output_shapes"); s != a->second.end() && s->second.as_list() &&
                                                          !s->second.as_list()->shape.empty()) {
            t.shape = s->second.as_list()->shape[0];
          }
        }
        args.emplace(fn.inputs[i].name, t);
      }
      const std::string where = "in function '" + graph_.functions[next].name + "'";
      auto r = conds(body, args, where);
      graph_.functions[next].body = std::move(body);
      if (!r) return r;
      if (auto left = leftover(graph_.functions[next].body, where); !left) return left;
      graph_.functions.insert(graph_.functions.end(), std::make_move_iterator(pending_.begin()),
                              std::make_move_iterator(pending_.end()));
      pending_.clear();
    }
    return leftover(graph_.nodes, "in the main graph");
  }

 private:
  std::string function_name(const std::string& base) {
    std::string name = base;
    for (std::size_t k = 1; !function_names_.insert(name).second; ++k) name = base + "_" + std::to_string(k);
    return name;
  }

  static std::string node_name(const ir::NodeList& list, const std::string& base) {
    std::string name = base;
    for (std::size_t k = 1; list.find(name); ++k) name = base + "_" + std::to_string(k);
    return name;
  }

  /// Fails on the TF1 control-flow nodes left after functionalizing, once the Switches that
  /// only pivots read (a cond's switch_t / switch_f with nothing hanging on them) are gone.
  static Expected<void> leftover(ir::NodeList& list, const std::string& where) {
    std::set<std::string> candidates;
    for (const auto& n : list.nodes()) {
      if (is_switch(n)) candidates.insert(n.name);
    }
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& n : list.nodes()) {
        if ((n.op != "Identity" && n.op != "NoOp") || candidates.count(n.name)) continue;
        bool pivot = !n.inputs.empty();
        for (const auto& in : n.inputs) pivot = pivot && candidates.count(in.node);
        if (pivot) grew = candidates.insert(n.name).second;
      }
    }
    remove_dead(list, std::move(candidates));
    for (const auto& n : list.nodes()) {
      if (is_v1_control_flow(n)) {
        return fail(ErrorCode::Unsupported, describe(n) + " " + where +
                                                " is not part of a conditional or while loop that can be functionalized");
      }
    }
    return {};
  }

  // --- while loops ---------------------------------------------------------------------

  Expected<void> loops() {
    for (;;) {
      auto frames = compute_frames(graph_.nodes);
      if (!frames) return unexpected(frames.error());
      std::string innermost;
      std::size_t depth = 0;
      for (const auto& [f, parent] : frames->parent) {
        if (frames->depth(f) > depth) {
          depth = frames->depth(f);
          innermost = f;
        }
      }
      if (innermost.empty()) return {};
      if (auto r = loop(*frames, innermost); !r) return r;
    }
  }

  struct LoopVar {
    std::size_t enter = 0;
    std::optional<std::size_t> merge, sw, next;
    std::vector<std::size_t> exits;
    std::string arg;
  };

  Expected<void> loop(const Frames& frames, const std::string& frame) {
    ir::NodeList& list = graph_.nodes;
    const auto& nodes = list.nodes();
    const std::string where = "in while frame '" + frame + "'";
    std::vector<std::size_t> members;
    std::optional<std::size_t> loop_cond;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (frames.of[i] != frame) continue;
      members.push_back(i);
      if (is_loop_cond(nodes[i])) {
        if (loop_cond) {
          return fail(ErrorCode::Unsupported, describe(nodes[i]) + " " + where + " is a second LoopCond (the first is '" +
                                                  nodes[*loop_cond].name + "')");
        }
        loop_cond = i;
      }
    }
    auto in_frame = [&](std::size_t i) { return frames.of[i] == frame; };
    if (!loop_cond) {
      return fail(ErrorCode::Unsupported, "while frame '" + frame + "' (entered by " +
                                              describe(nodes[members.front()]) + ") has no LoopCond");
    }
    std::vector<std::vector<std::pair<std::size_t, ir::TensorRef>>> consumers(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      for (const auto& in : nodes[i].inputs) {
        if (const ir::Node* p = list.find(in.node)) consumers[index_of(list, p)].emplace_back(i, in);
      }
    }

    std::vector<LoopVar> vars;
    std::map<std::size_t, std::size_t> var_of_enter;
    for (std::size_t i : members) {
      if (!is_enter(nodes[i])) continue;
      var_of_enter[i] = vars.size();
      vars.push_back({i, {}, {}, {}, {}, {}});
    }
    std::map<std::size_t, std::size_t> var_of_merge, var_of_switch;
    for (std::size_t i : members) {
      const ir::Node& m = nodes[i];
      if (!is_merge(m)) continue;
      std::optional<std::size_t> enter, next;
      for (const auto& in : m.inputs) {
        const ir::Node* p = in.control ? nullptr : list.find(in.node);
        if (p && is_enter(*p) && in_frame(index_of(list, p))) enter = index_of(list, p);
        if (p && is_next_iteration(*p)) next = index_of(list, p);
      }
      if (!enter && !next) continue;  // a conditional inside the body
      if (!enter || !next || m.data_input_count() != 2) {
        return fail(ErrorCode::Unsupported, describe(m) + " " + where + " does not join one Enter and one NextIteration");
      }
      LoopVar& v = vars[var_of_enter.at(*enter)];
      if (v.merge) {
        return fail(ErrorCode::Unsupported, describe(nodes[*enter]) + " " + where + " feeds two Merges ('" +
                                                nodes[*v.merge].name + "' and '" + m.name + "')");
      }
      v.merge = i;
      v.next = *next;
      var_of_merge[i] = var_of_enter.at(*enter);
      for (const auto& [c, ref] : consumers[i]) {
        const ir::Node& s = nodes[c];
        if (!is_switch(s) || ref.control || s.inputs.size() < 2 || s.inputs[1].node != nodes[*loop_cond].name) continue;
        if (v.sw) return fail(ErrorCode::Unsupported, describe(m) + " " + where + " feeds two Switches on the LoopCond");
        v.sw = c;
        var_of_switch[c] = var_of_enter.at(*enter);
      }
      if (!v.sw) {
        return fail(ErrorCode::Unsupported, describe(m) + " " + where + " feeds no Switch on LoopCond '" +
                                                nodes[*loop_cond].name + "'");
      }
      for (const auto& [c, ref] : consumers[*v.sw]) {
        if (is_exit(nodes[c]) && !ref.control && ref.index == 0) v.exits.push_back(c);
      }
    }
    std::set<std::string> taken;
    for (std::size_t i = 0; i < vars.size(); ++i) vars[i].arg = arg_name(list, taken, i);

    // The cond: what LoopCond reads, from the Merges (and the invariants).
    Boundary cond_boundary = [&](const ir::TensorRef& ref, const ir::Node* p,
                                 const ir::Node& user) -> Expected<std::optional<std::string>> {
      if (!p) return fail(ErrorCode::BadInput, describe(user) + " reads '" + ref.node + "', which is not a node");
      std::size_t j = index_of(list, p);
      if (ref.control && (!in_frame(j) || is_v1_control_flow(*p))) return std::optional<std::string>("");
      if (auto v = var_of_merge.find(j); v != var_of_merge.end()) {
        if (ref.index != 0) return fail(ErrorCode::Unsupported, describe(user) + " " + where + " reads a loop Merge's value_index");
        return std::optional<std::string>(vars[v->second].arg);
      }
      if (auto v = var_of_enter.find(j); v != var_of_enter.end() && !vars[v->second].merge) {
        return std::optional<std::string>(vars[v->second].arg);
      }
      if (!in_frame(j)) {
        return fail(ErrorCode::Unsupported, describe(user) + " " + where + " reads '" + ref.to_string() +
                                                "' from outside the loop without an Enter");
      }
      if (is_enter(*p) || is_next_iteration(*p) || is_exit(*p) || var_of_switch.count(j) || is_loop_cond(*p)) {
        return fail(ErrorCode::Unsupported, describe(user) + " " + where + " computes the loop condition from '" +
                                                ref.to_string() + "'");
      }
      return std::optional<std::string>();
    };
    std::vector<ir::TensorRef> cond_roots;
    for (const auto& in : nodes[*loop_cond].inputs) {
      if (!in.control) cond_roots.push_back(in);
    }
    if (cond_roots.size() != 1) return fail(ErrorCode::BadInput, describe(nodes[*loop_cond]) + " does not have one input");
    auto cond_nodes = copy_region(list, cond_roots, nodes[*loop_cond], cond_boundary);
    if (!cond_nodes) return unexpected(cond_nodes.error());

    // The body: what the NextIterations read, from the Switches' true outputs.
    Boundary body_boundary = [&](const ir::TensorRef& ref, const ir::Node* p,
                                 const ir::Node& user) -> Expected<std::optional<std::string>> {
      if (!p) return fail(ErrorCode::BadInput, describe(user) + " reads '" + ref.node + "', which is not a node");
      std::size_t j = index_of(list, p);
      if (ref.control && (!in_frame(j) || var_of_switch.count(j) || var_of_merge.count(j) || is_enter(*p) ||
                          is_loop_cond(*p) || is_next_iteration(*p))) {
        return std::optional<std::string>("");
      }
      if (auto v = var_of_switch.find(j); v != var_of_switch.end()) {
        if (ref.index != 1) {
          return fail(ErrorCode::Unsupported, describe(user) + " " + where + " reads the loop's exit value '" +
                                                  ref.to_string() + "' inside the loop");
        }
        return std::optional<std::string>(vars[v->second].arg);
      }
      if (auto v = var_of_enter.find(j); v != var_of_enter.end() && !vars[v->second].merge) {
        return std::optional<std::string>(vars[v->second].arg);
      }
      if (!in_frame(j)) {
        return fail(ErrorCode::Unsupported, describe(user) + " " + where + " reads '" + ref.to_string() +
                                                "' from outside the loop without an Enter");
      }
      if (is_enter(*p) || is_next_iteration(*p) || is_exit(*p) || var_of_merge.count(j) || is_loop_cond(*p)) {
        return fail(ErrorCode::Unsupported, describe(user) + " " + where + " reads '" + ref.to_string() +
                                                "' in the loop body, before the loop's Switch");
      }
      return std::optional<std::string>();
    };
    std::vector<ir::TensorRef> body_roots;
    for (const auto& v : vars) {
      if (v.next) {
        const ir::Node& next = nodes[*v.next];
        if (next.data_input_count() != 1) return fail(ErrorCode::BadInput, describe(next) + " does not have one input");
        body_roots.push_back(next.inputs[0]);
      } else {
        body_roots.push_back(tensor(nodes[v.enter].name, 0));  // replaced below: invariants pass through
      }
    }
    // Invariants are their own boundary: map the Enter reference to the argument.
    auto body_nodes = copy_region(list, body_roots, nodes[*loop_cond], body_boundary);
    if (!body_nodes) return unexpected(body_nodes.error());

    // Types and shapes of the loop variables: a Merge's inferred shape holds every iteration.
    std::vector<ir::TensorType> types;
    for (const auto& v : vars) {
      ir::TensorType t;
      t.dtype = type_attr(nodes[v.enter]);
      const ir::Node& shaped = v.merge ? nodes[*v.merge] : nodes[v.enter];
      if (!shaped.outputs.empty()) {
        t.shape = shaped.outputs[0].shape;
        if (t.dtype == ir::DType::Invalid) t.dtype = shaped.outputs[0].dtype;
      }
      if (t.dtype == ir::DType::Invalid) {
        return fail(ErrorCode::BadInput, describe(nodes[v.enter]) + " " + where + " has no type attr T");
      }
      types.push_back(t);
    }
    // A loop invariant that is a constant is read inside as a copy of that constant (as
    // TensorFlow's converter sinks constants into loop bodies, so that weights stay constant
    // for FULLY_CONNECTED and the like); the loop still passes it, and legalization drops it
    // as an unread loop variable.
    std::vector<const ir::Node*> sunk(vars.size(), nullptr);
    std::vector<std::string> sunk_arg(vars.size());
    for (std::size_t k = 0; k < vars.size(); ++k) {
      const ir::Node& e = nodes[vars[k].enter];
      if (vars[k].merge || e.data_input_count() != 1) continue;
      const ir::Node* src = list.find(e.inputs[0].node);
      if (src && src->op == "Const" && src->data_input_count() == 0) {
        sunk[k] = src;
        sunk_arg[k] = arg_name(list, taken, vars.size() + k);
      }
    }
    const std::string base = sanitize(frame);
    auto make_fn = [&](const std::string& name, std::vector<ir::Node> body_nodes_,
                       const std::vector<ir::TensorRef>& rets, const std::vector<ir::DType>& out_types) {
      ir::Function fn;
      fn.name = name;
      std::map<std::string, std::string> renamed;
      for (std::size_t i = 0; i < vars.size(); ++i) {
        ir::ArgDef a;
        a.name = vars[i].arg;
        a.type = types[i].dtype;
        if (sunk[i]) {
          a.name = sunk_arg[i];
          renamed[vars[i].arg] = a.name;
          ir::Node c = *sunk[i];
          c.name = vars[i].arg;
          c.inputs.clear();
          fn.body.add(std::move(c));
        }
        fn.inputs.push_back(a);
        fn.arg_attrs[static_cast<std::int32_t>(i)]["_output_shapes"] = shape_list({types[i].shape});
      }
      for (std::size_t j = 0; j < rets.size(); ++j) {
        ir::ArgDef a;
        a.name = "output_" + std::to_string(j);
        a.type = out_types[j];
        fn.outputs.push_back(a);
        ir::TensorRef r = rets[j];
        if (auto it = renamed.find(r.node); it != renamed.end()) r.node = it->second;
        fn.ret[a.name] = r.to_string();
      }
      for (auto& n : body_nodes_) fn.body.add(std::move(n));
      return fn;
    };
    std::vector<ir::DType> dtypes;
    for (const auto& t : types) dtypes.push_back(t.dtype);
    const std::string cond_name = function_name(base + "_cond");
    const std::string body_name = function_name(base + "_body");
    pending_.push_back(make_fn(cond_name, std::move(*cond_nodes), cond_roots, {ir::DType::Bool}));
    pending_.push_back(make_fn(body_name, std::move(*body_nodes), body_roots, dtypes));

    // The While node, in the frame's parent.
    ir::Node w;
    w.name = node_name(list, frame.empty() ? "while" : frame + "/While");
    w.op = "While";
    std::vector<ir::TensorRef> controls;
    std::set<std::string> control_seen;
    for (const auto& v : vars) {
      const ir::Node& e = nodes[v.enter];
      if (e.data_input_count() != 1) return fail(ErrorCode::BadInput, describe(e) + " does not have one input");
      w.inputs.push_back(e.inputs[0]);
      for (const auto& in : e.inputs) {
        if (in.control && control_seen.insert(in.node).second) controls.push_back(in);
      }
    }
    for (auto& c : controls) w.inputs.push_back(std::move(c));
    w.attrs["T"] = type_list(dtypes);
    w.attrs["cond"] = func(cond_name);
    w.attrs["body"] = func(body_name);
    std::vector<ir::Shape> shapes;
    for (const auto& t : types) shapes.push_back(t.shape);
    w.attrs["output_shapes"] = shape_list(shapes);
    std::int64_t parallel = 10;
    if (const ir::AttrValue* p = nodes[vars.front().enter].attr("parallel_iterations"); p && p->as_int()) parallel = *p->as_int();
    w.attrs["parallel_iterations"].value = parallel;
    w.outputs = types;

    // Exits read the While; everything else of the frame goes. Nothing outside may read it.
    std::set<std::size_t> exits;
    for (std::size_t k = 0; k < vars.size(); ++k) {
      for (std::size_t x : vars[k].exits) exits.insert(x);
    }
    std::set<std::string> removed;
    for (std::size_t i : members) {
      if (!exits.count(i)) removed.insert(nodes[i].name);
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (in_frame(i)) continue;
      for (const auto& in : nodes[i].inputs) {
        if (!in.control && removed.count(in.node)) {
          return fail(ErrorCode::Unsupported, describe(nodes[i]) + " reads '" + in.to_string() + "' of while frame '" +
                                                  frame + "' without an Exit");
        }
      }
    }
    auto& mut = list.mutable_nodes();
    for (std::size_t k = 0; k < vars.size(); ++k) {
      for (std::size_t x : vars[k].exits) {
        ir::Node& e = mut[x];
        ir::DType t = type_attr(e);
        e.op = "Identity";
        e.inputs = {tensor(w.name, k)};
        e.attrs.clear();
        e.attrs["T"].value = t;
        e.outputs = {types[k]};
      }
    }
    for (auto& n : mut) {
      if (removed.count(n.name)) continue;
      std::vector<ir::TensorRef> inputs;
      bool on_while = false;
      for (auto& in : n.inputs) {
        if (in.control && removed.count(in.node)) {
          if (!on_while) inputs.push_back(control_on(w.name));
          on_while = true;
          continue;
        }
        inputs.push_back(std::move(in));
      }
      n.inputs = std::move(inputs);
    }
    std::erase_if(mut, [&](const ir::Node& n) { return removed.count(n.name) > 0; });
    mut.push_back(std::move(w));
    list.reindex();
    return {};
  }

  // --- conditionals --------------------------------------------------------------------

  Expected<void> conds(ir::NodeList& list, const std::map<std::string, ir::TensorType>& args, const std::string& where) {
    for (;;) {
      auto order = topo_order(list, where);
      if (!order) return unexpected(order.error());
      std::optional<std::size_t> first;
      for (std::size_t i : *order) {
        if (is_merge(list.nodes()[i])) {
          first = i;
          break;
        }
      }
      if (!first) return {};
      if (auto r = cond(list, args, *first, *order, where); !r) return r;
    }
  }

  /// Whether `target` is among what `from` reaches backwards.
  static bool reaches(const ir::NodeList& list, const std::vector<ir::TensorRef>& from, const std::set<std::string>& targets) {
    std::set<std::string> seen;
    std::vector<std::string> work;
    for (const auto& r : from) work.push_back(r.node);
    while (!work.empty()) {
      std::string name = work.back();
      work.pop_back();
      if (!seen.insert(name).second) continue;
      if (targets.count(name)) return true;
      if (const ir::Node* n = list.find(name)) {
        for (const auto& in : n->inputs) work.push_back(in.node);
      }
    }
    return false;
  }

  Expected<void> cond(ir::NodeList& list, const std::map<std::string, ir::TensorType>& args, std::size_t m,
                      const std::vector<std::size_t>& order, const std::string& where) {
    auto first = analyze_merge(list, m, where);
    if (!first) return unexpected(first.error());
    const auto& nodes = list.nodes();
    // The Merges of one tf.cond (one per result) share its predicate and its Switches (or
    // its name scope); they make one If with several results, as TensorFlow groups them.
    auto switches = [](const CondMerge& c) {
      std::set<std::size_t> s;
      for (const auto* b : {&c.then_branch, &c.else_branch}) {
        for (const auto& [sw, port] : b->data_ports) s.insert(sw);
        for (const auto& [sw, port] : b->control_ports) s.insert(sw);
      }
      return s;
    };
    std::vector<CondMerge> group{std::move(*first)};
    const auto first_switches = switches(group[0]);
    for (std::size_t i : order) {
      if (i == m || !is_merge(nodes[i]) || nodes[i].data_input_count() != 2) continue;
      auto other = analyze_merge(list, i, where);
      if (!other || other->pred != group[0].pred) continue;
      bool shared = dirname(nodes[i].name) == dirname(nodes[m].name);
      for (std::size_t s : switches(*other)) shared = shared || first_switches.count(s);
      if (shared) group.push_back(std::move(*other));
    }

    // Inputs of the If: the tensors the Switches forward, and captured sources.
    std::vector<ir::TensorRef> captures;
    std::map<std::string, std::size_t> capture_index;
    auto capture = [&](const ir::TensorRef& t) {
      auto [it, inserted] = capture_index.emplace(t.to_string(), captures.size());
      if (inserted) captures.push_back(t);
      return it->second;
    };
    auto collect = [&](const std::vector<CondMerge>& g) {
      captures.clear();
      capture_index.clear();
      for (const auto& c : g) {
        for (const auto* b : {&c.then_branch, &c.else_branch}) {
          for (const auto& [sw, port] : b->data_ports) capture(nodes[sw].inputs.at(0));
        }
      }
    };
    collect(group);
    if (group.size() > 1) {
      std::set<std::string> merge_names;
      for (const auto& c : group) merge_names.insert(nodes[c.merge].name);
      std::vector<ir::TensorRef> from = captures;
      from.push_back(group[0].pred);
      if (reaches(list, from, merge_names)) {
        group.resize(1);
        collect(group);
      }
    }

    // Sources captured directly: refs to arguments and non-Const sources met in a branch.
    auto external = [&](const ir::TensorRef& ref, const Branch& b) {
      const ir::Node* p = list.find(ref.node);
      return !p || (!b.nodes.count(index_of(list, p)) && !is_switch(*p));
    };
    for (const auto& c : group) {
      for (const auto* b : {&c.then_branch, &c.else_branch}) {
        for (std::size_t j : b->nodes) {
          for (const auto& in : nodes[j].inputs) {
            if (!in.control && external(in, *b)) capture(in);
          }
        }
      }
      if (external(c.then_input, c.then_branch)) capture(c.then_input);
      if (external(c.else_input, c.else_branch)) capture(c.else_input);
    }
    std::set<std::string> taken;
    std::vector<std::string> arg_names;
    for (std::size_t k = 0; k < captures.size(); ++k) arg_names.push_back(arg_name(list, taken, k));
    std::vector<ir::TensorType> in_types;
    for (const auto& t : captures) {
      ir::TensorType type = type_of(list, args, t);
      if (type.dtype == ir::DType::Invalid) {
        return fail(ErrorCode::BadInput, describe(nodes[group[0].merge]) + " " + where + ": the type of '" +
                                             t.to_string() + "' that its branches read is not known");
      }
      in_types.push_back(type);
    }
    std::vector<ir::TensorType> out_types;
    for (const auto& c : group) {
      ir::TensorType t;
      if (!nodes[c.merge].outputs.empty()) t = nodes[c.merge].outputs[0];
      if (ir::DType d = type_attr(nodes[c.merge]); d != ir::DType::Invalid) t.dtype = d;
      out_types.push_back(t);
    }

    auto branch_fn = [&](bool then) -> Expected<ir::Function> {
      std::set<std::size_t> body;
      for (const auto& c : group) {
        const Branch& b = then ? c.then_branch : c.else_branch;
        body.insert(b.nodes.begin(), b.nodes.end());
      }
      auto rewrite = [&](const ir::TensorRef& ref) -> std::optional<ir::TensorRef> {
        const ir::Node* p = list.find(ref.node);
        if (p && body.count(index_of(list, p))) return ref;
        if (ref.control) return std::nullopt;
        if (p && is_switch(*p)) return tensor(arg_names[capture_index.at(p->inputs.at(0).to_string())], 0);
        return tensor(arg_names[capture_index.at(ref.to_string())], 0);
      };
      ir::Function fn;
      fn.name = function_name(sanitize(dirname(nodes[group[0].merge].name).empty() ? "cond" : dirname(nodes[group[0].merge].name)) +
                              (then ? "_then" : "_else"));
      for (std::size_t k = 0; k < captures.size(); ++k) {
        ir::ArgDef a;
        a.name = arg_names[k];
        a.type = in_types[k].dtype;
        fn.inputs.push_back(a);
        fn.arg_attrs[static_cast<std::int32_t>(k)]["_output_shapes"] = shape_list({in_types[k].shape});
      }
      for (std::size_t j : body) {
        ir::Node n = nodes[j];
        std::vector<ir::TensorRef> inputs;
        for (const auto& in : n.inputs) {
          if (auto r = rewrite(in)) inputs.push_back(std::move(*r));
        }
        n.inputs = std::move(inputs);
        fn.body.add(std::move(n));
      }
      for (std::size_t k = 0; k < group.size(); ++k) {
        ir::ArgDef a;
        a.name = "output_" + std::to_string(k);
        a.type = out_types[k].dtype;
        fn.outputs.push_back(a);
        auto r = rewrite(then ? group[k].then_input : group[k].else_input);
        if (!r) return fail(ErrorCode::Internal, "branch result became a control edge");
        fn.ret[a.name] = r->to_string();
      }
      return fn;
    };
    auto then_fn = branch_fn(true);
    if (!then_fn) return unexpected(then_fn.error());
    auto else_fn = branch_fn(false);
    if (!else_fn) return unexpected(else_fn.error());

    ir::Node node;
    node.name = node_name(list, nodes[group[0].merge].name + "/If");
    node.op = "If";
    node.inputs.push_back(group[0].pred);
    for (const auto& t : captures) node.inputs.push_back(t);
    ir::DType pred_type = type_of(list, args, group[0].pred).dtype;
    node.attrs["Tcond"].value = pred_type == ir::DType::Invalid ? ir::DType::Bool : pred_type;
    std::vector<ir::DType> tin, tout;
    std::vector<ir::Shape> shapes;
    for (const auto& t : in_types) tin.push_back(t.dtype);
    for (const auto& t : out_types) {
      tout.push_back(t.dtype);
      shapes.push_back(t.shape);
    }
    node.attrs["Tin"] = type_list(tin);
    node.attrs["Tout"] = type_list(tout);
    node.attrs["then_branch"] = func(then_fn->name);
    node.attrs["else_branch"] = func(else_fn->name);
    node.attrs["output_shapes"] = shape_list(shapes);
    node.outputs = out_types;
    const std::string if_name = node.name;

    std::set<std::string> merge_names;
    for (const auto& c : group) merge_names.insert(nodes[c.merge].name);
    for (const auto& n : nodes) {
      for (const auto& in : n.inputs) {
        if (merge_names.count(in.node) && !in.control && in.index != 0) {
          return fail(ErrorCode::Unsupported, describe(n) + " " + where + " reads the value_index of Merge '" + in.node +
                                                  "', which an If does not have");
        }
      }
    }
    std::set<std::string> candidates;
    for (const auto& c : group) {
      for (const auto* b : {&c.then_branch, &c.else_branch}) {
        for (std::size_t j : b->nodes) candidates.insert(nodes[j].name);
        for (std::size_t j : b->pivots) candidates.insert(nodes[j].name);
        for (const auto& [sw, port] : b->data_ports) candidates.insert(nodes[sw].name);
        for (const auto& [sw, port] : b->control_ports) candidates.insert(nodes[sw].name);
      }
    }
    auto& mut = list.mutable_nodes();
    for (std::size_t k = 0; k < group.size(); ++k) {
      ir::Node& merge = mut[group[k].merge];
      merge.op = "Identity";
      merge.inputs = {tensor(if_name, k)};
      merge.attrs.clear();
      merge.attrs["T"].value = out_types[k].dtype;
      merge.outputs = {out_types[k]};
    }
    mut.push_back(std::move(node));
    list.reindex();
    pending_.push_back(std::move(*then_fn));
    pending_.push_back(std::move(*else_fn));
    remove_dead(list, std::move(candidates));
    return {};
  }

  ir::Graph& graph_;
  std::set<std::string> function_names_;
  std::vector<ir::Function> pending_;  ///< made since they were last added to the graph
};

}  // namespace

bool has_v1_control_flow(const ir::Graph& graph) {
  return std::any_of(graph.nodes.nodes().begin(), graph.nodes.nodes().end(), is_v1_control_flow);
}

Expected<void> functionalize_control_flow(ir::Graph& graph) { return Functionalizer(graph).run(); }

}  // namespace litelint::converter::import
