#include "analyzer/loaders/proto_to_ir.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "analyzer/ir/function_refs.h"
#include "analyzer/loaders/debug_info.h"
#include "analyzer/loaders/graph_validate.h"
#include "analyzer/loaders/wire.h"

namespace litelint::analyzer {
namespace {

namespace pb = google::protobuf;

// Attribute values nest through function references (func -> attr -> func ...); protobuf's
// recursion limit already bounds this, but a GraphDef built in memory (TF.js JSON) may not
// have been parsed with one.
constexpr int kMaxAttrDepth = 64;

class TextErrorCollector : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (!first_.empty()) return;
    first_ = "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// Element width in a tensor's row-major bytes. TensorFlow keeps the sub-byte types one element
// per byte in memory and in tensor_content.
std::optional<std::size_t> element_bytes(ir::DType t) {
  switch (t) {
    case ir::DType::Int4:
    case ir::DType::UInt4:
    case ir::DType::Int2:
    case ir::DType::UInt2:
    case ir::DType::Float4E2M1FN:
      return 1;
    default:
      return ir::dtype_size(t);
  }
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Writes `n` elements of `Out` from `values` taken `group` at a time (complex numbers are
// pairs), repeating the last group when there are too few and zero-filling when there are
// none: TensorFlow's rule for the typed `*_val` fields.
template <typename Out, typename Values>
ir::TensorBytes fill_repeated(const Values& values, std::uint64_t n, std::size_t group) {
  auto buffer = std::make_shared<std::vector<std::byte>>(n * group * sizeof(Out));
  const std::size_t groups = static_cast<std::size_t>(values.size()) / group;
  if (groups > 0) {
    std::byte* out = buffer->data();
    const std::uint64_t copied = std::min<std::uint64_t>(groups, n);
    for (std::uint64_t e = 0; e < n; ++e) {
      const std::uint64_t src = e < copied ? e : copied - 1;
      for (std::size_t k = 0; k < group; ++k) {
        const Out v = static_cast<Out>(values.Get(static_cast<int>(src * group + k)));
        std::memcpy(out + (e * group + k) * sizeof(Out), &v, sizeof(Out));
      }
    }
  }
  ir::TensorBytes result;
  result.bytes = std::span<const std::byte>(buffer->data(), buffer->size());
  result.keep_alive = std::move(buffer);
  return result;
}

ir::TensorBytes fill_bytes_field(const std::string& values, std::uint64_t n) {
  auto buffer = std::make_shared<std::vector<std::byte>>(n);
  if (!values.empty()) {
    const std::uint64_t copied = std::min<std::uint64_t>(values.size(), n);
    std::memcpy(buffer->data(), values.data(), copied);
    std::fill(buffer->begin() + static_cast<std::ptrdiff_t>(copied), buffer->end(),
              static_cast<std::byte>(values[copied - 1]));
  }
  ir::TensorBytes result;
  result.bytes = std::span<const std::byte>(buffer->data(), buffer->size());
  result.keep_alive = std::move(buffer);
  return result;
}

// DT_STRING in tensor_content: all lengths as varint32, then all bytes (EncodeStringList).
Expected<ir::TensorBytes> decode_string_content(std::string_view content, std::uint64_t n) {
  std::vector<std::uint64_t> lengths;
  lengths.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, content.size())));
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t len = 0;
    if (!wire::read_varint(content, len) || len > content.size()) {
      return bad_input("string tensor_content is truncated");
    }
    total += len;
    lengths.push_back(len);
  }
  if (total != content.size()) return bad_input("string tensor_content has the wrong size");
  ir::TensorBytes result;
  result.strings.reserve(lengths.size());
  for (auto len : lengths) {
    result.strings.emplace_back(content.substr(0, len));
    content.remove_prefix(len);
  }
  return result;
}

Expected<ir::TensorBytes> decode_string_values(const tensorflow::TensorProto& p, std::uint64_t n) {
  ir::TensorBytes result;
  if (p.string_val_size() == 0) {
    result.strings.assign(n, std::string());
    return result;
  }
  const std::uint64_t have = static_cast<std::uint64_t>(p.string_val_size());
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < std::min(have, n); ++i) total += p.string_val(static_cast<int>(i)).size();
  if (n > have) total += (n - have) * p.string_val(p.string_val_size() - 1).size();
  if (auto within = check_input_limit(InputLimit::TensorBytes, "a string tensor, decoded,", total); !within) {
    return unexpected(within.error());
  }
  result.strings.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    result.strings.push_back(p.string_val(static_cast<int>(std::min(i, have - 1))));
  }
  return result;
}

// Decodes one TensorProto whose shape and sizes convert() already checked.
Expected<ir::TensorBytes> decode(const std::shared_ptr<const tensorflow::TensorProto>& proto,
                                 ir::DType dtype, std::uint64_t n) {
  const tensorflow::TensorProto& p = *proto;
  using ir::DType;
  // Upstream keeps enormous constants in graphs (a 1 TiB splat in its large_constants test),
  // so the size is only refused here, when someone actually asks for the bytes. Numeric
  // tensor_content is a view of the parsed file (bounded by file-bytes), not an allocation.
  const std::uint64_t width = dtype == DType::String ? sizeof(std::string) : element_bytes(dtype).value_or(1);
  const std::uint64_t limit = input_limit(InputLimit::TensorBytes);
  if ((dtype == DType::String || p.tensor_content().empty()) && n > limit / width) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    return unexpected(input_limit_error(InputLimit::TensorBytes,
                                        "a tensor of " + std::to_string(n) + " " + ir::dtype_name(dtype) +
                                            " elements, too large to decode,",
                                        n > max / width ? max : n * width));
  }
  if (dtype == DType::String) {
    if (!p.tensor_content().empty()) return decode_string_content(p.tensor_content(), n);
    return decode_string_values(p, n);
  }
  if (!p.tensor_content().empty()) {
    ir::TensorBytes result;
    result.bytes = std::span<const std::byte>(
        reinterpret_cast<const std::byte*>(p.tensor_content().data()), p.tensor_content().size());
    result.keep_alive = proto;
    return result;
  }
  switch (dtype) {
    case DType::Float:
      return fill_repeated<float>(p.float_val(), n, 1);
    case DType::Double:
      return fill_repeated<double>(p.double_val(), n, 1);
    case DType::Int32:
    case DType::QInt32:
      return fill_repeated<std::int32_t>(p.int_val(), n, 1);
    case DType::Int16:
    case DType::QInt16:
      return fill_repeated<std::int16_t>(p.int_val(), n, 1);
    case DType::UInt16:
    case DType::QUInt16:
      return fill_repeated<std::uint16_t>(p.int_val(), n, 1);
    case DType::Int8:
    case DType::QInt8:
    case DType::Int4:
    case DType::Int2:
      return fill_repeated<std::int8_t>(p.int_val(), n, 1);
    case DType::UInt8:
    case DType::QUInt8:
    case DType::UInt4:
    case DType::UInt2:
      return fill_repeated<std::uint8_t>(p.int_val(), n, 1);
    case DType::Int64:
      return fill_repeated<std::int64_t>(p.int64_val(), n, 1);
    case DType::UInt32:
      return fill_repeated<std::uint32_t>(p.uint32_val(), n, 1);
    case DType::UInt64:
      return fill_repeated<std::uint64_t>(p.uint64_val(), n, 1);
    case DType::Bool:
      return fill_repeated<std::uint8_t>(p.bool_val(), n, 1);
    case DType::Half:
    case DType::BFloat16:
      return fill_repeated<std::uint16_t>(p.half_val(), n, 1);
    case DType::Complex64:
      return fill_repeated<float>(p.scomplex_val(), n, 2);
    case DType::Complex128:
      return fill_repeated<double>(p.dcomplex_val(), n, 2);
    case DType::Float8E5M2:
    case DType::Float8E4M3FN:
    case DType::Float8E4M3FNUZ:
    case DType::Float8E4M3B11FNUZ:
    case DType::Float8E5M2FNUZ:
    case DType::Float4E2M1FN:
      return fill_bytes_field(p.float8_val(), n);
    default:
      return fail(ErrorCode::Unsupported,
                  "decoding " + ir::dtype_name(dtype) + " constants is not supported");
  }
}

