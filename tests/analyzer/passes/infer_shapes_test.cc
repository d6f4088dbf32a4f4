#include <catch2/catch.hpp>

#include <cstring>
#include <memory>

#include "analyzer/ir/graph.h"
#include "analyzer/passes/infer_shapes.h"

using namespace litelint;
using ir::DType;
using ir::Shape;

namespace {

constexpr std::int64_t U = Shape::kUnknownDim;

ir::AttrValue type_attr(DType t) { return ir::AttrValue{t}; }
ir::AttrValue int_attr(std::int64_t v) { return ir::AttrValue{v}; }
ir::AttrValue str_attr(std::string s) { return ir::AttrValue{std::move(s)}; }
ir::AttrValue bool_attr(bool b) { return ir::AttrValue{b}; }
ir::AttrValue shape_attr(Shape s) { return ir::AttrValue{std::move(s)}; }
ir::AttrValue ints_attr(std::vector<std::int64_t> v) {
  ir::AttrList l;
  l.i = std::move(v);
  return ir::AttrValue{l};
}
ir::AttrValue types_attr(std::vector<DType> v) {
  ir::AttrList l;
  l.type = std::move(v);
  return ir::AttrValue{l};
}
ir::ArgDef arg(std::string name, DType t) {
  ir::ArgDef a;
  a.name = std::move(name);
  a.type = t;
  return a;
}
ir::AttrValue func_attr(std::string name) { return ir::AttrValue{ir::FuncRef{std::move(name), {}}}; }

/// A tensor whose lazy loader hands out `bytes`.
ir::Tensor tensor_of(DType t, Shape s, std::vector<std::byte> bytes) {
  auto owned = std::make_shared<std::vector<std::byte>>(std::move(bytes));
  return ir::Tensor(t, std::move(s), [owned]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes b;
    b.bytes = std::span<const std::byte>(owned->data(), owned->size());
    b.keep_alive = owned;
    return b;
  });
}

ir::Tensor int32_tensor(std::vector<std::int32_t> v, Shape s) {
  std::vector<std::byte> bytes(v.size() * 4);
  if (!v.empty()) std::memcpy(bytes.data(), v.data(), bytes.size());
  return tensor_of(DType::Int32, std::move(s), std::move(bytes));
}

/// Builds graphs tersely: b.op("Add", "y", {"x", "c"}, {{"T", type_attr(F)}}).
struct Builder {
  ir::NodeList* list;

