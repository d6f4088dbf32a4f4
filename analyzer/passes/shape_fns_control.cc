// Shape functions for control flow, function calls, variables, resources (TensorList,
// TensorArray, stacks, tables, queues, iterators), strings, summaries and TPU plumbing.
#include <string>

#include "analyzer/passes/shape_context.h"

namespace litelint::passes::shape_inference {
namespace {

using ir::DType;
using ir::Shape;
using ir::TensorType;

constexpr std::int64_t kUnknown = Shape::kUnknownDim;

DType elem_type(const InferenceContext& ctx, std::size_t input = 0) {
  return ctx.first_type_attr({"T"}).value_or(ir::base_dtype(ctx.input_dtype(input)));
}

DType ref_of(DType t) {
  if (t == DType::Invalid || ir::is_ref(t)) return t;
  return static_cast<DType>(static_cast<std::int32_t>(t) + ir::kRefOffset);
}

void no_outputs(InferenceContext&) {}

void scalar_string(InferenceContext& ctx) { ctx.set_output(0, DType::String, Shape::scalar()); }
void scalar_resource(InferenceContext& ctx) { ctx.set_output(0, DType::Resource, Shape::scalar()); }
void scalar_variant(InferenceContext& ctx) { ctx.set_output(0, DType::Variant, Shape::scalar()); }
void scalar_bool(InferenceContext& ctx) { ctx.set_output(0, DType::Bool, Shape::scalar()); }
void scalar_float(InferenceContext& ctx) { ctx.set_output(0, DType::Float, Shape::scalar()); }
void scalar_int32(InferenceContext& ctx) { ctx.set_output(0, DType::Int32, Shape::scalar()); }
void scalar_int64(InferenceContext& ctx) { ctx.set_output(0, DType::Int64, Shape::scalar()); }

// --- v1 control flow -------------------------------------------------------------------------

void switch_op(InferenceContext& ctx) {
  const auto t = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(0));
  for (std::size_t i = 0; i < 2; ++i) {
    ctx.set_output(i, t, ctx.input_shape(0));
    if (const auto* v = ctx.input_ints(0)) ctx.set_output_ints(i, *v);
    if (const auto& h = ctx.input_value(0).handle) ctx.set_output_handle(i, *h);
  }
}

void switch_n(InferenceContext& ctx) {
  const auto n = ctx.attr_int("num_outs").value_or(0);
  const auto t = ctx.first_type_attr({"T"}).value_or(ctx.input_dtype(0));
  for (std::int64_t i = 0; i < n && i < 4096; ++i) ctx.set_output(static_cast<std::size_t>(i), t, ctx.input_shape(0));
}

void merge(InferenceContext& ctx) {
  DType t = ctx.first_type_attr({"T"}).value_or(DType::Invalid);
  std::optional<Shape> s;
  for (const auto& in : ctx.inputs()) {
    // A back edge not evaluated yet says nothing; the driver iterates until it settles.
    if (in.pending) continue;
    if (t == DType::Invalid) t = ir::base_dtype(in.type.dtype);
    s = s ? join(*s, in.type.shape) : in.type.shape;
  }
  ctx.set_output(0, t, s.value_or(Shape()));
  ctx.set_output(1, DType::Int32, Shape::scalar());
}

void loop_cond(InferenceContext& ctx) { ctx.set_output(0, DType::Bool, ctx.input_shape(0)); }

// --- functions -------------------------------------------------------------------------------

/// Output types of a call: Tout (or `list_key`) dtypes, shapes from the callee when known.
void emit_call_outputs(InferenceContext& ctx, const std::optional<std::vector<Value>>& result,
                       std::string_view list_key) {
  const auto* tout = ctx.attr_types(list_key);
  const std::size_t n = tout ? tout->size() : (result ? result->size() : 0);
  for (std::size_t i = 0; i < n; ++i) {
    DType t = tout ? (*tout)[i] : DType::Invalid;
    Shape s;
    if (result && i < result->size()) {
      if (t == DType::Invalid) t = (*result)[i].type.dtype;
      s = (*result)[i].type.shape;
    }
    ctx.set_output(i, t, s);
  }
}

void call_op(InferenceContext& ctx) {
  const auto* f = ctx.attr_func("f");
  std::optional<std::vector<Value>> result;
  if (f) result = ctx.call(f->name, ctx.inputs());
  emit_call_outputs(ctx, result, "Tout");
}

void batch_function(InferenceContext& ctx) {
  const auto* f = ctx.attr_func("f");
  std::optional<std::vector<Value>> result;
  if (f) result = ctx.call(f->name, ctx.inputs());
  emit_call_outputs(ctx, result, "Tout");
}

/// Refines branch/loop results with the op's own `output_shapes` attr.
Shape with_declared(const InferenceContext& ctx, std::size_t i, const Shape& s) {
  const auto* declared = ctx.attr_shapes("output_shapes");
  if (!declared || i >= declared->size()) return s;
  return refine((*declared)[i], s);
}

void while_op(InferenceContext& ctx) {
  const auto* types = ctx.attr_types("T");
  const auto* body = ctx.attr_func("body");
  const auto* cond = ctx.attr_func("cond");
  std::vector<Value> args = ctx.inputs();
  // Inside the body a loop-carried value is its initial value only on the first iteration: a
  // counter's 0 must not type x[:i+1] as [1]. Values survive only where the body returns them
  // unchanged (loop invariants, e.g. a trip count).
  if (body) {
    auto first = ctx.call(body->name, args);
    for (std::size_t i = 0; i < args.size(); ++i) {
      const bool invariant = first && i < first->size() && args[i].ints && (*first)[i].ints &&
                             *args[i].ints == *(*first)[i].ints;
      if (!invariant) args[i].ints.reset();
    }
  }
  // Loop-carried shapes: start from the inputs, generalize with what the body returns until
  // stable (each round only turns dims unknown, so two rounds nearly always suffice).
  for (int round = 0; round < 3 && body; ++round) {
    auto out = ctx.call(body->name, args);
    if (!out || out->size() != args.size()) {
      for (auto& a : args) a.type.shape = Shape();
      break;
    }
    bool changed = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      auto j = join(args[i].type.shape, (*out)[i].type.shape);
      if (!(j == args[i].type.shape)) {
        args[i].type.shape = std::move(j);
        args[i].ints.reset();
        changed = true;
      }
    }
    if (!changed) break;
    if (round == 2) {
      for (auto& a : args) a.type.shape = Shape();
    }
  }
  if (!body) {
    for (auto& a : args) a.type.shape = Shape();
  }
  if (cond) ctx.call(cond->name, args);
  const std::size_t n = types ? types->size() : args.size();
  for (std::size_t i = 0; i < n; ++i) {
    const DType t = types ? (*types)[i] : args[i].type.dtype;
    ctx.set_output(i, t, with_declared(ctx, i, i < args.size() ? args[i].type.shape : Shape()));
  }
}