Expected<ir::AttrValue> convert_attr(const tensorflow::AttrValue& proto,
                                     const std::shared_ptr<const void>& keep_alive, int depth,
                                     bool internal = false);

// Shapes of internal attributes ("_output_shapes") may carry dims below -1: grappler's
// symbolic shape analysis writes them and TensorFlow's importers accept them.
Expected<ir::Shape> attr_shape(const tensorflow::TensorShapeProto& proto, bool internal) {
  if (!internal) return checked_shape_from_proto(proto);
  if (static_cast<std::size_t>(proto.dim_size()) > ir::Shape::kMaxRank) return checked_shape_from_proto(proto);
  return shape_from_proto(proto);
}

Expected<ir::FuncRef> convert_func(const tensorflow::NameAttrList& proto,
                                   const std::shared_ptr<const void>& keep_alive, int depth) {
  ir::FuncRef ref;
  ref.name = proto.name();
  for (const auto& [key, value] : proto.attr()) {
    auto v = convert_attr(value, keep_alive, depth + 1);
    if (!v) return unexpected(std::move(v.error()).with_context("attr " + quoted(key)));
    ref.attrs.emplace(key, std::move(*v));
  }
  return ref;
}

Expected<ir::AttrValue> convert_attr(const tensorflow::AttrValue& proto,
                                     const std::shared_ptr<const void>& keep_alive, int depth,
                                     bool internal) {
  if (depth > kMaxAttrDepth) return bad_input("attribute values nest too deeply");
  ir::AttrValue out;
  switch (proto.value_case()) {
    case tensorflow::AttrValue::kS:
      out.value = proto.s();
      break;
    case tensorflow::AttrValue::kI:
      out.value = static_cast<std::int64_t>(proto.i());
      break;
    case tensorflow::AttrValue::kF:
      out.value = proto.f();
      break;
    case tensorflow::AttrValue::kB:
      out.value = proto.b();
      break;
    case tensorflow::AttrValue::kType:
      out.value = static_cast<ir::DType>(proto.type());
      break;
    case tensorflow::AttrValue::kShape: {
      auto shape = attr_shape(proto.shape(), internal);
      if (!shape) return unexpected(shape.error());
      out.value = std::move(*shape);
      break;
    }
    case tensorflow::AttrValue::kTensor: {
      auto tensor = tensor_from_proto(proto.tensor(), keep_alive);
      if (!tensor) return unexpected(tensor.error());
      out.value = std::move(*tensor);
      break;
    }
    case tensorflow::AttrValue::kPlaceholder:
      out.value = ir::AttrPlaceholder{proto.placeholder()};
      break;
    case tensorflow::AttrValue::kFunc: {
      auto func = convert_func(proto.func(), keep_alive, depth);
      if (!func) return unexpected(func.error());
      out.value = std::move(*func);
      break;
    }
    case tensorflow::AttrValue::kList: {
      const auto& l = proto.list();
      ir::AttrList list;
      list.s.assign(l.s().begin(), l.s().end());
      list.i.assign(l.i().begin(), l.i().end());
      list.f.assign(l.f().begin(), l.f().end());
      list.b.assign(l.b().begin(), l.b().end());
      for (int t : l.type()) list.type.push_back(static_cast<ir::DType>(t));
      for (const auto& s : l.shape()) {
        auto shape = attr_shape(s, internal);
        if (!shape) return unexpected(shape.error());
        list.shape.push_back(std::move(*shape));
      }
      for (const auto& t : l.tensor()) {
        auto tensor = tensor_from_proto(t, keep_alive);
        if (!tensor) return unexpected(tensor.error());
        list.tensor.push_back(std::move(*tensor));
      }
      for (const auto& f : l.func()) {
        auto func = convert_func(f, keep_alive, depth);
        if (!func) return unexpected(func.error());
        list.func.push_back(std::move(*func));
      }
      out.value = std::move(list);
      break;
    }
    case tensorflow::AttrValue::VALUE_NOT_SET:
      break;
  }
  return out;
}

Expected<ir::AttrMap> convert_attrs(const pb::Map<std::string, tensorflow::AttrValue>& attrs,
                                    const std::shared_ptr<const void>& keep_alive) {
  ir::AttrMap out;
  for (const auto& [key, value] : attrs) {
    auto v = convert_attr(value, keep_alive, 0, !key.empty() && key.front() == '_');
    if (!v) return unexpected(std::move(v.error()).with_context("attr " + quoted(key)));
    out.emplace(key, std::move(*v));
  }
  return out;
}

Expected<ir::ArgDef> convert_arg(const tensorflow::OpDef::ArgDef& proto) {
  for (const auto& hd : proto.handle_data()) {
    // TensorFlow's importer refuses handle data without a dtype (an empty entry).
    if (hd.dtype() == tensorflow::DT_INVALID) {
      return bad_input("argument " + quoted(proto.name()) + " has handle_data with an invalid dtype");
    }
    auto shape = checked_shape_from_proto(hd.shape());
    if (!shape) {
      return unexpected(std::move(shape.error()).with_context("handle_data of argument " + quoted(proto.name())));
    }
  }
  ir::ArgDef arg;
  arg.name = proto.name();
  arg.type = static_cast<ir::DType>(proto.type());
  arg.type_attr = proto.type_attr();
  arg.number_attr = proto.number_attr();
  arg.type_list_attr = proto.type_list_attr();
  arg.is_ref = proto.is_ref();
  return arg;
}

