#include "converter/fuse/fuse.h"

#include "converter/fuse/passes.h"

namespace litelint::converter {

void fuse(tfl::Model& model, ConvertReport& report) {
  for (std::size_t i = 0; i < model.subgraphs.size(); ++i) {
    // Each fusion removes an operator, so the loop ends; bias first, so that an activation
    // after a bias ADD lands on the convolution rather than on the ADD.
    while (remove_identity_arithmetic(model, i, report) || remove_identity_slice(model, i, report) ||
           fuse_bias_add(model, i, report) ||
           fuse_mul_into_weights(model, i, report) || fuse_pad_into_conv(model, i, report) || fuse_transpose_pairs(model, i, report) ||
           move_bias_before_batch_to_space(model, i, report) ||
           remove_redundant_reshape(model, i, report) || fuse_gelu(model, i, report) ||
           fuse_hard_swish(model, i, report) ||
           fuse_activation(model, i, report)) {
    }
  }
  // Last, over every subgraph: a branch emptied by fusion makes its IF removable.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < model.subgraphs.size(); ++i) {
      while (remove_dead_operators(model, i, report)) changed = true;
    }
  }
  merge_duplicate_constants(model);
  remove_unused(model);
}

}  // namespace litelint::converter
