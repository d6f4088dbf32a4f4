#include <algorithm>
#include <vector>

#include "analyzer/support/assert.h"
#include "converter/legalize/context.h"
#include "converter/legalize/families.h"

namespace litelint::converter {
namespace {

std::vector<Lowering> make_table() {
  std::vector<Lowering> table;
  for (auto family : {
           lowerings::activations(),
           lowerings::elementwise(),
           lowerings::matmul(),
           lowerings::passthrough(),
           lowerings::fused_ops(),
           lowerings::segments_and_diagonals(),
           lowerings::shape_ops(),
           lowerings::concat_split(),
           lowerings::slicing(),
           lowerings::generators(),
           lowerings::selection(),
           lowerings::reduce(),
           lowerings::misc_math(),
           lowerings::einsum(),
           lowerings::conv(),
           lowerings::pool(),
           lowerings::batch_norm(),
           lowerings::spatial(),
           lowerings::control_flow(),
           lowerings::variables(),
           lowerings::hash_tables(),
           lowerings::random(),
           lowerings::image(),
           lowerings::fft(),
           lowerings::complex_parts(),
           lowerings::special_functions(),
           lowerings::keras_lstm(),
           lowerings::fake_quant(),
       }) {
    table.insert(table.end(), family.begin(), family.end());
  }
  std::sort(table.begin(), table.end(), [](const Lowering& a, const Lowering& b) { return a.op < b.op; });
  // Two families claiming one op type is a bug: which one wins would depend on the order here.
  for (std::size_t i = 1; i < table.size(); ++i) LITELINT_ASSERT(table[i - 1].op != table[i].op);
  return table;
}

}  // namespace

std::span<const Lowering> all_lowerings() {
  static const std::vector<Lowering> table = make_table();
  return table;
}

const Lowering* find_lowering(std::string_view op) {
  const auto table = all_lowerings();
  auto it = std::lower_bound(table.begin(), table.end(), op,
                             [](const Lowering& l, std::string_view o) { return l.op < o; });
  return it != table.end() && it->op == op ? &*it : nullptr;
}

}  // namespace litelint::converter
