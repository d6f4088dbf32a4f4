#include "cli/model_inputs.h"

#include <vector>

namespace litelint::cli {
namespace {

constexpr ModelInput kInputs[] = {
    {"a SavedModel directory", "", true},
    {"a `.pb`/`.pbtxt` GraphDef or MetaGraphDef", "", true},
    {"a Keras 3 `.keras` file", "", true},
    {"a legacy Keras HDF5 model (`.h5`/`.hdf5`)", "", true},
    {"a Keras architecture JSON (`model.to_json()`) with its weights `.h5` beside it", "", true},
    {"a TF.js graph or layers model `model.json` (or its directory)", "", true},
    {"a `.tflite` file",
     "checked for Select TF ops, custom ops, the oldest runtime its op versions need, and what a "
     "delegate target runs",
     false},
};

// "a, b, or c" (Oxford comma from three on, as the README always wrote it).
std::string join_or(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += items.size() > 2 ? ", " : " ";
    if (i > 0 && i + 1 == items.size()) out += "or ";
    out += items[i];
  }
  return out;
}

std::string without_backticks(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '`') out += c;
  }
  return out;
}

}  // namespace

std::span<const ModelInput> model_inputs() { return kInputs; }

std::string model_help(bool for_convert) {
  std::vector<std::string> items;
  for (const auto& input : kInputs) {
    if (for_convert && !input.converts) continue;
    // --help lines are short: no leading article.
    std::string_view what = input.what;
    if (what.starts_with("a ")) what.remove_prefix(2);
    items.push_back(without_backticks(what));
  }
  return join_or(items);
}

std::string model_readme_sentence() {
  std::vector<std::string> items;
  for (const auto& input : kInputs) {
    std::string item(input.what);
    if (!input.note.empty()) item += " (" + std::string(input.note) + ")";
    items.push_back(std::move(item));
  }
  return "`MODEL` is " + join_or(items) + ".";
}

}  // namespace litelint::cli
