// PrintV2 (LL101: tf.print has no TFLite builtin) removed, with the StringFormat that only
// formats its message. A print is a side effect, not an output: nothing reads its result, the
// graph only orders other nodes after it with control edges, which are dropped with it. The
// outputs keep their numbers exactly; what changes is that the model no longer logs, which a
// user may rely on (Ruff's T201 fix is unsafe for the same reason): unsafe.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

class PrintRemove final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "print-remove", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "remove tf.print from the model",
            .change = "the model stops printing: the tf.print message (a side effect, not an "
                      "output) is gone; every output keeps its exact value"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "PrintV2") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto removed = removable(*nodes, *node, why_not);
      if (removed.empty()) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = removed;
      m.summary = "remove PrintV2 '" + node->name + "'" +
                  (removed.size() > 1 ? " and the StringFormat '" + removed[1] + "' of its message" : "");
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    const auto removed = node ? removable(*nodes, *node, why) : std::vector<std::string>{};
    if (removed.empty() || removed != match.nodes)
      return fail(ErrorCode::BadInput, "no removable PrintV2 '" + (match.nodes.empty() ? "" : match.nodes.front()) + "'" +
                                           (why.empty() ? "" : ": " + why));
    GraphEdit edit;
    auto& all = nodes->mutable_nodes();
    for (const auto& name : removed) edit.removed.push_back(describe(*nodes->find(name)));
    std::erase_if(all, [&](const ir::Node& n) {
      return std::find(removed.begin(), removed.end(), n.name) != removed.end();
    });
    // Nodes ordered after the print (the NoOp tf.function adds) lose that control edge.
    for (auto& n : all) {
      const auto before = n.inputs.size();
      std::erase_if(n.inputs, [&](const ir::TensorRef& r) { return r.control && r.node == removed.front(); });
      if (n.inputs.size() != before) edit.changed.push_back(describe(n));
    }
    nodes->reindex();
    if (!match.body.empty()) {
      for (auto& f : graph.functions) {
        if (f.name != match.body) continue;
        std::erase_if(f.control_ret, [&](const auto& kv) { return kv.second == removed.front(); });
        std::erase_if(f.control_outputs, [&](const std::string& c) {
          return std::none_of(f.control_ret.begin(), f.control_ret.end(), [&](const auto& kv) { return kv.first == c; });
        });
      }
    }
    return edit;
  }

 private:
  // The PrintV2 and, when it only formats the message, its StringFormat; empty when a node
  // reads the print's output (it has none in TensorFlow, so this is a malformed graph).
  static std::vector<std::string> removable(const ir::NodeList& nodes, const ir::Node& print, std::string& why_not) {
    if (print.op != "PrintV2") return {};
    for (const ir::Node* c : consumers(nodes, print.name)) {
      for (const auto& r : c->inputs) {
        if (r.node == print.name && !r.control) {
          why_not = "PrintV2 '" + print.name + "' has a data reader '" + c->name + "'";
          return {};
        }
      }
    }
    std::vector<std::string> out = {print.name};
    if (print.data_input_count() == 1) {
      const ir::Node* format = nodes.find(print.inputs[0].node);
      if (format != nullptr && format->op == "StringFormat" && consumers(nodes, format->name).size() == 1)
        out.push_back(format->name);
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Fix> make_print_remove_fix() { return std::make_unique<PrintRemove>(); }

}  // namespace litelint::rules
