// Lowers TF2 tensor lists (TensorListReserve/FromTensor/SetItem/GetItem/Stack, what
// tf.TensorArray and Keras RNNs build) to plain tensors, as TensorFlow's converter does
// before legalization: a list of N elements of shape E is a tensor of shape [N, E...].
//
// A list is one value flowing through several graphs: made in an entry, passed into a While
// as a loop variable, read and written in the body, returned by the loop and stacked after
// it. So the unit of decision is the connected set of variant values (the list's
// "component"): every op that makes, reads, writes or passes one of them must have a plain
// form, or the whole set stays as TensorList ops (Flex ops in select mode; in builtins mode
// legalization then reports them). What decides, as in TensorFlow's converter:
//  - FromTensor(t) is t itself, whatever t's shape;
//  - Reserve(element_shape, n) becomes Fill([n, element_shape...], 0) only when
//    element_shape is a constant with every dimension known (Keras RNNs with a dynamic batch
//    reserve [-1, units] and stay lists) or, for an unknown-rank element_shape, when a
//    SetItem of the list writes an item of fully known shape;
//  - SetItem(l, i, x) becomes Concat(l[:i], [x], l[i+1:]) (two Slices), GetItem(l, i) a
//    Gather of row i, Stack(l) the tensor itself;
//  - any other use (Length, PushBack, ConcatV2, an If or a call taking the list, a list as
//    a signature output) keeps the component.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/passes/infer_shapes.h"
#include "converter/import/steps.h"

namespace litelint::converter::import {
namespace {

/// A tensor of one graph of the program.
struct Value {
  ir::Graph* graph = nullptr;
  std::string node;
  std::int32_t index = 0;
  friend auto operator<=>(const Value&, const Value&) = default;
};

class UnionFind {
 public:
  std::size_t id(const Value& v) {
    auto [it, inserted] = ids_.emplace(v, parent_.size());
    if (inserted) parent_.push_back(parent_.size());
    return it->second;
  }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(const Value& a, const Value& b) { parent_[find(id(a))] = find(id(b)); }
  std::size_t root(const Value& v) { return find(id(v)); }
  const std::map<Value, std::size_t>& ids() const { return ids_; }

