#include "analyzer/loaders/wire.h"

namespace litelint::analyzer::wire {
bool read_varint(std::string_view& s, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (s.empty()) return false;
    const auto byte = static_cast<unsigned char>(s.front());
    s.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool Reader::next(Field& field) {
  if (!ok_ || rest_.empty()) return false;
  std::string_view s = rest_;
  std::uint64_t tag = 0;
  ok_ = false;
  if (!read_varint(s, tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return false;
  field.number = static_cast<std::uint32_t>(tag >> 3);
  field.wire_type = static_cast<std::uint32_t>(tag & 7);
  field.varint = 0;
  switch (field.wire_type) {
    case 0: {
      const std::string_view before = s;
      if (!read_varint(s, field.varint)) return false;
      field.payload = before.substr(0, before.size() - s.size());
      break;
    }
    case 1:
    case 5: {
      const std::size_t n = field.wire_type == 1 ? 8 : 4;
      if (s.size() < n) return false;
      field.payload = s.substr(0, n);
      s.remove_prefix(n);
      break;
    }
    case 2: {
      std::uint64_t length = 0;
      if (!read_varint(s, length) || length > s.size()) return false;
      field.payload = s.substr(0, static_cast<std::size_t>(length));
      s.remove_prefix(static_cast<std::size_t>(length));
      break;
    }
    default:
      return false;
  }
  field.raw = rest_.substr(0, rest_.size() - s.size());
  rest_ = s;
  ok_ = true;
  return true;
}

}  // namespace litelint::analyzer::wire
