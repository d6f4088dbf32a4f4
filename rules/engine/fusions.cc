#include "rules/engine/fusions.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

#include "rules/engine/opdb.h"

namespace litelint::rules {
namespace {

// Constants larger than this are never a pattern's scalar; not worth decoding.
constexpr std::int64_t kMaxSplatElements = 1 << 16;
// Identity chains and nested equivalences are short in real graphs; bound hostile ones.
constexpr int kMaxDepth = 4;

bool is_commutative(std::string_view op) { return op == "Mul" || op == "AddV2" || op == "Add"; }

class Matcher {
 public:
  explicit Matcher(const FusionScope& s) : s_(s) {
    for (const auto* n : s_.live) live_.insert(n);
    for (const auto* n : s_.live) {
      for (std::size_t i = 0; i < n->data_input_count(); ++i) {
        const auto* p = producer_of(n->inputs[i].node);
        if (!p) continue;
        ++uses_[p];
        consumers_[p].push_back(n);
      }
    }
    for (const auto& r : s_.results) {
      if (auto ref = ir::TensorRef::parse(r); ref && !ref->control) {
        if (const auto* p = producer_of(ref->node)) ++uses_[p];
      }
    }
  }

  void gelu_erfc(const ir::Node& erfc) {
    // 0.5 * x * erfc(-x * sqrt(1/2))
    if (!is_f32(erfc)) return;
    const auto* scaled = input(erfc, 0, "Mul");
    if (!scaled || uses_after_cse(*scaled) != 1 || uses_after_cse(erfc) != 1) return;
    const ir::Node* neg = nullptr;
    for (std::size_t i = 0; i < 2 && !neg; ++i) {
      const auto* n = input(*scaled, i, "Neg");
      if (n && splat(input(*scaled, 1 - i)) == static_cast<float>(0.707106769)) neg = n;
    }
    if (!neg || neg->data_input_count() != 1) return;
    const ir::TensorRef& x = neg->inputs[0];
    const auto* outer = single_consumer(erfc, "Mul");
    if (!outer) return;
    const auto* half = other_input(*outer, erfc, "Mul");
    if (!half || uses_after_cse(*half) != 1 || !is_scaled(*half, x, 0.5F)) return;
    absorb({&erfc, scaled, half, outer});
    if (uses_[neg] == 1) absorb({neg});
  }

  void gelu_erf(const ir::Node& erf) {
    // 0.5 * x * (1 + erf(x * sqrt(1/2))); x / sqrt(2) is canonicalized to that product.
    if (!is_f32(erf) || uses_after_cse(erf) != 1) return;
    const ir::Node* scaled = input(erf, 0, "Mul");
    std::optional<ir::TensorRef> x;
    if (scaled) {
      for (std::size_t i = 0; i < 2 && !x; ++i) {
        if (splat(input(*scaled, 1 - i)) == static_cast<float>(0.707106769)) x = scaled->inputs[i];
      }
    } else if ((scaled = input(erf, 0, "RealDiv")) && scaled->data_input_count() == 2) {
      auto d = splat(input(*scaled, 1));
      if (d && std::fabs(*d - 1.41421356F) < 1e-6F) x = scaled->inputs[0];
    }
    if (!scaled || !x || uses_after_cse(*scaled) != 1) return;
    const ir::Node* add = single_consumer(erf, "AddV2");
    if (!add) add = single_consumer(erf, "Add");
    if (!add || uses_after_cse(*add) != 1) return;
    const auto* one = other_input(*add, erf, "");
    if (!one || splat(one) != 1.0F) return;
    const auto* outer = single_consumer(*add, "Mul");
    if (!outer) return;
    const auto* half = other_input(*outer, *add, "Mul");
    if (!half || uses_after_cse(*half) != 1 || !is_scaled(*half, *x, 0.5F)) return;
    absorb({&erf, scaled, add, half, outer});
  }

  std::unordered_set<const ir::Node*> take() { return std::move(absorbed_); }

 private:
  const ir::Node* producer_of(const std::string& name) const {
    const auto* p = s_.nodes.find(name);
    return p && live_.count(p) ? p : nullptr;
  }

  // Producer of data input `i` when it is a live node of type `op` ("" = any).
  const ir::Node* input(const ir::Node& n, std::size_t i, std::string_view op = "") const {
    if (i >= n.data_input_count()) return nullptr;
    const auto* p = producer_of(n.inputs[i].node);
    return p && (op.empty() || p->op == op) ? p : nullptr;
  }

  // The other data input of binary `n` than the one `from` produces.
  const ir::Node* other_input(const ir::Node& n, const ir::Node& from, std::string_view op) const {
    if (n.data_input_count() != 2) return nullptr;
    for (std::size_t i = 0; i < 2; ++i) {
      if (n.inputs[i].node == from.name) return input(n, 1 - i, op);
    }
    return nullptr;
  }

