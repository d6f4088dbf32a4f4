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
std::span<const Lowering> segments_and_diagonals();  // segments_and_diagonals.cc
std::span<const Lowering> fused_ops();    // fused_ops.cc: TF.js / grappler _FusedConv2D, _FusedMatMul
std::span<const Lowering> passthrough();  // passthrough.cc: CheckNumerics, EnsureShape, Identity
std::span<const Lowering> shape_ops();    // shape_ops.cc: Reshape, Squeeze, Transpose, Shape, ...
std::span<const Lowering> concat_split(); // concat_split.cc: ConcatV2, Pack, Unpack, Split, SplitV
std::span<const Lowering> slicing();      // slicing.cc: Slice, StridedSlice, Gather*, Scatter*
std::span<const Lowering> generators();   // generators.cc: Fill, *Like, Range, BroadcastTo, Tile, OneHot
std::span<const Lowering> selection();    // selection.cc: Select*, Where, Arg*, TopKV2, Unique, ...
std::span<const Lowering> reduce();       // reduce.cc: Sum, Mean, Max, Min, Prod, Any, All
std::span<const Lowering> misc_math();    // misc_math.cc: AddN, Softplus, Selu
std::span<const Lowering> einsum();       // einsum.cc: Einsum -> BATCH_MATMUL / SUM with reshapes
std::span<const Lowering> conv();         // conv.cc: Conv2D, DepthwiseConv2dNative, Conv2DBackpropInput, Conv3D
std::span<const Lowering> pool();         // pool.cc: MaxPool, AvgPool, MaxPoolV2
std::span<const Lowering> batch_norm();   // batch_norm.cc: FusedBatchNorm{,V2,V3} (inference)
std::span<const Lowering> spatial();      // spatial.cc: Pad*, MirrorPad, *ToBatchND, *ToSpace/Depth, Resize*
std::span<const Lowering> control_flow();  // control_flow.cc: While, If (and their Stateless forms)
std::span<const Lowering> variables();     // variables.cc: VarHandleOp, ReadVariableOp, Assign*VariableOp
std::span<const Lowering> hash_tables();   // hash_tables.cc: HashTableV2, LookupTable{Import,Find,Size}V2
std::span<const Lowering> random();        // random.cc: RandomUniform, RandomStandardNormal, Multinomial
std::span<const Lowering> image();         // image.cc: NonMaxSuppressionV2..V5
std::span<const Lowering> fft();           // fft.cc: RFFT, RFFT2D, ComplexAbs
std::span<const Lowering> complex_parts();  // complex_parts.cc: Real, Imag, Atan2
std::span<const Lowering> special_functions();  // special_functions.cc: Lgamma
std::span<const Lowering> keras_lstm();    // keras_lstm.cc: the fused Keras LSTM of import -> UNIDIRECTIONAL_SEQUENCE_LSTM
std::span<const Lowering> fake_quant();    // fake_quant.cc: FakeQuantWithMinMax{Args,Vars,VarsPerChannel}

}  // namespace litelint::converter::lowerings
