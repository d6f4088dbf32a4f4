#pragma once

#include <string>
#include <vector>

#include "analyzer/support/expected.h"
#include "cli/config.h"
#include "reports/report.h"
#include "rules/engine/analyze.h"

namespace litelint::cli {

/// The flags `check` and `convert` share: what to analyze and under which target. Empty or
/// false means "not given", so that the config file can fill it.
struct AnalyzeFlags {
  std::string target;
  bool allow_custom_ops = false;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string config;
  std::string tags;
  std::vector<std::string> signatures;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> limits;  ///< --limit NAME=N (analyzer/support/input_limits.h)
  std::string max_weight_bytes;      ///< --max-weight-bytes, as written ("20MiB")
  std::string max_macs;              ///< --max-macs
  std::string max_activation_bytes;  ///< --max-activation-bytes
};

/// The config file `--config` names, else the one found upward from the working directory.
Expected<FileConfig> read_config(const std::string& config_flag);

/// Flags merged over the config file over defaults: flags win, then the file. An unknown
/// target is a usage error listing the known ones.
Expected<rules::AnalyzeOptions> merge_options(const AnalyzeFlags& flags, const FileConfig& cfg);

/// Splits every value at commas and drops empty pieces ("a,b" "c" -> a b c).
std::vector<std::string> split_commas(const std::vector<std::string>& values);

/// One model's report, as every renderer reads it, from an analysis and the file's facts.
/// Moves the findings out of `analysis`; the model stays for later stages.
reports::ModelReport model_report(const std::string& path, const rules::ModelFacts& facts,
                                  rules::Analysis& analysis);

/// True when LITELINT_REPRODUCIBLE asks for byte-identical reports (times zeroed).
bool reproducible();

/// Whether text on stdout gets colour: "always", "never", or "auto" (a TTY without NO_COLOR).
bool color_wanted(const std::string& mode);

}  // namespace litelint::cli
