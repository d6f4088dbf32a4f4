#include "cli/ops_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
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
  if (known || opts.format == "json") {
    // JSON keeps its document for an unknown op too: it carries the suggestions.
    const std::string out = opts.format == "json" ? doc.dump(2) + "\n" : rules::describe_op(opts.name);
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  if (known) return 0;
  // An unknown name is a usage error, as for `explain` and every flag that takes a name:
  // 1 is kept for "the model has errors".
  std::string message = "unknown op '" + opts.name + "': not a TensorFlow op or TFLite builtin in the op database";
  const auto close = doc.value("suggestions", nlohmann::json::array());
  for (std::size_t i = 0; i < close.size(); ++i) {
    message += (i == 0 ? "; did you mean: " : ", ") + close[i].get<std::string>();
  }
  if (!close.empty()) message += '?';
  return report_input_error(message + " (see litelint ops)");
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
