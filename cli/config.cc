#include "cli/config.h"

#include <system_error>
#include <toml++/toml.h>

#include "rules/engine/profiles.h"

namespace litelint::cli {
namespace fs = std::filesystem;
namespace {

tl::unexpected<Error> config_error(const fs::path& file, const std::string& reason) {
  return tl::unexpected<Error>(Error(ErrorCode::Usage, reason).in_file(file.string()));
}

Expected<std::vector<std::string>> string_list(const toml::node& node, const fs::path& file,
                                               const std::string& key) {
  std::vector<std::string> out;
  const auto* arr = node.as_array();
  if (arr == nullptr) return config_error(file, "'" + key + "' must be a list of strings");
  for (const auto& item : *arr) {
    const auto* s = item.as_string();
    if (s == nullptr) return config_error(file, "'" + key + "' must be a list of strings");
    out.push_back(s->get());
  }
  return out;
}

Expected<std::string> string_value(const toml::node& node, const fs::path& file, const std::string& key) {
  const auto* s = node.as_string();
  if (s == nullptr) return config_error(file, "'" + key + "' must be a string");
  return s->get();
}

Expected<FileConfig> parse_table(const toml::table& table, const fs::path& file, const std::string& prefix) {
  FileConfig cfg;
  cfg.source = file;
  for (const auto& [key_node, value] : table) {
    const std::string key(key_node.str());
    const std::string where = prefix + key;
    if (key == "target") {
      auto v = string_value(value, file, where);
      if (!v) return unexpected(v.error());
      if (!rules::parse_target(*v)) {
        return config_error(file, "'" + where + "' must be one of builtins, select-tf-ops, gpu, "
                                  "xnnpack, nnapi, edgetpu (got '" + *v + "')");
      }
      cfg.target = *v;
    } else if (key == "allow-custom-ops") {
      const auto* b = value.as_boolean();
      if (b == nullptr) return config_error(file, "'" + where + "' must be true or false");
      cfg.allow_custom_ops = b->get();
    } else if (key == "select" || key == "ignore") {
      auto v = string_list(value, file, where);
      if (!v) return unexpected(v.error());
      (key == "select" ? cfg.select : cfg.ignore) = *v;
    } else if (key == "tags" || key == "signature") {
      auto v = string_value(value, file, where);
      if (!v) return unexpected(v.error());
      (key == "tags" ? cfg.tags : cfg.signature) = *v;
    } else if (key == "max-weight-bytes" || key == "max-macs" || key == "max-activation-bytes") {
      // A number, or a string with a unit ("20MiB", "1.5G").
      std::string text;
      if (const auto* i = value.as_integer(); i && i->get() >= 0) {
        text = std::to_string(i->get());
      } else if (const auto* s = value.as_string()) {
        text = s->get();
      } else {
        return config_error(file, "'" + where + "' must be a number or a string such as \"20MiB\"");
      }
      auto n = footprint::parse_budget(text, "'" + where + "'");
      if (!n) return config_error(file, n.error().reason());
      (key == "max-weight-bytes" ? cfg.budgets.max_weight_bytes
       : key == "max-macs"       ? cfg.budgets.max_macs
                                 : cfg.budgets.max_activation_bytes) = *n;
    } else if (key == "per-node-ignores") {
      const auto* t = value.as_table();
      if (t == nullptr) return config_error(file, "'" + where + "' must be a table of node glob = [codes]");
      for (const auto& [glob, codes] : *t) {
        auto v = string_list(codes, file, where + "." + std::string(glob.str()));
        if (!v) return unexpected(v.error());
        cfg.per_node_ignores[std::string(glob.str())] = *v;
      }
    } else {
      return config_error(file, "unknown key '" + where + "'");
    }
  }
  return cfg;
}

}  // namespace

Expected<FileConfig> parse_config_file(const fs::path& file) {
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return config_error(file, "line " + std::to_string(where.line) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return config_error(file, e.what());
  }
  if (file.filename() == "pyproject.toml") {
    const auto* tool = doc["tool"]["litelint"].as_table();
    if (tool == nullptr) return FileConfig{};
    return parse_table(*tool, file, "tool.litelint.");
  }
  return parse_table(doc, file, "");
}

Expected<FileConfig> find_config(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return FileConfig{};
  for (int depth = 0; depth < 256; ++depth) {
    if (fs::is_regular_file(dir / "litelint.toml", ec)) return parse_config_file(dir / "litelint.toml");
    if (fs::is_regular_file(dir / "pyproject.toml", ec)) {
      auto cfg = parse_config_file(dir / "pyproject.toml");
      if (!cfg || !cfg->source.empty()) return cfg;
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return FileConfig{};
}

}  // namespace litelint::cli
