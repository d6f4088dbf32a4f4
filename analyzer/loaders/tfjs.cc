#include "analyzer/loaders/tfjs.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include "analyzer/loaders/proto_to_ir.h"
#include "analyzer/loaders/tfjs_weights.h"
#include "analyzer/proto/graph.pb.h"
#include "analyzer/proto/meta_graph.pb.h"
#include "analyzer/proto/types.pb.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

// Metadata values are for `inspect`; a userDefinedMetadata blob can be large.
constexpr std::size_t kMaxMetadataValueChars = 1024;

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string clipped(std::string s) {
  if (s.size() > kMaxMetadataValueChars) {
    s.resize(kMaxMetadataValueChars);
    s += "...";
  }
  return s;
}

// A JSON value as metadata text: strings without their quotes, anything else as compact JSON.
std::string metadata_text(const json& v) {
  return clipped(v.is_string() ? v.get<std::string>() : v.dump());
}

// Parses one proto3-JSON message of model.json (GraphDef, SignatureDef). TF.js writes lowerCamel
// names and int64 as strings, which protobuf's JSON parser reads as it reads its own output;
// fields litelint's protos do not declare are skipped.
Expected<void> message_from_json(const json& value, google::protobuf::Message& message,
                                 std::string_view where) {
  std::string text;
  try {
    text = value.dump();
  } catch (const json::exception& e) {
    // dump() throws on strings that are not UTF-8.
    return bad_input(std::string(where) + ": " + e.what());
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &message, options);
  if (!status.ok()) {
    return bad_input(std::string(where) + " is not a valid " + message.GetTypeName() + ": " +
                     std::string(status.message()));
  }
  return {};
}

// Reads modelTopology into a GraphDef directly from the parsed JSON, instead of printing it
// and having protobuf's JSON parser read it again (that round trip was half of loading a
// TF.js model). It takes only what it reads exactly as protobuf's proto3-JSON parser (with
// unknown fields ignored) would: one spelling of each field, ASCII strings, int64 as integers
// or plain decimal strings, standard base64, enum names, tensors given by dtype and shape.
// Anything else returns false and the caller falls back to protobuf's parser, whose result
// and error messages are the reference.
class JsonGraphReader {
 public:
  bool read(const json& topology, tensorflow::GraphDef& out) {
    if (!topology.is_object()) return false;
    if (has(topology, "version") || has(topology, "debugInfo") || has(topology, "debug_info")) return false;
    if (const json* library = field(topology, "library", "library"); library && !(library->is_object() && library->empty())) {
      return false;  // function libraries (rare in TF.js) go through protobuf
    }
    if (const json* versions = field(topology, "versions", "versions")) {
      if (!versions->is_object()) return false;
      auto* v = out.mutable_versions();
      std::int64_t n = 0;
      if (const json* p = field(*versions, "producer", "producer")) {
        if (!int_value(*p, INT32_MIN, INT32_MAX, n)) return false;
        v->set_producer(static_cast<std::int32_t>(n));
      }
      if (const json* p = field(*versions, "minConsumer", "min_consumer")) {
        if (!int_value(*p, INT32_MIN, INT32_MAX, n)) return false;
        v->set_min_consumer(static_cast<std::int32_t>(n));
      }
      if (const json* p = field(*versions, "badConsumers", "bad_consumers")) {
        if (!p->is_array()) return false;
        for (const json& e : *p) {
          if (!int_value(e, INT32_MIN, INT32_MAX, n)) return false;
          v->add_bad_consumers(static_cast<std::int32_t>(n));
        }
      }
      if (ambiguous_) return false;
    }
    if (const json* nodes = field(topology, "node", "node")) {
      if (!nodes->is_array()) return false;
      out.mutable_node()->Reserve(static_cast<int>(nodes->size()));
      for (const json& n : *nodes) {
        if (!node(n, *out.add_node())) return false;
      }
    }
    return !ambiguous_;
  }

 private:
  static bool has(const json& obj, const char* key) { return obj.find(key) != obj.end(); }

