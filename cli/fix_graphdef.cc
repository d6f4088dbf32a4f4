#include "cli/fix_graphdef.h"

#include <system_error>

#include "analyzer/proto/graph.pb.h"
#include "cli/write_output.h"
#include "converter/import/program.h"

namespace litelint::cli {
namespace {

void shape_to_proto(const ir::Shape& shape, tensorflow::TensorShapeProto& out) {
  if (!shape.has_rank()) {
    out.set_unknown_rank(true);
    return;
  }
  for (const auto d : shape.dims()) out.add_dim()->set_size(d);
}

Expected<void> tensor_to_proto(const ir::Tensor& t, tensorflow::TensorProto& out) {
  out.set_dtype(static_cast<tensorflow::DataType>(t.dtype()));
  shape_to_proto(t.shape(), *out.mutable_tensor_shape());
  auto bytes = t.load();
  if (!bytes) return tl::unexpected(bytes.error());
  if (t.dtype() == ir::DType::String) {
    for (const auto& s : bytes->strings) out.add_string_val(s);
  } else {
    // Row-major little-endian element bytes are exactly TensorProto's tensor_content.
    out.set_tensor_content(reinterpret_cast<const char*>(bytes->bytes.data()), bytes->bytes.size());
  }
  return {};
}

Expected<void> attr_to_proto(const ir::AttrValue& a, tensorflow::AttrValue& out);

Expected<void> func_to_proto(const ir::FuncRef& f, tensorflow::NameAttrList& out) {
  out.set_name(f.name);
  for (const auto& [k, v] : f.attrs) {
    if (auto ok = attr_to_proto(v, (*out.mutable_attr())[k]); !ok) return ok;
  }
  return {};
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
    return tensor_to_proto(*tensor, *out.mutable_tensor());
  } else if (const auto* fn = a.as_func()) {
    return func_to_proto(*fn, *out.mutable_func());
  } else if (const auto* list = a.as_list()) {
    auto* l = out.mutable_list();  // an empty list is still a list
    for (const auto& s : list->s) l->add_s(s);
    for (const auto i : list->i) l->add_i(i);
    for (const auto f : list->f) l->add_f(f);
    for (const bool b : list->b) l->add_b(b);
    for (const auto t : list->type) l->add_type(static_cast<tensorflow::DataType>(t));
    for (const auto& s : list->shape) shape_to_proto(s, *l->add_shape());
    for (const auto& t : list->tensor) {
      if (auto ok = tensor_to_proto(t, *l->add_tensor()); !ok) return ok;
    }
    for (const auto& fn : list->func) {
      if (auto ok = func_to_proto(fn, *l->add_func()); !ok) return ok;
    }
  }
  return {};
}

}  // namespace

Expected<FrozenGraph> write_frozen_graph(const ir::Model& model, const std::filesystem::path& dir,
                                         const std::vector<std::string>& signatures,
                                         const std::vector<std::string>& inputs,
                                         const std::vector<std::string>& outputs) {
  converter::ImportOptions options;
  options.signatures = signatures;
  options.inputs = inputs;
  options.outputs = outputs;
  auto program = converter::import_program(model, options);
  if (!program) return tl::unexpected(program.error());
  if (program->entries.size() != 1) {
    return fail(ErrorCode::Usage, "--write-model writes one signature; the model has " +
                                      std::to_string(program->entries.size()) + " (choose one with --signature)");
  }
  if (!program->bodies.empty()) {
    return fail(ErrorCode::Unsupported, "--write-model: the graph has control-flow bodies (" +
                                            program->bodies.begin()->first +
                                            (program->bodies.size() > 1 ? ", ..." : "") +
                                            "), which the frozen GraphDef writer does not write yet");
  }
  const ir::Graph& g = program->entries.front();
  tensorflow::GraphDef def;
  def.mutable_versions()->set_producer(g.producer);
  def.mutable_versions()->set_min_consumer(g.min_consumer);
  for (const auto& n : g.nodes.nodes()) {
    auto* nd = def.add_node();
    nd->set_name(n.name);
    nd->set_op(n.op);
    nd->set_device(n.device);
    for (const auto& in : n.inputs) nd->add_input(in.to_string());
    for (const auto& [key, value] : n.attrs) {
      // Annotations ("_output_shapes", "_class", ...) were recorded for the graph before the
      // fixes and may not hold for it now; TensorFlow does not need them.
      if (key.starts_with('_')) continue;
      if (auto ok = attr_to_proto(value, (*nd->mutable_attr())[key]); !ok) {
        return tl::unexpected(Error(ok.error().code(), "node '" + n.name + "': " + ok.error().reason()));
      }
    }
  }
  FrozenGraph out;
  out.file = dir / "frozen_graph.pb";
  const auto& sig = g.signatures.front();
  // from_frozen_graph names output 0 of node X "X", never "X:0".
  const auto array = [](const std::string& tensor) {
    auto ref = ir::TensorRef::parse(tensor);
    return ref && ref->index == 0 ? ref->node : tensor;
  };
  for (const auto& t : sig.inputs) out.inputs.push_back(array(t.tensor_name));
  for (const auto& t : sig.outputs) out.outputs.push_back(array(t.tensor_name));
  std::string bytes;
  if (!def.SerializeToString(&bytes)) return fail(ErrorCode::Internal, "the GraphDef does not serialize");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::Io, dir.string() + ": cannot create the directory: " + ec.message());
  if (auto w = write_file_atomically(out.file, as_bytes(bytes), "the frozen graph"); !w) {
    return tl::unexpected(w.error());
  }
  return out;
}

}  // namespace litelint::cli
