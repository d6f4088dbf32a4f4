#pragma once

#include <span>

#include "converter/legalize/context.h"

// Internal to converter/legalize: each file lowers one TF op family and exposes its table
// here; registry.cc joins them into the one table `find_lowering` searches. Adding a family
// is one line here and one in registry.cc.
namespace litelint::converter::lowerings {

std::span<const Lowering> elementwise();  // elementwise.cc: binary/unary math, comparisons
std::span<const Lowering> activations();  // activations.cc: Relu, Sigmoid, Softmax, ...
std::span<const Lowering> matmul();       // matmul.cc: MatMul, BatchMatMul, BiasAdd
std::span<const Lowering> conv();         // conv.cc: Conv2D, DepthwiseConv2dNative, Conv2DBackpropInput, Conv3D
std::span<const Lowering> pool();         // pool.cc: MaxPool, AvgPool, MaxPoolV2
std::span<const Lowering> batch_norm();   // batch_norm.cc: FusedBatchNorm{,V2,V3} (inference)
std::span<const Lowering> spatial();      // spatial.cc: Pad*, MirrorPad, *ToBatchND, *ToSpace/Depth, Resize*

}  // namespace litelint::converter::lowerings