  ir::Node& op(std::string op, std::string name, std::vector<std::string> inputs = {}, ir::AttrMap attrs = {}) {
    ir::Node n;
    n.name = name;
    n.op = std::move(op);
    for (const auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
    n.attrs = std::move(attrs);
    REQUIRE(list->add(std::move(n)));
    return *list->find(name);
  }
  ir::Node& placeholder(std::string name, Shape s, DType t = DType::Float) {
    return op("Placeholder", std::move(name), {}, {{"dtype", type_attr(t)}, {"shape", shape_attr(std::move(s))}});
  }
  /// A float Const of shape `s` (no value bytes are needed for its type).
  ir::Node& fconst(std::string name, Shape s) {
    return op("Const", std::move(name), {},
              {{"dtype", type_attr(DType::Float)},
               {"value", ir::AttrValue{tensor_of(DType::Float, s, {})}}});
  }
  ir::Node& iconst(std::string name, std::vector<std::int32_t> v) {
    const auto n = static_cast<std::int64_t>(v.size());
    return op("Const", std::move(name), {},
              {{"dtype", type_attr(DType::Int32)},
               {"value", ir::AttrValue{int32_tensor(std::move(v), Shape({n}))}}});
  }
  ir::Node& iscalar(std::string name, std::int32_t v) {
    return op("Const", std::move(name), {},
              {{"dtype", type_attr(DType::Int32)}, {"value", ir::AttrValue{int32_tensor({v}, Shape::scalar())}}});
  }
};

const ir::TensorType& out(const ir::Graph& g, const std::string& name, std::size_t i = 0) {
  const auto* n = g.nodes.find(name);
  REQUIRE(n != nullptr);
  REQUIRE(n->outputs.size() > i);
  return n->outputs[i];
}

bool has_diagnostic(const passes::ShapeReport& r, const std::string& node, const std::string& fragment) {
  for (const auto& d : r.diagnostics) {
    if (d.node == node && d.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

constexpr DType F = DType::Float;

}  // namespace

TEST_CASE("elementwise ops broadcast and comparisons produce bool", "[passes][shapes]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 224, 224, 3}));
  b.fconst("c", Shape({3}));
  b.placeholder("col", Shape({U, 1}));
  b.placeholder("row", Shape({1, 5}));
  b.op("AddV2", "add", {"x", "c"}, {{"T", type_attr(F)}});
  b.op("Less", "less", {"x", "c"}, {{"T", type_attr(F)}});
  b.op("Mul", "outer", {"col", "row"}, {{"T", type_attr(F)}});
  b.op("Cast", "cast", {"less"}, {{"SrcT", type_attr(DType::Bool)}, {"DstT", type_attr(DType::Int32)}});
  b.op("Relu6", "relu", {"add"}, {{"T", type_attr(F)}});
  b.op("Sub", "bad", {"row", "c"}, {{"T", type_attr(F)}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "add") == ir::TensorType{F, Shape({U, 224, 224, 3})});
  CHECK(out(g, "less") == ir::TensorType{DType::Bool, Shape({U, 224, 224, 3})});
  CHECK(out(g, "outer").shape == Shape({U, 5}));
  CHECK(out(g, "cast").dtype == DType::Int32);
  CHECK(out(g, "relu").shape == Shape({U, 224, 224, 3}));
  CHECK(has_diagnostic(r, "bad", "incompatible shapes for broadcasting: [1,5] and [3]"));
  CHECK(r.unmodeled_ops.empty());
}

TEST_CASE("conv2d handles SAME/VALID/EXPLICIT padding, strides, dilations and NCHW", "[passes][shapes]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 224, 224, 3}));
  b.placeholder("xc", Shape({1, 3, 224, 224}));
  b.fconst("w", Shape({3, 3, 3, 32}));
  auto conv = [&](std::string name, std::string input, std::string padding, std::string format,
                  std::vector<std::int64_t> strides, std::vector<std::int64_t> dilations = {1, 1, 1, 1}) {
    ir::AttrMap a{{"T", type_attr(F)},
                  {"padding", str_attr(padding)},
                  {"data_format", str_attr(format)},
                  {"strides", ints_attr(strides)},
                  {"dilations", ints_attr(dilations)}};
    if (padding == "EXPLICIT") a["explicit_paddings"] = ints_attr({0, 0, 1, 2, 1, 2, 0, 0});
    b.op("Conv2D", name, {input, "w"}, a);
  };
  conv("same_s2", "x", "SAME", "NHWC", {1, 2, 2, 1});
  conv("valid_s2", "x", "VALID", "NHWC", {1, 2, 2, 1});
  conv("valid_d2", "x", "VALID", "NHWC", {1, 1, 1, 1}, {1, 2, 2, 1});
  conv("explicit", "x", "EXPLICIT", "NHWC", {1, 1, 1, 1});
  conv("nchw", "xc", "SAME", "NCHW", {1, 1, 2, 2});
  b.fconst("dw", Shape({3, 3, 3, 2}));
  b.op("DepthwiseConv2dNative", "depthwise", {"x", "dw"},
       {{"T", type_attr(F)}, {"padding", str_attr("SAME")}, {"strides", ints_attr({1, 1, 1, 1})}});
  b.op("MaxPool", "pool", {"same_s2"},
       {{"T", type_attr(F)}, {"padding", str_attr("VALID")}, {"ksize", ints_attr({1, 3, 3, 1})},
        {"strides", ints_attr({1, 2, 2, 1})}});
  b.op("AvgPool", "avg", {"same_s2"},
       {{"T", type_attr(F)}, {"padding", str_attr("SAME")}, {"ksize", ints_attr({1, 3, 3, 1})},
        {"strides", ints_attr({1, 2, 2, 1})}});
  b.fconst("bias", Shape({32}));
  b.op("BiasAdd", "biased", {"nchw", "bias"}, {{"T", type_attr(F)}, {"data_format", str_attr("NCHW")}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "same_s2").shape == Shape({U, 112, 112, 32}));
  CHECK(out(g, "valid_s2").shape == Shape({U, 111, 111, 32}));
  CHECK(out(g, "valid_d2").shape == Shape({U, 220, 220, 32}));
  CHECK(out(g, "explicit").shape == Shape({U, 225, 225, 32}));
  CHECK(out(g, "nchw").shape == Shape({1, 32, 112, 112}));
  CHECK(out(g, "depthwise").shape == Shape({U, 224, 224, 6}));
  CHECK(out(g, "pool").shape == Shape({U, 55, 55, 32}));
  CHECK(out(g, "avg").shape == Shape({U, 56, 56, 32}));
  CHECK(out(g, "biased").shape == Shape({1, 32, 112, 112}));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("overriding an input shape exposes a conv2d channel mismatch", "[passes][shapes][diagnostics]") {
  // As in the converter test conv_2d_nchw: the RUN line feeds 1,8,8,2 into an NCHW Conv2D, so
  // the input has 8 channels against a filter with 2 in- and 2 out-channels.
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("input", Shape({U, 2, 8, 8}));
  b.fconst("w", Shape({3, 3, 2, 2}));
  b.op("Conv2D", "conv", {"input", "w"},
       {{"T", type_attr(F)}, {"padding", str_attr("SAME")}, {"data_format", str_attr("NCHW")},
        {"strides", ints_attr({1, 1, 1, 1})}});
  auto before = passes::infer_shapes(g);
  CHECK(before.diagnostics.empty());
  CHECK(out(g, "conv").shape == Shape({U, 2, 8, 8}));

  REQUIRE(passes::set_input_shapes(g, {{"input", Shape({1, 8, 8, 2})}}));
  auto after = passes::infer_shapes(g);
  CHECK(has_diagnostic(after, "conv", "filter out-channels 2 is not a multiple of the 4 groups"));
  CHECK(out(g, "input").shape == Shape({1, 8, 8, 2}));

  auto missing = passes::set_input_shapes(g, {{"nope", Shape({1})}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().reason() == "input 'nope' is not a node of the graph");
  auto not_placeholder = passes::set_input_shapes(g, {{"conv", Shape({1})}});
  REQUIRE_FALSE(not_placeholder);
  CHECK(not_placeholder.error().reason() == "input 'conv' is a Conv2D, not a Placeholder");
}

TEST_CASE("matmul and batch matmul transpose, broadcast and report inner mismatches", "[passes][shapes]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("a", Shape({U, 4}));
  b.fconst("w", Shape({8, 4}));
  b.op("MatMul", "mm", {"a", "w"}, {{"T", type_attr(F)}, {"transpose_b", bool_attr(true)}});
  b.op("MatMul", "bad", {"a", "w"}, {{"T", type_attr(F)}});
  b.placeholder("x", Shape({2, 1, 3, 4}));
  b.placeholder("y", Shape({5, 4, 6}));
  b.op("BatchMatMulV2", "bmm", {"x", "y"}, {{"T", type_attr(F)}});
  b.op("Einsum", "ein", {"x", "y"}, {{"T", type_attr(F)}, {"equation", str_attr("abij,bjk->abik")}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "mm").shape == Shape({U, 8}));
  CHECK(out(g, "bad").shape == Shape({U, 4}));
  CHECK(has_diagnostic(r, "bad", "matmul inner dimensions differ: 4 vs 8"));
  CHECK(out(g, "bmm").shape == Shape({2, 5, 3, 6}));
  CHECK(out(g, "ein").shape == Shape({2, 5, 3, 6}));
}

TEST_CASE("shape arithmetic folds into reshape targets", "[passes][shapes][folding]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({2, 7, 7, 64}));
  b.op("Shape", "shape", {"x"}, {{"T", type_attr(F)}, {"out_type", type_attr(DType::Int32)}});
  b.iconst("begin", {0});
  b.iconst("end", {1});
  b.iconst("stride", {1});
  b.op("StridedSlice", "batch", {"shape", "begin", "end", "stride"},
       {{"T", type_attr(DType::Int32)}, {"Index", type_attr(DType::Int32)}, {"shrink_axis_mask", int_attr(1)}});
  b.iscalar("minus1", -1);
  b.op("Pack", "target", {"batch", "minus1"}, {{"T", type_attr(DType::Int32)}, {"N", int_attr(2)}});
  b.op("Reshape", "flat", {"x", "target"}, {{"T", type_attr(F)}});
  b.placeholder("y", Shape({U, 7, 7, 64}));
  b.iconst("flat_shape", {-1, 3136});
  b.op("Reshape", "yflat", {"y", "flat_shape"}, {{"T", type_attr(F)}});
  b.iconst("wrong", {5, 100});
  b.op("Reshape", "bad", {"x", "wrong"}, {{"T", type_attr(F)}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "shape").shape == Shape({4}));
  CHECK(out(g, "batch").shape == Shape::scalar());
  CHECK(out(g, "target").shape == Shape({2}));
  CHECK(out(g, "flat").shape == Shape({2, 3136}));
  CHECK(out(g, "yflat").shape == Shape({U, 3136}));
  CHECK(out(g, "bad").shape == Shape({5, 100}));
  CHECK(has_diagnostic(r, "bad", "cannot reshape [2,7,7,64] (6272 elements) into [5,100] (500 elements)"));
}

TEST_CASE("array ops compute exact shapes from constant operands", "[passes][shapes]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 10, 20, 3}));
  b.iconst("perm", {0, 3, 1, 2});
  b.op("Transpose", "t", {"x", "perm"}, {{"T", type_attr(F)}});
  b.iscalar("axis_last", -1);
  b.op("ConcatV2", "cat", {"x", "x", "axis_last"}, {{"T", type_attr(F)}, {"N", int_attr(2)}});
  b.op("Pack", "pack", {"x", "x"}, {{"T", type_attr(F)}, {"N", int_attr(2)}, {"axis", int_attr(1)}});
  b.op("Unpack", "unpack", {"x"}, {{"T", type_attr(F)}, {"num", int_attr(3)}, {"axis", int_attr(-1)}});
  b.iscalar("axis1", 1);
  b.op("Split", "split", {"axis1", "x"}, {{"T", type_attr(F)}, {"num_split", int_attr(2)}});
  b.iconst("sizes", {3, -1, 2});
  b.op("SplitV", "splitv", {"x", "sizes", "axis1"}, {{"T", type_attr(F)}, {"num_split", int_attr(3)}});
  b.iconst("sbegin", {0, 2, 0, 0});
  b.iconst("ssize", {-1, 5, -1, 2});
  b.op("Slice", "slice", {"x", "sbegin", "ssize"}, {{"T", type_attr(F)}});
  // x[:, 1:9:2, ..., tf.newaxis] -> [?, 4, 20, 3, 1]
  b.iconst("b2", {0, 1, 0, 0});
  b.iconst("e2", {0, 9, 0, 0});
  b.iconst("s2", {1, 2, 1, 1});
  b.op("StridedSlice", "ss", {"x", "b2", "e2", "s2"},
       {{"T", type_attr(F)}, {"begin_mask", int_attr(1)}, {"end_mask", int_attr(1)},
        {"ellipsis_mask", int_attr(4)}, {"new_axis_mask", int_attr(8)}});
  // x[..., -1] -> [?, 10, 20]
  b.iconst("b3", {0, -1});
  b.iconst("e3", {0, 0});
  b.iconst("s3", {1, 1});
  b.op("StridedSlice", "last", {"x", "b3", "e3", "s3"},
       {{"T", type_attr(F)}, {"ellipsis_mask", int_attr(1)}, {"shrink_axis_mask", int_attr(2)}});
  b.op("Const", "paddings", {},
       {{"dtype", type_attr(DType::Int32)},
        {"value", ir::AttrValue{int32_tensor({0, 0, 1, 1, 2, 2, 0, 0}, Shape({4, 2}))}}});
  b.op("Pad", "pad", {"x", "paddings"}, {{"T", type_attr(F)}});
  b.iconst("axes", {1, 2});
  b.op("Mean", "mean", {"x", "axes"}, {{"T", type_attr(F)}, {"keep_dims", bool_attr(false)}});
  b.op("Max", "maxk", {"x", "axes"}, {{"T", type_attr(F)}, {"keep_dims", bool_attr(true)}});
  b.op("ArgMax", "argmax", {"x", "axis_last"}, {{"T", type_attr(F)}, {"output_type", type_attr(DType::Int32)}});
  b.op("ExpandDims", "expand", {"x", "axis1"}, {{"T", type_attr(F)}});
  b.iconst("sq", {1, 1, 1, 3});
  b.op("Reshape", "r1", {"x", "sq"}, {{"T", type_attr(F)}});
  b.op("Squeeze", "squeeze", {"r1"}, {{"T", type_attr(F)}, {"squeeze_dims", ints_attr({1, 2})}});
  b.iconst("mult", {1, 2, 3, 1});
  b.op("Tile", "tile", {"x", "mult"}, {{"T", type_attr(F)}});
  b.iconst("dims", {2, 3});
  b.op("Fill", "fill", {"dims", "axis1"}, {{"T", type_attr(DType::Int32)}});
  b.iscalar("zero", 0);
  b.iscalar("ten", 10);
  b.iscalar("three", 3);
  b.op("Range", "range", {"zero", "ten", "three"}, {{"Tidx", type_attr(DType::Int32)}});
  b.placeholder("ids", Shape({U, 5}), DType::Int32);
  b.fconst("table", Shape({100, 16}));
  b.op("GatherV2", "gather", {"table", "ids", "zero"}, {{"Tparams", type_attr(F)}});
  b.op("OneHot", "onehot", {"ids", "ten", "ten", "ten"}, {{"T", type_attr(F)}, {"axis", int_attr(-1)}});
  b.op("TopKV2", "topk", {"x", "three"}, {{"T", type_attr(F)}});
  b.iconst("hw", {448, 448});
  b.op("ResizeBilinear", "resize", {"x", "hw"}, {{"T", type_attr(F)}});
  b.op("Where", "where", {"x"}, {{"T", type_attr(F)}});
  b.op("Size", "size", {"table"}, {{"T", type_attr(F)}});
  b.op("Rank", "rank", {"x"}, {{"T", type_attr(F)}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "t").shape == Shape({U, 3, 10, 20}));
  CHECK(out(g, "cat").shape == Shape({U, 10, 20, 6}));
  CHECK(out(g, "pack").shape == Shape({U, 2, 10, 20, 3}));
  CHECK(g.nodes.find("unpack")->outputs.size() == 3);
  CHECK(out(g, "unpack", 2).shape == Shape({U, 10, 20}));
  CHECK(out(g, "split", 1).shape == Shape({U, 5, 20, 3}));
  CHECK(out(g, "splitv", 1).shape == Shape({U, 5, 20, 3}));
  CHECK(out(g, "splitv", 2).shape == Shape({U, 2, 20, 3}));
  CHECK(out(g, "slice").shape == Shape({U, 5, 20, 2}));
  CHECK(out(g, "ss").shape == Shape({U, 4, 20, 3, 1}));
  CHECK(out(g, "last").shape == Shape({U, 10, 20}));
  CHECK(out(g, "pad").shape == Shape({U, 12, 24, 3}));
  CHECK(out(g, "mean").shape == Shape({U, 3}));
  CHECK(out(g, "maxk").shape == Shape({U, 1, 1, 3}));
  CHECK(out(g, "argmax") == ir::TensorType{DType::Int32, Shape({U, 10, 20})});
  CHECK(out(g, "expand").shape == Shape({U, 1, 10, 20, 3}));
  CHECK(out(g, "squeeze").shape == Shape({1, 3}));
  CHECK(out(g, "tile").shape == Shape({U, 20, 60, 3}));
  CHECK(out(g, "fill") == ir::TensorType{DType::Int32, Shape({2, 3})});
  CHECK(out(g, "range").shape == Shape({4}));
  CHECK(out(g, "gather").shape == Shape({U, 5, 16}));
  CHECK(out(g, "onehot").shape == Shape({U, 5, 10}));
  CHECK(out(g, "topk", 0).shape == Shape({U, 10, 20, 3}));
  CHECK(out(g, "topk", 1).dtype == DType::Int32);
  CHECK(out(g, "resize") == ir::TensorType{F, Shape({U, 448, 448, 3})});
  CHECK(out(g, "where") == ir::TensorType{DType::Int64, Shape({U, 4})});
  CHECK(out(g, "size").dtype == DType::Int32);
  CHECK(out(g, "rank").shape == Shape::scalar());
  CHECK(r.diagnostics.empty());
}

TEST_CASE("fused batch norm has six outputs and checks its parameters", "[passes][shapes]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 8, 8, 16}));
  b.fconst("scale", Shape({16}));
  b.fconst("wrong", Shape({15}));
  b.op("FusedBatchNormV3", "bn", {"x", "scale", "scale", "scale", "scale"},
       {{"T", type_attr(F)}, {"U", type_attr(F)}, {"is_training", bool_attr(false)}});
  b.op("FusedBatchNormV3", "bad", {"x", "wrong", "scale", "scale", "scale"},
       {{"T", type_attr(F)}, {"U", type_attr(F)}});
  auto r = passes::infer_shapes(g);
  REQUIRE(g.nodes.find("bn")->outputs.size() == 6);
  CHECK(out(g, "bn", 0).shape == Shape({U, 8, 8, 16}));
  CHECK(out(g, "bn", 1).shape == Shape({16}));
  CHECK(has_diagnostic(r, "bad", "batch norm parameter 1 has size 15 but the input has 16 channels"));
}

TEST_CASE("calls are inferred through the called function's body", "[passes][shapes][functions]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 4}));
  b.op("StatefulPartitionedCall", "call", {"x"},
       {{"Tin", types_attr({F})}, {"Tout", types_attr({F})}, {"f", func_attr("dense")}});
  b.op("Identity", "y", {"call"}, {{"T", type_attr(F)}});
  ir::Function fn;
  fn.name = "dense";
  fn.inputs.push_back(arg("inputs", F));
  fn.outputs.push_back(arg("identity", F));
  Builder fb{&fn.body};
  fb.fconst("kernel", Shape({4, 2}));
  fb.op("MatMul", "matmul", {"inputs", "kernel:output:0"}, {{"T", type_attr(F)}});
  fb.op("Relu", "relu", {"matmul:product:0"}, {{"T", type_attr(F)}});
  fn.ret["identity"] = "relu:activations:0";
  g.functions.push_back(std::move(fn));
  // A function nothing calls is typed from its argument attrs.
  ir::Function lone;
  lone.name = "lone";
  lone.inputs.push_back(arg("a", F));
  ir::AttrList shapes;
  shapes.shape.push_back(Shape({3, 3}));
  lone.arg_attrs[0]["_output_shapes"] = ir::AttrValue{shapes};
  Builder lb{&lone.body};
  lb.op("Neg", "neg", {"a"}, {{"T", type_attr(F)}});
  g.functions.push_back(std::move(lone));

  // check's setting: called functions are typed as usual, 'lone' is left alone.
  ir::Graph called_only = g;
  passes::infer_shapes(called_only, {.uncalled_functions = false});
  CHECK(called_only.functions[0].body.find("relu")->outputs.at(0).shape == Shape({U, 2}));
  const auto& untouched = *called_only.functions[1].body.find("neg");
  CHECK((untouched.outputs.empty() || untouched.outputs[0].shape != Shape({3, 3})));

  auto r = passes::infer_shapes(g);
  CHECK(out(g, "call") == ir::TensorType{F, Shape({U, 2})});
  CHECK(out(g, "y").shape == Shape({U, 2}));
  const auto& body = g.functions[0].body;
  CHECK(body.find("relu")->outputs.at(0).shape == Shape({U, 2}));
  CHECK(g.functions[1].body.find("neg")->outputs.at(0).shape == Shape({3, 3}));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("v1 while loops settle loop-carried shapes without hanging", "[passes][shapes][control]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 4}));
  b.placeholder("grow", Shape({U, 1}));
  b.op("Enter", "enter", {"x"}, {{"T", type_attr(F)}, {"frame_name", str_attr("loop")}});
  b.op("Enter", "enter_g", {"grow"}, {{"T", type_attr(F)}, {"frame_name", str_attr("loop")}});
  b.op("Merge", "merge", {"enter", "next"}, {{"T", type_attr(F)}, {"N", int_attr(2)}});
  b.op("Merge", "merge_g", {"enter_g", "next_g"}, {{"T", type_attr(F)}, {"N", int_attr(2)}});
  b.placeholder("pred", Shape::scalar(), DType::Bool);
  b.op("LoopCond", "cond", {"pred"});
  b.op("Switch", "switch", {"merge", "cond"}, {{"T", type_attr(F)}});
  b.op("Switch", "switch_g", {"merge_g", "cond"}, {{"T", type_attr(F)}});
  b.op("Identity", "body", {"switch:1"}, {{"T", type_attr(F)}});
  b.op("Tanh", "step", {"body"}, {{"T", type_attr(F)}});
  b.op("NextIteration", "next", {"step"}, {{"T", type_attr(F)}});
  b.iscalar("one", 1);
  b.op("ConcatV2", "longer", {"switch_g:1", "switch_g:1", "one"}, {{"T", type_attr(F)}, {"N", int_attr(2)}});
  b.op("NextIteration", "next_g", {"longer"}, {{"T", type_attr(F)}});
  b.op("Exit", "exit", {"switch"}, {{"T", type_attr(F)}});
  b.op("Exit", "exit_g", {"switch_g"}, {{"T", type_attr(F)}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "merge").shape == Shape({U, 4}));
  CHECK(out(g, "merge", 1) == ir::TensorType{DType::Int32, Shape::scalar()});
  CHECK(out(g, "exit").shape == Shape({U, 4}));
  CHECK(out(g, "cond").dtype == DType::Bool);
  // The concatenated dim grows every iteration, so it must end up unknown.
  CHECK(out(g, "exit_g").shape == Shape({U, U}));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("inside a While body a loop counter is not its initial value; invariants keep theirs",
          "[passes][shapes][control]") {
  // for i in tf.range(n): ta = ta.write(i, x[: i + 1])  -- with the limit carried unchanged.
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({4}));
  b.iscalar("zero", 0);
  b.iscalar("four", 4);
  b.op("While", "loop", {"zero", "four", "x"},
       {{"T", types_attr({DType::Int32, DType::Int32, F})},
        {"body", func_attr("body")},
        {"cond", func_attr("cond")}});
  ir::Function body;
  body.name = "body";
  body.inputs = {arg("i", DType::Int32), arg("limit", DType::Int32), arg("x", F)};
  body.outputs = {arg("i_next", DType::Int32), arg("limit_out", DType::Int32), arg("x_out", F)};
  Builder bb{&body.body};
  bb.iscalar("one", 1);
  bb.op("AddV2", "next", {"i", "one:output:0"}, {{"T", type_attr(DType::Int32)}});
  bb.op("Pack", "end", {"next:z:0"}, {{"T", type_attr(DType::Int32)}, {"N", int_attr(1)}});
  bb.iconst("begin", {0});
  bb.iconst("stride", {1});
  bb.op("StridedSlice", "prefix", {"x", "begin:output:0", "end:output:0", "stride:output:0"},
        {{"T", type_attr(F)}, {"Index", type_attr(DType::Int32)}});
  // The loop invariant sizes a reshape: its value must survive.
  bb.op("Pack", "shape", {"limit"}, {{"T", type_attr(DType::Int32)}, {"N", int_attr(1)}});
  bb.op("Reshape", "flat", {"x", "shape:output:0"}, {{"T", type_attr(F)}});
  body.ret = {{"i_next", "next:z:0"}, {"limit_out", "limit"}, {"x_out", "x"}};
  g.functions.push_back(std::move(body));
  ir::Function cond;
  cond.name = "cond";
  cond.inputs = {arg("i", DType::Int32), arg("limit", DType::Int32), arg("x", F)};
  cond.outputs = {arg("ok", DType::Bool)};
  Builder cb{&cond.body};
  cb.op("Less", "less", {"i", "limit"}, {{"T", type_attr(DType::Int32)}});
  cond.ret = {{"ok", "less:z:0"}};
  g.functions.push_back(std::move(cond));

  passes::infer_shapes(g);
  const auto& fb = g.functions[0].body;
  // Not [1]: i is 0 only on the first iteration.
  CHECK(fb.find("prefix")->outputs.at(0).shape == Shape({U}));
  CHECK(fb.find("flat")->outputs.at(0).shape == Shape({4}));
  CHECK(out(g, "loop", 2).shape == Shape({4}));
}

TEST_CASE("unmodeled ops get a dtype from attrs and recorded shapes are kept", "[passes][shapes]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.placeholder("x", Shape({U, 4}));
  auto& custom = b.op("MyCustomOp", "custom", {"x"}, {{"T", type_attr(F)}});
  ir::AttrList recorded;
  recorded.shape.push_back(Shape({U, 9}));
  custom.attrs["_output_shapes"] = ir::AttrValue{recorded};
  b.op("Relu", "after", {"custom"}, {{"T", type_attr(F)}});
  // A recorded shape less precise than inference does not win.
  auto& relu = b.op("Relu", "relu", {"x"}, {{"T", type_attr(F)}});
  relu.outputs.push_back(ir::TensorType{F, Shape({U, U})});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "custom") == ir::TensorType{F, Shape({U, 9})});
  CHECK(out(g, "after").shape == Shape({U, 9}));
  CHECK(out(g, "relu").shape == Shape({U, 4}));
  CHECK(r.unmodeled_ops == std::vector<std::string>{"MyCustomOp"});
  CHECK(r.outputs == 4);
  CHECK(r.dtype_known == 4);
}

TEST_CASE("hostile dims and values do not overflow or allocate", "[passes][shapes][malformed]") {
  ir::Graph g;
  Builder b{&g.nodes};
  b.iconst("huge", {2000000000, 2000000000, 2000000000});
  b.iscalar("v", 1);
  b.op("Fill", "fill", {"huge", "v"}, {{"T", type_attr(DType::Int32)}});
  b.op("Size", "size", {"fill"}, {{"T", type_attr(DType::Int32)}, {"out_type", type_attr(DType::Int64)}});
  b.op("Reshape", "reshape", {"fill", "huge"}, {{"T", type_attr(DType::Int32)}});
  b.iconst("neg", {-5, -7});
  b.op("Fill", "negfill", {"neg", "v"}, {{"T", type_attr(DType::Int32)}});
  b.iscalar("big", 2147483647);
  b.iscalar("small", -2147483647);
  b.op("Range", "range", {"small", "big", "v"}, {{"Tidx", type_attr(DType::Int32)}});
  b.op("Identity", "self_loop", {"self_loop"}, {{"T", type_attr(F)}});
  b.op("Add", "dangling", {"missing", "missing:7"}, {{"T", type_attr(F)}});
  b.placeholder("x", Shape({10, 4}));
  b.iconst("sb", {0, 0});
  b.iconst("se", {10, 4});
  b.iconst("huge_stride", {2147483647, -2147483647});
  b.op("StridedSlice", "strided", {"x", "sb", "se", "huge_stride"}, {{"T", type_attr(F)}, {"end_mask", int_attr(2)}});
  b.op("Einsum", "two_ellipses", {"x"}, {{"T", type_attr(F)}, {"equation", str_attr("......->...")}});
  auto r = passes::infer_shapes(g);
  CHECK(out(g, "strided").shape == Shape({1, 1}));
  CHECK(out(g, "two_ellipses").shape == Shape());
  CHECK(out(g, "fill").shape == Shape({2000000000, 2000000000, 2000000000}));
  CHECK(out(g, "size").shape == Shape::scalar());
  CHECK(out(g, "negfill").shape == Shape({U, U}));
  CHECK(out(g, "range").shape == Shape({4294967294}));
  CHECK(out(g, "self_loop").dtype == F);
  CHECK(out(g, "dangling").dtype == F);
}
