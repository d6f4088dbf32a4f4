#include <algorithm>
#include <vector>

#include "analyzer/support/assert.h"
#include "converter/fold/fold.h"
#include "converter/fold/folders.h"

namespace litelint::converter {
namespace {

// One line per folder family; the table is sorted once and searched by op type.
std::vector<Folder> make_table() {
  std::vector<Folder> table;
  for (auto family : {folders::shape_folders()}) table.insert(table.end(), family.begin(), family.end());
  std::sort(table.begin(), table.end(), [](const Folder& a, const Folder& b) { return a.op < b.op; });
  for (std::size_t i = 1; i < table.size(); ++i) LITELINT_ASSERT(table[i - 1].op != table[i].op);
  return table;
}

}  // namespace

std::span<const Folder> all_folders() {
  static const std::vector<Folder> table = make_table();
  return table;
}

std::optional<std::vector<ConstValue>> fold(const FoldInput& in) {
  const auto table = all_folders();
  auto it = std::lower_bound(table.begin(), table.end(), in.node.op,
                             [](const Folder& f, std::string_view op) { return f.op < op; });
  if (it == table.end() || it->op != in.node.op) return std::nullopt;
  return it->fold(in);
}

}  // namespace litelint::converter
