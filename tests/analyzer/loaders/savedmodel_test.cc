#include "analyzer/loaders/savedmodel.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer/ir/function_refs.h"
#include "analyzer/ir/op_stats.h"
#include "analyzer/loaders/proto_to_ir.h"
#include "analyzer/proto/graph_debug_info.pb.h"
#include "analyzer/proto/saved_model.pb.h"
#include "tests/support/testing.h"

namespace litelint::analyzer {
namespace {

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

Expected<ir::Model> load_dir(const fs::path& dir, LoadOptions options = {}) {
  const bool text = !fs::exists(dir / "saved_model.pb") && fs::exists(dir / "saved_model.pbtxt");
  return load_saved_model(Detected{text ? ir::Format::SavedModelText : ir::Format::SavedModel,
                                   dir / (text ? "saved_model.pbtxt" : "saved_model.pb")},
                          options);
}

// Library functions the main graph reaches, directly or through other functions.
std::set<std::string> reachable_functions(const ir::Graph& g) {
  std::set<std::string> library, seen;
  for (const auto& f : g.functions) library.insert(f.name);
  std::vector<std::string> stack;
  auto visit = [&](const std::string& name) {
    if (library.count(name) && seen.insert(name).second) stack.push_back(name);
  };
  for (const auto& node : g.nodes.nodes()) ir::for_each_function_ref(node, visit);
  while (!stack.empty()) {
    const ir::Function* fn = g.find_function(stack.back());
    stack.pop_back();
    ir::for_each_function_ref(*fn, visit);
    for (const auto& node : fn->body.nodes()) ir::for_each_function_ref(node, visit);
  }
  return seen;
}

std::string metadata(const ir::Model& model, const std::string& key) {
  for (const auto& [k, v] : model.metadata) {
    if (k == key) return v;
  }
  return {};
}

void check_half_plus_two_serving_default(const ir::Graph& g) {
  const ir::Signature* s = g.find_signature("serving_default");
  REQUIRE(s != nullptr);
  CHECK(s->method_name == "tensorflow/serving/predict");
  REQUIRE(s->inputs.size() == 1);
  CHECK(s->inputs[0].key == "x");
  CHECK(s->inputs[0].tensor_name == "x:0");
  CHECK(s->inputs[0].type.dtype == ir::DType::Float);
  CHECK(s->inputs[0].type.shape == ir::Shape({-1, 1}));
  REQUIRE(s->outputs.size() == 1);
  CHECK(s->outputs[0].tensor_name == "y:0");
  CHECK(s->outputs[0].type.shape == ir::Shape({-1, 1}));
}

TEST_CASE("savedmodel loader reads half_plus_two's signatures, tags and assets", "[loader][savedmodel]") {
  const auto dir = testing::corpus("savedmodel/tf_cc_half_plus_two");
  auto model = load_dir(dir);
  REQUIRE(model);
  CHECK(model->format == ir::Format::SavedModel);
  CHECK(model->path == dir);
  REQUIRE(model->graphs.size() == 1);
  const ir::Graph& g = model->graph();
  CHECK(g.tags == std::vector<std::string>{"serve"});
  CHECK(g.tf_version == "1.1.0-rc2");
  CHECK(g.nodes.size() == 65);
  CHECK_FALSE(g.has_object_graph);
  check_half_plus_two_serving_default(g);
  const ir::Signature* classify = g.find_signature("classify_x_to_y");
  REQUIRE(classify != nullptr);
  CHECK(classify->inputs[0].tensor_name == "tf_example:0");
  CHECK(classify->inputs[0].type.dtype == ir::DType::String);
  REQUIRE(g.assets.size() == 1);  // from the saved_model_assets collection (TF1)
  CHECK(g.assets[0].filename == "foo.txt");
  CHECK(g.assets[0].tensor_name == "Const:0");
  CHECK(model->file_bytes == 10117);
  // The bytes reports hash (check's sha256) are the whole saved_model.pb, kept mapped.
  REQUIRE(model->main_mapping);
  CHECK(model->main_mapping->view() == testing::slurp(dir / "saved_model.pb"));
}

TEST_CASE("savedmodel loader reads the text SavedModel of half_plus_two", "[loader][savedmodel]") {
  auto model = load_dir(testing::corpus("savedmodel/tf_cc_half_plus_two_pbtxt"));
  REQUIRE(model);
  CHECK(model->format == ir::Format::SavedModelText);
  CHECK(model->graph().nodes.size() == 65);
  check_half_plus_two_serving_default(model->graph());
}

TEST_CASE("savedmodel loader finds the concrete function behind a TF2 signature",
          "[loader][savedmodel]") {
  auto model = load_dir(testing::corpus("savedmodel/tfjs_node_times_three_float"));
  REQUIRE(model);
  const ir::Graph& g = model->graph();
  CHECK(g.has_object_graph);
  CHECK(g.stripped_default_attrs);
  CHECK(g.functions.size() == 5);
  const ir::Signature* s = g.find_signature("serving_default");
  REQUIRE(s != nullptr);
  CHECK(s->function_name == "__inference_signature_wrapper_32");
  CHECK(g.find_function(s->function_name) != nullptr);
  REQUIRE(s->outputs.size() == 1);
  CHECK(s->outputs[0].tensor_name == "StatefulPartitionedCall:0");
  CHECK(std::find(g.declared_ops.begin(), g.declared_ops.end(), "StatefulPartitionedCall") != g.declared_ops.end());
}

TEST_CASE("savedmodel loader records the variable nodes of the graph", "[loader][savedmodel]") {
  auto model = load_dir(testing::corpus("savedmodel/tf_cc_half_plus_two"));
  REQUIRE(model);
  const auto& vars = model->graph().variables;
  REQUIRE(vars.size() == 4);
  CHECK(vars[0].node_name == "a");
  CHECK(vars[1].node_name == "b");
  CHECK(vars[2].node_name == "c");
  CHECK(vars[3].node_name == "filename_tensor");
  CHECK(vars[0].dtype == ir::DType::Float);
  CHECK(vars[0].shape == ir::Shape::scalar());
}

TEST_CASE("savedmodel loader reads graph-only SavedModels and notes the missing variables",
          "[loader][savedmodel]") {
  auto model = load_dir(testing::corpus("savedmodel/tfnet_example1"));
  REQUIRE(model);
  CHECK(model->graph().nodes.size() == 179);
  CHECK_FALSE(model->graph().variables.empty());
  CHECK_THAT(metadata(*model, "variables"), Contains("missing"));
  const ir::Signature* s = model->graph().find_signature("serving_default");
  REQUIRE(s != nullptr);
  CHECK(s->outputs.size() == 2);
}

TEST_CASE("savedmodel loader selects the MetaGraph by tag set", "[loader][savedmodel]") {
  SECTION("a single MetaGraph with empty tags is used when no tags were asked for") {
    auto model = load_dir(testing::corpus("savedmodel/tf_go_half_plus_two_empty_tags"));
    REQUIRE(model);
    CHECK(model->graph().tags.empty());
  }
  SECTION("but not when --tags was given") {
    LoadOptions options;
    options.tags_given = true;
    auto model = load_dir(testing::corpus("savedmodel/tf_go_half_plus_two_empty_tags"), options);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().reason(), Contains("no MetaGraph has the tag set {serve}; available: {}"));
  }
  SECTION("among several MetaGraphs") {
    testing::TempDir tmp;
    const auto dir = testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), tmp.path());
    tensorflow::SavedModel sm;
    REQUIRE(sm.ParseFromString(testing::slurp(dir / "saved_model.pb")));
    auto* train = sm.add_meta_graphs();
    *train = sm.meta_graphs(0);
    train->mutable_meta_info_def()->clear_tags();
    train->mutable_meta_info_def()->add_tags("train");
    train->mutable_meta_info_def()->add_tags("gpu");
    train->mutable_signature_def()->erase("serving_default");
    testing::write_file(dir / "saved_model.pb", sm.SerializeAsString());

