#include "converter/legalize/layout.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <numeric>
#include <random>

namespace litelint::converter::lowerings {
namespace {

// Element-at-a-time permutation by index arithmetic, the definition the fast paths must meet.
std::vector<std::byte> reference_permute(const ConstValue& v, std::span<const int> perm, std::size_t size) {
  const auto& dims = v.shape.dims();
  const std::size_t rank = dims.size();
  const auto count = static_cast<std::size_t>(v.num_elements());
  std::vector<std::byte> out(count * size);
  std::vector<std::int64_t> out_dims(rank);
  for (std::size_t i = 0; i < rank; ++i) out_dims[i] = dims[perm[i]];
  for (std::size_t n = 0; n < count; ++n) {
    std::vector<std::int64_t> out_index(rank);
    std::size_t rest = n;
    for (std::size_t i = rank; i-- > 0;) {
      out_index[i] = static_cast<std::int64_t>(rest % static_cast<std::size_t>(out_dims[i]));
      rest /= static_cast<std::size_t>(out_dims[i]);
    }
    std::vector<std::int64_t> in_index(rank);
    for (std::size_t i = 0; i < rank; ++i) in_index[perm[i]] = out_index[i];
    std::size_t from = 0;
    for (std::size_t i = 0; i < rank; ++i) from = from * static_cast<std::size_t>(dims[i]) + in_index[i];
    std::memcpy(out.data() + n * size, v.bytes().data() + from * size, size);
  }
  return out;
}

TEST_CASE("permute_constant matches index arithmetic for every permutation and element size",
          "[converter][legalize][layout]") {
  std::mt19937 rng(7);
  for (const ir::DType dtype : {ir::DType::Float, ir::DType::Int8, ir::DType::Half, ir::DType::Int64}) {
    const std::size_t size = *ir::dtype_size(dtype);
    for (std::size_t rank = 0; rank <= 5; ++rank) {
      for (int trial = 0; trial < 6; ++trial) {
        std::vector<std::int64_t> dims(rank);
        for (auto& d : dims) d = 1 + static_cast<std::int64_t>(rng() % (rank <= 2 ? 70 : 7));
        std::vector<int> perm(rank);
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        ConstValue v;
        v.dtype = dtype;
        v.shape = ir::Shape(dims);
        v.owned.resize(static_cast<std::size_t>(v.num_elements()) * size);
        for (auto& b : v.owned) b = static_cast<std::byte>(rng() & 0xFFu);
        const ConstValue out = permute_constant(v, perm);
        INFO("dtype size " << size << " shape " << v.shape.to_string() << " trial " << trial);
        REQUIRE(out.shape.rank() == rank);
        for (std::size_t i = 0; i < rank; ++i) CHECK(out.shape.dim(i) == dims[perm[i]]);
        const auto expected = reference_permute(v, perm, size);
        REQUIRE(std::equal(out.bytes().begin(), out.bytes().end(), expected.begin(), expected.end()));
      }
    }
  }
}

TEST_CASE("permute_constant turns an HWIO filter into OHWI", "[converter][legalize][layout]") {
  // 1x1 filter, 2 input and 3 output channels: element [0][0][i][o] = 10 * i + o.
  ConstValue w = ConstValue::from_ints(ir::DType::Int32, ir::Shape({1, 1, 2, 3}),
                                       std::vector<std::int64_t>{0, 1, 2, 10, 11, 12});
  const int perm[] = {3, 0, 1, 2};
  const auto out = permute_constant(w, perm);
  CHECK(out.shape.dims() == std::vector<std::int64_t>{3, 1, 1, 2});
  CHECK(*out.ints() == std::vector<std::int64_t>{0, 10, 1, 11, 2, 12});
}

}  // namespace
}  // namespace litelint::converter::lowerings
