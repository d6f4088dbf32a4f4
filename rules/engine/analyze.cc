#include "rules/engine/analyze.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "analyzer/passes/infer_shapes.h"
#include "analyzer/support/sha256.h"
#include "rules/tflite/tflite_lint.h"

namespace litelint::rules {
namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

bool has_prefix_in(const std::string& code, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (code.rfind(p, 0) == 0) return true;
  }
  return false;
}

// Per-node suppressions from the config: a node matching a glob drops findings of the listed
// codes; a finding whose every node is suppressed disappears. Verdict and plan stay: they are
// facts about the model, not about what the team chose to look at.
void apply_per_node_ignores(LintResult& result,
                            const std::map<std::string, std::vector<std::string>>& ignores) {
  if (ignores.empty()) return;
  drop_nodes(result, [&](const Finding& f, const FindingNode& n) {
    if (n.name.empty()) return false;  // a graph-level finding names no node to match
    for (const auto& [glob, codes] : ignores) {
      if (has_prefix_in(f.code, codes) && glob_match(glob, n.name)) return true;
    }
    return false;
  });
}

// --inputs/--outputs must name tensors of the main graph, as TFLiteConverter.from_frozen_graph
// requires: a name that matches nothing is a usage error, not an empty analysis.
std::optional<std::string> check_arrays(const ir::Graph& graph, const std::vector<std::string>& names,
                                        std::string_view flag) {
  for (const auto& name : names) {
    const auto ref = ir::TensorRef::parse(name);
    if (!ref || ref->control) return std::string(flag) + ": '" + name + "' is not a tensor name";
    // from_frozen_graph names output 0 of node X 'X', never 'X:0', and rejects the latter
    // ("Invalid tensors 'X:0' were found"), so litelint does too rather than analyse a graph
    // the converter refuses.
    if (name.ends_with(":0")) {
      return std::string(flag) + ": '" + name + "': TFLiteConverter names output 0 of a node '" +
             ref->node + "', without ':0' (it rejects '" + name + "' as an invalid tensor)";
    }
    const ir::Node* node = graph.nodes.find(ref->node);
    if (node == nullptr) return std::string(flag) + ": no node named '" + ref->node + "' in the graph";
    // `outputs` may be shorter than the real count for ops inference does not know; only ops
    // with exactly one output are certain.
    const bool single_output =
        ir::is_placeholder(node->op) || node->op == "Const" || node->op == "Identity";
    if (single_output && ref->index >= 1) {
      return std::string(flag) + ": '" + name + "': node '" + ref->node + "' (" + node->op +
             ") has one output";
    }
  }
  return std::nullopt;
}

// --signature must name a signature of the model (initializers such as __saved_model_init_op
// are not ones users convert): an unknown key would otherwise lint every node in silence.
std::optional<std::string> check_signature(const ir::Graph& graph, const std::string& key) {
  if (key.empty() || graph.signatures.empty() || graph.find_signature(key) != nullptr) return std::nullopt;
  std::string known;
  for (const auto& sig : graph.signatures) {
    if (!sig.key.starts_with("__")) known += (known.empty() ? "" : ", ") + sig.key;
  }
  return "--signature: unknown signature '" + key + "' (available: " + known + ")";
}

// --input-shape names a Placeholder or a signature input key; returns shapes by Placeholder.
Expected<std::map<std::string, ir::Shape>> input_shapes_by_node(
    const ir::Graph& graph, const std::map<std::string, ir::Shape>& given) {
  std::map<std::string, ir::Shape> out;
  for (const auto& [name, shape] : given) {
    if (const ir::Node* n = graph.nodes.find(name); n && ir::is_placeholder(n->op)) {
      out[name] = shape;
      continue;
    }
    std::string node, known;
    for (const auto& sig : graph.signatures) {
      for (const auto& t : sig.inputs) {
        known += (known.empty() ? "" : ", ") + t.key;
        auto ref = ir::TensorRef::parse(t.tensor_name);
        if (t.key == name && ref) node = ref->node;
      }
    }
    if (node.empty()) {
      return fail(ErrorCode::Usage, "--input-shape: no input named '" + name + "'" +
                                        (known.empty() ? "" : " (inputs: " + known + ")"));
    }
    out[node] = shape;
  }
  return out;
}

