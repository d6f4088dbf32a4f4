#include "tests/fuzz/fuzz_input.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "analyzer/loaders/tensor_bundle.h"
#include "converter/convert.h"
#include "rules/engine/analyze.h"

namespace litelint::fuzz {
namespace fs = std::filesystem;
namespace {

void write_bytes(const fs::path& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

}  // namespace

fs::path fresh_dir() {
  // /dev/shm when present: millions of small writes should not reach a disk.
  static const fs::path dir = [] {
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("litelint-fuzz-" + std::to_string(::getpid()));
  }();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "fuzz: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    std::abort();
  }
  return dir;
}

std::vector<std::string_view> split_files(std::string_view input, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto at = input.find(kFileSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kFileSeparator.size());
  }
  parts.push_back(input);
  return parts;
}

fs::path write_input(std::string_view target, std::string_view input, const fs::path& dir) {
  // A neutral name for detection: the content decides the format, never the extension.
  if (target == "detect") return write_bytes(dir / "model", input), dir / "model";
  // No variables/ directory: SavedModels may lack one, and tensor_bundle covers it.
  if (target == "savedmodel") return write_bytes(dir / "saved_model.pb", input), dir;
  if (target == "graphdef_binary") return write_bytes(dir / "graph.pb", input), dir / "graph.pb";
  if (target == "graphdef_text" || target == "convert") {
    return write_bytes(dir / "graph.pbtxt", input), dir / "graph.pbtxt";
  }
  if (target == "tflite") return write_bytes(dir / "model.tflite", input), dir / "model.tflite";
  const auto parts = split_files(input, 2);
  if (target == "tfjs") {
    // bench/fuzz packs every seed's shards into this one file and names it in the manifest.
    write_bytes(dir / "model.json", parts[0]);
    if (parts.size() > 1) write_bytes(dir / "weights.bin", parts[1]);
    return dir / "model.json";
  }
  if (target == "keras") {
    // Named as Keras writes them; the loader still detects by content. A zip is a .keras
    // archive, HDF5 a legacy full-model file; anything else is an architecture JSON, with
    // the second part as its weights file (bench/fuzz packs each corpus model that way).
    const std::string_view head = parts[0].substr(0, 8);
    if (head.starts_with("PK")) return write_bytes(dir / "model.keras", parts[0]), dir / "model.keras";
    if (head == std::string_view("\x89HDF\r\n\x1a\n", 8)) return write_bytes(dir / "model.h5", parts[0]), dir / "model.h5";
    write_bytes(dir / "model.json", parts[0]);
    if (parts.size() > 1) write_bytes(dir / "model.weights.h5", parts[1]);
    return dir / "model.json";
  }
  if (target == "tensor_bundle") {
    const auto prefix = dir / "variables";
    write_bytes(prefix.string() + ".index", parts[0]);
    if (parts.size() > 1) write_bytes(analyzer::TensorBundle::shard_path(prefix, 0, 1), parts[1]);
    return prefix;
  }
  std::fprintf(stderr, "fuzz: unknown target '%.*s'\n", static_cast<int>(target.size()), target.data());
  std::abort();
}

bool check_as_cli(const fs::path& path) {
  auto analysis = rules::analyze(path, rules::AnalyzeOptions{});
  if (!analysis) return false;
  (void)rules::model_facts(analysis->model);
  return true;
}

bool read_bundle(const fs::path& prefix) {
  auto bundle = analyzer::TensorBundle::open(prefix);
  if (!bundle) return false;
  (void)bundle->variable_count();
  (void)bundle->variable_bytes();
  (void)bundle->object_graph();
  for (const auto& entry : bundle->entries()) {
    auto tensor = bundle->tensor(entry.key);
    if (tensor) (void)tensor->load();
  }
  return true;
}

std::string convert_round_trip(const fs::path& graph, const fs::path& out) {
  rules::AnalyzeOptions options;
  options.lint.target = rules::Target::SelectTfOps;
  options.lint.allow_custom_ops = true;
  auto analysis = rules::analyze(graph, options);
  if (!analysis || analysis->model.format == ir::Format::Tflite) return {};
  if (analysis->result.counts[static_cast<std::size_t>(rules::Severity::Error)] > 0) return {};
  converter::ConvertOptions convert_options;
  convert_options.select_tf_ops = true;
  convert_options.allow_custom_ops = true;
  auto conversion = converter::convert(analysis->model, convert_options);
  // A refusal (e.g. an input of unknown rank: the user must give its shape) writes nothing.
  if (!conversion || !conversion->refused.empty()) return {};
  write_bytes(out, {reinterpret_cast<const char*>(conversion->tflite.data()), conversion->tflite.size()});
  auto reloaded = rules::analyze(out, rules::AnalyzeOptions{});
  return reloaded ? std::string() : reloaded.error().message();
}

}  // namespace litelint::fuzz
