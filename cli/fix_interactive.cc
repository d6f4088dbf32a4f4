#include "cli/fix_interactive.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "rules/engine/fix_graph.h"
#include "rules/engine/verdict.h"

namespace litelint::cli {
namespace {

namespace fs = std::filesystem;

// Lines of one side of the before/after; the rest is counted (--diff lists every node).
constexpr std::size_t kMaxNodeLines = 14;
// Node lines are cut here so that a Pack of 64 inputs stays one screen line.
constexpr std::size_t kMaxLineChars = 100;

constexpr std::string_view kFixPrompt =
    "Apply this fix? [y]es, [n]o, [a]ll of this rule, [d]one with this rule, [q]uit, [?]help: ";

void print_line(const std::string& s) { std::printf("%s\n", s.c_str()); }

void print_help(const std::string& code) {
  print_line("  y - apply this fix");
  print_line("  n - do not apply it (the plan records it as declined)");
  print_line("  a - apply it and every later fix for " + code + " without asking");
  print_line("  d - decline it and every later fix for " + code + " without asking");
  print_line("  q - quit: write nothing (no plan, no model)");
  print_line("  ? - print this help");
}

// "p = Cumprod(x, axis) -> float32[2,3]": what a person needs to recognise a node.
std::string node_line(const ir::Node& n) {
  std::string s = n.name + " = " + n.op + "(";
  for (std::size_t i = 0; i < n.data_input_count(); ++i) s += (i ? ", " : "") + n.inputs[i].to_string();
  s += ")";
  if (!n.outputs.empty() && n.outputs[0].dtype != ir::DType::Invalid) {
    s += " -> ";
    if (n.outputs.size() > 1) s += std::to_string(n.outputs.size()) + " x ";
    s += ir::dtype_name(n.outputs[0].dtype);
    // "float32" rather than "float32<unknown>" when shape inference knows nothing.
    if (const std::string shape = n.outputs[0].shape.to_string(); shape.starts_with('[')) s += shape;
  }
  if (s.size() > kMaxLineChars) s = s.substr(0, kMaxLineChars - 3) + "...";
  return s;
}

// GraphEdit holds "name (Op)" (describe()); the name is what the graph is searched by.
std::string edit_name(const std::string& described) {
  const auto at = described.rfind(" (");
  return at == std::string::npos ? described : described.substr(0, at);
}

// The nodes of `body` named in `names`, in graph order.
std::vector<const ir::Node*> nodes_named(const ir::Graph& graph, const std::string& body,
                                         const std::set<std::string>& names) {
  std::vector<const ir::Node*> out;
  const ir::NodeList* nodes = rules::body_nodes(graph, body);
  if (nodes == nullptr) return out;
  for (const auto& n : nodes->nodes()) {
    if (names.contains(n.name)) out.push_back(&n);
  }
  return out;
}

void print_side(const Style& style, std::string_view label, char sign, const std::vector<const ir::Node*>& nodes) {
  std::size_t shown = 0;
  for (const ir::Node* n : nodes) {
    if (shown == kMaxNodeLines) {
      print_line("            " + style.dim("... and " + std::to_string(nodes.size() - shown) +
                                          " more (--diff lists every node)"));
      break;
    }
    const std::string text = std::string(1, sign) + " " + node_line(*n);
    const std::string head = shown == 0 ? "    " + std::string(label) : std::string(12, ' ');
    print_line(head + (sign == '-' ? style.red(text) : style.green(text)));
    ++shown;
  }
  if (nodes.empty()) print_line("    " + std::string(label) + style.dim("(no node)"));
}

// Nodes per op type, over the main graph and function bodies (op_coverage's counts).
std::map<std::string, std::int64_t> op_counts(const std::vector<rules::OpCoverage>& coverage) {
  std::map<std::string, std::int64_t> out;
  for (const auto& c : coverage) out[c.op] = c.count;
  return out;
}

// The nodes that would run as Select TF ops, by op type: the nodes of findings whose op stays
// a TensorFlow op that the plan lists (op_coverage counts every node of a type, also those a
// rewrite made builtin-friendly, e.g. a float32 AddV2 beside a uint8 one).
std::map<std::string, std::set<std::string>> flex_nodes_by_op(const rules::LintResult& r) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& f : r.findings) {
    if (f.fallback_op.empty() ||
        std::find(r.plan.flex_ops.begin(), r.plan.flex_ops.end(), f.fallback_op) == r.plan.flex_ops.end()) {
      continue;
    }
    for (const auto& n : f.nodes) {
      std::string key;
      for (const auto& part : n.path) key += part + '\n';
      out[f.fallback_op].insert(key.empty() ? n.name : key);
    }
  }
  return out;
}

std::size_t flex_nodes(const rules::LintResult& r) {
  std::size_t total = 0;
  for (const auto& [op, nodes] : flex_nodes_by_op(r)) total += nodes.size();
  return total;
}

