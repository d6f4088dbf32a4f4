#include "rules/engine/opdb.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "rules/engine/opdb_describe.h"
#include "tests/support/testing.h"

namespace lr = litelint::rules;
using litelint::ir::DType;
using Catch::Matchers::Contains;

namespace {

// Every TF op type the corpus manifest lists for graph-based models.
std::set<std::string> corpus_tf_op_types() {
  auto manifest = nlohmann::json::parse(
      litelint::testing::slurp(litelint::testing::corpus_root() / "MANIFEST.json"));
  std::set<std::string> ops;
  for (const auto& entry : manifest.at("entries")) {
    if (entry.value("ops_kind", "") != "tf_op_types") continue;
    for (const auto& op : entry.at("ops")) ops.insert(op.get<std::string>());
  }
  return ops;
}

// The MAIN section of the shared reference allowlist, independent of our data file.
std::set<std::string> reference_main_allowlist() {
  std::ifstream in(litelint::testing::corpus_root().parent_path() / "reference" /
                   "flex_allowlist.txt");
  std::set<std::string> ops;
  std::string line;
  bool in_main = false;
  while (std::getline(in, line)) {
    if (line.rfind("# === MAIN", 0) == 0) {
      in_main = true;
    } else if (line.rfind("# ===", 0) == 0) {
      in_main = false;
    } else if (in_main && !line.empty() && line[0] != '#') {
      ops.insert(line);
    }
  }
  return ops;
}

template <typename T, typename Name>
bool strictly_sorted(std::span<const T> table, Name name) {
  return std::adjacent_find(table.begin(), table.end(), [&](const T& a, const T& b) {
           return !(name(a) < name(b));
         }) == table.end();
}

}  // namespace

TEST_CASE("op database tables are sorted and unique, so lookups can binary-search",
          "[rules][opdb]") {
  CHECK(strictly_sorted(lr::all_tf_ops(), [](const lr::TfOpInfo& e) { return e.name; }));
  CHECK(strictly_sorted(lr::all_builtins(), [](const lr::TfliteBuiltinInfo& e) { return e.name; }));
  for (auto list : {lr::FlexList::Main, lr::FlexList::TfText, lr::FlexList::SentencePiece}) {
    auto names = lr::flex_allowlist(list);
    CHECK(std::adjacent_find(names.begin(), names.end(), std::greater_equal<>()) == names.end());
  }
  for (const lr::DelegateInfo& d : lr::all_delegates()) {
    INFO("delegate " << d.name);
    CHECK(strictly_sorted(d.ops, [](const lr::DelegateOpInfo& e) { return e.op; }));
  }
  CHECK(lr::all_tf_ops().size() > 800);
  CHECK(lr::all_builtins().size() == 210);
  // Every entry is found again by name.
  for (const lr::TfOpInfo& op : lr::all_tf_ops()) REQUIRE(lr::find_tf_op(op.name) == &op);
  for (const lr::TfliteBuiltinInfo& b : lr::all_builtins()) {
    REQUIRE(lr::find_builtin(b.name) == &b);
    REQUIRE(lr::find_builtin(b.code) == &b);
  }
  CHECK(lr::find_tf_op("NoSuchOp") == nullptr);
  CHECK(lr::find_tf_op("") == nullptr);
  CHECK(lr::find_builtin("NO_SUCH_OP") == nullptr);
  CHECK(lr::find_builtin(-1) == nullptr);
}

TEST_CASE("every TF op type in the corpus has an op database entry", "[rules][opdb][corpus]") {
  auto ops = corpus_tf_op_types();
  REQUIRE(ops.size() >= 296);
  for (const std::string& op : ops) {
    INFO("corpus op " << op);
    CHECK(lr::find_tf_op(op) != nullptr);
  }
}

