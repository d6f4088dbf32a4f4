// Grappler's and TF.js's fused ops (_FusedConv2D, FusedDepthwiseConv2dNative, _FusedMatMul):
// not TensorFlow ops that TFLiteConverter ever sees, but what every TF.js graph model holds.
// Each is unfused here into the standard ops it stands for -- the core op, BiasAdd (or an
// inference batch norm), then the activation -- and each part goes through the lowering
// registered for it, so that the fusions later rebuild one CONV_2D / FULLY_CONNECTED with its
// bias and activation exactly as for a SavedModel.
#include <fmt/format.h>

#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

// A standard TF node standing for one part of the fused op. Its outputs are typed like the
// fused node's (the parts keep the shape), and its name is the fused node's plus `suffix`, or
// the fused node's own for the last part, so that consumers find it.
ir::Node part(const ir::Node& fused, std::string op, std::string name,
              std::vector<ir::TensorRef> inputs) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  n.inputs = std::move(inputs);
  n.outputs = {fused.outputs.empty() ? ir::TensorType{} : fused.outputs[0]};
  if (const auto* t = fused.attr("T")) n.attrs["T"] = *t;
  return n;
}

Expected<void> lower_part(LoweringContext& ctx, const ir::Node& node) {
  const Lowering* lowering = find_lowering(node.op);
  if (lowering == nullptr) return ctx.fail(fmt::format("no lowering for its part {}", node.op));
  ctx.builder().slot(node.name, 0).type = node.outputs[0];
  LoweringContext part_ctx(ctx.builder(), node);
  auto ok = lowering->lower(part_ctx);
  if (!ok) return ctx.fail(ok.error().reason());
  return {};
}

// PReLU has no TF op of its own (Keras builds it from Relu/Neg/Mul); TF.js fuses it, and TFLite
// has the builtin.
Expected<void> lower_prelu_part(LoweringContext& ctx, const ir::TensorRef& x, const ir::TensorRef& alpha) {
  auto& builder = ctx.builder();
  TensorSlot& xs = builder.slot(x.node, x.index);
  TensorSlot& as = builder.slot(alpha.node, alpha.index);
  auto xt = builder.materialize(xs, x.node);
  if (!xt) return unexpected(xt.error());
  auto at = builder.materialize(as, alpha.node);
  if (!at) return unexpected(at.error());
  ctx.emit("PRELU", {*xt, *at}, {ctx.output(0)});
  return {};
}

Expected<void> lower_fused(LoweringContext& ctx, std::string core_op) {
  const ir::Node& fused = ctx.node();
  std::vector<ir::TensorRef> data;
  for (const auto& ref : fused.inputs) {
    if (!ref.control) data.push_back(ref);
  }
  if (data.size() < 2) return ctx.fail("needs an input and a filter or weights");
  std::vector<std::string> fused_ops;
  if (const auto* a = fused.attr("fused_ops"); a != nullptr && a->as_list() != nullptr) fused_ops = a->as_list()->s;
  if (fused_ops.empty() || fused_ops.size() > 2) {
    return ctx.fail(fmt::format("fused_ops of {} part(s) is not a form TF.js or grappler writes", fused_ops.size()));
  }
  const std::vector<ir::TensorRef> args(data.begin() + 2, data.end());

  // The core op, with the fused node's layout, strides, padding and transpose attrs.
  std::string current = fused.name + "/" + core_op;
  ir::Node core = part(fused, core_op, current, {data[0], data[1]});
  for (const auto& [key, value] : fused.attrs) {
    if (key != "fused_ops" && key != "num_args" && key != "epsilon" && key != "leakyrelu_alpha" &&
        key != "_output_shapes") {
      core.attrs[key] = value;
    }
  }
  if (fused_ops.size() == 1 && fused_ops[0] != "BiasAdd" && fused_ops[0] != "FusedBatchNorm") {
    return ctx.fail(fmt::format("fused op '{}' without a bias", fused_ops[0]));
  }
  const bool last_is_core_follower = fused_ops.size() == 1;
  if (auto ok = lower_part(ctx, core); !ok) return ok;

  // The bias (or batch norm) part.
  std::size_t used = 0;
  const std::string bias_name = last_is_core_follower ? fused.name : fused.name + "/" + fused_ops[0];
  if (fused_ops[0] == "BiasAdd") {
    if (args.empty()) return ctx.fail("BiasAdd without its bias operand");
    ir::Node bias = part(fused, "BiasAdd", bias_name, {ir::TensorRef{current, "", 0, false}, args[0]});
    if (const auto* f = fused.attr("data_format")) bias.attrs["data_format"] = *f;
    if (auto ok = lower_part(ctx, bias); !ok) return ok;
    used = 1;
  } else if (fused_ops[0] == "FusedBatchNorm") {
    if (args.size() < 4) return ctx.fail("FusedBatchNorm needs scale, offset, mean and variance");
    ir::Node bn = part(fused, "FusedBatchNormV3", bias_name,
                       {ir::TensorRef{current, "", 0, false}, args[0], args[1], args[2], args[3]});
    bn.attrs["is_training"].value = false;
    if (const auto* e = fused.attr("epsilon")) bn.attrs["epsilon"] = *e;
    if (const auto* f = fused.attr("data_format")) bn.attrs["data_format"] = *f;
    if (auto ok = lower_part(ctx, bn); !ok) return ok;
    used = 4;
  } else {
    return ctx.fail(fmt::format("first fused op '{}' is not BiasAdd or FusedBatchNorm", fused_ops[0]));
  }
  if (last_is_core_follower) return {};

  // The activation, under the fused node's own name.
  const ir::TensorRef biased{bias_name, "", 0, false};
  const std::string& act = fused_ops[1];
  if (act == "Prelu") {
    if (args.size() <= used) return ctx.fail("Prelu without its alpha operand");
    return lower_prelu_part(ctx, biased, args[used]);
  }
  if (act != "Relu" && act != "Relu6" && act != "Elu" && act != "Sigmoid" && act != "Tanh" &&
      act != "LeakyRelu") {
    return ctx.fail(fmt::format("fused activation '{}' is not lowered", act));
  }
  ir::Node activation = part(fused, act, fused.name, {biased});
  if (act == "LeakyRelu") {
    if (const auto* a = fused.attr("leakyrelu_alpha")) activation.attrs["alpha"] = *a;
  }
  return lower_part(ctx, activation);
}

Expected<void> lower_fused_conv2d(LoweringContext& ctx) { return lower_fused(ctx, "Conv2D"); }
Expected<void> lower_fused_depthwise(LoweringContext& ctx) {
  return lower_fused(ctx, "DepthwiseConv2dNative");
}
Expected<void> lower_fused_matmul(LoweringContext& ctx) { return lower_fused(ctx, "MatMul"); }

}  // namespace

std::span<const Lowering> fused_ops() {
  static constexpr Lowering kLowerings[] = {
      {"FusedDepthwiseConv2dNative", lower_fused_depthwise},
      {"_FusedConv2D", lower_fused_conv2d},
      {"_FusedDepthwiseConv2dNative", lower_fused_depthwise},
      {"_FusedMatMul", lower_fused_matmul},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
