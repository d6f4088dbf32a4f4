// TensorBundle checkpoints: the `.index` SSTable, then (after the file separator) the one
// data shard, read as load_saved_model reads variables/ (fuzz_input.cc, read_bundle).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto dir = litelint::fuzz::fresh_dir();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  litelint::fuzz::read_bundle(litelint::fuzz::write_input("tensor_bundle", input, dir));
  return 0;
}
