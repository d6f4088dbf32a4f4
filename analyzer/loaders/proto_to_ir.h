#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "analyzer/ir/attr_value.h"
#include "analyzer/ir/graph.h"
#include "analyzer/ir/node.h"
#include "analyzer/ir/shape.h"
#include "analyzer/ir/tensor.h"
#include "analyzer/loaders/graph_validate.h"
#include "analyzer/proto/attr_value.pb.h"
#include "analyzer/proto/function.pb.h"
#include "analyzer/proto/graph.pb.h"
#include "analyzer/proto/meta_graph.pb.h"
#include "analyzer/proto/node_def.pb.h"
#include "analyzer/proto/tensor.pb.h"
#include "analyzer/proto/tensor_shape.pb.h"
#include "analyzer/support/expected.h"
#include "analyzer/support/input_limits.h"

namespace litelint::analyzer {

/// Nesting depth protobuf may reach while parsing a model: TensorFlow's messages nest about 30
/// deep in practice (StructuredValue trees in the object graph are the deepest); a hostile file
/// nesting deeper would otherwise exhaust the stack. The proto-nesting row of kInputLimits.
inline constexpr int kProtoRecursionLimit =
    static_cast<int>(input_limit_info(InputLimit::ProtoNesting).default_value);

/// Parses a binary protobuf of `what` ("GraphDef", "SavedModel") with the recursion limit set;
/// the error says the bytes are not a valid `what`.
Expected<void> parse_binary_proto(std::string_view bytes, google::protobuf::Message& message,
                                  std::string_view what);

/// Parses protobuf text format ('#' comments allowed); the error gives line:column (1-based)
/// and protobuf's reason.
Expected<void> parse_text_proto(std::string_view text, google::protobuf::Message& message,
                                std::string_view what);

/// Converts a shape without checking it (dims below -1 are kept).
ir::Shape shape_from_proto(const tensorflow::TensorShapeProto& proto);

/// Converts a shape and checks it as TensorFlow does: every dim >= -1, rank <= 254, no dims
/// together with unknown_rank.
Expected<ir::Shape> checked_shape_from_proto(const tensorflow::TensorShapeProto& proto);

/// A lazy tensor for a TensorProto. The shape must be fully defined, its element count must
/// fit in int64 and decode to at most the tensor-bytes limit, and tensor_content must hold
/// exactly elements × dtype size bytes. The returned Tensor decodes tensor_content or the
/// typed `*_val` field (repeating the last value to fill the shape, zeros when empty) only when
/// load() is called; `keep_alive` must own `proto` (typically the parsed GraphDef).
Expected<ir::Tensor> tensor_from_proto(const tensorflow::TensorProto& proto,
                                       std::shared_ptr<const void> keep_alive);

/// Converts one attribute value (tensors stay lazy and pinned by `keep_alive`).
Expected<ir::AttrValue> attr_from_proto(const tensorflow::AttrValue& proto,
                                        const std::shared_ptr<const void>& keep_alive);

/// Converts a NodeDef: parses its input strings and attributes; `_output_shapes` seeds
/// Node::outputs. Errors name the node.
Expected<ir::Node> node_from_proto(const tensorflow::NodeDef& proto,
                                   const std::shared_ptr<const void>& keep_alive);

/// Converts a FunctionDef (signature, body, ret/control_ret, attributes) without the
/// structural checks of graph_validate.h. Errors name the function.
Expected<ir::Function> function_from_proto(const tensorflow::FunctionDef& proto,
                                           const std::shared_ptr<const void>& keep_alive);

/// Converts a GraphDef with its function library into a Graph and runs validate_graph() on
/// it. `declared_ops` (a MetaGraph's stripped_op_list, may be null) lets validation check
/// output references of ops it does not know. `keep_alive` must own `proto`. Usable on its own,
/// e.g. for a GraphDef parsed from a TF.js model.json; the default `const_values` suits that
/// case (its weights live in shards), TensorFlow's own files pass ConstValues::Required.
Expected<ir::Graph> graph_from_graphdef(const tensorflow::GraphDef& proto,
                                        std::shared_ptr<const void> keep_alive,
                                        const tensorflow::OpList* declared_ops = nullptr,
                                        ConstValues const_values = ConstValues::External);

/// Converts a SignatureDef; inputs/outputs are sorted by key.
ir::Signature signature_from_proto(const std::string& key, const tensorflow::SignatureDef& proto);

/// Converts a MetaGraphDef: its GraphDef (validated), tags, versions, stripped op names,
/// signatures (sorted by key; for TF2 models with the backing function from the object graph)
/// and assets. `keep_alive` must own `proto`.
Expected<ir::Graph> graph_from_meta_graph(const tensorflow::MetaGraphDef& proto,
                                          std::shared_ptr<const void> keep_alive);

/// Parses a serialized MetaGraphDef and converts it as graph_from_meta_graph does, without
/// ever holding its GraphDef as a whole: nodes and library functions are parsed and converted
/// one at a time (a parsed TensorFlow graph takes about eight times its wire size) and
/// constant tensors are copied out. `meta` receives every other field (object graph,
/// signatures, meta_info_def) and graph_def's versions and debug_info. `depth` is how deeply
/// `bytes` is nested in the file (1 inside a SavedModel), for the recursion limit. On bytes
/// that are not valid protobuf the error is a generic "not a valid MetaGraphDef"; a full
/// parse gives the same verdict with protobuf's own position.
Expected<ir::Graph> graph_from_meta_graph_bytes(std::string_view bytes, tensorflow::MetaGraphDef& meta,
                                                int depth = 0);

}  // namespace litelint::analyzer
