// A vocabulary file as TensorFlow's InitializeTableFromTextFileV2 reads it. TFLite has no
// file access at run time, so where a SavedModel fills a table from one of its assets the
// converter reads the file now and imports its entries as constants.
#include "converter/import/table_text_file.h"

#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/support/file.h"

namespace litelint::converter {
namespace {

// Vocabulary files are small; a bound keeps a hostile asset from exhausting memory.
constexpr std::uint64_t kMaxVocabularyBytes = std::uint64_t{256} << 20;

// One column of the table: strings, or numbers kept as both kinds until the dtype picks one.
struct Column {
  ir::DType dtype;
  std::vector<std::string> strings;
  std::vector<std::byte> bytes;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
bool parse_number(std::string_view token, T& out) {
  token = trim(token);
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
  return ec == std::errc() && end == token.data() + token.size() && !token.empty();
}

template <typename T>
void append(std::vector<std::byte>& out, T v) {
  const auto at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}

// Appends the field `index` of `line` (its number `line_number`) to `column`; the text of
// the element is returned for duplicate detection.
Expected<std::string> add_field(Column& column, std::string_view line, const std::vector<std::string_view>& fields,
                                std::int64_t index, std::int64_t line_number, std::int64_t offset) {
  if (index == -1) {
    append(column.bytes, line_number + offset);
    return std::to_string(line_number + offset);
  }
  const std::string_view token = index == -2 ? line : fields[static_cast<std::size_t>(index)];
  auto invalid = [&](std::string_view what) {
    return bad_input(fmt::format("field '{}' on line {} is not a valid {}", token, line_number, what));
  };
  switch (column.dtype) {
    case ir::DType::String:
      column.strings.emplace_back(token);
      return std::string(token);
    case ir::DType::Int32: {
      std::int32_t v = 0;
      if (!parse_number(token, v)) return invalid("int32");
      // TensorFlow adds the offset to int32 fields (and only to those).
      v = static_cast<std::int32_t>(v + offset);
      append(column.bytes, v);
      return std::to_string(v);
    }
    case ir::DType::Int64: {
      std::int64_t v = 0;
      if (!parse_number(token, v)) return invalid("int64");
      append(column.bytes, v);
      return std::to_string(v);
    }
    case ir::DType::Float: {
      float v = 0;
      if (!parse_number(token, v)) return invalid("float");
      append(column.bytes, v);
      return fmt::format("{}", v);
    }
    case ir::DType::Double: {
      double v = 0;
      if (!parse_number(token, v)) return invalid("double");
      append(column.bytes, v);
      return fmt::format("{}", v);
    }
    default:
      return bad_input(fmt::format("a table of {} has no text-file form", ir::dtype_name(column.dtype)));
  }
}

ir::Tensor to_tensor(Column column, std::int64_t rows) {
  auto data = std::make_shared<Column>(std::move(column));
  const ir::DType dtype = data->dtype;
  return ir::Tensor(dtype, ir::Shape({rows}), [data]() -> Expected<ir::TensorBytes> {
    return ir::TensorBytes{std::span<const std::byte>(data->bytes), data, data->strings};
  });
}

}  // namespace

Expected<TextFileTable> read_table_text_file(const std::filesystem::path& file, const TextFileTableSpec& spec) {
  if (spec.key_index < -2 || spec.value_index < -2) return bad_input("key_index and value_index must be >= -2");
  if ((spec.key_index == -1 && spec.key_dtype != ir::DType::Int64) ||
      (spec.value_index == -1 && spec.value_dtype != ir::DType::Int64)) {
    return bad_input("a line-number column needs an int64 table key or value");
  }
  auto text = read_file(file, kMaxVocabularyBytes);
  if (!text) return unexpected(text.error());

  Column keys{spec.key_dtype, {}, {}};
  Column values{spec.value_dtype, {}, {}};
  std::map<std::string, std::string, std::less<>> seen;
  const std::size_t columns = static_cast<std::size_t>(std::max(spec.key_index, spec.value_index) + 1);
  std::int64_t rows = 0;
  std::string_view rest = *text;
  while (!rest.empty() && (spec.vocab_size < 0 || rows < spec.vocab_size)) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return bad_input(fmt::format("{}: empty line {}", file.string(), rows));

    std::vector<std::string_view> fields;
    if (columns > 0) {
      for (std::size_t at = 0;;) {
        const auto next = line.find(spec.delimiter, at);
        fields.push_back(line.substr(at, next == std::string_view::npos ? next : next - at));
        if (next == std::string_view::npos) break;
        at = next + 1;
      }
      if (fields.size() < columns) {
        return bad_input(fmt::format("{}: line {} has {} column(s), the table reads {}", file.string(), rows,
                                     fields.size(), columns));
      }
    }
    auto key = add_field(keys, line, fields, spec.key_index, rows, spec.offset);
    if (!key) return unexpected(key.error());
    auto value = add_field(values, line, fields, spec.value_index, rows, spec.offset);
    if (!value) return unexpected(value.error());
    // TensorFlow's table insert rejects a key seen before with another value.
    auto [it, inserted] = seen.emplace(*key, *value);
    if (!inserted && it->second != *value) {
      return bad_input(fmt::format("{}: key '{}' has two values", file.string(), *key));
    }
    ++rows;
  }
  if (spec.vocab_size >= 0 && rows != spec.vocab_size) {
    return bad_input(fmt::format("{}: vocab_size is {} but the file has {} line(s)", file.string(), spec.vocab_size,
                                 rows));
  }
  return TextFileTable{to_tensor(std::move(keys), rows), to_tensor(std::move(values), rows)};
}

}  // namespace litelint::converter
