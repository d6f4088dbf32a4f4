#include "analyzer/ir/tflite_model.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>

#include "analyzer/tflite/schema.h"

namespace litelint::ir {

std::string tflite_type_name(TfliteType t) {
  const auto n = static_cast<std::int8_t>(t);
  const auto min = static_cast<std::int8_t>(tflite::TensorType::MIN);
  const auto max = static_cast<std::int8_t>(tflite::TensorType::MAX);
  if (n < min || n > max) return "TYPE(" + std::to_string(n) + ")";
  return tflite::EnumNameTensorType(static_cast<tflite::TensorType>(n));
}

std::optional<DType> to_dtype(TfliteType t) {
  switch (t) {
    case TfliteType::Float32: return DType::Float;
    case TfliteType::Float16: return DType::Half;
    case TfliteType::Int32: return DType::Int32;
    case TfliteType::UInt8: return DType::UInt8;
    case TfliteType::Int64: return DType::Int64;
    case TfliteType::String: return DType::String;
    case TfliteType::Bool: return DType::Bool;
    case TfliteType::Int16: return DType::Int16;
    case TfliteType::Complex64: return DType::Complex64;
    case TfliteType::Int8: return DType::Int8;
    case TfliteType::Float64: return DType::Double;
    case TfliteType::Complex128: return DType::Complex128;
    case TfliteType::UInt64: return DType::UInt64;
    case TfliteType::Resource: return DType::Resource;
    case TfliteType::Variant: return DType::Variant;
    case TfliteType::UInt32: return DType::UInt32;
    case TfliteType::UInt16: return DType::UInt16;
    case TfliteType::Int4: return DType::Int4;
    case TfliteType::BFloat16: return DType::BFloat16;
    case TfliteType::Int2: return DType::Int2;
    case TfliteType::UInt4: return DType::UInt4;
    case TfliteType::Float8E4M3FN: return DType::Float8E4M3FN;
    case TfliteType::Float8E5M2: return DType::Float8E5M2;
  }
  return std::nullopt;
}

std::optional<std::size_t> tflite_type_bits(TfliteType t) {
  switch (t) {
    case TfliteType::Float32:
    case TfliteType::Int32:
    case TfliteType::UInt32:
      return 32;
    case TfliteType::Float16:
    case TfliteType::Int16:
    case TfliteType::UInt16:
    case TfliteType::BFloat16:
      return 16;
    case TfliteType::UInt8:
    case TfliteType::Bool:
    case TfliteType::Int8:
    case TfliteType::Float8E4M3FN:
    case TfliteType::Float8E5M2:
      return 8;
    case TfliteType::Int64:
    case TfliteType::Complex64:
    case TfliteType::Float64:
    case TfliteType::UInt64:
      return 64;
    case TfliteType::Complex128:
      return 128;
    case TfliteType::Int4:
    case TfliteType::UInt4:
      return 4;
    case TfliteType::Int2:
      return 2;
    case TfliteType::String:
    case TfliteType::Resource:
    case TfliteType::Variant:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string builtin_op_name(std::int32_t builtin_code) {
  const auto min = static_cast<std::int32_t>(tflite::BuiltinOperator::MIN);
  const auto max = static_cast<std::int32_t>(tflite::BuiltinOperator::MAX);
  if (builtin_code < min || builtin_code > max) {
    return "UNKNOWN_BUILTIN_" + std::to_string(builtin_code);
  }
  return tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(builtin_code));
}

namespace {

std::string squashed_lower(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Upstream's own convention (LiteRT's option_writer_generator): the table of op FOO_BAR is
// FooBarOptions, compared without case and underscores; these ops share a table or are
// named otherwise.
constexpr std::pair<std::string_view, std::string_view> kOptionsExceptions[] = {
    {"AVERAGE_POOL_2D", "Pool2DOptions"},
    {"MAX_POOL_2D", "Pool2DOptions"},
    {"L2_POOL_2D", "Pool2DOptions"},
    {"MEAN", "ReducerOptions"},
    {"SUM", "ReducerOptions"},
    {"REDUCE_PROD", "ReducerOptions"},
    {"REDUCE_MAX", "ReducerOptions"},
    {"REDUCE_MIN", "ReducerOptions"},
    {"REDUCE_ANY", "ReducerOptions"},
    {"REDUCE_ALL", "ReducerOptions"},
    {"CONV_3D", "Conv3DOptions"},
    {"CONV_3D_TRANSPOSE", "Conv3DOptions"},
    {"RANDOM_STANDARD_NORMAL", "RandomOptions"},
    {"RANDOM_UNIFORM", "RandomOptions"},
    {"MULTINOMIAL", "RandomOptions"},
    {"MAXIMUM", "MaximumMinimumOptions"},
    {"MINIMUM", "MaximumMinimumOptions"},
    {"UNIDIRECTIONAL_SEQUENCE_RNN", "SequenceRNNOptions"},
    {"L2_NORMALIZATION", "L2NormOptions"},
};

// Index = builtin code; computed once from the generated enum names.
const std::vector<std::string_view>& options_tables() {
  static const std::vector<std::string_view> tables = [] {
    std::vector<std::string_view> members;
    for (const char* const* names : {tflite::EnumNamesBuiltinOptions(), tflite::EnumNamesBuiltinOptions2()}) {
      for (std::size_t i = 1; names[i] != nullptr; ++i) members.emplace_back(names[i]);
    }
    const auto max = static_cast<std::size_t>(tflite::BuiltinOperator::MAX);
    std::vector<std::string_view> out(max + 1);
    for (std::size_t code = 0; code <= max; ++code) {
      const std::string_view op = tflite::EnumNamesBuiltinOperator()[code];
      const auto exception = std::find_if(std::begin(kOptionsExceptions), std::end(kOptionsExceptions),
                                          [&](const auto& e) { return e.first == op; });
      if (exception != std::end(kOptionsExceptions)) {
        out[code] = exception->second;
        continue;
      }
      const auto wanted = squashed_lower(op) + "options";
      for (auto m : members) {
        if (squashed_lower(m) == wanted) out[code] = m;
      }
    }
    return out;
  }();
  return tables;
}

}  // namespace

std::string_view builtin_options_table(std::int32_t builtin_code) {
  const auto& tables = options_tables();
  if (builtin_code < 0 || static_cast<std::size_t>(builtin_code) >= tables.size()) return {};
  return tables[static_cast<std::size_t>(builtin_code)];
}

std::string options_name(const TfliteOperator& op) {
  auto name = [](std::uint8_t ordinal, std::uint8_t max, const char* const* names) {
    if (ordinal > max) return "UNKNOWN(" + std::to_string(ordinal) + ")";
    return std::string(names[ordinal]);
  };
  if (op.builtin_options_2_type != 0) {
    return name(op.builtin_options_2_type, static_cast<std::uint8_t>(tflite::BuiltinOptions2::MAX),
                tflite::EnumNamesBuiltinOptions2());
  }
  return name(op.builtin_options_type, static_cast<std::uint8_t>(tflite::BuiltinOptions::MAX),
              tflite::EnumNamesBuiltinOptions());
}

std::string tflite_op_name(const TfliteOperatorCode& code) {
  if (code.is_custom()) return "CUSTOM:" + code.custom_code;
  return builtin_op_name(code.builtin_code);
}

std::vector<std::string> op_types(const TfliteModel& model) {
  std::vector<bool> used(model.operator_codes.size(), false);
  for (const auto& sg : model.subgraphs) {
    for (const auto& op : sg.operators) {
      if (op.opcode_index < used.size()) used[op.opcode_index] = true;
    }
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (used[i]) names.insert(tflite_op_name(model.operator_codes[i]));
  }
  return {names.begin(), names.end()};
}

std::span<const std::byte> buffer_data(const TfliteModel& model, std::uint32_t index) {
  if (index >= model.buffers.size() || !model.file) return {};
  const auto& b = model.buffers[index];
  // The loader checked offset + size against the file, so this never reads past the mapping.
  if (!b.has_data() || b.offset > model.file->size() || b.size > model.file->size() - b.offset) {
    return {};
  }
  return model.file->bytes().subspan(static_cast<std::size_t>(b.offset),
                                     static_cast<std::size_t>(b.size));
}

}  // namespace litelint::ir
