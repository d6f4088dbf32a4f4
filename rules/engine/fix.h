#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/shape.h"
#include "analyzer/support/expected.h"
#include "rules/engine/finding.h"
#include "rules/engine/rule.h"

namespace litelint::rules {

/// What `litelint fix` and `explain` say about one fix.
struct FixInfo {
  std::string_view id;    ///< stable kebab-case id, recorded in plans: "narrow-float64"
  std::string_view code;  ///< the rule whose findings it answers: "LL201"
  Applicability safety = Applicability::Safe;
  std::string_view title;  ///< what it does, imperative: "compute in float32"
  /// For Unsafe fixes: the tolerance or the interface change, in words a user reads
  /// ("outputs within 1e-6 relative of float64", "inputs get a batch of 1"); "" for Safe.
  std::string_view change;
};

/// Settings a fix may read besides the graph (flags of `litelint fix`).
struct FixOptions {
  /// --input-shape NAME=1,224,224,3: the static shape an input gets; others get a batch of 1.
  std::map<std::string, ir::Shape> input_shapes;
  /// The batch size for inputs whose first dimension is unknown and that --input-shape skips.
  std::int64_t batch = 1;
};

/// One concrete rewrite a fix proposes: data enough to apply it again (a plan entry), so that
/// apply() needs no finding.
struct FixMatch {
  std::string fix_id;
  /// The function whose body holds the nodes; "" for the main graph.
  std::string body;
  /// The nodes the rewrite reads and replaces, anchor first, in graph order after it.
  std::vector<std::string> nodes;
  /// Values the rewrite uses that a user may choose ("batch" -> "1", input shapes).
  std::map<std::string, std::string> params;
  std::string summary;  ///< one line: "narrow 3 float64 nodes in 'f' to float32"
};

/// The nodes a rewrite removed and added in its body, as "name (Op)": what --diff prints.
struct GraphEdit {
  std::vector<std::string> removed;
  std::vector<std::string> added;
  std::vector<std::string> changed;  ///< kept by name, with new attrs or types
};

/// A graph rewrite answering one rule's findings. Fixes are stateless; they live beside their
/// rule (rules/checks/<area>/<rule>_fix.cc) and are looked up by the rule's code.
class Fix {
 public:
  virtual ~Fix() = default;
  virtual FixInfo info() const = 0;
  /// The rewrites this fix proposes for one finding of its rule (usually one; none when the
  /// rewrite would not be sound here, with the reason in `why_not`).
  virtual std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph,
                                      const FixOptions& options, std::string& why_not) const = 0;
  /// Applies a match to `graph` (a copy the caller owns). Fails, changing nothing the caller
  /// keeps, when the match's nodes are not what the fix expects (a stale plan entry).
  virtual Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const = 0;
};

/// Every fix, sorted by rule code then id, built once.
const std::vector<std::unique_ptr<Fix>>& all_fixes();
/// The fix with that id, or nullptr.
const Fix* find_fix(std::string_view id);
/// The fixes answering findings of `code`, in registry order.
std::vector<const Fix*> fixes_for(std::string_view code);

/// "safe", "unsafe", "display-only".
std::string_view to_string(Applicability a);

}  // namespace litelint::rules
