#pragma once

#include "analyzer/ir/model.h"
#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/load.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// Reads a Keras model (Format::KerasV3, KerasH5, KerasJson) or a TF.js layers model
/// (Format::LayersModel) into a Model with one Graph of the TensorFlow ops Keras traces for
/// it (build_graph.h). A weights-only HDF5 file is a BadInput error that says how to pair it
/// with an architecture. Never throws; errors are one line naming the file.
Expected<ir::Model> load_keras(const Detected& detected, const LoadOptions& options);

}  // namespace litelint::analyzer
