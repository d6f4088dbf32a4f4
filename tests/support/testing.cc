#include "tests/support/testing.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

extern char** environ;

namespace litelint::testing {
namespace fs = std::filesystem;

fs::path corpus_root() {
  if (const char* env = std::getenv("LITELINT_CORPUS")) return env;
  return fs::path(LITELINT_SOURCE_ROOT) / ".." / "shared" / "corpus";
}

fs::path corpus(const std::string& relative) {
  fs::path p = corpus_root() / relative;
  INFO("corpus path " << p);
  REQUIRE(fs::exists(p));
  return p;
}

fs::path litelint_binary() {
  if (const char* env = std::getenv("LITELINT_BIN")) return env;
  return fs::path(LITELINT_BUILD_ROOT) / "cli" / "litelint";
}

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("litelint-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  FAIL("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path copy_into(const fs::path& src, const fs::path& dir) {
  fs::path dst = dir / src.filename();
  fs::copy(src, dst, fs::copy_options::recursive);
  // Corpus files are read-only; copies must be writable so tests can damage them.
  if (fs::is_directory(dst)) {
    for (auto it = fs::recursive_directory_iterator(dst); it != fs::recursive_directory_iterator(); ++it) {
      fs::permissions(it->path(), fs::perms::owner_write, fs::perm_options::add);
    }
  }
  fs::permissions(dst, fs::perms::owner_write, fs::perm_options::add);
  return dst;
}

void truncate_file(const fs::path& file, std::uintmax_t keep_bytes) { fs::resize_file(file, keep_bytes); }

void write_file(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult run_command(const std::vector<std::string>& argv) {
  CommandResult result;
  TempDir tmp;
  const fs::path out_path = tmp.path() / "out";
  const fs::path err_path = tmp.path() / "err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.err = "posix_spawn failed";
    return result;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  return result;
}

}  // namespace litelint::testing
