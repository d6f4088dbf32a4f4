// Einsum, as TensorFlow's converter lowers it: one operand becomes SUM and/or TRANSPOSE; two
// operands become one BATCH_MATMUL with TRANSPOSEs (or adj_x/adj_y) and RESHAPEs around it.
// Labels fall into groups: batch B (both operands and the output), free L (first operand and
// output), contracted C (both operands, not the output) and free R (second operand and
// output). The first operand is laid out [B, L, C], the second [B, C, R]; groups of several
// labels are flattened by a RESHAPE, and the product [B, L, R] is put in the output's order.
// When the second operand has no batch labels, the first one's leading free labels act as
// batch dims that BATCH_MATMUL broadcasts ("bhqd,dk->bhqk" is one BATCH_MATMUL).
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

using Labels = std::vector<int>;
using Dims = std::vector<std::int64_t>;

// Letters keep their code; the dims of "..." get 256 + k, aligned from the right so that the
// last ellipsis dim of every operand has the same label.
std::optional<Labels> spell(std::string_view text, std::size_t rank) {
  std::size_t named = 0;
  for (char c : text) named += c != '.';
  Labels out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      out.push_back(static_cast<unsigned char>(c));
    } else if (text.substr(i, 3) == "...") {
      if (rank < named) return std::nullopt;
      for (std::size_t k = rank - named; k > 0; --k) out.push_back(256 + static_cast<int>(k - 1));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool contains(const Labels& l, int label) { return std::find(l.begin(), l.end(), label) != l.end(); }

std::int64_t position(const Labels& l, int label) {
  return std::find(l.begin(), l.end(), label) - l.begin();
}

bool has_duplicate(Labels l) {
  std::sort(l.begin(), l.end());
  return std::adjacent_find(l.begin(), l.end()) != l.end();
}

bool is_identity(const std::vector<std::int64_t>& perm) {
  for (std::size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] != static_cast<std::int64_t>(i)) return false;
  }
  return true;
}

// Product of dims, -1 when one is unknown.
std::int64_t product(const Dims& dims) {
  std::int64_t p = 1;
  for (auto d : dims) {
    if (d < 0) return -1;
    p *= d;
  }
  return p;
}

class EinsumLowering {
 public:
  explicit EinsumLowering(LoweringContext& ctx) : ctx_(ctx), dtype_(ctx.input_type(0).dtype) {}

  Expected<void> run() {
    const std::string equation = ctx_.attr_string("equation");
    const auto arrow = equation.find("->");
    if (arrow == std::string::npos) return ctx_.fail("an equation without an explicit output is not lowered");
    const std::string inputs = equation.substr(0, arrow);
    const std::string output = equation.substr(arrow + 2);
    const auto comma = inputs.find(',');
    for (std::size_t i = 0; i < ctx_.input_count(); ++i) {
      if (!ctx_.input_type(i).shape.has_rank()) return ctx_.fail("an operand of unknown rank");
    }
    if (ctx_.input_count() == 1 && comma == std::string::npos) return unary(inputs, output);
    if (ctx_.input_count() != 2 || comma == std::string::npos) return ctx_.fail("only one- and two-operand equations are lowered");
    return binary(inputs.substr(0, comma), inputs.substr(comma + 1), output);
  }

 private:
  std::optional<Labels> labels_of(std::string_view text, std::size_t input) {
    return spell(text, ctx_.input_type(input).shape.rank());
  }

  Dims dims_of(std::size_t input) const { return ctx_.input_type(input).shape.dims(); }

  // TRANSPOSE of `t` (dims `dims`) by `perm`, into `out` (a new tensor when -1).
  std::int32_t transpose(std::int32_t t, Dims& dims, const std::vector<std::int64_t>& perm, std::int32_t out,
                         std::string_view suffix) {
    Dims permuted;
    for (auto p : perm) permuted.push_back(dims[p]);
    if (out < 0) out = ctx_.add_tensor(suffix, {dtype_, ir::Shape(permuted)});
    ctx_.emit("TRANSPOSE", {t, i32_constant(ctx_, fmt::format("{}_perm", suffix), perm)}, {out});
    dims = std::move(permuted);
    return out;
  }

  Expected<std::int32_t> reshape(std::int32_t t, Dims& dims, Dims target, std::int32_t out, std::string_view suffix) {
    if (std::count(target.begin(), target.end(), -1) > 1) {
      return ctx_.fail("a reshape with two or more dynamic dims is not lowered");
    }
    if (out < 0) out = ctx_.add_tensor(suffix, {dtype_, ir::Shape(target)});
    ctx_.emit("RESHAPE", {t, i32_constant(ctx_, fmt::format("{}_shape", suffix), target)}, {out});
    dims = std::move(target);
    return out;
  }

