// Tensor lists whose element shape has an unknown (batch) dimension (LL404) made lowerable:
// the model's inputs get static shapes (a batch of 1, or --input-shape), and each list's
// constant element shape with unknown dimensions becomes "unknown rank" (-1), which both
// TensorFlow's converter and ours take from the items written to the list; with static
// inputs those items have static shapes. TensorFlow runs the rewritten graph unchanged (an
// unknown-rank element shape is what tf.TensorArray writes without element_shape), so the
// numbers stay; the interface changes: inputs take only the fixed shape.
#include <charconv>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/passes/infer_shapes.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

bool creates_list(std::string_view op) { return op == "TensorListReserve" || op == "EmptyTensorList"; }

// The dims of an int Const holding a 1-D element shape, or nullopt.
std::optional<std::vector<std::int64_t>> shape_const(const ir::NodeList& nodes, const ir::TensorRef& ref) {
  const ir::Node* n = nodes.find(ref.node);
  if (n == nullptr || n->op != "Const") return std::nullopt;
  const ir::AttrValue* a = n->attr("value");
  const ir::Tensor* t = a ? a->as_tensor() : nullptr;
  if (t == nullptr || !t->shape().has_rank() || t->shape().rank() != 1) return std::nullopt;
  const std::size_t width = t->dtype() == ir::DType::Int32 ? 4 : t->dtype() == ir::DType::Int64 ? 8 : 0;
  auto bytes = width ? t->load() : Expected<ir::TensorBytes>(fail(ErrorCode::BadInput, ""));
  if (!bytes || bytes->bytes.size() % width != 0) return std::nullopt;
  std::vector<std::int64_t> dims;
  for (std::size_t off = 0; off < bytes->bytes.size(); off += width) {
    if (width == 4) {
      std::int32_t v = 0;
      std::memcpy(&v, bytes->bytes.data() + off, 4);
      dims.push_back(v);
    } else {
      std::int64_t v = 0;
      std::memcpy(&v, bytes->bytes.data() + off, 8);
      dims.push_back(v);
    }
  }
  return dims;
}

// The scalar int32 -1 that means "unknown rank" as an element shape.
ir::Tensor unknown_rank() {
  auto minus_one = std::make_shared<std::int32_t>(-1);
  ir::Tensor t(ir::DType::Int32, ir::Shape::scalar(), [minus_one]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes b;
    b.bytes = std::as_bytes(std::span<const std::int32_t>(minus_one.get(), 1));
    b.keep_alive = minus_one;
    return b;
  });
  t.set_byte_size(4);
  return t;
}

// "1,8,4" as written into a plan's params; nullopt when it is not a list of dimensions.
std::optional<ir::Shape> parse_dims(const std::string& text) {
  std::vector<std::int64_t> dims;
  std::size_t start = 0;
  while (!text.empty()) {
    const auto comma = text.find(',', start);
    const std::string_view piece = std::string_view(text).substr(
        start, comma == std::string::npos ? std::string_view::npos : comma - start);
    std::int64_t d = 0;
    const auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), d);
    if (piece.empty() || ec != std::errc() || end != piece.data() + piece.size() || d < 0) return std::nullopt;
    dims.push_back(d);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ir::Shape(std::move(dims));
}

bool has_unknown(const std::vector<std::int64_t>& dims) {
  for (const auto d : dims) {
    if (d < 0) return true;
  }
  return false;
}

std::string dims_text(const ir::Shape& s) {
  std::string out;
  for (std::size_t i = 0; i < s.rank(); ++i) out += (i ? "," : "") + std::to_string(s.dim(i));
  return out;
}

// Signature key of a main-graph placeholder ("x" for serving_default_x), when one names it.
std::vector<std::string> signature_keys(const ir::Graph& graph, const std::string& node) {
  std::vector<std::string> keys;
  for (const auto& sig : graph.signatures) {
    for (const auto& t : sig.inputs) {
      auto ref = ir::TensorRef::parse(t.tensor_name);
      if (ref && ref->node == node && !t.key.empty()) keys.push_back(t.key);
    }
  }
  return keys;
}

