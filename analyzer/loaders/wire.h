#pragma once

#include <cstdint>
#include <string_view>

namespace litelint::analyzer::wire {

/// Reads one base-128 varint from the front of `s` and drops it; false when `s` ends inside
/// it or it runs past 64 bits.
bool read_varint(std::string_view& s, std::uint64_t& value);

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
  bool next(Field& field);
  /// False when the walk stopped on malformed bytes rather than at the end.
  bool ok() const { return ok_; }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace litelint::analyzer::wire
