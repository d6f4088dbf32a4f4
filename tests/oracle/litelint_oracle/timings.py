"""timings: TFLiteConverter's time per fixture, with litelint's beside it.

    tests/oracle/timings [--litelint BIN] [--only ID ...] [--from-truth] [--json OUT]

Measures in one process that has already imported TensorFlow (warm: the converter alone)
for the builtins and select modes; the committed truth also has a cold time (process
start, `import tensorflow`, first conversion). With --litelint and an existing `check`,
each fixture is also timed as `litelint check --target select-tf-ops --format json`.
--from-truth prints the committed numbers instead of measuring.
"""
import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, litelint_cli, truth as truth_mod  # noqa: E402


def measure_tf(zoo, fixtures, modes=("builtins", "select")):
    rows = {}
    for f in fixtures:
        rows[f["id"]] = {}
        for mode in modes:
            record, _ = truth_mod.convert(f["converter"], mode, zoo, f)
            rows[f["id"]][mode] = record["convert_seconds"]
    return rows


def measure_litelint(binary, zoo, fixtures):
    available, why = litelint_cli.has_subcommand(binary, "check")
    if not available:
        return None, why
    rows = {}
    for f in fixtures:
        cmd = [str(binary), "check", *litelint_cli.model_args(zoo, f), "--target",
               "select-tf-ops", "--format", "json"]
        start = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
        rows[f["id"]] = time.perf_counter() - start if r.returncode in (0, 1) else None
    return rows, ""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint")
    p.add_argument("--zoo")
    p.add_argument("--only", nargs="*")
    p.add_argument("--from-truth", action="store_true")
    p.add_argument("--json")
    a = p.parse_args(argv)
    zoo, manifest = common.load_manifest(a.zoo)
    fixtures = [f for f in manifest["fixtures"] if not a.only or f["id"] in a.only]
    committed = truth_mod.load_committed()
    if a.from_truth:
        tf_rows = {f["id"]: {m: committed[f["id"]]["conversions"][f["converter"]]["modes"][m]
                             ["convert_seconds"] for m in ("builtins", "select")}
                   for f in fixtures if f["id"] in committed}
    else:
        t0 = time.perf_counter()
        import tensorflow  # noqa: F401
        print(f"timings: import tensorflow {time.perf_counter() - t0:.2f} s", file=sys.stderr)
        tf_rows = measure_tf(zoo, fixtures)
    lite_rows, why = measure_litelint(litelint_cli.find_binary(a.litelint), zoo, fixtures)
    print(f"{'fixture':<34} {'tf builtins s':>13} {'tf select s':>11} {'tf cold s':>9} "
          f"{'litelint s':>10} {'speedup':>8}")
    out = []
    for f in fixtures:
        tf_t = tf_rows.get(f["id"], {})
        cold = committed.get(f["id"], {}).get("timing", {}).get("cold_seconds")
        lite = lite_rows.get(f["id"]) if lite_rows else None
        speed = tf_t.get("select") / lite if lite and tf_t.get("select") else None
        out.append({"fixture": f["id"], "tf_builtins_seconds": tf_t.get("builtins"),
                    "tf_select_seconds": tf_t.get("select"), "tf_cold_seconds": cold,
                    "litelint_seconds": lite})

        def cell(v, w, fmt=".3f"):
            return f"{v:>{w}{fmt}}" if isinstance(v, (int, float)) else f"{'-':>{w}}"
        print(f"{f['id']:<34} {cell(tf_t.get('builtins'), 13)} {cell(tf_t.get('select'), 11)} "
              f"{cell(cold, 9, '.2f')} {cell(lite, 10, '.4f')} "
              f"{(format(speed, '7.0f') + 'x') if speed else format('-', '>8')}")
    if lite_rows is None:
        print(f"litelint: skipped ({why})")
    if a.json:
        common.dump_json(out, a.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
