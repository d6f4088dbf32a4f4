// Recurrent layers (LSTM, GRU, SimpleRNN) as Keras 3's TensorFlow backend traces them: the
// input unstacked into a TensorList over time, a While loop whose body runs the cell and
// writes each step's output into a second TensorList, then TensorListStack. TFLiteConverter
// lowers those lists to plain tensors only when their element shape is static, which is why
// an unknown batch size makes a Keras RNN need Select TF ops (rule LL4xx
// tensor-list-element-shape). `unroll=True` traces the cell once per step, without a loop.
#include "analyzer/loaders/keras/expanders.h"

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

enum class Cell { Lstm, Gru, Simple };

int gates(Cell c) { return c == Cell::Lstm ? 4 : c == Cell::Gru ? 3 : 1; }

struct RnnConfig {
  Cell cell = Cell::Lstm;
  std::int64_t units = 0;
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  bool reset_after = true;
};

struct CellWeights {
  Value kernel, recurrent, bias;
  bool has_bias = false;
};

ir::Shape batch_units(std::int64_t batch, std::int64_t units) { return ir::Shape({batch, units}); }

Value matmul(GraphBuilder& b, const Value& x, const Value& w, std::int64_t cols) {
  return b.op("MatMul", {x, w}, {{"transpose_a", attr_bool(false)}, {"transpose_b", attr_bool(false)}}, x.dtype,
              with_last_dim(x.shape, cols));
}

std::vector<Value> split(GraphBuilder& b, const Value& x, int n, std::int64_t units) {
  Value dim = b.const_i32({-1}, "split/split_dim", true);
  std::vector<ir::TensorType> outs(static_cast<std::size_t>(n), ir::TensorType{x.dtype, with_last_dim(x.shape, units)});
  return b.multi_op("Split", {dim, x}, {{"T", attr_type(x.dtype)}, {"num_split", attr_int(n)}}, outs, "split");
}

