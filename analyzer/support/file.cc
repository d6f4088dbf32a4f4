#include "analyzer/support/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace litelint {
namespace {

tl::unexpected<Error> os_error(const std::filesystem::path& path, const char* what) {
  const int err = errno;
  ErrorCode code = (err == ENOENT) ? ErrorCode::NotFound : ErrorCode::Io;
  return tl::unexpected<Error>(
      Error(code, std::string(what) + ": " + std::strerror(err)).in_file(path.string()));
}

}  // namespace

Expected<std::shared_ptr<const MappedFile>> MappedFile::open(const std::filesystem::path& path, Access access) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(path, "cannot open");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto e = os_error(path, "cannot stat");
    ::close(fd);
    return e;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return tl::unexpected<Error>(
        Error(ErrorCode::BadInput, "not a regular file").in_file(path.string()));
  }
  std::shared_ptr<MappedFile> file(new MappedFile());
  file->path_ = path;
  file->size_ = static_cast<std::size_t>(st.st_size);
  if (file->size_ > 0) {
    void* p = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      auto e = os_error(path, "cannot map");
      ::close(fd);
      return e;
    }
    file->data_ = static_cast<const std::byte*>(p);
    // Readahead is often megabytes (8 MiB on this project's CI disks): one tensor read from a
    // cold checkpoint shard would pull in the whole shard. Only a hint; failure is harmless.
    if (access == Access::Random) ::madvise(p, file->size_, MADV_RANDOM);
  }
  ::close(fd);
  return std::shared_ptr<const MappedFile>(std::move(file));
}

void MappedFile::will_need(std::size_t offset, std::size_t size) const {
  if (data_ == nullptr || offset >= size_ || size == 0) return;
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t begin = offset / page * page;
  const std::size_t end = offset + std::min(size, size_ - offset);
  ::madvise(const_cast<std::byte*>(data_) + begin, end - begin, MADV_WILLNEED);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), size_);
}

Expected<std::string> read_file(const std::filesystem::path& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return tl::unexpected<Error>(
        Error(ec == std::errc::no_such_file_or_directory ? ErrorCode::NotFound : ErrorCode::Io,
              "cannot read: " + ec.message())
            .in_file(path.string()));
  }
  if (size > max_bytes) {
    return tl::unexpected<Error>(Error(ErrorCode::BadInput, "file is " + std::to_string(size) +
                                                                 " bytes, over the limit of " +
                                                                 std::to_string(max_bytes))
                                     .in_file(path.string()));
  }
  return read_prefix(path, static_cast<std::size_t>(size));
}

// open(2) and read(2) rather than std::ifstream, whose filebuf (a locale copy, an 8 KB
// buffer) cost more than the read itself when detecting a model's format. As an ifstream's
// read, a read error ends the bytes returned rather than failing.
Expected<std::string> read_prefix(const std::filesystem::path& path, std::size_t n) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(path, "cannot open");
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, out.data() + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

}  // namespace litelint