 private:
  std::map<Value, std::size_t> ids_;
  std::vector<std::size_t> parent_;
};

bool is_while(std::string_view op) { return op == "While" || op == "StatelessWhile"; }

/// Ops that make a list value (output 0).
bool is_list_origin(std::string_view op) {
  return op == "TensorListReserve" || op == "TensorListFromTensor" || op == "EmptyTensorList";
}

/// The element dtypes a lowered list may hold (TensorFlow's converter's list).
bool lowerable_dtype(ir::DType t) {
  using D = ir::DType;
  return t == D::Half || t == D::Float || t == D::Double || t == D::Bool || t == D::Int8 || t == D::UInt8 ||
         t == D::Int16 || t == D::Int32 || t == D::Int64;
}

const ir::TensorType* type_of(const ir::Graph& g, const ir::TensorRef& ref) {
  const ir::Node* n = g.nodes.find(ref.node);
  if (!n || ref.index < 0 || static_cast<std::size_t>(ref.index) >= n->outputs.size()) return nullptr;
  return &n->outputs[static_cast<std::size_t>(ref.index)];
}

bool is_variant(const ir::Graph& g, const ir::TensorRef& ref) {
  const ir::TensorType* t = type_of(g, ref);
  return t && t->dtype == ir::DType::Variant;
}

std::optional<ir::DType> type_attr(const ir::Node& n, std::string_view key) {
  const ir::AttrValue* a = n.attr(key);
  if (!a || !a->as_type()) return std::nullopt;
  return *a->as_type();
}

/// The integer elements of a Const node's value, whatever its rank, and that rank.
std::optional<std::vector<std::int64_t>> const_elements(const ir::Graph& g, const ir::TensorRef& ref,
                                                        std::int64_t& rank) {
  const ir::Node* n = g.nodes.find(ref.node);
  if (!n || n->op != "Const" || ref.index != 0) return std::nullopt;
  const ir::AttrValue* a = n->attr("value");
  if (!a || !a->as_tensor()) return std::nullopt;
  const ir::Tensor& t = *a->as_tensor();
  auto bytes = t.load();
  if (!bytes) return std::nullopt;
  std::vector<std::int64_t> out;
  if (t.dtype() == ir::DType::Int32) {
    for (std::size_t i = 0; i + 4 <= bytes->bytes.size(); i += 4) {
      std::int32_t v;
      std::memcpy(&v, bytes->bytes.data() + i, 4);
      out.push_back(v);
    }
  } else if (t.dtype() == ir::DType::Int64) {
    for (std::size_t i = 0; i + 8 <= bytes->bytes.size(); i += 8) {
      std::int64_t v;
      std::memcpy(&v, bytes->bytes.data() + i, 8);
      out.push_back(v);
    }
  } else {
    return std::nullopt;
  }
  if (!t.shape().has_rank()) return std::nullopt;
  rank = t.shape().rank();
  return out;
}

/// The integer elements of a Const vector.
std::optional<std::vector<std::int64_t>> const_ints(const ir::Graph& g, const ir::TensorRef& ref) {
  std::int64_t rank = -1;
  auto out = const_elements(g, ref, rank);
  // A scalar element_shape (-1) means "unknown rank".
  if (!out || rank != 1) return std::nullopt;
  return out;
}

/// A Const node holding `values` as a tensor of `dtype` and `dims`.
ir::Node const_node(std::string name, ir::DType dtype, std::vector<std::int64_t> dims,
                    const std::vector<std::int64_t>& values) {
  const std::size_t size = ir::dtype_size(dtype).value_or(4);
  auto bytes = std::make_shared<std::vector<std::byte>>(values.size() * size);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::byte* p = bytes->data() + i * size;
    switch (dtype) {
      case ir::DType::Float: { float v = static_cast<float>(values[i]); std::memcpy(p, &v, size); break; }
      case ir::DType::Double: { double v = static_cast<double>(values[i]); std::memcpy(p, &v, size); break; }
      case ir::DType::Int32: { auto v = static_cast<std::int32_t>(values[i]); std::memcpy(p, &v, size); break; }
      case ir::DType::Int64: std::memcpy(p, &values[i], size); break;
      default:
        // Other element types only ever get zeros here (Fill's value), which is all-zero bytes
        // in every fixed-size type.
        break;
    }
  }
  ir::Shape shape(std::move(dims));
  ir::Tensor tensor(dtype, shape, [bytes] {
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(*bytes);
    out.keep_alive = bytes;
    return Expected<ir::TensorBytes>(std::move(out));
  });
  tensor.set_byte_size(bytes->size());
  ir::Node c;
  c.name = std::move(name);
  c.op = "Const";
  c.attrs["dtype"].value = dtype;
  c.attrs["value"].value = tensor;
  c.outputs = {ir::TensorType{dtype, shape}};
  return c;
}

ir::TensorRef tensor_ref(const std::string& node, std::int32_t index = 0) {
  ir::TensorRef r;
  r.node = node;
  r.index = index;
  return r;
}

ir::Node op_node(std::string name, std::string op, std::vector<ir::TensorRef> inputs) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  n.inputs = std::move(inputs);
  return n;
}

/// What is known about one component of list values.
struct Component {
  bool lowerable = true;
  bool has_origin = false;
  ir::DType dtype = ir::DType::Invalid;
  /// The element shape when its rank is known.
  std::optional<ir::Shape> element;
  /// The number of elements, when every origin makes the same constant number.
  std::optional<std::int64_t> length;
  bool length_varies = false;
};

class Lowering {
 public:
  explicit Lowering(Program& program) : program_(program) {
    for (auto& e : program_.entries) {
      graphs_.push_back(&e);
      entries_.insert(&e);
    }
    for (auto& [name, g] : program_.bodies) graphs_.push_back(&g);
  }

  void run() {
    connect();
    decide();
    for (ir::Graph* g : graphs_) rewrite(*g);
    for (ir::Graph* g : touched_) retype(*g);
  }

 private:
  ir::Graph* body(const ir::Node& n, std::string_view key) {
    const ir::AttrValue* a = n.attr(key);
    if (!a || !a->as_func()) return nullptr;
    auto it = program_.bodies.find(a->as_func()->name);
    return it == program_.bodies.end() ? nullptr : &it->second;
  }

  Value value(ir::Graph& g, const ir::TensorRef& r) { return {&g, r.node, r.index}; }

  /// Value of a body's signature tensor `name` ("node:k").
  std::optional<Value> sig_value(ir::Graph& g, const std::string& name) {
    auto r = ir::TensorRef::parse(name);
    if (!r) return std::nullopt;
    return value(g, *r);
  }

  void mark_bad(const Value& v) { bad_roots_.push_back(v); }