  const ir::Node* single_consumer(const ir::Node& n, std::string_view op) const {
    auto it = consumers_.find(&n);
    if (it == consumers_.end() || it->second.size() != 1) return nullptr;
    return it->second[0]->op == op ? it->second[0] : nullptr;
  }

  static bool is_f32(const ir::Node& n) {
    const auto* t = n.attr("T");
    return t && t->as_type() && ir::base_dtype(*t->as_type()) == ir::DType::Float;
  }

  // `n` is Mul(x, c) or Mul(c, x) with a splat constant c.
  bool is_scaled(const ir::Node& n, const ir::TensorRef& x, float c) const {
    if (n.data_input_count() != 2) return false;
    for (std::size_t i = 0; i < 2; ++i) {
      if (n.inputs[i] == x && splat(input(n, 1 - i)) == c) return true;
    }
    return false;
  }

  // The value of a float32 constant whose elements are all equal (through Identity).
  std::optional<float> splat(const ir::Node* n, int depth = 0) const {
    if (!n || depth > kMaxDepth) return std::nullopt;
    if (n->op == "Identity") return splat(input(*n, 0), depth + 1);
    if (n->op != "Const") return std::nullopt;
    const auto* v = n->attr("value");
    const auto* t = v ? v->as_tensor() : nullptr;
    if (!t || t->dtype() != ir::DType::Float) return std::nullopt;
    auto count = t->shape().num_elements();
    if (!count || *count < 1 || *count > kMaxSplatElements) return std::nullopt;
    auto bytes = t->load();
    if (!bytes || bytes->bytes.size() != static_cast<std::size_t>(*count) * sizeof(float)) {
      return std::nullopt;
    }
    float first = 0;
    std::memcpy(&first, bytes->bytes.data(), sizeof(float));
    for (std::int64_t i = 1; i < *count; ++i) {
      float f = 0;
      std::memcpy(&f, bytes->bytes.data() + i * static_cast<std::int64_t>(sizeof(float)), sizeof(float));
      if (f != first) return std::nullopt;
    }
    return first;
  }

  // Data input i of a and b hold the same value: one tensor, equal constants, or equivalent
  // producers.
  bool same_input(const ir::Node& a, std::size_t i, const ir::Node& b, std::size_t j, int depth) const {
    if (a.inputs[i] == b.inputs[j]) return true;
    const auto* pa = input(a, i);
    const auto* pb = input(b, j);
    if (!pa || !pb) return false;
    if (auto va = splat(pa)) return va == splat(pb);
    return equivalent(*pa, *pb, depth + 1);
  }

  // CSE would merge a and b: same op and type, inputs holding the same values.
  bool equivalent(const ir::Node& a, const ir::Node& b, int depth = 0) const {
    if (&a == &b) return true;
    if (depth > kMaxDepth || a.op != b.op) return false;
    const std::size_t n = a.data_input_count();
    if (n == 0 || n != b.data_input_count()) return false;
    const auto* ta = a.attr("T");
    const auto* tb = b.attr("T");
    if (!ta || !tb || !ta->as_type() || !tb->as_type() || *ta->as_type() != *tb->as_type()) return false;
    bool in_order = true;
    for (std::size_t i = 0; i < n && in_order; ++i) in_order = same_input(a, i, b, i, depth);
    if (in_order) return true;
    return n == 2 && is_commutative(a.op) && same_input(a, 0, b, 1, depth) &&
           same_input(a, 1, b, 0, depth);
  }

  std::size_t uses_after_cse(const ir::Node& n) const {
    auto count = [&](const ir::Node* m) {
      auto it = uses_.find(m);
      return it == uses_.end() ? std::size_t{0} : it->second;
    };
    std::size_t total = count(&n);
    for (const auto* m : s_.live) {
      if (m != &n && m->op == n.op && equivalent(n, *m)) total += count(m);
    }
    return total;
  }

  void absorb(std::initializer_list<const ir::Node*> nodes) {
    for (const auto* n : nodes) absorbed_.insert(n);
  }

  const FusionScope& s_;
  std::unordered_set<const ir::Node*> live_;
  std::unordered_map<const ir::Node*, std::size_t> uses_;
  std::unordered_map<const ir::Node*, std::vector<const ir::Node*>> consumers_;
  std::unordered_set<const ir::Node*> absorbed_;
};

}  // namespace

std::unordered_set<const ir::Node*> fused_nodes(const FusionScope& scope) {
  Matcher m(scope);
  for (const auto* n : scope.live) {
    const TfOpInfo* info = find_tf_op(n->op);
    if (!info || info->fusion.empty()) continue;
    if (info->fusion == "gelu-erfc") m.gelu_erfc(*n);
    else if (info->fusion == "gelu-erf") m.gelu_erf(*n);
  }
  return m.take();
}

}  // namespace litelint::rules