std::vector<ir::SignatureTensor> convert_tensor_infos(
    const pb::Map<std::string, tensorflow::TensorInfo>& infos) {
  std::vector<ir::SignatureTensor> out;
  for (const auto& [key, info] : infos) {
    ir::SignatureTensor t;
    t.key = key;
    if (info.encoding_case() == tensorflow::TensorInfo::kName) t.tensor_name = info.name();
    t.type.dtype = static_cast<ir::DType>(info.dtype());
    if (info.has_tensor_shape()) t.type.shape = shape_from_proto(info.tensor_shape());
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

// TF2: root object -> child "signatures" -> child named by the signature key, a
// bare_concrete_function naming the FunctionDef that implements the signature.
std::string signature_function(const tensorflow::SavedObjectGraph& objects, const std::string& key) {
  if (objects.nodes_size() == 0) return {};
  auto child = [&](const tensorflow::SavedObject& node, std::string_view name) -> const tensorflow::SavedObject* {
    for (const auto& ref : node.children()) {
      if (ref.local_name() == name && ref.node_id() >= 0 && ref.node_id() < objects.nodes_size()) {
        return &objects.nodes(ref.node_id());
      }
    }
    return nullptr;
  };
  const auto* signatures = child(objects.nodes(0), "signatures");
  if (signatures == nullptr) return {};
  const auto* fn = child(*signatures, key);
  if (fn == nullptr) return {};
  if (fn->kind_case() == tensorflow::SavedObject::kBareConcreteFunction) {
    return fn->bare_concrete_function().concrete_function_name();
  }
  if (fn->kind_case() == tensorflow::SavedObject::kFunction && fn->function().concrete_functions_size() > 0) {
    return fn->function().concrete_functions(0);
  }
  return {};
}

// Fallback for signatures the object graph does not describe: the call node that produces
// the first output (TF2 writes StatefulPartitionedCall:0 with `f` naming the wrapper).
std::string calling_function(const ir::Graph& graph, const ir::Signature& signature) {
  for (const auto& out : signature.outputs) {
    auto ref = ir::TensorRef::parse(out.tensor_name);
    if (!ref) continue;
    const ir::Node* node = graph.nodes.find(ref->node);
    if (node == nullptr) continue;
    if (node->op != "StatefulPartitionedCall" && node->op != "PartitionedCall") continue;
    if (const ir::AttrValue* f = node->attr("f")) {
      if (const ir::FuncRef* func = f->as_func()) return func->name;
    }
  }
  return {};
}

// Node::outputs as far as the node itself says: `_output_shapes`, and the dtype of source
// ops whose single output type is their `dtype` attr.
void seed_outputs(ir::Node& node) {
  if (const ir::AttrValue* shapes = node.attr("_output_shapes")) {
    if (const ir::AttrList* list = shapes->as_list()) {
      node.outputs.reserve(list->shape.size());
      for (const auto& s : list->shape) node.outputs.push_back(ir::TensorType{ir::DType::Invalid, s});
    }
  }
  if (node.op == "Placeholder" || node.op == "PlaceholderWithDefault" || node.op == "Const") {
    if (const ir::AttrValue* dtype = node.attr("dtype")) {
      if (const ir::DType* t = dtype->as_type()) {
        if (node.outputs.empty()) node.outputs.resize(1);
        node.outputs[0].dtype = *t;
      }
    }
  }
}

// Function bodies may name an output argument without an index ("node:out" = "node:out:0").
// True when `s` is plain ASCII: text the wire paths take as is, where protobuf would check
// non-ASCII bytes as UTF-8 (they leave that to protobuf's parse).
bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Resets the per-element arena of the streaming loaders once it holds over 1 MiB: resetting
// per element would free and re-allocate a block each time.
void recycle(pb::Arena& arena) {
  if (arena.SpaceAllocated() > (std::uint64_t{1} << 20)) arena.Reset();
}

std::optional<ir::TensorRef> parse_input(std::string_view text) {
  if (auto ref = ir::TensorRef::parse(text)) return ref;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || text.front() == '^') return std::nullopt;
  const std::string_view arg = text.substr(colon + 1);
  if (arg.empty() || arg.find(':') != std::string_view::npos) return std::nullopt;
  if (!(std::isalpha(static_cast<unsigned char>(arg.front())) || arg.front() == '_')) return std::nullopt;
  ir::TensorRef ref;
  ref.node = std::string(text.substr(0, colon));
  ref.output_arg = std::string(arg);
  return ref;
}

void collect_variables(ir::Graph& graph) {
  for (const auto& node : graph.nodes.nodes()) {
    if (node.op != "VarHandleOp" && node.op != "VariableV2" && node.op != "Variable") continue;
    ir::Variable v;
    v.node_name = node.name;
    if (const ir::AttrValue* dtype = node.attr("dtype")) {
      if (const ir::DType* t = dtype->as_type()) v.dtype = *t;
    }
    if (const ir::AttrValue* shape = node.attr("shape")) {
      if (const ir::Shape* s = shape->as_shape()) v.shape = *s;
    }
    graph.variables.push_back(std::move(v));
  }
}


// What a MetaGraphDef says beside its GraphDef: tags, versions, stripped op names,
// signatures (sorted by key; for TF2 models with the backing function from the object graph)
// and assets.
void describe_meta_graph(ir::Graph& graph, const tensorflow::MetaGraphDef& proto) {
  const auto& info = proto.meta_info_def();
  graph.tags.assign(info.tags().begin(), info.tags().end());
  graph.tf_version = info.tensorflow_version();
  graph.tf_git_version = info.tensorflow_git_version();
  graph.stripped_default_attrs = info.stripped_default_attrs();
  for (const auto& op : info.stripped_op_list().op()) graph.declared_ops.push_back(op.name());
  graph.has_object_graph = proto.has_object_graph_def();
  if (graph.has_object_graph && proto.object_graph_def().nodes_size() > 0) {
    for (const auto& child : proto.object_graph_def().nodes(0).children()) {
      graph.root_attributes.push_back(child.local_name());
    }
  }
  for (const auto& [key, def] : proto.signature_def()) {
    ir::Signature s = signature_from_proto(key, def);
    if (graph.has_object_graph) s.function_name = signature_function(proto.object_graph_def(), key);
    if (s.function_name.empty()) s.function_name = calling_function(graph, s);
    graph.signatures.push_back(std::move(s));
  }
  std::sort(graph.signatures.begin(), graph.signatures.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  for (const auto& asset : proto.asset_file_def()) {
    graph.assets.push_back(ir::Asset{asset.tensor_info().name(), asset.filename()});
  }
  // TF1 writers list assets in a collection instead, as packed AssetFileDefs.
  if (auto it = proto.collection_def().find("saved_model_assets");
      proto.asset_file_def_size() == 0 && it != proto.collection_def().end()) {
    for (const auto& any : it->second.any_list().value()) {
      tensorflow::AssetFileDef asset;
      if (any.UnpackTo(&asset)) graph.assets.push_back(ir::Asset{asset.tensor_info().name(), asset.filename()});
    }
  }
}

// Nodes of `graph` so far, main graph and function bodies: what the nodes limit counts.
std::uint64_t node_total(const ir::Graph& graph) {
  std::uint64_t n = graph.nodes.size();
  for (const auto& f : graph.functions) n += f.body.size();
  return n;
}

Expected<void> check_node_total(std::uint64_t n) {
  return check_input_limit(InputLimit::Nodes, "the model's node count (graph and functions)", n);
}

Expected<void> add_node(ir::Graph& graph, const tensorflow::NodeDef& nd,
                        const std::shared_ptr<const void>& keep_alive) {
  auto node = node_from_proto(nd, keep_alive);
  if (!node) return unexpected(node.error());
  if (!graph.nodes.add(std::move(*node))) {
    return bad_input("node " + quoted(nd.name()) + ": duplicated node name (node names must be unique)");
  }
  return {};
}

Expected<void> add_library_entry(ir::Graph& graph, const tensorflow::FunctionDef& fd,
                                 const std::shared_ptr<const void>& keep_alive) {
  // A library entry without any signature cannot be called; TensorFlow's lazy function
  // loading never looks at it (upstream's unregistered_kernel test relies on that). An
  // entry with a signature but an empty name is still an error (validate_graph).
  if (!fd.has_signature()) {
    for (const auto& nd : fd.node_def()) graph.uncallable_function_ops.push_back(nd.op());
    return {};
  }
  auto f = function_from_proto(fd, keep_alive);
  if (!f) return unexpected(f.error());
  graph.functions.push_back(std::move(*f));
  return {};
}

// SavedModels are written with attrs that equal their OpDef default stripped
// (MetaInfoDef.stripped_default_attrs); TensorFlow puts them back from its op registry on
// load. litelint has no registry, but the MetaGraph ships the OpDefs it used
// (stripped_op_list), so rules still see e.g. Conv2D's data_format "NHWC" and dilations.
// A default that does not convert (a hostile op list) is left out, as if never declared.
void fill_default_attrs(ir::Graph& graph, const tensorflow::OpList& ops) {
  std::unordered_map<std::string_view, const tensorflow::OpDef*> by_name;
  for (const auto& op : ops.op()) by_name.emplace(op.name(), &op);
  if (by_name.empty()) return;
  auto fill = [&](ir::Node& node) {
    auto it = by_name.find(node.op);
    if (it == by_name.end()) return;
    for (const auto& attr : it->second->attr()) {
      if (!attr.has_default_value() || attr.default_value().value_case() == tensorflow::AttrValue::VALUE_NOT_SET) continue;
      if (node.attrs.count(attr.name()) > 0) continue;
      auto value = convert_attr(attr.default_value(), nullptr, 0);
      if (value) node.attrs.emplace(attr.name(), std::move(*value));
    }
  };
  for (ir::Node& node : graph.nodes.mutable_nodes()) fill(node);
  for (ir::Function& f : graph.functions) {
    for (ir::Node& node : f.body.mutable_nodes()) fill(node);
  }
}

Expected<void> finish_graph(ir::Graph& graph, const tensorflow::GraphDebugInfo* debug_info,
                            const tensorflow::OpList* declared_ops, ConstValues const_values) {
  if (debug_info != nullptr) apply_debug_info(graph, *debug_info);
  if (declared_ops != nullptr) fill_default_attrs(graph, *declared_ops);
  collect_variables(graph);
  return validate_graph(graph, declared_ops, const_values);
}

// Merges binary `bytes` into `message` with what is left of the recursion limit `depth`
// levels down, as a parse of the enclosing message would.
bool merge_binary(std::string_view bytes, pb::Message& message, int depth) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return false;
  pb::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                 static_cast<int>(bytes.size()));
  input.SetTotalBytesLimit(INT_MAX);
  input.SetRecursionLimit(kProtoRecursionLimit - depth);
  pb::LogSilencer silence;
  return message.MergeFromCodedStream(&input) && input.ConsumedEntireMessage();
}