  // A field under its JSON name or its proto name; both present is left to protobuf. A null
  // value is also left to protobuf (it reads null as "not set" for some fields only).
  const json* field(const json& obj, const char* json_name, const char* proto_name) {
    auto a = obj.find(json_name);
    auto b = std::strcmp(json_name, proto_name) == 0 ? obj.end() : obj.find(proto_name);
    if (a != obj.end() && b != obj.end()) ambiguous_ = true;
    const json* v = a != obj.end() ? &*a : b != obj.end() ? &*b : nullptr;
    if (v && v->is_null()) ambiguous_ = true;
    return v;
  }

  static bool ascii_string(const json& v, std::string& out) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    for (char c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    out = s;
    return true;
  }

  static bool int_value(const json& v, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    if (v.is_number_integer() && !v.is_number_unsigned()) {
      out = v.get<std::int64_t>();
    } else if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
      out = static_cast<std::int64_t>(u);
    } else if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      const std::size_t digits = !s.empty() && s.front() == '-' ? 1 : 0;
      if (s.size() <= digits || s.size() > digits + 19) return false;
      if (s[digits] == '0' && s.size() > digits + 1) return false;
      for (std::size_t i = digits; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
      }
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec != std::errc() || ptr != s.data() + s.size()) return false;
    } else {
      return false;
    }
    return out >= lo && out <= hi;
  }

  static bool float_value(const json& v, float& out) {
    double d = 0;
    if (v.is_number_float()) {
      d = v.get<double>();
    } else if (v.is_number_integer()) {
      std::int64_t n = 0;
      if (!int_value(v, -(std::int64_t{1} << 24), std::int64_t{1} << 24, n)) return false;
      d = static_cast<double>(n);
    } else {
      return false;
    }
    if (!std::isfinite(d) || std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max())) return false;
    out = static_cast<float>(d);
    return true;
  }

  static bool dtype_value(const json& v, int& out) {
    if (!v.is_string()) return false;
    tensorflow::DataType t;
    if (!tensorflow::DataType_Parse(v.get_ref<const std::string&>(), &t)) return false;
    out = t;
    return true;
  }

  // Standard base64 with padding, as TF.js and nlohmann-era converters write it.
  static bool base64_value(const json& v, std::string& out) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() % 4 != 0) return false;
    out.clear();
    out.reserve(s.size() / 4 * 3);
    auto sextet = [](char c) -> int {
      if (c >= 'A' && c <= 'Z') return c - 'A';
      if (c >= 'a' && c <= 'z') return c - 'a' + 26;
      if (c >= '0' && c <= '9') return c - '0' + 52;
      if (c == '+') return 62;
      if (c == '/') return 63;
      return -1;
    };
    for (std::size_t i = 0; i < s.size(); i += 4) {
      const bool last = i + 4 == s.size();
      const int pad = last ? (s[i + 3] == '=') + (s[i + 2] == '=') : 0;
      if (pad == 1 && s[i + 2] == '=') return false;
      std::uint32_t bits = 0;
      for (int k = 0; k < 4; ++k) {
        const int x = k >= 4 - pad ? 0 : sextet(s[i + static_cast<std::size_t>(k)]);
        if (x < 0) return false;
        bits = (bits << 6) | static_cast<std::uint32_t>(x);
      }
      // Non-zero bits under the padding: protobuf's decoder refuses those.
      if ((pad == 1 && (bits & 0xff) != 0) || (pad == 2 && (bits & 0xffff) != 0)) return false;
      out += static_cast<char>(bits >> 16);
      if (pad < 2) out += static_cast<char>((bits >> 8) & 0xff);
      if (pad < 1) out += static_cast<char>(bits & 0xff);
    }
    return true;
  }

  bool node(const json& n, tensorflow::NodeDef& out) {
    if (!n.is_object()) return false;
    if (has(n, "experimentalDebugInfo") || has(n, "experimental_debug_info") || has(n, "experimentalType") ||
        has(n, "experimental_type")) {
      return false;
    }
    std::string text;
    if (const json* v = field(n, "name", "name")) {
      if (!ascii_string(*v, text)) return false;
      out.set_name(text);
    }
    if (const json* v = field(n, "op", "op")) {
      if (!ascii_string(*v, text)) return false;
      out.set_op(text);
    }
    if (const json* v = field(n, "device", "device")) {
      if (!ascii_string(*v, text)) return false;
      out.set_device(text);
    }
    if (const json* v = field(n, "input", "input")) {
      if (!v->is_array()) return false;
      for (const json& e : *v) {
        if (!ascii_string(e, text)) return false;
        out.add_input(text);
      }
    }
    if (const json* v = field(n, "attr", "attr")) {
      if (!attr_map(*v, *out.mutable_attr())) return false;
    }
    return !ambiguous_;
  }

  bool attr_map(const json& v, google::protobuf::Map<std::string, tensorflow::AttrValue>& out) {
    if (!v.is_object()) return false;
    for (const auto& [key, value] : v.items()) {
      for (char c : key) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
      }
      if (!attr_value(value, out[key])) return false;
    }
    return true;
  }

  // Where element() puts a decoded value: an AttrValue's own field (set_*) or one more entry
  // of its list (add_*). The JSON forms are the same either way.
  struct SetInAttr {
    tensorflow::AttrValue& out;
    void s(const std::string& v) { out.set_s(v); }
    void i(std::int64_t v) { out.set_i(v); }
    void f(float v) { out.set_f(v); }
    void b(bool v) { out.set_b(v); }
    void type(int v) { out.set_type(static_cast<tensorflow::DataType>(v)); }
    tensorflow::TensorShapeProto& shape() { return *out.mutable_shape(); }
    tensorflow::TensorProto& tensor() { return *out.mutable_tensor(); }
    tensorflow::NameAttrList& func() { return *out.mutable_func(); }
  };
  struct AddToList {
    tensorflow::AttrValue::ListValue& out;
    void s(const std::string& v) { out.add_s(v); }
    void i(std::int64_t v) { out.add_i(v); }
    void f(float v) { out.add_f(v); }
    void b(bool v) { out.add_b(v); }
    void type(int v) { out.add_type(static_cast<tensorflow::DataType>(v)); }
    tensorflow::TensorShapeProto& shape() { return *out.add_shape(); }
    tensorflow::TensorProto& tensor() { return *out.add_tensor(); }
    tensorflow::NameAttrList& func() { return *out.add_func(); }
  };

  // The value kinds an AttrValue and its ListValue share.
  static bool is_element_kind(std::string_view key) {
    return key == "s" || key == "i" || key == "f" || key == "b" || key == "type" || key == "shape" ||
           key == "tensor" || key == "func";
  }

  // Decodes one value of kind `key` (is_element_kind) into `sink`.
  template <typename Sink>
  bool element(std::string_view key, const json& v, Sink&& sink) {
    if (key == "s") {
      std::string text;
      if (!base64_value(v, text)) return false;
      sink.s(text);
    } else if (key == "i") {
      std::int64_t n = 0;
      if (!int_value(v, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), n)) return false;
      sink.i(n);
    } else if (key == "f") {
      float f = 0;
      if (!float_value(v, f)) return false;
      sink.f(f);
    } else if (key == "b") {
      if (!v.is_boolean()) return false;
      sink.b(v.get<bool>());
    } else if (key == "type") {
      int t = 0;
      if (!dtype_value(v, t)) return false;
      sink.type(t);
    } else if (key == "shape") {
      return shape_value(v, sink.shape());
    } else if (key == "tensor") {
      return tensor_value(v, sink.tensor());
    } else {
      return func_value(v, sink.func());
    }
    return true;
  }

  bool attr_value(const json& v, tensorflow::AttrValue& out) {
    if (!v.is_object() || ++depth_ > 32) return false;
    int set = 0;
    std::string text;
    for (const auto& [key, value] : v.items()) {
      if (value.is_null()) return false;
      if (is_element_kind(key)) {
        if (!element(key, value, SetInAttr{out})) return false;
      } else if (key == "list") {
        if (!list_value(value, *out.mutable_list())) return false;
      } else if (key == "placeholder") {
        if (!ascii_string(value, text)) return false;
        out.set_placeholder(text);
      } else {
        continue;  // unknown to AttrValue: protobuf ignores it
      }
      ++set;
    }
    --depth_;
    return set <= 1;  // two members of the oneof: protobuf's error
  }

  bool shape_value(const json& v, tensorflow::TensorShapeProto& out) {
    if (!v.is_object()) return false;
    if (const json* dims = field(v, "dim", "dim")) {
      if (!dims->is_array()) return false;
      for (const json& d : *dims) {
        if (!d.is_object()) return false;
        auto* dim = out.add_dim();
        if (const json* size = field(d, "size", "size")) {
          std::int64_t n = 0;
          if (!int_value(*size, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), n)) return false;
          dim->set_size(n);
        }
        if (const json* name = field(d, "name", "name")) {
          std::string text;
          if (!ascii_string(*name, text)) return false;
          dim->set_name(text);
        }
      }
    }
    if (const json* unknown = field(v, "unknownRank", "unknown_rank")) {
      if (!unknown->is_boolean()) return false;
      out.set_unknown_rank(unknown->get<bool>());
    }
    return !ambiguous_;
  }

  bool tensor_value(const json& v, tensorflow::TensorProto& out) {
    if (!v.is_object()) return false;
    // Values are in the weight shards; a topology tensor with values of its own is rare.
    static constexpr const char* kValueFields[] = {
        "tensorContent", "tensor_content", "halfVal", "half_val", "floatVal", "float_val", "doubleVal",
        "double_val", "intVal", "int_val", "stringVal", "string_val", "scomplexVal", "scomplex_val",
        "int64Val", "int64_val", "boolVal", "bool_val", "dcomplexVal", "dcomplex_val", "resourceHandleVal",
        "resource_handle_val", "variantVal", "variant_val", "uint32Val", "uint32_val", "uint64Val",
        "uint64_val", "float8Val", "float8_val", "versionNumber", "version_number"};
    for (const char* key : kValueFields) {
      auto it = v.find(key);
      if (it != v.end() && !(it->is_array() && it->empty())) return false;
    }
    if (const json* dtype = field(v, "dtype", "dtype")) {
      int t = 0;
      if (!dtype_value(*dtype, t)) return false;
      out.set_dtype(static_cast<tensorflow::DataType>(t));
    }
    if (const json* shape = field(v, "tensorShape", "tensor_shape")) {
      if (!shape_value(*shape, *out.mutable_tensor_shape())) return false;
    }
    return !ambiguous_;
  }

  bool list_value(const json& v, tensorflow::AttrValue::ListValue& out) {
    if (!v.is_object()) return false;
    for (const auto& [key, value] : v.items()) {
      if (!is_element_kind(key)) continue;
      if (!value.is_array()) return false;
      for (const json& e : value) {
        if (!element(key, e, AddToList{out})) return false;
      }
    }
    return true;
  }

  bool func_value(const json& v, tensorflow::NameAttrList& out) {
    if (!v.is_object()) return false;
    if (const json* name = field(v, "name", "name")) {
      std::string text;
      if (!ascii_string(*name, text)) return false;
      out.set_name(text);
    }
    if (const json* attrs = field(v, "attr", "attr")) {
      if (!attr_map(*attrs, *out.mutable_attr())) return false;
    }
    return !ambiguous_;
  }

  bool ambiguous_ = false;
  int depth_ = 0;
};

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 0x3f] : '=';
    }
  }
  return out;
}

