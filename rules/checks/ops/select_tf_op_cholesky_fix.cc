// Cholesky (LL101: no TFLite builtin) of small matrices with static shapes unrolled: RESHAPE to
// [-1, n*n], UNPACK the entries, the Cholesky-Banachiewicz recurrence in MUL/SUB/SQRT/DIV on
// the lower triangle (TensorFlow reads only that), PACK with zeros above the diagonal, RESHAPE
// back. Eigen's LLT, which TensorFlow runs, sums the same products in a different order, so
// the rounding differs: unsafe, within about 1e-5 relative for well-conditioned matrices. A
// matrix that is not positive definite gives NaN where TensorFlow fails the run.
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

// Beyond this order the unrolled graph (about n^3/6 products) outgrows a Flex op.
constexpr std::int64_t kMaxOrder = 8;

class CholeskyUnroll final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "cholesky-unroll", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "unroll small Cholesky factorizations into element-wise math",
            .change = "the products are summed in another order than Eigen's LLT: within about "
                      "1e-5 relative for well-conditioned matrices; a matrix that is not positive "
                      "definite gives NaN instead of TensorFlow's error"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "Cholesky") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto shape = unrollable(*node, *nodes, why_not);
      if (!shape) continue;
      const std::int64_t n = shape->dim(shape->rank() - 1);
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "unroll Cholesky '" + node->name + "' of " + std::to_string(n) + "x" + std::to_string(n) + " matrices";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto shape = node ? unrollable(*node, *nodes, why) : std::nullopt;
    if (!shape) return fail(ErrorCode::BadInput, "no unrollable Cholesky: " + why);
    const ir::Node original = *node;
    const std::int64_t n = shape->dim(shape->rank() - 1);
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, *original.attr("T"), edit);
    const auto flat = b.op("flat", "Reshape", {original.inputs[0], b.i32("flat_shape", {-1, static_cast<std::int32_t>(n * n)}, {2})},
                           {{"Tshape", ir::AttrValue{ir::DType::Int32}}});
    const std::string entries = b.node("entries", "Unpack", {flat},
                                       {{"num", ir::AttrValue{n * n}}, {"axis", ir::AttrValue{std::int64_t{1}}}});
    const auto a = [&](std::int64_t i, std::int64_t j) { return b.out(entries, static_cast<std::int32_t>(i * n + j)); };
    std::vector<std::vector<ir::TensorRef>> l(n, std::vector<ir::TensorRef>(n));
    const auto at = [](std::int64_t i, std::int64_t j) { return std::to_string(i) + "_" + std::to_string(j); };
    for (std::int64_t j = 0; j < n; ++j) {
      for (std::int64_t i = j; i < n; ++i) {
        // s = a[i][j] - sum_k l[i][k] * l[j][k], subtracted one product at a time as LLT does.
        ir::TensorRef s = a(i, j);
        for (std::int64_t k = 0; k < j; ++k) {
          const auto p = b.op("p" + at(i, j) + "_" + std::to_string(k), "Mul", {l[i][k], l[j][k]});
          s = b.op("s" + at(i, j) + "_" + std::to_string(k), "Sub", {s, p});
        }
        l[i][j] = i == j ? b.op("l" + at(i, j), "Sqrt", {s}) : b.op("l" + at(i, j), "RealDiv", {s, l[j][j]});
      }
    }
    const auto zero = b.op("zero", "ZerosLike", {a(0, 0)});
    std::vector<ir::TensorRef> packed;
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t j = 0; j < n; ++j) packed.push_back(j <= i ? l[i][j] : zero);
    }
    const auto pack = b.op("pack", "Pack", packed, {{"N", ir::AttrValue{n * n}}, {"axis", ir::AttrValue{std::int64_t{1}}}});
    std::vector<std::int32_t> dims;
    for (const auto d : shape->dims()) dims.push_back(static_cast<std::int32_t>(d));
    const auto out_shape = b.i32("shape", dims, {static_cast<std::int64_t>(dims.size())});
    b.insert_before(original.name);
    // The final Reshape keeps the node's name, so its readers keep their references.
    ir::Node* result = nodes->find(original.name);
    result->op = "Reshape";
    result->inputs = {pack, out_shape};
    result->attrs.clear();
    result->attrs["T"] = *original.attr("T");
    result->attrs["Tshape"] = ir::AttrValue{ir::DType::Int32};
    edit.added.push_back(describe(*result));
    retarget_output_arg(graph, match.body, original.name, "output");
    return edit;
  }

 private:
  // The input's static shape when the node can be unrolled; else why not.
  static std::optional<ir::Shape> unrollable(const ir::Node& node, const ir::NodeList& nodes, std::string& why_not) {
    if (node.op != "Cholesky" || node.data_input_count() != 1) return std::nullopt;
    const ir::AttrValue* t = node.attr("T");
    if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
      why_not = "Cholesky '" + node.name + "' is not float32";
      return std::nullopt;
    }
    const ir::Node* p = nodes.find(node.inputs[0].node);
    const auto index = static_cast<std::size_t>(node.inputs[0].index);
    if (p == nullptr || index >= p->outputs.size() || !p->outputs[index].shape.is_fully_defined() ||
        p->outputs[index].shape.rank() < 2) {
      why_not = "Cholesky '" + node.name + "' reads a tensor whose shape is not static";
      return std::nullopt;
    }
    const ir::Shape& shape = p->outputs[index].shape;
    const std::int64_t n = shape.dim(shape.rank() - 1);
    if (n != shape.dim(shape.rank() - 2) || n < 1 || n > kMaxOrder) {
      why_not = "Cholesky '" + node.name + "' is of " + shape.to_string() + " matrices; only square ones up to " +
                std::to_string(kMaxOrder) + "x" + std::to_string(kMaxOrder) + " are unrolled";
      return std::nullopt;
    }
    return shape;
  }
};

}  // namespace

std::unique_ptr<Fix> make_cholesky_unroll_fix() { return std::make_unique<CholeskyUnroll>(); }

}  // namespace litelint::rules
