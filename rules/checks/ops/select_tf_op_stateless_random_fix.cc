// StatelessRandomUniform(V2) (LL101: no TFLite builtin) with a constant seed and shape is a
// constant: the same numbers on every run. This fix computes them when the model is fixed,
// with TensorFlow's own algorithm (the seed scrambled into a Philox key and counter as
// StatelessRandomGetKeyCounter does, then Philox4x32-10 and the 23-bit mantissa mapping of
// UniformDistribution<float>), and puts them in a Const under the node's name. The values are
// bit-identical to TensorFlow's, so the fix is safe. Only float32 and the Philox algorithm
// (what "auto_select" picks on CPU and GPU); other seeds (a tf.random.Generator's state, a
// seed computed in the graph) keep the op.
#include <array>
#include <cstdint>
#include <cstring>
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

// A folded constant costs 4 bytes per element in the model file; past this it is the bigger cost.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 20;
// RNG_ALG_PHILOX and RNG_ALG_AUTO_SELECT (Philox on CPU and GPU) of TensorFlow's rng_alg.h.
constexpr std::int64_t kAlgPhilox = 1;
constexpr std::int64_t kAlgAutoSelect = 3;

using Words = std::array<std::uint32_t, 4>;

// Philox4x32-10 (Salmon et al.), as tensorflow/core/lib/random/philox_random.h computes it.
Words philox(Words counter, std::array<std::uint32_t, 2> key) {
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = std::uint64_t{0xD2511F53} * counter[0];
    const std::uint64_t p1 = std::uint64_t{0xCD9E8D57} * counter[2];
    counter = {static_cast<std::uint32_t>(p1 >> 32) ^ counter[1] ^ key[0], static_cast<std::uint32_t>(p1),
               static_cast<std::uint32_t>(p0 >> 32) ^ counter[3] ^ key[1], static_cast<std::uint32_t>(p0)};
    key[0] += 0x9E3779B9;
    key[1] += 0xBB67AE85;
  }
  return counter;
}

// TensorFlow's Uint32ToFloat: 23 random mantissa bits under exponent 0, minus 1: [0, 1).
float to_unit_float(std::uint32_t x) {
  const std::uint32_t bits = (std::uint32_t{127} << 23) | (x & 0x7fffffu);
  float f = 0;
  std::memcpy(&f, &bits, sizeof f);
  return f - 1.0F;
}

std::vector<float> stateless_uniform(std::uint64_t seed0, std::uint64_t seed1, std::int64_t count) {
  // StatelessRandomGetKeyCounter: one Philox call with a fixed key scrambles the seed.
  Words counter = {static_cast<std::uint32_t>(seed0), static_cast<std::uint32_t>(seed0 >> 32),
                   static_cast<std::uint32_t>(seed1), static_cast<std::uint32_t>(seed1 >> 32)};
  const Words mix = philox(counter, {0x3ec8f720, 0x02461e29});
  const std::array<std::uint32_t, 2> key = {mix[0], mix[1]};
  counter = {0, 0, mix[2], mix[3]};
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(count));
  while (static_cast<std::int64_t>(out.size()) < count) {
    for (const auto word : philox(counter, key)) {
      if (static_cast<std::int64_t>(out.size()) < count) out.push_back(to_unit_float(word));
    }
    // The 128-bit counter steps by one per four values.
    for (auto& c : counter) {
      if (++c != 0) break;
    }
  }
  return out;
}

struct Plan {
  std::vector<std::int64_t> dims;
  std::uint64_t seed0 = 0;
  std::uint64_t seed1 = 0;
  std::string key_counter;  ///< the StatelessRandomGetKeyCounter node, "" for the V1 op
};

