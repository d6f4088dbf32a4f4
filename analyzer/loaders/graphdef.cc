#include "analyzer/loaders/graphdef.h"

#include <google/protobuf/io/gzip_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cctype>
#include <string>
#include <string_view>
#include <system_error>

#include "analyzer/loaders/debug_info.h"
#include "analyzer/loaders/proto_to_ir.h"
#include "analyzer/loaders/savedmodel.h"
#include "analyzer/proto/graph.pb.h"
#include "analyzer/proto/graph_debug_info.pb.h"
#include "analyzer/proto/meta_graph.pb.h"
#include "analyzer/support/file.h"
#include "analyzer/support/input_limits.h"

namespace litelint::analyzer {
namespace fs = std::filesystem;
namespace {

bool is_gzip(std::string_view s) { return s.size() >= 2 && s[0] == '\x1f' && s[1] == '\x8b'; }

Expected<std::string> inflate(std::string_view compressed) {
  google::protobuf::io::ArrayInputStream raw(compressed.data(), static_cast<int>(compressed.size()));
  google::protobuf::io::GzipInputStream gz(&raw, google::protobuf::io::GzipInputStream::AUTO);
  std::string out;
  const void* chunk = nullptr;
  int size = 0;
  while (gz.Next(&chunk, &size)) {
    if (out.size() + static_cast<std::uint64_t>(size) > input_limit(InputLimit::FileBytes)) {
      return unexpected(input_limit_error(InputLimit::FileBytes, "the inflated gzip data (so far)",
                                          out.size() + static_cast<std::uint64_t>(size)));
    }
    out.append(static_cast<const char*>(chunk), static_cast<std::size_t>(size));
  }
  if (gz.ZlibErrorCode() < 0) {
    return bad_input(std::string("corrupt gzip data") +
                     (gz.ZlibErrorMessage() ? std::string(": ") + gz.ZlibErrorMessage() : std::string()));
  }
  return out;
}

// The first field name of a text proto, skipping '#' comments.
std::string_view first_field(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else {
      break;
    }
  }
  std::size_t j = i;
  while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
  return text.substr(i, j - i);
}

bool is_meta_graph_field(std::string_view f) {
  return f == "meta_info_def" || f == "graph_def" || f == "saver_def" || f == "collection_def" ||
         f == "signature_def" || f == "asset_file_def" || f == "object_graph_def";
}

}  // namespace

Expected<ir::Model> load_graphdef(const Detected& detected, const LoadOptions& options) {
  const fs::path& file = detected.main_file;
  auto fail_in_file = [&](Error e) { return unexpected(std::move(e).in_file(file.string())); };

  auto mapped = MappedFile::open(file);
  if (!mapped) return unexpected(mapped.error());
  std::string_view bytes = (*mapped)->view();
  std::string inflated;
  if (is_gzip(bytes)) {
    auto text = inflate(bytes);
    if (!text) return fail_in_file(text.error());
    inflated = std::move(*text);
    bytes = inflated;
  }

  ir::Format format = detected.format;
  if (!inflated.empty() && format == ir::Format::GraphDefText && is_meta_graph_field(first_field(bytes))) {
    format = ir::Format::MetaGraphDefText;
  }

  Expected<ir::Graph> graph = bad_input("not a GraphDef");
  switch (format) {
    case ir::Format::GraphDefBinary:
    case ir::Format::GraphDefText: {
      auto proto = std::make_shared<tensorflow::GraphDef>();
      auto parsed = format == ir::Format::GraphDefText ? parse_text_proto(bytes, *proto, "GraphDef")
                                                       : parse_binary_proto(bytes, *proto, "GraphDef");
      if (!parsed && format == ir::Format::GraphDefBinary) {
        // Detection tells the two binary containers apart from a few bytes; when it guessed
        // GraphDef for a MetaGraphDef, the whole parse decides.
        auto meta = std::make_shared<tensorflow::MetaGraphDef>();
        if (parse_binary_proto(bytes, *meta, "MetaGraphDef") && meta->has_graph_def()) {
          format = ir::Format::MetaGraphDefBinary;
          graph = graph_from_meta_graph(*meta, meta);
          break;
        }
        if (file.filename() == "saved_model.pb") {
          return load_saved_model(Detected{ir::Format::SavedModel, file}, options);
        }
      }
      if (!parsed) return fail_in_file(parsed.error());
      graph = graph_from_graphdef(*proto, proto, nullptr, ConstValues::Required);
      break;
    }
    case ir::Format::MetaGraphDefBinary:
    case ir::Format::MetaGraphDefText: {
      auto proto = std::make_shared<tensorflow::MetaGraphDef>();
      auto parsed = format == ir::Format::MetaGraphDefText
                        ? parse_text_proto(bytes, *proto, "MetaGraphDef")
                        : parse_binary_proto(bytes, *proto, "MetaGraphDef");
      if (!parsed) return fail_in_file(parsed.error());
      graph = graph_from_meta_graph(*proto, proto);
      break;
    }
    default:
      return fail_in_file(Error(ErrorCode::Internal, "load_graphdef called for " +
                                                         std::string(ir::format_name(format))));
  }
  if (!graph) return fail_in_file(graph.error());

  ir::Model model;
  model.format = format;
  model.path = file;
  model.main_file = file;
  model.file_bytes = (*mapped)->size();
  model.main_mapping = std::move(*mapped);

  // Upstream's importer tests keep stack traces beside the graph as `<file>.debug`.
  if (format == ir::Format::GraphDefText) {
    fs::path debug = file;
    debug += ".debug";
    std::error_code ec;
    if (fs::is_regular_file(debug, ec)) {
      tensorflow::GraphDebugInfo info;
      auto text = read_file(debug, std::uint64_t{256} << 20);
      if (text && parse_text_proto(*text, info, "GraphDebugInfo")) {
        apply_debug_info(*graph, info);
        model.file_bytes += text->size();
      } else {
        model.metadata.emplace_back("debug_info", "unreadable: " + debug.filename().string());
      }
    }
  }
  model.graphs.push_back(std::move(*graph));
  return model;
}

}  // namespace litelint::analyzer
