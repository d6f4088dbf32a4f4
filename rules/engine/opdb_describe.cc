#include "rules/engine/opdb_describe.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "rules/engine/opdb.h"

namespace litelint::rules {
namespace {

using nlohmann::json;

constexpr std::array kDelegates = {Delegate::Gpu, Delegate::Xnnpack, Delegate::Nnapi,
                                   Delegate::EdgeTpu};

std::string types_text(ElemTypeSet set) {
  if (set.is_any()) return "any";
  std::string out;
  for (int i = 0; i < kElemTypeCount; ++i) {
    auto t = static_cast<ElemType>(i);
    if (!set.contains(t)) continue;
    if (!out.empty()) out += ' ';
    out += to_string(t);
  }
  return out;
}

json types_json(ElemTypeSet set) {
  if (set.is_any()) return json::array({"any"});
  json out = json::array();
  for (int i = 0; i < kElemTypeCount; ++i) {
    auto t = static_cast<ElemType>(i);
    if (set.contains(t)) out.push_back(std::string(to_string(t)));
  }
  return out;
}

std::string join(std::span<const std::string_view> items, std::string_view sep) {
  std::string out;
  for (std::string_view s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string flex_text(FlexList f) {
  switch (f) {
    case FlexList::Main: return "yes (Select TF ops allowlist)";
    case FlexList::TfText: return "yes, when tensorflow_text ops are loaded at conversion";
    case FlexList::SentencePiece: return "yes, when sentencepiece ops are loaded at conversion";
    case FlexList::None: break;
  }
  return "no";
}

// Names a builtin becomes from: TF ops whose main builtin it is.
std::vector<std::string_view> tf_ops_producing(std::string_view builtin) {
  std::vector<std::string_view> out;
  for (const TfOpInfo& op : all_tf_ops()) {
    if (op.converts_to_builtins() && !op.builtins.empty() && op.builtins.front() == builtin) {
      out.push_back(op.name);
    }
  }
  return out;
}

void line(std::string& out, std::string_view label, std::string_view value) {
  if (value.empty()) return;
  // Continuation lines (empty label) line up under the first value.
  out += fmt::format("  {:<14}{}\n", label.empty() ? std::string() : fmt::format("{}:", label),
                     value);
}

void describe_tf(std::string& out, const TfOpInfo& op) {
  out += fmt::format("{} (TensorFlow op)\n", op.name);
  std::string status(to_string(op.status));
  // A fusion's builtin replaces the whole pattern around the op, not the op by itself.
  if (!op.fusion.empty()) {
    status += fmt::format("; inside the {} pattern fused into {}", op.fusion, join(op.builtins, ", "));
  } else if (!op.builtins.empty()) {
    status += " -> " + join(op.builtins, ", ");
  }
  line(out, "status", status);
  if (op.converts_to_builtins()) {
    if (op.operand_types.empty()) line(out, "dtypes", types_text(op.dtypes));
    bool first_list = true;
    for (const OperandTypes& o : op.operand_types) {
      line(out, first_list ? "dtypes" : "", fmt::format("{}: {}", o.operand, types_text(o.types)));
      first_list = false;
    }
  }
  bool first = true;
  for (const Condition& c : op.when) {
    std::string text = fmt::format("{} = {}", to_string(c.key), c.value);
    if (c.otherwise != Fallback::None && c.otherwise != op.otherwise) {
      text += fmt::format("  (else {})", to_string(c.otherwise));
    }
    line(out, first ? "when" : "", text);
    first = false;
  }
  if (op.otherwise != Fallback::None) line(out, "otherwise", to_string(op.otherwise));
  line(out, "select tf", flex_text(op.flex));
  line(out, "reason", op.reason);
  line(out, "hint", op.hint);
  line(out, "note", op.note);
  line(out, "evidence", op.evidence);
  line(out, "confidence", to_string(op.confidence));
}

void describe_builtin(std::string& out, const TfliteBuiltinInfo& b) {
  out += fmt::format("{} (TFLite builtin, code {})\n", b.name, b.code);
  if (b.max_version > 0) line(out, "versions", fmt::format("1..{}", b.max_version));
  std::string runtimes;
  for (const BuiltinVersion& v : b.versions) {
    if (!runtimes.empty()) runtimes += ", ";
    runtimes += fmt::format("v{} {}", v.version, v.min_runtime);
  }
  line(out, "min runtime", runtimes);
  line(out, "options", b.options);
  auto operands = [&](std::string_view label, std::span<const OperandInfo> list) {
    bool first = true;
    for (const OperandInfo& o : list) {
      std::string text = fmt::format("{}: {}", o.name, types_text(o.types));
      if (!o.newer_types.empty()) text += fmt::format(" (newer: {})", types_text(o.newer_types));
      if (o.optional) text += " [optional]";
      if (o.variadic) text += " [variadic]";
      if (o.rank >= 0) text += fmt::format(" [rank {}]", o.rank);
      line(out, first ? label : "", text);
      first = false;
    }
  };
  operands("operands", b.operands);
  operands("results", b.results);
  line(out, "rules", b.rules);
  line(out, "newer rules", b.newer_rules);
  line(out, "checks", b.checks);
  if (!b.constraints_known) line(out, "constraints", "not in the reference");
  std::string delegates;
  for (Delegate d : kDelegates) {
    const DelegateOpInfo* op = find_delegate_op(d, b.name);
    if (op == nullptr || !op->supported) continue;
    if (!delegates.empty()) delegates += ", ";
    delegates += to_string(d);
    if (op->max_version > 0) delegates += fmt::format(" (<= v{})", op->max_version);
  }
  line(out, "delegates", delegates.empty() ? "none of gpu, xnnpack, nnapi, edgetpu" : delegates);
  auto from = tf_ops_producing(b.name);
  line(out, "from TF", join(from, ", "));
}

// Close spellings: same name ignoring case and '_', or a containing name; at most five.
std::vector<std::string> suggestions(std::string_view name) {
  auto squash = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
  };
  std::string want = squash(name);
  std::vector<std::string> exact, partial;
  auto consider = [&](std::string_view candidate) {
    std::string have = squash(candidate);
    if (have == want) {
      exact.emplace_back(candidate);
    } else if (want.size() >= 3 && have.find(want) != std::string::npos) {
      partial.emplace_back(candidate);
    }
  };
  for (const TfOpInfo& op : all_tf_ops()) consider(op.name);
  for (const TfliteBuiltinInfo& b : all_builtins()) consider(b.name);
  exact.insert(exact.end(), partial.begin(), partial.end());
  if (exact.size() > 5) exact.resize(5);
  return exact;
}

json tf_json(const TfOpInfo& op) {
  json when = json::object();
  for (const Condition& c : op.when) {
    json v = c.number >= 0 ? json(c.number) : json(std::string(c.value));
    when[std::string(to_string(c.key))] = {{"value", v},
                                           {"otherwise", std::string(to_string(c.otherwise))}};
  }
  json builtins = json::array();
  for (std::string_view b : op.builtins) builtins.push_back(std::string(b));
  json operand_dtypes = json::object();
  for (const OperandTypes& o : op.operand_types) {
    operand_dtypes[std::string(o.operand)] = types_json(o.types);
  }
  return {{"name", std::string(op.name)},
          {"status", std::string(to_string(op.status))},
          {"builtins", builtins},
          {"dtypes", types_json(op.dtypes)},
          {"operand_dtypes", operand_dtypes},
          {"when", when},
          {"otherwise", std::string(to_string(op.otherwise))},
          {"flex", std::string(to_string(op.flex))},
          {"reason", std::string(op.reason)},
          {"hint", std::string(op.hint)},
          {"note", std::string(op.note)},
          {"evidence", std::string(op.evidence)},
          {"confidence", std::string(to_string(op.confidence))}};
}

json operands_json(std::span<const OperandInfo> list) {
  json out = json::array();
  for (const OperandInfo& o : list) {
    json e = {{"name", std::string(o.name)}, {"types", types_json(o.types)}};
    if (!o.newer_types.empty()) e["newer_types"] = types_json(o.newer_types);
    if (o.optional) e["optional"] = true;
    if (o.variadic) e["variadic"] = true;
    if (o.rank >= 0) e["rank"] = o.rank;
    out.push_back(std::move(e));
  }
  return out;
}

json builtin_json(const TfliteBuiltinInfo& b) {
  json versions = json::object();
  for (const BuiltinVersion& v : b.versions) {
    versions[std::to_string(v.version)] = std::string(v.min_runtime);
  }
  json limits = json::object();
  if (b.max_rank >= 0) limits["max_rank"] = b.max_rank;
  if (b.min_rank >= 0) limits["min_rank"] = b.min_rank;
  if (b.max_effective_rank >= 0) limits["max_effective_rank"] = b.max_effective_rank;
  if (b.broadcast_max_rank >= 0) limits["broadcast_max_rank"] = b.broadcast_max_rank;
  json delegates = json::object();
  for (Delegate d : kDelegates) {
    const DelegateOpInfo* op = find_delegate_op(d, b.name);
    if (op == nullptr) continue;
    json e = {{"supported", op->supported}, {"constraints", std::string(op->constraints)}};
    if (op->max_version > 0) e["max_version"] = op->max_version;
    if (!op->min_api.empty()) e["min_api"] = std::string(op->min_api);
    delegates[std::string(to_string(d))] = std::move(e);
  }
  json from = json::array();
  for (std::string_view n : tf_ops_producing(b.name)) from.push_back(std::string(n));
  return {{"name", std::string(b.name)},
          {"code", b.code},
          {"max_version", b.max_version},
          {"min_runtime", versions},
          {"options", std::string(b.options)},
          {"operands", operands_json(b.operands)},
          {"results", operands_json(b.results)},
          {"rules", std::string(b.rules)},
          {"newer_rules", std::string(b.newer_rules)},
          {"checks", std::string(b.checks)},
          {"limits", limits},
          {"constraints_known", b.constraints_known},
          {"delegates", delegates},
          {"from_tf_ops", from}};
}

std::map<std::string, int> status_counts() {
  std::map<std::string, int> counts;
  for (const TfOpInfo& op : all_tf_ops()) ++counts[std::string(to_string(op.status))];
  return counts;
}

}  // namespace

std::string describe_op(std::string_view name) {
  std::string out;
  if (name.empty()) {
    out += fmt::format("op database: {} TensorFlow ops, {} TFLite builtins, {} Select TF ops\n",
                       all_tf_ops().size(), all_builtins().size(),
                       flex_allowlist(FlexList::Main).size() +
                           flex_allowlist(FlexList::TfText).size() +
                           flex_allowlist(FlexList::SentencePiece).size());
    for (const auto& [status, count] : status_counts()) {
      out += fmt::format("  {:<16}{}\n", status, count);
    }
    out += "delegate profiles:";
    for (const DelegateInfo& d : all_delegates()) {
      out += fmt::format(" {} ({} ops)", d.name, d.ops.size());
    }
    out += "\nrun `litelint ops NAME` for one op (TF op type or TFLite builtin)\n";
    return out;
  }
  const TfOpInfo* op = find_tf_op(name);
  const TfliteBuiltinInfo* builtin = find_builtin(name);
  if (op != nullptr) describe_tf(out, *op);
  if (op != nullptr && builtin != nullptr) out += '\n';
  if (builtin != nullptr) describe_builtin(out, *builtin);
  if (op == nullptr && builtin == nullptr) {
    out += fmt::format("'{}' is not a TensorFlow op or TFLite builtin known to the op database\n",
                       name);
    auto close = suggestions(name);
    if (!close.empty()) {
      out += "did you mean: ";
      for (std::size_t i = 0; i < close.size(); ++i) {
        out += (i ? ", " : "") + close[i];
      }
      out += '\n';
    }
  }
  return out;
}

json describe_op_json(std::string_view name) {
  if (name.empty()) {
    json delegates = json::array();
    for (const DelegateInfo& d : all_delegates()) {
      delegates.push_back({{"name", std::string(d.name)}, {"ops", d.ops.size()}});
    }
    return {{"tf_ops", status_counts()},
            {"builtins", all_builtins().size()},
            {"flex_allowlist", flex_allowlist(FlexList::Main).size()},
            {"delegates", delegates}};
  }
  const TfOpInfo* op = find_tf_op(name);
  const TfliteBuiltinInfo* builtin = find_builtin(name);
  json out = {{"query", std::string(name)},
              {"tf_op", op ? tf_json(*op) : json(nullptr)},
              {"builtin", builtin ? builtin_json(*builtin) : json(nullptr)}};
  if (op == nullptr && builtin == nullptr) out["suggestions"] = suggestions(name);
  return out;
}

}  // namespace litelint::rules