    auto serve = load_dir(dir);
    REQUIRE(serve);
    CHECK(serve->graphs.size() == 2);
    CHECK(serve->selected_graph == 0);
    LoadOptions options;
    options.tags = "gpu, train";
    options.tags_given = true;
    auto gpu = load_dir(dir, options);
    REQUIRE(gpu);
    CHECK(gpu->selected_graph == 1);
    CHECK(gpu->graph().find_signature("serving_default") == nullptr);
    options.tags = "tpu";
    auto none = load_dir(dir, options);
    REQUIRE_FALSE(none);
    CHECK_THAT(none.error().reason(), Contains("available: {serve}, {gpu,train}"));
  }
}

TEST_CASE("savedmodel loader names saved_model.pb when it is damaged", "[loader][savedmodel][malformed]") {
  testing::TempDir tmp;
  const auto dir = testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), tmp.path());
  SECTION("truncated") {
    testing::truncate_file(dir / "saved_model.pb", 100);
    auto model = load_dir(dir);
    REQUIRE_FALSE(model);
    CHECK(model.error().message() == (dir / "saved_model.pb").string() +
                                         ": not a valid SavedModel protobuf (truncated, corrupt, or "
                                         "nested more than 100 levels deep)");
  }
  SECTION("garbage") {
    testing::write_file(dir / "saved_model.pb", std::string(64, '\xff'));
    auto model = load_dir(dir);
    REQUIRE_FALSE(model);
    CHECK(model.error().file() == (dir / "saved_model.pb").string());
  }
  SECTION("no MetaGraphs") {
    testing::write_file(dir / "saved_model.pb", std::string("\x08\x01", 2));
    auto model = load_dir(dir);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Contains("saved_model.pb: SavedModel has no MetaGraphs"));
  }
}

