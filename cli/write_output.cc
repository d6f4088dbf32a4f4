#include "cli/write_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace litelint::cli {

Expected<void> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const auto failed = [&](const std::string& what) {
    return tl::unexpected<Error>(
        Error(ErrorCode::Usage, what + ": " + std::strerror(errno)).in_file(path.string()));
  };
  const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return failed("cannot write report");
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    auto err = failed("cannot write report");
    std::remove(tmp.c_str());
    return err;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = failed("cannot write report");
    std::remove(tmp.c_str());
    return err;
  }
  return {};
}

}  // namespace litelint::cli
