// Einsum equations the converter's lowering does not take (LL204), e.g. `bij,bij->b`, spelled
// out as TensorFlow's own einsum kernel computes them: SUM over the labels only one operand has,
// TRANSPOSE each operand to [batch, free, contracted] (and [batch, contracted, free]), RESHAPE
// to three dimensions, BATCH_MATMUL, RESHAPE and TRANSPOSE to the output's label order. The
// same products are summed, possibly in another order: safe (float rounding of a reordering).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

struct Operand {
  std::string labels;
  std::vector<std::int64_t> dims;
};

struct Plan {
  std::vector<Operand> in;  ///< one or two operands
  std::string out;
  std::map<char, std::int64_t> size;
};

bool has(const std::string& s, char c) { return s.find(c) != std::string::npos; }

std::optional<Plan> plan_for(const ir::Graph& graph, const std::string& body, const ir::Node& node,
                             std::string& why_not) {
  if (node.op != "Einsum") return std::nullopt;
  const std::string what = "Einsum '" + node.name + "'";
  const ir::AttrValue* eq = node.attr("equation");
  const ir::AttrValue* t = node.attr("T");
  if (!eq || !eq->as_string() || !t || !t->as_type()) return std::nullopt;
  if (*t->as_type() != ir::DType::Float) {
    why_not = what + " is not float32";
    return std::nullopt;
  }
  std::string equation;
  for (char c : *eq->as_string()) {
    if (c != ' ') equation.push_back(c);
  }
  const auto arrow = equation.find("->");
  if (arrow == std::string::npos || equation.find('.') != std::string::npos) {
    why_not = what + " has an equation with an ellipsis or without an output";
    return std::nullopt;
  }
  Plan p;
  p.out = equation.substr(arrow + 2);
  std::string lhs = equation.substr(0, arrow);
  std::vector<std::string> terms;
  for (std::size_t start = 0;;) {
    const auto comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != node.data_input_count() || terms.empty() || terms.size() > 2) {
    why_not = what + " has " + std::to_string(terms.size()) + " operands; one or two are rewritten";
    return std::nullopt;
  }
  const auto unique_letters = [](const std::string& s) {
    std::string sorted = s;
    std::sort(sorted.begin(), sorted.end());
    return std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end() &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  };
  if (!unique_letters(p.out)) return std::nullopt;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (!unique_letters(terms[i])) {
      why_not = what + " repeats a label within an operand (a diagonal)";
      return std::nullopt;
    }
    auto type = ref_type(graph, body, node.inputs[i]);
    if (!type || !type->shape.is_fully_defined() || type->shape.rank() != terms[i].size()) {
      why_not = what + " has an operand whose shape is not static";
      return std::nullopt;
    }
    p.in.push_back({terms[i], type->shape.dims()});
    for (std::size_t k = 0; k < terms[i].size(); ++k) {
      const char c = terms[i][k];
      const std::int64_t d = type->shape.dim(k);
      auto [it, inserted] = p.size.emplace(c, d);
      if (!inserted && it->second != d) {
        why_not = what + " broadcasts label '" + std::string(1, c) + "'";
        return std::nullopt;
      }
    }
  }
  for (char c : p.out) {
    if (!p.size.count(c)) return std::nullopt;
  }
  return p;
}

std::vector<std::int64_t> dims_of(const Plan& p, const std::string& labels) {
  std::vector<std::int64_t> d;
  for (char c : labels) d.push_back(p.size.at(c));
  return d;
}

std::int64_t product(const Plan& p, const std::string& labels) {
  std::int64_t n = 1;
  for (char c : labels) n *= p.size.at(c);
  return n;
}

class EinsumAsBatchMatmul final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "einsum-as-batch-matmul", .code = "LL204", .safety = Applicability::Safe,
            .title = "spell the einsum as TRANSPOSE, RESHAPE, SUM and BATCH_MATMUL", .change = ""};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "Einsum") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr || !plan_for(graph, body, *node, why_not)) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name};
      m.summary = "spell Einsum '" + node->name + "' (" + *node->attr("equation")->as_string() +
                  ") with BATCH_MATMUL";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto plan = node ? plan_for(graph, match.body, *node, why) : std::nullopt;
    if (!plan) return fail(ErrorCode::BadInput, "no rewritable Einsum: " + why);
    const ir::Node original = *node;
    const Plan& p = *plan;
    RewriteBuilder b(graph, match.body, original);
    const ir::AttrValue f32 = type_attr(ir::DType::Float);
    const ir::AttrValue i32 = type_attr(ir::DType::Int32);

    // Sums the labels of operand i that neither the other operand nor the output has.
    std::vector<ir::TensorRef> x;
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < p.in.size(); ++i) {
      const std::string other = p.in.size() == 2 ? p.in[1 - i].labels : std::string();
      std::vector<std::int32_t> axes;
      std::string kept;
      for (std::size_t k = 0; k < p.in[i].labels.size(); ++k) {
        const char c = p.in[i].labels[k];
        if (!has(other, c) && !has(p.out, c)) {
          axes.push_back(static_cast<std::int32_t>(k));
        } else {
          kept.push_back(c);
        }
      }
      ir::TensorRef r = original.inputs[i];
      if (!axes.empty()) {
        const auto axes_ref = b.ints("sum_axes_" + std::to_string(i), std::move(axes));
        r = b.op("sum_" + std::to_string(i), "Sum", {r, axes_ref},
                 {{"T", f32}, {"Tidx", i32}, {"keep_dims", ir::AttrValue{false}}});
      }
      x.push_back(r);
      labels.push_back(kept);
    }
    const auto transpose = [&](const std::string& suffix, ir::TensorRef r, const std::string& from,
                               const std::string& to) {
      if (from == to) return r;
      std::vector<std::int32_t> perm;
      for (char c : to) perm.push_back(static_cast<std::int32_t>(from.find(c)));
      const auto perm_ref = b.ints(suffix + "_perm", std::move(perm));
      return b.op(suffix, "Transpose", {std::move(r), perm_ref}, {{"T", f32}, {"Tperm", i32}});
    };

    ir::TensorRef result;
    std::string result_labels;
    if (x.size() == 1) {
      result = x[0];
      result_labels = labels[0];
    } else {
      std::string batch, contract, free_a, free_b;
      for (char c : labels[0]) {
        if (has(labels[1], c)) (has(p.out, c) ? batch : contract).push_back(c);
        else free_a.push_back(c);
      }
      for (char c : labels[1]) {
        if (!has(labels[0], c)) free_b.push_back(c);
      }
      const std::int64_t nb = product(p, batch), m = product(p, free_a), k = product(p, contract),
                         n = product(p, free_b);
      auto a = transpose("a_t", x[0], labels[0], batch + free_a + contract);
      a = b.reshape("a_3d", a, {nb, m, k});
      auto bb = transpose("b_t", x[1], labels[1], batch + contract + free_b);
      bb = b.reshape("b_3d", bb, {nb, k, n});
      result = b.op("matmul", "BatchMatMulV2", {a, bb},
                    {{"T", f32}, {"adj_x", ir::AttrValue{false}}, {"adj_y", ir::AttrValue{false}}});
      result_labels = batch + free_a + free_b;
      result = b.reshape("unflatten", result, dims_of(p, result_labels));
    }
    result = transpose("out_t", result, result_labels, p.out);
    return b.finish(result, ir::DType::Float);
  }
};

}  // namespace

std::unique_ptr<Fix> make_einsum_as_batch_matmul_fix() { return std::make_unique<EinsumAsBatchMatmul>(); }

}  // namespace litelint::rules
