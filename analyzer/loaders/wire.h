#pragma once

#include <cstdint>
#include <string_view>

namespace litelint::analyzer::wire {

/// Reads one base-128 varint from the front of `s` and drops it; false when `s` ends inside
/// it or it runs past 64 bits. Inline, as Reader::next is: the loaders walk every field of
/// every node this way, and most tags and lengths are one byte.
inline bool read_varint(std::string_view& s, std::uint64_t& value) {
  if (!s.empty() && (static_cast<unsigned char>(s.front()) & 0x80) == 0) {
    value = static_cast<unsigned char>(s.front());
    s.remove_prefix(1);
    return true;
  }
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

/// One field of a serialized protobuf message, as it sits in the input bytes.
struct Field {
  std::uint32_t number = 0;
  std::uint32_t wire_type = 0;  ///< 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32
  std::uint64_t varint = 0;     ///< the value of a varint field
  std::string_view payload;     ///< the bytes of a length-delimited (or fixed) field
  std::string_view raw;         ///< tag through payload: parsing `raw` merges this one field
};

/// Walks the top-level fields of a serialized message without parsing them, so that a loader
/// can parse large repeated sub-messages (a GraphDef's nodes, its function library) one at a
/// time instead of materializing the whole message. Groups (wire types 3 and 4, unused by
/// TensorFlow's messages) and anything truncated stop the walk with ok() false.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  /// Reads the next field; false at the end of the input or on malformed bytes.
  inline bool next(Field& field);
  /// False when the walk stopped on malformed bytes rather than at the end.
  bool ok() const { return ok_; }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

inline bool Reader::next(Field& field) {
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
