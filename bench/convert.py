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
"Model bytes" are the files the model consists of: every file under the SavedModel directory
(saved_model.pb, the variables index and data shards, assets, fingerprint.pb), or the one file
of a GraphDef. Peak RSS is litelint's own high-water mark, read through GNU time in one more
run (see peak_rss for why not wait4 here); mapped checkpoint pages it touched count.
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
GNU_TIME = "/usr/bin/time"
TIMEOUT = 600


def model_files(path):
    if os.path.isdir(path):
        return [os.path.join(d, n) for d, _, names in os.walk(path) for n in names]
    return [path]


def read_write_baseline(path, out_bytes, directory):
    """Seconds to read every byte of the model and write `out_bytes` bytes to a new file, in
    1 MiB pieces (so that this process stays small: see peak_rss)."""
    chunk = bytes(1 << 20)
    start = time.perf_counter()
    for name in model_files(path):
        with open(name, "rb", buffering=0) as f:
            while f.read(1 << 20):
                pass
    target = os.path.join(directory, "baseline.bin")
    with open(target, "wb", buffering=0) as f:
        left = out_bytes
        while left > 0:
            left -= f.write(chunk[:min(left, len(chunk))])
    seconds = time.perf_counter() - start
    os.unlink(target)
    return seconds


def peak_rss(cmd):
    """litelint's own peak RSS in bytes, through GNU time, or None. Not wait4's ru_maxrss of a
    child this process spawns: posix_spawn starts it with vfork semantics (CLONE_VM), and
    execve keeps the larger of the old and new address space's high-water mark, so a child
    of this process reports at least this process's own peak (a 0.1 MB model showed 116 MB
    after the baseline of a 94 MB one had grown this process). GNU time forks from its own
    ~2 MB process, so the mark it reports is litelint's."""
    if not os.path.exists(GNU_TIME):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        run = check.spawn_and_wait([GNU_TIME, "-f", "%M", "-o", out.name, *cmd], TIMEOUT)
        if run is None or run[2] != 0:
            return None
        return int(out.read().split()[-1]) * 1024


def time_convert(binary, zoo, fixture, repeat, directory):
    """(best wall seconds, peak RSS bytes, output bytes) or Nones when it failed."""
    out = os.path.join(directory, "out.tflite")
    cmd = [str(binary), "convert", *litelint_cli.model_args(zoo, fixture), "-o", out]
    best, size = None, None
    for _ in range(repeat):
        run = check.spawn_and_wait(cmd, TIMEOUT)
        if run is None or run[2] != 0 or not os.path.exists(out):
            return None, None, None
        best = run[0] if best is None else min(best, run[0])
        size = os.path.getsize(out)
        os.unlink(out)
    rss = peak_rss(cmd)
    if os.path.exists(out):
        os.unlink(out)
    return best, rss, size


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
                         "rss_ok": rss is not None and rss <= RSS_FACTOR * model_bytes + RSS_SLACK})
    print(f"{'fixture':<30} {'model MB':>9} {'tf s':>7} {'ll s':>8} {'io s':>8} {'ratio':>6} "
          f"{'ll/io':>6} {'RSS MB':>7} {'max MB':>7} {'RSS ok':>6}")
    for r in rows:
        print(f"{r['fixture']:<30} {r['model_bytes'] / 2**20:9.2f} {r['tf_seconds'] or 0:7.3f} "
              f"{r['litelint_seconds']:8.4f} {r['baseline_seconds']:8.4f} "
              f"{(r['ratio'] or 0):5.0f}x {r['litelint_seconds'] / r['baseline_seconds']:5.1f}x "
              f"{(r['peak_rss'] or 0) / 2**20:7.1f} "
              f"{(RSS_FACTOR * r['model_bytes'] + RSS_SLACK) / 2**20:7.1f} {'yes' if r['rss_ok'] else 'NO':>6}")
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