TEST_CASE("every allowlisted op has an entry marked flex, and the list matches the reference",
          "[rules][opdb]") {
  auto main = lr::flex_allowlist(lr::FlexList::Main);
  CHECK(main.size() == 744);
  CHECK(lr::flex_allowlist(lr::FlexList::TfText).size() == 20);
  CHECK(lr::flex_allowlist(lr::FlexList::SentencePiece).size() == 6);
  for (auto list : {lr::FlexList::Main, lr::FlexList::TfText, lr::FlexList::SentencePiece}) {
    for (std::string_view name : lr::flex_allowlist(list)) {
      INFO("allowlisted op " << name);
      const lr::TfOpInfo* op = lr::find_tf_op(name);
      REQUIRE(op != nullptr);
      CHECK(op->flex == list);
      CHECK(lr::flex_list_of(name) == list);
    }
  }
  auto reference = reference_main_allowlist();
  CHECK(std::set<std::string>(main.begin(), main.end()) == reference);
  CHECK(lr::on_flex_allowlist("StringLower"));
  CHECK_FALSE(lr::on_flex_allowlist("PyFuncStateless"));
  CHECK_FALSE(lr::on_flex_allowlist("WordpieceTokenizeWithOffsets"));  // TF Text list only
  CHECK(lr::flex_list_of("WordpieceTokenizeWithOffsets") == lr::FlexList::TfText);
}

TEST_CASE("every entry is consistent: known builtins, a reason for every non-builtin",
          "[rules][opdb]") {
  for (const lr::TfOpInfo& op : lr::all_tf_ops()) {
    INFO("op " << op.name);
    for (std::string_view b : op.builtins) CHECK(lr::find_builtin(b) != nullptr);
    if (op.status != lr::TfOpStatus::Builtin) CHECK_FALSE(op.reason.empty());
    if (op.status == lr::TfOpStatus::FlexOnly) CHECK(op.flex != lr::FlexList::None);
    if (op.status == lr::TfOpStatus::Unsupported) CHECK(op.flex == lr::FlexList::None);
    if (op.status == lr::TfOpStatus::FlexOnly || op.status == lr::TfOpStatus::Unsupported) {
      CHECK_FALSE(op.hint.empty());
    }
    if (op.status == lr::TfOpStatus::Builtin) CHECK_FALSE(op.builtins.empty());
  }
}

TEST_CASE("convolutions, adds and pools map to their builtins under their conditions",
          "[rules][opdb]") {
  const lr::TfOpInfo* conv = lr::find_tf_op("Conv2D");
  REQUIRE(conv != nullptr);
  CHECK(conv->status == lr::TfOpStatus::Builtin);
  REQUIRE_FALSE(conv->builtins.empty());
  CHECK(conv->builtins.front() == "CONV_2D");
  CHECK(conv->accepts(lr::ElemType::F32));
  CHECK_FALSE(conv->accepts(lr::ElemType::F64));
  const lr::Condition* fmt = conv->condition(lr::ConditionKey::DataFormat);
  REQUIRE(fmt != nullptr);
  CHECK(fmt->value == "NHWC");
  CHECK(fmt->otherwise == lr::Fallback::TransposeInserted);
  const lr::Condition* strides = conv->condition(lr::ConditionKey::Strides);
  REQUIRE(strides != nullptr);
  CHECK(strides->otherwise == lr::Fallback::StaysTf);
  CHECK(conv->flex == lr::FlexList::Main);

  const lr::TfOpInfo* add = lr::find_tf_op("AddV2");
  REQUIRE(add != nullptr);
  CHECK(add->builtins.front() == "ADD");
  const lr::Condition* bcast = add->condition(lr::ConditionKey::BroadcastMaxRank);
  REQUIRE(bcast != nullptr);
  CHECK(bcast->number == 6);
  CHECK(bcast->otherwise == lr::Fallback::BroadcastToInserted);

  const lr::TfOpInfo* concat = lr::find_tf_op("ConcatV2");
  REQUIRE(concat != nullptr);
  const lr::Condition* axis = concat->condition(lr::ConditionKey::ConstOperands);
  REQUIRE(axis != nullptr);
  CHECK(axis->value == "axis");

  const lr::TfOpInfo* transpose = lr::find_tf_op("Transpose");
  REQUIRE(transpose != nullptr);
  REQUIRE(transpose->condition(lr::ConditionKey::MaxEffectiveRank) != nullptr);
  CHECK(transpose->condition(lr::ConditionKey::MaxEffectiveRank)->number == 6);

  CHECK(lr::builtin_accepts("Sqrt", DType::Float));
  CHECK_FALSE(lr::builtin_accepts("Sqrt", DType::Double));
  CHECK(lr::builtin_accepts("Relu", DType::Int32));  // legalized as MAXIMUM(x, 0)
  CHECK_FALSE(lr::builtin_accepts("StringLower", DType::String));
  CHECK_FALSE(lr::builtin_accepts("NoSuchOp", DType::Float));
}

