// IRFFT (LL101: TFLite has only the forward RFFT2D) with a constant fft_length and a static
// spectrum length computed as two matrix products with constant inverse-DFT matrices:
//   y = Real(X) @ C + Imag(X) @ S,  C[k][n] = w_k cos(2 pi k n / L) / L,
//                                   S[k][n] = -w_k sin(2 pi k n / L) / L,
// w_k = 1 for the DC and (L even) Nyquist bins and 2 for the others, whose mirror images the
// real transform leaves out; bins past L/2 get zero rows (IRFFT crops them) and a short spectrum
// has no rows for the missing bins (IRFFT pads with zeros). As in TensorFlow, the imaginary
// parts of the DC and Nyquist bins are ignored. REAL, IMAG, RESHAPE, FULLY_CONNECTED, ADD
// are builtins. The sums run in another order than the FFT's, so the rounding differs: unsafe.
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/checks/node_builder.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

// Two float32 matrices of (L/2+1) x L: 8 MB at this length, past which a Flex op is smaller.
constexpr std::int64_t kMaxLength = 1024;

struct Sizes {
  std::int64_t bins = 0;    ///< the spectrum's last dim
  std::int64_t length = 0;  ///< fft_length
  std::vector<std::int64_t> dims;  ///< the spectrum's shape, at most one -1
};

class IrfftMatmul final : public Fix {
 public:
  FixInfo info() const override {
    return {.id = "irfft-matmul", .code = "LL101", .safety = Applicability::Unsafe,
            .title = "compute IRFFT as products with constant inverse-DFT matrices",
            .change = "a direct sum rounds differently from TensorFlow's FFT: within about 1e-6 "
                      "times the spectrum's largest magnitude"};
  }

  std::vector<FixMatch> match(const Finding& finding, const ir::Graph& graph, const FixOptions&,
                              std::string& why_not) const override {
    std::vector<FixMatch> out;
    if (finding.op != "IRFFT") return out;
    for (const auto& fn : finding.nodes) {
      const std::string body = body_of(fn);
      const ir::NodeList* nodes = body_nodes(graph, body);
      const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
      if (node == nullptr) continue;
      auto sizes = applicable(*nodes, *node, why_not);
      if (!sizes) continue;
      FixMatch m;
      m.fix_id = std::string(info().id);
      m.body = body;
      m.nodes = {node->name, node->inputs[1].node};
      m.summary = "compute IRFFT '" + node->name + "' (length " + std::to_string(sizes->length) +
                  ") as two matrix products";
      out.push_back(std::move(m));
    }
    return out;
  }

