// The converter's round trip on text GraphDefs (fuzz_input.cc, convert_round_trip): a
// converter error is a fine answer; a .tflite that its own reader rejects is the bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto dir = litelint::fuzz::fresh_dir();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto problem = litelint::fuzz::convert_round_trip(litelint::fuzz::write_input("convert", input, dir),
                                                          dir / "out.tflite");
  if (!problem.empty()) {
    std::fprintf(stderr, "convert_fuzz: the converted model does not re-load: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