// function_from_proto with the body's nodes from `add_body(f, context)`: the FunctionDef's
// own node_def, or nodes decoded from the wire.
template <typename AddBody>
Expected<ir::Function> convert_function(const tensorflow::FunctionDef& proto,
                                        const std::shared_ptr<const void>& keep_alive, AddBody&& add_body) {
  const auto& sig = proto.signature();
  const std::string context = "function " + quoted(sig.name());
  ir::Function f;
  f.name = sig.name();
  f.is_stateful = sig.is_stateful();
  for (const auto& a : sig.input_arg()) {
    auto arg = convert_arg(a);
    if (!arg) return unexpected(std::move(arg.error()).with_context(context));
    f.inputs.push_back(std::move(*arg));
  }
  for (const auto& a : sig.output_arg()) {
    auto arg = convert_arg(a);
    if (!arg) return unexpected(std::move(arg.error()).with_context(context));
    f.outputs.push_back(std::move(*arg));
  }
  f.control_outputs.assign(sig.control_output().begin(), sig.control_output().end());
  auto attrs = convert_attrs(proto.attr(), keep_alive);
  if (!attrs) return unexpected(std::move(attrs.error()).with_context(context));
  f.attrs = std::move(*attrs);
  for (const auto& [index, arg_attrs] : proto.arg_attr()) {
    if (index >= static_cast<std::uint32_t>(sig.input_arg_size())) {
      return bad_input(context + ": arg_attr for argument " + std::to_string(index) +
                       ", but the function has " + std::to_string(sig.input_arg_size()) + " arguments");
    }
    auto a = convert_attrs(arg_attrs.attr(), keep_alive);
    if (!a) return unexpected(std::move(a.error()).with_context(context));
    f.arg_attrs.emplace(static_cast<std::int32_t>(index), std::move(*a));
  }
  if (auto added = add_body(f, context); !added) return unexpected(added.error());
  f.ret.insert(proto.ret().begin(), proto.ret().end());
  f.control_ret.insert(proto.control_ret().begin(), proto.control_ret().end());
  return f;
}

// Converts `nd` into the body of `f`; errors name the function (`context`).
Expected<void> add_body_node(ir::Function& f, const tensorflow::NodeDef& nd,
                             const std::shared_ptr<const void>& keep_alive, const std::string& context) {
  auto node = node_from_proto(nd, keep_alive);
  if (!node) return unexpected(std::move(node.error()).with_context(context));
  if (!f.body.add(std::move(*node))) {
    return bad_input(context + ": duplicated node name " + quoted(nd.name()));
  }
  return {};
}

// Decodes serialized NodeDefs straight into the IR, skipping protobuf's parse into a NodeDef
// and the copy out of it: on a SavedModel that parse and copy were half of loading. It takes
// only what it can decode exactly as protobuf + node_from_proto would; anything else (a
// field it does not know or sees twice, non-ASCII text that protobuf would check as UTF-8,
// an attr that does not convert, nesting near protobuf's recursion limit) makes it give up,
// and the caller parses that node with protobuf, whose verdict and error are the reference.
class WireNodeDecoder {
 public:
  /// `depth`: how deeply the NodeDef is nested in the file (for protobuf's recursion limit).
  explicit WireNodeDecoder(int depth) : budget_(kProtoRecursionLimit - depth - 2) {}

  /// False when the node must be parsed with protobuf instead (`node` is then unspecified).
  bool decode(std::string_view bytes, ir::Node& node) {
    if (budget_ <= 4) return false;
    wire::Reader reader(bytes);
    wire::Field field;
    bool seen_name = false, seen_op = false, seen_device = false;
    while (reader.next(field)) {
      if (field.wire_type != 2) return false;
      switch (field.number) {
        case 1:
          if (seen_name || !ascii(field.payload)) return false;
          seen_name = true;
          node.name.assign(field.payload);
          break;
        case 2:
          if (seen_op || !ascii(field.payload)) return false;
          seen_op = true;
          node.op.assign(field.payload);
          break;
        case 3: {
          if (!ascii(field.payload)) return false;
          auto ref = parse_input(field.payload);
          if (!ref) return false;
          node.inputs.push_back(std::move(*ref));
          break;
        }
        case 4:
          if (seen_device || !ascii(field.payload)) return false;
          seen_device = true;
          node.device.assign(field.payload);
          break;
        case 5:
          if (!map_entry(field.payload, node.attrs, 0, 1)) return false;
          break;
        default:
          return false;
      }
    }
    if (!reader.ok()) return false;
    seed_outputs(node);
    return true;
  }

 private:
  // One map<string, AttrValue> entry; `level` counts protobuf message nesting below the node.
  bool map_entry(std::string_view bytes, ir::AttrMap& attrs, int attr_depth, int level) {
    if (level + 2 >= budget_) return false;
    wire::Reader reader(bytes);
    wire::Field field;
    std::optional<std::string_view> key, value;
    while (reader.next(field)) {
      if (field.wire_type != 2) return false;
      if (field.number == 1 && !key) {
        key = field.payload;
      } else if (field.number == 2 && !value) {
        value = field.payload;
      } else {
        return false;
      }
    }
    if (!reader.ok() || !key || !value || !ascii(*key)) return false;
    auto [it, inserted] = attrs.try_emplace(std::string(*key));
    if (!inserted) return false;  // a repeated key: protobuf keeps the last one
    return attr_value(*value, it->second, !key->empty() && key->front() == '_', attr_depth, level + 1);
  }