  Expected<GraphEdit> apply(ir::Graph& graph, const FixMatch& match) const override {
    ir::NodeList* nodes = body_nodes(graph, match.body);
    ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
    std::string why;
    auto sizes = node ? applicable(*nodes, *node, why) : std::nullopt;
    if (!sizes) return fail(ErrorCode::BadInput, "no IRFFT to compute by matrices" + (why.empty() ? "" : ": " + why));
    const ir::Node original = *node;
    const std::int64_t m = sizes->bins;
    const std::int64_t l = sizes->length;
    std::vector<float> c(static_cast<std::size_t>(m * l)), s(static_cast<std::size_t>(m * l));
    for (std::int64_t k = 0; k < m && k <= l / 2; ++k) {
      const double w = (k == 0 || 2 * k == l) ? 1.0 : 2.0;
      for (std::int64_t n = 0; n < l; ++n) {
        // k * n mod L keeps the angle small, so cos and sin are exact to double rounding.
        const double angle = 2 * std::numbers::pi * static_cast<double>((k * n) % l) / static_cast<double>(l);
        c[static_cast<std::size_t>(k * l + n)] = static_cast<float>(w * std::cos(angle) / static_cast<double>(l));
        const bool no_imag = k == 0 || 2 * k == l;
        s[static_cast<std::size_t>(k * l + n)] = no_imag ? 0.0F : static_cast<float>(-w * std::sin(angle) / static_cast<double>(l));
      }
    }
    GraphEdit edit;
    edit.removed.push_back(describe(original));
    NodeBuilder b(*nodes, match.body, original.name, original.device, ir::AttrValue{ir::DType::Float}, edit);
    const ir::AttrMap complex_attrs = {{"T", ir::AttrValue{ir::DType::Complex64}}, {"Tout", ir::AttrValue{ir::DType::Float}}};
    const ir::AttrMap shape_attrs = {{"T", ir::AttrValue{ir::DType::Float}}, {"Tshape", ir::AttrValue{ir::DType::Int32}}};
    const ir::AttrMap matmul_attrs = {{"T", ir::AttrValue{ir::DType::Float}}, {"transpose_a", ir::AttrValue{false}},
                                      {"transpose_b", ir::AttrValue{false}}};
    const auto rows = b.i32("rows", {-1, static_cast<std::int32_t>(m)}, {2});
    const auto re = b.op("re2d", "Reshape", {b.op("re", "Real", {original.inputs[0]}, complex_attrs), rows}, shape_attrs);
    const auto im = b.op("im2d", "Reshape", {b.op("im", "Imag", {original.inputs[0]}, complex_attrs), rows}, shape_attrs);
    const auto yc = b.op("re_cos", "MatMul", {re, b.f32("cos", std::move(c), {m, l})}, matmul_attrs);
    const auto ys = b.op("im_sin", "MatMul", {im, b.f32("sin", std::move(s), {m, l})}, matmul_attrs);
    const auto sum = b.op("sum", "AddV2", {yc, ys});
    std::vector<std::int32_t> out_dims;
    for (const auto d : sizes->dims) out_dims.push_back(static_cast<std::int32_t>(d));
    out_dims.back() = static_cast<std::int32_t>(l);
    const auto out_shape = b.i32("shape", out_dims, {static_cast<std::int64_t>(out_dims.size())});
    b.insert_before(original.name);
    // The final Reshape keeps the node's name, so its readers keep their references.
    ir::Node* result = nodes->find(original.name);
    result->op = "Reshape";
    result->inputs = {sum, out_shape};
    result->attrs = shape_attrs;
    edit.added.push_back(describe(*result));
    retarget_output_arg(graph, match.body, original.name, "output");
    return edit;
  }

 private:
  static std::optional<Sizes> applicable(const ir::NodeList& nodes, const ir::Node& node, std::string& why_not) {
    if (node.op != "IRFFT" || node.data_input_count() != 2) return std::nullopt;
    const ir::AttrValue* treal = node.attr("Treal");
    const ir::AttrValue* tcomplex = node.attr("Tcomplex");
    if ((treal && treal->as_type() && *treal->as_type() != ir::DType::Float) ||
        (tcomplex && tcomplex->as_type() && *tcomplex->as_type() != ir::DType::Complex64)) {
      why_not = "IRFFT '" + node.name + "' is not complex64 -> float32";
      return std::nullopt;
    }
    const auto length = const_int_scalar(nodes, node.inputs[1]);
    if (!length || *length < 1 || *length > kMaxLength) {
      why_not = "IRFFT '" + node.name + "' has an fft_length that is not a constant of at most " + std::to_string(kMaxLength);
      return std::nullopt;
    }
    const ir::Node* p = nodes.find(node.inputs[0].node);
    const auto index = static_cast<std::size_t>(node.inputs[0].index);
    if (p == nullptr || index >= p->outputs.size() || !p->outputs[index].shape.has_rank() ||
        p->outputs[index].shape.rank() < 1) {
      why_not = "IRFFT '" + node.name + "' reads a spectrum of unknown rank";
      return std::nullopt;
    }
    const ir::Shape& shape = p->outputs[index].shape;
    Sizes sizes;
    sizes.length = *length;
    sizes.bins = shape.dim(shape.rank() - 1);
    int unknown = 0;
    for (const auto d : shape.dims()) {
      unknown += d < 0 ? 1 : 0;
      sizes.dims.push_back(d < 0 ? -1 : d);
    }
    if (sizes.bins < 1 || unknown > 1) {
      why_not = "IRFFT '" + node.name + "' reads a spectrum of shape " + shape.to_string() +
                "; the bins and all but one other dimension must be static";
      return std::nullopt;
    }
    return sizes;
  }
};

}  // namespace

std::unique_ptr<Fix> make_irfft_matmul_fix() { return std::make_unique<IrfftMatmul>(); }

}  // namespace litelint::rules