  /// Joins every list value with the values it flows into; records uses without a plain form.
  void connect() {
    for (ir::Graph* gp : graphs_) {
      ir::Graph& g = *gp;
      for (const auto& n : g.nodes.nodes()) {
        if (is_list_origin(n.op)) uf_.id({&g, n.name, 0});
        if (n.op == "Placeholder" && !n.outputs.empty() && n.outputs[0].dtype == ir::DType::Variant) {
          uf_.id({&g, n.name, 0});
        }
        for (std::size_t k = 0; k < n.data_input_count(); ++k) {
          const ir::TensorRef& in = n.inputs[k];
          if (!is_variant(g, in)) continue;
          const Value v = value(g, in);
          uf_.id(v);
          if (n.op == "TensorListSetItem" && k == 0) {
            uf_.join(v, {&g, n.name, 0});
          } else if ((n.op == "TensorListGetItem" || n.op == "TensorListStack") && k == 0) {
            // reads: no list comes out
          } else if (n.op == "Identity") {
            uf_.join(v, {&g, n.name, 0});
          } else if (n.op == "IdentityN") {
            uf_.join(v, {&g, n.name, static_cast<std::int32_t>(k)});
          } else if (is_while(n.op)) {
            uf_.join(v, {&g, n.name, static_cast<std::int32_t>(k)});
            for (const char* key : {"cond", "body"}) {
              ir::Graph* b = body(n, key);
              if (!b || b->signatures.empty() || k >= b->signatures[0].inputs.size()) {
                mark_bad(v);
                continue;
              }
              if (auto arg = sig_value(*b, b->signatures[0].inputs[k].tensor_name)) uf_.join(v, *arg);
              if (std::string(key) == "body") {
                if (k < b->signatures[0].outputs.size()) {
                  if (auto res = sig_value(*b, b->signatures[0].outputs[k].tensor_name)) uf_.join(v, *res);
                } else {
                  mark_bad(v);
                }
              }
            }
          } else {
            mark_bad(v);
          }
        }
      }
      // A list leaving an entry has no tensor form a caller could read.
      if (entries_.count(&g) && !g.signatures.empty()) {
        for (const auto& out : g.signatures[0].outputs) {
          auto r = ir::TensorRef::parse(out.tensor_name);
          if (r && is_variant(g, *r)) mark_bad(value(g, *r));
        }
      }
    }
  }

  void decide() {
    for (const auto& v : bad_roots_) components_[uf_.root(v)].lowerable = false;
    // Element types from the origins and from the items SetItem writes.
    std::map<std::size_t, std::optional<ir::Shape>> item_shapes;
    for (ir::Graph* gp : graphs_) {
      ir::Graph& g = *gp;
      for (const auto& n : g.nodes.nodes()) {
        if (n.op == "TensorListSetItem" && n.data_input_count() >= 3) {
          const ir::TensorType* item = type_of(g, n.inputs[2]);
          auto& s = item_shapes[uf_.root({&g, n.name, 0})];
          if (item && item->shape.is_fully_defined() && !s) s = item->shape;
        }
      }
    }
    for (ir::Graph* gp : graphs_) {
      ir::Graph& g = *gp;
      for (const auto& n : g.nodes.nodes()) {
        if (!is_list_origin(n.op)) continue;
        Component& c = components_[uf_.root({&g, n.name, 0})];
        c.has_origin = true;
        auto dtype = type_attr(n, "element_dtype");
        if (!dtype || !lowerable_dtype(*dtype) || (c.dtype != ir::DType::Invalid && c.dtype != *dtype)) {
          c.lowerable = false;
          continue;
        }
        c.dtype = *dtype;
        std::optional<std::int64_t> length;
        if (n.op == "TensorListFromTensor" && n.data_input_count() >= 1) {
          const ir::TensorType* t = type_of(g, n.inputs[0]);
          if (t && t->shape.has_rank() && t->shape.rank() >= 1 && t->shape.dim(0) >= 0) length = t->shape.dim(0);
        } else if (n.op == "TensorListReserve" && n.data_input_count() >= 2) {
          std::int64_t rank = -1;
          auto count = const_elements(g, n.inputs[1], rank);
          if (count && count->size() == 1 && (*count)[0] >= 0) length = (*count)[0];
        }
        if (!length || (c.length && *c.length != *length)) c.length_varies = true;
        if (length) c.length = length;
        if (n.op == "TensorListFromTensor") {
          const ir::TensorType* t = n.data_input_count() >= 1 ? type_of(g, n.inputs[0]) : nullptr;
          if (t && t->shape.has_rank() && t->shape.rank() >= 1) {
            std::vector<std::int64_t> dims(t->shape.dims().begin() + 1, t->shape.dims().end());
            c.element = ir::Shape(std::move(dims));
          }
          continue;
        }
        if (n.op != "TensorListReserve" || n.data_input_count() < 2) {
          c.lowerable = false;  // EmptyTensorList grows by PushBack, which has no plain form here
          continue;
        }
        auto shape = const_ints(g, n.inputs[0]);
        if (!shape) {
          // Unknown rank: the shape of a fully known item a SetItem writes, if any.
          auto it = item_shapes.find(uf_.root({&g, n.name, 0}));
          if (it != item_shapes.end() && it->second) {
            c.element = *it->second;
            continue;
          }
          c.lowerable = false;
          continue;
        }
        bool known = true;
        for (auto d : *shape) known &= d >= 0;
        if (!known) {
          c.lowerable = false;
          continue;
        }
        c.element = ir::Shape(*shape);
      }
    }
    for (auto& [root, c] : components_) {
      if (!c.has_origin) c.lowerable = false;
    }
    // Writing needs the element rank (the slices' begin and size have one entry per dim).
    for (const auto& [root, shape] : item_shapes) {
      Component& c = components_[root];
      if (!c.element) c.lowerable = false;
    }
    // Every value of the program that is a list but joined to no origin (a variant
    // Placeholder of an entry, an If branch argument) is in a component without one.
    for (const auto& [v, id] : uf_.ids()) {
      auto it = components_.find(uf_.find(id));
      if (it == components_.end()) components_[uf_.find(id)].lowerable = false;
    }
  }

