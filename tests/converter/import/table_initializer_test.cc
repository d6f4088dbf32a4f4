#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "converter/import/program.h"
#include "converter/import/table_initializer.h"
#include "converter/import/table_text_file.h"
#include "tests/support/testing.h"

using namespace litelint;

namespace {

std::vector<std::int64_t> int64s(const ir::Tensor& t) {
  auto bytes = t.load();
  REQUIRE(bytes);
  std::vector<std::int64_t> v(bytes->bytes.size() / 8);
  std::memcpy(v.data(), bytes->bytes.data(), v.size() * 8);
  return v;
}

std::vector<std::string> strings(const ir::Tensor& t) {
  auto bytes = t.load();
  REQUIRE(bytes);
  return bytes->strings;
}

}  // namespace

TEST_CASE("a vocabulary file reads as TensorFlow's text-file table initializer reads it", "[converter][import]") {
  testing::TempDir dir;
  const auto file = dir.path() / "vocab.txt";
  testing::write_file(file, "foo\t7\r\nbar\t-2\nbaz\t3");
  converter::TextFileTableSpec spec;  // whole line -> line number

  auto whole = converter::read_table_text_file(file, spec);
  REQUIRE(whole);
  CHECK(strings(whole->keys) == std::vector<std::string>{"foo\t7", "bar\t-2", "baz\t3"});
  CHECK(int64s(whole->values) == std::vector<std::int64_t>{0, 1, 2});

  spec.key_index = 0;
  spec.value_index = 1;
  spec.vocab_size = 2;
  auto columns = converter::read_table_text_file(file, spec);
  REQUIRE(columns);
  CHECK(strings(columns->keys) == std::vector<std::string>{"foo", "bar"});
  CHECK(int64s(columns->values) == std::vector<std::int64_t>{7, -2});

  spec.vocab_size = 5;
  auto short_file = converter::read_table_text_file(file, spec);
  REQUIRE_FALSE(short_file);
  CHECK_THAT(short_file.error().reason(), Catch::Matchers::Contains("vocab_size is 5"));

  testing::write_file(file, "a\n\nb\n");
  spec = {};
  auto empty_line = converter::read_table_text_file(file, spec);
  REQUIRE_FALSE(empty_line);
  CHECK_THAT(empty_line.error().reason(), Catch::Matchers::Contains("empty line 1"));
}

TEST_CASE("a SavedModel's table filled from an asset file is imported with the file's entries",
          "[converter][import]") {
  auto model = analyzer::load(testing::corpus("savedmodel/tf_cc_static_hash_table_module"));
  REQUIRE(model);
  auto program = converter::import_program(*model, {});
  REQUIRE(program);
  converter::add_table_initializer(*model, *program);
  const auto it = program->bodies.find(converter::kTableInitBody);
  REQUIRE(it != program->bodies.end());
  const ir::Graph& init = it->second;
  const ir::Node* import = nullptr;
  for (const auto& n : init.nodes.nodes()) {
    CHECK(n.op != "InitializeTableFromTextFileV2");
    if (n.op == "LookupTableImportV2") import = &n;
  }
  REQUIRE(import != nullptr);
  REQUIRE(import->inputs.size() == 3);
  const ir::Node* keys = init.nodes.find(import->inputs[1].node);
  const ir::Node* values = init.nodes.find(import->inputs[2].node);
  REQUIRE(keys != nullptr);
  REQUIRE(values != nullptr);
  // assets/static_hashtable_asset.txt: one word per line, each mapped to its line number.
  CHECK(strings(*keys->attr("value")->as_tensor()) == std::vector<std::string>{"foo", "bar", "baz", "wombat"});
  CHECK(int64s(*values->attr("value")->as_tensor()) == std::vector<std::int64_t>{0, 1, 2, 3});
}
