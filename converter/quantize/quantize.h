#pragma once

#include "converter/convert.h"
#include "converter/tfl/model.h"

namespace litelint::converter {

/// Post-training weight quantization as TensorFlow's converter does it:
/// `Optimize::DynamicRange` (optimizations=[tf.lite.Optimize.DEFAULT] without a dataset)
/// stores large float weights as int8 with scales (per channel where TensorFlow does) and lets
/// hybrid kernels compute; `Optimize::Float16` (supported_types=[tf.float16]) stores float
/// weights as float16 behind DEQUANTIZE operators. `None` leaves the model as it is. Each
/// weight tensor stored quantized is a line in `report.quantized`.
void quantize(tfl::Model& model, Optimize mode, ConvertReport& report);

}  // namespace litelint::converter