void branches_op(InferenceContext& ctx, const std::vector<const ir::FuncRef*>& branches) {
  std::vector<Value> args(ctx.inputs().begin() + (ctx.num_inputs() > 0 ? 1 : 0), ctx.inputs().end());
  std::optional<std::vector<TensorType>> joined;
  bool all_known = !branches.empty();
  for (const auto* b : branches) {
    auto out = b ? ctx.call(b->name, args) : std::nullopt;
    if (!out) {
      all_known = false;
      continue;
    }
    if (!joined) {
      joined.emplace();
      for (const auto& v : *out) joined->push_back(v.type);
      continue;
    }
    for (std::size_t i = 0; i < joined->size(); ++i) {
      (*joined)[i].shape = i < out->size() ? join((*joined)[i].shape, (*out)[i].type.shape) : Shape();
    }
  }
  if (!all_known) joined.reset();
  const auto* tout = ctx.attr_types("Tout");
  const std::size_t n = tout ? tout->size() : (joined ? joined->size() : 0);
  for (std::size_t i = 0; i < n; ++i) {
    DType t = tout ? (*tout)[i] : (*joined)[i].dtype;
    Shape s = joined && i < joined->size() ? (*joined)[i].shape : Shape();
    ctx.set_output(i, t, with_declared(ctx, i, s));
  }
}