TEST_CASE("ops without builtins say why and what to change", "[rules][opdb]") {
  const lr::TfOpInfo* lower = lr::find_tf_op("StringLower");
  REQUIRE(lower != nullptr);
  CHECK(lower->status == lr::TfOpStatus::FlexOnly);
  CHECK(lower->flex == lr::FlexList::Main);
  CHECK_THAT(std::string(lower->hint), Contains("Select TF ops"));

  const lr::TfOpInfo* rfft = lr::find_tf_op("RFFT");
  REQUIRE(rfft != nullptr);
  CHECK(rfft->status == lr::TfOpStatus::Lowered);
  CHECK(rfft->builtins.front() == "RFFT2D");
  CHECK_THAT(std::string(rfft->hint), Contains("power-of-two"));

  const lr::TfOpInfo* py = lr::find_tf_op("PyFuncStateless");
  REQUIRE(py != nullptr);
  CHECK(py->status == lr::TfOpStatus::Unsupported);
  CHECK(py->flex == lr::FlexList::None);
  CHECK_THAT(std::string(py->reason), Contains("Python callback"));

  const lr::TfOpInfo* trt = lr::find_tf_op("TRTEngineOp");
  REQUIRE(trt != nullptr);
  CHECK(trt->status == lr::TfOpStatus::Unregistered);
  CHECK_THAT(std::string(trt->reason), Contains("not registered"));

  const lr::TfOpInfo* tpu = lr::find_tf_op("TPUExecute");
  REQUIRE(tpu != nullptr);
  CHECK(tpu->status == lr::TfOpStatus::Unsupported);
  CHECK_THAT(std::string(tpu->hint), Contains("TPU"));

  const lr::TfOpInfo* svd = lr::find_tf_op("Svd");  // built by the oracle zoo, not allowlisted
  REQUIRE(svd != nullptr);
  CHECK(svd->status == lr::TfOpStatus::Unsupported);

  const lr::TfOpInfo* sw = lr::find_tf_op("Switch");
  REQUIRE(sw != nullptr);
  CHECK(sw->status == lr::TfOpStatus::ControlFlowV1);
  CHECK(sw->otherwise == lr::Fallback::ConvertError);

  const lr::TfOpInfo* apply = lr::find_tf_op("ResourceApplyAdam");
  REQUIRE(apply != nullptr);
  CHECK(apply->status == lr::TfOpStatus::Training);

  CHECK(lr::find_tf_op("Identity")->status == lr::TfOpStatus::Removed);
  CHECK(lr::find_tf_op("Placeholder")->status == lr::TfOpStatus::Io);
  CHECK(lr::find_tf_op("While")->builtins.front() == "WHILE");
}

