#include "cli/input_shapes.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <string_view>

namespace litelint::cli {

// --input-shape NAME=1,224,224,3, as TFLiteConverter's input_shapes={NAME: [1, 224, 224, 3]}:
// every dimension known (that is the point of the flag), each within TFLite's int32 dims.
Expected<std::map<std::string, ir::Shape>> parse_input_shapes(const std::vector<std::string>& specs) {
  std::map<std::string, ir::Shape> out;
  for (const auto& spec : specs) {
    const auto bad = [&](const std::string& why) {
      return fail(ErrorCode::Usage, "--input-shape '" + spec + "': " + why +
                                        " (expected NAME=D1,D2,..., e.g. input=1,224,224,3)");
    };
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) return bad("no NAME=");
    const std::string name = spec.substr(0, eq);
    const std::string_view dims_text = std::string_view(spec).substr(eq + 1);
    if (dims_text.empty()) return bad("no dimensions");
    std::vector<std::int64_t> dims;
    std::size_t start = 0;
    while (true) {
      const auto comma = dims_text.find(',', start);
      const auto piece = dims_text.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                  : comma - start);
      std::int64_t dim = 0;
      const auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), dim);
      if (piece.empty() || ec != std::errc() || end != piece.data() + piece.size() || dim < 0 ||
          dim > std::numeric_limits<std::int32_t>::max()) {
        return bad("'" + std::string(piece) + "' is not a dimension");
      }
      dims.push_back(dim);
      if (dims.size() > ir::Shape::kMaxRank) return bad("rank over " + std::to_string(ir::Shape::kMaxRank));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (!out.emplace(name, ir::Shape(std::move(dims))).second) return bad("'" + name + "' given twice");
  }
  return out;
}

}  // namespace litelint::cli
