#include "reports/inspect.h"

#include <fmt/format.h>

#include <set>

#include "analyzer/ir/op_stats.h"
#include "analyzer/ir/tflite_model.h"

namespace litelint::reports {
namespace {

using nlohmann::json;

json shape_json(const ir::Shape& shape) {
  if (!shape.has_rank()) return nullptr;
  return shape.dims();
}

json signature_json(const ir::Signature& sig) {
  json out = {{"key", sig.key}};
  if (!sig.method_name.empty()) out["method_name"] = sig.method_name;
  if (!sig.function_name.empty()) out["function"] = sig.function_name;
  for (const char* side : {"inputs", "outputs"}) {
    const auto& tensors = std::string_view(side) == "inputs" ? sig.inputs : sig.outputs;
    json list = json::array();
    for (const auto& t : tensors) {
      list.push_back({{"key", t.key},
                      {"name", t.tensor_name},
                      {"dtype", ir::dtype_name(t.type.dtype)},
                      {"shape", shape_json(t.type.shape)}});
    }
    out[side] = std::move(list);
  }
  return out;
}

std::uint64_t variable_bytes(const ir::Graph& graph) {
  std::uint64_t total = 0;
  for (const auto& v : graph.variables) total += v.value.byte_size();
  return total;
}

std::size_t variables_with_value(const ir::Graph& graph) {
  std::size_t n = 0;
  for (const auto& v : graph.variables) n += v.value.has_value() ? 1 : 0;
  return n;
}

json graph_json(const ir::Graph& graph) {
  const auto hist = ir::op_histogram(graph);
  json out;
  out["tags"] = graph.tags;
  if (!graph.tf_version.empty()) out["tf_version"] = graph.tf_version;
  if (!graph.tf_git_version.empty()) out["tf_git_version"] = graph.tf_git_version;
  out["producer"] = graph.producer;
  out["node_count"] = hist.main_nodes;
  out["function_count"] = graph.functions.size();
  out["function_node_count"] = hist.function_nodes;
  out["op_histogram"] = hist.ops;
  json sigs = json::array();
  for (const auto& s : graph.signatures) sigs.push_back(signature_json(s));
  out["signatures"] = std::move(sigs);
  json functions = json::array();
  for (const auto& f : graph.functions) functions.push_back(f.name);
  out["functions"] = std::move(functions);
  out["variables"] = {{"count", graph.variables.size()},
                      {"with_value", variables_with_value(graph)},
                      {"bytes", variable_bytes(graph)}};
  json assets = json::array();
  for (const auto& a : graph.assets) assets.push_back({{"tensor", a.tensor_name}, {"file", a.filename}});
  out["assets"] = std::move(assets);
  out["object_graph"] = graph.has_object_graph;
  out["debug_info"] = graph.has_debug_info;
  return out;
}

json tflite_json(const ir::TfliteModel& m) {
  json out;
  out["schema_version"] = m.version;
  if (!m.description.empty()) out["description"] = m.description;
  json codes = json::array();
  for (const auto& c : m.operator_codes) {
    json code = {{"name", ir::tflite_op_name(c)}, {"version", c.version}};
    codes.push_back(std::move(code));
  }
  out["operator_codes"] = std::move(codes);
  json subgraphs = json::array();
  for (const auto& sg : m.subgraphs) {
    std::map<std::string, std::int64_t> hist;
    for (const auto& op : sg.operators) {
      if (op.opcode_index < m.operator_codes.size()) ++hist[ir::tflite_op_name(m.operator_codes[op.opcode_index])];
    }
    subgraphs.push_back({{"name", sg.name},
                         {"tensors", sg.tensors.size()},
                         {"operators", sg.operators.size()},
                         {"inputs", sg.inputs},
                         {"outputs", sg.outputs},
                         {"op_histogram", hist}});
  }
  out["subgraphs"] = std::move(subgraphs);
  out["buffers"] = m.buffers.size();
  out["buffer_bytes"] = m.total_buffer_bytes;
  json sigs = json::array();
  for (const auto& s : m.signature_defs) {
    json in = json::array(), outs = json::array();
    for (const auto& t : s.inputs) in.push_back({{"name", t.name}, {"tensor", t.tensor_index}});
    for (const auto& t : s.outputs) outs.push_back({{"name", t.name}, {"tensor", t.tensor_index}});
    sigs.push_back({{"key", s.signature_key}, {"subgraph", s.subgraph_index}, {"inputs", in}, {"outputs", outs}});
  }
  out["signatures"] = std::move(sigs);
  json meta = json::object();
  for (const auto& md : m.metadata) meta[md.name] = md.value_summary;
  out["metadata"] = std::move(meta);
  if (!m.min_runtime_version.empty()) out["min_runtime_version"] = m.min_runtime_version;
  return out;
}

}  // namespace

json inspect_json(const ir::Model& model) {
  json out;
  out["format"] = std::string(ir::format_name(model.format));
  out["path"] = model.path.string();
  out["file_bytes"] = model.file_bytes;
  if (model.format == ir::Format::Tflite && model.tflite) {
    out["op_types"] = ir::op_types(*model.tflite);
    out["tflite"] = tflite_json(*model.tflite);
  } else {
    out["op_types"] = ir::tf_op_types(model);
    json graphs = json::array();
    for (const auto& g : model.graphs) graphs.push_back(graph_json(g));
    out["meta_graphs"] = std::move(graphs);
    out["selected_meta_graph"] = model.selected_graph;
  }
  json meta = json::object();
  for (const auto& [k, v] : model.metadata) meta[k] = v;
  out["metadata"] = std::move(meta);
  return out;
}

namespace {

std::string human_bytes(std::uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", n / 1024.0);
  if (n < std::uint64_t{1} << 30) return fmt::format("{:.1f} MiB", n / (1024.0 * 1024.0));
  return fmt::format("{:.2f} GiB", n / (1024.0 * 1024.0 * 1024.0));
}

void append_tensor_lines(std::string& out, const char* side,
                         const std::vector<ir::SignatureTensor>& tensors) {
  for (const auto& t : tensors) {
    out += fmt::format("      {:<7} {:<20} {:<9} {:<18} {}\n", side, t.key,
                       ir::dtype_name(t.type.dtype), t.type.shape.to_string(), t.tensor_name);
  }
}

void append_graph_text(std::string& out, const ir::Graph& g, bool selected) {
  const auto hist = ir::op_histogram(g);
  if (g.tags.empty()) {
    out += "graph\n";
  } else {
    out += fmt::format("meta graph [{}]{}\n", fmt::join(g.tags, ","), selected ? " (selected)" : "");
  }
  if (!g.tf_version.empty()) out += fmt::format("  tensorflow {}\n", g.tf_version);
  out += fmt::format("  producer   {}\n", g.producer);
  out += fmt::format("  nodes      {} in the graph, {} in {} functions\n", hist.main_nodes,
                     hist.function_nodes, g.functions.size());
  out += fmt::format("  variables  {} ({}, {} with values)\n", g.variables.size(),
                     human_bytes(variable_bytes(g)), variables_with_value(g));
  if (!g.assets.empty()) out += fmt::format("  assets     {}\n", g.assets.size());
  if (!g.signatures.empty()) {
    out += "  signatures\n";
    for (const auto& s : g.signatures) {
      out += fmt::format("    {}{}\n", s.key, s.function_name.empty() ? "" : "  -> " + s.function_name);
      append_tensor_lines(out, "input", s.inputs);
      append_tensor_lines(out, "output", s.outputs);
    }
  }
  out += "  op types\n";
  std::vector<std::pair<std::string, std::int64_t>> ops(hist.ops.begin(), hist.ops.end());
  std::stable_sort(ops.begin(), ops.end(), [](auto& a, auto& b) { return a.second > b.second; });
  for (const auto& [op, count] : ops) out += fmt::format("    {:>6}  {}\n", count, op);
}

void append_tflite_text(std::string& out, const ir::TfliteModel& m) {
  out += fmt::format("schema version {}\n", m.version);
  if (!m.description.empty()) out += fmt::format("description    {}\n", m.description);
  if (!m.min_runtime_version.empty()) out += fmt::format("min runtime    {}\n", m.min_runtime_version);
  out += fmt::format("buffers        {} ({})\n", m.buffers.size(), human_bytes(m.total_buffer_bytes));
  out += "operator codes\n";
  for (const auto& c : m.operator_codes) out += fmt::format("  {:<32} v{}\n", ir::tflite_op_name(c), c.version);
  for (std::size_t i = 0; i < m.subgraphs.size(); ++i) {
    const auto& sg = m.subgraphs[i];
    out += fmt::format("subgraph {} '{}': {} tensors, {} operators, inputs {}, outputs {}\n", i, sg.name,
                       sg.tensors.size(), sg.operators.size(), fmt::join(sg.inputs, ","),
                       fmt::join(sg.outputs, ","));
  }
  for (const auto& s : m.signature_defs) {
    out += fmt::format("signature '{}' (subgraph {})\n", s.signature_key, s.subgraph_index);
    for (const auto& t : s.inputs) out += fmt::format("  input  {} -> tensor {}\n", t.name, t.tensor_index);
    for (const auto& t : s.outputs) out += fmt::format("  output {} -> tensor {}\n", t.name, t.tensor_index);
  }
  for (const auto& md : m.metadata) out += fmt::format("metadata '{}': {}\n", md.name, md.value_summary);
}

}  // namespace

std::string inspect_text(const ir::Model& model) {
  std::string out;
  out += fmt::format("{}: {} ({})\n", model.path.string(), ir::format_name(model.format),
                     human_bytes(model.file_bytes));
  for (const auto& [k, v] : model.metadata) out += fmt::format("  {}: {}\n", k, v);
  if (model.format == ir::Format::Tflite && model.tflite) {
    append_tflite_text(out, *model.tflite);
  } else {
    for (std::size_t i = 0; i < model.graphs.size(); ++i) {
      append_graph_text(out, model.graphs[i], model.graphs.size() > 1 && i == model.selected_graph);
    }
  }
  return out;
}

}  // namespace litelint::reports
