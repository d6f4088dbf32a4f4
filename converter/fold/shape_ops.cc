// Folders for ops that read only their input's static shape: Shape, ShapeN, Size, Rank.
// TensorFlow's converter folds them whenever the shape is fully known, which is what turns a
// Keras Flatten or Reshape of a fixed-size model into a RESHAPE with a constant shape.
#include "converter/fold/folders.h"

namespace litelint::converter::folders {
namespace {

ir::DType out_type(const ir::Node& node) {
  const auto* t = node.attr("out_type");
  return t != nullptr && t->as_type() != nullptr ? *t->as_type() : ir::DType::Int32;
}

std::optional<std::vector<ConstValue>> fold_shape(const FoldInput& in) {
  if (in.types.empty() || !in.types[0].shape.is_fully_defined()) return std::nullopt;
  const auto& dims = in.types[0].shape.dims();
  return std::vector<ConstValue>{ConstValue::from_ints(
      out_type(in.node), ir::Shape({static_cast<std::int64_t>(dims.size())}), dims)};
}

std::optional<std::vector<ConstValue>> fold_shape_n(const FoldInput& in) {
  std::vector<ConstValue> out;
  for (const auto& t : in.types) {
    if (!t.shape.is_fully_defined()) return std::nullopt;
    out.push_back(ConstValue::from_ints(out_type(in.node),
                                        ir::Shape({static_cast<std::int64_t>(t.shape.rank())}),
                                        t.shape.dims()));
  }
  return out;
}

std::optional<std::vector<ConstValue>> fold_size(const FoldInput& in) {
  if (in.types.empty()) return std::nullopt;
  const auto n = in.types[0].shape.num_elements();
  if (!n) return std::nullopt;
  const std::int64_t v[] = {*n};
  return std::vector<ConstValue>{ConstValue::from_ints(out_type(in.node), ir::Shape::scalar(), v)};
}

std::optional<std::vector<ConstValue>> fold_rank(const FoldInput& in) {
  if (in.types.empty() || !in.types[0].shape.has_rank()) return std::nullopt;
  const std::int64_t v[] = {static_cast<std::int64_t>(in.types[0].shape.rank())};
  return std::vector<ConstValue>{ConstValue::from_ints(ir::DType::Int32, ir::Shape::scalar(), v)};
}

}  // namespace

std::span<const Folder> shape_folders() {
  static constexpr Folder kFolders[] = {
      {"Rank", fold_rank},
      {"Shape", fold_shape},
      {"ShapeN", fold_shape_n},
      {"Size", fold_size},
  };
  return kFolders;
}

}  // namespace litelint::converter::folders