  Expected<void> unary(std::string_view in_text, std::string_view out_text) {
    auto in = labels_of(in_text, 0);
    auto out = spell(out_text, ctx_.output_type(0).shape.has_rank() ? ctx_.output_type(0).shape.rank() : 0);
    if (!in || !out || has_duplicate(*in) || has_duplicate(*out)) return ctx_.fail("an equation this lowering does not take");
    std::vector<std::int64_t> axes;
    Labels kept;
    for (std::size_t i = 0; i < in->size(); ++i) {
      if (contains(*out, (*in)[i])) kept.push_back((*in)[i]);
      else axes.push_back(static_cast<std::int64_t>(i));
    }
    std::vector<std::int64_t> perm;
    for (int l : *out) {
      if (!contains(kept, l)) return ctx_.fail("an output label is not in the operand");
      perm.push_back(position(kept, l));
    }
    if (axes.empty() && is_identity(perm)) return ctx_.fail("a one-operand equation that neither sums nor transposes");
    auto x = ctx_.input(0);
    if (!x) return unexpected(x.error());
    std::int32_t t = *x;
    Dims dims = dims_of(0);
    if (!axes.empty()) {
      Dims reduced;
      for (std::size_t i = 0; i < dims.size(); ++i) {
        if (std::find(axes.begin(), axes.end(), static_cast<std::int64_t>(i)) == axes.end()) reduced.push_back(dims[i]);
      }
      const auto out_t = is_identity(perm) ? ctx_.output(0) : ctx_.add_tensor("sum", {dtype_, ir::Shape(reduced)});
      ctx_.emit("SUM", {t, i32_constant(ctx_, "axes", axes)}, {out_t}).options.Set(tflite::ReducerOptionsT{});
      t = out_t;
      dims = std::move(reduced);
    }
    if (!is_identity(perm)) transpose(t, dims, perm, ctx_.output(0), "transpose");
    return {};
  }