  bool attr_value(std::string_view bytes, ir::AttrValue& out, bool internal, int attr_depth, int level) {
    if (attr_depth > kMaxAttrDepth) return false;
    wire::Reader reader(bytes);
    wire::Field field;
    bool seen = false;
    while (reader.next(field)) {
      if (seen) return false;  // oneof members set twice: protobuf's last-one-wins and merging
      seen = true;
      switch (field.number) {
        case 2:  // s (bytes)
          if (field.wire_type != 2) return false;
          out.value = std::string(field.payload);
          break;
        case 3:  // i
          if (field.wire_type != 0) return false;
          out.value = static_cast<std::int64_t>(field.varint);
          break;
        case 4: {  // f
          if (field.wire_type != 5) return false;
          float f;
          std::memcpy(&f, field.payload.data(), 4);
          out.value = f;
          break;
        }
        case 5:  // b
          if (field.wire_type != 0) return false;
          out.value = field.varint != 0;
          break;
        case 6:  // type
          if (field.wire_type != 0) return false;
          out.value = static_cast<ir::DType>(static_cast<std::int32_t>(field.varint));
          break;
        case 7: {  // shape
          if (field.wire_type != 2) return false;
          ir::Shape shape;
          if (!shape_value(field.payload, internal, level + 1, shape)) return false;
          out.value = std::move(shape);
          break;
        }
        case 8: {  // tensor
          if (field.wire_type != 2) return false;
          ir::Tensor tensor;
          if (!tensor_value(field.payload, level + 1, tensor)) return false;
          out.value = std::move(tensor);
          break;
        }
        case 1: {  // list
          if (field.wire_type != 2) return false;
          ir::AttrList list;
          if (!list_value(field.payload, internal, attr_depth, level + 1, list)) return false;
          out.value = std::move(list);
          break;
        }
        case 9:  // placeholder (string)
          if (field.wire_type != 2 || !ascii(field.payload)) return false;
          out.value = ir::AttrPlaceholder{std::string(field.payload)};
          break;
        case 10: {  // func
          if (field.wire_type != 2) return false;
          ir::FuncRef func;
          if (!func_value(field.payload, attr_depth, level + 1, func)) return false;
          out.value = std::move(func);
          break;
        }
        default:
          return false;
      }
    }
    return reader.ok();
  }

  // TensorShapeProto, with attr_shape()'s checks; a shape that would be an error gives up.
  bool shape_value(std::string_view bytes, bool internal, int level, ir::Shape& out) {
    if (level + 1 >= budget_) return false;
    wire::Reader reader(bytes);
    wire::Field field;
    std::vector<std::int64_t> dims;
    bool unknown_rank = false, seen_unknown_rank = false;
    while (reader.next(field)) {
      if (field.number == 2 && field.wire_type == 2) {
        wire::Reader dim_reader(field.payload);
        wire::Field d;
        std::int64_t size = 0;
        bool seen_size = false;
        while (dim_reader.next(d)) {
          if (d.number == 1 && d.wire_type == 0 && !seen_size) {
            seen_size = true;
            size = static_cast<std::int64_t>(d.varint);
          } else if (!(d.number == 2 && d.wire_type == 2 && ascii(d.payload))) {
            return false;
          }
        }
        if (!dim_reader.ok()) return false;
        if (dims.size() >= ir::Shape::kMaxRank) return false;
        dims.push_back(size);
      } else if (field.number == 3 && field.wire_type == 0 && !seen_unknown_rank) {
        seen_unknown_rank = true;
        unknown_rank = field.varint != 0;
      } else {
        return false;
      }
    }
    if (!reader.ok()) return false;
    if (unknown_rank) {
      // shape_from_proto ignores dims then; the checked conversion refuses them.
      if (!dims.empty()) return false;
      out = ir::Shape::unknown();
      return true;
    }
    if (!internal) {
      for (auto d : dims) {
        if (d < ir::Shape::kUnknownDim) return false;
      }
    }
    out = ir::Shape(std::move(dims));
    return true;
  }

  // A TensorProto is parsed by protobuf (constants are few, and decode() reads the message);
  // the Tensor owns it, as tensor_from_proto's copy did.
  bool tensor_value(std::string_view bytes, int level, ir::Tensor& out) {
    auto proto = std::make_shared<tensorflow::TensorProto>();
    if (!merge_binary(bytes, *proto, kProtoRecursionLimit - budget_ + level)) return false;
    const tensorflow::TensorProto& ref = *proto;
    auto tensor = tensor_from_proto(ref, std::shared_ptr<const void>(std::move(proto)));
    if (!tensor) return false;
    out = std::move(*tensor);
    return true;
  }

  template <typename T, typename Convert>
  static bool packed(const wire::Field& field, std::uint32_t scalar_wire_type, std::vector<T>& out, Convert convert) {
    if (field.wire_type == scalar_wire_type) {
      out.push_back(convert(field));
      return true;
    }
    if (field.wire_type != 2) return false;
    std::string_view rest = field.payload;
    wire::Field one;
    one.wire_type = scalar_wire_type;
    while (!rest.empty()) {
      if (scalar_wire_type == 5) {
        if (rest.size() < 4) return false;
        one.payload = rest.substr(0, 4);
        rest.remove_prefix(4);
      } else {
        std::uint64_t v = 0;
        int shift = 0;
        for (;;) {
          if (rest.empty() || shift >= 64) return false;
          const auto byte = static_cast<unsigned char>(rest.front());
          rest.remove_prefix(1);
          v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
          shift += 7;
          if ((byte & 0x80) == 0) break;
        }
        one.varint = v;
      }
      out.push_back(convert(one));
    }
    return true;
  }

  bool list_value(std::string_view bytes, bool internal, int attr_depth, int level, ir::AttrList& list) {
    if (level + 2 >= budget_) return false;
    wire::Reader reader(bytes);
    wire::Field field;
    while (reader.next(field)) {
      bool ok = true;
      switch (field.number) {
        case 2:
          if (field.wire_type != 2) return false;
          list.s.emplace_back(field.payload);
          break;
        case 3:
          ok = packed(field, 0, list.i, [](const wire::Field& f) { return static_cast<std::int64_t>(f.varint); });
          break;
        case 4:
          ok = packed(field, 5, list.f, [](const wire::Field& f) {
            float v;
            std::memcpy(&v, f.payload.data(), 4);
            return v;
          });
          break;
        case 5:
          ok = packed(field, 0, list.b, [](const wire::Field& f) { return f.varint != 0; });
          break;
        case 6:
          ok = packed(field, 0, list.type, [](const wire::Field& f) {
            return static_cast<ir::DType>(static_cast<std::int32_t>(f.varint));
          });
          break;
        case 7: {
          if (field.wire_type != 2) return false;
          ir::Shape shape;
          ok = shape_value(field.payload, internal, level + 1, shape);
          list.shape.push_back(std::move(shape));
          break;
        }
        case 8: {
          if (field.wire_type != 2) return false;
          ir::Tensor tensor;
          ok = tensor_value(field.payload, level + 1, tensor);
          list.tensor.push_back(std::move(tensor));
          break;
        }
        case 9: {
          if (field.wire_type != 2) return false;
          ir::FuncRef func;
          ok = func_value(field.payload, attr_depth, level + 1, func);
          list.func.push_back(std::move(func));
          break;
        }
        default:
          return false;
      }
      if (!ok) return false;
    }
    return reader.ok();
  }

