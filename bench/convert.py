"""bench/convert: `litelint convert` beside TensorFlow's TFLiteConverter on the same models, in
one run (issue #17). Run through bench/convert (it sets up the oracle venv and the zoo).

For each zoo fixture that both convert with builtins: the converter's in-process time (a fresh
Python process per model after a warm-up conversion, as bench/check), litelint's wall time as a
subprocess (process start included, the binary installed as `meson install` writes it) and its
peak RSS (wait4), each the best of --repeat runs, and a baseline: reading every file of the
model and writing as many bytes as litelint's .tflite, in this process. Targets:
  - geometric mean and median of converter time / litelint time >= 20x;
  - litelint time <= 3x the read + write baseline (summed over the models);
  - peak RSS <= 1.5 x model bytes + 30 MB, on every model.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import check  # noqa: E402  bench/check.py: process spawning and the converter worker
from litelint_oracle import common, litelint_cli, truth  # noqa: E402

SPEED_TARGET = 20.0
IO_TARGET = 3.0
RSS_FACTOR, RSS_SLACK = 1.5, 30 * 2**20


def model_files(path):
    if os.path.isdir(path):
        return [os.path.join(d, n) for d, _, names in os.walk(path) for n in names]
    return [path]


def read_write_baseline(path, out_bytes, directory):
    """Seconds to read every byte of the model and write `out_bytes` bytes to a new file."""
    start = time.perf_counter()
    for name in model_files(path):
        with open(name, "rb") as f:
            while f.read(1 << 20):
                pass
    target = os.path.join(directory, "baseline.bin")
    with open(target, "wb") as f:
        f.write(b"\0" * out_bytes)
    os.unlink(target)
    return time.perf_counter() - start


def time_convert(binary, zoo, fixture, repeat, directory):
    """(best wall seconds, max peak RSS bytes, output bytes) or Nones when it failed."""
    out = os.path.join(directory, "out.tflite")
    cmd = [str(binary), "convert", *litelint_cli.model_args(zoo, fixture), "-o", out]
    best, rss, size = None, 0, None
    for _ in range(repeat):
        run = spawn_with_rss(cmd)
        if run is None or run[1] != 0 or not os.path.exists(out):
            return None, None, None
        seconds, _, peak = run
        best = seconds if best is None else min(best, seconds)
        rss = max(rss, peak)
        size = os.path.getsize(out)
        os.unlink(out)
    return best, rss, size


def spawn_with_rss(cmd):
    """(wall seconds, exit code, peak RSS bytes) of one run, or None on a timeout."""
    pid_start = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    return time.perf_counter() - pid_start, os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024


def geomean(values):
    from math import exp, log
    return exp(sum(log(v) for v in values) / len(values)) if values else None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint")
    p.add_argument("--only", nargs="*")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args(argv)
    binary = litelint_cli.find_binary(a.litelint)
    zoo, manifest = common.load_manifest()
    committed = truth.load_committed()
    fixtures = [f for f in manifest["fixtures"] if (not a.only or f["id"] in a.only)
                and committed.get(f["id"], {}).get("verdict") == "converts-with-builtins"]
    by_id = {f["id"]: f for f in manifest["fixtures"]}
    rows = []
    with tempfile.TemporaryDirectory(prefix="litelint-bench-convert-") as tmp:
        installed = check.install_copy(binary, tmp)
        for f in fixtures:
            path = str(zoo / f["path"])
            model_bytes = sum(os.path.getsize(n) for n in model_files(path))
            wall, rss, size = time_convert(installed, zoo, f, a.repeat, tmp)
            if wall is None:
                print(f"bench/convert: litelint does not convert {f['id']}; left out", file=sys.stderr)
                continue
            base = min(read_write_baseline(path, size, tmp) for _ in range(a.repeat))
            tf = check.convert_in_fresh_process(f["id"], ["builtins"], a.repeat, check.WARM_UP
                                                if check.WARM_UP in by_id else f["id"])
            tf_s = tf.get("builtins", (None, None))[0]
            rows.append({"fixture": f["id"], "model_bytes": model_bytes, "tf_seconds": tf_s,
                         "litelint_seconds": wall, "baseline_seconds": base, "peak_rss": rss,
                         "tflite_bytes": size, "ratio": tf_s / wall if tf_s else None,
                         "rss_ok": rss <= RSS_FACTOR * model_bytes + RSS_SLACK})
    print(f"{'fixture':<30} {'model MB':>9} {'tf s':>7} {'ll s':>8} {'io s':>8} {'ratio':>6} "
          f"{'ll/io':>6} {'RSS MB':>7} {'RSS ok':>6}")
    for r in rows:
        print(f"{r['fixture']:<30} {r['model_bytes'] / 2**20:9.2f} {r['tf_seconds'] or 0:7.3f} "
              f"{r['litelint_seconds']:8.4f} {r['baseline_seconds']:8.4f} "
              f"{(r['ratio'] or 0):5.0f}x {r['litelint_seconds'] / r['baseline_seconds']:5.1f}x "
              f"{r['peak_rss'] / 2**20:7.1f} {'yes' if r['rss_ok'] else 'NO':>6}")
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    if not ratios:
        print("bench/convert: no model timed")
        return 1
    gm, med = geomean(ratios), statistics.median(ratios)
    io = sum(r["litelint_seconds"] for r in rows) / sum(r["baseline_seconds"] for r in rows)
    rss_ok = all(r["rss_ok"] for r in rows)
    speed = gm >= SPEED_TARGET and med >= SPEED_TARGET
    print(f"{len(ratios)} models: speed-up geometric mean {gm:.0f}x, median {med:.0f}x "
          f"(target >= {SPEED_TARGET:.0f}x: {'HOLDS' if speed else 'MISSED'}); litelint / read+write "
          f"{io:.1f}x (target <= {IO_TARGET:.0f}x: {'HOLDS' if io <= IO_TARGET else 'MISSED'}); "
          f"peak RSS <= 1.5x model + 30 MB on {sum(r['rss_ok'] for r in rows)}/{len(rows)} "
          f"({'HOLDS' if rss_ok else 'MISSED'})")
    return 0 if speed and io <= IO_TARGET and rss_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