TEST_CASE("savedmodel loader refuses the fuzzer-found SavedModels with the node named",
          "[loader][savedmodel][malformed][corpus]") {
  struct Case {
    std::string entry;
    std::string reason;
  };
  auto c = GENERATE(
      Case{"tf_cc_fuzz_const_with_no_value", "node 'Assign/value' (Const): Const node has no 'value' tensor"},
      Case{"tf_cc_fuzz_bad_node_attr", "node 'RestoreV2/tensor_names' (Const): Const node has no 'value' tensor"},
      Case{"tf_cc_fuzz_negative_shape", "node 'b/initial_value' (Const): attr 'value': tensor shape [?,1] is not fully defined"});
  const auto dir = testing::corpus("savedmodel/" + c.entry);
  auto model = load_dir(dir);
  REQUIRE_FALSE(model);
  CHECK(model.error().file() == (dir / "saved_model.pb").string());
  CHECK_THAT(model.error().reason(), Contains(c.reason));
}

TEST_CASE("savedmodel loader refuses a 'variables' file in place of the directory",
          "[loader][savedmodel][malformed]") {
  const auto dir = testing::corpus("savedmodel/user_speech_emotion_cnn_variables_is_file");
  auto model = load_dir(dir);
  REQUIRE_FALSE(model);
  CHECK(model.error().message() == (dir / "variables").string() + ": 'variables' is a file, not a directory");
}

TEST_CASE("savedmodel loader reports chunked SavedModels as unsupported", "[loader][savedmodel]") {
  testing::TempDir tmp;
  testing::write_file(tmp.path() / "saved_model.cpb", "chunks");
  auto model = load_saved_model(Detected{ir::Format::SavedModelChunked, tmp.path() / "saved_model.cpb"}, {});
  REQUIRE_FALSE(model);
  CHECK(model.error().code() == ErrorCode::Unsupported);
  CHECK_THAT(model.error().reason(), Contains("chunked SavedModel (saved_model.cpb"));
}

