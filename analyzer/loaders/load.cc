#include "analyzer/loaders/load.h"

#include "analyzer/loaders/detect.h"

namespace litelint::analyzer {
namespace {

tl::unexpected<Error> unsupported(const Detected& d, std::string what) {
  return tl::unexpected<Error>(Error(ErrorCode::Unsupported, std::move(what)).in_file(d.main_file.string()));
}

}  // namespace

Expected<ir::Model> load(const std::filesystem::path& path, const LoadOptions& options) {
  auto detected = detect_format(path);
  if (!detected) return unexpected(detected.error());
  (void)options;
  switch (detected->format) {
    case ir::Format::LayersModel:
      return unsupported(*detected, "TF.js layers models are not supported yet (convert the Keras "
                                    "model to a SavedModel or a TF.js graph model)");
    case ir::Format::KerasH5:
      return unsupported(*detected, "Keras HDF5 models are not supported yet (export a "
                                    "SavedModel with model.export() and check that)");
    case ir::Format::KerasV3:
      return unsupported(*detected, "Keras v3 .keras files are not supported yet (export a "
                                    "SavedModel with model.export() and check that)");
    case ir::Format::SavedModelChunked:
      return unsupported(*detected, "chunked SavedModel (saved_model.cpb, written for models over "
                                    "2 GB) is not supported yet");
    default:
      break;
  }
  return unsupported(*detected, std::string("no loader for ") +
                                    std::string(ir::format_name(detected->format)) + " yet");
}

}  // namespace litelint::analyzer
