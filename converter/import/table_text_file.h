#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/tensor.h"
#include "analyzer/support/expected.h"

namespace litelint::converter {

/// How InitializeTableFromTextFileV2 reads a vocabulary file (its attributes).
struct TextFileTableSpec {
  /// Column of the key / value: >= 0 a field split at `delimiter`, -1 the line number
  /// (plus `offset`), -2 the whole line.
  std::int64_t key_index = -2;
  std::int64_t value_index = -1;
  std::int64_t vocab_size = -1;  ///< lines to read; -1 for all
  char delimiter = '\t';
  std::int64_t offset = 0;
  ir::DType key_dtype = ir::DType::String;
  ir::DType value_dtype = ir::DType::Int64;
};

/// The keys and values a table initialized from a text file holds, as rank-1 tensors.
struct TextFileTable {
  ir::Tensor keys;
  ir::Tensor values;
};

/// Reads `file` as TensorFlow's TextFileLineIterator does (lookup_util.cc): one entry per
/// line, "\n" or "\r\n" ended; an empty line, a missing column, an unparsable number or one
/// key with two values is an error, as it is when TensorFlow initializes the table.
Expected<TextFileTable> read_table_text_file(const std::filesystem::path& file, const TextFileTableSpec& spec);

}  // namespace litelint::converter