void if_op(InferenceContext& ctx) {
  branches_op(ctx, {ctx.attr_func("then_branch"), ctx.attr_func("else_branch")});
}

void case_op(InferenceContext& ctx) {
  std::vector<const ir::FuncRef*> branches;
  if (const auto* a = ctx.node().attr("branches"); a && a->as_list()) {
    for (const auto& f : a->as_list()->func) branches.push_back(&f);
  }
  branches_op(ctx, branches);
}

void tout_list(InferenceContext& ctx) {
  const auto* tout = ctx.attr_types("Tout");
  if (!tout) tout = ctx.attr_types("Tresults");
  if (!tout) tout = ctx.attr_types("OutT");
  if (!tout) return;
  for (std::size_t i = 0; i < tout->size(); ++i) ctx.set_output(i, (*tout)[i], Shape());
}

// --- variables -------------------------------------------------------------------------------

void var_handle(InferenceContext& ctx) {
  ctx.set_output(0, DType::Resource, Shape::scalar());
  const auto dtype = ctx.attr_type("dtype");
  if (dtype) ctx.set_output_handle(0, TensorType{*dtype, ctx.attr_shape("shape").value_or(Shape())});
}

void variable_v2(InferenceContext& ctx) {
  ctx.set_output(0, ref_of(ctx.attr_type("dtype").value_or(DType::Invalid)),
                 ctx.attr_shape("shape").value_or(Shape()));
}

void read_variable(InferenceContext& ctx) {
  const auto& h = ctx.input_value(0).handle;
  const auto dtype = ctx.attr_type("dtype").value_or(h ? h->dtype : DType::Invalid);
  ctx.set_output(0, dtype, h ? h->shape : Shape());
}

void resource_gather(InferenceContext& ctx) {
  const auto dtype = ctx.attr_type("dtype").value_or(DType::Invalid);
  const auto& h = ctx.input_value(0).handle;
  const auto& idx = ctx.input_shape(1);
  const auto batch_dims = ctx.attr_int("batch_dims").value_or(0);
  if (!h || !h->shape.has_rank() || h->shape.rank() == 0 || !idx.has_rank() || batch_dims != 0) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  auto dims = idx.dims();
  dims.insert(dims.end(), h->shape.dims().begin() + 1, h->shape.dims().end());
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

/// Assign, ApplyAdam, ScatterAdd...: the updated ref variable, shaped like input 0.
void ref_update(InferenceContext& ctx) {
  const auto t = ctx.first_type_attr({"T"}).value_or(ir::base_dtype(ctx.input_dtype(0)));
  Shape s = ctx.input_shape(0);
  if (ctx.node().op == "Assign" && ctx.attr_bool("validate_shape", true)) s = refine(s, ctx.input_shape(1));
  if (ctx.node().op == "Assign" && !ctx.attr_bool("validate_shape", true)) s = ctx.input_shape(1);
  ctx.set_output(0, ref_of(t), s);
}

// --- TensorList / TensorArray / Stack --------------------------------------------------------

void tensor_list_reserve(InferenceContext& ctx) {
  ctx.set_output(0, DType::Variant, Shape::scalar());
  if (auto t = ctx.attr_type("element_dtype")) {
    ctx.set_output_handle(0, TensorType{*t, shape_from_input(ctx, 0)});
  }
}

void tensor_list_from_tensor(InferenceContext& ctx) {
  ctx.set_output(0, DType::Variant, Shape::scalar());
  const auto& t = ctx.input_shape(0);
  Shape elem = shape_from_input(ctx, 1);
  if (t.has_rank() && t.rank() >= 1) {
    elem = refine(Shape(std::vector<std::int64_t>(t.dims().begin() + 1, t.dims().end())), elem);
  }
  ctx.set_output_handle(0, TensorType{ctx.attr_type("element_dtype").value_or(ctx.input_dtype(0)), elem});
}

void tensor_list_passthrough(InferenceContext& ctx) {
  ctx.set_output(0, DType::Variant, Shape::scalar());
  if (const auto& h = ctx.input_value(0).handle) ctx.set_output_handle(0, *h);
}

Shape list_element_shape(const InferenceContext& ctx, std::size_t shape_input) {
  Shape s = shape_from_input(ctx, shape_input);
  if (const auto& h = ctx.input_value(0).handle) s = refine(h->shape, s);
  return s;
}

void tensor_list_stack(InferenceContext& ctx) {
  const auto t = ctx.attr_type("element_dtype").value_or(DType::Invalid);
  const Shape elem = list_element_shape(ctx, 1);
  if (!elem.has_rank()) {
    ctx.set_output(0, t, Shape());
    return;
  }
  const auto n = ctx.attr_int("num_elements").value_or(-1);
  std::vector<std::int64_t> dims{n >= 0 ? n : kUnknown};
  dims.insert(dims.end(), elem.dims().begin(), elem.dims().end());
  ctx.set_output(0, t, Shape(std::move(dims)));
}

void tensor_list_get_item(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("element_dtype").value_or(DType::Invalid), list_element_shape(ctx, 2));
}