// Converters before 1.0 wrote bytes fields as arrays of byte values ("s": [78, 72, 87, 67]
// for "NHWC") instead of proto3 JSON's base64; rewrite those in place. Anything else is left
// for protobuf's parser to accept or reject.
void rewrite_byte_array(json& v) {
  if (!v.is_array()) return;
  std::string bytes;
  for (const json& b : v) {
    if (!b.is_number_unsigned() || b.get<std::uint64_t>() > 255) return;
    bytes += static_cast<char>(b.get<std::uint64_t>());
  }
  v = base64(bytes);
}

void rewrite_byte_arrays_in_tensor(json& tensor) {
  if (!tensor.is_object()) return;
  for (const char* key : {"tensorContent", "tensor_content"}) {
    if (auto it = tensor.find(key); it != tensor.end()) rewrite_byte_array(*it);
  }
  for (const char* key : {"stringVal", "string_val"}) {
    if (auto it = tensor.find(key); it != tensor.end() && it->is_array()) {
      for (json& e : *it) rewrite_byte_array(e);
    }
  }
}

void rewrite_byte_arrays_in_attrs(json& attrs) {
  if (!attrs.is_object()) return;
  for (auto& [key, value] : attrs.items()) {
    if (!value.is_object()) continue;
    if (auto s = value.find("s"); s != value.end()) rewrite_byte_array(*s);
    if (auto t = value.find("tensor"); t != value.end()) rewrite_byte_arrays_in_tensor(*t);
    if (auto list = value.find("list"); list != value.end() && list->is_object()) {
      if (auto s = list->find("s"); s != list->end() && s->is_array()) {
        for (json& e : *s) rewrite_byte_array(e);
      }
      if (auto t = list->find("tensor"); t != list->end() && t->is_array()) {
        for (json& e : *t) rewrite_byte_arrays_in_tensor(e);
      }
    }
  }
}

