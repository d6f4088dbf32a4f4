"""bench/check: `litelint check` beside TensorFlow's TFLiteConverter on the same models, in
one run. Run through bench/check (it sets up the oracle venv and the zoo).

For each zoo fixture: the converter's in-process time with default settings, and
litelint's wall time as a subprocess (process start included; the binary installed as
`meson install` writes it, and as built for comparison) with the same target, each
the best of --repeat runs. Prints a table, then the geometric mean and median of the
ratios and whether the >= 100x target holds.

The converter runs in a fresh Python process per model (`--convert-worker`): TensorFlow
imported, one untimed warm-up conversion of another model (the first conversion in a
process pays one-time MLIR/registry set-up), then the model itself (the oracle `timings`
machinery, litelint_oracle.timings.measure_tf). One long-lived process would be unfair to
the converter: every model it loads stays registered in TensorFlow's context, and later
conversions slow down by 35-60% after 20 other models (clear_session does not help);
converting one model repeatedly does not.

With --keras the models are the Keras zoo's files (tests/oracle/litelint_oracle/keras_zoo.py,
each fixture as .keras and legacy .h5) and the converter side is issue 21's
`keras.models.load_model(path)` + `TFLiteConverter.from_keras_model(model).convert()`, loading
included, in a fresh process per file after a warm-up on another Keras file.
"""
import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import tempfile
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, litelint_cli, timings  # noqa: E402

TARGET_RATIO = 100.0
# Ratios are taken per mode: the converter's default settings against litelint's default
# target, and Select TF ops against --target select-tf-ops.
MODES = {"builtins": ["--target", "builtins"], "select": ["--target", "select-tf-ops"]}
# A small SavedModel converted once, untimed, before the model being timed.
WARM_UP = "mlp"
# Untimed litelint runs on the same warm-up model before litelint's timed runs of a fixture.
# The first litelint processes after a converter process has exited run slower (measured on
# stateless_random: 2.0-2.4 ms, then 1.4-1.8, settled at ~1.3 ms after about five runs; a
# pause does not help, /bin/true runs help a little, litelint runs on another model do), so
# litelint warms up the way the converter does: on `mlp`, untimed (bench/README.md).
LITELINT_WARM_UP_RUNS = 5


def time_litelint(binary, zoo, fixture, mode, repeat):
    """(best wall time, best CPU time, best self-reported time) in seconds over `repeat`
    runs of litelint check; Nones when it did not finish. Wall and CPU time (user + system
    of the child) include process start and the dynamic loader; CPU time leaves out the
    waiting for a core that a loaded machine adds. The self-reported one is the report's
    timings.total_ms (load, shapes, rules), the same in-process scope as the converter's."""
    cmd = [str(binary), "check", *litelint_cli.model_args(zoo, fixture), *MODES[mode],
           "--format", "json"]
    best, best_cpu, best_inner = None, None, None
    for _ in range(repeat):
        run = spawn_and_wait(cmd, timeout=120)
        if run is None:
            return None, None, None
        seconds, cpu, returncode, stdout = run
        if returncode not in (0, 1):
            return None, None, None
        best = seconds if best is None else min(best, seconds)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        try:
            inner = json.loads(stdout)["timings"]["total_ms"] / 1000.0
            best_inner = inner if best_inner is None else min(best_inner, inner)
        except (ValueError, KeyError, TypeError):
            pass
    return best, best_cpu, best_inner


def install_copy(binary, directory):
    """Copies the binary into `directory` as `meson install` and package managers write it
    (shutil.copy2: one large write), and returns the copy's path. How a file entered the page
    cache matters to a process start on this kind of machine: the linker writes its output
    in small pieces, which the kernel caches as 4 KiB folios, and exec then maps the 8 MB of
    code a page-cache folio at a time; a copy is cached in large folios. Measured on `cond`:
    1.30 ms CPU installed, 1.62 ms as built, for the same bytes (bench/README.md)."""
    installed = os.path.join(directory, os.path.basename(binary))
    shutil.copy2(binary, installed)
    return installed


def spawn_and_wait(cmd, timeout):
    """Runs `cmd` the way a shell does (posix_spawn, stdout to a file, stdin and stderr to
    /dev/null) and returns (wall seconds, child CPU seconds, exit code, stdout) or None on a
    timeout. Against subprocess.run (pipes, fd closing) this saves ~0.1 ms a run
    (measured on `cond`: median 1.88 vs 1.98 ms), and wait4 gives this child's own rusage."""
    with tempfile.TemporaryFile() as out, open(os.devnull, "rb") as null_in, \
            open(os.devnull, "wb") as null_err:
        actions = [(os.POSIX_SPAWN_DUP2, null_in.fileno(), 0),
                   (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                   (os.POSIX_SPAWN_DUP2, null_err.fileno(), 2)]
        killed = []

        def on_alarm(_signum, _frame):
            killed.append(True)
            os.kill(pid, signal.SIGKILL)

        previous = signal.signal(signal.SIGALRM, on_alarm)
        start = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            _, status, usage = os.wait4(pid, 0)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if killed:
            return None
        seconds = time.perf_counter() - start
        out.seek(0)
        return (seconds, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status),
                out.read())


