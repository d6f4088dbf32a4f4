#include "reports/footprint_report.h"

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace litelint::reports {
namespace {

using footprint::byte_size;
using footprint::si_count;
using nlohmann::json;

json tensors_json(const std::vector<footprint::TensorSize>& list) {
  json out = json::array();
  for (const auto& t : list) {
    out.push_back({{"tensor", t.tensor}, {"op", t.op}, {"shape", t.shape}, {"bytes", t.bytes},
                   {"unknown_dims", t.unknown_dims}});
  }
  return out;
}

std::string weights_by_dtype(const footprint::Footprint& fp) {
  std::string out;
  for (const auto& w : fp.weights) {
    if (w.bytes == 0) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", ir::dtype_name(w.dtype), byte_size(w.bytes));
  }
  return out;
}

std::string unknown_note(const footprint::Footprint& fp) {
  if (fp.macs_unknown_dim_ops == 0) return "";
  return fmt::format(" (unknown dims counted as 1 in {} ops; give --input-shape)", fp.macs_unknown_dim_ops);
}

}  // namespace

json footprint_json(const footprint::Footprint& fp) {
  json weights = json::array();
  for (const auto& w : fp.weights) {
    weights.push_back({{"dtype", ir::dtype_name(w.dtype)}, {"elements", w.elements}, {"bytes", w.bytes}});
  }
  json by_op = json::array();
  for (const auto& t : fp.macs_by_op) by_op.push_back({{"op", t.op}, {"macs", t.macs}, {"count", t.count}});
  json top = json::array();
  for (const auto& t : fp.top_ops) {
    top.push_back({{"node", t.node}, {"op", t.op}, {"shape", t.shape}, {"macs", t.macs},
                   {"unknown_dims", t.unknown_dims}});
  }
  json doc = {{"parameters", fp.parameters},
              {"weight_bytes", fp.weight_bytes},
              {"weights", std::move(weights)},
              {"largest_weights", tensors_json(fp.largest_weights)},
              {"tflite_bytes_estimate", fp.tflite_bytes},
              {"macs", fp.macs},
              {"macs_unknown_dim_ops", fp.macs_unknown_dim_ops},
              {"uncounted_ops", fp.uncounted_ops},
              {"macs_by_op", std::move(by_op)},
              {"top_ops", std::move(top)},
              {"peak_activation_bytes", fp.peak_activation_bytes},
              {"peak_unknown_dims", fp.peak_unknown_dims},
              {"peak_tensors", tensors_json(fp.peak_tensors)},
              {"largest_tensors", tensors_json(fp.largest_tensors)}};
  if (!fp.peak_at.empty()) doc["peak_at"] = fp.peak_at;
  return doc;
}

std::string footprint_text(const footprint::Footprint& fp) {
  std::string out = fmt::format("footprint: {} parameters, {} of weights", si_count(fp.parameters),
                                byte_size(fp.weight_bytes));
  if (const std::string by = weights_by_dtype(fp); fp.weights.size() > 1 && !by.empty()) out += " (" + by + ")";
  out += fmt::format(", .tflite ~{}\n", byte_size(fp.tflite_bytes));
  out += fmt::format("  {} MACs{}", si_count(fp.macs), unknown_note(fp));
  if (!fp.top_ops.empty()) {
    out += "; top:";
    for (std::size_t i = 0; i < fp.top_ops.size() && i < 3; ++i) {
      const auto& t = fp.top_ops[i];
      out += fmt::format("{} '{}' ({}) {}", i ? "," : "", t.node, t.op, si_count(t.macs));
    }
  }
  if (!fp.uncounted_ops.empty()) out += fmt::format("; {} ops not estimated", fp.uncounted_ops.size());
  out += "\n";
  out += fmt::format("  peak activations {}{}", byte_size(fp.peak_activation_bytes),
                     fp.peak_unknown_dims ? " (unknown dims as 1)" : "");
  if (!fp.peak_at.empty()) out += fmt::format(" at '{}'", fp.peak_at);
  if (!fp.largest_tensors.empty()) {
    const auto& t = fp.largest_tensors.front();
    out += fmt::format("; largest tensor '{}' {} {}", t.tensor, t.shape, byte_size(t.bytes));
  }
  out += "\n";
  return out;
}

std::string footprint_markdown(const footprint::Footprint& fp, std::string (*escape)(std::string_view)) {
  std::string out = "**Footprint**\n\n";
  out += fmt::format("- size: {} parameters, {} of weights", si_count(fp.parameters), byte_size(fp.weight_bytes));
  if (const std::string by = weights_by_dtype(fp); !by.empty()) out += " (" + by + ")";
  out += fmt::format(", .tflite about {}\n", byte_size(fp.tflite_bytes));
  out += fmt::format("- compute: {} MACs{}\n", si_count(fp.macs), escape(unknown_note(fp)));
  for (const auto& t : fp.top_ops) {
    out += fmt::format("  - {} ({}) {}: {} MACs\n", escape(t.node), escape(t.op), escape(t.shape), si_count(t.macs));
  }
  if (!fp.uncounted_ops.empty()) {
    out += fmt::format("  - not estimated: {} ops (control flow or unknown rank)\n", fp.uncounted_ops.size());
  }
  out += fmt::format("- peak activations: {}{}", byte_size(fp.peak_activation_bytes),
                     fp.peak_unknown_dims ? " (unknown dims as 1)" : "");
  if (!fp.peak_at.empty()) out += fmt::format(" at {}", escape(fp.peak_at));
  out += "\n";
  for (const auto& t : fp.largest_tensors) {
    out += fmt::format("  - {} ({}) {}: {}\n", escape(t.tensor), escape(t.op), escape(t.shape), byte_size(t.bytes));
  }
  return out + "\n";
}

std::string macs_cell(const footprint::Footprint& fp) {
  if (!fp.measured) return "";
  return si_count(fp.macs) + (fp.macs_unknown_dim_ops > 0 ? "*" : "");
}

}  // namespace litelint::reports
