#include "analyzer/loaders/keras/h5_file.h"

#include <hdf5.h>
#include <H5LTpublic.h>

#include <atomic>
#include <csetjmp>
#include <csignal>
#include <cstring>
#include <mutex>
#include <utility>

namespace litelint::analyzer::keras {
namespace {

// libhdf5 (Debian's serial build) keeps global state without locks.
std::recursive_mutex& h5_mutex() {
  static std::recursive_mutex m;
  return m;
}

// Closes an hid_t with the matching H5*close when it leaves scope.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  Closer close_;
};

void silence_hdf5() {
  static std::once_flag once;
  // HDF5 prints its error stack to stderr by default; errors here become one-line values.
  // Filter plugins are shared libraries named by $HDF5_PLUGIN_PATH: a model file must not
  // make litelint load code. Keras writes only built-in filters (deflate).
  std::call_once(once, [] {
    // No library shutdown at exit: after a caught fault (below) it would walk damaged state.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5PLset_loading_state(0);
  });
}

// libhdf5 1.10 trusts sizes stored in a file when it copies variable-length data out of a
// global heap (H5HG_read) and dataset chunks: a damaged file can make it read out of bounds.
// Reads run under a fault guard: SIGSEGV/SIGBUS inside one jumps back and becomes a one-line
// error; any other fault gets the default action. After a caught fault the library's state
// is suspect, so the file is not closed (its handle leaks) and loading stops there.
thread_local sigjmp_buf* t_fault_guard = nullptr;
std::atomic<bool> g_faulted{false};

void on_fault(int sig, siginfo_t*, void*) {
  if (t_fault_guard != nullptr) siglongjmp(*t_fault_guard, sig);
  // Not inside a guarded read: restore the default action; the fault happens again and kills
  // the process as it would have without this handler.
  std::signal(sig, SIG_DFL);
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);
  });
}

// Runs `read` (a call into libhdf5 that only reads) under the fault guard; false on a fault.
template <typename F>
bool guarded(F&& read) {
  install_fault_handler();
  sigjmp_buf* const outer = t_fault_guard;
  sigjmp_buf env;
  if (sigsetjmp(env, 1) != 0) {
    t_fault_guard = outer;
    g_faulted = true;
    return false;
  }
  t_fault_guard = &env;
  read();
  t_fault_guard = outer;
  return true;
}

herr_t innermost(unsigned n, const H5E_error2_t* err, void* data) {
  if (n == 0 && err->desc != nullptr) *static_cast<std::string*>(data) = err->desc;
  return 0;
}

// The innermost message of libhdf5's error stack ("truncated file: eof = ...").
std::string last_hdf5_error() {
  std::string desc;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &desc);
  H5Eclear2(H5E_DEFAULT);
  return desc.empty() ? std::string("HDF5 error") : desc;
}

tl::unexpected<Error> damaged(const std::string& file) {
  return tl::unexpected<Error>(
      Error(ErrorCode::BadInput, "HDF5 file is damaged (libhdf5 read outside its structures)").in_file(file));
}

tl::unexpected<Error> h5_fail(const std::string& file, std::string what) {
  return tl::unexpected<Error>(
      Error(ErrorCode::BadInput, std::move(what) + ": " + last_hdf5_error()).in_file(file));
}

// Reads the strings of an attribute of string type: a scalar or a 1-D array.
Expected<std::vector<std::string>> read_string_attr(hid_t attr, const std::string& file,
                                                    const std::string& what) {
  Handle type(H5Aget_type(attr), H5Tclose);
  Handle space(H5Aget_space(attr), H5Sclose);
  if (!type.ok() || !space.ok()) return h5_fail(file, "cannot read attribute " + what);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0 || n > (1 << 24)) return h5_fail(file, "bad attribute " + what);
  std::vector<std::string> out;
  const H5T_class_t cls = H5Tget_class(type.get());
  // h5py stores an empty list (a layer without weights) as an empty float64 array.
  if (n == 0) return out;
  if (cls != H5T_STRING) {
    return tl::unexpected<Error>(
        Error(ErrorCode::BadInput, "attribute " + what + " is not a string").in_file(file));
  }
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
    herr_t status = -1;
    if (!guarded([&] { status = H5Aread(attr, mem.get(), ptrs.data()); })) {
      return tl::unexpected<Error>(
          Error(ErrorCode::BadInput, "attribute " + what + " is damaged (its strings point outside the file's heap)")
              .in_file(file));
    }
    if (status < 0) return h5_fail(file, "cannot read attribute " + what);
    // A read that returned normally filled every pointer with a string HDF5 allocated, so
    // they are ours to free (a read that faulted above is not trusted and leaks instead).
    for (char* p : ptrs) {
      out.emplace_back(p != nullptr ? p : "");
      H5free_memory(p);
    }
    return out;
  }
  const std::size_t width = H5Tget_size(type.get());
  if (width == 0 || width * static_cast<std::size_t>(n) > (std::size_t{1} << 31)) {
    return h5_fail(file, "bad attribute " + what);
  }
  std::string buf(width * static_cast<std::size_t>(n), '\0');
  herr_t status = -1;
  if (!guarded([&] { status = H5Aread(attr, type.get(), buf.data()); })) {
    return tl::unexpected<Error>(Error(ErrorCode::BadInput, "attribute " + what + " is damaged").in_file(file));
  }
  if (status < 0) return h5_fail(file, "cannot read attribute " + what);
  for (hssize_t i = 0; i < n; ++i) {
    std::string s = buf.substr(static_cast<std::size_t>(i) * width, width);
    if (auto z = s.find('\0'); z != std::string::npos) s.resize(z);
    out.push_back(std::move(s));
  }
  return out;
}

