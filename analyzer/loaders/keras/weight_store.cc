#include "analyzer/loaders/keras/weight_store.h"

#include <algorithm>
#include <map>

namespace litelint::analyzer::keras {
namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string leaf_label(const WeightRequest& r) {
  const Layer* leaf = r.chain.back();
  return "layer '" + leaf->name + "' (" + leaf->class_name + ")";
}

tl::unexpected<Error> missing(const WeightRequest& r, const std::string& name, const std::string& file,
                              const std::string& where) {
  return tl::unexpected<Error>(Error(ErrorCode::BadInput, leaf_label(r) + ": the weights have no '" +
                                                              split(name, '|').front() + "' " + where)
                                   .in_file(file));
}

class NamedStore final : public WeightStore {
 public:
  NamedStore(std::vector<std::pair<std::string, ir::Tensor>> weights, std::string file)
      : file_(std::move(file)), count_(weights.size()) {
    for (auto& [full, tensor] : weights) {
      std::string name = full;
      if (auto colon = name.rfind(':'); colon != std::string::npos) name.resize(colon);
      auto parts = split(name, '/');
      const std::string attr = parts.back();
      // Every enclosing scope names the variable: "lstm/lstm_cell/kernel" is found both as
      // lstm's and lstm_cell's kernel; the first writer of a key wins.
      for (std::size_t i = 0; i + 1 < parts.size(); ++i) index_.try_emplace({parts[i], attr}, tensor);
    }
  }

  Expected<std::vector<ir::Tensor>> find(const WeightRequest& r) const override {
    const std::string owner = r.sub_name.empty() ? r.chain.back()->name : r.sub_name;
    std::vector<ir::Tensor> out;
    for (const std::string& name : r.names) {
      const ir::Tensor* hit = nullptr;
      for (const std::string& alias : split(name, '|')) {
        if (auto it = index_.find({owner, alias}); it != index_.end()) {
          hit = &it->second;
          break;
        }
      }
      // A wrapped layer's weights may be scoped by the wrapper only (TimeDistributed in Keras 2).
      if (hit == nullptr && owner != r.chain.back()->name) {
        for (const std::string& alias : split(name, '|')) {
          if (auto it = index_.find({r.chain.back()->name, alias}); it != index_.end()) {
            hit = &it->second;
            break;
          }
        }
      }
      if (hit == nullptr) return missing(r, name, file_, "(no '" + owner + "/" + split(name, '|').front() + "' weight)");
      out.push_back(*hit);
    }
    return out;
  }
  std::size_t size() const override { return count_; }

 private:
  std::string file_;
  std::size_t count_;
  std::map<std::pair<std::string, std::string>, ir::Tensor> index_;
};

class V3Store final : public WeightStore {
 public:
  V3Store(std::shared_ptr<const H5File> file, std::string root) : file_(std::move(file)), root_(std::move(root)) {}

  Expected<std::vector<ir::Tensor>> find(const WeightRequest& r) const override {
    std::string path;
    for (const Layer* l : r.chain) path += "/" + root_ + "/" + key_of(path + "/" + root_, *l);
    if (!r.sub_path.empty()) path += "/" + r.sub_path;
    path += "/vars";
    const auto present = file_->children(path);
    if (present.size() != r.names.size()) {
      return tl::unexpected<Error>(
          Error(ErrorCode::BadInput, leaf_label(r) + ": the weights file has " + std::to_string(present.size()) +
                                         " variables at '" + path + "', the config implies " +
                                         std::to_string(r.names.size()))
              .in_file(file_->name()));
    }
    std::vector<ir::Tensor> out;
    for (std::size_t i = 0; i < r.names.size(); ++i) {
      const std::string ds = path + "/" + std::to_string(i);
      auto info = file_->dataset_info(ds);
      if (!info) return missing(r, r.names[i], file_->name(), "(dataset '" + ds + "' is unreadable)");
      out.push_back(dataset_tensor(file_, ds, *info));
    }
    return out;
  }
  std::size_t size() const override { return 0; }

 private:
  // The group of `layer` under `parent`: the group of its class with the same rank in numeric
  // order. Keras 3 numbers them densely (conv2d, conv2d_1, ...); Keras 2.13 skipped numbers
  // (conv2d, conv2d_2, ...), so the rank, not the key, is what both agree on.
  std::string key_of(const std::string& parent, const Layer& layer) const {
    std::vector<std::pair<long, std::string>> same;
    for (const std::string& child : file_->children(parent)) {
      if (child == layer.v3_base) {
        same.emplace_back(0, child);
      } else if (child.size() > layer.v3_base.size() + 1 && child.compare(0, layer.v3_base.size() + 1, layer.v3_base + "_") == 0) {
        const std::string digits = child.substr(layer.v3_base.size() + 1);
        if (digits.find_first_not_of("0123456789") == std::string::npos) same.emplace_back(std::stol(digits), child);
      }
    }
    std::sort(same.begin(), same.end());
    if (static_cast<std::size_t>(layer.v3_ordinal) < same.size()) return same[static_cast<std::size_t>(layer.v3_ordinal)].second;
    return layer.v3_key;
  }

  std::shared_ptr<const H5File> file_;
  std::string root_;
};

void list_datasets(const H5File& file, const std::string& group, const std::string& rel,
                   std::vector<std::pair<std::string, std::string>>& out, int depth) {
  if (depth > 16) return;
  for (const std::string& child : file.children(group)) {
    const std::string path = group + "/" + child;
    const std::string name = rel.empty() ? child : rel + "/" + child;
    if (file.is_group(path)) {
      list_datasets(file, path, name, out, depth + 1);
    } else {
      out.emplace_back(name, path);
    }
  }
}

}  // namespace

std::unique_ptr<WeightStore> named_weights(std::vector<std::pair<std::string, ir::Tensor>> weights,
                                           std::string file) {
  return std::make_unique<NamedStore>(std::move(weights), std::move(file));
}

Expected<std::unique_ptr<WeightStore>> legacy_h5_weights(std::shared_ptr<const H5File> file,
                                                         const std::string& group) {
  // The datasets are listed, not the `layer_names` / `weight_names` attributes: weights are
  // found by name, and Keras 3 writes those attributes as variable-length strings, whose
  // reading in libhdf5 1.10 trusts sizes in the file (a damaged heap overflows its buffer).
  const std::string base = group == "/" ? "" : group;
  std::vector<std::pair<std::string, ir::Tensor>> weights;
  for (const std::string& layer : file->children(group == "/" ? "/" : group)) {
    const std::string layer_group = base + "/" + layer;
    if (!file->is_group(layer_group)) continue;
    std::vector<std::pair<std::string, std::string>> datasets;
    list_datasets(*file, layer_group, "", datasets, 0);
    for (const auto& [name, path] : datasets) {
      auto info = file->dataset_info(path);
      if (!info) return unexpected(info.error());
      // A nested model's weights are named after its inner layers, grouped under the model.
      weights.emplace_back(name, dataset_tensor(file, path, *info));
    }
  }
  return named_weights(std::move(weights), file->name());
}

Expected<std::unique_ptr<WeightStore>> v3_weights(std::shared_ptr<const H5File> file) {
  // Keras 2.13 wrote `_layer_checkpoint_dependencies` where Keras 3 writes `layers`.
  const std::string root = file->is_group("/layers") || !file->is_group("/_layer_checkpoint_dependencies")
                               ? "layers"
                               : "_layer_checkpoint_dependencies";
  return std::unique_ptr<WeightStore>(std::make_unique<V3Store>(std::move(file), root));
}

}  // namespace litelint::analyzer::keras
