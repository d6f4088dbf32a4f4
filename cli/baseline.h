#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "analyzer/support/expected.h"
#include "reports/report.h"

namespace litelint::cli {

/// Findings an earlier `--format json` report already had, for `--baseline FILE`: a team
/// adopting litelint on an existing zoo then sees only what is new. A finding is identified
/// by model path, rule code, op and node name (messages may change between versions; these
/// do not). A single-model baseline applies to a single-model run whatever its path.
class Baseline {
 public:
  /// Reads a JSON report (one model or a batch). Errors name the file.
  static Expected<Baseline> read(const std::filesystem::path& file);

  /// Drops the nodes the baseline knows from each finding, and findings left with no node;
  /// recounts severities and sets `baseline_suppressed`. Verdict and plan stay: they describe
  /// the model, not what is new.
  void apply(reports::ModelReport& model, bool single_model_run) const;

 private:
  using Key = std::tuple<std::string, std::string, std::string, std::string>;  // path code op node
  std::set<Key> keys_;
  bool single_model_ = false;
};

}  // namespace litelint::cli