Expected<std::optional<std::vector<std::string>>> attr_strings(hid_t file_id, const std::string& file,
                                                               const std::string& object,
                                                               const std::string& name) {
  if (H5Aexists_by_name(file_id, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::optional<std::vector<std::string>>();
  }
  Handle attr(H5Aopen_by_name(file_id, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) return h5_fail(file, "cannot open attribute '" + name + "' of " + object);
  auto strings = read_string_attr(attr.get(), file, "'" + name + "' of " + object);
  if (!strings) return unexpected(strings.error());
  return std::optional(std::move(*strings));
}

std::optional<ir::DType> dtype_of(hid_t type) {
  const std::size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      if (size == 4) return ir::DType::Float;
      if (size == 8) return ir::DType::Double;
      if (size == 2) return ir::DType::Half;
      return std::nullopt;
    case H5T_INTEGER: {
      const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
      switch (size) {
        case 1: return is_signed ? ir::DType::Int8 : ir::DType::UInt8;
        case 2: return is_signed ? ir::DType::Int16 : ir::DType::UInt16;
        case 4: return is_signed ? ir::DType::Int32 : ir::DType::UInt32;
        case 8: return is_signed ? ir::DType::Int64 : ir::DType::UInt64;
        default: return std::nullopt;
      }
    }
    case H5T_ENUM:  // h5py writes numpy bool as an int8 enum
      return size == 1 ? std::optional(ir::DType::Bool) : std::nullopt;
    default:
      return std::nullopt;
  }
}

// The in-memory type a dtype is read as: native order, so that HDF5 converts big-endian files.
hid_t memory_type(ir::DType t) {
  switch (t) {
    case ir::DType::Float: return H5T_NATIVE_FLOAT;
    case ir::DType::Double: return H5T_NATIVE_DOUBLE;
    case ir::DType::Int8: return H5T_NATIVE_INT8;
    case ir::DType::UInt8: return H5T_NATIVE_UINT8;
    case ir::DType::Int16: return H5T_NATIVE_INT16;
    case ir::DType::UInt16: return H5T_NATIVE_UINT16;
    case ir::DType::Int32: return H5T_NATIVE_INT32;
    case ir::DType::UInt32: return H5T_NATIVE_UINT32;
    case ir::DType::Int64: return H5T_NATIVE_INT64;
    case ir::DType::UInt64: return H5T_NATIVE_UINT64;
    // No native half or bfloat16 in HDF5: the file type itself, whose order is checked.
    default: return -1;
  }
}

}  // namespace

bool is_hdf5_signature(std::string_view head) {
  return head.size() >= 8 && head.substr(0, 8) == std::string_view("\x89HDF\r\n\x1a\n", 8);
}

Expected<std::shared_ptr<const H5File>> H5File::open(const std::filesystem::path& path) {
  std::lock_guard lock(h5_mutex());
  if (g_faulted) {
    return tl::unexpected<Error>(Error(ErrorCode::Internal, "HDF5 files cannot be read after a damaged one in "
                                                            "the same run; check this model on its own"));
  }
  silence_hdf5();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) return h5_fail(path.string(), "cannot open HDF5 file");
  std::shared_ptr<H5File> f(new H5File());
  f->file_ = id;
  f->name_ = path.string();
  return std::shared_ptr<const H5File>(std::move(f));
}

