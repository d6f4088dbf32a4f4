#pragma once

#include <filesystem>
#include <cstdint>
#include <string>
#include <vector>

namespace litelint::testing {

/// Root of the shared corpus: $LITELINT_CORPUS, else ../shared/corpus beside the checkout.
std::filesystem::path corpus_root();
/// A corpus path such as "savedmodel/tf_cc_half_plus_two"; fails the test if it is missing.
std::filesystem::path corpus(const std::string& relative);
/// Path of the built litelint binary (for CLI tests).
std::filesystem::path litelint_binary();

/// A temporary directory removed when this object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Copies `src` (file or directory) into `dir` and returns the copy's path.
std::filesystem::path copy_into(const std::filesystem::path& src, const std::filesystem::path& dir);
/// Truncates a file to `keep_bytes`.
void truncate_file(const std::filesystem::path& file, std::uintmax_t keep_bytes);
/// Writes bytes to a file, replacing it.
void write_file(const std::filesystem::path& file, const std::string& bytes);
/// Reads a whole file.
std::string slurp(const std::filesystem::path& file);

/// Result of running a command.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
/// Runs `argv` with stdout/stderr captured (no shell).
CommandResult run_command(const std::vector<std::string>& argv);

}  // namespace litelint::testing
