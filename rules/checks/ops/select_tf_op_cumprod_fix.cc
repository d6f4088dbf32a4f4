// Cumprod (LL101: no TFLite builtin) unrolled into UNPACK, a chain of MULs and PACK when the
// scanned axis has a static length. TensorFlow's CPU kernel (Eigen's scan) multiplies the
// running product by one element at a time from the start (or from the end when reversed),
// which is exactly this chain, so the numbers are the same: a safe fix.
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <utility>

#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

// Past this many elements along the axis the unrolled graph grows more than a Flex op costs.
constexpr std::int64_t kMaxLength = 64;

class CumprodUnroll final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "cumprod-unroll", .code = "LL101", .safety = Applicability::Safe,
            .title = "unroll Cumprod into UNPACK, MUL and PACK", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "Cumprod") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto length = unrolled_length(*nodes, *node, why_not);
      if (!length) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name, node->inputs[1].node};
      m.summary = "unroll Cumprod '" + node->name + "' over " + std::to_string(length->second) +
                  " elements of axis " + std::to_string(length->first);
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    if (nodes == nullptr || match.nodes.empty()) return fail(ErrorCode::BadInput, "no such body");
    ir::Node* node = nodes->find(match.nodes.front());
    std::string why;
    auto length = node ? unrolled_length(*nodes, *node, why) : std::nullopt;
    if (!length) return fail(ErrorCode::BadInput, "'" + match.nodes.front() + "' is no unrollable Cumprod" +
                                                  (why.empty() ? "" : ": " + why));
    const auto [axis, n] = *length;
    const ir::Node original = *node;
    const ir::AttrValue dtype = *original.attr("T");
    const bool reverse = bool_attr(original, "reverse");
    GraphEdit edit;
    edit.removed.push_back(describe(original));

    ir::Node unpack;
    unpack.name = unique_name(*nodes, original.name + "/unpack");
    unpack.op = "Unpack";
    unpack.device = original.device;
    unpack.inputs = {original.inputs[0]};
    unpack.attrs["T"] = dtype;
    unpack.attrs["num"] = ir::AttrValue{n};
    unpack.attrs["axis"] = ir::AttrValue{axis};
    const std::string unpack_name = unpack.name;
    edit.added.push_back(describe(unpack));
    std::vector<ir::Node> added;
    added.push_back(std::move(unpack));

    // products[i] holds the running product ending at element i (starting at it, reversed).
    std::vector<ir::TensorRef> products(static_cast<std::size_t>(n));
    const auto element = [&](std::int64_t i) {
      return output_ref(match.body, unpack_name, "output", static_cast<std::int32_t>(i));
    };
    for (std::int64_t step = 0; step < n; ++step) {
      const std::int64_t i = reverse ? n - 1 - step : step;
      if (step == 0) {
        products[static_cast<std::size_t>(i)] = element(i);
        continue;
      }
      const std::int64_t prev = reverse ? i + 1 : i - 1;
      ir::Node mul;
      mul.name = unique_name(*nodes, original.name + "/mul_" + std::to_string(i));  // distinct per i
      mul.op = "Mul";
      mul.device = original.device;
      mul.inputs = {products[static_cast<std::size_t>(prev)], element(i)};
      mul.attrs["T"] = dtype;
      products[static_cast<std::size_t>(i)] = output_ref(match.body, mul.name, "z");
      edit.added.push_back(describe(mul));
      added.push_back(std::move(mul));
    }
    insert_before(*nodes, original.name, std::move(added));

    // The Pack keeps the Cumprod's name, so its readers need no change but the output name.
    ir::Node* pack = nodes->find(original.name);
    pack->op = "Pack";
    pack->inputs = products;
    for (const auto& in : original.inputs) {
      if (in.control) pack->inputs.push_back(in);
    }
    pack->attrs.clear();
    pack->attrs["T"] = dtype;
    pack->attrs["N"] = ir::AttrValue{n};
    pack->attrs["axis"] = ir::AttrValue{axis};
    if (const ir::AttrValue* shapes = original.attr("_output_shapes")) pack->attrs["_output_shapes"] = *shapes;
    edit.added.push_back(describe(*pack));
    retarget_output_arg(graph, match.body, original.name, "output");
    // The axis Const may now feed nothing; dead code is the converter's to prune.
    return edit;
  }

 private:
  static bool bool_attr(const ir::Node& node, std::string_view key) {
    const ir::AttrValue* v = node.attr(key);
    return v && v->as_bool() && *v->as_bool();
  }

  // {axis (non-negative), length} when the node can be unrolled; else why not.
  static std::optional<std::pair<std::int64_t, std::int64_t>> unrolled_length(
      const ir::NodeList& nodes, const ir::Node& node, std::string& why_not) {
    if (node.op != "Cumprod" || node.data_input_count() != 2) return std::nullopt;
    if (bool_attr(node, "exclusive")) {
      why_not = "Cumprod '" + node.name + "' is exclusive; only inclusive products are unrolled";
      return std::nullopt;
    }
    const ir::AttrValue* t = node.attr("T");
    const ir::DType dtype = t && t->as_type() ? *t->as_type() : ir::DType::Invalid;
    // UNPACK, MUL and PACK all have kernels for these.
    if (dtype != ir::DType::Float && dtype != ir::DType::Int32 && dtype != ir::DType::Int64) {
      why_not = "Cumprod '" + node.name + "' is " + ir::dtype_name(dtype) + "; MUL takes float32, int32, int64";
      return std::nullopt;
    }
    auto axis = const_int_scalar(nodes, node.inputs[1]);
    if (!axis) {
      why_not = "Cumprod '" + node.name + "' has no constant axis";
      return std::nullopt;
    }
    if (node.outputs.empty() || !node.outputs[0].shape.has_rank()) {
      why_not = "Cumprod '" + node.name + "' has an unknown rank";
      return std::nullopt;
    }
    const ir::Shape& shape = node.outputs[0].shape;
    const auto rank = static_cast<std::int64_t>(shape.rank());
    const std::int64_t a = *axis < 0 ? *axis + rank : *axis;
    if (a < 0 || a >= rank) return std::nullopt;
    const std::int64_t n = shape.dim(static_cast<std::size_t>(a));
    if (n < 1 || n > kMaxLength) {
      why_not = "Cumprod '" + node.name + "' scans " + (n < 0 ? "an unknown number of" : std::to_string(n)) +
                " elements; only static lengths 1.." + std::to_string(kMaxLength) + " are unrolled";
      return std::nullopt;
    }
    return std::pair{a, n};
  }
};

}  // namespace

std::unique_ptr<Fix> make_cumprod_unroll_fix() { return std::make_unique<CumprodUnroll>(); }

}  // namespace litelint::rules
