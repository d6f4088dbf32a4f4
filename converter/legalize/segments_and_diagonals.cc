// Segment reductions and matrix diagonals: TF ops whose TFLite builtin takes the same
// operands once the TF-only ones are known to hold their defaults. The builtin names are the
// op database's; the conditions (`when` in tf_ops.toml) are checked here on the constants.
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// Emits the builtin on the first `n` inputs.
Expected<void> emit_first(LoweringContext& ctx, std::size_t n) {
  auto builtin = database_builtin(ctx);
  if (!builtin) return unexpected(builtin.error());
  std::vector<std::int32_t> inputs;
  for (std::size_t i = 0; i < n; ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  ctx.emit(*builtin, std::move(inputs), {ctx.output(0)});
  return {};
}

// SegmentSum(data, segment_ids); the Unsorted forms add num_segments, which TFLite takes as
// an operand too.
Expected<void> lower_segment(LoweringContext& ctx) { return emit_first(ctx, ctx.input_count()); }

bool scalar_is(const ConstValue* c, double v) {
  if (c == nullptr) return false;
  auto d = c->doubles();
  if (!d || d->empty()) return false;
  for (double x : *d) {
    if (x != v) return false;
  }
  return true;
}

// MatrixDiagV2/V3(diagonal, k, num_rows, num_cols, padding_value): MATRIX_DIAG is the main
// diagonal of a square matrix with zero padding, i.e. k = 0, num_rows = num_cols = -1.
Expected<void> lower_matrix_diag(LoweringContext& ctx) {
  if (ctx.input_count() >= 5) {
    if (!scalar_is(ctx.constant(1), 0) || !scalar_is(ctx.constant(2), -1) ||
        !scalar_is(ctx.constant(3), -1) || !scalar_is(ctx.constant(4), 0)) {
      return ctx.fail("MATRIX_DIAG takes only the main diagonal (k = 0) of a square matrix with zero padding");
    }
  }
  return emit_first(ctx, 1);
}

// MatrixSetDiagV2/V3(input, diagonal, k): MATRIX_SET_DIAG sets the main diagonal (k = 0).
Expected<void> lower_matrix_set_diag(LoweringContext& ctx) {
  if (ctx.input_count() >= 3 && !scalar_is(ctx.constant(2), 0)) {
    return ctx.fail("MATRIX_SET_DIAG sets only the main diagonal (k = 0)");
  }
  return emit_first(ctx, 2);
}

}  // namespace

std::span<const Lowering> segments_and_diagonals() {
  static constexpr Lowering kLowerings[] = {
      {"MatrixDiag", lower_matrix_diag},
      {"MatrixDiagV2", lower_matrix_diag},
      {"MatrixDiagV3", lower_matrix_diag},
      {"MatrixSetDiag", lower_matrix_set_diag},
      {"MatrixSetDiagV2", lower_matrix_set_diag},
      {"MatrixSetDiagV3", lower_matrix_set_diag},
      {"SegmentSum", lower_segment},
      {"UnsortedSegmentMax", lower_segment},
      {"UnsortedSegmentMin", lower_segment},
      {"UnsortedSegmentProd", lower_segment},
      {"UnsortedSegmentSum", lower_segment},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
