#include "analyzer/loaders/detect.h"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/loaders/wire.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer {
namespace fs = std::filesystem;
namespace {

using ir::Format;

constexpr std::size_t kSniffBytes = 4096;
constexpr std::size_t kLongTextSniffBytes = 1 << 20;

tl::unexpected<Error> error_at(const fs::path& path, ErrorCode code, std::string reason) {
  return tl::unexpected<Error>(Error(code, std::move(reason)).in_file(path.string()));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Minimal protobuf wire reader: enough to tell GraphDef, MetaGraphDef and SavedModel apart
// by their top-level field numbers without parsing the whole message.
struct WireField {
  std::uint32_t number = 0;
  std::uint32_t wire_type = 0;
  std::string_view payload;  // LEN fields only
};

// Reads one field; `truncated_ok` lets a LEN payload run past the sniffed prefix.
std::optional<WireField> read_field(std::string_view& s, bool& truncated) {
  std::uint64_t key = 0;
  if (!wire::read_varint(s, key)) return std::nullopt;
  WireField f;
  f.number = static_cast<std::uint32_t>(key >> 3);
  f.wire_type = static_cast<std::uint32_t>(key & 7);
  if (f.number == 0) return std::nullopt;
  switch (f.wire_type) {
    case 0: {
      std::uint64_t v = 0;
      if (!wire::read_varint(s, v)) return std::nullopt;
      return f;
    }
    case 1:
      if (s.size() < 8) return std::nullopt;
      s.remove_prefix(8);
      return f;
    case 5:
      if (s.size() < 4) return std::nullopt;
      s.remove_prefix(4);
      return f;
    case 2: {
      std::uint64_t len = 0;
      if (!wire::read_varint(s, len)) return std::nullopt;
      if (len > s.size()) {
        f.payload = s;
        truncated = true;
        s = {};
        return f;
      }
      f.payload = s.substr(0, len);
      s.remove_prefix(len);
      return f;
    }
    default:
      return std::nullopt;
  }
}

bool is_op_name(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '>' && c != '-' && c != '/') return false;
  }
  return true;
}

// A NodeDef (GraphDef field 1) has its op name as field 2; a MetaInfoDef (MetaGraphDef field 1)
// has an OpList there, and version strings in fields 5 and 6, which a NodeDef lacks.
bool looks_like_meta_info_def(std::string_view payload) {
  bool truncated = false;
  while (!payload.empty() && !truncated) {
    auto f = read_field(payload, truncated);
    if (!f) return false;
    if (f->number == 2 && f->wire_type == 2) return !is_op_name(f->payload);
    if ((f->number == 5 || f->number == 6 || f->number == 7) && f->wire_type != 2) return true;
    if (f->number == 6 && f->wire_type == 2) return true;  // tensorflow_git_version
  }
  return false;
}

// Decides between the three TensorFlow protobuf containers from the first bytes.
std::optional<Format> sniff_binary_proto(std::string_view bytes, std::uint64_t file_size) {
  std::string_view s = bytes;
  bool truncated = false;
  int fields = 0;
  int field1 = 0;
  bool saw_varint1 = false, saw_len2 = false, saw_high = false, saw_varint3 = false;
  bool versions_like_field4 = false, map_like_field4 = false;
  bool first_field1_is_meta_info = false;
  while (!s.empty() && !truncated) {
    auto f = read_field(s, truncated);
    if (!f) {
      // A parse failure inside the sniffed prefix is only fatal when we have the whole file.
      if (bytes.size() >= file_size) return std::nullopt;
      break;
    }
    ++fields;
    if (f->number == 1 && f->wire_type == 0) saw_varint1 = true;
    if (f->number == 1 && f->wire_type == 2 && field1++ == 0) {
      first_field1_is_meta_info = looks_like_meta_info_def(f->payload);
    }
    if (f->number == 2 && f->wire_type == 2) saw_len2 = true;
    if (f->number == 3 && f->wire_type == 0) saw_varint3 = true;
    if (f->number > 5 && f->number < 16) saw_high = true;
    if (f->number > 16) return std::nullopt;
    if (f->number == 4 && f->wire_type == 2 && !f->payload.empty()) {
      const auto first = static_cast<unsigned char>(f->payload.front());
      if (first == 0x08 || first == 0x10 || first == 0x18) versions_like_field4 = true;
      if (first == 0x0a) map_like_field4 = true;
    }
  }
  if (fields == 0) return std::nullopt;
  // SavedModel: saved_model_schema_version (1, varint) + meta_graphs (2, LEN).
  if (saw_varint1) return saw_len2 || fields == 1 ? std::optional(Format::SavedModel) : std::nullopt;
  if (saw_high || map_like_field4) return Format::MetaGraphDefBinary;
  if (field1 > 1 || saw_varint3 || versions_like_field4) return Format::GraphDefBinary;
  // One field 1 (a single node, or meta_info_def) and maybe a field 2 (library, or graph_def):
  // a NodeDef's field 2 is its op name, a MetaInfoDef's is an OpList message.
  if (field1 == 1 && first_field1_is_meta_info) return Format::MetaGraphDefBinary;
  return Format::GraphDefBinary;
}