TEST_CASE("savedmodel loader reads the .pbtxt beside a chunked saved_model.cpb", "[loader][savedmodel]") {
  auto model = load_dir(testing::corpus("savedmodel/tf_cc_chunked_saved_model_chunked"));
  REQUIRE(model);
  CHECK(model->format == ir::Format::SavedModelText);
  // The manifest counts function bodies too.
  std::size_t nodes = model->graph().nodes.size();
  for (const auto& f : model->graph().functions) nodes += f.body.size();
  CHECK(model->graph().nodes.size() == 7);
  CHECK(nodes == 33);
}

TEST_CASE("savedmodel loader attaches stack traces from debug/saved_model_debug_info.pb",
          "[loader][savedmodel]") {
  testing::TempDir tmp;
  const auto dir = testing::copy_into(testing::corpus("savedmodel/tfjs_node_times_three_float"), tmp.path());
  fs::create_directories(dir / "debug");
  tensorflow::GraphDebugInfo info;
  info.add_files("model.py");
  auto& frame = (*info.mutable_frames_by_id())[7];
  frame.set_file_index(0);
  frame.set_line(12);
  frame.set_func("call");
  (*info.mutable_traces_by_id())[3].add_frame_id(7);
  (*info.mutable_name_to_trace_id())["serving_default_x"] = 3;
  auto& old_style = (*info.mutable_traces())["mul@__inference___call___15"];
  auto* flc = old_style.add_file_line_cols();
  flc->set_file_index(0);
  flc->set_line(30);
  testing::write_file(dir / "debug" / "saved_model_debug_info.pb", info.SerializeAsString());

  auto model = load_dir(dir);
  REQUIRE(model);
  const ir::Graph& g = model->graph();
  CHECK(g.has_debug_info);
  const ir::Node* x = g.nodes.find("serving_default_x");
  REQUIRE(x != nullptr);
  REQUIRE(x->stack.size() == 1);
  CHECK(x->stack[0].file == "model.py");
  CHECK(x->stack[0].line == 12);
  CHECK(x->stack[0].function == "call");
  const ir::Function* call = g.find_function("__inference___call___15");
  REQUIRE(call != nullptr);
  REQUIRE(call->body.find("mul") != nullptr);
  REQUIRE(call->body.find("mul")->stack.size() == 1);
  CHECK(call->body.find("mul")->stack[0].line == 30);

  testing::write_file(dir / "debug" / "saved_model_debug_info.pb", "\xff\xff");
  auto damaged = load_dir(dir);
  REQUIRE_FALSE(damaged);
  CHECK(damaged.error().file() == (dir / "debug" / "saved_model_debug_info.pb").string());
}

}  // namespace
}  // namespace litelint::analyzer

namespace litelint::analyzer {
namespace {

TEST_CASE("savedmodel loader reads variable values from the checkpoint", "[loader][savedmodel]") {
  auto model = load_dir(testing::corpus("savedmodel/tf_cc_half_plus_two"));
  REQUIRE(model);
  const auto& vars = model->graph().variables;
  REQUIRE(vars.size() == 4);
  CHECK(vars[0].checkpoint_key == "a");
  REQUIRE(vars[0].value.has_value());
  auto a = vars[0].value.load();
  REQUIRE(a);
  REQUIRE(a->bytes.size() == sizeof(float));
  float value = 0;
  std::memcpy(&value, a->bytes.data(), sizeof value);
  CHECK(value == 0.5f);
  CHECK_THAT(metadata(*model, "variables"), Contains("variables.index"));
}

TEST_CASE("savedmodel loader refuses a damaged variables.index", "[loader][savedmodel][malformed]") {
  testing::TempDir tmp;
  const auto dir = testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), tmp.path());
  testing::write_file(dir / "variables" / "variables.index", std::string(40, '\x01'));
  auto model = load_dir(dir);
  REQUIRE_FALSE(model);
  CHECK(model.error().file() == (dir / "variables" / "variables.index").string());
}

}  // namespace
}  // namespace litelint::analyzer