def convert_in_fresh_process(fixture_id, modes, repeat, warm_up):
    """{mode: (best in-process seconds, best process CPU seconds)} from a --convert-worker
    child; {} when it failed."""
    cmd = [sys.executable, os.path.abspath(__file__), "--convert-worker", fixture_id,
           "--warm-up", warm_up, "--repeat", str(repeat), "--modes", *modes]
    run = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                         timeout=1800)
    lines = run.stdout.strip().splitlines()
    if run.returncode != 0 or not lines:
        print(f"bench/check: converter worker for {fixture_id} failed: {run.stderr[-400:]}",
              file=sys.stderr)
        return {}
    return {mode: tuple(v) for mode, v in json.loads(lines[-1]).items()}


def keras_convert_in_fresh_process(path, modes, repeat, warm_up):
    """{mode: (best seconds, best process CPU seconds)} from a --keras-worker child."""
    cmd = [sys.executable, os.path.abspath(__file__), "--keras-worker", str(path),
           "--warm-up", str(warm_up), "--repeat", str(repeat), "--modes", *modes]
    run = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=1800)
    lines = run.stdout.strip().splitlines()
    if run.returncode != 0 or not lines:
        print(f"bench/check: Keras worker for {path} failed: {run.stderr[-400:]}", file=sys.stderr)
        return {}
    return {mode: tuple(v) for mode, v in json.loads(lines[-1]).items()}


def convert_worker(fixture_id, modes, repeat, warm_up):
    """In a fresh process: warm up on another model, then time `fixture_id` in each mode."""
    zoo, manifest = common.load_manifest()
    by_id = {f["id"]: f for f in manifest["fixtures"]}
    import tensorflow  # noqa: F401
    if warm_up != fixture_id:
        timings.measure_tf(zoo, [by_id[warm_up]], modes=("builtins",))
    out = {}
    for mode in modes:
        best, best_cpu = None, None
        for _ in range(repeat):
            cpu0 = time.process_time()
            seconds = timings.measure_tf(zoo, [by_id[fixture_id]], modes=(mode,))[fixture_id][mode]
            cpu = time.process_time() - cpu0  # every TensorFlow thread
            if seconds is not None:
                best = seconds if best is None else min(best, seconds)
                best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        out[mode] = (best, best_cpu)
    print(json.dumps(out))
    return 0


KERAS_WARM_UP = "dense_relu"


def keras_zoo():
    """The Keras zoo compare-keras builds (the same key), built here when missing."""
    import hashlib
    import pathlib
    if os.environ.get("LITELINT_KERAS_ZOO"):
        return pathlib.Path(os.environ["LITELINT_KERAS_ZOO"])
    oracle = pathlib.Path(common.__file__).resolve().parents[1]
    sources = (oracle / "litelint_oracle/keras_zoo.py", oracle / "requirements.txt")
    zoo = common.cache_dir() / f"zoo-keras-{hashlib.sha256(b''.join(p.read_bytes() for p in sources)).hexdigest()[:12]}"
    if not (zoo / "manifest.json").exists():
        tmp = zoo.with_name(f"{zoo.name}.tmp.{os.getpid()}")
        subprocess.run([sys.executable, "-m", "litelint_oracle.keras_zoo", str(tmp)], check=True,
                       stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        tmp.rename(zoo)
    return zoo


def keras_fixtures(zoo):
    """One pseudo-fixture per Keras file that Keras itself loads, custom code left out (it
    loads only where its class is registered): {"id", "path", "converter"}."""
    out = []
    for f in json.loads((zoo / "manifest.json").read_text()):
        if f.get("custom_code"):
            continue
        for kind in ("keras", "h5"):
            rel = f["files"].get(kind)
            if rel and "load_error" not in f["truth"].get(kind, {"load_error": ""}):
                out.append({"id": rel, "path": rel, "converter": "from_keras_model"})
    return out


def keras_convert_worker(path, modes, repeat, warm_up):
    """In a fresh process: load_model + from_keras_model + convert on `warm_up`, untimed, then
    on `path`, best of `repeat` per mode ({mode: (seconds, CPU seconds)})."""
    import tensorflow as tf
    import keras

    def once(p, mode):
        t0, cpu0 = time.perf_counter(), time.process_time()
        model = keras.models.load_model(p)
        c = tf.lite.TFLiteConverter.from_keras_model(model)
        c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS] + (
            [tf.lite.OpsSet.SELECT_TF_OPS] if mode == "select" else [])
        try:
            c.convert()
        except Exception:  # a refusal is the converter's answer too, timed the same way
            pass
        return time.perf_counter() - t0, time.process_time() - cpu0

    if warm_up != path:
        once(warm_up, "builtins")
    out = {}
    for mode in modes:
        runs = [once(path, mode) for _ in range(repeat)]
        out[mode] = (min(r[0] for r in runs), min(r[1] for r in runs))
    print(json.dumps(out))
    return 0


