#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "converter/legalize/legalize.h"
#include "tests/converter/legalize/graph_builder.h"

// Helpers of the shape/slicing/reduction/selection lowering tests: legalize a GraphBuilder
// program whose node output types the test may override (GraphBuilder makes one float32
// output per node), and read operators back.
namespace litelint::testing {

using Names = std::vector<std::string>;
using TypeList = std::vector<ir::TensorType>;

/// Legalizes `b`'s program after giving the nodes in `types` those output types.
inline converter::tfl::Model legalize_typed(const GraphBuilder& b,
                                            const std::vector<std::pair<std::string, TypeList>>& types = {}) {
  auto program = b.program();
  for (const auto& [name, outputs] : types) {
    auto* node = program.entries[0].nodes.find(name);
    REQUIRE(node != nullptr);
    node->outputs = outputs;
  }
  converter::ConvertReport report;
  auto model = converter::legalize(program, {}, report);
  INFO((model ? "" : model.error().reason()));
  REQUIRE(model);
  return std::move(*model);
}

/// The reason legalization of `b` fails with (empty when it succeeds).
inline std::string legalize_error(const GraphBuilder& b) {
  converter::ConvertReport report;
  auto model = converter::legalize(b.program(), {}, report);
  return model ? std::string() : model.error().reason();
}

inline ir::TensorType i32(std::vector<std::int64_t> dims) { return {ir::DType::Int32, ir::Shape(std::move(dims))}; }
inline ir::TensorType i64(std::vector<std::int64_t> dims) { return {ir::DType::Int64, ir::Shape(std::move(dims))}; }
inline ir::TensorType f32(std::vector<std::int64_t> dims) { return {ir::DType::Float, ir::Shape(std::move(dims))}; }
inline ir::TensorType boolean(std::vector<std::int64_t> dims) { return {ir::DType::Bool, ir::Shape(std::move(dims))}; }

/// The shape of tensor `t`.
inline std::vector<std::int32_t> shape_of(const converter::tfl::Subgraph& sg, std::int32_t t) {
  return sg.tensors[t].shape;
}

}  // namespace litelint::testing