void tensor_list_pop_back(InferenceContext& ctx) {
  ctx.set_output(0, DType::Variant, Shape::scalar());
  if (const auto& h = ctx.input_value(0).handle) ctx.set_output_handle(0, *h);
  ctx.set_output(1, ctx.attr_type("element_dtype").value_or(DType::Invalid), list_element_shape(ctx, 1));
}

void tensor_list_element_shape(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("shape_type").value_or(DType::Int32), Shape({kUnknown}));
}

void tensor_array(InferenceContext& ctx) {
  ctx.set_output(0, DType::Resource, Shape({2}));
  ctx.set_output(1, DType::Float, Shape::scalar());
  if (auto t = ctx.attr_type("dtype")) {
    ctx.set_output_handle(0, TensorType{*t, ctx.attr_shape("element_shape").value_or(Shape())});
  }
}

void tensor_array_read(InferenceContext& ctx) {
  const auto& h = ctx.input_value(0).handle;
  ctx.set_output(0, ctx.attr_type("dtype").value_or(h ? h->dtype : DType::Invalid), h ? h->shape : Shape());
}

void tensor_array_gather(InferenceContext& ctx) {
  const auto& h = ctx.input_value(0).handle;
  Shape elem = ctx.attr_shape("element_shape").value_or(Shape());
  if (h) elem = refine(h->shape, elem);
  const auto dtype = ctx.attr_type("dtype").value_or(h ? h->dtype : DType::Invalid);
  const auto& idx = ctx.input_shape(1);
  if (!elem.has_rank()) {
    ctx.set_output(0, dtype, Shape());
    return;
  }
  std::vector<std::int64_t> dims{idx.has_rank() && idx.rank() == 1 ? idx.dim(0) : kUnknown};
  dims.insert(dims.end(), elem.dims().begin(), elem.dims().end());
  ctx.set_output(0, dtype, Shape(std::move(dims)));
}

void tensor_array_grad(InferenceContext& ctx) {
  ctx.set_output(0, DType::Resource, Shape({2}));
  ctx.set_output(1, DType::Float, Shape::scalar());
  if (const auto& h = ctx.input_value(0).handle) ctx.set_output_handle(0, *h);
}

void stack_push(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx, 1), ctx.input_shape(1)); }

void stack_pop(InferenceContext& ctx) { ctx.set_output(0, ctx.attr_type("elem_type").value_or(DType::Invalid), Shape()); }

// --- tables, queues, iterators, parsing -------------------------------------------------------

void lookup_find(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("Tout").value_or(ctx.input_dtype(2)), ctx.input_shape(1));
}

void lookup_export(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("Tkeys").value_or(DType::Invalid), Shape({kUnknown}));
  ctx.set_output(1, ctx.attr_type("Tvalues").value_or(DType::Invalid), Shape());
}

/// IteratorGetNext, QueueDequeueV2, InfeedDequeueTuple: a list of types with optional shapes.
void typed_components(InferenceContext& ctx) {
  const auto* types = ctx.attr_types("output_types");
  if (!types) types = ctx.attr_types("component_types");
  if (!types) types = ctx.attr_types("dtypes");
  if (!types) return;
  const auto* shapes = ctx.attr_shapes("output_shapes");
  if (!shapes) shapes = ctx.attr_shapes("shapes");
  for (std::size_t i = 0; i < types->size(); ++i) {
    ctx.set_output(i, (*types)[i], shapes && i < shapes->size() ? (*shapes)[i] : Shape());
  }
}

