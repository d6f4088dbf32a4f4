#include "reports/html_report.h"

#include <array>
#include <set>
#include <string_view>

#include "reports/html/assets.h"
#include "reports/json_report.h"
#include "rules/engine/registry.h"
#include "rules/engine/rule.h"

namespace litelint::reports {
namespace {

using nlohmann::json;

// Nodes as [name, op, index, calls?] and edges as [from, to, control]: a sketch of a few
// thousand nodes stays a few hundred KB.
json sketch_json(const GraphSketch& sketch) {
  json graphs = json::array();
  for (const auto& g : sketch.graphs) {
    json nodes = json::array();
    for (const auto& n : g.nodes) {
      json node = json::array({n.name, n.op, n.index});
      if (!n.calls.empty()) node.push_back(n.calls);
      nodes.push_back(std::move(node));
    }
    json edges = json::array();
    for (const auto& e : g.edges) edges.push_back(json::array({e.from, e.to, e.control ? 1 : 0}));
    graphs.push_back({{"function", g.function},
                      {"total", g.total_nodes},
                      {"nodes", std::move(nodes)},
                      {"edges", std::move(edges)}});
  }
  return {{"graphs", std::move(graphs)}, {"omitted_graphs", sketch.omitted_graphs}};
}

// Inside <script type="application/json"> only "</script" or "<!--" could end the block
// early; '<' occurs in JSON only inside strings, where \u003c means the same character.
std::string escape_for_script(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

// Replaces each marker of the template once, scanning the template only, so text inside the
// inserted assets or data can never be mistaken for a marker.
std::string fill_template(std::string_view page, const std::string& css, const std::string& js,
                          const std::string& data) {
  const std::array<std::pair<std::string_view, const std::string*>, 3> markers = {{
      {"/*@LITELINT_CSS@*/", &css},
      {"/*@LITELINT_DATA@*/", &data},
      {"/*@LITELINT_JS@*/", &js},
  }};
  std::string out;
  out.reserve(page.size() + css.size() + js.size() + data.size());
  std::size_t at = 0;
  for (const auto& [marker, value] : markers) {
    const std::size_t found = page.find(marker, at);
    if (found == std::string_view::npos) continue;
    out.append(page.substr(at, found - at));
    out += *value;
    at = found + marker.size();
  }
  out.append(page.substr(at));
  return out;
}

}  // namespace

json html_data(const RunReport& run) {
  json models = json::array();
  std::set<std::string> codes;
  for (const auto& m : run.models) {
    json doc = model_json(m);
    if (m.ok()) {
      doc["graph"] = sketch_json(m.graph);
      for (auto& op : doc["op_stats"]) op["native"] = rules::converts_natively(op["status"].get<std::string>());
      for (const auto& f : m.result.findings) codes.insert(f.code);
    }
    models.push_back(std::move(doc));
  }
  json rules_info = json::object();
  for (const auto& code : codes) {
    if (const auto* rule = rules::find_rule(code)) {
      const auto info = rule->info();
      rules_info[code] = {{"name", std::string(info.name)}, {"summary", std::string(info.summary)}};
    }
  }
  return {{"schema_version", kJsonSchemaVersion},
          {"tool", {{"name", "litelint"}, {"version", run.tool_version}}},
          {"target", std::string(rules::to_string(run.profile.target))},
          {"allow_custom_ops", run.profile.allow_custom_ops},
          {"batch", run.batch},
          {"models", std::move(models)},
          {"rules", std::move(rules_info)}};
}

std::string render_html(const RunReport& run) {
  // Model files may hold node names that are not UTF-8; replace such bytes, never throw.
  const std::string data =
      html_data(run).dump(-1, ' ', false, json::error_handler_t::replace);
  return fill_template(html::kTemplate, std::string(html::kCss), std::string(html::kJs),
                       escape_for_script(data));
}

}  // namespace litelint::reports
