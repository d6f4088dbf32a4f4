"""compare-fix: `litelint fix --unsafe-fixes -o` on every zoo fixture TensorFlow's converter
cannot convert with builtins alone, run in LiteRT beside TensorFlow.

    tests/oracle/compare-fix [--litelint BIN] [--only ID ...] [--json OUT]

Per fixture: litelint fix rewrites the model (unsafe fixes included, each input with an
unknown dimension given its run shape from the manifest: the interface change the
static-shape fix makes is judged on inputs of that shape) and converts it under builtins.
Verdicts:
  fixed          a .tflite with builtin operators only, running in LiteRT, every output
                 within the tolerance of the fixes applied of TensorFlow's on the same inputs
  not-fixed      no .tflite, and litelint says why (a "no fix:" line per finding left)
  wrong-numbers  a .tflite that runs but does not match: a broken fix (fails the suite)
  broken         anything else (no reason given, Flex or custom operators, LiteRT fails)
Prints the table fixture / fixes applied / verdict before -> after / max diff.
Exit status: 1 if any row is wrong-numbers or broken.
"""
import argparse
import os
import pathlib
import pickle
import re
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, compare_convert, litelint_cli, tflite_model, truth as truth_mod  # noqa: E402

def rows_to_run(committed, only=None):
    """Fixture ids whose truth says TensorFlow's converter fails under builtins."""
    return [fid for fid, t in sorted(committed.items())
            if (not only or fid in only) and "conversions" in t
            and not t["conversions"][t["converter"]]["modes"]["builtins"]["success"]]


def input_shape_args(fixture):
    """--input-shape KEY=DIMS for every input whose declared shape has an unknown dim."""
    args, seen = [], set()
    for sig in fixture["signatures"].values():
        for spec in sig["inputs"]:
            declared = spec.get("declared_shape")
            if declared is not None and all(d is not None for d in declared):
                continue
            key = f"{spec['name']}={','.join(str(d) for d in spec['shape'])}"
            if key not in seen:
                seen.add(key)
                args += ["--input-shape", key]
    return args


def parse_fix_output(text):
    """{applied: [fix ids], before, after, why: [no-fix reasons]} from `litelint fix` text."""
    applied = re.findall(r"^  applied  LL\d{3} (\S+) ", text, re.M)
    verdict = re.search(r"^verdict: (\S+) -> (\S+)$", text, re.M)
    why = re.findall(r"^    no fix: (.*)$", text, re.M)
    return {"applied": applied, "before": verdict.group(1) if verdict else "?",
            "after": verdict.group(2) if verdict else "?", "why": why}


class Runner:
    def __init__(self, binary, zoo, manifest, committed, tmp):
        self.binary, self.zoo, self.committed, self.tmp = binary, zoo, committed, pathlib.Path(tmp)
        self.fixtures = {f["id"]: f for f in manifest["fixtures"]}

    def row(self, fid):
        f = self.fixtures[fid]
        tf_builtins = self.committed[fid]["conversions"][f["converter"]]["modes"]["builtins"]
        out = self.tmp / f"{fid}.tflite"
        cmd = [str(self.binary), "fix", *litelint_cli.model_args(self.zoo, f), "--unsafe-fixes",
               *input_shape_args(f), "-o", str(out)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
        parsed = parse_fix_output(r.stdout)
        row = {"fixture": fid, "fixes": parsed["applied"], "before": parsed["before"],
               "after": parsed["after"], "exit": r.returncode}
        if not out.exists():
            if r.returncode == 1 and parsed["why"]:
                reasons = sorted(set(parsed["why"]))
                return {**row, "verdict": "not-fixed", "reason": "; ".join(reasons)[:300]}
            tail = (r.stderr.strip() or r.stdout.strip()).splitlines()
            return {**row, "verdict": "broken",
                    "reason": f"exit {r.returncode} without a .tflite or a reason: {(tail[-1] if tail else '')[:240]}"}
        data = out.read_bytes()
        d = tflite_model.describe(data)
        if d["flex_ops"] or d["custom_ops"]:
            return {**row, "verdict": "broken",
                    "reason": f"not builtins only: flex {d['flex_ops']} custom {d['custom_ops']}"}
        ref = self.tmp / f"{fid}.reference.pkl"
        try:
            from litelint_oracle import execute
            reference = execute.tf_reference(self.zoo, f)
        except Exception as e:  # a model TensorFlow cannot run has nothing to compare with
            return {**row, "verdict": "broken", "reason": f"no TensorFlow reference: {e}"[:300]}
        with open(ref, "wb") as fh:
            pickle.dump(reference, fh)
        result = compare_convert.check_file_in_child(out, fid, tf_builtins, ref, "builtins", self.zoo)
        out.unlink()
        row.update(max_abs_diff=result.get("max_abs_diff"), max_rel_diff=result.get("max_rel_diff"),
                   op_count=result.get("op_count"))
        if result.get("runs") != "ok":
            return {**row, "verdict": "broken", "reason": result.get("reason", "")[:300]}
        # Every fix so far states a tolerance within the suite's 1e-4 (abs or rel per element,
        # common.MATCH_TOLERANCE): safe fixes keep the numbers, narrow-float64 rounds to float32
        # and static-input-shape changes only the interface. A looser fix needs its own bound here.
        if not result.get("outputs_match") and not f.get("nondeterministic"):
            return {**row, "verdict": "wrong-numbers", "reason": result.get("reason", "")[:300]}
        return {**row, "verdict": "fixed", "reason": ""}


def run(binary, zoo, manifest, committed, only=None):
    available, why = litelint_cli.has_subcommand(binary, "fix")
    todo = rows_to_run(committed, only)
    if not available:
        return [{"fixture": fid, "verdict": "skipped", "reason": "not yet covered: " + why} for fid in todo]
    with tempfile.TemporaryDirectory(prefix="litelint-fix-") as tmp:
        runner = Runner(binary, zoo, manifest, committed, tmp)
        return [runner.row(fid) for fid in todo]


def print_table(rows, out=sys.stdout):
    print(f"{'fixture':<32} {'fixes applied':<36} {'verdict before -> after':<52} {'max diff':>9}  result / why",
          file=out)
    for r in rows:
        fixes = ",".join(r.get("fixes", [])) or "-"
        before_after = f"{r.get('before', '?')} -> {r.get('after', '?')}"
        diff = r.get("max_abs_diff")
        diff_text = f"{diff:9.2e}" if isinstance(diff, (int, float)) else f"{'-':>9}"
        print(f"{r['fixture']:<32} {fixes:<36} {before_after:<52} {diff_text}  {r['verdict']}"
              f"{': ' + r['reason'] if r.get('reason') else ''}", file=out)
    counts = {v: sum(r["verdict"] == v for r in rows)
              for v in ("fixed", "not-fixed", "wrong-numbers", "broken", "skipped")}
    print(f"{len(rows)} fixtures failing under builtins: {counts['fixed']} fixed, "
          f"{counts['not-fixed']} not fixed (with a reason), {counts['wrong-numbers']} wrong numbers, "
          f"{counts['broken']} broken, {counts['skipped']} skipped", file=out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint")
    p.add_argument("--zoo")
    p.add_argument("--only", nargs="*")
    p.add_argument("--json")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    zoo, manifest = common.load_manifest(a.zoo)
    rows = run(litelint_cli.find_binary(a.litelint), zoo, manifest, truth_mod.load_committed(), a.only)
    print_table(rows)
    if a.json:
        common.dump_json(rows, a.json)
    return 1 if any(r["verdict"] in ("wrong-numbers", "broken") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
