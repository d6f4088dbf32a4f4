// MatrixDeterminant (LL101: no TFLite builtin) of 2x2 and 3x3 matrices unrolled into the
// cofactor formula: RESHAPE to [-1, n*n], UNPACK the entries, MUL/SUB/ADD, RESHAPE to the batch
// shape. TensorFlow computes the determinant from an LU factorization with partial pivoting,
// so the rounding differs: unsafe, within about 1e-5 relative for well-conditioned matrices.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/ops/small_matrix.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

class DeterminantUnroll final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "determinant-unroll", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "compute small determinants by the cofactor formula",
            .change = "the cofactor formula rounds differently from TensorFlow's LU factorization: "
                      "within about 1e-5 relative for well-conditioned matrices, more for "
                      "ill-conditioned ones"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    const auto summary = [](const std::string& name, std::int64_t n) {
      return "compute MatrixDeterminant '" + name + "' of " + std::to_string(n) + "x" + std::to_string(n) +
             " matrices by cofactors";
    };
    return match_matrix_nodes(finding, graph, "MatrixDeterminant", std::string(info().id), order, summary, why_not);
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto n = node ? order(*node, *nodes, why) : std::nullopt;
    if (!n) return fail(ErrorCode::BadInput, "no unrollable MatrixDeterminant: " + why);
    const ir::Node original = *node;
    const std::vector<std::int64_t> in_dims = input_shape(original, *nodes)->dims();
    const ir::Shape batch(std::vector<std::int64_t>(in_dims.begin(), in_dims.end() - 2));
    const std::string& body = match.body;
    const std::string base = original.name;
    const std::string device = original.device;
    const ir::AttrValue t = *original.attr("T");
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    std::vector<ir::Node> added;
    const auto make = [&](const std::string& suffix, const std::string& op, std::vector<ir::TensorRef> inputs) {
      ir::Node x;
      x.name = unique_name(*nodes, base + "/" + suffix);
      x.op = op;
      x.device = device;
      x.inputs = std::move(inputs);
      if (op != "Const") x.attrs["T"] = t;
      return x;
    };
    const auto push = [&](ir::Node x) {
      edit.added.push_back(describe(x));
      const std::string name = x.name;
      added.push_back(std::move(x));
      return name;
    };
    ir::Node flat_shape = make("flat_shape", "Const", {});
    flat_shape.attrs["dtype"] = ir::AttrValue{ir::DType::Int32};
    flat_shape.attrs["value"].value = ir::Box<ir::Tensor>(
        int32_tensor(ir::Shape(std::vector<std::int64_t>{2}), {-1, static_cast<std::int32_t>(*n * *n)}));
    const std::string flat_shape_name = push(std::move(flat_shape));
    ir::Node flat = make("flat", "Reshape", {original.inputs[0], output_ref(body, flat_shape_name, "output")});
    flat.attrs["Tshape"] = ir::AttrValue{ir::DType::Int32};
    const std::string flat_name = push(std::move(flat));
    ir::Node entries = make("entries", "Unpack", {output_ref(body, flat_name, "output")});
    entries.attrs["num"] = ir::AttrValue{static_cast<std::int64_t>(*n * *n)};
    entries.attrs["axis"] = ir::AttrValue{std::int64_t{1}};
    const std::string entries_name = push(std::move(entries));
    const auto e = [&](int i) { return output_ref(body, entries_name, "output", i); };
    const auto op2 = [&](const std::string& suffix, const std::string& op, ir::TensorRef a, ir::TensorRef b) {
      return output_ref(body, push(make(suffix, op, {std::move(a), std::move(b)})), "z");
    };
    ir::TensorRef det;
    if (*n == 2) {
      det = op2("det", "Sub", op2("ad", "Mul", e(0), e(3)), op2("bc", "Mul", e(1), e(2)));
    } else {
      // a(ei - fh) - b(di - fg) + c(dh - eg), entries a..i in row-major order.
      const auto t1 = op2("ei_fh", "Sub", op2("ei", "Mul", e(4), e(8)), op2("fh", "Mul", e(5), e(7)));
      const auto t2 = op2("di_fg", "Sub", op2("di", "Mul", e(3), e(8)), op2("fg", "Mul", e(5), e(6)));
      const auto t3 = op2("dh_eg", "Sub", op2("dh", "Mul", e(3), e(7)), op2("eg", "Mul", e(4), e(6)));
      const auto s = op2("a_b", "Sub", op2("a_t1", "Mul", e(0), t1), op2("b_t2", "Mul", e(1), t2));
      det = op2("det", "AddV2", s, op2("c_t3", "Mul", e(2), t3));
    }
    ir::Node batch_shape = make("batch_shape", "Const", {});
    std::vector<std::int32_t> dims;
    for (const auto d : batch.dims()) dims.push_back(static_cast<std::int32_t>(d));
    batch_shape.attrs["dtype"] = ir::AttrValue{ir::DType::Int32};
    const ir::Shape batch_shape_dims(std::vector<std::int64_t>{static_cast<std::int64_t>(dims.size())});
    batch_shape.attrs["value"].value = ir::Box<ir::Tensor>(int32_tensor(batch_shape_dims, std::move(dims)));
    const std::string batch_shape_name = push(std::move(batch_shape));
    insert_before(*nodes, base, std::move(added));
    // The final Reshape keeps the node's name, so its readers keep their references.
    ir::Node* result = nodes->find(base);
    result->op = "Reshape";
    result->inputs = {det, output_ref(body, batch_shape_name, "output")};
    result->attrs.clear();
    result->attrs["T"] = t;
    result->attrs["Tshape"] = ir::AttrValue{ir::DType::Int32};
    edit.added.push_back(describe(*result));
    retarget_output_arg(graph, body, base, "output");
    return edit;
  }

 private:
  static std::optional<ir::Shape> input_shape(const ir::Node& node, const ir::NodeList& nodes) {
    const ir::Node* p = nodes.find(node.inputs[0].node);
    if (p == nullptr || p->outputs.size() != 1) return std::nullopt;
    return p->outputs[0].shape;
  }

  // The matrix order (2 or 3) when the node can be unrolled; else why not.
  static std::optional<std::int64_t> order(const ir::Node& node, const ir::NodeList& nodes, std::string& why_not) {
    if (node.op != "MatrixDeterminant" || node.data_input_count() != 1) return std::nullopt;
    const ir::AttrValue* t = node.attr("T");
    if (t == nullptr || t->as_type() == nullptr || *t->as_type() != ir::DType::Float) {
      why_not = "MatrixDeterminant '" + node.name + "' is not float32";
      return std::nullopt;
    }
    auto shape = input_shape(node, nodes);
    // The final RESHAPE needs the batch shape, the input's leading dims.
    if (!shape || !shape->is_fully_defined() || shape->rank() < 2) {
      why_not = "MatrixDeterminant '" + node.name + "' reads a tensor whose shape is not static";
      return std::nullopt;
    }
    const std::int64_t n = shape->dim(shape->rank() - 1);
    if (n != shape->dim(shape->rank() - 2) || (n != 2 && n != 3)) {
      why_not = "MatrixDeterminant '" + node.name + "' is of " + shape->to_string() +
                " matrices; only 2x2 and 3x3 are unrolled";
      return std::nullopt;
    }
    return n;
  }
};

}  // namespace

std::unique_ptr<Fix> make_determinant_unroll_fix() { return std::make_unique<DeterminantUnroll>(); }

}  // namespace litelint::rules