class StaticInputShape final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "static-input-shape", .code = "LL404", .safety = Applicability::Unsafe,
            .title = "give the inputs static shapes and let tensor lists take their items' shape",
            .change = "the model's inputs take only the fixed shape (a batch of 1 unless "
                      "--input-shape says otherwise)"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions& options,
                              std::string& why_not) const override {
    if (!creates_list(finding.op)) return {};
    FixMatch m;
    m.fix_id = std::string(info().id);
    for (const auto& n : graph.nodes.nodes()) {
      if (!ir::is_placeholder(n.op) || n.op == "PlaceholderWithDefault") continue;
      const ir::AttrValue* a = n.attr("shape");
      const ir::Shape declared = a && a->as_shape() ? *a->as_shape() : ir::Shape();
      std::optional<ir::Shape> fixed;
      if (auto it = options.input_shapes.find(n.name); it != options.input_shapes.end()) fixed = it->second;
      for (const auto& key : signature_keys(graph, n.name)) {
        if (auto it = options.input_shapes.find(key); !fixed && it != options.input_shapes.end()) fixed = it->second;
      }
      if (!fixed) {
        if (declared.is_fully_defined()) continue;
        if (!declared.has_rank()) {
          why_not = "input '" + n.name + "' has an unknown rank; give --input-shape " + n.name + "=...";
          return {};
        }
        std::vector<std::int64_t> dims = declared.dims();
        for (std::size_t i = 0; i < dims.size(); ++i) {
          if (dims[i] >= 0) continue;
          if (i != 0) {
            why_not = "input '" + n.name + "' " + declared.to_string() + " has unknown dimensions beyond the batch; "
                      "give --input-shape " + n.name + "=...";
            return {};
          }
          dims[i] = options.batch;
        }
        fixed = ir::Shape(std::move(dims));
      }
      m.nodes.push_back(n.name);
      m.params["shape:" + n.name] = dims_text(*fixed);
    }
    std::size_t lists = 0;
    for_each_list(graph, [&](const std::string&, const ir::Node&) { ++lists; });
    if (m.nodes.empty() && lists == 0) {
      why_not = "no input with unknown dimensions and no constant element shape to relax";
      return {};
    }
    if (m.nodes.empty()) m.nodes.push_back(finding.nodes.front().name);  // nothing to fix at the inputs
    std::string shapes;
    for (const auto& [key, value] : m.params) shapes += (shapes.empty() ? "" : ", ") + key.substr(6) + "=[" + value + "]";
    m.summary = "fix input shapes (" + (shapes.empty() ? std::string("none") : shapes) + ") and relax " +
                std::to_string(lists) + " tensor-list element shape(s)";
    return {std::move(m)};
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    GraphEdit edit;
    std::map<std::string, ir::Shape> shapes;
    for (const auto& [key, value] : match.params) {
      if (!key.starts_with("shape:")) continue;
      auto dims = parse_dims(value);
      if (!dims) return fail(ErrorCode::BadInput, "parameter '" + key + "' is not a shape: '" + value + "'");
      shapes[key.substr(6)] = std::move(*dims);
    }
    if (!shapes.empty()) {
      if (auto r = passes::set_input_shapes(graph, shapes); !r) return tl::unexpected(r.error());
      for (const auto& [name, shape] : shapes) edit.changed.push_back(name + " (Placeholder) shape " + shape.to_string());
    }
    // Each list creator reads a new scalar -1 ("unknown rank") instead of its constant.
    std::vector<std::pair<std::string, std::string>> lists;
    for_each_list(graph, [&](const std::string& body, const ir::Node& n) { lists.emplace_back(body, n.name); });
    for (const auto& [body, name] : lists) {
      ir::NodeList* nodes = body_nodes(graph, body);
      ir::Node* list = nodes->find(name);
      ir::Node shape;
      shape.name = unique_name(*nodes, name + "/element_shape_any");
      shape.op = "Const";
      shape.device = list->device;
      shape.attrs["dtype"] = ir::AttrValue{ir::DType::Int32};
      shape.attrs["value"].value = ir::Box<ir::Tensor>(unknown_rank());
      list->inputs[0] = output_ref(body, shape.name, "output");
      if (list->op == "TensorListReserve" || list->op == "EmptyTensorList") {
        list->attrs["shape_type"] = ir::AttrValue{ir::DType::Int32};
      }
      edit.changed.push_back(describe(*list) + " element shape -> unknown rank");
      edit.added.push_back(describe(shape));
      insert_before(*nodes, name, {std::move(shape)});
    }
    return edit;
  }

 private:
  // Every list creator whose element shape is a constant with unknown dimensions.
  template <typename F>
  static void for_each_list(const ir::Graph& graph, F&& visit) {
    const auto scan = [&](const std::string& body, const ir::NodeList& nodes) {
      for (const auto& n : nodes.nodes()) {
        if (!creates_list(n.op) || n.inputs.empty()) continue;
        auto dims = shape_const(nodes, n.inputs[0]);
        if (dims && has_unknown(*dims)) visit(body, n);
      }
    };
    scan("", graph.nodes);
    for (const auto& f : graph.functions) {
      if (f.body_loaded) scan(f.name, f.body);
    }
  }
};

}  // namespace

std::unique_ptr<Fix> make_static_input_shape_fix() { return std::make_unique<StaticInputShape>(); }

}  // namespace litelint::rules
