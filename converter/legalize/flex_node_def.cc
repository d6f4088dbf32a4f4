#include "converter/legalize/flex_node_def.h"

#include <flatbuffers/flexbuffers.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "analyzer/proto/node_def.pb.h"
#include "converter/legalize/const_value.h"

namespace litelint::converter {
namespace {

void shape_to_proto(const ir::Shape& shape, tensorflow::TensorShapeProto& out) {
  if (!shape.has_rank()) {
    out.set_unknown_rank(true);
    return;
  }
  for (auto d : shape.dims()) out.add_dim()->set_size(d);
}

Expected<void> tensor_to_proto(const ir::Tensor& t, tensorflow::TensorProto& out) {
  out.set_dtype(static_cast<tensorflow::DataType>(t.dtype()));
  shape_to_proto(t.shape(), *out.mutable_tensor_shape());
  auto v = ConstValue::from_tensor(t);
  if (!v) return unexpected(v.error());
  if (t.dtype() == ir::DType::String) {
    for (const auto& s : v->strings) out.add_string_val(s);
  } else {
    const auto bytes = v->bytes();
    out.set_tensor_content(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  return {};
}

Expected<void> attr_to_proto(const ir::AttrValue& a, tensorflow::AttrValue& out);

void func_to_proto(const ir::FuncRef& f, tensorflow::NameAttrList& out) {
  out.set_name(f.name);
  for (const auto& [k, v] : f.attrs) (void)attr_to_proto(v, (*out.mutable_attr())[k]);
}

Expected<void> attr_to_proto(const ir::AttrValue& a, tensorflow::AttrValue& out) {
  if (const auto* s = a.as_string()) {
    out.set_s(*s);
  } else if (const auto* i = a.as_int()) {
    out.set_i(*i);
  } else if (const auto* f = a.as_float()) {
    out.set_f(*f);
  } else if (const auto* b = a.as_bool()) {
    out.set_b(*b);
  } else if (const auto* t = a.as_type()) {
    out.set_type(static_cast<tensorflow::DataType>(*t));
  } else if (const auto* shape = a.as_shape()) {
    shape_to_proto(*shape, *out.mutable_shape());
  } else if (const auto* tensor = a.as_tensor()) {
    if (auto ok = tensor_to_proto(*tensor, *out.mutable_tensor()); !ok) return ok;
  } else if (const auto* fn = a.as_func()) {
    func_to_proto(*fn, *out.mutable_func());
  } else if (const auto* list = a.as_list()) {
    auto* l = out.mutable_list();
    for (const auto& s : list->s) l->add_s(s);
    for (auto i : list->i) l->add_i(i);
    for (auto f : list->f) l->add_f(f);
    for (bool b : list->b) l->add_b(b);
    for (auto t : list->type) l->add_type(static_cast<tensorflow::DataType>(t));
    for (const auto& s : list->shape) shape_to_proto(s, *l->add_shape());
    for (const auto& t : list->tensor) {
      if (auto ok = tensor_to_proto(t, *l->add_tensor()); !ok) return ok;
    }
    for (const auto& fn : list->func) func_to_proto(fn, *l->add_func());
    if (list->s.empty() && list->i.empty() && list->f.empty() && list->b.empty() &&
        list->type.empty() && list->shape.empty() && list->tensor.empty() && list->func.empty()) {
      out.mutable_list();  // an empty list is still a list
    }
  }
  return {};
}

}  // namespace

Expected<std::vector<std::uint8_t>> flex_custom_options(const ir::Node& node) {
  // As TensorFlow's converter writes it: no name and no device (the Flex delegate names and
  // places the node itself), one empty input per data operand (the kernel is built for that
  // many inputs; the tensors come from the TFLite operator), and the op's own attrs.
  tensorflow::NodeDef def;
  def.set_op(node.op);
  for (const auto& in : node.inputs) {
    if (!in.control) def.add_input("");
  }
  for (const auto& [key, value] : node.attrs) {
    // Attrs with a leading underscore are annotations (_output_shapes, _class, ...), not
    // parameters of the kernel.
    if (key.starts_with('_')) continue;
    if (auto ok = attr_to_proto(value, (*def.mutable_attr())[key]); !ok) return unexpected(ok.error());
  }
  std::string serialized;
  {
    // The attr map serializes in hash order unless told otherwise, and the same graph must
    // give the same bytes (convert --plan replays a fix run byte for byte).
    google::protobuf::io::StringOutputStream stream(&serialized);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    if (!def.SerializeToCodedStream(&out)) return fail(ErrorCode::Internal, "NodeDef does not serialize");
  }
  flexbuffers::Builder fbb;
  fbb.Vector([&] {
    fbb.String(node.op);
    fbb.String(serialized);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

}  // namespace litelint::converter
