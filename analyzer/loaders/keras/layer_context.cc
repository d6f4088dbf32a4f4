#include "analyzer/loaders/keras/layer_context.h"

namespace litelint::analyzer::keras {

tl::unexpected<Error> LayerContext::error(const std::string& what) const {
  return fail(ErrorCode::BadInput, "layer '" + layer.name + "' (" + layer.class_name + "): " + what);
}

tl::unexpected<Error> LayerContext::unsupported(const std::string& what) const {
  return fail(ErrorCode::Unsupported, "layer '" + layer.name + "' (" + layer.class_name + "): " + what);
}

Expected<std::vector<Value>> LayerContext::variables(const std::vector<std::string>& names,
                                                     const std::string& sub_path_arg, const std::string& sub_name_arg) {
  const std::string sub_path = sub_prefix.empty() ? sub_path_arg
                               : sub_path_arg.empty() ? sub_prefix
                                                      : sub_prefix + "/" + sub_path_arg;
  const std::string& sub_name = sub_name_arg.empty() ? this->sub_name : sub_name_arg;
  std::string key;
  for (const Layer* l : chain) key += "/" + l->name;
  key += "#" + sub_path + "#" + sub_name;
  if (weight_cache != nullptr) {
    if (auto it = weight_cache->find(key); it != weight_cache->end()) return it->second;
  }
  if (weights == nullptr) return error("the model has no weights to read (an architecture without a weights file)");
  WeightRequest request{chain, sub_path, sub_name, names};
  auto tensors = weights->find(request);
  if (!tensors) return unexpected(tensors.error());
  std::vector<Value> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string hint = names[i].substr(0, names[i].find('|'));
    if (!sub_name.empty()) hint = sub_name + "/" + hint;
    out.push_back(b.constant((*tensors)[i], hint));
  }
  if (weight_cache != nullptr) (*weight_cache)[key] = out;
  return out;
}

}  // namespace litelint::analyzer::keras
