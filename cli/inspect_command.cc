#include "cli/inspect_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "analyzer/loaders/load.h"
#include "cli/keep_until_exit.h"
#include "cli/model_inputs.h"
#include "reports/inspect.h"
#include "reports/json_report.h"

namespace litelint::cli {
namespace {

struct InspectOptions {
  std::string path;
  std::string format = "text";
  analyzer::LoadOptions load;
};

int run_inspect(const InspectOptions& opts) {
  auto model = analyzer::load(opts.path, opts.load);
  if (!model) return report_input_error(model.error().message());
  if (opts.format == "json") {
    std::string out = reports::dump_json(reports::inspect_json(*model));
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else {
    std::string out = reports::inspect_text(*model);
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  keep_until_exit(std::move(*model));
  return 0;
}

}  // namespace

void register_inspect(CLI::App& app, CommandSet& commands) {
  auto opts = std::make_shared<InspectOptions>();
  auto* cmd = app.add_subcommand("inspect", "show what a model contains: format, signatures, ops");
  cmd->add_option("model", opts->path, model_help())
      ->required();
  cmd->add_option("--format", opts->format, "output format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--tags", opts->load.tags, "MetaGraph tag set (comma-separated)")
      ->each([opts](const std::string&) { opts->load.tags_given = true; });
  cmd->add_option("--signature", opts->load.signature, "signature key");
  cmd->callback([opts, &commands] { commands.selected = [opts] { return run_inspect(*opts); }; });
}

}  // namespace litelint::cli
