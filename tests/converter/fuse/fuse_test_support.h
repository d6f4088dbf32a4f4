#pragma once

#include <catch2/catch.hpp>

#include "converter/fuse/fuse.h"
#include "converter/legalize/legalize.h"
#include "tests/converter/legalize/graph_builder.h"

namespace litelint::testing {

/// Legalizes the builder's program and runs the fusions on it, as `convert()` does before
/// op versions and writing; fails the test (naming the reason) when legalization fails.
inline converter::tfl::Model legalize_and_fuse(const GraphBuilder& b) {
  converter::ConvertReport report;
  auto model = converter::legalize(b.program(), {}, report);
  INFO((model ? "" : model.error().reason()));
  REQUIRE(model);
  converter::fuse(*model, report);
  return std::move(*model);
}

}  // namespace litelint::testing