void typed_single(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("dtype").value_or(DType::Invalid), ctx.attr_shape("shape").value_or(Shape()));
}

void parse_example(InferenceContext& ctx) {
  const bool v2 = ctx.node().op == "ParseExampleV2";
  const auto& serialized = ctx.input_shape(0);
  const std::int64_t batch = serialized.has_rank() && serialized.rank() == 1 ? serialized.dim(0) : kUnknown;
  const auto n_sparse = ctx.attr_int(v2 ? "num_sparse" : "Nsparse").value_or(0);
  const auto* sparse_types = ctx.attr_types("sparse_types");
  const auto* dense_types = ctx.attr_types("Tdense");
  const auto* dense_shapes = ctx.attr_shapes("dense_shapes");
  if (n_sparse < 0 || n_sparse > 4096) return;
  const auto ns = static_cast<std::size_t>(n_sparse);
  std::size_t out = 0;
  for (std::size_t i = 0; i < ns; ++i) ctx.set_output(out++, DType::Int64, Shape({kUnknown, serialized.has_rank() ? static_cast<std::int64_t>(serialized.rank()) + 1 : kUnknown}));
  for (std::size_t i = 0; i < ns; ++i) {
    ctx.set_output(out++, sparse_types && i < sparse_types->size() ? (*sparse_types)[i] : DType::Invalid, Shape({kUnknown}));
  }
  for (std::size_t i = 0; i < ns; ++i) ctx.set_output(out++, DType::Int64, Shape({serialized.has_rank() ? static_cast<std::int64_t>(serialized.rank()) + 1 : kUnknown}));
  if (!dense_types) return;
  for (std::size_t i = 0; i < dense_types->size(); ++i) {
    Shape s;
    if (dense_shapes && i < dense_shapes->size() && (*dense_shapes)[i].has_rank() && serialized.has_rank() &&
        serialized.rank() <= 1) {
      std::vector<std::int64_t> dims;
      if (serialized.rank() == 1) dims.push_back(batch);
      for (auto d : (*dense_shapes)[i].dims()) dims.push_back(d);
      s = Shape(std::move(dims));
    }
    ctx.set_output(out++, (*dense_types)[i], s);
  }
  if (!v2) return;
  const auto* ragged_values = ctx.attr_types("ragged_value_types");
  const auto* ragged_splits = ctx.attr_types("ragged_split_types");
  if (ragged_values) for (auto t : *ragged_values) ctx.set_output(out++, t, Shape({kUnknown}));
  if (ragged_splits) for (auto t : *ragged_splits) ctx.set_output(out++, t, Shape({kUnknown}));
}

// --- strings ---------------------------------------------------------------------------------

void string_join(InferenceContext& ctx) {
  Shape s = Shape::scalar();
  for (std::size_t i = 0; i < ctx.num_inputs(); ++i) s = broadcast(ctx, s, ctx.input_shape(i));
  ctx.set_output(0, DType::String, s);
}

void string_same_shape(InferenceContext& ctx) { ctx.set_output(0, DType::String, ctx.input_shape(0)); }
void bool_same_shape(InferenceContext& ctx) { ctx.set_output(0, DType::Bool, ctx.input_shape(0)); }
void int64_same_shape(InferenceContext& ctx) { ctx.set_output(0, DType::Int64, ctx.input_shape(0)); }

void string_to_number(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("out_type").value_or(DType::Float), ctx.input_shape(0));
}

void string_split(InferenceContext& ctx) {
  ctx.set_output(0, DType::Int64, Shape({kUnknown, 2}));
  ctx.set_output(1, DType::String, Shape({kUnknown}));
  ctx.set_output(2, DType::Int64, Shape({2}));
}

// --- TPU, sampling, misc --------------------------------------------------------------------

void tpu_replicated_input(InferenceContext& ctx) {
  std::optional<Shape> s;
  for (const auto& in : ctx.inputs()) s = s ? join(*s, in.type.shape) : in.type.shape;
  ctx.set_output(0, elem_type(ctx), s.value_or(Shape()));
}