TEST_CASE("builtins carry their code, versions and minimum runtimes from the csv files",
          "[rules][opdb]") {
  const lr::TfliteBuiltinInfo* conv = lr::find_builtin("CONV_2D");
  REQUIRE(conv != nullptr);
  CHECK(conv->code == 3);
  CHECK(conv->max_version == 8);
  CHECK(conv->min_runtime(1) == "1.5.0");
  CHECK(conv->min_runtime(8) == "2.15.0");
  CHECK(conv->min_runtime(9).empty());
  CHECK(conv->options == "Conv2DOptions");
  REQUIRE(conv->operands.size() == 3);
  CHECK(conv->operands[0].name == "input");
  CHECK(conv->operands[0].types.contains(lr::ElemType::F32));
  CHECK(conv->operands[0].types.contains(lr::ElemType::QI8));
  CHECK_FALSE(conv->operands[0].types.contains(lr::ElemType::F64));
  CHECK(conv->operands[2].optional);

  const lr::TfliteBuiltinInfo* pad = lr::find_builtin("PAD");
  REQUIRE(pad != nullptr);
  CHECK(pad->max_rank == 5);
  const lr::TfliteBuiltinInfo* add = lr::find_builtin("ADD");
  REQUIRE(add != nullptr);
  CHECK(add->broadcast_max_rank == 6);
  CHECK(add->operands[0].newer_types.contains(lr::ElemType::F16));  // LiteRT HEAD only
  CHECK_FALSE(add->operands[0].types.contains(lr::ElemType::F16));
  CHECK(lr::find_builtin(126)->name == "BATCH_MATMUL");
  CHECK(lr::find_builtin("STABLEHLO_CASE")->max_version == 1);
}

TEST_CASE("delegate profiles answer which builtins each delegate takes", "[rules][opdb]") {
  CHECK(lr::parse_delegate("gpu") == lr::Delegate::Gpu);
  CHECK(lr::parse_delegate("edgetpu") == lr::Delegate::EdgeTpu);
  CHECK_FALSE(lr::parse_delegate("hexagon"));
  CHECK(lr::to_string(lr::Delegate::Xnnpack) == "xnnpack");

  const lr::DelegateOpInfo* conv = lr::find_delegate_op(lr::Delegate::Gpu, "CONV_2D");
  REQUIRE(conv != nullptr);
  CHECK(conv->max_version == 6);
  CHECK(lr::delegate_supports(lr::Delegate::Gpu, "CONV_2D", 6));
  CHECK_FALSE(lr::delegate_supports(lr::Delegate::Gpu, "CONV_2D", 7));
  CHECK_FALSE(lr::delegate_supports(lr::Delegate::Gpu, "GATHER_ND"));
  CHECK_FALSE(lr::delegate_supports(lr::Delegate::Gpu, "ATAN2"));  // ML Drift only
  CHECK(lr::delegate_info(lr::Delegate::Gpu).custom_ops.size() == 4);
  CHECK_FALSE(lr::delegate_supports(lr::Delegate::Xnnpack, "EXPAND_DIMS"));
  CHECK(lr::delegate_supports(lr::Delegate::Xnnpack, "FULLY_CONNECTED"));
  CHECK(lr::find_delegate_op(lr::Delegate::Nnapi, "ADD")->min_api == "27");
  CHECK(lr::delegate_supports(lr::Delegate::EdgeTpu, "CONV_2D"));
  CHECK_FALSE(lr::delegate_supports(lr::Delegate::EdgeTpu, "FLOOR_MOD"));
  CHECK(lr::delegate_info(lr::Delegate::Gpu).ops.size() >= 80);
}

TEST_CASE("TensorFlow dtypes map onto the converter's element types", "[rules][opdb]") {
  CHECK(lr::elem_type_of(DType::Float) == lr::ElemType::F32);
  CHECK(lr::elem_type_of(DType::Double) == lr::ElemType::F64);
  CHECK(lr::elem_type_of(static_cast<DType>(101)) == lr::ElemType::F32);  // DT_FLOAT_REF
  CHECK_FALSE(lr::elem_type_of(DType::QInt32));
  CHECK(lr::to_string(lr::ElemType::QUI8) == "qui8");
  CHECK(lr::to_string(lr::TfOpStatus::FlexOnly) == "flex-only");
}

