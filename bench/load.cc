// bench/load: for the largest corpus models, time `load + inspect` beside reading the same
// bytes from disk with read() (from the page cache, warmed first), in one run, and the peak
// RSS of each load beside the model's size. Times are CPU seconds, best of --repeat.
// Usage: build/bench/load [--corpus DIR] [--count N] [--repeat R]
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "reports/inspect.h"

namespace fs = std::filesystem;
// CPU time of this process (user + system, so read()'s copy from the page cache counts):
// the machine is shared, and wall time under other people's builds says little.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
};

namespace {

struct Entry {
  std::string id;
  fs::path path;                // what litelint is pointed at
  std::vector<fs::path> files;  // every file of the model
  std::uint64_t bytes = 0;
};

// Reads every byte of the model's files, as a baseline that any loader must pay at least once.
std::uint64_t read_all(const std::vector<fs::path>& files) {
  std::uint64_t sum = 0;
  std::vector<char> buf(1 << 20);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = in.gcount();
      sum += static_cast<std::uint64_t>(n);
      for (std::streamsize i = 0; i < n; i += 4096) sum += static_cast<unsigned char>(buf[static_cast<std::size_t>(i)]);
    }
  }
  return sum;
}

double seconds_since(Clock::time_point t0) {
  return Clock::now() - t0;
}

// Loads and inspects in a child process so that its peak RSS is the load's alone.
bool load_in_child(const Entry& e, int repeat, double& best_seconds, long& peak_kib) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    double best = 1e30;
    bool ok = true;
    for (int r = 0; r < repeat; ++r) {
      const auto t0 = Clock::now();
      auto model = litelint::analyzer::load(e.path);
      if (!model) {
        ok = false;
        break;
      }
      auto doc = litelint::reports::inspect_json(*model);
      best = std::min(best, seconds_since(t0));
      if (doc.empty()) ok = false;
    }
    const double out = ok ? best : -1.0;
    if (write(fds[1], &out, sizeof out) != sizeof out) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  double result = -1;
  const bool got = read(fds[0], &result, sizeof result) == sizeof result;
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  peak_kib = usage.ru_maxrss;
  best_seconds = result;
  return got && result >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path corpus = fs::path(LITELINT_SOURCE_ROOT) / ".." / "shared" / "corpus";
  std::size_t count = 10;
  int repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--corpus") corpus = argv[i + 1];
    if (flag == "--count") count = std::stoul(argv[i + 1]);
    if (flag == "--repeat") repeat = std::stoi(argv[i + 1]);
  }
  std::ifstream in(corpus / "MANIFEST.json");
  if (!in) {
    std::fprintf(stderr, "bench/load: cannot read %s\n", (corpus / "MANIFEST.json").c_str());
    return 2;
  }
  std::vector<Entry> entries;
  {
    // Parsed in a scope and trimmed away below: a forked child starts with the parent's
    // resident pages, which would count toward each load's peak RSS.
    const auto manifest = nlohmann::json::parse(in);
    for (const auto& e : manifest["entries"]) {
      if (e.value("malformed", false)) continue;
      const std::string format = e.value("format", "");
      if (format.rfind("keras", 0) == 0 || format == "layers-model") continue;
      Entry entry;
      entry.id = e["id"];
      const fs::path dir = corpus / e["path"].get<std::string>();
      const bool is_dir_model = format == "savedmodel" || format == "savedmodel-text";
      entry.path = is_dir_model ? dir : corpus / e["main_file"].get<std::string>();
      for (const auto& f : e["files"]) {
        entry.files.push_back(dir / f["path"].get<std::string>());
        entry.bytes += f["size"].get<std::uint64_t>();
      }
      entries.push_back(std::move(entry));
    }
  }
  malloc_trim(0);
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.bytes > b.bytes; });
  if (entries.size() > count) entries.resize(count);

  std::printf("%-58s %10s %10s %10s %7s %10s %10s\n", "model", "bytes", "read cpu s", "load cpu s", "ratio",
              "peak MiB", "target MiB");
  double worst_ratio = 0;
  for (const auto& e : entries) {
    read_all(e.files);  // warm the page cache so both sides read from memory
    double read_best = 1e30;
    for (int r = 0; r < repeat; ++r) {
      const auto t0 = Clock::now();
      volatile auto sink = read_all(e.files);
      (void)sink;
      read_best = std::min(read_best, seconds_since(t0));
    }
    double load_best = 0;
    long peak_kib = 0;
    if (!load_in_child(e, repeat, load_best, peak_kib)) {
      std::printf("%-58s %10llu   load failed\n", e.id.c_str(), static_cast<unsigned long long>(e.bytes));
      continue;
    }
    const double ratio = load_best / std::max(read_best, 1e-6);
    worst_ratio = std::max(worst_ratio, ratio);
    const double peak_mib = peak_kib / 1024.0;
    // The target, 1.5 x model bytes + 30 MB, in MiB.
    const double target_mib = (1.5 * static_cast<double>(e.bytes) + 30e6) / (1024.0 * 1024.0);
    std::printf("%-58s %10llu %10.4f %10.4f %7.2f %10.1f %10.1f\n", e.id.c_str(),
                static_cast<unsigned long long>(e.bytes), read_best, load_best, ratio, peak_mib,
                target_mib);
  }
  std::printf("worst load/read ratio: %.2f (target <= 3 for binary formats); "
              "RSS target: peak <= 1.5 x model bytes + 30 MB\n", worst_ratio);
  return 0;
}
