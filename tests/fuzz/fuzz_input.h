#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace litelint::fuzz {

/// Separates the files of a multi-file input (TF.js model.json and its weights, a checkpoint
/// index and its shard). A fixed marker rather than a length prefix: libFuzzer's dictionaries
/// hold it, so mutations can move the split and still produce two files.
inline constexpr std::string_view kFileSeparator = "\n--litelint-fuzz-file--\n";

/// The fuzz targets, by the name bench/fuzz and tests/fuzz/regressions/<target>/ use.
inline constexpr std::string_view kTargets[] = {"detect", "savedmodel", "graphdef_binary", "graphdef_text",
                                                "tensor_bundle", "tfjs", "tflite", "convert", "keras"};

/// A directory of its own for this process's input files, emptied before each input, so that
/// files an earlier input created never leak into the next one.
std::filesystem::path fresh_dir();

/// Splits a fuzz input at kFileSeparator into at most `max_parts` pieces (the last one keeps
/// any further separators).
std::vector<std::string_view> split_files(std::string_view input, std::size_t max_parts);

/// Writes one input of `target` into `dir` as the files that target reads, and returns the
/// path litelint is pointed at (a file, a SavedModel directory, or a checkpoint prefix for
/// tensor_bundle). The regression test replays committed inputs through the same function.
std::filesystem::path write_input(std::string_view target, std::string_view input,
                                  const std::filesystem::path& dir);

/// load → normalize → lint over `path`, exactly as `litelint check` runs it, plus the facts a
/// report hashes. Returns whether the model loaded; a rejected input is a fine answer.
bool check_as_cli(const std::filesystem::path& path);

/// Reads a checkpoint as load_saved_model reads variables/: the index, every entry's tensor
/// (decoded) and the TF2 object graph. Returns whether the index opened.
bool read_bundle(const std::filesystem::path& prefix);

/// convert's round trip on a graph file: load and lint under select-tf-ops with custom ops
/// allowed (so that most graphs reach the converter), convert when lint finds no error, then
/// load the .tflite written: an empty string when all of that holds or some step rejected the
/// input, else why the converted model does not re-load.
std::string convert_round_trip(const std::filesystem::path& graph, const std::filesystem::path& out);

}  // namespace litelint::fuzz