std::string join(const std::vector<std::string>& items, std::string_view none = "none") {
  if (items.empty()) return std::string(none);
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

std::string verdict_name(rules::Verdict v) { return std::string(rules::to_string(v)); }

// y/yes, n/no, ...: the letter the answer stands for, or 0 when it is none of them.
char answer_letter(const std::string& answer) {
  static const std::pair<std::string_view, char> kWords[] = {
      {"y", 'y'}, {"yes", 'y'}, {"n", 'n'}, {"no", 'n'},   {"a", 'a'},    {"all", 'a'}, {"d", 'd'},
      {"done", 'd'}, {"q", 'q'}, {"quit", 'q'}, {"?", '?'}, {"h", '?'}, {"help", '?'}};
  std::string lower = answer;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [word, letter] : kWords) {
    if (lower == word) return letter;
  }
  return 0;
}

// Asks a yes/no/quit question whose "yes" writes to `def`; another answer is a path.
// nullopt for quit, "" for no.
std::optional<std::string> ask_path(const std::string& question, const std::string& def) {
  const auto answer = ask(question + " [y]es, [n]o, [q]uit, or type a path [y]: ");
  if (!answer) return std::nullopt;
  const char letter = answer_letter(*answer);
  if (answer->empty() || letter == 'y') return def;
  if (letter == 'n') return std::string();
  if (letter == 'q') return std::nullopt;
  return *answer;
}

}  // namespace

std::string interactive_usage_error(bool diff, bool replay) {
  if (diff) return "-i asks about each fix and --diff only shows them; drop one";
  if (replay) return "-i asks about each fix and --plan replays saved decisions; drop one";
  if (!interactive_terminal()) {
    return "-i needs a terminal on stdin and stdout; without one, use --unsafe-fixes, --select or --plan";
  }
  return "";
}

rules::FixDecision FixPrompter::decide(const rules::FixProposal& p) {
  ++count_;
  const std::string& code = p.finding->code;
  const std::string anchor = p.match.nodes.empty() ? std::string() : " on '" + p.match.nodes.front() + "'";
  if (auto it = rule_answers_.find(code); it != rule_answers_.end()) {
    const bool accept = it->second == rules::FixDecision::Accept;
    print_line(style_.bold("[" + std::to_string(count_) + "]") + " " + code + " " + p.match.fix_id + anchor + ": " +
               (accept ? style_.green("accepted") : style_.yellow("declined")) + " (" +
               (accept ? "all of " : "done with ") + code + ")");
    return it->second;
  }
  show(p);
  for (;;) {
    const auto answer = ask(style_.blue(std::string(kFixPrompt)));
    if (!answer) {
      print_line("");
      return rules::FixDecision::Quit;
    }
    switch (answer_letter(*answer)) {
      case 'y': return rules::FixDecision::Accept;
      case 'n': return rules::FixDecision::Decline;
      case 'a':
        rule_answers_[code] = rules::FixDecision::Accept;
        return rules::FixDecision::Accept;
      case 'd':
        rule_answers_[code] = rules::FixDecision::Decline;
        return rules::FixDecision::Decline;
      case 'q': return rules::FixDecision::Quit;
      case '?': print_help(code); break;
      default:
        if (!answer->empty()) print_line("  unknown answer '" + *answer + "'");
        print_help(code);
        break;
    }
  }
}

void FixPrompter::show(const rules::FixProposal& p) const {
  const rules::Finding& f = *p.finding;
  const rules::FixInfo info = p.fix->info();
  std::printf("\n");
  print_line(style_.bold("[" + std::to_string(count_) + "]") + " " +
             style_.bold(std::string(rules::to_string(f.severity)) + "[" + f.code + "]") + ": " + f.message);
  print_line("    fix     " + p.match.fix_id + ": " + p.match.summary);
  if (info.safety == rules::Applicability::Unsafe) {
    print_line("    safety  " + style_.yellow("unsafe") + ": " + std::string(info.change) +
               " (applied only if you accept)");
  } else {
    print_line("    safety  " + style_.green(std::string(rules::to_string(info.safety))) + ": the same numbers");
  }
  if (p.current == nullptr || p.rewritten == nullptr) return;
  // The rewritten graph linted as the run would lint it after "y": its nodes then carry
  // inferred types, and the findings say what accepting changes.
  ir::Model model = p.current->model;
  model.graph() = *p.rewritten;
  auto after = rules::analyze(std::move(model), options_);

  // Before and after show what changes: the matched nodes the rewrite only reads (a
  // Const axis) are left out; those it replaces under the same name are shown.
  std::set<std::string> before_names, after_names;
  const ir::NodeList* old_nodes = rules::body_nodes(p.current->model.graph(), p.match.body);
  const ir::NodeList* new_nodes = rules::body_nodes(*p.rewritten, p.match.body);
  for (const auto& name : p.match.nodes) {
    const ir::Node* was = old_nodes ? old_nodes->find(name) : nullptr;
    const ir::Node* now = new_nodes ? new_nodes->find(name) : nullptr;
    if (was == nullptr || (now != nullptr && was->op == now->op && was->inputs == now->inputs)) continue;
    before_names.insert(name);
    if (now != nullptr) after_names.insert(name);
  }
  for (const auto& n : p.preview.removed) before_names.insert(edit_name(n));
  for (const auto& n : p.preview.changed) {
    before_names.insert(edit_name(n));
    after_names.insert(edit_name(n));
  }
  for (const auto& n : p.preview.added) after_names.insert(edit_name(n));
  print_side(style_, "before  ", '-', nodes_named(p.current->model.graph(), p.match.body, before_names));
  const ir::Graph& rewritten = after && !after->model.graphs.empty() ? after->model.graph() : *p.rewritten;
  auto after_nodes = nodes_named(rewritten, p.match.body, after_names);
  // Normalization may rename or drop a node; then the rewrite's own copy is shown.
  if (after_nodes.size() != after_names.size()) after_nodes = nodes_named(*p.rewritten, p.match.body, after_names);
  print_side(style_, "after   ", '+', after_nodes);
  if (!after) {
    print_line("    effect  " + style_.red("cannot check the rewritten graph: " + after.error().reason()));
    return;
  }
  show_effect(*p.current, *after);
}

