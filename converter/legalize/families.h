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

}  // namespace litelint::converter::lowerings
