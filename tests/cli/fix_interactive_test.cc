// `litelint fix -i` in a real terminal: tmux runs it, the test types answers with send-keys
// and reads what a person sees with capture-pane. Skipped (with a message) without tmux.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using testing::litelint_binary;
using testing::run_command;
using testing::TempDir;

// run_command does not search PATH; scripts/install-deps --tests installs Debian's tmux here.
const char* const kTmux = "/usr/bin/tmux";
// Under a loaded CI machine a prompt can take a while; the test fails only after this.
constexpr auto kTimeout = std::chrono::seconds(60);
constexpr std::string_view kPrompt = "Apply this fix? [y]es, [n]o, [a]ll of this rule, [d]one with this rule, [q]uit, [?]help:";

bool have_tmux() {
  if (access(kTmux, X_OK) == 0) return true;
  WARN("skipped: no " << kTmux << " (Debian package tmux; scripts/install-deps --tests installs it)");
  return false;
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// One detached tmux server on a private socket with one fixed-size window running `command`
// in `dir`; the command's exit status is printed when it ends, and the pane stays.
class Terminal {
 public:
  Terminal(const fs::path& dir, const std::string& command)
      : socket_("litelint-test-" + std::to_string(getpid()) + "-" + std::to_string(++serial_)) {
    const std::string script = "cd " + quoted(dir.string()) + " && " + command +
                               "; echo \"[litelint exited $?]\"; exec sleep 3600";
    const auto r = tmux({"-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "50", "-s", "t", script});
    started_ = r.exit_code == 0;
    INFO(r.err);
    REQUIRE(started_);
  }
  ~Terminal() {
    if (!started_) return;
    tmux({"kill-server"});
    // The server leaves its socket behind; -L puts it in $TMUX_TMPDIR (else /tmp)/tmux-UID.
    const char* dir = std::getenv("TMUX_TMPDIR");
    std::error_code ec;
    fs::remove(fs::path(dir && *dir ? dir : "/tmp") / ("tmux-" + std::to_string(getuid())) / socket_, ec);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  /// The whole pane, scrollback included, wrapped lines joined; `escapes` keeps the colours.
  std::string screen(bool escapes = false) const {
    std::vector<std::string> args{"capture-pane", "-p", "-J", "-S", "-", "-t", "t"};
    if (escapes) args.push_back("-e");
    return tmux(args).out;
  }

  /// Waits until `what` shows `times` times; fails the test with the screen after kTimeout.
  std::string wait_for(std::string_view what, std::size_t times = 1) const {
    const auto until = std::chrono::steady_clock::now() + kTimeout;
    std::string text;
    for (;;) {
      text = screen();
      if (count_of(text, what) >= times) return text;
      if (std::chrono::steady_clock::now() > until) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("timed out waiting for '" << what << "' x" << times << "; the screen:\n" << text);
    return text;
  }

  /// Types `keys` and Enter.
  void type(const std::string& keys) const {
    if (!keys.empty()) tmux({"send-keys", "-t", "t", "-l", keys});
    tmux({"send-keys", "-t", "t", "Enter"});
  }

  /// Waits for prompt number `n` (1-based) of `prompt`, then answers it.
  void answer(std::size_t n, const std::string& keys, std::string_view prompt = kPrompt) const {
    wait_for(prompt, n);
    type(keys);
  }

 private:
  testing::CommandResult tmux(std::vector<std::string> args) const {
    args.insert(args.begin(), {kTmux, "-L", socket_});
    return run_command(args);
  }

  static inline int serial_ = 0;
  std::string socket_;
  bool started_ = false;
};

fs::path fixture() { return fs::path(LITELINT_SOURCE_ROOT) / "tests/cli/fixtures/fix_interactive.pbtxt"; }

// `fix -i` on a copy of the fixture in `dir`, so that default output names land there.
std::string fix_command(const std::string& flags, bool color = false) {
  return std::string(color ? "env -u NO_COLOR " : "env NO_COLOR=1 ") + quoted(litelint_binary().string()) +
         " fix -i model.pbtxt --outputs q,d,s " + flags;
}

testing::CommandResult litelint(std::vector<std::string> args) {
  args.insert(args.begin(), litelint_binary().string());
  return run_command(args);
}

TEST_CASE("fix -i without a terminal is a one-line usage error", "[cli][fix][interactive]") {
  TempDir dir;
  const auto out = (dir.path() / "o.tflite").string();
  const auto r = litelint({"fix", "-i", fixture().string(), "--outputs", "q,d,s", "-o", out});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "litelint: error: -i needs a terminal on stdin and stdout; without one, use --unsafe-fixes, "
                 "--select or --plan\n");
  CHECK_FALSE(fs::exists(out));
  const auto diff = litelint({"fix", "-i", "--diff", fixture().string(), "--outputs", "q,d,s"});
  CHECK(diff.exit_code == 2);
  CHECK_THAT(diff.err, Contains("-i asks about each fix and --diff only shows them"));
}

TEST_CASE("fix -i, accepting every fix, converts and its plan replays byte-identically",
          "[cli][fix][interactive][plan]") {
  if (!have_tmux()) return;
  TempDir dir;
  fs::copy_file(fixture(), dir.path() / "model.pbtxt");
  Terminal term(dir.path(), fix_command("", /*color=*/true));
  // The first proposal, as a person sees it: the finding, the rewrite, its safety, its effect.
  std::string s = term.wait_for(kPrompt);
  CHECK_THAT(s, Contains("[1] error[LL101]: nodes 'p', 'q' (Cumprod): no TFLite builtin"));
  CHECK_THAT(s, Contains("    fix     cumprod-unroll: unroll Cumprod 'p' over 3 elements of axis 1"));
  CHECK_THAT(s, Contains("    safety  safe: the same numbers"));
  CHECK_THAT(s, Contains("    before  - p = Cumprod(x, axis) -> float32[2,3]"));
  CHECK_THAT(s, Contains("    after   + p/unpack = Unpack(x) -> 3 x float32[2]"));
  CHECK_THAT(s, Contains("            + p = Pack(p/unpack, p/mul_1, p/mul_2) -> float32[2,3]"));
  CHECK_THAT(s, Contains("    verdict needs-select-tf-ops (unchanged); errors 3 -> 3"));
  CHECK_THAT(s, Contains("    ops     Select TF nodes 4 -> 3; Cumprod -1, Mul +2, Pack +1, Unpack +1"));
  // On a terminal without NO_COLOR, the prompt is coloured.
  CHECK(term.screen(/*escapes=*/true).find("\033[") != std::string::npos);
  term.type("y");
  term.answer(2, "y");
  s = term.wait_for(kPrompt, 3);
  CHECK_THAT(s, Contains("    fix     determinant-unroll: compute MatrixDeterminant 'd' of 3x3 matrices by cofactors"));
  CHECK_THAT(s, Contains("    safety  unsafe: "));
  CHECK_THAT(s, Contains("(applied only if you accept)"));
  term.type("y");
  s = term.wait_for(kPrompt, 4);
  CHECK_THAT(s, Contains("    verdict needs-select-tf-ops -> converts-with-builtins; errors 1 -> 0"));
  term.type("y");
  s = term.wait_for("convert the fixed model to model.fixed.tflite? [y]es, [n]o, [q]uit, or type a path [y]:");
  CHECK_THAT(s, Contains("model.pbtxt: 4 fix(es) applied"));
  CHECK_THAT(s, Contains("verdict: needs-select-tf-ops -> converts-with-builtins"));
  CHECK_THAT(s, Contains("Select TF ops left: none"));
  term.type("");
  term.answer(1, "", "save the decisions as a plan in model.fix-plan.json? [y]es, [n]o, [q]uit, or type a path [y]:");
  s = term.wait_for("[litelint exited ");
  CHECK_THAT(s, Contains("wrote plan model.fix-plan.json"));
  CHECK_THAT(s, Contains("wrote model.fixed.tflite"));
  CHECK_THAT(s, Contains("[litelint exited 0]"));

  const fs::path fixed = dir.path() / "model.fixed.tflite";
  const fs::path plan = dir.path() / "model.fix-plan.json";
  REQUIRE(fs::exists(fixed));
  REQUIRE(fs::exists(plan));
  CHECK(count_of(testing::slurp(plan), "\"decision\": \"accepted\"") == 4);
  const auto replayed = (dir.path() / "replayed.tflite").string();
  const auto c = litelint({"convert", (dir.path() / "model.pbtxt").string(), "--outputs", "q,d,s", "--plan",
                           plan.string(), "-o", replayed});
  INFO(c.out << c.err);
  REQUIRE(c.exit_code == 0);
  CHECK(testing::slurp(replayed) == testing::slurp(fixed));
}

TEST_CASE("fix -i, declining every fix, converts nothing and records the declines",
          "[cli][fix][interactive][plan]") {
  if (!have_tmux()) return;
  TempDir dir;
  fs::copy_file(fixture(), dir.path() / "model.pbtxt");
  Terminal term(dir.path(), fix_command("--write-plan declined.json"));
  term.answer(1, "n");
  // "d": done with LL101, so the third proposal (LL101 on 'd') is declined without asking.
  term.answer(2, "d");
  std::string s = term.wait_for(kPrompt, 3);
  CHECK_THAT(s, Contains("[3] LL101 determinant-unroll on 'd': declined (done with LL101)"));
  CHECK_THAT(s, Contains("[4] error[LL201]: node 's' (AddV2)"));
  term.type("n");
  s = term.wait_for("[litelint exited ");
  CHECK_THAT(s, Contains("model.pbtxt: 0 fix(es) applied"));
  CHECK_THAT(s, Contains("skipped  LL101 cumprod-unroll (safe): unroll Cumprod 'p' over 3 elements of axis 1 [declined]"));
  CHECK_THAT(s, Contains("verdict: needs-select-tf-ops -> needs-select-tf-ops"));
  CHECK_THAT(s, Contains("Select TF ops left: AddV2 (1), Cumprod (2), MatrixDeterminant (1)"));
  CHECK_THAT(s, Contains("not converting: 3 error(s) remain under target builtins"));
  CHECK_THAT(s, Contains("wrote plan declined.json"));
  CHECK_THAT(s, Contains("[litelint exited 1]"));
  // NO_COLOR: not one escape sequence on the screen.
  CHECK(term.screen(/*escapes=*/true).find('\033') == std::string::npos);
  const std::string plan = testing::slurp(dir.path() / "declined.json");
  CHECK(count_of(plan, "\"decision\": \"declined\"") == 4);
  CHECK(count_of(plan, "\"decision\": \"accepted\"") == 0);
  CHECK_FALSE(fs::exists(dir.path() / "model.fixed.tflite"));
}

TEST_CASE("fix -i, a mixed run with help, converts for Select TF ops and replays byte-identically",
          "[cli][fix][interactive][plan]") {
  if (!have_tmux()) return;
  TempDir dir;
  fs::copy_file(fixture(), dir.path() / "model.pbtxt");
  Terminal term(dir.path(), fix_command("--target select-tf-ops -o given.tflite"));
  term.answer(1, "?");
  std::string s = term.wait_for(kPrompt, 2);
  CHECK_THAT(s, Contains("  q - quit: write nothing (no plan, no model)"));
  term.type("n");  // decline 'p'
  // "a": 'q' and every later LL101 fix ('d') without asking.
  term.answer(3, "a");
  s = term.wait_for(kPrompt, 4);
  CHECK_THAT(s, Contains("LL101 determinant-unroll on 'd': accepted (all of LL101)"));
  term.type("y");  // widen 's'
  s = term.wait_for("convert the fixed model to given.tflite?");
  CHECK_THAT(s, Contains("model.pbtxt: 3 fix(es) applied"));
  CHECK_THAT(s, Contains("Select TF ops left: Cumprod (1)"));
  term.type("");
  term.answer(1, "mixed.json", "save the decisions as a plan in model.fix-plan.json?");
  s = term.wait_for("[litelint exited ");
  CHECK_THAT(s, Contains("wrote plan mixed.json"));
  CHECK_THAT(s, Contains("wrote given.tflite"));

  const std::string plan = testing::slurp(dir.path() / "mixed.json");
  CHECK(count_of(plan, "\"decision\": \"accepted\"") == 3);
  CHECK(count_of(plan, "\"decision\": \"declined\"") == 1);
  const auto replayed = (dir.path() / "replayed.tflite").string();
  const auto c = litelint({"convert", (dir.path() / "model.pbtxt").string(), "--outputs", "q,d,s", "--target",
                           "select-tf-ops", "--plan", (dir.path() / "mixed.json").string(), "-o", replayed});
  INFO(c.out << c.err);
  REQUIRE(c.exit_code == 0);
  REQUIRE(fs::exists(dir.path() / "given.tflite"));
  CHECK(testing::slurp(replayed) == testing::slurp(dir.path() / "given.tflite"));
}

TEST_CASE("fix -i, quitting half-way, writes nothing", "[cli][fix][interactive]") {
  if (!have_tmux()) return;
  TempDir dir;
  fs::copy_file(fixture(), dir.path() / "model.pbtxt");
  Terminal term(dir.path(), fix_command("--write-plan plan.json -o out.tflite --write-model graph"));
  term.answer(1, "y");
  term.answer(2, "q");
  const std::string s = term.wait_for("[litelint exited ");
  CHECK_THAT(s, Contains("quit: nothing written"));
  CHECK_THAT(s, Contains("[litelint exited 1]"));
  CHECK(count_of(s, std::string(kPrompt)) == 2);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir.path())) files.push_back(e.path().filename().string());
  CHECK(files == std::vector<std::string>{"model.pbtxt"});
}

}  // namespace
}  // namespace litelint
