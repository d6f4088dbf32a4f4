"""compare-convert: run litelint's .tflite files in LiteRT beside TensorFlow.

    tests/oracle/compare-convert [--litelint BIN] [--only ID ...] [--json OUT]
    tests/oracle/compare-convert --tflite FILE --fixture ID [--mode select]

For every fixture and mode in which TFLiteConverter succeeds, `litelint convert` writes a
.tflite; it runs in LiteRT (ai-edge-litert; tf.lite.Interpreter is tried for Flex models,
but neither build here carries the Flex delegate, so those are checked by structure: Flex
op names and each op's custom_options [op name, NodeDef]). The source model runs in
TensorFlow on the same seeded inputs. Reported: max abs/rel diff, op count and size beside
TensorFlow's converter's (from the committed truth). A row passes when the file loads and
runs and every output is within 1e-4 (abs or rel), or, for Flex models, when its Flex ops
are TensorFlow's and the custom_options are well formed. Rows listed in
convert_pending.json are what litelint does not convert yet, each with its reason; the test
suite expects those to fail and every other row to pass. Exit status: 1 if any row failed.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, litelint_cli, tflite_model, truth as truth_mod  # noqa: E402

MODES = ("builtins", "select", "custom")


def check_file(data, fixture, tf_mode, reference, mode):
    """Compares one .tflite (bytes) with TensorFlow; returns a row dict."""
    from litelint_oracle import execute
    d = tflite_model.describe(data)
    row = {"op_count": d["op_count"], "tflite_bytes": d["tflite_bytes"],
           "tf_op_count": tf_mode.get("op_count"), "tf_tflite_bytes": tf_mode.get("tflite_bytes"),
           "flex_ops": d["flex_ops"], "custom_ops": d["custom_ops"]}
    if d["flex_ops"]:
        problems = list(d["flex_options_problems"])
        extra = sorted(set(d["flex_ops"]) - set(tf_mode.get("flex_ops", [])))
        if extra:
            problems.append(f"Flex ops TensorFlow does not need: {extra}")
        try:  # a TF build with the Flex delegate linked would run it; this one may not
            import tensorflow as tf
            actual = execute.litert_run(data, fixture, interpreter_cls=tf.lite.Interpreter)
            row.update(runs="ok", **_numbers(execute.compare(reference, actual), fixture))
        except Exception:
            row["runs"] = "skipped-flex"
        row.update(status="fail" if problems or row.get("outputs_match") is False else "pass",
                   reason="; ".join(problems))
        return row
    if d["custom_ops"] and mode != "custom":
        return {**row, "status": "fail", "runs": "skipped-custom",
                "reason": f"custom ops {d['custom_ops']} without --allow-custom-ops"}
    if d["custom_ops"]:
        return {**row, "status": "pass", "runs": "skipped-custom", "reason": ""}
    try:
        actual = execute.litert_run(data, fixture)
    except Exception as e:
        return {**row, "status": "fail", "runs": "failed", "reason": f"LiteRT: {e}"[:300]}
    nums = _numbers(execute.compare(reference, actual), fixture)
    ok = nums["outputs_match"] or fixture["nondeterministic"]
    return {**row, **nums, "runs": "ok", "status": "pass" if ok else "fail",
            "reason": "" if ok else "; ".join(nums["mismatches"])[:300]}


def _numbers(result, fixture):
    return {"outputs_match": result["match"], "max_abs_diff": result["max_abs_diff"],
            "max_rel_diff": result["max_rel_diff"], "mismatches": result["problems"]}


PENDING_FILE = common.ORACLE_DIR / "convert_pending.json"


def load_pending():
    """{"fixture/mode": reason}: rows litelint convert does not pass yet (issue #17), each with
    the reason. A listed row that fails is expected; one that passes must be removed."""
    return json.loads(PENDING_FILE.read_text())["rows"] if PENDING_FILE.exists() else {}


def rows_to_run(committed, only=None, modes=MODES):
    """(fixture id, mode) for every mode in which TensorFlow's converter succeeds."""
    out = []
    for fid, t in sorted(committed.items()):
        if only and fid not in only or "conversions" not in t:
            continue
        for mode in modes:
            if t["conversions"][t["converter"]]["modes"][mode]["success"]:
                out.append((fid, mode))
    return out


class Runner:
    """Converts and compares rows one at a time; TensorFlow's reference outputs are computed
    once per fixture and kept."""

    def __init__(self, binary, zoo, manifest, committed, tmp):
        self.binary, self.zoo, self.committed, self.tmp = binary, zoo, committed, pathlib.Path(tmp)
        self.fixtures = {f["id"]: f for f in manifest["fixtures"]}
        self.references = {}

    def row(self, fid, mode):
        f = self.fixtures[fid]
        t = self.committed[fid]
        tf_mode = t["conversions"][f["converter"]]["modes"][mode]
        row = {"fixture": fid, "mode": mode}
        out = self.tmp / f"{fid}.{mode}.tflite"
        cmd = [str(self.binary), "convert", *litelint_cli.model_args(self.zoo, f), "-o", str(out),
               *litelint_cli.TARGETS[mode]]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0 or not out.exists():
            message = (r.stderr.strip() or r.stdout.strip()).splitlines()
            return {**row, "status": "fail", "tf_op_count": tf_mode.get("op_count"),
                    "tf_tflite_bytes": tf_mode.get("tflite_bytes"),
                    "reason": f"litelint convert exit {r.returncode}: "
                              f"{(message[-1] if message else '')[:240]}"}
        from litelint_oracle import execute
        if fid not in self.references:
            self.references[fid] = execute.tf_reference(self.zoo, f)
        data = out.read_bytes()
        out.unlink()
        return {**row, **check_file(data, f, tf_mode, self.references[fid], mode)}


def run(binary, zoo, manifest, committed, only=None, modes=MODES):
    available, why = litelint_cli.has_subcommand(binary, "convert")
    todo = rows_to_run(committed, only, modes)
    if not available:
        return [{"fixture": fid, "mode": m, "status": "skipped",
                 "reason": "not yet covered: " + why} for fid, m in todo], why
    with tempfile.TemporaryDirectory(prefix="litelint-convert-") as tmp:
        runner = Runner(binary, zoo, manifest, committed, tmp)
        return [runner.row(fid, m) for fid, m in todo], ""


def summary(rows):
    """The acceptance figures of #17 over the rows that converted and ran."""
    done = [r for r in rows if r.get("op_count") is not None and r.get("tf_op_count")]
    ops_ok = sum(r["op_count"] <= r["tf_op_count"] for r in done)
    size_ok = sum(r["tflite_bytes"] <= 1.02 * r["tf_tflite_bytes"] for r in done)
    n = len(done) or 1
    return {"converted": len(done), "ops_le_tf": ops_ok, "ops_le_tf_share": ops_ok / n,
            "size_le_102": size_ok, "size_le_102_share": size_ok / n}


def print_table(rows, out=sys.stdout):
    print(f"{'fixture':<34} {'mode':<8} {'status':<7} {'runs':<14} {'max abs':>9} {'max rel':>9} "
          f"{'ops':>5} {'tf ops':>6} {'bytes':>9} {'tf bytes':>9}  note", file=out)

    def num(v, fmt):
        width = int("".join(c for c in fmt.split(".")[0] if c.isdigit()) or 0)
        return format(v, fmt) if isinstance(v, (int, float)) else format("-", f">{width}")
    for r in rows:
        print(f"{r['fixture']:<34} {r['mode']:<8} {r['status']:<7} {r.get('runs', '-'):<14} "
              f"{num(r.get('max_abs_diff'), '9.2e')} {num(r.get('max_rel_diff'), '9.2e')} "
              f"{num(r.get('op_count'), '5d')} {num(r.get('tf_op_count'), '6d')} "
              f"{num(r.get('tflite_bytes'), '9d')} {num(r.get('tf_tflite_bytes'), '9d')}  "
              f"{r.get('reason', '')}", file=out)
    passed = sum(r["status"] == "pass" for r in rows)
    failed = sum(r["status"] == "fail" for r in rows)
    s = summary(rows)
    print(f"converted {s['converted']}: operators <= TensorFlow's on {s['ops_le_tf']} "
          f"({s['ops_le_tf_share']:.0%}), size <= 102% on {s['size_le_102']} "
          f"({s['size_le_102_share']:.0%})", file=out)
    print(f"{sum(r['status'] == 'skipped' for r in rows)} skipped", file=out)
    print(f"{passed} passed, {failed} failed", file=out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint")
    p.add_argument("--zoo")
    p.add_argument("--only", nargs="*")
    p.add_argument("--tflite", help="compare this file instead of calling litelint convert")
    p.add_argument("--fixture", help="the fixture --tflite was converted from")
    p.add_argument("--mode", default="select", choices=MODES, help="mode of --tflite")
    p.add_argument("--json")
    a = p.parse_args(argv)
    zoo, manifest = common.load_manifest(a.zoo)
    committed = truth_mod.load_committed()
    if a.tflite:
        from litelint_oracle import execute
        f = next(x for x in manifest["fixtures"] if x["id"] == a.fixture)
        tf_mode = committed[f["id"]]["conversions"][f["converter"]]["modes"][a.mode]
        rows = [{"fixture": f["id"], "mode": a.mode,
                 **check_file(pathlib.Path(a.tflite).read_bytes(), f, tf_mode,
                              execute.tf_reference(zoo, f), a.mode)}]
    else:
        rows, _ = run(litelint_cli.find_binary(a.litelint), zoo, manifest, committed, a.only)
    print_table(rows)
    if a.json:
        common.dump_json(rows, a.json)
    return 1 if any(r["status"] == "fail" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
