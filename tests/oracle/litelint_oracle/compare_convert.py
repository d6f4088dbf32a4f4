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
import pickle
import pathlib
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, litelint_cli, tflite_model, truth as truth_mod  # noqa: E402

MODES = ("builtins", "select", "custom")


def check_file(data, fixture, tf_mode, reference, mode):
    """Compares one .tflite (bytes) with TensorFlow; returns a row dict. LiteRT runs in this
    process: use check_file_in_child for files that might crash it."""
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
        # Measured with TF 2.21: neither tf.lite.Interpreter nor ai-edge-litert from PyPI
        # carries the Flex delegate, so a Flex model is checked by structure only.
        row["runs"] = "skipped-flex"
        row.update(status="fail" if problems or row.get("outputs_match") is False else "pass",
                   reason="; ".join(problems))
        return row
    if d["custom_ops"] and mode != "custom":
        return {**row, "status": "fail", "runs": "skipped-custom",
                "reason": f"custom ops {d['custom_ops']} without --allow-custom-ops"}
    if d["custom_ops"]:
        # The app registers each custom op by hand: litelint may need fewer than TensorFlow's
        # converter (it lowered one TensorFlow could not), never one more.
        extra = sorted(set(d["custom_ops"]) - set(tf_mode.get("custom_ops", [])))
        return {**row, "status": "fail" if extra else "pass", "runs": "skipped-custom",
                "reason": f"custom ops TensorFlow does not need: {extra}" if extra else ""}
    if reference is None:
        return {**row, "status": "fail", "runs": "skipped",
                "reason": "no reference: neither TensorFlow nor its converter's .tflite runs"}
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


def check_file_in_child(path, fixture_id, tf_mode, reference_path, mode, zoo):
    """check_file in a child process, so that a .tflite that makes LiteRT abort fails its own
    row instead of ending the run. The child imports LiteRT but not TensorFlow."""
    args_path = pathlib.Path(str(path) + ".args.pkl")
    with open(args_path, "wb") as f:
        pickle.dump({"fixture": fixture_id, "tf_mode": tf_mode, "mode": mode, "zoo": str(zoo),
                     "reference": str(reference_path)}, f)
    out_path = pathlib.Path(str(path) + ".row.json")
    r = subprocess.run([sys.executable, "-m", "litelint_oracle.compare_convert", "--child",
                        str(path), str(args_path), str(out_path)], capture_output=True, text=True,
                       timeout=600, stdin=subprocess.DEVNULL)
    if r.returncode != 0 or not out_path.exists():
        how = f"signal {-r.returncode}" if r.returncode < 0 else f"exit {r.returncode}"
        tail = [l for l in r.stderr.strip().splitlines() if l.strip()][-1:] or [""]
        return {"status": "fail", "runs": "crashed",
                "reason": f"LiteRT crashed ({how}) on the file: {tail[0][:200]}"}
    row = json.loads(out_path.read_text())
    out_path.unlink()
    args_path.unlink()
    return row


def child_main(path, args_path, out_path):
    with open(args_path, "rb") as f:
        a = pickle.load(f)
    with open(a["reference"], "rb") as f:
        reference = pickle.load(f)
    _, manifest = common.load_manifest(a["zoo"])
    fixture = next(x for x in manifest["fixtures"] if x["id"] == a["fixture"])
    row = check_file(pathlib.Path(path).read_bytes(), fixture, a["tf_mode"], reference, a["mode"])
    pathlib.Path(out_path).write_text(json.dumps(row, default=float))
    return 0


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
            ref = self.tmp / f"{fid}.reference.pkl"
            with open(ref, "wb") as fh:
                pickle.dump(self._reference(f, mode), fh)
            self.references[fid] = ref
        result = check_file_in_child(out, fid, tf_mode, self.references[fid], mode, self.zoo)
        out.unlink()
        return {**row, "tf_op_count": tf_mode.get("op_count"),
                "tf_tflite_bytes": tf_mode.get("tflite_bytes"), **result}


    def _reference(self, f, mode):
        """TensorFlow's outputs; where TensorFlow cannot run the source (a py_function whose
        Python callback is gone), those of TensorFlow's converter's .tflite in LiteRT, as #17
        says. None when neither runs (then only Flex/custom models can pass)."""
        from litelint_oracle import execute
        try:
            return execute.tf_reference(self.zoo, f)
        except Exception:
            pass
        from litelint_oracle import truth as truth_mod
        _, data = truth_mod.convert(f["converter"], mode, self.zoo, f)
        if data is None:
            return None
        try:
            return execute.litert_run(data, f)
        except Exception:
            return None


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
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(*argv[1:4])
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
