#include "rules/engine/lowerings.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace litelint::rules {
namespace {

constexpr std::int64_t kDynamic = ir::Shape::kUnknownDim;

LoweringVerdict applies() { return {LoweringOutcome::Applies, {}}; }
LoweringVerdict unknown() { return {LoweringOutcome::Unknown, {}}; }
LoweringVerdict not_applied(std::string why) { return {LoweringOutcome::NotApplied, std::move(why)}; }

// Labels of one operand (or the output) after "..." is spelled out: letters keep their
// character code; the lowering names the ellipsis dims with unused letters aligned from the
// right, so the last ellipsis dim of every operand gets the same label. Those are 256 + k here.
using Labels = std::vector<int>;

struct Side {
  std::string_view text;
  int named = 0;
  bool has_ellipsis = false;
};

// Letters and at most well-formed "..." runs; nullopt for anything else (the lowering rejects
// the equation: spaces, digits, a lone '.').
std::optional<Side> scan(std::string_view text) {
  Side s{text, 0, false};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++s.named;
    } else if (c == '.' && text.substr(i, 3) == "...") {
      s.has_ellipsis = true;
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return s;
}

Labels spell(const Side& s, std::size_t ellipsis_dims) {
  Labels out;
  for (std::size_t i = 0; i < s.text.size(); ++i) {
    if (s.text[i] != '.') {
      out.push_back(static_cast<unsigned char>(s.text[i]));
      continue;
    }
    for (std::size_t k = 0; k < ellipsis_dims; ++k) {
      out.push_back(256 + static_cast<int>(ellipsis_dims - 1 - k));
    }
    i += 2;
  }
  return out;
}

bool has_duplicate(Labels l) {
  std::sort(l.begin(), l.end());
  return std::adjacent_find(l.begin(), l.end()) != l.end();
}

std::optional<std::size_t> find(const Labels& l, int label) {
  auto it = std::find(l.begin(), l.end(), label);
  if (it == l.end()) return std::nullopt;
  return static_cast<std::size_t>(it - l.begin());
}

// Product of dims; dynamic when one is dynamic or the product overflows.
std::int64_t product(const std::vector<std::int64_t>& dims) {
  std::int64_t p = 1;
  for (auto d : dims) {
    if (d < 0) return kDynamic;
    if (d != 0 && p > INT64_MAX / d) return kDynamic;
    p *= d;
  }
  return p;
}

// TensorFlow's VerifyShapeOfReshapeOp: a static reshape takes at most one dynamic dim.
bool static_reshape_ok(const std::vector<std::int64_t>& shape) {
  return std::count(shape.begin(), shape.end(), kDynamic) <= 1;
}

// Both shapes have the same rank here; true when some dim is known on both sides and differs.
bool known_mismatch(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return true;
  }
  return false;
}

std::string dims_string(const std::vector<std::int64_t>& v) {
  return ir::Shape(v).to_string();
}

LoweringVerdict unary(const Labels& in, const Labels& out) {
  for (int l : out) {
    if (!find(in, l)) return not_applied("an output label is not in the operand");
  }
  bool reduces = false;
  bool permutes = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto o = find(out, in[i]);
    if (!o) reduces = true;
    else if (*o != i) permutes = true;
  }
  if (!reduces && !permutes) {
    return not_applied("a one-operand equation that neither sums nor transposes is not lowered");
  }
  return applies();
}