namespace litelint::analyzer {
namespace {

const ir::Node* find_in_functions(const ir::Graph& g, std::string_view function, std::string_view node) {
  const ir::Function* f = g.find_function(function);
  return f == nullptr ? nullptr : f->body.find(node);
}

std::string string_attr(const ir::Node& node, const std::string& key) {
  const ir::AttrValue* a = node.attr(key);
  return a != nullptr && a->as_string() != nullptr ? *a->as_string() : "<absent>";
}

TEST_CASE("savedmodel loader fills attrs stripped at their default from the MetaGraph's op list",
          "[loader][savedmodel][default-attrs]") {
  // Keras saved this model with stripped_default_attrs: its Conv2D and BiasAdd NodeDefs carry
  // no data_format, dilations or use_cudnn_on_gpu; the stripped_op_list has the defaults.
  auto model = load_dir(testing::corpus("savedmodel/user_potato_disease_cnn"));
  REQUIRE(model);
  const ir::Graph& g = model->graph();
  CHECK(g.stripped_default_attrs);
  const ir::Node* conv = find_in_functions(g, "__inference__wrapped_model_32258", "sequential_2/conv2d/Conv2D");
  REQUIRE(conv != nullptr);
  CHECK(string_attr(*conv, "data_format") == "NHWC");
  CHECK(string_attr(*conv, "padding") == "VALID");  // saved explicitly: no default
  const ir::AttrValue* dilations = conv->attr("dilations");
  REQUIRE(dilations != nullptr);
  REQUIRE(dilations->as_list() != nullptr);
  CHECK(dilations->as_list()->i == std::vector<std::int64_t>{1, 1, 1, 1});
  const ir::AttrValue* cudnn = conv->attr("use_cudnn_on_gpu");
  REQUIRE(cudnn != nullptr);
  REQUIRE(cudnn->as_bool() != nullptr);
  CHECK(*cudnn->as_bool());
  const ir::Node* bias = find_in_functions(g, "__inference__wrapped_model_32258", "sequential_2/conv2d/BiasAdd");
  REQUIRE(bias != nullptr);
  CHECK(string_attr(*bias, "data_format") == "NHWC");
}

TEST_CASE("savedmodel loader fills default attrs of top-level TF1 nodes too", "[loader][savedmodel][default-attrs]") {
  auto model = load_dir(testing::corpus("savedmodel/tfnet_example1"));
  REQUIRE(model);
  const ir::Node* pool = model->graph().nodes.find("sp_pool1/MaxPool");
  REQUIRE(pool != nullptr);
  CHECK(string_attr(*pool, "data_format") == "NHWC");
  CHECK(string_attr(*pool, "padding") == "VALID");
}

TEST_CASE("default attrs never replace an attr the node carries", "[loader][savedmodel][default-attrs]") {
  auto meta = std::make_shared<tensorflow::MetaGraphDef>();
  meta->mutable_meta_info_def()->set_stripped_default_attrs(true);
  auto* op = meta->mutable_meta_info_def()->mutable_stripped_op_list()->add_op();
  op->set_name("BiasAdd");
  auto* attr = op->add_attr();
  attr->set_name("data_format");
  attr->set_type("string");
  attr->mutable_default_value()->set_s("NHWC");
  auto add_node = [&](const std::string& name, const char* data_format) {
    auto* node = meta->mutable_graph_def()->add_node();
    node->set_name(name);
    node->set_op("BiasAdd");
    if (data_format != nullptr) (*node->mutable_attr())["data_format"].set_s(data_format);
  };
  add_node("nchw", "NCHW");
  add_node("stripped", nullptr);
  auto graph = graph_from_meta_graph(*meta, meta);
  REQUIRE(graph);
  CHECK(string_attr(*graph->nodes.find("nchw"), "data_format") == "NCHW");
  CHECK(string_attr(*graph->nodes.find("stripped"), "data_format") == "NHWC");
}

TEST_CASE("a MetaGraphDef streamed from its bytes converts like a parsed one",
          "[loader][savedmodel][stream]") {
  const auto dir = testing::corpus("savedmodel/user_crypto_price_lstm");
  auto proto = std::make_shared<tensorflow::SavedModel>();
  REQUIRE(proto->ParseFromString(testing::slurp(dir / "saved_model.pb")));
  REQUIRE(proto->meta_graphs_size() == 1);
  auto parsed = graph_from_meta_graph(proto->meta_graphs(0), proto);
  REQUIRE(parsed);
  const std::string bytes = proto->meta_graphs(0).SerializeAsString();
  tensorflow::MetaGraphDef rest;
  auto streamed = graph_from_meta_graph_bytes(bytes, rest);
  REQUIRE(streamed);
  CHECK_FALSE(rest.graph_def().node_size() > 0);  // nodes live on only in the IR
  CHECK(rest.has_object_graph_def());
  REQUIRE(streamed->nodes.size() == parsed->nodes.size());
  REQUIRE(streamed->functions.size() == parsed->functions.size());
  CHECK(streamed->functions.size() == 296);
  // Streaming builds the bodies of the functions the main graph reaches, directly or through
  // other functions; of the rest it keeps the op of each node.
  const auto reached = reachable_functions(*parsed);
  std::size_t loaded = 0;
  for (std::size_t i = 0; i < parsed->functions.size(); ++i) {
    const ir::Function& a = parsed->functions[i];
    const ir::Function& b = streamed->functions[i];
    REQUIRE(a.name == b.name);
    CHECK(a.inputs.size() == b.inputs.size());
    CHECK(a.ret == b.ret);
    INFO(a.name);
    REQUIRE(b.body_loaded == (reached.count(a.name) > 0));
    if (!b.body_loaded) {
      CHECK(b.body.size() == 0);
      REQUIRE(b.node_ops.size() == a.body.size());
      for (std::size_t k = 0; k < a.body.size(); ++k) CHECK(a.body.nodes()[k].op == b.node_ops[k]);
      continue;
    }
    ++loaded;
    REQUIRE(a.body.size() == b.body.size());
    for (std::size_t k = 0; k < a.body.size(); ++k) {
      CHECK(a.body.nodes()[k].op == b.body.nodes()[k].op);
      CHECK(a.body.nodes()[k].attrs.size() == b.body.nodes()[k].attrs.size());
    }
  }
  // serving_default's LSTM and the save/restore functions; the traced Keras methods and
  // their gradients are not reached.
  CHECK(loaded > 0);
  CHECK(loaded < 100);
  CHECK(ir::op_histogram(*streamed).ops == ir::op_histogram(*parsed).ops);
  CHECK(streamed->producer == parsed->producer);
  CHECK(streamed->tf_version == parsed->tf_version);
  REQUIRE(streamed->signatures.size() == parsed->signatures.size());
  CHECK(streamed->signatures[0].function_name == parsed->signatures[0].function_name);

  // Constants outlive the parse: the streamed copy decodes to the same bytes.
  std::size_t compared = 0;
  for (std::size_t i = 0; i < parsed->functions.size(); ++i) {
    if (!streamed->functions[i].body_loaded) continue;
    for (const ir::Node& node : parsed->functions[i].body.nodes()) {
      if (node.op != "Const") continue;
      auto a = node.attr("value")->as_tensor()->load();
      auto b = streamed->functions[i].body.find(node.name)->attr("value")->as_tensor()->load();
      REQUIRE(a);
      REQUIRE(b);
      if (!a->bytes.empty()) CHECK(a->bytes.data() != b->bytes.data());
      CHECK(std::equal(a->bytes.begin(), a->bytes.end(), b->bytes.begin(), b->bytes.end()));
      CHECK(a->strings == b->strings);
      ++compared;
    }
  }
  CHECK(compared > 100);

  tensorflow::MetaGraphDef ignored;
  CHECK_FALSE(graph_from_meta_graph_bytes(std::string_view(bytes).substr(0, bytes.size() / 2), ignored));
}


// A library with one function the main graph calls and one nothing calls, whose only node
// reads an input that does not exist. `call_f` names the function the call node calls.
std::string two_function_meta_graph(const std::string& call_f) {
  tensorflow::MetaGraphDef meta;
  const std::string text = R"(graph_def {
    node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
    node { name: "call" op: "StatefulPartitionedCall" input: "x"
           attr { key: "f" value { func { name: ")" + call_f + R"(" } } }
           attr { key: "Tin" value { list { type: DT_FLOAT } } }
           attr { key: "Tout" value { list { type: DT_FLOAT } } } }
    library {
      function { signature { name: "called" input_arg { name: "a" type: DT_FLOAT }
                             output_arg { name: "y" type: DT_FLOAT } }
                 node_def { name: "n" op: "Neg" input: "a" attr { key: "T" value { type: DT_FLOAT } } }
                 ret { key: "y" value: "n:y:0" } }
      function { signature { name: "uncalled" input_arg { name: "a" type: DT_FLOAT }
                             output_arg { name: "y" type: DT_FLOAT } }
                 node_def { name: "m" op: "Erf" input: "missing" attr { key: "T" value { type: DT_FLOAT } } }
                 ret { key: "y" value: "m:y:0" } }
    }
  })";
  REQUIRE(google::protobuf::TextFormat::ParseFromString(text, &meta));
  return meta.SerializeAsString();
}