  // NameAttrList; its attrs are one attr level deeper (convert_func).
  bool func_value(std::string_view bytes, int attr_depth, int level, ir::FuncRef& func) {
    if (level + 3 >= budget_) return false;
    wire::Reader reader(bytes);
    wire::Field field;
    bool seen_name = false;
    while (reader.next(field)) {
      if (field.wire_type != 2) return false;
      if (field.number == 1 && !seen_name && ascii(field.payload)) {
        seen_name = true;
        func.name.assign(field.payload);
      } else if (field.number == 2) {
        if (!map_entry(field.payload, func.attrs, attr_depth + 1, level + 1)) return false;
      } else {
        return false;
      }
    }
    return reader.ok();
  }

  int budget_;
};

// Splits a serialized FunctionDef (`depth` levels down): everything but its nodes is parsed
// by protobuf into a FunctionDef in `arena`, the NodeDefs (field 3) are returned as byte
// ranges. `skip_arg_attrs` leaves out arg_attr and resource_arg_unique_id (fields 7, 8),
// which only typing a body needs. Null when some bytes are not valid protobuf.
tensorflow::FunctionDef* split_function(std::string_view bytes, int depth, pb::Arena& arena,
                                        std::vector<std::string_view>& node_defs, bool skip_arg_attrs = false) {
  auto* fd = pb::Arena::CreateMessage<tensorflow::FunctionDef>(&arena);
  std::string_view run;
  auto flush = [&] {
    const bool ok = run.empty() || merge_binary(run, *fd, depth);
    run = {};
    return ok;
  };
  wire::Reader reader(bytes);
  wire::Field field;
  while (reader.next(field)) {
    if (field.number == 3 && field.wire_type == 2) {
      if (!flush()) return nullptr;
      node_defs.push_back(field.payload);
      continue;
    }
    if (skip_arg_attrs && (field.number == 7 || field.number == 8) && field.wire_type == 2) {
      if (!flush()) return nullptr;
      continue;
    }
    run = run.empty() ? field.raw
                      : std::string_view(run.data(), static_cast<std::size_t>(field.raw.data() + field.raw.size() - run.data()));
  }
  if (!reader.ok() || !flush()) return nullptr;
  return fd;
}

// Parses one serialized FunctionDef (`depth` levels down) into `out`: everything but its
// nodes through protobuf (into `arena`), the nodes from the wire as stream_graphdefs does. An
// entry without a signature only adds its op types to `graph` and leaves `out` empty. False
// when some bytes are not valid protobuf; an Error when the function does not convert.
Expected<bool> stream_function(ir::Graph& graph, std::string_view bytes, int depth, pb::Arena& arena,
                               std::optional<ir::Function>& out) {
  std::vector<std::string_view> node_defs;
  tensorflow::FunctionDef* fd = split_function(bytes, depth, arena, node_defs);
  if (fd == nullptr) return false;
  if (!fd->has_signature()) {
    // Uncallable entries keep only their op types: parse the whole entry as before.
    auto* whole = pb::Arena::CreateMessage<tensorflow::FunctionDef>(&arena);
    if (!merge_binary(bytes, *whole, depth)) return false;
    if (auto added = add_library_entry(graph, *whole, nullptr); !added) return unexpected(added.error());
    return true;
  }
  // A node that does not parse makes the bytes invalid, which the caller reports rather than
  // any conversion error; every node is parsed before anything is converted, as a parse of
  // the whole FunctionDef would.
  if (auto within = check_node_total(node_total(graph) + node_defs.size()); !within) {
    return unexpected(within.error());
  }
  WireNodeDecoder decoder(depth + 1);
  std::vector<ir::Node> decoded(node_defs.size());
  std::vector<tensorflow::NodeDef*> parsed(node_defs.size(), nullptr);
  for (std::size_t i = 0; i < node_defs.size(); ++i) {
    if (decoder.decode(node_defs[i], decoded[i])) continue;
    parsed[i] = pb::Arena::CreateMessage<tensorflow::NodeDef>(&arena);
    if (!merge_binary(node_defs[i], *parsed[i], depth + 1)) return false;
  }
  auto f = convert_function(*fd, nullptr, [&](ir::Function& fn, const std::string& context) -> Expected<void> {
    for (std::size_t i = 0; i < node_defs.size(); ++i) {
      if (parsed[i] == nullptr) {
        if (fn.body.add(std::move(decoded[i]))) continue;
        // A duplicated name: the protobuf path words the error.
        parsed[i] = pb::Arena::CreateMessage<tensorflow::NodeDef>(&arena);
        if (!merge_binary(node_defs[i], *parsed[i], depth + 1)) return bad_input(context + ": node does not parse");
      }
      if (auto added = add_body_node(fn, *parsed[i], nullptr, context); !added) return added;
    }
    return {};
  });
  if (!f) return unexpected(f.error());
  out = std::move(*f);
  return true;
}

// The op of a serialized NodeDef, read without decoding the node; nullopt when its text
// fields are not plain ASCII or its fields repeat (then it is decoded in full, so that
// protobuf's verdict on it stays the reference). Attr values and the experimental debug
// info and full type (fields 6, 7) are not looked into.
std::optional<std::string_view> node_def_op(std::string_view bytes) {
  std::optional<std::string_view> op;
  wire::Reader reader(bytes);
  wire::Field field;
  while (reader.next(field)) {
    if (field.number > 5) continue;
    if (field.wire_type != 2 || field.number < 1) return std::nullopt;
    if (field.number == 5) {  // attr: map<string, AttrValue> entry, key checked as UTF-8
      wire::Reader entry(field.payload);
      wire::Field part;
      while (entry.next(part)) {
        if (part.wire_type != 2 || part.number < 1 || part.number > 2) return std::nullopt;
        if (part.number == 1 && !ascii(part.payload)) return std::nullopt;
      }
      if (!entry.ok()) return std::nullopt;
      continue;
    }
    if (!ascii(field.payload)) return std::nullopt;
    if (field.number == 2) {
      if (op) return std::nullopt;
      op = field.payload;
    }
  }
  if (!reader.ok()) return std::nullopt;
  return op.value_or(std::string_view());
}

// A library function nothing calls, as ir::Function with `body_loaded` false: its signature,
// attrs and results as stream_function converts them (not its per-argument attrs), and the
// op type of each node instead of the nodes. Falls back to stream_function when a node is
// not of the plain wire shape.
Expected<bool> summarize_function(ir::Graph& graph, std::string_view bytes, int depth, pb::Arena& arena,
                                  std::optional<ir::Function>& out) {
  std::vector<std::string_view> node_defs;
  tensorflow::FunctionDef* fd = split_function(bytes, depth, arena, node_defs, /*skip_arg_attrs=*/true);
  if (fd == nullptr) return false;
  if (!fd->has_signature()) return stream_function(graph, bytes, depth, arena, out);
  std::vector<std::string> ops;
  ops.reserve(node_defs.size());
  for (const std::string_view nd : node_defs) {
    auto op = node_def_op(nd);
    if (!op) return stream_function(graph, bytes, depth, arena, out);
    ops.emplace_back(*op);
  }
  auto f = convert_function(*fd, nullptr, [](ir::Function&, const std::string&) -> Expected<void> { return {}; });
  if (!f) return unexpected(f.error());
  f->body_loaded = false;
  f->node_ops = std::move(ops);
  out = std::move(*f);
  return true;
}

// The name a serialized FunctionDef defines (signature.name, the last one as protobuf's merge
// would keep it); nullopt when it has none or the bytes do not walk.
std::optional<std::string_view> function_def_name(std::string_view bytes) {
  std::optional<std::string_view> name;
  wire::Reader reader(bytes);
  wire::Field field;
  while (reader.next(field)) {
    if (field.number != 1 || field.wire_type != 2) continue;
    wire::Reader signature(field.payload);
    wire::Field part;
    while (signature.next(part)) {
      if (part.number == 1 && part.wire_type == 2) name = part.payload;
    }
    if (!signature.ok()) return std::nullopt;
  }
  if (!reader.ok()) return std::nullopt;
  return name;
}

