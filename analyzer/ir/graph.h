#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/ir/attr_value.h"
#include "analyzer/ir/node.h"
#include "analyzer/ir/tensor.h"

namespace litelint::ir {

/// A list of nodes with unique names: the body of a graph or of a function.
class NodeList {
 public:
  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<Node>& mutable_nodes() { return nodes_; }
  std::size_t size() const { return nodes_.size(); }

  /// Appends a node; false when the name is already taken (the caller reports it).
  bool add(Node node);
  const Node* find(std::string_view name) const;
  Node* find(std::string_view name);
  /// Rebuilds the name index after nodes were edited in place or removed.
  void reindex();

 private:
  // Looked up by string_view without building a std::string: node names in function bodies
  // are long, and find() runs for every input of every node while loading and validating.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> index_;
};

/// One argument of a function signature (TensorFlow's OpDef.ArgDef).
struct ArgDef {
  std::string name;
  DType type = DType::Invalid;  ///< set when the type is fixed
  std::string type_attr;        ///< or taken from this attr
  std::string number_attr;      ///< a list of `number_attr` tensors of one type
  std::string type_list_attr;   ///< a list of mixed types
  bool is_ref = false;
};

/// A function of the graph's library (FunctionDef).
struct Function {
  std::string name;
  std::vector<ArgDef> inputs;
  std::vector<ArgDef> outputs;
  std::vector<std::string> control_outputs;
  bool is_stateful = false;
  AttrMap attrs;
  /// Per input index: attributes such as _user_specified_name and _output_shapes.
  std::map<std::int32_t, AttrMap> arg_attrs;
  NodeList body;
  /// False for a library function that nothing the main graph calls reaches, directly or
  /// through other functions, in a binary SavedModel or GraphDef: TensorFlow never
  /// instantiates it and the converter never sees it, so the loader keeps its signature and
  /// the op type of each of its nodes (`node_ops`) but builds no nodes (`body` stays empty)
  /// and leaves out `arg_attrs`, which only typing a body needs.
  bool body_loaded = true;
  std::vector<std::string> node_ops;  ///< only when !body_loaded, in file order
  /// Output arg name -> tensor reference string in the body.
  std::map<std::string, std::string> ret;
  std::map<std::string, std::string> control_ret;
};

/// A graph input or output named by a signature.
struct SignatureTensor {
  std::string key;          ///< the signature's name for it ("x")
  std::string tensor_name;  ///< graph tensor "node:index"; empty for composite tensors
  TensorType type;
};

/// One signature of a SavedModel (SignatureDef), or the inputs/outputs given for a GraphDef.
struct Signature {
  std::string key;
  std::string method_name;
  std::vector<SignatureTensor> inputs;
  std::vector<SignatureTensor> outputs;
  /// For TF2 SavedModels: the concrete function that backs this signature (object graph).
  std::string function_name;
};

/// A variable of the graph and where its value lives.
struct Variable {
  std::string node_name;       ///< VarHandleOp / VariableV2 node (or function capture)
  std::string checkpoint_key;  ///< key in variables.index; empty when not found
  std::string object_path;     ///< TF2 object-graph path, e.g. "layer-1/kernel"
  DType dtype = DType::Invalid;
  Shape shape;
  Tensor value;  ///< lazy: reads the checkpoint shard only when asked
};

/// A file under assets/ that the graph refers to.
struct Asset {
  std::string tensor_name;
  std::string filename;
};

/// The TensorFlow graph litelint reasons about: one MetaGraph of a SavedModel, or one
/// GraphDef, with its function library, signatures and variables.
struct Graph {
  std::vector<std::string> tags;
  std::string tf_version;
  std::string tf_git_version;
  std::int32_t producer = 0;
  std::int32_t min_consumer = 0;
  bool stripped_default_attrs = false;

  NodeList nodes;
  std::vector<Function> functions;
  std::vector<Signature> signatures;
  std::vector<Variable> variables;
  std::vector<Asset> assets;
  /// Names of ops the MetaGraph's stripped_op_list declares (OpDefs shipped with the model).
  std::vector<std::string> declared_ops;
  /// Op types inside library entries that have no signature: nothing can call them, but
  /// they are part of the file (and of its op inventory).
  std::vector<std::string> uncallable_function_ops;
  bool has_object_graph = false;
  /// Names of the object graph root's children (`serve`, `_default_save_signature`, layer
  /// names): which API wrote a SavedModel, which TFLiteConverter looks at to pick signatures.
  std::vector<std::string> root_attributes;
  bool has_debug_info = false;

  const Function* find_function(std::string_view name) const;
  const Signature* find_signature(std::string_view key) const;
};

}  // namespace litelint::ir
