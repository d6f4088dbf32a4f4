// Every input under tests/fuzz/regressions/<target>/ once crashed a reader or tripped a
// sanitizer under `bench/fuzz`; each is replayed as its target reads it. `check` targets go
// through the litelint binary (any clean exit: 0, 1 or 2); tensor_bundle and convert run
// in-process, as their fuzz targets do. bench/fuzz also replays them under the sanitizers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_input.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;

TEST_CASE("fuzz regression inputs are read cleanly", "[fuzz]") {
  const fs::path root = fs::path(LITELINT_SOURCE_ROOT) / "tests/fuzz/regressions";
  std::size_t replayed = 0;
  for (const std::string_view target : fuzz::kTargets) {
    std::error_code ec;
    std::vector<fs::path> inputs;
    for (const auto& entry : fs::directory_iterator(root / target, ec)) inputs.push_back(entry.path());
    std::sort(inputs.begin(), inputs.end());
    for (const auto& input : inputs) {
      INFO(input.string());
      testing::TempDir dir;
      const auto path = fuzz::write_input(target, testing::slurp(input), dir.path());
      if (target == "tensor_bundle") {
        fuzz::read_bundle(path);
      } else if (target == "convert") {
        CHECK(fuzz::convert_round_trip(path, dir.path() / "out.tflite").empty());
      } else {
        const auto r = testing::run_command({testing::litelint_binary().string(), "check", path.string()});
        INFO(r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2));
        if (r.exit_code == 2) CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      }
      ++replayed;
    }
  }
  CHECK(replayed > 0);
}

}  // namespace
}  // namespace litelint
