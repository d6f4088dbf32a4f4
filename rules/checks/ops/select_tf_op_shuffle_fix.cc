// RandomShuffle (LL101: no TFLite builtin) of a tensor whose first dimension is static, as a
// sort by random keys: RANDOM_UNIFORM draws one float32 key per row (with the op's seed and
// seed2), TOPK_V2 over all n keys gives the rows' order, GATHER takes them. Every run still
// draws a fresh permutation, but not TensorFlow's for the same seed, and the keys have 23 random
// bits, so two rows tie with probability below n^2 / 2^24 per run (a tie keeps their order):
// unsafe. Numbers can only be compared as a permutation of the input's rows.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/node_builder.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

// Ties among the keys stay below 1 in 16 runs up to this many rows.
constexpr std::int64_t kMaxRows = 1024;

class ShuffleBySort final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "shuffle-by-sort", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "shuffle by sorting random keys (RANDOM_UNIFORM, TOPK_V2, GATHER)",
            .change = "a different random permutation than TensorFlow's for the same seed; "
                      "uniform except that rows whose float32 keys tie (probability below "
                      "n^2/2^24 per run) keep their order"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "RandomShuffle") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto rows = shuffled_rows(graph, body, *node, why_not);
      if (!rows) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "shuffle the " + std::to_string(*rows) + " rows of RandomShuffle '" + node->name + "' by sorting random keys";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto rows = node ? shuffled_rows(graph, match.body, *node, why) : std::nullopt;
    if (!rows) return fail(ErrorCode::BadInput, "no RandomShuffle to rewrite" + (why.empty() ? "" : ": " + why));
    const ir::Node original = *node;
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, ir::AttrValue{ir::DType::Float}, edit);
    const auto seed = [&](const char* key) {
      const ir::AttrValue* a = original.attr(key);
      return a && a->as_int() ? *a->as_int() : std::int64_t{0};
    };
    const auto n = static_cast<std::int32_t>(*rows);
    const auto keys = b.op("keys", "RandomUniform", {b.i32("count", {n}, {1})},
                           {{"T", ir::AttrValue{ir::DType::Int32}}, {"dtype", ir::AttrValue{ir::DType::Float}},
                            {"seed", ir::AttrValue{seed("seed")}}, {"seed2", ir::AttrValue{seed("seed2")}}});
    const std::string order = b.node("order", "TopKV2", {keys, b.i32("k", {n})},
                                     {{"T", ir::AttrValue{ir::DType::Float}}, {"sorted", ir::AttrValue{true}},
                                      {"index_type", ir::AttrValue{ir::DType::Int32}}});
    const auto axis = b.i32("axis", {0});
    const ir::TensorRef indices = b.out(order, 1);
    b.insert_before(original.name);
    // The GatherV2 keeps the node's name, so its readers keep their references.
    ir::Node* result = nodes->find(original.name);
    result->op = "GatherV2";
    result->inputs = {original.inputs[0], indices, axis};
    result->attrs.clear();
    result->attrs["Tparams"] = *original.attr("T");
    result->attrs["Tindices"] = ir::AttrValue{ir::DType::Int32};
    result->attrs["Taxis"] = ir::AttrValue{ir::DType::Int32};
    result->attrs["batch_dims"] = ir::AttrValue{std::int64_t{0}};
    edit.added.push_back(describe(*result));
    retarget_output_arg(graph, match.body, original.name, "output");
    return edit;
  }

 private:
  // The number of rows when the shuffle can be rewritten; else why not.
  static std::optional<std::int64_t> shuffled_rows(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                                                   std::string& why_not) {
    if (node.op != "RandomShuffle" || node.data_input_count() != 1 || node.attr("T") == nullptr) return std::nullopt;
    const auto type = tensor_type_of(graph, body, node.inputs[0]);
    const bool known = type && type->shape.has_rank() && type->shape.rank() >= 1;
    const std::int64_t n = known ? type->shape.dim(0) : -1;
    if (n < 1 || n > kMaxRows) {
      why_not = "RandomShuffle '" + node.name + "' shuffles " + (n < 0 ? "an unknown number of" : std::to_string(n)) +
                " rows; the rewrite needs a static count up to " + std::to_string(kMaxRows);
      return std::nullopt;
    }
    return n;
  }
};

}  // namespace

std::unique_ptr<Fix> make_shuffle_by_sort_fix() { return std::make_unique<ShuffleBySort>(); }

}  // namespace litelint::rules