  const Component* lowered(ir::Graph& g, const ir::TensorRef& r) {
    auto& ids = uf_.ids();
    auto it = ids.find(value(g, r));
    if (it == ids.end()) return nullptr;
    auto c = components_.find(uf_.find(it->second));
    return c != components_.end() && c->second.lowerable ? &c->second : nullptr;
  }

  /// The tensor type of a lowered list.
  static ir::TensorType list_type(const Component& c, std::int64_t count) {
    ir::TensorType t;
    t.dtype = c.dtype;
    if (c.element) {
      std::vector<std::int64_t> dims{count};
      dims.insert(dims.end(), c.element->dims().begin(), c.element->dims().end());
      t.shape = ir::Shape(std::move(dims));
    }
    return t;
  }

  void rewrite(ir::Graph& g) {
    std::vector<ir::Node> out;
    std::map<std::pair<std::string, std::int32_t>, ir::TensorRef> forward;
    bool changed = false;
    const auto i32 = ir::DType::Int32;
    for (auto& n : g.nodes.mutable_nodes()) {
      for (auto& in : n.inputs) {
        if (in.control) continue;
        if (auto f = forward.find({in.node, in.index}); f != forward.end()) in = f->second;
      }
      const Component* c = nullptr;
      if (is_list_origin(n.op) || n.op == "TensorListSetItem") {
        c = lowered(g, tensor_ref(n.name));
      } else if ((n.op == "TensorListGetItem" || n.op == "TensorListStack") && n.data_input_count() >= 1) {
        c = lowered(g, n.inputs[0]);
      } else if (n.op == "Placeholder") {
        if (const Component* pc = lowered(g, tensor_ref(n.name))) {
          const ir::TensorType t = list_type(*pc, ir::Shape::kUnknownDim);
          n.attrs["dtype"].value = t.dtype;
          n.attrs["shape"].value = t.shape;
          n.outputs = {t};
          changed = true;
        }
      } else if (is_while(n.op)) {
        changed |= retype_while(g, n);
      }
      if (!c) {
        out.push_back(std::move(n));
        continue;
      }
      changed = true;
      const std::string& name = n.name;
      std::vector<ir::TensorRef> data(n.inputs.begin(), n.inputs.begin() + static_cast<std::ptrdiff_t>(n.data_input_count()));
      std::vector<ir::TensorRef> controls(n.inputs.begin() + static_cast<std::ptrdiff_t>(n.data_input_count()), n.inputs.end());
      auto finish = [&](ir::Node node) {
        node.inputs.insert(node.inputs.end(), controls.begin(), controls.end());
        node.stack = std::move(n.stack);
        out.push_back(std::move(node));
      };
      auto add = [&](ir::Node node) { out.push_back(std::move(node)); };
      auto set_t = [&](ir::Node& node, const char* key, ir::DType t) { node.attrs[key].value = t; };
      if (n.op == "TensorListFromTensor" || n.op == "TensorListStack") {
        forward[{name, 0}] = data[0];
        continue;
      }
      if (n.op == "TensorListGetItem") {
        add(const_node(name + "/axis", i32, {}, {0}));
        ir::Node gather = op_node(name, "GatherV2", {data[0], data[1], tensor_ref(name + "/axis")});
        set_t(gather, "Tparams", c->dtype);
        set_t(gather, "Tindices", i32);
        set_t(gather, "Taxis", i32);
        gather.attrs["batch_dims"].value = std::int64_t{0};
        finish(std::move(gather));
        continue;
      }
      const std::vector<std::int64_t>& edims = c->element->dims();
      const auto rank = static_cast<std::int64_t>(edims.size());
      if (n.op == "TensorListReserve") {
        add(const_node(name + "/one", i32, {1}, {1}));
        ir::Node count = op_node(name + "/count", "Reshape", {data[1], tensor_ref(name + "/one")});
        set_t(count, "T", i32);
        set_t(count, "Tshape", i32);
        add(std::move(count));
        add(const_node(name + "/element_shape", i32, {rank}, edims));
        add(const_node(name + "/axis", i32, {}, {0}));
        ir::Node dims = op_node(name + "/dims", "ConcatV2",
                                {tensor_ref(name + "/count"), tensor_ref(name + "/element_shape"), tensor_ref(name + "/axis")});
        dims.attrs["N"].value = std::int64_t{2};
        set_t(dims, "T", i32);
        set_t(dims, "Tidx", i32);
        add(std::move(dims));
        add(const_node(name + "/zero", c->dtype, {}, {0}));
        ir::Node fill = op_node(name, "Fill", {tensor_ref(name + "/dims"), tensor_ref(name + "/zero")});
        set_t(fill, "T", c->dtype);
        set_t(fill, "index_type", i32);
        finish(std::move(fill));
        continue;
      }
      // TensorListSetItem(list, index, item): the rows before `index`, the item, the rows after.
      const ir::TensorRef list = data[0], index = data[1], item = data[2];
      auto concat = [&](std::string node_name, std::vector<ir::TensorRef> parts, ir::DType t) {
        parts.push_back(tensor_ref(name + "/axis"));
        ir::Node cat = op_node(std::move(node_name), "ConcatV2", std::move(parts));
        cat.attrs["N"].value = static_cast<std::int64_t>(cat.inputs.size() - 1);
        set_t(cat, "T", t);
        set_t(cat, "Tidx", i32);
        return cat;
      };
      auto reshape = [&](std::string node_name, ir::TensorRef x, ir::TensorRef shape, ir::DType t) {
        ir::Node r = op_node(std::move(node_name), "Reshape", {std::move(x), std::move(shape)});
        set_t(r, "T", t);
        set_t(r, "Tshape", i32);
        return r;
      };
      auto slice = [&](std::string node_name, ir::TensorRef begin, ir::TensorRef size) {
        ir::Node s = op_node(std::move(node_name), "Slice", {list, std::move(begin), std::move(size)});
        set_t(s, "T", c->dtype);
        set_t(s, "Index", i32);
        return s;
      };
      std::vector<std::int64_t> row{1};
      row.insert(row.end(), edims.begin(), edims.end());
      const bool static_item = c->element->is_fully_defined();
      // The item as a list of one row: [1, element...].
      auto add_row = [&](std::string node_name) {
        if (static_item) {
          add(const_node(name + "/row_shape", i32, {rank + 1}, row));
          return reshape(std::move(node_name), item, tensor_ref(name + "/row_shape"), c->dtype);
        }
        ir::Node expand = op_node(std::move(node_name), "ExpandDims", {item, tensor_ref(name + "/axis")});
        set_t(expand, "T", c->dtype);
        set_t(expand, "Tdim", i32);
        return expand;
      };
      add(const_node(name + "/axis", i32, {}, {0}));
      if (c->length == 1 && !c->length_varies) {
        // A list of one element: the only valid index is 0 and the item replaces the list, as
        // TensorFlow's converter writes it (one RESHAPE, no slices).
        finish(add_row(name));
        continue;
      }
      add(const_node(name + "/one", i32, {1}, {1}));
      add(const_node(name + "/unit", i32, {}, {1}));
      add(const_node(name + "/begin", i32, {rank + 1}, std::vector<std::int64_t>(edims.size() + 1, 0)));
      add(const_node(name + "/rest", i32, {rank + 1}, std::vector<std::int64_t>(edims.size() + 1, -1)));
      add(reshape(name + "/index", index, tensor_ref(name + "/one"), i32));
      ir::Node next = op_node(name + "/next", "AddV2", {index, tensor_ref(name + "/unit")});
      set_t(next, "T", i32);
      add(std::move(next));
      add(reshape(name + "/next_index", tensor_ref(name + "/next"), tensor_ref(name + "/one"), i32));
      ir::TensorRef head_size = tensor_ref(name + "/index");
      ir::TensorRef tail_begin = tensor_ref(name + "/next_index");
      if (rank > 0) {
        add(const_node(name + "/all", i32, {rank}, std::vector<std::int64_t>(edims.size(), -1)));
        add(const_node(name + "/zeros", i32, {rank}, std::vector<std::int64_t>(edims.size(), 0)));
        add(concat(name + "/head_size", {tensor_ref(name + "/index"), tensor_ref(name + "/all")}, i32));
        add(concat(name + "/tail_begin", {tensor_ref(name + "/next_index"), tensor_ref(name + "/zeros")}, i32));
        head_size = tensor_ref(name + "/head_size");
        tail_begin = tensor_ref(name + "/tail_begin");
      }
      add(slice(name + "/head", tensor_ref(name + "/begin"), head_size));
      add(slice(name + "/tail", tail_begin, tensor_ref(name + "/rest")));
      add(add_row(name + "/row"));
      finish(concat(name, {tensor_ref(name + "/head"), tensor_ref(name + "/row"), tensor_ref(name + "/tail")}, c->dtype));
    }
    // Every node moved into `out`, so the list is put back even when nothing changed.
    g.nodes.mutable_nodes() = std::move(out);
    g.nodes.reindex();
    if (!changed) return;
    for (auto& sig : g.signatures) {
      for (auto& t : sig.outputs) {
        auto r = ir::TensorRef::parse(t.tensor_name);
        if (!r) continue;
        if (auto f = forward.find({r->node, r->index}); f != forward.end()) t.tensor_name = f->second.to_string();
      }
    }
    touched_.insert(&g);
  }