LoweringVerdict binary(const Labels& lhs, const Labels& rhs, const Labels& out,
                       const ir::Shape& ls, const ir::Shape& rs, std::string_view equation) {
  for (int l : out) {
    if (!find(lhs, l) && !find(rhs, l)) return not_applied("an output label is in no operand");
  }
  // Dimension numbers as the lowering sorts them: batch B (in both and the output), free L
  // (lhs and output), contracted C (both, not output), free R (rhs and output).
  std::vector<std::size_t> b_l, b_r, l_l, c_l, c_r, r_r;
  for (std::size_t i = 0; i < lhs.size(); ++i) {
    auto in_rhs = find(rhs, lhs[i]);
    auto in_out = find(out, lhs[i]);
    if (!in_rhs && !in_out) return not_applied("a label is summed within the first operand alone");
    if (!in_rhs) l_l.push_back(i);
    else if (!in_out) { c_l.push_back(i); c_r.push_back(*in_rhs); }
    else { b_l.push_back(i); b_r.push_back(*in_rhs); }
  }
  for (std::size_t j = 0; j < rhs.size(); ++j) {
    if (find(lhs, rhs[j])) continue;
    if (!find(out, rhs[j])) return not_applied("a label is summed within the second operand alone");
    r_r.push_back(j);
  }
  auto dims_of = [](const ir::Shape& s, const std::vector<std::size_t>& idx) {
    std::vector<std::int64_t> v;
    for (auto i : idx) v.push_back(s.dim(i));
    return v;
  };
  const auto lb = dims_of(ls, b_l), rb = dims_of(rs, b_r);
  for (std::size_t i = 0; i < lb.size(); ++i) {
    if (lb[i] > 1 && rb[i] > 1 && lb[i] != rb[i]) return not_applied("batch dims do not broadcast");
  }
  const std::size_t nb = b_l.size(), nl = l_l.size(), nc = c_l.size(), nr = r_r.size();

  // The lowering transposes lhs to [B..., L..., C...] and rhs to [B..., C..., R...], then
  // reshapes them to [B..., L', C'] and [B..., C', R'] -- but only when its count of target
  // groups differs from the operand's rank. When the counts agree by accident the reshape is
  // skipped even though the layout differs, and the BatchMatMulV2 it builds fails verification.
  std::vector<std::int64_t> lhs_t = lb, lhs_target = lb;
  for (auto d : dims_of(ls, l_l)) lhs_t.push_back(d);
  for (auto d : dims_of(ls, c_l)) lhs_t.push_back(d);
  if (nl == 0) lhs_target.push_back(1);
  else if (nb == 0) for (auto d : dims_of(ls, l_l)) lhs_target.push_back(d);
  else lhs_target.push_back(product(dims_of(ls, l_l)));
  lhs_target.push_back(product(dims_of(ls, c_l)));

  std::vector<std::int64_t> rhs_t = rb, rhs_target = rb;
  for (auto d : dims_of(rs, c_r)) rhs_t.push_back(d);
  for (auto d : dims_of(rs, r_r)) rhs_t.push_back(d);
  rhs_target.push_back(product(dims_of(rs, c_r)));
  rhs_target.push_back(product(dims_of(rs, r_r)));

  struct Operand {
    const char* name;
    const std::vector<std::int64_t>& transposed;
    const std::vector<std::int64_t>& target;
    bool dynamic_reshape_possible;
  };
  const Operand operands[] = {
      // After the lowering adds a unit L group, lhs always has free labels; rhs may not.
      {"first", lhs_t, lhs_target, nc > 0},
      {"second", rhs_t, rhs_target, nc > 0 && nr > 0},
  };
  for (const auto& o : operands) {
    if (o.transposed.size() == o.target.size()) {
      if (known_mismatch(o.transposed, o.target)) {
        return {LoweringOutcome::ConvertError,
                fmt::format("TensorFlow's einsum lowering of '{}' skips the reshape of the {} "
                            "operand from {} to {} and builds an invalid BatchMatMulV2",
                            equation, o.name, dims_string(o.transposed), dims_string(o.target))};
      }
      if (o.transposed != o.target) return unknown();  // mismatch only in unknown dims
      continue;
    }
    if (!static_reshape_ok(o.target) && !o.dynamic_reshape_possible) {
      return not_applied(fmt::format("the {} operand would need a reshape to {} with two or more "
                                     "dynamic dims",
                                     o.name, dims_string(o.target)));
    }
  }
  return applies();
}

}  // namespace

LoweringVerdict check_einsum(std::string_view equation, std::span<const ir::Shape> operands) {
  const auto arrow = equation.find("->");
  if (arrow == std::string_view::npos || arrow + 2 >= equation.size() || arrow == 0) {
    return not_applied("the equation has no explicit output ('->')");
  }
  std::vector<std::string_view> inputs;
  std::string_view rest = equation.substr(0, arrow);
  while (true) {
    auto comma = rest.find(',');
    inputs.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (inputs.size() != operands.size()) return unknown();  // malformed; TensorFlow rejects it
  if (inputs.size() > 2) return not_applied("more than two operands are not lowered");

  std::vector<Side> sides;
  for (auto text : inputs) {
    auto s = scan(text);
    if (!s || text.empty()) return not_applied("the equation has characters other than letters and '...'");
    sides.push_back(*s);
  }
  auto out_side = scan(equation.substr(arrow + 2));
  if (!out_side) return not_applied("the equation has characters other than letters and '...'");

  std::vector<Labels> spelled;
  std::size_t longest_ellipsis = 0;
  for (std::size_t i = 0; i < sides.size(); ++i) {
    // The lowering needs ranked operands; litelint not knowing a rank says nothing.
    if (!operands[i].has_rank()) return unknown();
    const auto rank = operands[i].rank();
    const auto named = static_cast<std::size_t>(sides[i].named);
    if (named > rank || (!sides[i].has_ellipsis && named != rank)) return unknown();
    const std::size_t ell = sides[i].has_ellipsis ? rank - named : 0;
    longest_ellipsis = std::max(longest_ellipsis, ell);
    spelled.push_back(spell(sides[i], ell));
  }
  const Labels out = spell(*out_side, longest_ellipsis);
  for (const auto& l : spelled) {
    if (has_duplicate(l)) return not_applied("a label repeats within one operand");
  }
  if (has_duplicate(out)) return not_applied("a label repeats in the output");
  if (spelled.size() == 1) return unary(spelled[0], out);
  return binary(spelled[0], spelled[1], out, operands[0], operands[1], equation);
}

}  // namespace litelint::rules