void rewrite_legacy_bytes(json& topology) {
  auto nodes_of = [](json& holder, const char* key) {
    if (auto it = holder.find(key); it != holder.end() && it->is_array()) {
      for (json& node : *it) {
        if (!node.is_object()) continue;
        if (auto attrs = node.find("attr"); attrs != node.end()) rewrite_byte_arrays_in_attrs(*attrs);
      }
    }
  };
  nodes_of(topology, "node");
  auto library = topology.find("library");
  if (library == topology.end() || !library->is_object()) return;
  auto functions = library->find("function");
  if (functions == library->end() || !functions->is_array()) return;
  for (json& f : *functions) {
    if (!f.is_object()) continue;
    nodes_of(f, "nodeDef");
    nodes_of(f, "node_def");
    if (auto attrs = f.find("attr"); attrs != f.end()) rewrite_byte_arrays_in_attrs(*attrs);
  }
}

// Every node of the graph and of its function bodies by name. TF.js names a function's
// constant `<function>/<node>` in the body itself, so one map serves both.
std::unordered_map<std::string, ir::Node*> nodes_by_name(ir::Graph& graph) {
  std::unordered_map<std::string, ir::Node*> out;
  for (ir::Node& n : graph.nodes.mutable_nodes()) out.emplace(n.name, &n);
  for (ir::Function& f : graph.functions) {
    for (ir::Node& n : f.body.mutable_nodes()) out.emplace(n.name, &n);
  }
  return out;
}

