#include "converter/writer/flexbuffer_options.h"

// flexbuffers.h is header-only FlatBuffers code; keep its warnings out of -Werror builds, as
// analyzer/tflite/schema.h does for the generated schema.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#include <flatbuffers/flexbuffers.h>
#pragma GCC diagnostic pop

namespace litelint::converter::writer {

std::vector<std::uint8_t> flex_custom_options(std::string_view tf_op,
                                              std::string_view serialized_node_def) {
  flexbuffers::Builder fbb;
  // Both elements are FlexBuffer strings (not blobs), as in the converter's
  // CreateFlexOpCustomOptions; a string carries its length, so NUL bytes in the NodeDef are kept.
  fbb.Vector([&] {
    fbb.String(tf_op.data(), tf_op.size());
    fbb.String(serialized_node_def.data(), serialized_node_def.size());
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

}  // namespace litelint::converter::writer
