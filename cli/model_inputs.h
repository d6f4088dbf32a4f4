#pragma once

#include <span>
#include <string>
#include <string_view>

namespace litelint::cli {

/// One kind of MODEL argument the commands read, worded once for `--help` and the README.
struct ModelInput {
  std::string_view what;  ///< Markdown, e.g. "a `.tflite` file"; --help drops the backticks
  std::string_view note;  ///< README only: what `check` does with it ("" for none)
  bool converts = true;   ///< `convert` reads it (a .tflite is already converted)
};

/// Every MODEL kind, in the order help and README list them. Adding a format is one entry here;
/// scripts/update-golden then rewrites the README sentence (tests/cli/model_inputs_test.cc).
std::span<const ModelInput> model_inputs();

/// The MODEL positional's help: "SavedModel directory, ... or .tflite file". `for_convert`
/// leaves out what convert does not read.
std::string model_help(bool for_convert = false);

/// The README's sentence "`MODEL` is a SavedModel directory, ... ." (Markdown, one line).
std::string model_readme_sentence();

}  // namespace litelint::cli