ir::DType const_dtype(const ir::Node& node) {
  if (const ir::AttrValue* a = node.attr("dtype")) {
    if (const ir::DType* t = a->as_type()) return *t;
  }
  if (const ir::AttrValue* a = node.attr("value")) {
    if (const ir::Tensor* t = a->as_tensor()) return t->dtype();
  }
  return ir::DType::Invalid;
}

// A value whose bytes are not shipped: the dtype and shape are known, load() says why there
// are no bytes (rather than returning the zeros an emptied TensorProto decodes to).
ir::Tensor absent_weight(const tfjs::WeightSpec& spec, ir::DType dtype, std::string reason) {
  ir::Tensor::Loader loader = [reason = std::move(reason)]() -> Expected<ir::TensorBytes> {
    return fail(ErrorCode::NotFound, reason);
  };
  return ir::Tensor(dtype, ir::Shape(spec.shape), std::move(loader));
}

struct AttachStats {
  std::size_t attached = 0;
  std::size_t unmatched = 0;
};

// Gives each weight's Const node its value; `make` builds the tensor for a spec and target.
template <typename MakeTensor>
AttachStats attach_weights(ir::Graph& graph, const tfjs::WeightsManifest& manifest,
                           MakeTensor&& make) {
  AttachStats stats;
  auto by_name = nodes_by_name(graph);
  for (const tfjs::WeightSpec& spec : manifest.weights) {
    auto it = by_name.find(spec.name);
    // Weights of the initializer graph (modelInitializer) have no node in the topology.
    if (it == by_name.end() || it->second->op != "Const") {
      ++stats.unmatched;
      continue;
    }
    ir::Node& node = *it->second;
    const ir::DType target = tfjs::decoded_dtype(spec, const_dtype(node));
    node.attrs["value"] = ir::AttrValue{make(spec, target)};
    ++stats.attached;
  }
  return stats;
}

}  // namespace

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

