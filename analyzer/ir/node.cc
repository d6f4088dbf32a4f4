#include "analyzer/ir/node.h"

#include <charconv>

namespace litelint::ir {
namespace {

std::optional<std::int32_t> parse_index(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int32_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<TensorRef> TensorRef::parse(std::string_view text) {
  TensorRef ref;
  if (!text.empty() && text.front() == '^') {
    ref.control = true;
    text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
    ref.node = std::string(text);
    return ref;
  }
  const auto first = text.find(':');
  if (first == std::string_view::npos) {
    if (text.empty()) return std::nullopt;
    ref.node = std::string(text);
    return ref;
  }
  ref.node = std::string(text.substr(0, first));
  if (ref.node.empty()) return std::nullopt;
  std::string_view rest = text.substr(first + 1);
  const auto second = rest.find(':');
  if (second == std::string_view::npos) {
    auto idx = parse_index(rest);
    if (!idx) return std::nullopt;
    ref.index = *idx;
    return ref;
  }
  ref.output_arg = std::string(rest.substr(0, second));
  auto idx = parse_index(rest.substr(second + 1));
  if (!idx || ref.output_arg.empty()) return std::nullopt;
  ref.index = *idx;
  return ref;
}

std::string TensorRef::to_string() const {
  if (control) return "^" + node;
  if (!output_arg.empty()) return node + ":" + output_arg + ":" + std::to_string(index);
  if (index == 0) return node;
  return node + ":" + std::to_string(index);
}

const AttrValue* Node::attr(std::string_view key) const {
  auto it = attrs.find(key);
  return it == attrs.end() ? nullptr : &it->second;
}

std::size_t Node::data_input_count() const {
  std::size_t n = 0;
  for (const auto& in : inputs) {
    if (!in.control) ++n;
  }
  return n;
}

}  // namespace litelint::ir
