// One libFuzzer target per file entry point, all through `litelint check`'s code: the meson
// target defines LITELINT_FUZZ_TARGET (detect, savedmodel, graphdef_binary, graphdef_text,
// tfjs, tflite, keras), which says what files the input becomes (fuzz_input.cc, write_input).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto dir = litelint::fuzz::fresh_dir();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  litelint::fuzz::check_as_cli(litelint::fuzz::write_input(LITELINT_FUZZ_TARGET, input, dir));
  return 0;
}
