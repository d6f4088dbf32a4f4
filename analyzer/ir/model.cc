#include "analyzer/ir/model.h"

namespace litelint::ir {

std::string_view format_name(Format f) {
  switch (f) {
    case Format::SavedModel: return "savedmodel";
    case Format::SavedModelText: return "savedmodel-text";
    case Format::GraphDefBinary: return "graphdef-binary";
    case Format::GraphDefText: return "graphdef-text";
    case Format::MetaGraphDefBinary: return "metagraphdef-binary";
    case Format::MetaGraphDefText: return "metagraphdef-text";
    case Format::GraphModel: return "graph-model";
    case Format::Tflite: return "tflite";
    case Format::LayersModel: return "layers-model";
    case Format::KerasH5: return "keras-h5";
    case Format::KerasV3: return "keras-v3";
    case Format::KerasJson: return "keras-json";
    case Format::SavedModelChunked: return "savedmodel-chunked";
  }
  return "unknown";
}

}  // namespace litelint::ir