def warm_up_litelint(binary, zoo, fixture):
    """LITELINT_WARM_UP_RUNS untimed runs of litelint check on `fixture`."""
    cmd = [str(binary), "check", *litelint_cli.model_args(zoo, fixture), "--format", "json"]
    for _ in range(LITELINT_WARM_UP_RUNS):
        spawn_and_wait(cmd, timeout=120)


def time_fixture(f, a, zoo, binary, installed, warm_up):
    """The rows of one fixture, one per mode: litelint installed and as built, each after
    its warm-up on the warm-up model, then the converter in a fresh process (which warms
    up on the same model), back to back."""
    warm_up_litelint(installed, zoo, warm_up)
    lite = {mode: time_litelint(installed, zoo, f, mode, a.repeat) for mode in a.modes}
    warm_up_litelint(binary, zoo, warm_up)
    built = {mode: time_litelint(binary, zoo, f, mode, a.repeat)[0] for mode in a.modes}
    if a.keras:
        converter = keras_convert_in_fresh_process(zoo / f["path"], a.modes, a.repeat, zoo / warm_up["path"])
    else:
        converter = convert_in_fresh_process(f["id"], a.modes, a.repeat, warm_up["id"])
    rows = []
    for mode in a.modes:
        tf_s, tf_cpu = converter.get(mode, (None, None))
        wall, cpu, inner = lite[mode]
        rows.append({"fixture": f["id"], "mode": mode, "tf_seconds": tf_s,
                     "tf_cpu_seconds": tf_cpu, "litelint_seconds": wall,
                     "litelint_cpu_seconds": cpu, "litelint_inprocess_seconds": inner,
                     "litelint_built_seconds": built[mode],
                     "ratio": tf_s / wall if wall and tf_s else None,
                     "built_ratio": tf_s / built[mode] if built[mode] and tf_s else None,
                     "cpu_ratio": tf_cpu / cpu if cpu else None,
                     "inprocess_ratio": tf_s / inner if inner and tf_s else None})
    return rows


