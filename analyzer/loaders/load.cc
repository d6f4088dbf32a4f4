#include "analyzer/loaders/load.h"

#include <system_error>

#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/graphdef.h"
#include "analyzer/loaders/keras/keras_loader.h"
#include "analyzer/loaders/savedmodel.h"
#include "analyzer/loaders/tfjs.h"
#include "analyzer/loaders/tflite.h"
#include "analyzer/support/input_limits.h"

namespace litelint::analyzer {
namespace fs = std::filesystem;
namespace {

tl::unexpected<Error> unsupported(const Detected& d, std::string what) {
  return tl::unexpected<Error>(Error(ErrorCode::Unsupported, std::move(what)).in_file(d.main_file.string()));
}

// Bytes of every file that makes up the model: the directory tree for SavedModels, else the
// file itself (TF.js loaders add their shards).
std::uint64_t bytes_on_disk(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    const auto n = fs::file_size(path, ec);
    return ec ? 0 : n;
  }
  std::uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto n = it->file_size(size_ec);
      if (!size_ec) total += n;
    }
  }
  return total;
}

Expected<ir::Model> dispatch(const Detected& detected, const LoadOptions& options) {
  switch (detected.format) {
    case ir::Format::SavedModel:
    case ir::Format::SavedModelText:
      return load_saved_model(detected, options);
    case ir::Format::GraphDefBinary:
    case ir::Format::GraphDefText:
    case ir::Format::MetaGraphDefBinary:
    case ir::Format::MetaGraphDefText:
      return load_graphdef(detected, options);
    case ir::Format::GraphModel:
      return load_tfjs(detected, options);
    case ir::Format::Tflite:
      return load_tflite(detected, options);
    case ir::Format::LayersModel:
    case ir::Format::KerasH5:
    case ir::Format::KerasV3:
    case ir::Format::KerasJson:
      return load_keras(detected, options);
    case ir::Format::SavedModelChunked:
      return unsupported(detected, "chunked SavedModel (saved_model.cpb, written for models over "
                                   "2 GB) is not supported yet");
  }
  return unsupported(detected, "unknown format");
}

}  // namespace

Expected<ir::Model> load(const fs::path& path, const LoadOptions& options) {
  auto detected = detect_format(path);
  if (!detected) return unexpected(detected.error());
  // The graph file is read or parsed whole; checkpoint shards and weights are mapped and read
  // on demand, so only the main file is bounded.
  std::error_code ec;
  const auto main_bytes = fs::file_size(detected->main_file, ec);
  if (!ec) {
    if (auto within = check_input_limit(InputLimit::FileBytes, "the file", main_bytes); !within) {
      return unexpected(std::move(within.error()).in_file(detected->main_file.string()));
    }
  }
  auto model = dispatch(*detected, options);
  if (!model) return model;
  model->format = detected->format;
  model->path = path;
  if (model->main_file.empty()) model->main_file = detected->main_file;
  if (model->file_bytes == 0) model->file_bytes = bytes_on_disk(path);
  return model;
}

}  // namespace litelint::analyzer
