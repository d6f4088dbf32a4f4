#include "cli/discover.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <system_error>

#include "analyzer/loaders/detect.h"

namespace litelint::cli {
namespace fs = std::filesystem;
namespace {

// A file with one of these names is meant to be a model: if its content is not one, the batch
// reports it as unreadable instead of skipping it silently.
bool has_model_extension(const fs::path& p) {
  static constexpr std::array<std::string_view, 8> kExtensions = {
      ".pb", ".pbtxt", ".tflite", ".meta", ".h5", ".keras", ".hdf5", ".lite"};
  const std::string ext = p.extension().string();
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

void walk(const fs::path& dir, std::vector<std::string>& out, int depth) {
  if (depth > 64) return;  // a pathological tree, not a model zoo
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const auto& e : entries) {
    if (e.is_symlink(ec) && e.is_directory(ec)) continue;
    if (e.is_directory(ec)) {
      // A SavedModel or TF.js directory is one model; its shards are not models of their own.
      if (analyzer::detect_format(e.path())) {
        out.push_back(e.path().string());
      } else {
        walk(e.path(), out, depth + 1);
      }
    } else if (e.is_regular_file(ec)) {
      if (analyzer::detect_format(e.path()) || has_model_extension(e.path())) {
        out.push_back(e.path().string());
      }
    }
  }
}

}  // namespace

std::vector<std::string> discover_models(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  if (fs::is_directory(root, ec) && analyzer::detect_format(root)) {
    out.push_back(root.string());
    return out;
  }
  walk(root, out, 0);
  return out;
}

}  // namespace litelint::cli