// One step of the cell: new output and new states from x_t and the states.
Expected<std::vector<Value>> cell_step(LayerContext& ctx, const RnnConfig& rc, const Value& x, const std::vector<Value>& states,
                                       const CellWeights& w) {
  GraphBuilder& b = ctx.b;
  const std::int64_t u = rc.units;
  const Value& h = states[0];
  auto act = [&](const Value& v, const std::string& name) { return apply_activation(ctx, v, name); };
  if (rc.cell == Cell::Simple) {
    Value z = matmul(b, x, w.kernel, u);
    if (w.has_bias) z = b.op("BiasAdd", {z, w.bias}, {{"data_format", attr_string("NHWC")}}, z.dtype, z.shape);
    z = b.op("AddV2", {z, matmul(b, h, w.recurrent, u)}, {}, z.dtype, z.shape);
    auto y = act(z, rc.activation);
    if (!y) return unexpected(y.error());
    return std::vector<Value>{*y, *y};
  }
  if (rc.cell == Cell::Lstm) {
    Value z = b.op("AddV2", {matmul(b, x, w.kernel, 4 * u), matmul(b, h, w.recurrent, 4 * u)}, {}, x.dtype,
                   with_last_dim(h.shape, 4 * u));
    if (w.has_bias) z = b.op("BiasAdd", {z, w.bias}, {{"data_format", attr_string("NHWC")}}, z.dtype, z.shape);
    auto parts = split(b, z, 4, u);
    auto i = act(parts[0], rc.recurrent_activation);
    auto f = act(parts[1], rc.recurrent_activation);
    auto g = act(parts[2], rc.activation);
    auto o = act(parts[3], rc.recurrent_activation);
    if (!i || !f || !g || !o) return unexpected((!i ? i : !f ? f : !g ? g : o).error());
    Value c = b.op("AddV2", {b.op("Mul", {*f, states[1]}, {}, h.dtype, h.shape), b.op("Mul", {*i, *g}, {}, h.dtype, h.shape)},
                   {}, h.dtype, h.shape);
    auto tc = act(c, rc.activation);
    if (!tc) return unexpected(tc.error());
    Value hn = b.op("Mul", {*o, *tc}, {}, h.dtype, h.shape);
    return std::vector<Value>{hn, hn, c};
  }
  // GRU. reset_after (Keras 3 and TF2 default): the reset gate multiplies h @ U_h + b_h;
  // otherwise it multiplies h before the product (Keras 2.2 and cuDNN-incompatible models).
  Value mx = matmul(b, x, w.kernel, 3 * u);
  Value in_bias, rec_bias;
  if (w.has_bias) {
    if (rc.reset_after) {
      auto two = b.multi_op("Unpack", {w.bias}, {{"T", attr_type(w.bias.dtype)}, {"num", attr_int(2)}, {"axis", attr_int(0)}},
                            {ir::TensorType{w.bias.dtype, ir::Shape({3 * u})}, ir::TensorType{w.bias.dtype, ir::Shape({3 * u})}},
                            "unstack");
      in_bias = two[0];
      rec_bias = two[1];
    } else {
      in_bias = w.bias;
    }
    mx = b.op("BiasAdd", {mx, in_bias}, {{"data_format", attr_string("NHWC")}}, mx.dtype, mx.shape);
  }
  auto xp = split(b, mx, 3, u);
  Value z, r, hh;
  if (rc.reset_after) {
    Value mh = matmul(b, h, w.recurrent, 3 * u);
    if (w.has_bias) mh = b.op("BiasAdd", {mh, rec_bias}, {{"data_format", attr_string("NHWC")}}, mh.dtype, mh.shape);
    auto hp = split(b, mh, 3, u);
    auto zz = act(b.op("AddV2", {xp[0], hp[0]}, {}, h.dtype, h.shape), rc.recurrent_activation);
    auto rr = act(b.op("AddV2", {xp[1], hp[1]}, {}, h.dtype, h.shape), rc.recurrent_activation);
    if (!zz || !rr) return unexpected((!zz ? zz : rr).error());
    z = *zz;
    r = *rr;
    auto c = act(b.op("AddV2", {xp[2], b.op("Mul", {r, hp[2]}, {}, h.dtype, h.shape)}, {}, h.dtype, h.shape), rc.activation);
    if (!c) return unexpected(c.error());
    hh = *c;
  } else {
    // U split by columns: [u, 2u] for the gates, [u, u] for the candidate.
    auto uparts = b.multi_op("Split", {b.const_i32({-1}, "split_1/split_dim", true), w.recurrent},
                             {{"T", attr_type(w.recurrent.dtype)}, {"num_split", attr_int(3)}},
                             {ir::TensorType{w.recurrent.dtype, ir::Shape({u, u})}, ir::TensorType{w.recurrent.dtype, ir::Shape({u, u})},
                              ir::TensorType{w.recurrent.dtype, ir::Shape({u, u})}},
                             "split_1");
    auto zz = act(b.op("AddV2", {xp[0], matmul(b, h, uparts[0], u)}, {}, h.dtype, h.shape), rc.recurrent_activation);
    auto rr = act(b.op("AddV2", {xp[1], matmul(b, h, uparts[1], u)}, {}, h.dtype, h.shape), rc.recurrent_activation);
    if (!zz || !rr) return unexpected((!zz ? zz : rr).error());
    z = *zz;
    r = *rr;
    Value rh = b.op("Mul", {r, h}, {}, h.dtype, h.shape);
    auto c = act(b.op("AddV2", {xp[2], matmul(b, rh, uparts[2], u)}, {}, h.dtype, h.shape), rc.activation);
    if (!c) return unexpected(c.error());
    hh = *c;
  }
  // h' = z * h + (1 - z) * hh
  Value one_minus = b.op("Sub", {b.const_f32({1.0f}, {}, "sub/x"), z}, {}, h.dtype, h.shape);
  Value hn = b.op("AddV2", {b.op("Mul", {z, h}, {}, h.dtype, h.shape), b.op("Mul", {one_minus, hh}, {}, h.dtype, h.shape)}, {},
                  h.dtype, h.shape);
  return std::vector<Value>{hn, hn};
}