Expected<std::shared_ptr<const H5File>> H5File::open_image(std::shared_ptr<const MappedFile> keep,
                                                           std::span<const std::byte> bytes,
                                                           std::string name) {
  std::lock_guard lock(h5_mutex());
  if (g_faulted) {
    return tl::unexpected<Error>(Error(ErrorCode::Internal, "HDF5 files cannot be read after a damaged one in "
                                                            "the same run; check this model on its own"));
  }
  silence_hdf5();
  if (!is_hdf5_signature(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()))) {
    return tl::unexpected<Error>(Error(ErrorCode::BadInput, "not an HDF5 file").in_file(name));
  }
  // DONT_COPY: HDF5 reads the mapped archive in place; the mapping is never written (read-only).
  const hid_t id = H5LTopen_file_image(const_cast<std::byte*>(bytes.data()), bytes.size(),
                                       H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE);
  if (id < 0) return h5_fail(name, "cannot open HDF5 file");
  std::shared_ptr<H5File> f(new H5File());
  f->file_ = id;
  f->name_ = std::move(name);
  f->keep_ = std::move(keep);
  return std::shared_ptr<const H5File>(std::move(f));
}

H5File::~H5File() {
  std::lock_guard lock(h5_mutex());
  if (file_ >= 0 && !g_faulted) H5Fclose(file_);
}

bool H5File::exists(const std::string& path) const {
  bool result = false;
  // Locked outside the guard: a caught fault must not leave the mutex held.
  std::lock_guard lock(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    // H5Lexists fails on a missing intermediate group: check each prefix.
    std::size_t pos = 1;
    while (pos <= path.size()) {
      const auto next = path.find('/', pos);
      const std::string prefix = path.substr(0, next);
      if (H5Lexists(file_, prefix.c_str(), H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
      if (next == std::string::npos) break;
      pos = next + 1;
    }
    return true;
  }(); });
  if (!ok) return false;
  return result;
}

bool H5File::is_group(const std::string& path) const {
  bool result = false;
  std::lock_guard outer(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    if (path != "/" && !exists(path)) return false;
    H5O_info_t info;
    if (H5Oget_info_by_name(file_, path.c_str(), &info, H5P_DEFAULT) < 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    return info.type == H5O_TYPE_GROUP;
  }(); });
  if (!ok) return false;
  return result;
}

std::vector<std::string> H5File::children(const std::string& path) const {
  std::vector<std::string> result;
  std::lock_guard outer(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    std::vector<std::string> out;
    if (!is_group(path)) return out;
    Handle group(H5Gopen2(file_, path.c_str(), H5P_DEFAULT), H5Gclose);
    if (!group.ok()) {
      H5Eclear2(H5E_DEFAULT);
      return out;
    }
    H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
               [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
                 static_cast<std::vector<std::string>*>(data)->emplace_back(name);
                 return 0;
               },
               &out);
    H5Eclear2(H5E_DEFAULT);
    return out;
  }(); });
  if (!ok) return {};
  return result;
}

bool H5File::has_attr(const std::string& object, const std::string& attr) const {
  bool result = false;
  std::lock_guard lock(h5_mutex());
  const bool ok = guarded([&] {
    result = H5Aexists_by_name(file_, object.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
    H5Eclear2(H5E_DEFAULT);
  });
  return ok && result;
}

Expected<std::optional<std::string>> H5File::string_attr(const std::string& object,
                                                         const std::string& attr) const {
  Expected<std::optional<std::string>> result = std::optional<std::string>();
  // Locked outside the guard: a caught fault must not leave the mutex held.
  std::lock_guard lock(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    auto strings = attr_strings(file_, name_, object, attr);
    if (!strings) return unexpected(strings.error());
    if (!*strings) return std::optional<std::string>();
    std::string joined;
    for (const std::string& s : **strings) joined += s;
    return std::optional(std::move(joined));
  }(); });
  if (!ok) return damaged(name_);
  return result;
}

Expected<std::vector<std::string>> H5File::string_list_attr(const std::string& object,
                                                            const std::string& attr) const {
  Expected<std::vector<std::string>> result = std::vector<std::string>();
  // Locked outside the guard: a caught fault must not leave the mutex held.
  std::lock_guard lock(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    auto whole = attr_strings(file_, name_, object, attr);
    if (!whole) return unexpected(whole.error());
    if (*whole) return std::move(**whole);
    // Attributes over 64 KB are split into `<attr>0`, `<attr>1`, ... (HDF5_OBJECT_HEADER_LIMIT).
    std::vector<std::string> out;
    for (int i = 0;; ++i) {
      auto chunk = attr_strings(file_, name_, object, attr + std::to_string(i));
      if (!chunk) return unexpected(chunk.error());
      if (!*chunk) break;
      for (std::string& s : **chunk) out.push_back(std::move(s));
    }
    return out;
  }(); });
  if (!ok) return damaged(name_);
  return result;
}

