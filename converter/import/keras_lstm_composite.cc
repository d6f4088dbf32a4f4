// Recognises Keras 2's LSTM composite functions (attr api_implements = "lstm_<uuid>") and
// replaces each body by the fused op that legalization turns into UNIDIRECTIONAL_SEQUENCE_LSTM,
// as TensorFlow's converter does in prepare_composite_functions_tf.cc before it inlines calls.
//
// Semantics of the function (Keras's standard_lstm and its cuDNN twin, which share the attr):
//   last_output  outputs[:, -1] (time-major: outputs[-1])
//   outputs      every step's h, in processing order (reversed input for go_backwards), or
//                only the last step, expanded, when the layer has return_sequences=False
//   new_h        the final h, which is the last output
//   new_c        the final cell state
//   runtime      a constant telling which implementation ran
// Unlike TensorFlow 2.21's converter, which declines when the batch size is not fixed (the
// corpus's Keras LSTMs all have a dynamic batch) and so fails on the While loop's TensorLists,
// this fuses regardless of the batch; the TFLite tensors take the static batch that
// legalization gives unknown dimensions.
#include "converter/import/keras_lstm_composite.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include "analyzer/ir/tensor.h"

namespace litelint::converter::import {
namespace {

constexpr std::size_t kArgs = 6;     // inputs, init_h, init_c, kernel, recurrent_kernel, bias
constexpr std::size_t kResults = 5;  // last_output, outputs, new_h, new_c, runtime

bool is_lstm_composite(const ir::Function& fn) {
  const ir::AttrValue* a = nullptr;
  if (auto it = fn.attrs.find("api_implements"); it != fn.attrs.end()) a = &it->second;
  const std::string* s = a != nullptr ? a->as_string() : nullptr;
  return s != nullptr && s->starts_with("lstm_");
}

/// The shape the function's signature records for argument i; unknown when it records none.
ir::Shape arg_shape(const ir::Function& fn, std::size_t i) {
  auto a = fn.arg_attrs.find(static_cast<std::int32_t>(i));
  if (a == fn.arg_attrs.end()) return {};
  auto s = a->second.find("_output_shapes");
  if (s == a->second.end() || s->second.as_list() == nullptr || s->second.as_list()->shape.empty()) return {};
  return s->second.as_list()->shape[0];
}

std::optional<bool> bool_attr(const ir::Function& fn, const char* key) {
  auto it = fn.attrs.find(key);
  if (it == fn.attrs.end() || it->second.as_bool() == nullptr) return std::nullopt;
  return *it->second.as_bool();
}

/// The body node result `name` comes from, looking through Identity.
const ir::Node* result_node(const ir::Function& fn, const std::string& name) {
  auto r = fn.ret.find(name);
  if (r == fn.ret.end()) return nullptr;
  auto ref = ir::TensorRef::parse(r->second);
  for (int hops = 0; ref && hops < 16; ++hops) {
    const ir::Node* n = fn.body.find(ref->node);
    if (n == nullptr || n->op != "Identity" || n->inputs.empty()) return n;
    ref = n->inputs[0];
  }
  return nullptr;
}

/// The first `_output_shapes` entry of the body node that returns result `name`.
ir::Shape result_shape(const ir::Function& fn, const std::string& name) {
  auto r = fn.ret.find(name);
  if (r == fn.ret.end()) return {};
  auto ref = ir::TensorRef::parse(r->second);
  const ir::Node* n = ref ? fn.body.find(ref->node) : nullptr;
  const ir::AttrValue* s = n != nullptr ? n->attr("_output_shapes") : nullptr;
  if (s == nullptr || s->as_list() == nullptr || s->as_list()->shape.empty()) return {};
  return s->as_list()->shape[0];
}

ir::TensorRef ref_to(const std::string& node, std::int32_t index = 0) {
  ir::TensorRef r;
  r.node = node;
  r.index = index;
  return r;
}

ir::Node int32_const(std::string name, const std::vector<std::int32_t>& values) {
  auto bytes = std::make_shared<std::vector<std::byte>>(values.size() * sizeof(std::int32_t));
  std::memcpy(bytes->data(), values.data(), bytes->size());
  ir::Shape shape(std::vector<std::int64_t>{static_cast<std::int64_t>(values.size())});
  ir::Tensor tensor(ir::DType::Int32, shape, [bytes] {
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(*bytes);
    out.keep_alive = bytes;
    return Expected<ir::TensorBytes>(std::move(out));
  });
  tensor.set_byte_size(bytes->size());
  ir::Node c;
  c.name = std::move(name);
  c.op = "Const";
  c.attrs["dtype"].value = ir::DType::Int32;
  c.attrs["value"].value = tensor;
  c.outputs = {ir::TensorType{ir::DType::Int32, shape}};
  return c;
}

ir::Node op_node(std::string name, std::string op, std::vector<ir::TensorRef> inputs) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  n.inputs = std::move(inputs);
  n.attrs["T"].value = ir::DType::Float;
  return n;
}

/// What a recognised function needs for its new body.
struct LstmSignature {
  bool time_major = false;
  bool go_backwards = false;
  bool last_step_only = false;  ///< `outputs` holds only the last step (return_sequences=False)
  ir::Shape input;              ///< rank 3 or unknown
  std::int64_t units = -1;
  const ir::Node* runtime = nullptr;
};

/// Checks that `fn` has the composite's signature; the reason when it has not.
std::optional<std::string> check(const ir::Function& fn, LstmSignature& sig) {
  if (!fn.body_loaded) return "its body is not loaded (nothing calls it)";
  if (fn.inputs.size() != kArgs) {
    return "it takes " + std::to_string(fn.inputs.size()) +
           " arguments; the fused operator takes (inputs, init_h, init_c, kernel, recurrent_kernel, bias) and no mask";
  }
  if (fn.outputs.size() != kResults) {
    return "it has " + std::to_string(fn.outputs.size()) +
           " results, not (last_output, outputs, new_h, new_c, runtime)";
  }
  for (const auto& arg : fn.inputs) {
    if (arg.type != ir::DType::Float || !arg.number_attr.empty() || !arg.type_list_attr.empty()) {
      return "argument '" + arg.name + "' is not one float32 tensor";
    }
  }
  auto time_major = bool_attr(fn, "time_major");
  if (!time_major) return "it has no bool attr 'time_major'";
  sig.time_major = *time_major;
  sig.go_backwards = bool_attr(fn, "go_backwards").value_or(false);

  sig.input = arg_shape(fn, 0);
  if (sig.input.has_rank() && sig.input.rank() != 3) return "its inputs have rank " + std::to_string(sig.input.rank()) + ", not 3";
  const ir::Shape kernel = arg_shape(fn, 3);
  const ir::Shape recurrent = arg_shape(fn, 4);
  const ir::Shape bias = arg_shape(fn, 5);
  if (!recurrent.has_rank() || recurrent.rank() != 2 || recurrent.dim(0) <= 0 || recurrent.dim(1) != 4 * recurrent.dim(0)) {
    return "its recurrent_kernel shape " + recurrent.to_string() + " is not a static [units, 4 * units]";
  }
  sig.units = recurrent.dim(0);
  if (!kernel.has_rank() || kernel.rank() != 2 || kernel.dim(1) != 4 * sig.units) {
    return "its kernel shape " + kernel.to_string() + " is not [input, 4 * units]";
  }
  if (!bias.has_rank() || bias.rank() != 1 || bias.dim(0) != 4 * sig.units) {
    return "its bias shape " + bias.to_string() + " is not [4 * units]";
  }

  sig.runtime = result_node(fn, fn.outputs[4].name);
  if (sig.runtime == nullptr || sig.runtime->op != "Const") return "its runtime result is not a constant";
  // return_sequences=False makes Keras's rnn keep one step: `outputs` is [batch, 1, units].
  const ir::Shape outputs = result_shape(fn, fn.outputs[1].name);
  const std::size_t time_axis = sig.time_major ? 0 : 1;
  if (outputs.has_rank() && outputs.rank() == 3 && outputs.dim(time_axis) == 1) sig.last_step_only = true;
  return std::nullopt;
}

/// The fused body, in function syntax (arguments by name, node outputs as "node:i").
ir::NodeList fused_body(const ir::Function& fn, const LstmSignature& sig, std::map<std::string, std::string>& ret) {
  const std::int32_t time_axis = sig.time_major ? 0 : 1;
  ir::NodeList body;
  ir::TensorRef input = ref_to(fn.inputs[0].name);
  auto seq_shape = [&]() {
    if (!sig.input.has_rank()) return ir::Shape(std::vector<std::int64_t>{-1, -1, sig.units});
    return ir::Shape(std::vector<std::int64_t>{sig.input.dim(0), sig.input.dim(1), sig.units});
  };
  if (sig.go_backwards) {
    body.add(int32_const("reverse/axis", {time_axis}));
    ir::Node rev = op_node("reverse", "ReverseV2", {input, ref_to("reverse/axis")});
    rev.attrs["Tidx"].value = ir::DType::Int32;
    rev.outputs = {ir::TensorType{ir::DType::Float, sig.input}};
    body.add(std::move(rev));
    input = ref_to("reverse");
  }
  std::vector<ir::TensorRef> lstm_inputs{input};
  for (std::size_t i = 1; i < kArgs; ++i) lstm_inputs.push_back(ref_to(fn.inputs[i].name));
  ir::Node lstm = op_node("lstm", std::string(kKerasLstmOp), std::move(lstm_inputs));
  lstm.attrs["time_major"].value = sig.time_major;
  lstm.outputs = {ir::TensorType{ir::DType::Float, seq_shape()}};
  body.add(std::move(lstm));

  // last_output = outputs[:, -1, :] (time-major: outputs[-1, :, :]): begin -1 on the time
  // axis, masks on the other two, the time axis shrunk.
  const std::int64_t others = sig.time_major ? 0b110 : 0b101;
  std::vector<std::int32_t> begin{0, 0, 0};
  begin[static_cast<std::size_t>(time_axis)] = -1;
  body.add(int32_const("last_output/begin", begin));
  body.add(int32_const("last_output/end", {0, 0, 0}));
  body.add(int32_const("last_output/strides", {1, 1, 1}));
  ir::Node last = op_node("last_output", "StridedSlice",
                          {ref_to("lstm"), ref_to("last_output/begin"), ref_to("last_output/end"),
                           ref_to("last_output/strides")});
  last.attrs["Index"].value = ir::DType::Int32;
  last.attrs["begin_mask"].value = others;
  last.attrs["end_mask"].value = others;
  last.attrs["ellipsis_mask"].value = std::int64_t{0};
  last.attrs["new_axis_mask"].value = std::int64_t{0};
  last.attrs["shrink_axis_mask"].value = std::int64_t{1} << time_axis;
  body.add(std::move(last));

  std::string outputs = "lstm:0";
  if (sig.last_step_only) {
    body.add(int32_const("last_step/axis", {time_axis}));
    ir::Node expand = op_node("last_step", "ExpandDims", {ref_to("last_output"), ref_to("last_step/axis")});
    expand.attrs["Tdim"].value = ir::DType::Int32;
    body.add(std::move(expand));
    outputs = "last_step:0";
  }
  ir::Node cell = op_node("cell_state", std::string(kKerasLstmCellStateOp), {ref_to("lstm")});
  cell.outputs = {ir::TensorType{ir::DType::Float, ir::Shape(std::vector<std::int64_t>{-1, sig.units})}};
  body.add(std::move(cell));
  ir::Node runtime = *sig.runtime;
  runtime.name = "runtime";
  runtime.inputs.clear();
  body.add(std::move(runtime));

  ret.clear();
  ret[fn.outputs[0].name] = "last_output:0";
  ret[fn.outputs[1].name] = outputs;
  ret[fn.outputs[2].name] = "last_output:0";
  ret[fn.outputs[3].name] = "cell_state:0";
  ret[fn.outputs[4].name] = "runtime:0";
  return body;
}

}  // namespace

bool has_keras_lstm_composites(const ir::Graph& graph) {
  for (const auto& fn : graph.functions) {
    if (fn.body_loaded && is_lstm_composite(fn)) return true;
  }
  return false;
}

std::vector<CompositeDecline> fuse_keras_lstm_composites(ir::Graph& graph) {
  std::vector<CompositeDecline> declined;
  for (auto& fn : graph.functions) {
    if (!is_lstm_composite(fn)) continue;
    LstmSignature sig;
    if (auto reason = check(fn, sig)) {
      // A function nothing calls needs no reason: it is never converted.
      if (fn.body_loaded) declined.push_back({fn.name, std::move(*reason)});
      continue;
    }
    std::map<std::string, std::string> ret;
    ir::NodeList body = fused_body(fn, sig, ret);
    fn.body = std::move(body);
    fn.ret = std::move(ret);
    fn.control_ret.clear();
    fn.control_outputs.clear();
    fn.is_stateful = false;
  }
  return declined;
}

}  // namespace litelint::converter::import
