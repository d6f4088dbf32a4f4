#include "converter/fuse/fused_activation.h"

namespace litelint::converter {

tflite::ActivationFunctionType* fused_activation(tfl::Operator& op) {
  auto& o = op.options;
  if (auto* p = o.AsConv2DOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsDepthwiseConv2DOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsFullyConnectedOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsAddOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsSubOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsMulOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsDivOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsPool2DOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsConcatenationOptions()) return &p->fused_activation_function;
  if (auto* p = o.AsTransposeConvOptions()) return &p->fused_activation_function;
  return nullptr;
}

}  // namespace litelint::converter