class StatelessRandomFold final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "stateless-random-fold", .code = "LL101", .safety = Applicability::Safe,
            .title = "fold stateless random numbers with a constant seed into a constant",
            .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "StatelessRandomUniformV2" && finding.op != "StatelessRandomUniform") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto plan = foldable(*nodes, *node, why_not);
      if (!plan) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      if (!plan->key_counter.empty()) m.nodes.push_back(plan->key_counter);
      m.params["seed"] = std::to_string(static_cast<std::int64_t>(plan->seed0)) + "," +
                         std::to_string(static_cast<std::int64_t>(plan->seed1));
      m.summary = "fold " + node->op + " '" + node->name + "' (seed " + m.params["seed"] + ") into a constant";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto plan = node ? foldable(*nodes, *node, why) : std::nullopt;
    if (!plan) return fail(ErrorCode::BadInput, "no foldable stateless random op" + (why.empty() ? "" : ": " + why));
    GraphEdit edit;
    edit.removed.push_back(describe(*node));
    std::int64_t count = 1;
    for (const auto d : plan->dims) count *= d;
    auto values = stateless_uniform(plan->seed0, plan->seed1, count);
    const std::string name = node->name;
    node->op = "Const";
    node->inputs.clear();
    node->attrs.clear();
    node->attrs["dtype"] = ir::AttrValue{ir::DType::Float};
    node->attrs["value"].value = ir::Box<ir::Tensor>(float_tensor(ir::Shape(plan->dims), std::move(values)));
    edit.added.push_back(describe(*node));
    retarget_output_arg(graph, match.body, name, "output");
    // The key and counter are read by nothing else now; left in, they would still need Flex.
    if (!plan->key_counter.empty() && consumers(*nodes, plan->key_counter).empty()) {
      edit.removed.push_back(describe(*nodes->find(plan->key_counter)));
      std::erase_if(nodes->mutable_nodes(), [&](const ir::Node& n) { return n.name == plan->key_counter; });
      nodes->reindex();
    }
    return edit;
  }

 private:
  // The seed and shape when `node` can be folded; else why not.
  static std::optional<Plan> foldable(const ir::NodeList& nodes, const ir::Node& node, std::string& why_not) {
    const bool v2 = node.op == "StatelessRandomUniformV2";
    if (!v2 && node.op != "StatelessRandomUniform") return std::nullopt;
    if (node.data_input_count() != (v2 ? 4u : 2u)) return std::nullopt;
    const ir::AttrValue* dtype = node.attr("dtype");
    if (dtype != nullptr && dtype->as_type() != nullptr && *dtype->as_type() != ir::DType::Float) {
      why_not = node.op + " '" + node.name + "' draws " + ir::dtype_name(*dtype->as_type()) + "; only float32 is folded";
      return std::nullopt;
    }
    Plan plan;
    const ir::Node* shape = nodes.find(node.inputs[0].node);
    auto dims = shape ? const_values(*shape) : std::nullopt;
    if (!dims) {
      why_not = node.op + " '" + node.name + "' has a shape computed in the graph";
      return std::nullopt;
    }
    std::int64_t count = 1;
    for (const auto d : *dims) {
      if (d < 0 || d > kMaxElements) count = kMaxElements + 1;
      else count *= d;
      if (count > kMaxElements) break;
    }
    if (count > kMaxElements) {
      why_not = node.op + " '" + node.name + "' draws more than " + std::to_string(kMaxElements) + " values";
      return std::nullopt;
    }
    plan.dims = *dims;
    const ir::Node* seed_node = nullptr;
    if (v2) {
      // key and counter must both come from one StatelessRandomGetKeyCounter of a Const seed.
      const ir::Node* kc = nodes.find(node.inputs[1].node);
      if (kc == nullptr || kc->op != "StatelessRandomGetKeyCounter" || node.inputs[2].node != kc->name ||
          node.inputs[1].index != 0 || kc->data_input_count() != 1) {
        why_not = node.op + " '" + node.name + "' takes a key and counter that no constant seed gives";
        return std::nullopt;
      }
      const ir::Node* alg = nodes.find(node.inputs[3].node);
      auto alg_value = alg ? const_values(*alg) : std::nullopt;
      if (!alg_value || alg_value->size() != 1 || ((*alg_value)[0] != kAlgPhilox && (*alg_value)[0] != kAlgAutoSelect)) {
        why_not = node.op + " '" + node.name + "' does not use the Philox algorithm";
        return std::nullopt;
      }
      plan.key_counter = kc->name;
      seed_node = nodes.find(kc->inputs[0].node);
    } else {
      seed_node = nodes.find(node.inputs[1].node);
    }
    auto seed = seed_node ? const_values(*seed_node) : std::nullopt;
    if (!seed || seed->size() != 2) {
      why_not = node.op + " '" + node.name + "' has a seed that is not a constant pair";
      return std::nullopt;
    }
    plan.seed0 = static_cast<std::uint64_t>((*seed)[0]);
    plan.seed1 = static_cast<std::uint64_t>((*seed)[1]);
    return plan;
  }

  // The elements of an int32/int64 Const, sign-extended as TensorFlow reads a seed.
  static std::optional<std::vector<std::int64_t>> const_values(const ir::Node& node) {
    if (node.op != "Const") return std::nullopt;
    const ir::AttrValue* value = node.attr("value");
    const ir::Tensor* t = value ? value->as_tensor() : nullptr;
    if (t == nullptr || (t->dtype() != ir::DType::Int32 && t->dtype() != ir::DType::Int64)) return std::nullopt;
    auto bytes = t->load();
    if (!bytes) return std::nullopt;
    const std::size_t width = t->dtype() == ir::DType::Int32 ? 4 : 8;
    std::int64_t expected = 1;
    for (const auto d : t->shape().dims()) expected *= d;
    if (bytes->bytes.size() != static_cast<std::size_t>(expected) * width) return std::nullopt;
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < bytes->bytes.size(); i += width) {
      if (width == 4) {
        std::int32_t v = 0;
        std::memcpy(&v, bytes->bytes.data() + i, 4);
        out.push_back(v);
      } else {
        std::int64_t v = 0;
        std::memcpy(&v, bytes->bytes.data() + i, 8);
        out.push_back(v);
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Fix> make_stateless_random_fold_fix() { return std::make_unique<StatelessRandomFold>(); }

}  // namespace litelint::rules