// "serve,gpu" -> {"serve", "gpu"}, as the snippet passes them to TensorFlow.
std::vector<std::string> split_tags(const std::string& tags) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= tags.size()) {
    const auto comma = std::min(tags.find(',', start), tags.size());
    if (comma > start) out.push_back(tags.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

ModelFacts model_facts(const ir::Model& model) {
  ModelFacts facts;
  facts.format = std::string(ir::format_name(model.format));
  facts.size = model.file_bytes;
  // The loader's mapping, when it kept one, saves reading the main file a second time.
  if (model.main_mapping) {
    facts.sha256 = support::sha256_hex(model.main_mapping->view());
  } else if (auto digest = support::sha256_file(model.main_file)) {
    facts.sha256 = *digest;
  }
  return facts;
}

Expected<Analysis> analyze(ir::Model model, const AnalyzeOptions& options) {
  const auto start = Clock::now();
  Analysis out;
  out.lint = options.lint;
  if (model.format == ir::Format::Tflite) {  // an existing .tflite: runtime and delegate checks
    out.result = lint_tflite(*model.tflite, out.lint);
    apply_per_node_ignores(out.result, options.per_node_ignores);
    out.op_coverage = op_coverage_tflite(*model.tflite);
    const auto linted = Clock::now();
    out.times = {0.0, 0.0, ms(linted - start), ms(linted - start)};
    out.model = std::move(model);
    return out;
  }
  ir::Graph& graph = model.graph();
  if (!options.input_shapes.empty()) {
    auto shapes = input_shapes_by_node(graph, options.input_shapes);
    if (!shapes) return tl::unexpected(std::move(shapes).error().in_file(model.path.string()));
    if (auto set = passes::set_input_shapes(graph, *shapes); !set) {
      return tl::unexpected(std::move(set).error().in_file(model.path.string()));
    }
  }
  // The engine walks only what the main graph reaches; functions nothing calls need no types.
  out.lint.shape_diagnostics =
      passes::infer_shapes(graph, {.uncalled_functions = false}).diagnostics;
  out.lint.read_by_tensorflow = model.format != ir::Format::GraphModel;
  const std::string where = model.path.string();
  if (auto bad = check_signature(graph, out.lint.signature)) {
    return tl::unexpected(Error(ErrorCode::Usage, *bad).in_file(where));
  }
  if (auto bad = check_arrays(graph, out.lint.inputs, "--inputs")) {
    return tl::unexpected(Error(ErrorCode::Usage, *bad).in_file(where));
  }
  if (auto bad = check_arrays(graph, out.lint.outputs, "--outputs")) {
    return tl::unexpected(Error(ErrorCode::Usage, *bad).in_file(where));
  }
  const auto shaped = Clock::now();
  out.result = lint(graph, out.lint);
  // The snippet reads the model the way TFLiteConverter can: from_frozen_graph for a GraphDef,
  // a session for a MetaGraphDef, the SavedModel otherwise.
  set_converter_source(out.result.plan,
                       converter_source(model, out.lint.inputs, out.lint.outputs,
                                        options.load.tags_given ? split_tags(options.load.tags)
                                                                : std::vector<std::string>{},
                                        out.lint.signature));
  apply_per_node_ignores(out.result, options.per_node_ignores);
  out.op_coverage = op_coverage(graph);
  out.footprint = footprint::measure(graph, {out.lint.signature, out.lint.outputs});
  const auto linted = Clock::now();
  out.times = {0.0, ms(shaped - start), ms(linted - shaped), ms(linted - start)};
  out.model = std::move(model);
  return out;
}

Expected<Analysis> analyze(const std::filesystem::path& path, const AnalyzeOptions& options) {
  const auto start = Clock::now();
  auto model = analyzer::load(path, options.load);
  if (!model) return tl::unexpected<Error>(std::move(model).error());
  const auto loaded = Clock::now();
  auto analysis = analyze(std::move(*model), options);
  if (analysis) {
    analysis->times.load_ms += ms(loaded - start);
    analysis->times.total_ms += ms(loaded - start);
  }
  return analysis;
}

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative matcher with one backtrack point: linear in practice, no recursion.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace litelint::rules
