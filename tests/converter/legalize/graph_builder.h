#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/ir/graph.h"
#include "converter/import/program.h"
#include "converter/tfl/model.h"

// Builds the tiny flat graphs the legalization and fusion tests feed to the converter: the
// normal form of converter/import/program.h (Placeholders first, producers before consumers,
// one signature), written by hand so that a test reads like the TF graph it checks.
namespace litelint::testing {

class GraphBuilder {
 public:
  using Dims = std::vector<std::int64_t>;

  /// A float32 graph input `name` of shape `dims` (-1 for a dynamic dimension).
  GraphBuilder& input(const std::string& name, Dims dims, ir::DType dtype = ir::DType::Float) {
    ir::Node n = node(name, "Placeholder");
    n.outputs.push_back({dtype, ir::Shape(dims)});
    graph_.nodes.add(std::move(n));
    signature_.inputs.push_back({name, name + ":0", {dtype, ir::Shape(dims)}});
    return *this;
  }

  /// A Const node holding `values` (converted to `dtype`) of shape `dims`.
  template <typename T>
  GraphBuilder& constant(const std::string& name, Dims dims, const std::vector<T>& values,
                         ir::DType dtype = ir::DType::Float) {
    auto bytes = std::make_shared<std::vector<std::byte>>();
    for (T v : values) {
      if (dtype == ir::DType::Float) {
        append(*bytes, static_cast<float>(v));
      } else if (dtype == ir::DType::Int32) {
        append(*bytes, static_cast<std::int32_t>(v));
      } else {
        append(*bytes, static_cast<std::int64_t>(v));
      }
    }
    ir::Tensor tensor(dtype, ir::Shape(dims), [bytes]() -> Expected<ir::TensorBytes> {
      return ir::TensorBytes{std::span<const std::byte>(*bytes), bytes, {}};
    });
    ir::Node n = node(name, "Const");
    n.attrs["value"].value = ir::Box<ir::Tensor>(std::move(tensor));
    n.attrs["dtype"].value = dtype;
    n.outputs.push_back({dtype, ir::Shape(dims)});
    graph_.nodes.add(std::move(n));
    return *this;
  }

  /// An op node with data inputs `inputs` and one float32 output of shape `out`.
  GraphBuilder& op(const std::string& name, const std::string& type, std::vector<std::string> inputs, Dims out) {
    ir::Node n = node(name, type);
    for (const auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
    n.outputs.push_back({ir::DType::Float, ir::Shape(out)});
    graph_.nodes.add(std::move(n));
    last_ = name;
    return *this;
  }

  // Attributes of the last op node.
  GraphBuilder& attr(const std::string& key, std::string v) { return set(key, ir::AttrValue{std::move(v)}); }
  GraphBuilder& attr(const std::string& key, bool v) { return set(key, ir::AttrValue{v}); }
  GraphBuilder& attr(const std::string& key, float v) { return set(key, ir::AttrValue{v}); }
  GraphBuilder& attr(const std::string& key, std::int64_t v) { return set(key, ir::AttrValue{v}); }
  GraphBuilder& attr(const std::string& key, std::vector<std::int64_t> v) {
    ir::AttrList list;
    list.i = std::move(v);
    ir::AttrValue a;
    a.value = ir::Box<ir::AttrList>(std::move(list));
    return set(key, std::move(a));
  }

  /// Names tensor `tensor` ("node" or "node:1") as signature output `key`.
  GraphBuilder& output(const std::string& key, const std::string& tensor) {
    signature_.outputs.push_back({key, tensor.find(':') == std::string::npos ? tensor + ":0" : tensor, {}});
    return *this;
  }

  converter::Program program() const {
    converter::Program p;
    ir::Graph g;
    for (const auto& n : graph_.nodes.nodes()) g.nodes.add(n);
    auto sig = signature_;
    sig.key = "serving_default";
    g.signatures.push_back(std::move(sig));
    p.entries.push_back(std::move(g));
    return p;
  }

 private:
  static ir::Node node(const std::string& name, const std::string& op) {
    ir::Node n;
    n.name = name;
    n.op = op;
    return n;
  }
  template <typename T>
  static void append(std::vector<std::byte>& out, T v) {
    const auto at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &v, sizeof(T));
  }
  GraphBuilder& set(const std::string& key, ir::AttrValue v) {
    graph_.nodes.find(last_)->attrs[key] = std::move(v);
    return *this;
  }

  ir::Graph graph_;
  ir::Signature signature_;
  std::string last_;
};

/// The float32 elements of a constant tensor of `model`.
inline std::vector<float> floats(const converter::tfl::Model& model, const converter::tfl::Subgraph& sg,
                                 std::int32_t tensor) {
  const auto bytes = model.buffers[sg.tensors[tensor].buffer].bytes();
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

/// The int32 elements of a constant tensor of `model`.
inline std::vector<std::int32_t> ints(const converter::tfl::Model& model, const converter::tfl::Subgraph& sg,
                                      std::int32_t tensor) {
  const auto bytes = model.buffers[sg.tensors[tensor].buffer].bytes();
  std::vector<std::int32_t> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

/// Operator names in order ("CONV_2D", ...).
inline std::vector<std::string> op_names(const converter::tfl::Subgraph& sg) {
  std::vector<std::string> names;
  for (const auto& op : sg.operators) names.push_back(converter::tfl::op_name(op));
  return names;
}

}  // namespace litelint::testing
