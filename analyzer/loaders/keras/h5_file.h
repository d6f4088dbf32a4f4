#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/shape.h"
#include "analyzer/ir/tensor.h"
#include "analyzer/support/expected.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer::keras {

/// Element type and shape of one HDF5 dataset.
struct DatasetInfo {
  ir::DType dtype = ir::DType::Invalid;
  ir::Shape shape;
};

/// A read-only HDF5 file (on disk, or an image inside a .keras archive), behind libhdf5.
/// libhdf5 is built without thread safety, so every call holds one process-wide lock; values
/// are read only when a tensor's load() asks. Errors are one line naming the object.
class H5File {
 public:
  /// Opens `path`; a file that is not HDF5 or is cut short is a BadInput error.
  static Expected<std::shared_ptr<const H5File>> open(const std::filesystem::path& path);
  /// Opens the HDF5 image `bytes`, which `keep` keeps mapped; `name` is used in errors
  /// (e.g. "model.keras:model.weights.h5").
  static Expected<std::shared_ptr<const H5File>> open_image(std::shared_ptr<const MappedFile> keep,
                                                            std::span<const std::byte> bytes,
                                                            std::string name);
  ~H5File();
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;

  /// The name errors use.
  const std::string& name() const { return name_; }
  /// True when `path` ("/a/b") names a group or dataset.
  bool exists(const std::string& path) const;
  bool is_group(const std::string& path) const;
  /// Names of the members of group `path`, in the file's (alphabetical) order.
  std::vector<std::string> children(const std::string& path) const;
  /// True when `object` has attribute `attr` (its value is not read).
  bool has_attr(const std::string& object, const std::string& attr) const;
  /// A string attribute (fixed or variable length, or the `<name>0`, `<name>1`, ... chunks
  /// Keras writes for long ones); nullopt when absent.
  Expected<std::optional<std::string>> string_attr(const std::string& object,
                                                   const std::string& attr) const;
  /// A string-array attribute such as `layer_names`; empty when absent.
  Expected<std::vector<std::string>> string_list_attr(const std::string& object,
                                                      const std::string& attr) const;
  Expected<DatasetInfo> dataset_info(const std::string& path) const;
  /// Reads a whole dataset as little-endian, row-major bytes of `info.dtype`.
  Expected<ir::TensorBytes> read(const std::string& path, const DatasetInfo& info) const;

 private:
  H5File() = default;
  std::int64_t file_ = -1;  // hid_t
  std::string name_;
  std::shared_ptr<const MappedFile> keep_;
};

/// A lazy tensor for dataset `path` of `file`: read on the first load() and cached.
ir::Tensor dataset_tensor(std::shared_ptr<const H5File> file, std::string path, DatasetInfo info);

/// True when the first bytes are the HDF5 signature.
bool is_hdf5_signature(std::string_view head);

}  // namespace litelint::analyzer::keras
