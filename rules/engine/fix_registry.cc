#include <algorithm>

#include "rules/engine/fix.h"

namespace litelint::rules {

// Defined one per file beside their rules, rules/checks/<area>/<rule>_fix.cc.
std::unique_ptr<Fix> make_adjust_saturation_elementwise_fix();
std::unique_ptr<Fix> make_cholesky_unroll_fix();
std::unique_ptr<Fix> make_complex_pairs_fix();
std::unique_ptr<Fix> make_crop_and_resize_gather_fix();
std::unique_ptr<Fix> make_cumprod_unroll_fix();
std::unique_ptr<Fix> make_cut_python_front_fix();
std::unique_ptr<Fix> make_cut_string_front_fix();
std::unique_ptr<Fix> make_determinant_unroll_fix();
std::unique_ptr<Fix> make_einsum_as_batch_matmul_fix();
std::unique_ptr<Fix> make_erfc_approximate_fix();
std::unique_ptr<Fix> make_erfinv_approximate_fix();
std::unique_ptr<Fix> make_igamma_unroll_fix();
std::unique_ptr<Fix> make_extract_patches_gather_fix();
std::unique_ptr<Fix> make_hsv_to_rgb_elementwise_fix();
std::unique_ptr<Fix> make_inverse_unroll_fix();
std::unique_ptr<Fix> make_irfft_matmul_fix();
std::unique_ptr<Fix> make_narrow_float64_fix();
std::unique_ptr<Fix> make_pool3d_as_2d_fix();
std::unique_ptr<Fix> make_print_remove_fix();
std::unique_ptr<Fix> make_rgb_to_hsv_elementwise_fix();
std::unique_ptr<Fix> make_segment_to_unsorted_fix();
std::unique_ptr<Fix> make_shuffle_by_sort_fix();
std::unique_ptr<Fix> make_stateless_random_fold_fix();
std::unique_ptr<Fix> make_static_input_shape_fix();
std::unique_ptr<Fix> make_widen_small_int_fix();

namespace {

// One line per fix, sorted by rule code then id; fix_registry_test checks the order.
std::vector<std::unique_ptr<Fix>> build() {
  std::vector<std::unique_ptr<Fix>> f;
  f.push_back(make_adjust_saturation_elementwise_fix());  // LL101
  f.push_back(make_cholesky_unroll_fix());     // LL101
  f.push_back(make_complex_pairs_fix());       // LL101
  f.push_back(make_crop_and_resize_gather_fix());  // LL101
  f.push_back(make_cumprod_unroll_fix());      // LL101
  f.push_back(make_cut_string_front_fix());    // LL101
  f.push_back(make_determinant_unroll_fix());  // LL101
  f.push_back(make_extract_patches_gather_fix());  // LL101
  f.push_back(make_hsv_to_rgb_elementwise_fix());  // LL101
  f.push_back(make_inverse_unroll_fix());      // LL101
  f.push_back(make_irfft_matmul_fix());        // LL101
  f.push_back(make_pool3d_as_2d_fix());  // LL101
  f.push_back(make_print_remove_fix());        // LL101
  f.push_back(make_rgb_to_hsv_elementwise_fix());  // LL101
  f.push_back(make_segment_to_unsorted_fix());  // LL101
  f.push_back(make_shuffle_by_sort_fix());     // LL101
  f.push_back(make_stateless_random_fold_fix());  // LL101
  f.push_back(make_cut_python_front_fix());   // LL102
  f.push_back(make_erfc_approximate_fix());    // LL102
  f.push_back(make_erfinv_approximate_fix());  // LL102
  f.push_back(make_igamma_unroll_fix());       // LL102
  f.push_back(make_narrow_float64_fix());      // LL201
  f.push_back(make_widen_small_int_fix());     // LL201
  f.push_back(make_einsum_as_batch_matmul_fix());  // LL204
  f.push_back(make_static_input_shape_fix());  // LL404
  return f;
}

}  // namespace

const std::vector<std::unique_ptr<Fix>>& all_fixes() {
  static const std::vector<std::unique_ptr<Fix>> fixes = build();
  return fixes;
}

const Fix* find_fix(std::string_view id) {
  for (const auto& f : all_fixes()) {
    if (f->info().id == id) return f.get();
  }
  return nullptr;
}

std::vector<const Fix*> fixes_for(std::string_view code) {
  std::vector<const Fix*> out;
  for (const auto& f : all_fixes()) {
    if (f->info().code == code) out.push_back(f.get());
  }
  return out;
}

std::string_view to_string(Applicability a) {
  switch (a) {
    case Applicability::Safe: return "safe";
    case Applicability::Unsafe: return "unsafe";
    case Applicability::DisplayOnly: return "display-only";
  }
  return "safe";
}

}  // namespace litelint::rules