// Text protos: the first identifier that is not a comment names the top-level field.
std::optional<Format> sniff_text_proto(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    break;
  }
  std::size_t j = i;
  while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
  const std::string_view word = text.substr(i, j - i);
  if (word == "node" || word == "library" || word == "versions" || word == "version") {
    return Format::GraphDefText;
  }
  if (word == "meta_info_def" || word == "graph_def" || word == "saver_def" ||
      word == "collection_def" || word == "signature_def" || word == "asset_file_def" ||
      word == "object_graph_def") {
    return Format::MetaGraphDefText;
  }
  if (word == "saved_model_schema_version" || word == "meta_graphs") return Format::SavedModelText;
  // Only comments and whitespace: an empty GraphDef in text format (TensorFlow accepts it).
  if (i == text.size()) return Format::GraphDefText;
  return std::nullopt;
}

bool is_all_comments(std::string_view text) {
  bool in_comment = false;
  for (char c : text) {
    if (in_comment) {
      in_comment = c != '\n';
    } else if (c == '#') {
      in_comment = true;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

bool looks_like_text(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

bool is_gzip(std::string_view s) { return s.size() >= 2 && s[0] == '\x1f' && s[1] == '\x8b'; }

Expected<Format> sniff_json(const fs::path& path, std::string_view prefix) {
  // TF.js writes "format": "graph-model" / "layers-model"; older converters omit it, so look at
  // the topology: a GraphDef has "node", a Keras layers topology has "class_name".
  // Every model.json has a topology or a weights manifest; other JSON that merely mentions
  // "graph-model" (a model catalogue, a manifest) is not a model.
  const auto model_keys = [](std::string_view t) {
    return t.find("\"modelTopology\"") != std::string_view::npos ||
           t.find("\"weightsManifest\"") != std::string_view::npos;
  };
  if (model_keys(prefix)) {
    if (prefix.find("\"graph-model\"") != std::string_view::npos) return Format::GraphModel;
    if (prefix.find("\"layers-model\"") != std::string_view::npos) return Format::LayersModel;
  }
  auto whole = read_file(path, std::uint64_t{512} << 20);
  if (!whole) return unexpected(whole.error());
  const std::string& s = *whole;
  if (model_keys(s)) {
    if (s.find("\"graph-model\"") != std::string::npos) return Format::GraphModel;
    if (s.find("\"layers-model\"") != std::string::npos) return Format::LayersModel;
  }
  const auto topo = s.find("\"modelTopology\"");
  if (topo != std::string::npos) {
    const auto node = s.find("\"node\"", topo);
    const auto cls = s.find("\"class_name\"", topo);
    if (node != std::string::npos && (cls == std::string::npos || node < cls)) return Format::GraphModel;
    if (cls != std::string::npos) return Format::LayersModel;
  }
  if (s.find("\"weightsManifest\"") != std::string::npos) return Format::GraphModel;
  // model.to_json(): {"class_name": "Model" | "Sequential" | "Functional", "config": ...}.
  if (s.find("\"class_name\"") != std::string::npos && s.find("\"config\"") != std::string::npos) {
    return Format::KerasJson;
  }
  return error_at(path, ErrorCode::BadInput,
                  "JSON file is not a TF.js model (no modelTopology or weightsManifest)");
}

Expected<Detected> detect_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return error_at(path, ErrorCode::Io, "cannot read: " + ec.message());
  if (size == 0) return error_at(path, ErrorCode::BadInput, "file is empty");
  auto prefix = read_prefix(path, kSniffBytes);
  if (!prefix) return unexpected(prefix.error());
  const std::string_view head = *prefix;

  if (head.size() >= 8 && head.substr(4, 4) == "TFL3") return Detected{Format::Tflite, path};
  if (starts_with(head, "\x89HDF\r\n\x1a\n")) return Detected{Format::KerasH5, path};
  if (starts_with(head, "PK\x03\x04")) {
    if (head.find("config.json") != std::string_view::npos ||
        head.find("metadata.json") != std::string_view::npos ||
        head.find("model.weights.h5") != std::string_view::npos) {
      return Detected{Format::KerasV3, path};
    }
    return error_at(path, ErrorCode::BadInput, "zip archive that is not a Keras v3 .keras file");
  }
  if (is_gzip(head)) {
    // Gzip'd text GraphDefs exist upstream (OpenSeq2Seq); the GraphDef loader inflates them.
    return Detected{Format::GraphDefText, path};
  }
  // JSON: skip a UTF-8 BOM and whitespace.
  std::size_t k = starts_with(head, "\xEF\xBB\xBF") ? 3 : 0;
  while (k < head.size() && std::isspace(static_cast<unsigned char>(head[k]))) ++k;
  if (k < head.size() && head[k] == '{') {
    auto fmt = sniff_json(path, head);
    if (!fmt) return unexpected(fmt.error());
    return Detected{*fmt, path};
  }
  if (looks_like_text(head)) {
    // Converter tests carry long RUN/CHECK comment headers: look further when the sniffed
    // prefix held nothing but comments.
    std::string longer;
    std::string_view text = head;
    if (size > head.size() && is_all_comments(head)) {
      auto more = read_prefix(path, kLongTextSniffBytes);
      if (!more) return unexpected(more.error());
      longer = std::move(*more);
      text = longer;
    }
    if (auto fmt = sniff_text_proto(text)) return Detected{*fmt, path};
    return error_at(path, ErrorCode::BadInput,
                    "text file that is not a GraphDef, MetaGraphDef or SavedModel in protobuf "
                    "text format");
  }
  if (auto fmt = sniff_binary_proto(head, size)) return Detected{*fmt, path};
  return error_at(path, ErrorCode::BadInput,
                  "unrecognised file format (not a SavedModel, GraphDef, MetaGraphDef, TF.js "
                  "model, Keras file or .tflite)");
}

Expected<Detected> detect_directory(const fs::path& dir) {
  auto exists = [&](const char* name) {
    std::error_code ec;
    return fs::is_regular_file(dir / name, ec);
  };
  if (exists("saved_model.pb")) {
    // A plain GraphDef saved under this name happens (TFLearn); trust the content.
    auto inner = detect_file(dir / "saved_model.pb");
    if (!inner) return inner;
    if (inner->format == Format::SavedModel) return Detected{Format::SavedModel, dir / "saved_model.pb"};
    return inner;
  }
  if (exists("saved_model.pbtxt")) {
    auto inner = detect_file(dir / "saved_model.pbtxt");
    if (!inner) return inner;
    if (inner->format == Format::SavedModelText) {
      return Detected{Format::SavedModelText, dir / "saved_model.pbtxt"};
    }
    return inner;
  }
  if (exists("saved_model.cpb")) return Detected{Format::SavedModelChunked, dir / "saved_model.cpb"};
  if (exists("model.json")) return detect_file(dir / "model.json");
  return error_at(dir, ErrorCode::BadInput,
                  "directory is neither a SavedModel (no saved_model.pb or saved_model.pbtxt) "
                  "nor a TF.js model (no model.json)");
}

}  // namespace

Expected<Detected> detect_format(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return error_at(path, ErrorCode::NotFound, "no such file or directory");
  if (fs::is_directory(status)) return detect_directory(path);
  if (!fs::is_regular_file(status)) return error_at(path, ErrorCode::BadInput, "not a regular file");
  return detect_file(path);
}

}  // namespace litelint::analyzer
