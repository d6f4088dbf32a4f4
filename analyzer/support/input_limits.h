#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/support/error.h"
#include "analyzer/support/expected.h"

namespace litelint {

/// A bound litelint puts on what an input file may ask of it (docs/limits.md). Model files come
/// from anywhere; each bound keeps a hostile file from making litelint allocate, recurse or
/// loop without limit, and turns it into a one-line error (exit 2) instead.
enum class InputLimit : std::uint8_t {
  FileBytes,      ///< a model file read or parsed whole (saved_model.pb, GraphDef, model.json, .tflite)
  TensorBytes,    ///< one constant decoded in memory (TensorProto's repeat-last-value rule)
  Nodes,          ///< nodes of one model: the main graph plus every function body
  FunctionDepth,  ///< function calls nested inside function calls (the converter inlines them)
  Rank,           ///< dimensions of one shape
  ProtoNesting,   ///< protobuf message nesting (binary and text)
  JsonNesting,    ///< JSON array/object nesting (TF.js model.json)
};

/// One row of the table: the name `--limit NAME=N` takes, the default, and why.
struct InputLimitInfo {
  InputLimit limit;
  std::string_view name;
  std::uint64_t default_value;
  /// False when raising it cannot help a real model: TensorFlow itself refuses more, or the
  /// bound protects the stack, whose size a flag cannot change.
  bool raisable;
  std::string_view unit;
  std::string_view reason;
};

/// The table; docs/limits.md shows the same rows (tests/analyzer/input_limits_test.cc checks).
inline constexpr std::array<InputLimitInfo, 7> kInputLimits = {{
    {InputLimit::FileBytes, "file-bytes", std::uint64_t{2} << 30, true, "bytes",
     "protobuf cannot parse a message over 2 GiB and FlatBuffers cannot address one, so "
     "TensorFlow never writes a larger graph file; parsing holds the file and its parse tree"},
    {InputLimit::TensorBytes, "tensor-bytes", std::uint64_t{1} << 30, true, "bytes",
     "a TensorProto of a few bytes can describe a tensor of any size (the last value repeats "
     "to fill the shape); decoding one is refused above this, though its shape is still read"},
    {InputLimit::Nodes, "nodes", 2'000'000, true, "nodes",
     "each node costs a few hundred bytes in memory but can take as few as 4 in a file; the "
     "largest graphs in the shared corpus have under 100,000"},
    {InputLimit::FunctionDepth, "function-depth", 64, true, "levels",
     "inlining copies every level into the caller; real models nest calls a handful of levels "
     "(tf.function in a While body in a tf.function)"},
    {InputLimit::Rank, "rank", 254, false, "dimensions",
     "TensorFlow's own limit (TensorShape::MaxDimensions); no model can have more"},
    {InputLimit::ProtoNesting, "proto-nesting", 100, false, "levels",
     "protobuf's default recursion limit, which TensorFlow keeps; each level is a stack frame "
     "of the parser"},
    {InputLimit::JsonNesting, "json-nesting", 100, false, "levels",
     "a TF.js model.json nests about 12 levels; each level is a stack frame of the JSON parser"},
}};

/// The row of `limit`.
constexpr const InputLimitInfo& input_limit_info(InputLimit limit) {
  return kInputLimits[static_cast<std::size_t>(limit)];
}

/// The value in force: the default unless `--limit` set it.
std::uint64_t input_limit(InputLimit limit);

/// Applies `--limit NAME=N` settings ("nodes=5000000"), for the rest of the process: the
/// limits are per run, read deep inside every reader, so they are not threaded through each
/// reader's arguments. An unknown name, a bad number or a fixed limit is a Usage error.
Expected<void> set_input_limits(const std::vector<std::string>& settings);

/// The error for an input over `limit`: "<what> is <value> <unit>, over the <name> limit of
/// <max> (raise it with --limit <name>=N)". BadInput, so the CLI exits 2; the caller adds the
/// file.
Error input_limit_error(InputLimit limit, std::string_view what, std::uint64_t value);

/// input_limit_error as an Expected, when `value` is over the limit; otherwise success.
Expected<void> check_input_limit(InputLimit limit, std::string_view what, std::uint64_t value);

}  // namespace litelint