Expected<ir::Model> load_tfjs(const Detected& detected, const LoadOptions& /*options*/) {
  const fs::path& file = detected.main_file;
  const std::string file_name = file.string();
  auto fail_in_file = [&](Error e) { return unexpected(std::move(e).in_file(file_name)); };

  auto text = read_file(file, kMaxTfjsModelJsonBytes);
  if (!text) return unexpected(text.error());
  if (json_nesting_depth(*text, kMaxTfjsJsonDepth) > kMaxTfjsJsonDepth) {
    return fail_in_file(Error(ErrorCode::BadInput, "JSON nests deeper than " +
                                                       std::to_string(kMaxTfjsJsonDepth) +
                                                       " levels; not a TF.js model"));
  }
  json root;
  try {
    root = json::parse(*text);
  } catch (const json::parse_error& e) {
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line 1,
    // column 5: ..."; keep the part after the id.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return fail_in_file(std::move(Error(ErrorCode::BadInput, "not valid JSON: " + what)).at_offset(e.byte));
  } catch (const json::exception& e) {
    return fail_in_file(Error(ErrorCode::BadInput, std::string("not valid JSON: ") + e.what()));
  }
  if (!root.is_object()) return fail_in_file(Error(ErrorCode::BadInput, "model.json is not a JSON object"));

  // Very old converters wrote no `format`; the topology tells a GraphDef from a Keras config.
  const json* format = root.contains("format") ? &root["format"] : nullptr;
  if (format != nullptr && !format->is_null()) {
    if (!format->is_string()) return fail_in_file(Error(ErrorCode::BadInput, "\"format\" is not a string"));
    const std::string& f = format->get_ref<const std::string&>();
    if (f == "layers-model") {
      return fail_in_file(Error(ErrorCode::Unsupported, "TF.js layers models are not supported yet"));
    }
    if (f != "graph-model") {
      return fail_in_file(Error(ErrorCode::BadInput, "unknown TF.js model format " + in_quotes(f)));
    }
  }
  auto topology_it = root.find("modelTopology");
  if (topology_it == root.end() || !topology_it->is_object()) {
    return fail_in_file(Error(ErrorCode::BadInput, "\"modelTopology\" is missing or not an object"));
  }
  if (!topology_it->contains("node") && topology_it->contains("model_config")) {
    return fail_in_file(Error(ErrorCode::Unsupported, "TF.js layers models are not supported yet"));
  }

  rewrite_legacy_bytes(*topology_it);
  auto proto = std::make_shared<tensorflow::GraphDef>();
  if (!JsonGraphReader().read(*topology_it, *proto)) {
    proto->Clear();
    if (auto r = message_from_json(*topology_it, *proto, "modelTopology"); !r) return fail_in_file(r.error());
  }
  auto graph = graph_from_graphdef(*proto, proto);
  if (!graph) return fail_in_file(graph.error());

  // Converter 1.x put the signature under userDefinedMetadata.
  const json* signature = nullptr;
  if (auto it = root.find("signature"); it != root.end() && !it->is_null()) {
    signature = &*it;
  } else if (auto udm = root.find("userDefinedMetadata"); udm != root.end() && udm->is_object()) {
    if (auto s = udm->find("signature"); s != udm->end() && !s->is_null()) signature = &*s;
  }
  if (signature != nullptr) {
    tensorflow::SignatureDef def;
    if (auto r = message_from_json(*signature, def, "signature"); !r) return fail_in_file(r.error());
    graph->signatures.push_back(signature_from_proto("serving_default", def));
  }

  ir::Model model;
  model.format = ir::Format::GraphModel;
  model.path = file;
  model.main_file = file;
  model.file_bytes = text->size();
  for (const char* key : {"format", "generatedBy", "convertedBy"}) {
    if (auto it = root.find(key); it != root.end() && !it->is_null()) {
      model.metadata.emplace_back(key, metadata_text(*it));
    }
  }
  if (auto udm = root.find("userDefinedMetadata"); udm != root.end() && udm->is_object()) {
    for (const auto& [key, value] : udm->items()) {
      if (key == "signature") continue;  // already graph->signatures
      model.metadata.emplace_back("userDefinedMetadata." + key, metadata_text(value));
    }
  }
  if (auto init = root.find("modelInitializer"); init != root.end() && init->is_object()) {
    const auto nodes = init->find("node");
    const std::size_t count = nodes != init->end() && nodes->is_array() ? nodes->size() : 0;
    model.metadata.emplace_back("modelInitializer",
                                std::to_string(count) + " nodes (not analysed)");
  }
  // generatedBy is the source TensorFlow version for the official converter; hand-converted
  // models put a URL there.
  if (auto it = root.find("generatedBy"); it != root.end() && it->is_string()) {
    const std::string& v = it->get_ref<const std::string&>();
    if (!v.empty() && v.front() >= '0' && v.front() <= '9') graph->tf_version = v;
  }

  auto manifest_it = root.find("weightsManifest");
  if (manifest_it == root.end() || manifest_it->is_null()) {
    model.metadata.emplace_back("weights", "no weightsManifest");
    model.graphs.push_back(std::move(*graph));
    return model;
  }
  auto manifest = tfjs::parse_weights_manifest(*manifest_it);
  if (!manifest) return fail_in_file(manifest.error());

  const fs::path dir = file.parent_path();
  std::vector<std::string> missing;
  for (const std::string& p : manifest->paths) {
    std::error_code ec;
    if (!fs::exists(dir / p, ec)) missing.push_back(p);
  }
  if (!missing.empty() && missing.size() == manifest->paths.size()) {
    // A topology-only copy (shards not shipped): still worth linting, but no values.
    const std::string reason = "weight shards of " + file.filename().string() +
                               " are not present (first missing: " + missing.front() + ")";
    attach_weights(*graph, *manifest, [&](const tfjs::WeightSpec& spec, ir::DType target) {
      return absent_weight(spec, target, reason);
    });
    model.metadata.emplace_back("weights", "not present (" + std::to_string(missing.size()) +
                                               " shard files missing)");
    model.graphs.push_back(std::move(*graph));
    return model;
  }
  if (!missing.empty()) {
    return unexpected(Error(ErrorCode::NotFound, "weight shard " + in_quotes(missing.front()) +
                                                     " listed in " + file.filename().string() +
                                                     " is missing")
                          .in_file((dir / missing.front()).string()));
  }
  auto shards = tfjs::ShardSet::open(dir, manifest->paths);
  if (!shards) return unexpected(shards.error());
  if (auto r = tfjs::layout_weights(*manifest, **shards); !r) return fail_in_file(r.error());
  model.file_bytes += (*shards)->size();

  const auto stats = attach_weights(*graph, *manifest, [&](const tfjs::WeightSpec& spec, ir::DType target) {
    return tfjs::make_weight_tensor(*shards, spec, target);
  });
  model.metadata.emplace_back("weights", std::to_string(stats.attached) + " tensors in " +
                                             std::to_string(manifest->paths.size()) + " shard files");
  if (stats.unmatched > 0) {
    model.metadata.emplace_back("weights_without_const",
                                std::to_string(stats.unmatched) + " manifest entries");
  }
  model.graphs.push_back(std::move(*graph));
  return model;
}

}  // namespace litelint::analyzer