TEST_CASE("describe_op answers 'is X supported' for TF ops and builtins", "[rules][opdb][cli]") {
  std::string conv = lr::describe_op("Conv2D");
  CHECK_THAT(conv, Contains("Conv2D (TensorFlow op)"));
  CHECK_THAT(conv, Contains("builtin -> CONV_2D"));
  CHECK_THAT(conv, Contains("data_format = NHWC  (else transpose-inserted)"));

  std::string builtin = lr::describe_op("CONV_2D");
  CHECK_THAT(builtin, Contains("code 3"));
  CHECK_THAT(builtin, Contains("v8 2.15.0"));
  CHECK_THAT(builtin, Contains("gpu (<= v6)"));
  CHECK_THAT(builtin, Contains("Conv2D"));

  std::string both = lr::describe_op("RFFT2D");  // a TF op and a builtin of the same name
  CHECK_THAT(both, Contains("(TensorFlow op)"));
  CHECK_THAT(both, Contains("(TFLite builtin, code 131)"));

  std::string unknown = lr::describe_op("conv2d");
  CHECK_THAT(unknown, Contains("not a TensorFlow op or TFLite builtin"));
  CHECK_THAT(unknown, Contains("did you mean: Conv2D"));

  CHECK_THAT(lr::describe_op(""), Contains("TFLite builtins"));

  auto j = lr::describe_op_json("StringLower");
  CHECK(j["tf_op"]["status"] == "flex-only");
  CHECK(j["tf_op"]["flex"] == "main");
  CHECK(j["builtin"].is_null());
  auto jb = lr::describe_op_json("PAD");
  CHECK(jb["builtin"]["limits"]["max_rank"] == 5);
  CHECK(jb["builtin"]["min_runtime"]["1"] == "1.5.0");
  auto ju = lr::describe_op_json("conv2d");
  CHECK(ju["tf_op"].is_null());
  CHECK(ju["suggestions"][0] == "Conv2D");
  CHECK(lr::describe_op_json("")["builtins"] == 210);
}

TEST_CASE("the generator rejects a bad data file with a message naming file and entry",
          "[rules][opdb][generator]") {
  namespace fs = std::filesystem;
  const fs::path src = fs::path(LITELINT_SOURCE_ROOT) / "rules" / "opdb";
  litelint::testing::TempDir tmp;
  fs::path dir = litelint::testing::copy_into(src, tmp.path());
  auto run = [&] {
    // The script runs through its #! line (posix_spawn does not search PATH for "python3").
    return litelint::testing::run_command({(src / "gen_opdb.py").string(), "--dir",
                                           dir.string(), "--out",
                                           (tmp.path() / "out.cc").string()});
  };
  REQUIRE(run().exit_code == 0);  // the unchanged copy is fine

  std::string ops = litelint::testing::slurp(dir / "tf_ops.toml");
  SECTION("an unknown builtin name") {
    auto at = ops.find("builtin = [\"CONV_2D\"");
    REQUIRE(at != std::string::npos);
    ops.replace(at, 20, "builtin = [\"CONV_2X\"");
    litelint::testing::write_file(dir / "tf_ops.toml", ops);
    auto r = run();
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("tf_ops.toml: Conv2D: builtin 'CONV_2X' is not in tflite_builtins"));
  }
  SECTION("a non-builtin entry without a reason") {
    auto at = ops.find("[StringLower]");
    REQUIRE(at != std::string::npos);
    auto reason = ops.find("reason = ", at);
    ops.replace(reason, 9, "nreason = ");
    litelint::testing::write_file(dir / "tf_ops.toml", ops);
    auto r = run();
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("StringLower: status flex-only needs a reason"));
  }
  SECTION("an entry out of order") {
    ops += "\n[Aaa]\nstatus = \"removed\"\nreason = \"test\"\nflex = false\n";
    litelint::testing::write_file(dir / "tf_ops.toml", ops);
    auto r = run();
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("'Aaa' is out of order"));
  }
}