Expected<DatasetInfo> H5File::dataset_info(const std::string& path) const {
  Expected<DatasetInfo> result = DatasetInfo{};
  // Locked outside the guard: a caught fault must not leave the mutex held.
  std::lock_guard lock(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    Handle ds(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.ok()) return h5_fail(name_, "cannot open dataset '" + path + "'");
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    if (!type.ok() || !space.ok()) return h5_fail(name_, "cannot read dataset '" + path + "'");
    auto dtype = dtype_of(type.get());
    if (!dtype) {
      return tl::unexpected<Error>(
          Error(ErrorCode::BadInput, "dataset '" + path + "' has an element type Keras does not write")
              .in_file(name_));
    }
    // Keras 3 stores bfloat16 variables as raw 16-bit values tagged with a `dtype` attribute.
    if (H5Aexists(ds.get(), "dtype") > 0) {
      Handle a(H5Aopen(ds.get(), "dtype", H5P_DEFAULT), H5Aclose);
      if (a.ok()) {
        auto s = read_string_attr(a.get(), name_, "dtype");
        if (s && s->size() == 1 && s->front() == "bfloat16") dtype = ir::DType::BFloat16;
      }
    }
    H5Eclear2(H5E_DEFAULT);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > static_cast<int>(ir::Shape::kMaxRank)) {
      return h5_fail(name_, "dataset '" + path + "' has a bad rank");
    }
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::vector<std::int64_t> shape;
    for (hsize_t d : dims) {
      if (d > (hsize_t{1} << 40)) return h5_fail(name_, "dataset '" + path + "' has a bad shape");
      shape.push_back(static_cast<std::int64_t>(d));
    }
    return DatasetInfo{*dtype, ir::Shape(std::move(shape))};
  }(); });
  if (!ok) return damaged(name_);
  return result;
}

Expected<ir::TensorBytes> H5File::read(const std::string& path, const DatasetInfo& info) const {
  Expected<ir::TensorBytes> result = ir::TensorBytes{};
  // Locked outside the guard: a caught fault must not leave the mutex held.
  std::lock_guard lock(h5_mutex());
  const bool ok = guarded([&] { result = [&]() -> decltype(result) {
    const auto elements = info.shape.num_elements();
    const auto width = ir::dtype_size(info.dtype);
    if (!elements || !width) {
      return tl::unexpected<Error>(Error(ErrorCode::BadInput, "dataset '" + path + "' has no fixed size").in_file(name_));
    }
    Handle ds(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.ok()) return h5_fail(name_, "cannot open dataset '" + path + "'");
    Handle file_type(H5Dget_type(ds.get()), H5Tclose);
    hid_t mem = memory_type(info.dtype);
    if (mem < 0) {
      if (H5Tget_order(file_type.get()) != H5T_ORDER_LE) {
        return tl::unexpected<Error>(
            Error(ErrorCode::Unsupported, "big-endian 16-bit float dataset '" + path + "'").in_file(name_));
      }
      mem = file_type.get();
    }
    auto buffer = std::make_shared<std::vector<std::byte>>(static_cast<std::size_t>(*elements) * *width);
    if (info.dtype == ir::DType::Bool) {
      std::vector<std::int8_t> raw(static_cast<std::size_t>(*elements));
      if (H5Dread(ds.get(), file_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) {
        return h5_fail(name_, "cannot read dataset '" + path + "'");
      }
      for (std::size_t i = 0; i < raw.size(); ++i) (*buffer)[i] = std::byte{raw[i] != 0};
    } else if (!buffer->empty()) {
      herr_t status = -1;
      if (!guarded([&] { status = H5Dread(ds.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer->data()); })) {
        return tl::unexpected<Error>(
            Error(ErrorCode::BadInput, "dataset '" + path + "' is damaged (its storage lies outside the file)")
                .in_file(name_));
      }
      if (status < 0) return h5_fail(name_, "cannot read dataset '" + path + "'");
    }
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(buffer->data(), buffer->size());
    out.keep_alive = std::move(buffer);
    return out;
  }(); });
  if (!ok) return damaged(name_);
  return result;
}

ir::Tensor dataset_tensor(std::shared_ptr<const H5File> file, std::string path, DatasetInfo info) {
  auto cache = std::make_shared<std::optional<Expected<ir::TensorBytes>>>();
  auto mutex = std::make_shared<std::mutex>();
  const ir::DType dtype = info.dtype;
  ir::Shape shape = info.shape;
  ir::Tensor t(dtype, std::move(shape),
               [file = std::move(file), path = std::move(path), info, cache, mutex]() -> Expected<ir::TensorBytes> {
                 std::lock_guard lock(*mutex);
                 if (!*cache) *cache = file->read(path, info);
                 return **cache;
               });
  if (auto n = info.shape.num_elements(); n && ir::dtype_size(info.dtype)) {
    t.set_byte_size(static_cast<std::uint64_t>(*n) * *ir::dtype_size(info.dtype));
  }
  return t;
}

}  // namespace litelint::analyzer::keras

// The static build links with -Wl,--wrap=dlopen (top-level meson.build): libhdf5's plugin
// loader, disabled above, then calls this instead of glibc's static dlopen.
extern "C" void* __wrap_dlopen(const char*, int) { return nullptr; }
