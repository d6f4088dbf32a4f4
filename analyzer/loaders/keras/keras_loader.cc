#include "analyzer/loaders/keras/keras_loader.h"

#include <map>

#include <nlohmann/json.hpp>

#include "analyzer/loaders/keras/build_graph.h"
#include "analyzer/loaders/keras/h5_file.h"
#include "analyzer/loaders/keras/model_config.h"
#include "analyzer/loaders/keras/weight_store.h"
#include "analyzer/loaders/keras/zip_archive.h"
#include "analyzer/loaders/tfjs.h"
#include "analyzer/loaders/tfjs_weights.h"

namespace litelint::analyzer {
namespace fs = std::filesystem;
namespace {

using json = nlohmann::json;
using keras::WeightStore;

constexpr std::uint64_t kMaxConfigBytes = std::uint64_t{256} << 20;

tl::unexpected<Error> in_file(Error e, const fs::path& file) { return unexpected(std::move(e).in_file(file.string())); }

Expected<json> parse_json(std::string_view text, const std::string& what) {
  if (json_nesting_depth(text, kMaxTfjsJsonDepth) > kMaxTfjsJsonDepth) {
    return fail(ErrorCode::BadInput, what + " nests deeper than " + std::to_string(kMaxTfjsJsonDepth) + " levels");
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    std::string m = e.what();
    if (auto p = m.find("] "); p != std::string::npos) m = m.substr(p + 2);
    return fail(ErrorCode::BadInput, what + " is not valid JSON: " + m);
  }
}

std::string json_string(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// Layer classes of a model and the models nested in it, for `inspect`.
void count_classes(const keras::ModelConfig& model, std::map<std::string, int>& out) {
  for (const keras::Layer& l : model.layers) {
    ++out[l.class_name];
    if (l.model) count_classes(*l.model, out);
  }
}

// The graph of a config, or of a subclassed model whose config lists no layers.
Expected<ir::Graph> graph_of(const json& config, const WeightStore* weights, std::vector<std::pair<std::string, std::string>>& meta) {
  auto model = keras::parse_model_config(config);
  if (!model) {
    const std::string cls = json_string(config, "class_name");
    if (model.error().code() == ErrorCode::Unsupported && !cls.empty() && !keras::is_model_class(cls)) {
      meta.emplace_back("model_class", cls + " (subclassed: architecture not in the file)");
      return keras::opaque_model_graph(cls.substr(cls.rfind('>') == std::string::npos ? 0 : cls.rfind('>') + 1));
    }
    return unexpected(model.error());
  }
  meta.emplace_back("model_class", model->class_name);
  meta.emplace_back("layers", std::to_string(model->layers.size()));
  std::map<std::string, int> classes;
  count_classes(*model, classes);
  std::string listed;
  for (const auto& [cls, n] : classes) listed += (listed.empty() ? "" : ", ") + cls + (n > 1 ? " x" + std::to_string(n) : "");
  meta.emplace_back("layer_classes", listed);
  return keras::build_graph(*model, weights);
}

ir::Model finish(ir::Format format, const fs::path& file, ir::Graph graph,
                 std::vector<std::pair<std::string, std::string>> meta) {
  ir::Model model;
  model.format = format;
  model.path = file;
  model.main_file = file;
  model.metadata = std::move(meta);
  model.graphs.push_back(std::move(graph));
  return model;
}

Expected<ir::Model> load_v3(const fs::path& file) {
  auto zip = keras::ZipArchive::open(file);
  if (!zip) return unexpected(zip.error());
  std::vector<std::pair<std::string, std::string>> meta;
  if (const auto* m = zip->find("metadata.json")) {
    if (auto bytes = zip->bytes(*m)) {
      auto j = parse_json(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), "metadata.json");
      if (j && j->is_object()) meta.emplace_back("keras_version", json_string(*j, "keras_version"));
    }
  }
  const auto* cfg_member = zip->find("config.json");
  if (cfg_member == nullptr) return in_file(Error(ErrorCode::BadInput, ".keras archive has no config.json"), file);
  auto cfg_bytes = zip->bytes(*cfg_member);
  if (!cfg_bytes) return unexpected(cfg_bytes.error());
  auto config = parse_json(std::string_view(reinterpret_cast<const char*>(cfg_bytes->data()), cfg_bytes->size()),
                           "config.json");
  if (!config) return in_file(config.error(), file);
  std::unique_ptr<WeightStore> weights;
  if (const auto* w = zip->find("model.weights.h5")) {
    auto bytes = zip->bytes(*w);
    if (!bytes) return unexpected(bytes.error());
    auto h5 = keras::H5File::open_image(zip->mapping(), *bytes, file.string() + ":model.weights.h5");
    if (!h5) return unexpected(h5.error());
    auto store = keras::v3_weights(*h5);
    if (!store) return unexpected(store.error());
    weights = std::move(*store);
  } else if (zip->find("model.weights.npz") != nullptr) {
    return in_file(Error(ErrorCode::Unsupported, ".keras archive stores its weights as model.weights.npz, which "
                                                 "litelint does not read; save with the default HDF5 weights"),
                   file);
  } else {
    return in_file(Error(ErrorCode::BadInput, ".keras archive has no model.weights.h5"), file);
  }
  auto graph = graph_of(*config, weights.get(), meta);
  if (!graph) return in_file(graph.error(), file);
  return finish(ir::Format::KerasV3, file, std::move(*graph), std::move(meta));
}

Expected<ir::Model> load_h5(const fs::path& file) {
  auto h5 = keras::H5File::open(file);
  if (!h5) return unexpected(h5.error());
  auto config_text = (*h5)->string_attr("/", "model_config");
  if (!config_text) return unexpected(config_text.error());
  if (!*config_text) {
    if ((*h5)->has_attr("/", "layer_names")) {
      return in_file(Error(ErrorCode::BadInput,
                           "HDF5 file holds only weights (model.save_weights()), no architecture: "
                           "save the architecture with model.to_json() as '" +
                               file.stem().string() + ".json' beside it and check the JSON, or check the "
                               "full model saved with model.save()"),
                     file);
    }
    return in_file(Error(ErrorCode::BadInput, "HDF5 file is not a Keras model (no model_config attribute)"), file);
  }
  auto config = parse_json(**config_text, "model_config");
  if (!config) return in_file(config.error(), file);
  std::vector<std::pair<std::string, std::string>> meta;
  if (auto v = (*h5)->string_attr("/", "keras_version"); v && *v) meta.emplace_back("keras_version", **v);
  if (auto v = (*h5)->string_attr("/", "backend"); v && *v) meta.emplace_back("backend", **v);
  std::unique_ptr<WeightStore> weights;
  if ((*h5)->is_group("/model_weights")) {
    auto store = keras::legacy_h5_weights(*h5, "/model_weights");
    if (!store) return unexpected(store.error());
    weights = std::move(*store);
  }
  auto graph = graph_of(*config, weights.get(), meta);
  if (!graph) return in_file(graph.error(), file);
  return finish(ir::Format::KerasH5, file, std::move(*graph), std::move(meta));
}

// The weights of an architecture JSON: <stem>.weights.h5, <stem>.h5, <stem>.hdf5, or the only
// HDF5 file in its directory.
std::optional<fs::path> weights_beside(const fs::path& json_file) {
  const fs::path dir = json_file.parent_path().empty() ? fs::path(".") : json_file.parent_path();
  const std::string stem = json_file.stem().string();
  std::error_code ec;
  for (const char* ext : {".weights.h5", ".h5", ".hdf5"}) {
    if (fs::is_regular_file(dir / (stem + ext), ec)) return dir / (stem + ext);
  }
  std::vector<fs::path> found;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const auto e = it->path().extension();
    if (e == ".h5" || e == ".hdf5") found.push_back(it->path());
  }
  if (found.size() == 1) return found.front();
  return std::nullopt;
}

Expected<ir::Model> load_json(const fs::path& file) {
  auto text = read_file(file, kMaxConfigBytes);
  if (!text) return unexpected(text.error());
  auto config = parse_json(*text, "architecture JSON");
  if (!config) return in_file(config.error(), file);
  const auto weights_file = weights_beside(file);
  if (!weights_file) {
    return in_file(Error(ErrorCode::NotFound, "Keras architecture JSON without weights: put the HDF5 file of "
                                              "model.save_weights() beside it as '" +
                                                  file.stem().string() + ".weights.h5'"),
                   file);
  }
  auto h5 = keras::H5File::open(*weights_file);
  if (!h5) return unexpected(h5.error());
  // A full-model file carries its weights under /model_weights; save_weights() at the root.
  const std::string group = (*h5)->is_group("/model_weights") ? "/model_weights" : "/";
  std::unique_ptr<WeightStore> weights;
  if ((*h5)->is_group("/layers") || (*h5)->is_group("/_layer_checkpoint_dependencies")) {
    auto store = keras::v3_weights(*h5);
    if (!store) return unexpected(store.error());
    weights = std::move(*store);
  } else {
    auto store = keras::legacy_h5_weights(*h5, group);
    if (!store) return unexpected(store.error());
    weights = std::move(*store);
  }
  std::vector<std::pair<std::string, std::string>> meta{{"weights_file", weights_file->filename().string()}};
  // tf.keras' to_json() says which Keras wrote it; the converter snippet depends on it.
  if (config->is_object() && config->contains("keras_version")) {
    meta.emplace_back("keras_version", json_string(*config, "keras_version"));
  }
  auto graph = graph_of(*config, weights.get(), meta);
  if (!graph) return in_file(graph.error(), file);
  auto model = finish(ir::Format::KerasJson, file, std::move(*graph), std::move(meta));
  std::error_code ec;
  model.file_bytes = fs::file_size(file, ec) + fs::file_size(*weights_file, ec);
  return model;
}

Expected<ir::Model> load_layers_model(const fs::path& file) {
  auto text = read_file(file, kMaxTfjsModelJsonBytes);
  if (!text) return unexpected(text.error());
  auto root = parse_json(*text, "model.json");
  if (!root) return in_file(root.error(), file);
  if (!root->is_object()) return in_file(Error(ErrorCode::BadInput, "model.json is not a JSON object"), file);
  auto topo = root->find("modelTopology");
  if (topo == root->end() || !topo->is_object()) {
    return in_file(Error(ErrorCode::BadInput, "\"modelTopology\" is missing or not an object"), file);
  }
  std::vector<std::pair<std::string, std::string>> meta;
  for (const char* key : {"format", "generatedBy", "convertedBy"}) {
    if (root->contains(key) && !(*root)[key].is_null()) meta.emplace_back(key, json_string(*root, key));
  }
  // Converters wrap the Keras config: {"keras_version", "backend", "model_config": {...}}.
  const json& config = topo->contains("model_config") ? (*topo)["model_config"] : *topo;
  std::unique_ptr<WeightStore> weights;
  std::uint64_t shard_bytes = 0;
  if (auto m = root->find("weightsManifest"); m != root->end() && !m->is_null()) {
    auto manifest = tfjs::parse_weights_manifest(*m);
    if (!manifest) return in_file(manifest.error(), file);
    const fs::path dir = file.parent_path();
    std::size_t missing = 0;
    for (const std::string& p : manifest->paths) {
      std::error_code ec;
      if (!fs::exists(dir / p, ec)) ++missing;
    }
    std::vector<std::pair<std::string, ir::Tensor>> tensors;
    if (missing > 0 && missing == manifest->paths.size()) {
      // Topology-only copy: still linted, values absent.
      const std::string reason = "weight shards of " + file.filename().string() + " are not present";
      for (const auto& spec : manifest->weights) {
        ir::Tensor t(spec.dtype, ir::Shape(spec.shape),
                     [reason]() -> Expected<ir::TensorBytes> { return fail(ErrorCode::NotFound, reason); });
        tensors.emplace_back(spec.name, std::move(t));
      }
      meta.emplace_back("weights", "not present (" + std::to_string(missing) + " shard files missing)");
    } else {
      auto shards = tfjs::ShardSet::open(dir, manifest->paths);
      if (!shards) return unexpected(shards.error());
      if (auto r = tfjs::layout_weights(*manifest, **shards); !r) return in_file(r.error(), file);
      shard_bytes = (*shards)->size();
      for (const auto& spec : manifest->weights) {
        tensors.emplace_back(spec.name, tfjs::make_weight_tensor(*shards, spec, spec.dtype));
      }
      meta.emplace_back("weights", std::to_string(tensors.size()) + " tensors in " +
                                       std::to_string(manifest->paths.size()) + " shard files");
    }
    weights = keras::named_weights(std::move(tensors), file.string());
  }
  auto graph = graph_of(config, weights.get(), meta);
  if (!graph) return in_file(graph.error(), file);
  auto model = finish(ir::Format::LayersModel, file, std::move(*graph), std::move(meta));
  model.file_bytes = text->size() + shard_bytes;
  return model;
}

}  // namespace

Expected<ir::Model> load_keras(const Detected& detected, const LoadOptions& /*options*/) {
  switch (detected.format) {
    case ir::Format::KerasV3:
      return load_v3(detected.main_file);
    case ir::Format::KerasH5:
      return load_h5(detected.main_file);
    case ir::Format::KerasJson:
      return load_json(detected.main_file);
    case ir::Format::LayersModel:
      return load_layers_model(detected.main_file);
    default:
      return in_file(Error(ErrorCode::Internal, "load_keras called on a non-Keras format"), detected.main_file);
  }
}

}  // namespace litelint::analyzer