TEST_CASE("a streamed library builds what the main graph calls and lists the ops of the rest",
          "[loader][savedmodel][stream]") {
  tensorflow::MetaGraphDef rest;
  auto g = graph_from_meta_graph_bytes(two_function_meta_graph("called"), rest);
  REQUIRE(g);
  REQUIRE(g->functions.size() == 2);
  const ir::Function& called = g->functions[0];
  CHECK(called.name == "called");
  CHECK(called.body_loaded);
  CHECK(called.body.size() == 1);
  // Like TensorFlow, which never instantiates it, the loader does not check the uncalled
  // body (its dangling input), but keeps its signature and op types.
  const ir::Function& uncalled = g->functions[1];
  CHECK(uncalled.name == "uncalled");
  CHECK_FALSE(uncalled.body_loaded);
  CHECK(uncalled.body.size() == 0);
  CHECK(uncalled.node_ops == std::vector<std::string>{"Erf"});
  CHECK(uncalled.inputs.size() == 1);
  CHECK(uncalled.ret.at("y") == "m:y:0");
  const auto hist = ir::op_histogram(*g);
  CHECK(hist.ops.count("Erf") == 1);
  CHECK(hist.ops.count("Neg") == 1);
  CHECK(hist.function_nodes == 2);

  // Called, the same body is built and its dangling input is an error.
  auto broken = graph_from_meta_graph_bytes(two_function_meta_graph("uncalled"), rest);
  REQUIRE_FALSE(broken);
  CHECK_THAT(broken.error().message(), Contains("'missing'"));
}

TEST_CASE("savedmodel size counts every file below the directory and follows no directory symlink",
          "[loader][savedmodel]") {
  testing::TempDir tmp;
  const auto dir = testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), tmp.path());
  testing::write_file(dir / "assets" / "extra.bin", std::string(1000, 'x'));
  std::filesystem::create_directories(dir / "assets" / "nested" / "deeper");
  testing::write_file(dir / "assets" / "nested" / "deeper" / "more.bin", std::string(24, 'y'));
  // A symlink to a file counts its target; one to a directory is not walked into.
  std::filesystem::create_symlink(dir / "assets" / "extra.bin", dir / "assets" / "extra_link");
  std::filesystem::create_directory_symlink(testing::corpus("savedmodel"), dir / "assets" / "corpus_link");
  auto model = load_dir(dir);
  REQUIRE(model);
  CHECK(model->file_bytes == 10117 + 1000 + 24 + 1000);
}

}  // namespace
}  // namespace litelint::analyzer