// zeros([batch, units]): a constant for a known batch, else Fill of Pack(Shape(x)[0], units).
Value zero_state(GraphBuilder& b, const Value& x, std::int64_t units, const char* name) {
  const std::int64_t batch = dim_or_unknown(x.shape, 0);
  if (batch >= 0) {
    return b.const_f32(std::vector<float>(static_cast<std::size_t>(batch * units), 0.0f), {batch, units}, name);
  }
  Value shape = b.op("Shape", {x}, {{"out_type", attr_type(ir::DType::Int32)}}, ir::DType::Int32,
                     ir::Shape({static_cast<std::int64_t>(x.shape.has_rank() ? x.shape.rank() : 3)}));
  Value n = b.op("StridedSlice",
                 {shape, b.const_i32({0}, "strided_slice/stack"), b.const_i32({1}, "strided_slice/stack_1"),
                  b.const_i32({1}, "strided_slice/stack_2")},
                 {{"Index", attr_type(ir::DType::Int32)}, {"begin_mask", attr_int(0)}, {"end_mask", attr_int(0)},
                  {"ellipsis_mask", attr_int(0)}, {"new_axis_mask", attr_int(0)}, {"shrink_axis_mask", attr_int(1)}},
                 ir::DType::Int32, ir::Shape::scalar());
  Value packed = b.op("Pack", {n, b.const_i32({static_cast<std::int32_t>(units)}, std::string(name) + "/packed/1", true)},
                      {{"N", attr_int(2)}, {"axis", attr_int(0)}}, ir::DType::Int32, ir::Shape({2}));
  return b.op("Fill", {packed, b.const_f32({0.0f}, {}, std::string(name) + "/Const")},
              {{"T", attr_type(ir::DType::Float)}, {"index_type", attr_type(ir::DType::Int32)}}, ir::DType::Float,
              ir::Shape({batch, units}));
}

ir::AttrValue type_list(const std::vector<ir::DType>& types) {
  ir::AttrList l;
  l.type = types;
  return ir::AttrValue{ir::Box<ir::AttrList>(std::move(l))};
}

ir::AttrValue shape_list(const std::vector<ir::Shape>& shapes) {
  ir::AttrList l;
  l.shape = shapes;
  return ir::AttrValue{ir::Box<ir::AttrList>(std::move(l))};
}

ir::AttrValue func(const std::string& name) { return ir::AttrValue{ir::Box<ir::FuncRef>(ir::FuncRef{name, {}})}; }

std::string flat(std::string s) {
  for (char& c : s) {
    if (c == '/') c = '_';
  }
  return s;
}