void FixPrompter::show_effect(const rules::Analysis& current, const rules::Analysis& after) const {
  const rules::LintResult& was = current.result;
  const rules::LintResult& now = after.result;
  std::string verdict = verdict_name(was.verdict) + " -> " + verdict_name(now.verdict);
  if (was.verdict == now.verdict) verdict = verdict_name(now.verdict) + " (unchanged)";
  else if (now.verdict < was.verdict) verdict = style_.green(verdict);
  print_line("    verdict " + verdict + "; errors " + std::to_string(was.counts[0]) + " -> " +
             std::to_string(now.counts[0]));

  std::string ops =
      "Select TF nodes " + std::to_string(flex_nodes(was)) + " -> " + std::to_string(flex_nodes(now));
  if (was.plan.flex_ops != now.plan.flex_ops) {
    ops += " (" + join(was.plan.flex_ops) + " -> " + join(now.plan.flex_ops) + ")";
  }
  const auto old_counts = op_counts(current.op_coverage);
  const auto new_counts = op_counts(after.op_coverage);
  std::set<std::string> names;
  for (const auto& [op, _] : old_counts) names.insert(op);
  for (const auto& [op, _] : new_counts) names.insert(op);
  std::string delta;
  for (const auto& op : names) {
    const auto o = old_counts.contains(op) ? old_counts.at(op) : 0;
    const auto n = new_counts.contains(op) ? new_counts.at(op) : 0;
    if (o == n) continue;
    delta += (delta.empty() ? "" : ", ") + op + (n > o ? " +" : " ") + std::to_string(n - o);
  }
  print_line("    ops     " + ops + (delta.empty() ? "" : "; " + delta));
}

InteractiveWrites ask_writes(const std::string& model_path, const rules::FixRun& run, const std::string& output,
                             const std::string& write_plan, const Style& style) {
  InteractiveWrites w;
  const rules::Analysis& after = run.after;
  const auto nodes = flex_nodes_by_op(after.result);
  std::vector<std::string> left;
  for (const auto& op : after.result.plan.flex_ops) {
    const auto it = nodes.find(op);
    left.push_back(op + (it == nodes.end() ? "" : " (" + std::to_string(it->second.size()) + ")"));
  }
  print_line("Select TF ops left: " + (left.empty() ? style.green("none") : style.yellow(join(left))));
  const rules::Target target = after.result.profile.target;
  // As with -o: fix converts only for the two targets the converter writes.
  const bool convertible = target == rules::Target::Builtins || target == rules::Target::SelectTfOps;
  if (after.result.converts && convertible) {
    const std::string def = output.empty() ? beside_model(model_path, ".fixed.tflite") : output;
    auto path = ask_path("convert the fixed model to " + def + "?", def);
    if (!path) {
      w.quit = true;
      return w;
    }
    w.output = *path;
  } else {
    print_line("not converting: " +
               (convertible ? std::to_string(after.result.counts[0]) + " error(s) remain under target "
                            : std::string("fix converts for 'builtins' or 'select-tf-ops', not ")) +
               std::string(rules::to_string(target)));
  }
  if (!write_plan.empty()) {
    w.write_plan = write_plan;
    return w;
  }
  const std::string def = beside_model(model_path, ".fix-plan.json");
  auto path = ask_path("save the decisions as a plan in " + def + "?", def);
  if (!path) {
    w.quit = true;
    return w;
  }
  w.write_plan = *path;
  return w;
}

std::string beside_model(const std::string& model_path, const std::string& suffix) {
  fs::path p = fs::path(model_path).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "saved_model/"
  if (p.empty() || p == "." || p == "..") p = fs::absolute(p).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  std::error_code ec;
  const std::string stem = fs::is_directory(p, ec) ? p.filename().string() : p.stem().string();
  return (p.parent_path() / (stem + suffix)).string();
}

}  // namespace litelint::cli