  /// Gives a While's lowered loop variables their tensor types. True when one changed.
  bool retype_while(ir::Graph& g, ir::Node& n) {
    bool changed = false;
    for (std::size_t k = 0; k < n.data_input_count(); ++k) {
      const Component* c = lowered(g, tensor_ref(n.name, static_cast<std::int32_t>(k)));
      if (!c) continue;
      changed = true;
      std::int64_t count = ir::Shape::kUnknownDim;
      if (const ir::TensorType* in = type_of(g, n.inputs[k]); in && in->dtype != ir::DType::Variant &&
                                                             in->shape.has_rank() && in->shape.rank() >= 1) {
        count = in->shape.dim(0);
      }
      const ir::TensorType t = list_type(*c, count);
      if (const ir::AttrValue* a = n.attr("T"); a && a->as_list() && k < a->as_list()->type.size()) {
        ir::AttrList types = *a->as_list();
        types.type[k] = t.dtype;
        n.attrs["T"].value = std::move(types);
      }
      if (const ir::AttrValue* a = n.attr("output_shapes"); a && a->as_list() && k < a->as_list()->shape.size()) {
        ir::AttrList shapes = *a->as_list();
        shapes.shape[k] = ir::Shape();  // the loop may change the row count; inference joins
        n.attrs["output_shapes"].value = std::move(shapes);
      }
      if (k < n.outputs.size()) n.outputs[k] = t;
    }
    return changed;
  }

  /// Types the new nodes and refreshes the signature's types.
  void retype(ir::Graph& g) {
    passes::infer_shapes(g);
    for (auto& sig : g.signatures) {
      for (auto* list : {&sig.inputs, &sig.outputs}) {
        for (auto& t : *list) {
          auto r = ir::TensorRef::parse(t.tensor_name);
          if (const ir::TensorType* type = r ? type_of(g, *r) : nullptr) t.type = *type;
        }
      }
    }
  }

  Program& program_;
  std::vector<ir::Graph*> graphs_;
  UnionFind uf_;
  std::vector<Value> bad_roots_;
  std::map<std::size_t, Component> components_;
  std::set<ir::Graph*> entries_;
  std::set<ir::Graph*> touched_;
};

}  // namespace

void lower_tensor_lists(Program& program) { Lowering(program).run(); }

}  // namespace litelint::converter::import