Expected<std::vector<Value>> rnn(LayerContext& ctx, const std::vector<Value>& in, Cell kind, const json& cfg,
                                 bool flip_backwards) {
  if (in.empty()) return ctx.error("expects an input");
  if (in.size() > 1) return ctx.unsupported("an RNN called with initial_state is not modelled");
  RnnConfig rc;
  rc.cell = kind;
  rc.units = cfg.value("units", std::int64_t{0});
  rc.activation = activation_name(cfg.value("activation", json("tanh")));
  rc.recurrent_activation = activation_name(cfg.value("recurrent_activation", json("sigmoid")));
  rc.use_bias = cfg.value("use_bias", true);
  // Keras 2.2 and TF.js write no reset_after and mean False; Keras 3 writes it.
  rc.reset_after = cfg.value("reset_after", false);
  const bool return_sequences = cfg.value("return_sequences", false);
  const bool return_state = cfg.value("return_state", false);
  const bool go_backwards = cfg.value("go_backwards", false) != flip_backwards;
  const bool unroll = cfg.value("unroll", false);
  const Value& x = in[0];
  if (!x.shape.has_rank() || x.shape.rank() != 3) return ctx.unsupported("an RNN over an input that is not [batch, time, features]");
  const std::int64_t batch = x.shape.dim(0), steps = x.shape.dim(1), features = x.shape.dim(2);
  if (steps < 0) return ctx.unsupported("an RNN over a sequence of unknown length is not modelled");
  const std::int64_t u = rc.units, g = gates(kind);
  std::vector<std::string> names{"kernel", "recurrent_kernel"};
  if (rc.use_bias) names.push_back("bias");
  auto vars = ctx.variables(names, "cell");
  if (!vars) return unexpected(vars.error());
  CellWeights w{(*vars)[0], (*vars)[1], rc.use_bias ? (*vars)[2] : Value{}, rc.use_bias};
  if (kind == Cell::Gru && rc.use_bias && !cfg.contains("reset_after")) {
    rc.reset_after = w.bias.shape.has_rank() && w.bias.shape.rank() == 2;
  }
  if (auto r = expect_shape(ctx, w.kernel, "kernel", {features, g * u}); !r) return unexpected(r.error());
  if (auto r = expect_shape(ctx, w.recurrent, "recurrent_kernel", {u, g * u}); !r) return unexpected(r.error());
  if (rc.use_bias) {
    auto want = kind == Cell::Gru && rc.reset_after ? std::vector<std::int64_t>{2, g * u} : std::vector<std::int64_t>{g * u};
    if (auto r = expect_shape(ctx, w.bias, "bias", want); !r) return unexpected(r.error());
  }
  GraphBuilder& b = ctx.b;
  const int nstates = kind == Cell::Lstm ? 2 : 1;
  std::vector<Value> states;
  for (int s = 0; s < nstates; ++s) states.push_back(zero_state(b, x, u, s == 0 ? "zeros" : "zeros_1"));
  const ir::Shape step_shape = batch_units(batch, u);

  if (unroll) {
    std::vector<Value> outs;
    for (std::int64_t t = 0; t < steps; ++t) {
      const auto at = static_cast<std::int32_t>(go_backwards ? steps - 1 - t : t);
      Value xt = b.op("StridedSlice",
                      {x, b.const_i32({0, at, 0}, "strided_slice/stack"), b.const_i32({0, at + 1, 0}, "strided_slice/stack_1"),
                       b.const_i32({1, 1, 1}, "strided_slice/stack_2")},
                      {{"Index", attr_type(ir::DType::Int32)}, {"begin_mask", attr_int(5)}, {"end_mask", attr_int(5)},
                       {"ellipsis_mask", attr_int(0)}, {"new_axis_mask", attr_int(0)}, {"shrink_axis_mask", attr_int(2)}},
                      x.dtype, ir::Shape({batch, features}));
      auto step = cell_step(ctx, rc, xt, states, w);
      if (!step) return unexpected(step.error());
      outs.push_back((*step)[0]);
      states.assign(step->begin() + 1, step->end());
    }
    std::vector<Value> result;
    if (return_sequences) {
      result.push_back(b.op("Pack", outs, {{"N", attr_int(static_cast<std::int64_t>(outs.size()))}, {"axis", attr_int(1)}},
                            x.dtype, ir::Shape({batch, steps, u})));
    } else {
      result.push_back(outs.back());
    }
    if (return_state) result.insert(result.end(), states.begin(), states.end());
    return result;
  }

  // Time-major input list and the output list.
  Value perm = b.const_i32({1, 0, 2}, "transpose/perm");
  Value xt = b.op("Transpose", {x, perm}, {{"Tperm", attr_type(ir::DType::Int32)}}, x.dtype, ir::Shape({steps, batch, features}));
  if (go_backwards) {
    xt = b.op("ReverseV2", {xt, b.const_i32({0}, "ReverseV2/axis")}, {{"Tidx", attr_type(ir::DType::Int32)}}, x.dtype, xt.shape);
  }
  const auto b32 = static_cast<std::int32_t>(batch);
  Value in_shape = b.const_i32({b32, static_cast<std::int32_t>(features)}, "TensorArrayUnstack/TensorListFromTensor/element_shape");
  Value in_list = b.op("TensorListFromTensor", {xt, in_shape},
                       {{"element_dtype", attr_type(x.dtype)}, {"shape_type", attr_type(ir::DType::Int32)}},
                       ir::DType::Variant, ir::Shape::scalar(), false);
  Value out_shape = b.const_i32({b32, static_cast<std::int32_t>(u)}, "TensorArrayV2_1/element_shape");
  Value out_list = b.op("TensorListReserve",
                        {out_shape, b.const_i32({static_cast<std::int32_t>(steps)}, "TensorArrayV2_1/num_elements", true)},
                        {{"element_dtype", attr_type(x.dtype)}, {"shape_type", attr_type(ir::DType::Int32)}},
                        ir::DType::Variant, ir::Shape::scalar(), false);

  // Loop variables: counter, max, time, output list, states..., input list, weights...
  std::vector<Value> loop{b.const_i32({0}, "while/loop_counter", true),
                          b.const_i32({static_cast<std::int32_t>(steps)}, "while/maximum_iterations", true),
                          b.const_i32({0}, "time", true), out_list};
  loop.insert(loop.end(), states.begin(), states.end());
  loop.push_back(in_list);
  loop.push_back(w.kernel);
  loop.push_back(w.recurrent);
  if (w.has_bias) loop.push_back(w.bias);
  std::vector<ir::DType> types;
  std::vector<ir::Shape> shapes;
  std::vector<ir::TensorType> out_types;
  for (const Value& v : loop) {
    types.push_back(v.dtype);
    shapes.push_back(v.shape);
    out_types.push_back({v.dtype, v.shape});
  }
  ir::Graph* graph = b.graph();
  if (graph == nullptr) return ctx.unsupported("an RNN inside a loop body is not modelled");
  std::string base = flat(b.scope()) + "_while";
  for (int n = 1; graph->find_function(base + "_body") != nullptr; ++n) {
    base = flat(b.scope()) + "_while_" + std::to_string(n);
  }
  auto make_args = [&](ir::Function& f, std::vector<Value>& args) {
    for (std::size_t i = 0; i < loop.size(); ++i) {
      const std::string name = "arg_" + std::to_string(i);
      f.inputs.push_back(ir::ArgDef{name, loop[i].dtype, {}, {}, {}, false});
      args.push_back(Value{name, loop[i].dtype, loop[i].shape});
    }
  };
  // cond: time < steps && counter < max
  ir::Function cond;
  cond.name = base + "_cond";
  {
    std::vector<Value> a;
    make_args(cond, a);
    GraphBuilder cb(cond.body, true);
    cb.set_layer(b.scope() + "/while", b.layer(), b.class_name());
    Value t = cb.op("Less", {a[2], cb.const_i32({static_cast<std::int32_t>(steps)}, "Less/y", true)}, {}, ir::DType::Bool,
                    ir::Shape::scalar());
    Value c = cb.op("Less", {a[0], a[1]}, {}, ir::DType::Bool, ir::Shape::scalar());
    Value both = cb.op("LogicalAnd", {c, t}, {}, ir::DType::Bool, ir::Shape::scalar(), false);
    cond.outputs.push_back(ir::ArgDef{"identity", ir::DType::Bool, {}, {}, {}, false});
    cond.ret["identity"] = both.ref;
  }
  ir::Function body;
  body.name = base + "_body";
  {
    std::vector<Value> a;
    make_args(body, a);
    GraphBuilder bb(body.body, true);
    bb.set_layer(b.scope() + "/while", b.layer(), b.class_name());
    LayerContext inner{bb, ctx.layer, ctx.chain, ctx.weights, ctx.call, nullptr, ctx.sub_prefix, ctx.sub_name};
    const std::size_t first_state = 4, in_at = 4 + static_cast<std::size_t>(nstates);
    Value elem_shape = bb.const_i32({b32, static_cast<std::int32_t>(features)}, "TensorArrayV2Read/TensorListGetItem/element_shape");
    Value x_t = bb.op("TensorListGetItem", {a[in_at], a[2], elem_shape}, {{"element_dtype", attr_type(x.dtype)}}, x.dtype,
                      ir::Shape({batch, features}), false);
    CellWeights bw{a[in_at + 1], a[in_at + 2], w.has_bias ? a[in_at + 3] : Value{}, w.has_bias};
    std::vector<Value> st(a.begin() + first_state, a.begin() + static_cast<std::ptrdiff_t>(in_at));
    auto step = cell_step(inner, rc, x_t, st, bw);
    if (!step) return unexpected(step.error());
    Value written = bb.op("TensorListSetItem", {a[3], a[2], (*step)[0]}, {{"element_dtype", attr_type(x.dtype)}},
                          ir::DType::Variant, ir::Shape::scalar(), false);
    Value time = bb.op("AddV2", {a[2], bb.const_i32({1}, "add/y", true)}, {}, ir::DType::Int32, ir::Shape::scalar());
    Value count = bb.op("AddV2", {a[0], bb.const_i32({1}, "add_1/y", true)}, {}, ir::DType::Int32, ir::Shape::scalar());
    std::vector<std::string> rets{count.ref, a[1].ref, time.ref, written.ref};
    for (std::size_t s = 1; s < step->size(); ++s) rets.push_back((*step)[s].ref);
    for (std::size_t i = in_at; i < loop.size(); ++i) rets.push_back(a[i].ref);
    for (std::size_t i = 0; i < rets.size(); ++i) {
      const std::string name = "identity_" + std::to_string(i);
      body.outputs.push_back(ir::ArgDef{name, loop[i].dtype, {}, {}, {}, false});
      body.ret[name] = rets[i];
    }
  }
  graph->functions.push_back(std::move(cond));
  graph->functions.push_back(std::move(body));
  auto outs = b.multi_op("While", loop,
                         {{"T", type_list(types)}, {"cond", func(base + "_cond")}, {"body", func(base + "_body")},
                          {"output_shapes", shape_list(shapes)}, {"parallel_iterations", attr_int(32)},
                          {"_lower_using_switch_merge", attr_bool(true)}},
                         out_types, "while");
  Value stack_shape = b.const_i32({b32, static_cast<std::int32_t>(u)}, "TensorArrayV2Stack/TensorListStack/element_shape");
  Value stacked = b.op("TensorListStack", {outs[3], stack_shape},
                       {{"element_dtype", attr_type(x.dtype)}, {"num_elements", attr_int(steps)}}, x.dtype,
                       ir::Shape({steps, batch, u}), false);
  std::vector<Value> result;
  if (return_sequences) {
    result.push_back(b.op("Transpose", {stacked, b.const_i32({1, 0, 2}, "transpose_1/perm")},
                          {{"Tperm", attr_type(ir::DType::Int32)}}, x.dtype, ir::Shape({batch, steps, u})));
  } else {
    result.push_back(b.op("StridedSlice",
                          {stacked, b.const_i32({-1}, "strided_slice_3/stack"), b.const_i32({0}, "strided_slice_3/stack_1"),
                           b.const_i32({1}, "strided_slice_3/stack_2")},
                          {{"Index", attr_type(ir::DType::Int32)}, {"begin_mask", attr_int(0)}, {"end_mask", attr_int(0)},
                           {"ellipsis_mask", attr_int(0)}, {"new_axis_mask", attr_int(0)}, {"shrink_axis_mask", attr_int(1)}},
                          x.dtype, step_shape));
  }
  if (return_state) {
    for (int s = 0; s < nstates; ++s) result.push_back(outs[4 + static_cast<std::size_t>(s)]);
  }
  return result;
}


