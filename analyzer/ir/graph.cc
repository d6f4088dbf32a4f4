#include "analyzer/ir/graph.h"

namespace litelint::ir {

bool NodeList::add(Node node) {
  auto [it, inserted] = index_.emplace(node.name, nodes_.size());
  if (!inserted) return false;
  nodes_.push_back(std::move(node));
  return true;
}

const Node* NodeList::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

Node* NodeList::find(std::string_view name) {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

void NodeList::reindex() {
  index_.clear();
  for (std::size_t i = 0; i < nodes_.size(); ++i) index_.emplace(nodes_[i].name, i);
}

const Function* Graph::find_function(std::string_view name) const {
  for (const auto& f : functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const Signature* Graph::find_signature(std::string_view key) const {
  for (const auto& s : signatures) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

}  // namespace litelint::ir
