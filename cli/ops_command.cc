#include "cli/ops_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "rules/engine/opdb_describe.h"

namespace litelint::cli {
namespace {

struct OpsOptions {
  std::string name;
  std::string format = "text";
};

int run_ops(const OpsOptions& opts) {
  const auto doc = rules::describe_op_json(opts.name);
  const bool known = opts.name.empty() || !doc.value("tf_op", nlohmann::json()).is_null() ||
                     !doc.value("builtin", nlohmann::json()).is_null();
  const std::string out = opts.format == "json" ? doc.dump(2) + "\n" : rules::describe_op(opts.name);
  std::fwrite(out.data(), 1, out.size(), stdout);
  // An op the database does not know is an answer, not bad input; say so in the exit code
  // so scripts can branch on it.
  return known ? 0 : 1;
}

}  // namespace

void register_ops(CLI::App& app, CommandSet& commands) {
  auto opts = std::make_shared<OpsOptions>();
  auto* cmd = app.add_subcommand("ops", "is a TensorFlow op or TFLite builtin supported? (op database)");
  cmd->add_option("name", opts->name, "TF op type (Conv2D) or TFLite builtin (CONV_2D); none = overview");
  cmd->add_option("--format", opts->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([opts, &commands] { commands.selected = [opts] { return run_ops(*opts); }; });
}

}  // namespace litelint::cli
