#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace litelint::rules {

/// How bad a finding is under the requested target. Error findings make `check` exit 1.
enum class Severity : std::uint8_t { Error, Warning, Note };

/// What a finding means for TFLiteConverter, independent of the requested target. The engine
/// turns it into a per-mode outcome (verdict.h) and into the finding's severity (profiles.h).
enum class Impact : std::uint8_t {
  None,        ///< converts in every mode (a note or a hint)
  Flex,        ///< the TF op stays: a Select TF op, or a custom op with allow_custom_ops
  Custom,      ///< the TF op stays and is not allowlisted: a custom op, else an error
  FlexOrFail,  ///< stays a Select TF op with SELECT_TF_OPS, otherwise the conversion fails
  Fails,       ///< the conversion fails whatever the settings
};

/// Converter settings a finding requires beyond `target_spec.supported_ops`.
enum class ConverterFlag : std::uint8_t {
  KeepTensorListOps,        ///< converter._experimental_lower_tensor_list_ops = False
  EnableResourceVariables,  ///< converter.experimental_enable_resource_variables = True
};

/// A Python source position from the model's debug info (the innermost stack frame).
struct SourceLocation {
  std::string file;
  std::int32_t line = 0;
  std::string function;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

/// One node a finding is about.
struct FindingNode {
  std::string name;
  /// Functions from the outermost call down, then the node name, e.g.
  /// {"__inference_serving_default_123", "model/dense/MatMul"}; just {name} in the main graph.
  std::vector<std::string> path;
  std::optional<SourceLocation> location;
  /// The Keras layer the node was expanded from (attrs `_keras_layer`/`_keras_class`), so the
  /// message names what the user wrote; both empty for nodes that are not from a Keras model.
  std::string keras_layer = {};  // initialised so `{name, path, location}` stays warning-free
  std::string keras_class = {};
  friend bool operator==(const FindingNode&, const FindingNode&) = default;
};

/// One diagnostic: a cause, and every node (of one op type) it applies to.
struct Finding {
  std::string code;   ///< "LL101"
  std::string rule;   ///< "select-tf-op"
  Severity severity = Severity::Warning;
  /// "node 'pool1' (AvgPool): ..." for one node; "3 nodes (AvgPool) 'a', 'b', 'c': ..." for a group.
  std::string message;
  std::string cause;       ///< the message without the node prefix
  std::string op;          ///< TF op type of the nodes ("" for graph-level findings)
  std::vector<FindingNode> nodes;  ///< at least one, in graph order
  std::string suggestion;  ///< what to change, in TensorFlow terms ("" if none)
  Impact impact = Impact::None;
  /// The TF op that ends up as a Select TF op or custom op (usually `op`; "" for None/Fails).
  std::string fallback_op;
  std::vector<ConverterFlag> flags;
};

/// A finding's message over `nodes`: "node 'x' (Op): cause", or for a group
/// "nodes 'a', 'b', 'c' and 2 more (Op): cause". Nodes expanded from Keras layers are led by
/// their layers: "layer 'lstm_1' (LSTM): node 'model/lstm_1/While' (While): cause".
std::string group_message(const std::vector<FindingNode>& nodes, const std::string& op,
                          const std::string& cause);

/// How a linter words a finding over some nodes (group_message for TF graphs).
using GroupMessageFn = std::string (*)(const std::vector<FindingNode>& nodes, const std::string& op,
                                       const std::string& cause);

/// "error", "warning", "note".
std::string_view to_string(Severity s);
/// "none", "flex", "custom", "flex-or-fail", "fails".
std::string_view to_string(Impact i);
/// Parses "error", "warning", "note".
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace litelint::rules