def geomean(values):
    from math import exp, log
    return exp(sum(log(v) for v in values) / len(values)) if values else None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint", help="litelint binary (default: $LITELINT_BIN or build/cli/litelint)")
    p.add_argument("--only", nargs="*", help="fixture ids (default: every zoo fixture)")
    p.add_argument("--sample", type=int, help="a random sample of this many fixtures")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3, help="runs per model, litelint and the converter (best of)")
    p.add_argument("--modes", nargs="*", default=["builtins"], choices=sorted(MODES))
    p.add_argument("--json", help="also write the rows as JSON here")
    p.add_argument("--keras", action="store_true",
                   help="the Keras zoo's .keras and .h5 files against load_model + from_keras_model")
    p.add_argument("--convert-worker", metavar="ID", help=argparse.SUPPRESS)
    p.add_argument("--keras-worker", metavar="PATH", help=argparse.SUPPRESS)
    p.add_argument("--warm-up", default=WARM_UP, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.convert_worker:
        return convert_worker(a.convert_worker, a.modes, a.repeat, a.warm_up)
    if a.keras_worker:
        return keras_convert_worker(a.keras_worker, a.modes, a.repeat, a.warm_up)
    binary = litelint_cli.find_binary(a.litelint)
    available, why = litelint_cli.has_subcommand(binary, "check")
    if not available:
        print(f"bench/check: {why}", file=sys.stderr)
        return 2
    if a.keras:
        zoo = keras_zoo()
        manifest = {"fixtures": keras_fixtures(zoo)}
    else:
        zoo, manifest = common.load_manifest()
    fixtures = [f for f in manifest["fixtures"] if not a.only or f["id"] in a.only]
    if a.sample:
        fixtures = sorted(random.Random(a.seed).sample(fixtures, min(a.sample, len(fixtures))),
                          key=lambda f: f["id"])

    by_id = {f["id"]: f for f in manifest["fixtures"]}
    warm_name = f"{KERAS_WARM_UP}.keras" if a.keras else WARM_UP
    warm_up_id = warm_name if warm_name in by_id else manifest["fixtures"][0]["id"]
    print(f"bench/check: {len(fixtures)} models, modes {' '.join(a.modes)}, litelint and the "
          f"converter best of {a.repeat}, the converter in a fresh process per model",
          file=sys.stderr)

    # Model by model, litelint (installed, the headline, and as built) right before the
    # converter, so that both sides of a ratio see the machine in the same state: over the
    # ~10 minutes of a run the host's speed drifts by 10-20%. This process never imports
    # TensorFlow (its workers do), so it stays small for the litelint processes it starts.
    rows = []
    with tempfile.TemporaryDirectory(prefix="litelint-bench-") as prefix:
        installed = install_copy(binary, prefix)
        for f in fixtures:
            rows += time_fixture(f, a, zoo, binary, installed, by_id[warm_up_id])

    def cell(v, width, fmt):
        return format(v, fmt).rjust(width) if v else "-".rjust(width)

    print(f"{'fixture':<34} {'mode':<8} {'tf wall s':>9} {'tf cpu s':>8} {'ll wall s':>9} "
          f"{'ll cpu s':>8} {'ll in-proc':>10} {'wall':>6} {'cpu':>6} {'in-proc':>7}")
    for r in rows:
        print(f"{r['fixture']:<34} {r['mode']:<8} {cell(r['tf_seconds'], 9, '.3f')} "
              f"{cell(r['tf_cpu_seconds'], 8, '.3f')} {cell(r['litelint_seconds'], 9, '.4f')} "
              f"{cell(r['litelint_cpu_seconds'], 8, '.4f')} "
              f"{cell(r['litelint_inprocess_seconds'], 10, '.4f')} "
              f"{cell(r['ratio'], 5, '.0f')}x {cell(r['cpu_ratio'], 5, '.0f')}x "
              f"{cell(r['inprocess_ratio'], 6, '.0f')}x")
    status = 0
    for mode in a.modes:
        ratios = [r["ratio"] for r in rows if r["mode"] == mode and r["ratio"]]
        failed = sum(1 for r in rows if r["mode"] == mode and not r["ratio"])
        if not ratios:
            print(f"{mode}: no model timed")
            status = 1
            continue
        gm, med = geomean(ratios), statistics.median(ratios)
        total_tf = sum(r["tf_seconds"] for r in rows if r["mode"] == mode and r["ratio"])
        total_lite = sum(r["litelint_seconds"] for r in rows if r["mode"] == mode and r["ratio"])
        holds = gm >= TARGET_RATIO and med >= TARGET_RATIO
        print(f"{mode}: {len(ratios)} models, wall time (process start included): geometric "
              f"mean {gm:.0f}x, median {med:.0f}x, min {min(ratios):.0f}x, max "
              f"{max(ratios):.0f}x; totals {total_tf:.1f} s vs {total_lite:.2f} s; target >= "
              f"{TARGET_RATIO:.0f}x {'HOLDS' if holds else 'MISSED'}" +
              (f"; {failed} litelint failures" if failed else ""))
        # Per kind: frozen GraphDefs convert in 1-45 ms in-process (no SavedModel loading), so
        # a process start alone caps their ratio well below the target.
        kinds = ((("Keras v3 .keras", lambda fx: fx.endswith(".keras")),
                  ("legacy .h5", lambda fx: fx.endswith(".h5"))) if a.keras else
                 (("SavedModels", lambda fx: not fx.endswith(".frozen")),
                  ("frozen GraphDefs", lambda fx: fx.endswith(".frozen"))))
        for kind, pick in kinds:
            vals = [r["ratio"] for r in rows if r["mode"] == mode and r["ratio"] and pick(r["fixture"])]
            if vals:
                print(f"{mode}: wall time, {kind} ({len(vals)}): geometric mean "
                      f"{geomean(vals):.0f}x, median {statistics.median(vals):.0f}x, min "
                      f"{min(vals):.0f}x")
        for key, what in (("built_ratio", "wall time of the binary as built (run from the build "
                                          "directory, see install_copy)"),
                          ("cpu_ratio", "CPU time beside CPU time (process start included)"),
                          ("inprocess_ratio", "in-process beside in-process (litelint's "
                                              "timings.total_ms)")):
            vals = [r[key] for r in rows if r["mode"] == mode and r[key]]
            if vals:
                print(f"{mode}: {what}: geometric mean {geomean(vals):.0f}x, median "
                      f"{statistics.median(vals):.0f}x, min {min(vals):.0f}x")
        if not holds or failed:
            status = 1
    print(f"(converter: in-process, in a fresh process per model after a warm-up conversion; "
          f"importing TensorFlow is not counted{'; load_model is' if a.keras else ''}. Load average at the end: "
          f"{os.getloadavg()[0]:.1f})")
    if a.json:
        common.dump_json({"rows": rows}, a.json)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
