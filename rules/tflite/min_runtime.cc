#include <array>
#include <charconv>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/engine/opdb.h"
#include "rules/tflite/tflite_rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Reports the oldest TFLite (LiteRT) runtime that can run an existing .tflite model: the
newest "first release" among its operators' versions (op database table
rules/opdb/tflite_builtins.toml, from TFLite's `op_version.cc` / runtime version table). It
warns about operator versions and builtin codes newer than litelint's table, which only a
newer runtime than any litelint knows can run.
## Why is this bad?
An operator version the runtime does not know makes `AllocateTensors` fail ("Didn't find op
for builtin opcode 'CONV_2D' version '6'"): models converted with a new TensorFlow may not
run in an app that ships an older runtime, even though they contain only builtins.
## Example
    # converted with TF 2.15: FULLY_CONNECTED version 11 needs runtime 2.15.0
## Fix
Ship a runtime at least as new as the reported version, or convert with settings that keep
older op versions (e.g. no int16 activations, no per-channel quantized FULLY_CONNECTED).
)md";

using VersionTriple = std::array<int, 3>;

VersionTriple parse_version(std::string_view s) {
  VersionTriple v{0, 0, 0};
  for (std::size_t k = 0; k < v.size() && !s.empty(); ++k) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v[k]);
    if (ec != std::errc()) break;
    s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
    if (!s.empty() && s.front() == '.') s.remove_prefix(1);
  }
  return v;
}

class TfliteMinRuntime final : public TfliteRule {
 public:
  RuleInfo info() const override {
    return {.code = "LL902", .name = "tflite-min-runtime", .severity = Severity::Note,
            .summary = "the oldest TFLite runtime that runs the .tflite, from its op versions",
            .doc = kDoc};
  }
  void check_tflite(TfliteContext& ctx) const override {
    const auto& model = ctx.model();
    std::string newest;
    std::string newest_by;
    for (std::uint32_t s = 0; s < model.subgraphs.size(); ++s) {
      for (std::uint32_t i = 0; i < model.subgraphs[s].operators.size(); ++i) {
        const auto* code = ctx.code_of({s, i});
        if (!code || code->is_custom()) continue;
        const auto* info = find_builtin(code->builtin_code);
        if (info == nullptr) {
          auto& f = ctx.report({s, i}, fmt::format("builtin code {} is newer than litelint's "
                                                   "table; only a recent runtime knows it",
                                                   code->builtin_code));
          f.severity = Severity::Warning;
          continue;
        }
        const auto runtime = info->min_runtime(code->version);
        if (runtime.empty()) {
          if (info->max_version > 0 && code->version > info->max_version) {
            auto& f = ctx.report({s, i}, fmt::format(
                "{} version {} is newer than litelint's table (highest known {}); only a "
                "runtime newer than those litelint knows runs it",
                info->name, code->version, info->max_version));
            f.severity = Severity::Warning;
          }
          continue;
        }
        if (newest.empty() || parse_version(runtime) > parse_version(newest)) {
          newest = std::string(runtime);
          newest_by = fmt::format("{} version {}", info->name, code->version);
        }
      }
    }
    if (newest.empty()) return;
    std::string cause = fmt::format("needs TFLite runtime {} or newer ({})", newest, newest_by);
    if (!model.min_runtime_version.empty() && model.min_runtime_version != newest) {
      cause += fmt::format("; the model's min_runtime_version metadata says {}",
                           model.min_runtime_version);
    }
    auto& f = ctx.report_model("model", std::move(cause));
    f.severity = Severity::Note;
  }
};

}  // namespace

std::unique_ptr<Rule> make_tflite_min_runtime() { return std::make_unique<TfliteMinRuntime>(); }

}  // namespace litelint::rules