void tpu_replicated_output(InferenceContext& ctx) {
  const auto n = ctx.attr_int("num_replicas").value_or(0);
  for (std::int64_t i = 0; i < n && i < 4096; ++i) ctx.set_output(static_cast<std::size_t>(i), elem_type(ctx), ctx.input_shape(0));
}

void tpu_compile(InferenceContext& ctx) {
  ctx.set_output(0, DType::String, Shape::scalar());
  const auto n = ctx.attr_int("num_computations").value_or(0);
  for (std::int64_t i = 0; i < n && i < 4096; ++i) ctx.set_output(static_cast<std::size_t>(i) + 1, DType::String, Shape({3}));
}

void tpu_ordinal_selector(InferenceContext& ctx) { ctx.set_output(0, DType::Int32, Shape({kUnknown})); }

void candidate_sampler(InferenceContext& ctx) {
  const auto num_sampled = ctx.attr_int("num_sampled").value_or(kUnknown);
  const auto num_true = ctx.attr_int("num_true").value_or(kUnknown);
  const auto& true_classes = ctx.input_shape(0);
  const auto batch = true_classes.has_rank() && true_classes.rank() == 2 ? true_classes.dim(0) : kUnknown;
  ctx.set_output(0, DType::Int64, Shape({num_sampled}));
  ctx.set_output(1, DType::Float, Shape({batch, num_true}));
  ctx.set_output(2, DType::Float, Shape({num_sampled}));
}

void set_operation(InferenceContext& ctx) {
  ctx.set_output(0, DType::Int64, Shape({kUnknown, kUnknown}));
  ctx.set_output(1, elem_type(ctx), Shape({kUnknown}));
  ctx.set_output(2, DType::Int64, Shape({kUnknown}));
}

/// RestoreV2: one tensor per dtype; shapes live in the checkpoint, not the graph.
void restore(InferenceContext& ctx) {
  const auto* types = ctx.attr_types("dtypes");
  if (!types) return;
  for (std::size_t i = 0; i < types->size(); ++i) ctx.set_output(i, (*types)[i], Shape());
}

/// _Arg of a function instantiated as a graph: its type attr; shapes come from _output_shapes.
void arg_op(InferenceContext& ctx) { ctx.set_output(0, ctx.attr_type("T").value_or(DType::Invalid), Shape()); }

void ragged_to_tensor(InferenceContext& ctx) {
  ctx.set_output(0, ctx.attr_type("T").value_or(DType::Invalid), shape_from_input(ctx, 0));
}

void rng_read_and_skip(InferenceContext& ctx) { ctx.set_output(0, DType::Int64, Shape({3})); }

void summary_merge(InferenceContext& ctx) { scalar_string(ctx); }

}  // namespace