// Converts the serialized FunctionDefs of a library (`depth` levels down) into
// graph.functions, in file order. Only what the main graph reaches, directly or through
// other functions (ir::for_each_function_ref), is decoded node by node; TensorFlow never
// instantiates the rest, so of those the loader keeps signatures and op types
// (summarize_function). On a Keras SavedModel most of the library is such functions (the
// object graph's traced methods, gradients). Entries without a name are decoded as before.
Expected<bool> stream_library(ir::Graph& graph, const std::vector<std::string_view>& entries, int depth,
                              pb::Arena& arena) {
  std::unordered_multimap<std::string_view, std::size_t> by_name;
  std::vector<bool> reached(entries.size(), false);
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (auto name = function_def_name(entries[i]); name && !name->empty()) {
      by_name.emplace(*name, i);
    } else {
      reached[i] = true;
      queue.push_back(i);
    }
  }
  auto reach = [&](const std::string& name) {
    auto [first, last] = by_name.equal_range(name);
    for (auto it = first; it != last; ++it) {
      if (!reached[it->second]) {
        reached[it->second] = true;
        queue.push_back(it->second);
      }
    }
  };
  for (const auto& node : graph.nodes.nodes()) ir::for_each_function_ref(node, reach);
  std::vector<std::optional<ir::Function>> slots(entries.size());
  while (!queue.empty()) {
    const std::size_t i = queue.front();
    queue.pop_front();
    auto streamed = stream_function(graph, entries[i], depth, arena, slots[i]);
    if (!streamed || !*streamed) return streamed;
    recycle(arena);
    if (!slots[i]) continue;
    ir::for_each_function_ref(*slots[i], reach);
    for (const auto& node : slots[i]->body.nodes()) ir::for_each_function_ref(node, reach);
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (reached[i]) continue;
    auto summarized = summarize_function(graph, entries[i], depth, arena, slots[i]);
    if (!summarized || !*summarized) return summarized;
    recycle(arena);
  }
  graph.functions.reserve(graph.functions.size() + entries.size());
  for (auto& slot : slots) {
    if (slot) graph.functions.push_back(std::move(*slot));
  }
  return true;
}

// Parses serialized GraphDefs (`depth` levels down) node by node and function by function
// into `graph`: a parsed TensorFlow graph takes about eight times its wire size, and the IR
// holds what litelint needs, so each element is parsed into a reused arena, converted, and
// dropped. Constant tensors are copied out of the parse. Fields other than nodes and
// functions (versions, debug info, gradients) are merged into `rest`. False when some bytes
// are not valid protobuf; an Error when an element does not convert.
Expected<bool> stream_graphdefs(ir::Graph& graph, const std::vector<std::string_view>& graph_defs,
                                int depth, tensorflow::GraphDef& rest) {
  pb::Arena arena;
  WireNodeDecoder node_decoder(depth + 1);
  std::vector<std::string_view> functions;  // serialized FunctionDefs of the library
  wire::Field field;
  for (const std::string_view bytes : graph_defs) {
    wire::Reader reader(bytes);
    while (reader.next(field)) {
      if (field.number == 1 && field.wire_type == 2) {
        if (graph.nodes.size() >= input_limit(InputLimit::Nodes)) {
          return unexpected(check_node_total(graph.nodes.size() + 1).error());
        }
        ir::Node node;
        if (node_decoder.decode(field.payload, node) && graph.nodes.add(std::move(node))) continue;
        // Not decodable on the wire (or a duplicate name): protobuf's parse gives the verdict.
        auto* nd = pb::Arena::CreateMessage<tensorflow::NodeDef>(&arena);
        if (!merge_binary(field.payload, *nd, depth + 1)) return false;
        if (auto added = add_node(graph, *nd, nullptr); !added) return unexpected(added.error());
        recycle(arena);
      } else if (field.number == 2 && field.wire_type == 2) {
        wire::Reader library(field.payload);
        wire::Field entry;
        while (library.next(entry)) {
          if (entry.number == 1 && entry.wire_type == 2) {
            functions.push_back(entry.payload);  // once every main-graph node is known
          } else {
            tensorflow::FunctionDefLibrary other;
            if (!merge_binary(entry.raw, other, depth + 1)) return false;
          }
        }
        if (!library.ok()) return false;
      } else if (!merge_binary(field.raw, rest, depth)) {
        return false;
      }
    }
    if (!reader.ok()) return false;
  }
  return stream_library(graph, functions, depth + 2, arena);
}
}  // namespace

Expected<void> parse_binary_proto(std::string_view bytes, google::protobuf::Message& message,
                                  std::string_view what) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return bad_input(std::string(what) + " is over 2 GB, the protobuf limit");
  }
  pb::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                 static_cast<int>(bytes.size()));
  input.SetTotalBytesLimit(INT_MAX);
  input.SetRecursionLimit(kProtoRecursionLimit);
  // Protobuf logs parse problems (e.g. invalid UTF-8) to stderr; the Error says it instead.
  pb::LogSilencer silence;
  if (!message.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    return bad_input("not a valid " + std::string(what) +
                     " protobuf (truncated, corrupt, or nested more than " +
                     std::to_string(kProtoRecursionLimit) + " levels deep)");
  }
  return {};
}

Expected<void> parse_text_proto(std::string_view text, google::protobuf::Message& message,
                                std::string_view what) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    return bad_input(std::string(what) + " text is over 2 GB, the protobuf limit");
  }
  TextErrorCollector errors;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.SetRecursionLimit(kProtoRecursionLimit);
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  pb::LogSilencer silence;
  if (!parser.Parse(&input, &message)) {
    return bad_input("not a valid " + std::string(what) + " in protobuf text format: " +
                     (errors.first().empty() ? std::string("parse error") : errors.first()));
  }
  return {};
}

ir::Shape shape_from_proto(const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) return ir::Shape::unknown();
  std::vector<std::int64_t> dims;
  dims.reserve(static_cast<std::size_t>(proto.dim_size()));
  for (const auto& d : proto.dim()) dims.push_back(d.size());
  return ir::Shape(std::move(dims));
}

Expected<ir::Shape> checked_shape_from_proto(const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) {
    if (proto.dim_size() > 0) return bad_input("shape has unknown_rank set but lists dimensions");
    return ir::Shape::unknown();
  }
  if (static_cast<std::size_t>(proto.dim_size()) > ir::Shape::kMaxRank) {
    return bad_input("shape has rank " + std::to_string(proto.dim_size()) + ", over the limit of " +
                     std::to_string(ir::Shape::kMaxRank));
  }
  for (const auto& d : proto.dim()) {
    if (d.size() < ir::Shape::kUnknownDim) {
      return bad_input("shape has a negative dimension " + std::to_string(d.size()) +
                       " (only -1, unknown, is allowed)");
    }
  }
  return shape_from_proto(proto);
}

