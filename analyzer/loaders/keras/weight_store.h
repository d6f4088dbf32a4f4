#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/ir/tensor.h"
#include "analyzer/loaders/keras/h5_file.h"
#include "analyzer/loaders/keras/model_config.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer::keras {

/// Which variables of which layer: the chain of layers from the root model down to the layer,
/// an optional sub-object (an RNN's `cell`, a Bidirectional's `forward_layer/cell`) with the
/// name Keras gave it, and the variable names in Keras 3 save order (trainable first). A name
/// may carry aliases separated by '|' ("depthwise_kernel|kernel": Keras 2 and 3 spellings).
struct WeightRequest {
  std::vector<const Layer*> chain;
  std::string sub_path;  ///< Keras v3 object path below the layer ("cell"); "" for the layer
  std::string sub_name;  ///< the sub-layer's name in Keras 2 weight names ("forward_lstm")
  std::vector<std::string> names;
};

/// The weights of a model, wherever they are stored; values stay lazy.
class WeightStore {
 public:
  virtual ~WeightStore() = default;
  /// One tensor per requested name, or a one-line error naming the layer and the variable
  /// that the file lacks.
  virtual Expected<std::vector<ir::Tensor>> find(const WeightRequest& request) const = 0;
  /// How many variables the store holds (for `inspect`).
  virtual std::size_t size() const = 0;
};

/// Weights looked up by name ("<layer>/<variable>[:0]", as Keras 2 HDF5 files, Keras 3 legacy
/// HDF5 files and TF.js manifests name them).
std::unique_ptr<WeightStore> named_weights(std::vector<std::pair<std::string, ir::Tensor>> weights,
                                           std::string file);

/// The weights of a legacy HDF5 file: `group` is "/model_weights" for a full model and "/" for
/// a save_weights() file. Datasets are listed, not read.
Expected<std::unique_ptr<WeightStore>> legacy_h5_weights(std::shared_ptr<const H5File> file,
                                                         const std::string& group);

/// The weights of a Keras v3 `model.weights.h5`, found by object path
/// (`layers/<snake_case class>/vars/<i>`).
Expected<std::unique_ptr<WeightStore>> v3_weights(std::shared_ptr<const H5File> file);

}  // namespace litelint::analyzer::keras
