#include "cli/write_output.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace litelint::cli {

// Same directory as the target, so that rename() replaces it in one step on one file system.
StagedFile::StagedFile(std::filesystem::path path, std::string_view what)
    : path_(std::move(path)),
      tmp_(path_.string() + ".tmp-" + std::to_string(::getpid())),
      what_(what) {}

StagedFile::~StagedFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (staged_) std::remove(tmp_.c_str());
}

Error StagedFile::failure() const {
  return Error(ErrorCode::Usage, "cannot write " + std::string(what_) + ": " + std::strerror(errno))
      .in_file(path_.string());
}

Expected<void> StagedFile::write(std::span<const std::uint8_t> bytes) {
  if (auto appended = append(bytes); !appended) return appended;
  return close();
}

Expected<void> StagedFile::append(std::span<const std::uint8_t> bytes) {
  if (file_ == nullptr) {
    if (staged_) return tl::unexpected(Error(ErrorCode::Internal, "append after the file was closed"));
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (file_ == nullptr) return tl::unexpected(failure());
    staged_ = true;  // from here on the destructor removes it
  }
  // In 1 MiB pieces: one write() of a whole 94 MB .tflite took 240-350 ms on this machine's
  // ext4, 1 MiB writes of the same bytes 30 ms (the kernel's copy into the page cache slows
  // down on one very long write).
  constexpr std::size_t kPiece = std::size_t{1} << 20;
  for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, bytes.size() - at);
    if (std::fwrite(bytes.data() + at, 1, n, file_) != n) return tl::unexpected(failure());
  }
  return {};
}

Expected<void> StagedFile::close() {
  if (file_ == nullptr && !staged_) {
    if (auto created = append({}); !created) return created;
  }
  if (file_ == nullptr) return {};
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed) return tl::unexpected(failure());
  return {};
}

Expected<void> StagedFile::commit() {
  if (auto closed = close(); !closed) return closed;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) return tl::unexpected(failure());
  staged_ = false;
  return {};
}

Expected<void> write_file_atomically(const std::filesystem::path& path,
                                     std::span<const std::uint8_t> bytes, std::string_view what) {
  StagedFile file(path, what);
  if (auto written = file.write(bytes); !written) return written;
  return file.commit();
}

Expected<void> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  return write_file_atomically(path, as_bytes(content), "report");
}

}  // namespace litelint::cli