  Expected<void> binary(std::string_view lhs_text, std::string_view rhs_text, std::string_view out_text) {
    auto lhs = labels_of(lhs_text, 0);
    auto rhs = labels_of(rhs_text, 1);
    const auto& out_shape = ctx_.output_type(0).shape;
    if (!lhs || !rhs || !out_shape.has_rank()) return ctx_.fail("an equation this lowering does not take");
    auto out = spell(out_text, out_shape.rank());
    if (!out || has_duplicate(*lhs) || has_duplicate(*rhs) || has_duplicate(*out)) {
      return ctx_.fail("an equation with a repeated label is not lowered");
    }
    Labels b, l, c, r;
    for (int x : *out) {
      const bool in_l = contains(*lhs, x), in_r = contains(*rhs, x);
      if (in_l && in_r) b.push_back(x);
      else if (in_l) l.push_back(x);
      else if (in_r) r.push_back(x);
      else return ctx_.fail("an output label is in no operand");
    }
    for (int x : *lhs) {
      if (contains(*out, x)) continue;
      if (!contains(*rhs, x)) return ctx_.fail("a label summed within the first operand alone is not lowered");
      c.push_back(x);
    }
    for (int x : *rhs) {
      if (!contains(*out, x) && !contains(*lhs, x)) return ctx_.fail("a label summed within the second operand alone is not lowered");
    }
    // Without batch labels on the right, all but the last free label on the left are batch
    // dims that BATCH_MATMUL broadcasts.
    Labels lb;
    if (b.empty() && l.size() > 1) {
      lb.assign(l.begin(), l.end() - 1);
      l.erase(l.begin(), l.end() - 1);
    }
    const Dims ld = dims_of(0), rd = dims_of(1);
    auto dim = [&](int label) {
      if (contains(*lhs, label)) return ld[position(*lhs, label)];
      return rd[position(*rhs, label)];
    };
    auto perm_of = [](const Labels& labels, std::initializer_list<const Labels*> groups) {
      std::vector<std::int64_t> perm;
      for (const auto* g : groups) {
        for (int x : *g) perm.push_back(position(labels, x));
      }
      return perm;
    };
    auto dims_for = [&](const Labels& g) {
      Dims d;
      for (int x : g) d.push_back(dim(x));
      return d;
    };

    // The first operand: [B, Lb, L, C], or [B, Lb, C, L] with adj_x when that is its layout.
    auto lhs_t = ctx_.input(0);
    if (!lhs_t) return unexpected(lhs_t.error());
    std::int32_t a = *lhs_t;
    Dims a_dims = ld;
    bool adj_x = false;
    auto lhs_perm = perm_of(*lhs, {&b, &lb, &l, &c});
    if (!is_identity(lhs_perm) && l.size() == 1 && c.size() == 1) {
      const auto alt = perm_of(*lhs, {&b, &lb, &c, &l});
      if (is_identity(alt)) {
        adj_x = true;
        lhs_perm = alt;
      }
    }
    if (!is_identity(lhs_perm)) a = transpose(a, a_dims, lhs_perm, -1, "lhs_transposed");
    if (l.size() != 1 || c.size() != 1) {
      Dims target = dims_for(b);
      for (auto d : dims_for(lb)) target.push_back(d);
      target.push_back(l.empty() ? 1 : product(dims_for(l)));
      target.push_back(product(dims_for(c)));
      auto t = reshape(a, a_dims, std::move(target), -1, "lhs_reshaped");
      if (!t) return unexpected(t.error());
      a = *t;
    }

    // The second operand: [B, C, R], or [B, R, C] with adj_y.
    auto rhs_t = ctx_.input(1);
    if (!rhs_t) return unexpected(rhs_t.error());
    std::int32_t bt = *rhs_t;
    Dims b_dims = rd;
    bool adj_y = false;
    auto rhs_perm = perm_of(*rhs, {&b, &c, &r});
    if (!is_identity(rhs_perm) && r.size() == 1 && c.size() == 1) {
      // Either layout costs one TRANSPOSE at most; [B, R, C] is the key layout of attention.
      adj_y = true;
      rhs_perm = perm_of(*rhs, {&b, &r, &c});
    }
    if (!is_identity(rhs_perm)) bt = transpose(bt, b_dims, rhs_perm, -1, "rhs_transposed");
    if (r.size() != 1 || c.size() != 1) {
      Dims target = dims_for(b);
      target.push_back(product(dims_for(c)));
      target.push_back(r.empty() ? 1 : product(dims_for(r)));
      auto t = reshape(bt, b_dims, std::move(target), -1, "rhs_reshaped");
      if (!t) return unexpected(t.error());
      bt = *t;
    }

    // The product [B, Lb, L', R'], then [B, Lb, L..., R...], then the output's order.
    Labels product_labels = b;
    product_labels.insert(product_labels.end(), lb.begin(), lb.end());
    product_labels.insert(product_labels.end(), l.begin(), l.end());
    product_labels.insert(product_labels.end(), r.begin(), r.end());
    const bool needs_reshape = l.size() != 1 || r.size() != 1;
    std::vector<std::int64_t> out_perm;
    for (int x : *out) out_perm.push_back(position(product_labels, x));
    const bool needs_transpose = !is_identity(out_perm);
    Dims p_dims = dims_for(b);
    for (auto d : dims_for(lb)) p_dims.push_back(d);
    p_dims.push_back(l.empty() ? 1 : product(dims_for(l)));
    p_dims.push_back(r.empty() ? 1 : product(dims_for(r)));
    const std::int32_t p = needs_reshape || needs_transpose ? ctx_.add_tensor("matmul", {dtype_, ir::Shape(p_dims)})
                                                            : ctx_.output(0);
    auto& mm = ctx_.emit("BATCH_MATMUL", {a, bt}, {p});
    tflite::BatchMatMulOptionsT options;
    options.adj_x = adj_x;
    options.adj_y = adj_y;
    mm.options.Set(std::move(options));
    std::int32_t t = p;
    if (needs_reshape) {
      auto reshaped = reshape(t, p_dims, dims_for(product_labels), needs_transpose ? -1 : ctx_.output(0), "unflattened");
      if (!reshaped) return unexpected(reshaped.error());
      t = *reshaped;
    }
    if (needs_transpose) transpose(t, p_dims, out_perm, ctx_.output(0), "output_transposed");
    return {};
  }

  LoweringContext& ctx_;
  ir::DType dtype_;
};

Expected<void> lower_einsum(LoweringContext& ctx) { return EinsumLowering(ctx).run(); }

}  // namespace

std::span<const Lowering> einsum() {
  static constexpr Lowering kLowerings[] = {
      {"Einsum", lower_einsum},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