Expected<ir::Tensor> tensor_from_proto(const tensorflow::TensorProto& proto,
                                       std::shared_ptr<const void> keep_alive) {
  const auto dtype = static_cast<ir::DType>(proto.dtype());
  if (dtype == ir::DType::Invalid) return bad_input("tensor has dtype DT_INVALID");
  if (ir::is_ref(dtype)) return bad_input("tensor has a reference dtype " + ir::dtype_name(dtype));
  auto shape = checked_shape_from_proto(proto.tensor_shape());
  if (!shape) return unexpected(std::move(shape.error()).with_context("tensor"));
  if (!shape->is_fully_defined()) {
    return bad_input("tensor shape " + shape->to_string() + " is not fully defined");
  }
  auto count = shape->num_elements();
  if (!count) return bad_input("tensor shape " + shape->to_string() + " has too many elements");
  const auto n = static_cast<std::uint64_t>(*count);

  std::uint64_t byte_size = 0;
  if (dtype == ir::DType::String) {
    if (!proto.tensor_content().empty()) {
      byte_size = proto.tensor_content().size();
    } else {
      for (const auto& s : proto.string_val()) byte_size += s.size();
    }
  } else if (auto width = element_bytes(dtype)) {
    if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / *width) {
      return bad_input("tensor of shape " + shape->to_string() + " and dtype " + ir::dtype_name(dtype) +
                       " has more bytes than fit in int64");
    }
    byte_size = n * *width;
    if (!proto.tensor_content().empty() && proto.tensor_content().size() != byte_size) {
      return bad_input("tensor_content has " + std::to_string(proto.tensor_content().size()) +
                       " bytes, but shape " + shape->to_string() + " of " + ir::dtype_name(dtype) +
                       " needs " + std::to_string(byte_size));
    }
  }
  // Without an owner the proto is about to go away (a node parsed on its own, a default
  // value): the tensor keeps a copy of it.
  auto pinned = keep_alive ? std::shared_ptr<const tensorflow::TensorProto>(std::move(keep_alive), &proto)
                           : std::make_shared<const tensorflow::TensorProto>(proto);
  ir::Tensor tensor(dtype, *shape, [pinned, dtype, n]() { return decode(pinned, dtype, n); });
  tensor.set_byte_size(byte_size);
  return tensor;
}

Expected<ir::AttrValue> attr_from_proto(const tensorflow::AttrValue& proto,
                                        const std::shared_ptr<const void>& keep_alive) {
  return convert_attr(proto, keep_alive, 0);
}

Expected<ir::Node> node_from_proto(const tensorflow::NodeDef& proto,
                                   const std::shared_ptr<const void>& keep_alive) {
  auto context = [&] { return "node " + quoted(proto.name()) + " (" + proto.op() + ")"; };
  ir::Node node;
  node.name = proto.name();
  node.op = proto.op();
  node.device = proto.device();
  node.inputs.reserve(static_cast<std::size_t>(proto.input_size()));
  for (const auto& input : proto.input()) {
    auto ref = parse_input(input);
    if (!ref) {
      return bad_input(context() + ": invalid input " + quoted(input) +
                       (input.empty() ? " (empty)" : " (expected node, node:index or ^node)"));
    }
    node.inputs.push_back(std::move(*ref));
  }
  auto attrs = convert_attrs(proto.attr(), keep_alive);
  if (!attrs) return unexpected(std::move(attrs.error()).with_context(context()));
  node.attrs = std::move(*attrs);
  seed_outputs(node);
  return node;
}

Expected<ir::Function> function_from_proto(const tensorflow::FunctionDef& proto,
                                           const std::shared_ptr<const void>& keep_alive) {
  return convert_function(proto, keep_alive, [&](ir::Function& f, const std::string& context) -> Expected<void> {
    for (const auto& nd : proto.node_def()) {
      if (auto added = add_body_node(f, nd, keep_alive, context); !added) return added;
    }
    return {};
  });
}

Expected<ir::Graph> graph_from_graphdef(const tensorflow::GraphDef& proto,
                                        std::shared_ptr<const void> keep_alive,
                                        const tensorflow::OpList* declared_ops,
                                        ConstValues const_values) {
  ir::Graph graph;
  graph.producer = proto.versions().producer();
  graph.min_consumer = proto.versions().min_consumer();
  std::uint64_t nodes = static_cast<std::uint64_t>(proto.node_size());
  for (const auto& fd : proto.library().function()) nodes += static_cast<std::uint64_t>(fd.node_def_size());
  if (auto within = check_node_total(nodes); !within) return unexpected(within.error());
  graph.nodes.mutable_nodes().reserve(static_cast<std::size_t>(proto.node_size()));
  for (const auto& nd : proto.node()) {
    if (auto added = add_node(graph, nd, keep_alive); !added) return unexpected(added.error());
  }
  graph.functions.reserve(static_cast<std::size_t>(proto.library().function_size()));
  for (const auto& fd : proto.library().function()) {
    if (auto added = add_library_entry(graph, fd, keep_alive); !added) return unexpected(added.error());
  }
  auto finished = finish_graph(graph, proto.has_debug_info() ? &proto.debug_info() : nullptr,
                               declared_ops, const_values);
  if (!finished) return unexpected(finished.error());
  return graph;
}

ir::Signature signature_from_proto(const std::string& key, const tensorflow::SignatureDef& proto) {
  ir::Signature s;
  s.key = key;
  s.method_name = proto.method_name();
  s.inputs = convert_tensor_infos(proto.inputs());
  s.outputs = convert_tensor_infos(proto.outputs());
  return s;
}

Expected<ir::Graph> graph_from_meta_graph(const tensorflow::MetaGraphDef& proto,
                                          std::shared_ptr<const void> keep_alive) {
  const auto& info = proto.meta_info_def();
  auto graph = graph_from_graphdef(proto.graph_def(), keep_alive,
                                   info.has_stripped_op_list() ? &info.stripped_op_list() : nullptr,
                                   ConstValues::Required);
  if (!graph) return unexpected(graph.error());
  describe_meta_graph(*graph, proto);
  return graph;
}

Expected<ir::Graph> graph_from_meta_graph_bytes(std::string_view bytes, tensorflow::MetaGraphDef& meta,
                                                int depth) {
  auto malformed = [] {
    return bad_input("not a valid MetaGraphDef protobuf (truncated, corrupt, or nested more than " +
                     std::to_string(kProtoRecursionLimit) + " levels deep)");
  };
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return bad_input("MetaGraphDef is over 2 GB, the protobuf limit");
  // Every field but graph_def goes into `meta`, in runs of adjacent fields; the GraphDefs
  // (normally one) are streamed below, once the stripped op list is known.
  std::vector<std::string_view> graph_defs;
  std::string_view run;
  auto flush = [&] {
    const bool ok = run.empty() || merge_binary(run, meta, depth);
    run = {};
    return ok;
  };
  wire::Reader reader(bytes);
  wire::Field field;
  while (reader.next(field)) {
    if (field.number == 2 && field.wire_type == 2) {
      if (!flush()) return malformed();
      graph_defs.push_back(field.payload);
      continue;
    }
    run = run.empty() ? field.raw : std::string_view(run.data(), static_cast<std::size_t>(
                                                                     field.raw.data() + field.raw.size() - run.data()));
  }
  if (!reader.ok() || !flush()) return malformed();

  ir::Graph graph;
  auto streamed = stream_graphdefs(graph, graph_defs, depth + 1, *meta.mutable_graph_def());
  if (!streamed) return unexpected(streamed.error());
  if (!*streamed) return malformed();
  graph.producer = meta.graph_def().versions().producer();
  graph.min_consumer = meta.graph_def().versions().min_consumer();
  const auto& info = meta.meta_info_def();
  auto finished = finish_graph(graph, meta.graph_def().has_debug_info() ? &meta.graph_def().debug_info() : nullptr,
                               info.has_stripped_op_list() ? &info.stripped_op_list() : nullptr,
                               ConstValues::Required);
  if (!finished) return unexpected(finished.error());
  describe_meta_graph(graph, meta);
  return graph;
}

}  // namespace litelint::analyzer