namespace {

constexpr void register_control(Registry& r) {
  r.emplace_back("Switch", switch_op);
  r.emplace_back("RefSwitch", switch_op);
  r.emplace_back("_SwitchN", switch_n);
  r.emplace_back("Merge", merge);
  r.emplace_back("RefMerge", merge);
  r.emplace_back("LoopCond", loop_cond);
  for (auto op : {"NoOp", "ControlTrigger", "SaveV2", "Save", "SaveSlices", "MergeV2Checkpoints",
                  "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp", "DisableCopyOnRead",
                  "Assert", "PrintV2", "QueueEnqueueV2", "QueueEnqueueManyV2", "QueueCloseV2",
                  "LookupTableImportV2", "LookupTableInsertV2", "LookupTableRemoveV2",
                  "InitializeTableFromTextFileV2", "InitializeTableV2", "MakeIterator",
                  "DeserializeIterator", "TPUReplicateMetadata", "TensorArrayCloseV3", "StackCloseV2",
                  "DestroyResourceOp", "ResourceScatterAdd", "ResourceScatterSub", "ResourceScatterUpdate",
                  "ResourceApplyAdam", "ResourceApplyGradientDescent", "ResourceApplyKerasMomentum",
                  "ResourceApplyMomentum", "ResourceApplyAdagrad", "ResourceApplyAdagradV2",
                  "ResourceApplyRMSProp", "ResourceApplyAdaMax", "ResourceApplyFtrl", "ResourceApplyFtrlV2",
                  "ResourceApplyAdadelta", "ResourceApplyCenteredRMSProp", "ResourceStridedSliceAssign"}) {
    r.emplace_back(op, no_outputs);
  }
  for (auto op : {"StatefulPartitionedCall", "PartitionedCall", "TPUPartitionedCall"}) r.emplace_back(op, call_op);
  r.emplace_back("BatchFunction", batch_function);
  r.emplace_back("While", while_op);
  r.emplace_back("StatelessWhile", while_op);
  r.emplace_back("If", if_op);
  r.emplace_back("StatelessIf", if_op);
  r.emplace_back("Case", case_op);
  r.emplace_back("StatelessCase", case_op);
  for (auto op : {"SymbolicGradient", "PyFunc", "PyFuncStateless", "EagerPyFunc", "TPUExecute",
                  "TPUExecuteAndUpdateVariables", "TRTEngineOp"}) {
    r.emplace_back(op, tout_list);
  }

  r.emplace_back("VarHandleOp", var_handle);
  r.emplace_back("VariableV2", variable_v2);
  r.emplace_back("Variable", variable_v2);
  r.emplace_back("ReadVariableOp", read_variable);
  r.emplace_back("ResourceGather", resource_gather);
  for (auto op : {"Assign", "AssignAdd", "AssignSub", "ScatterAdd", "ScatterSub", "ScatterUpdate", "ScatterMul",
                  "ScatterDiv", "ScatterNdUpdate", "ScatterNdAdd", "ApplyAdam", "ApplyGradientDescent",
                  "ApplyMomentum", "ApplyAdagrad", "ApplyRMSProp", "ApplyFtrl", "ApplyAdadelta",
                  "ApplyCenteredRMSProp", "ApplyAdaMax", "ApplyFtrlV2", "ApplyProximalAdagrad",
                  "ApplyProximalGradientDescent", "ApplyPowerSign", "ApplyAddSign"}) {
    r.emplace_back(op, ref_update);
  }
  r.emplace_back("VarIsInitializedOp", scalar_bool);
  r.emplace_back("IsVariableInitialized", scalar_bool);

  r.emplace_back("TensorListReserve", tensor_list_reserve);
  r.emplace_back("EmptyTensorList", tensor_list_reserve);
  r.emplace_back("TensorListFromTensor", tensor_list_from_tensor);
  for (auto op : {"TensorListSetItem", "TensorListPushBack", "TensorListResize"}) {
    r.emplace_back(op, tensor_list_passthrough);
  }
  r.emplace_back("TensorListStack", tensor_list_stack);
  r.emplace_back("TensorListGetItem", tensor_list_get_item);
  r.emplace_back("TensorListPopBack", tensor_list_pop_back);
  r.emplace_back("TensorListLength", scalar_int32);
  r.emplace_back("TensorListElementShape", tensor_list_element_shape);
  r.emplace_back("TensorArrayV3", tensor_array);
  r.emplace_back("TensorArrayReadV3", tensor_array_read);
  r.emplace_back("TensorArrayGatherV3", tensor_array_gather);
  r.emplace_back("TensorArrayWriteV3", scalar_float);
  r.emplace_back("TensorArrayScatterV3", scalar_float);
  r.emplace_back("TensorArraySplitV3", scalar_float);
  r.emplace_back("TensorArraySizeV3", scalar_int32);
  r.emplace_back("TensorArrayGradV3", tensor_array_grad);
  r.emplace_back("StackV2", scalar_resource);
  r.emplace_back("StackPushV2", stack_push);
  r.emplace_back("StackPopV2", stack_pop);

  for (auto op : {"HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2",
                  "FIFOQueueV2", "PaddingFIFOQueueV2", "RandomShuffleQueueV2", "PriorityQueueV2", "IteratorV2",
                  "Iterator", "OneShotIterator", "AnonymousIterator", "AnonymousIteratorV2",
                  "MultiDeviceIterator", "IteratorFromStringHandleV2"}) {
    r.emplace_back(op, scalar_resource);
  }
  r.emplace_back("LookupTableFindV2", lookup_find);
  r.emplace_back("LookupTableExportV2", lookup_export);
  r.emplace_back("LookupTableSizeV2", scalar_int64);
  for (auto op : {"IteratorGetNext", "IteratorGetNextSync", "MultiDeviceIteratorGetNextFromShard", "QueueDequeueV2",
                  "QueueDequeueManyV2", "QueueDequeueUpToV2", "InfeedDequeueTuple", "OptionalGetValue"}) {
    r.emplace_back(op, typed_components);
  }
  r.emplace_back("InfeedDequeue", typed_single);
  r.emplace_back("TPUDummyInput", typed_single);
  r.emplace_back("IteratorToStringHandle", scalar_string);
  r.emplace_back("SerializeIterator", scalar_variant);
  r.emplace_back("ParseExample", parse_example);
  r.emplace_back("ParseExampleV2", parse_example);
  for (auto op : {"TensorSliceDataset", "TensorDataset", "RangeDataset", "BatchDatasetV2", "BatchDataset",
                  "MapDataset", "ParallelMapDataset", "ParallelMapDatasetV2", "TextLineDataset",
                  "TFRecordDataset", "DirectedInterleaveDataset", "ModelDataset", "RepeatDataset",
                  "ZipDataset", "FlatMapDataset", "InterleaveDataset", "ParallelInterleaveDatasetV4",
                  "RandomDataset", "ChooseFastestBranchDataset", "OptimizeDatasetV2", "OptimizeDataset",
                  "PrefetchDataset", "ShuffleDataset", "ShuffleDatasetV3", "CacheDatasetV2",
                  "FilterDataset", "TakeDataset", "SkipDataset", "PaddedBatchDatasetV2",
                  "ShuffleAndRepeatDataset", "ConcatenateDataset"}) {
    r.emplace_back(op, scalar_variant);
  }

  r.emplace_back("StringJoin", string_join);
  for (auto op : {"StaticRegexReplace", "RegexReplace", "StringLower", "StringUpper", "StringStrip", "AsString",
                  "Substr", "EncodeBase64", "DecodeBase64"}) {
    r.emplace_back(op, string_same_shape);
  }
  r.emplace_back("StaticRegexFullMatch", bool_same_shape);
  r.emplace_back("RegexFullMatch", bool_same_shape);
  r.emplace_back("StringToHashBucketFast", int64_same_shape);
  r.emplace_back("StringToHashBucketStrong", int64_same_shape);
  r.emplace_back("StringToNumber", string_to_number);
  r.emplace_back("StringSplitV2", string_split);
  r.emplace_back("StringSplit", string_split);
  for (auto op : {"ShardedFilename", "ShardedFilespec", "ReadFile", "StringFormat", "ScalarSummary", "ImageSummary",
                  "HistogramSummary", "AudioSummaryV2", "TensorSummaryV2", "ConfigureDistributedTPU",
                  "TPUCompilationResult"}) {
    r.emplace_back(op, scalar_string);
  }
  r.emplace_back("MergeSummary", summary_merge);

  r.emplace_back("TPUReplicatedInput", tpu_replicated_input);
  r.emplace_back("TPUReplicatedOutput", tpu_replicated_output);
  r.emplace_back("_TPUCompileMlir", tpu_compile);
  r.emplace_back("TPUCompile", tpu_compile);
  r.emplace_back("TPUOrdinalSelector", tpu_ordinal_selector);
  r.emplace_back("LogUniformCandidateSampler", candidate_sampler);
  r.emplace_back("UniformCandidateSampler", candidate_sampler);
  r.emplace_back("DenseToDenseSetOperation", set_operation);
  r.emplace_back("RngReadAndSkip", rng_read_and_skip);
  r.emplace_back("RestoreV2", restore);
  r.emplace_back("_Arg", arg_op);
  r.emplace_back("RaggedTensorToTensor", ragged_to_tensor);
}

constexpr auto kControlShapes = make_shape_table<register_control>();

}  // namespace

constinit const ShapeTable control_shape_table{kControlShapes};

}  // namespace litelint::passes::shape_inference
