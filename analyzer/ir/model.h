#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/support/file.h"

namespace litelint::ir {

/// Model file formats litelint recognises, detected from content.
enum class Format {
  SavedModel,          ///< directory with binary saved_model.pb
  SavedModelText,      ///< directory with saved_model.pbtxt
  GraphDefBinary,      ///< binary GraphDef (.pb), frozen or not
  GraphDefText,        ///< text GraphDef (.pbtxt)
  MetaGraphDefBinary,  ///< binary MetaGraphDef (.meta)
  MetaGraphDefText,    ///< text MetaGraphDef
  GraphModel,          ///< TF.js graph model (model.json + shards)
  Tflite,              ///< TensorFlow Lite FlatBuffer
  // Recognised but not read yet; loading them is an Unsupported error.
  LayersModel,         ///< TF.js layers model
  KerasH5,             ///< Keras HDF5 (.h5, .keras written as HDF5)
  KerasV3,             ///< Keras v3 .keras zip
  KerasJson,           ///< Keras architecture JSON (model.to_json()), weights elsewhere
  SavedModelChunked,   ///< saved_model.cpb (proto splitter, models over 2 GB)
};

/// The `format` string of `inspect --format json` and of the corpus manifest.
std::string_view format_name(Format f);

struct TfliteModel;  // analyzer/ir/tflite_model.h

/// Everything loaded from one model path: the TensorFlow graphs (one per MetaGraph; a GraphDef
/// or TF.js model has one), or a .tflite model.
struct Model {
  Format format = Format::GraphDefBinary;
  std::filesystem::path path;       ///< what the user named (file or directory)
  std::filesystem::path main_file;  ///< the file the graph was read from
  std::uint64_t file_bytes = 0;     ///< bytes of every file that makes up the model
  /// The main file as the loader mapped it whole, kept so that a report can hash the file
  /// without opening it again; null when the loader read it another way.
  std::shared_ptr<const MappedFile> main_mapping;
  std::vector<Graph> graphs;        ///< TensorFlow formats
  std::size_t selected_graph = 0;   ///< the MetaGraph chosen by --tags
  std::shared_ptr<const TfliteModel> tflite;  ///< Format::Tflite only
  /// Extra facts for `inspect`: TF.js converter version, generatedBy, ...
  std::vector<std::pair<std::string, std::string>> metadata;

  const Graph& graph() const { return graphs.at(selected_graph); }
  Graph& graph() { return graphs.at(selected_graph); }
};

}  // namespace litelint::ir