std::optional<Cell> cell_of(std::string_view class_name) {
  if (class_name == "LSTM") return Cell::Lstm;
  if (class_name == "GRU") return Cell::Gru;
  if (class_name == "SimpleRNN") return Cell::Simple;
  return std::nullopt;
}

// "keras.layers>LSTM" and "LSTM" alike.
std::string plain(std::string c) {
  if (auto p = c.rfind('>'); p != std::string::npos) c = c.substr(p + 1);
  return c;
}

}  // namespace

Expected<std::vector<Value>> expand_lstm(LayerContext& c, const std::vector<Value>& in) {
  return rnn(c, in, Cell::Lstm, c.cfg(), false);
}
Expected<std::vector<Value>> expand_gru(LayerContext& c, const std::vector<Value>& in) {
  return rnn(c, in, Cell::Gru, c.cfg(), false);
}
Expected<std::vector<Value>> expand_simple_rnn(LayerContext& c, const std::vector<Value>& in) {
  return rnn(c, in, Cell::Simple, c.cfg(), false);
}

// Bidirectional: the forward RNN and a go_backwards copy (its own weights under
// `backward_layer`), the backward sequence flipped back in time, then merged.
Expected<std::vector<Value>> expand_bidirectional(LayerContext& ctx, const std::vector<Value>& in) {
  const json& cfg = ctx.cfg();
  const json inner = cfg.value("layer", json::object());
  if (!inner.is_object()) return ctx.error("Bidirectional has no inner layer");
  const auto kind = cell_of(plain(inner.value("class_name", "")));
  if (!kind) return ctx.unsupported("Bidirectional over '" + plain(inner.value("class_name", "")) + "' is not modelled");
  const json fcfg = inner.value("config", json::object());
  const json bcfg = cfg.contains("backward_layer") && cfg["backward_layer"].is_object()
                        ? cfg["backward_layer"].value("config", fcfg)
                        : fcfg;
  if (fcfg.value("return_state", false)) return ctx.unsupported("Bidirectional with return_state is not modelled");
  const std::string name = fcfg.value("name", std::string("rnn"));
  // Keras names the copies forward_<name> and backward_<name>; Keras 3 configs already hold
  // the prefixed names (tf.keras: "lstm", Keras 3: "forward_lstm_4"). A wrong name would fall
  // back to the wrapper's scope, where the backward weights come first.
  LayerContext fwd = ctx;
  fwd.sub_prefix = "forward_layer";
  fwd.sub_name = name.starts_with("forward_") ? name : "forward_" + name;
  auto f = rnn(fwd, in, *kind, fcfg, false);
  if (!f) return f;
  LayerContext bwd = ctx;
  bwd.sub_prefix = "backward_layer";
  std::string base = bcfg.value("name", name);
  for (std::string_view prefix : {"backward_", "forward_"}) {
    if (base.starts_with(prefix)) base.erase(0, prefix.size());
  }
  bwd.sub_name = "backward_" + base;
  auto r = rnn(bwd, in, *kind, bcfg, !cfg.contains("backward_layer"));
  if (!r) return r;
  GraphBuilder& b = ctx.b;
  Value y = f->front(), yr = r->front();
  if (fcfg.value("return_sequences", false)) {
    yr = b.op("ReverseV2", {yr, b.const_i32({1}, "ReverseV2/axis")}, {{"Tidx", attr_type(ir::DType::Int32)}}, yr.dtype,
              yr.shape);
  }
  const json mode = cfg.value("merge_mode", json("concat"));
  if (mode.is_null()) return std::vector<Value>{y, yr};
  const std::string m = mode.get<std::string>();
  ir::Shape out = y.shape;
  if (m == "concat") {
    if (out.has_rank()) {
      auto d = out.dims();
      d.back() = d.back() < 0 ? -1 : 2 * d.back();
      out = ir::Shape(d);
    }
    return std::vector<Value>{b.op("ConcatV2", {y, yr, b.const_i32({-1}, "concat/axis", true)},
                                   {{"N", attr_int(2)}, {"Tidx", attr_type(ir::DType::Int32)}}, y.dtype, out)};
  }
  if (m == "sum") return std::vector<Value>{b.op("AddV2", {y, yr}, {}, y.dtype, out)};
  if (m == "mul") return std::vector<Value>{b.op("Mul", {y, yr}, {}, y.dtype, out)};
  if (m == "ave") {
    Value s = b.op("AddV2", {y, yr}, {}, y.dtype, out);
    return std::vector<Value>{b.op("Mul", {s, b.const_f32({0.5f}, {}, "mul/y")}, {}, y.dtype, out)};
  }
  return ctx.unsupported("merge_mode '" + m + "' is not modelled");
}


}  // namespace litelint::analyzer::keras
