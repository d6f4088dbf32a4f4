#include "rules/tflite/op_options.h"

#include <cstddef>

#include "analyzer/tflite/schema.h"

namespace litelint::rules {
namespace {

int act(tflite::ActivationFunctionType a) { return static_cast<int>(a); }

TfliteOpOptions read_one(const tflite::Operator& op) {
  TfliteOpOptions o;
  if (const auto* c = op.builtin_options_as_Conv2DOptions()) {
    o.activation = act(c->fused_activation_function());
    o.stride_w = c->stride_w(), o.stride_h = c->stride_h();
    o.dilation_w = c->dilation_w_factor(), o.dilation_h = c->dilation_h_factor();
    o.present = true;
  } else if (const auto* d = op.builtin_options_as_DepthwiseConv2DOptions()) {
    o.activation = act(d->fused_activation_function());
    o.stride_w = d->stride_w(), o.stride_h = d->stride_h();
    o.dilation_w = d->dilation_w_factor(), o.dilation_h = d->dilation_h_factor();
    o.depth_multiplier = d->depth_multiplier();
    o.present = true;
  } else if (const auto* p = op.builtin_options_as_Pool2DOptions()) {
    o.activation = act(p->fused_activation_function());
    o.stride_w = p->stride_w(), o.stride_h = p->stride_h();
    o.filter_w = p->filter_width(), o.filter_h = p->filter_height();
    o.present = true;
  } else if (const auto* f = op.builtin_options_as_FullyConnectedOptions()) {
    o.activation = act(f->fused_activation_function());
    o.weights_format = static_cast<int>(f->weights_format());
    o.keep_num_dims = f->keep_num_dims();
    o.present = true;
  } else if (const auto* a = op.builtin_options_as_AddOptions()) {
    o.activation = act(a->fused_activation_function());
    o.present = true;
  } else if (const auto* s = op.builtin_options_as_SubOptions()) {
    o.activation = act(s->fused_activation_function());
    o.present = true;
  } else if (const auto* m = op.builtin_options_as_MulOptions()) {
    o.activation = act(m->fused_activation_function());
    o.present = true;
  } else if (const auto* v = op.builtin_options_as_DivOptions()) {
    o.activation = act(v->fused_activation_function());
    o.present = true;
  } else if (const auto* c2 = op.builtin_options_as_ConcatenationOptions()) {
    o.activation = act(c2->fused_activation_function());
    o.axis = c2->axis();
    o.present = true;
  } else if (const auto* t = op.builtin_options_as_TransposeConvOptions()) {
    o.activation = act(t->fused_activation_function());
    o.stride_w = t->stride_w(), o.stride_h = t->stride_h();
    o.present = true;
  } else if (const auto* sm = op.builtin_options_as_SoftmaxOptions()) {
    o.beta = sm->beta();
    o.present = true;
  } else if (const auto* ss = op.builtin_options_as_StridedSliceOptions()) {
    o.ellipsis_mask = ss->ellipsis_mask();
    o.new_axis_mask = ss->new_axis_mask();
    o.shrink_axis_mask = ss->shrink_axis_mask();
    o.present = true;
  } else if (const auto* ds = op.builtin_options_as_DepthToSpaceOptions()) {
    o.block_size = ds->block_size();
    o.present = true;
  } else if (const auto* sd = op.builtin_options_as_SpaceToDepthOptions()) {
    o.block_size = sd->block_size();
    o.present = true;
  }
  return o;
}

}  // namespace

std::vector<std::vector<TfliteOpOptions>> read_op_options(const ir::TfliteModel& model) {
  std::vector<std::vector<TfliteOpOptions>> out(model.subgraphs.size());
  for (std::size_t s = 0; s < model.subgraphs.size(); ++s) {
    out[s].resize(model.subgraphs[s].operators.size());
  }
  // The loader verified this FlatBuffer before building `model` from it, so the accessors
  // below stay inside the mapping; the counts are still compared with the IR's.
  if (!model.file || model.file->bytes().size() < 8) return out;
  const auto* root = tflite::GetModel(model.file->bytes().data());
  const auto* subgraphs = root->subgraphs();
  if (subgraphs == nullptr) return out;
  for (std::size_t s = 0; s < out.size() && s < subgraphs->size(); ++s) {
    const auto* ops = subgraphs->Get(static_cast<flatbuffers::uoffset_t>(s))->operators();
    if (ops == nullptr) continue;
    for (std::size_t i = 0; i < out[s].size() && i < ops->size(); ++i) {
      const auto* op = ops->Get(static_cast<flatbuffers::uoffset_t>(i));
      if (op != nullptr) out[s][i] = read_one(*op);
    }
  }
  return out;
}

}  // namespace litelint::rules
