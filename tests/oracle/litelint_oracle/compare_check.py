"""compare-check: does `litelint check` reach TFLiteConverter's verdict on every fixture?

    tests/oracle/compare-check [--litelint BIN] [--only ID ...] [--json OUT]

Per fixture and mode (builtins, select = builtins + SELECT_TF_OPS, custom = builtins +
allow_custom_ops) a row passes when litelint's `converts` equals the converter's success,
and, where both succeed, its Flex op list (select) or custom op list (custom) equals the
ops in TensorFlow's .tflite. Until `litelint check` exists every row is "skipped".
Exit status: 1 if any row failed, else 0.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time

from litelint_oracle import common, litelint_cli, truth as truth_mod


def _run_check(binary, zoo, fixture, mode):
    cmd = [str(binary), "check", *litelint_cli.model_args(zoo, fixture),
           *litelint_cli.TARGETS[mode], "--format", "json"]
    start = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, "litelint check timed out after 120 s", None
    seconds = time.perf_counter() - start
    if r.returncode not in (0, 1):
        return None, f"exit {r.returncode}: {r.stderr.strip()[:300]}", seconds
    try:
        return json.loads(r.stdout), None, seconds
    except json.JSONDecodeError as e:
        return None, f"exit {r.returncode} but stdout is not JSON ({e})", seconds


def compare_mode(mode, tf_mode, doc):
    """(ok, reason) for one mode: litelint's JSON document against the converter's record."""
    converts = doc.get("converts")
    if not isinstance(converts, bool):
        return False, "no boolean 'converts' in litelint's JSON"
    if converts != tf_mode["success"]:
        word = "converts" if tf_mode["success"] else "fails"
        codes = ",".join(tf_mode.get("error_codes", []))
        return False, f"litelint converts={converts}, TensorFlow {word}" + (f" ({codes})" if codes else "")
    plan = doc.get("plan") or {}
    if tf_mode["success"] and mode == "select":
        got, want = sorted(plan.get("flex_ops") or []), tf_mode["flex_ops"]
        if got != want:
            return False, f"flex ops {got} != TensorFlow's {want}"
    if tf_mode["success"] and mode == "custom":
        got, want = sorted(plan.get("custom_ops") or []), tf_mode["custom_ops"]
        if got != want:
            return False, f"custom ops {got} != TensorFlow's {want}"
    return True, ""


def run(binary, zoo, manifest, committed, only=None, jobs=2):
    """Rows {fixture, mode, status: pass|fail|skipped, reason, verdicts}, and why every row
    was skipped ("" when litelint has `check`)."""
    fixtures = [f for f in manifest["fixtures"] if not only or f["id"] in only]
    available, why = litelint_cli.has_subcommand(binary, "check")
    rows = []
    if not available:
        for f in fixtures:
            for mode in common.MODES:
                rows.append({"fixture": f["id"], "mode": mode, "status": "skipped",
                             "tf_verdict": committed.get(f["id"], {}).get("verdict", ""),
                             "reason": "not yet covered: " + why})
        return rows, why

    def one(f):
        t = committed.get(f["id"])
        out = []
        if t is None or "conversions" not in t:
            return [{"fixture": f["id"], "mode": m, "status": "skipped",
                     "reason": "no committed truth"} for m in common.MODES]
        tf_modes = t["conversions"][f["converter"]]["modes"]
        for mode in common.MODES:
            doc, err, seconds = _run_check(binary, zoo, f, mode)
            row = {"fixture": f["id"], "mode": mode, "tf_verdict": t["verdict"],
                   "litelint_seconds": seconds}
            if doc is None:
                row.update(status="fail", reason=err)
            else:
                ok, reason = compare_mode(mode, tf_modes[mode], doc)
                row.update(status="pass" if ok else "fail", reason=reason,
                           litelint_verdict=doc.get("verdict"))
            out.append(row)
        return out

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for result in pool.map(one, fixtures):
            rows.extend(result)
    return rows, ""


def summarize(rows):
    counts = {s: sum(r["status"] == s for r in rows) for s in ("pass", "fail", "skipped")}
    per_mode = {}
    for mode in common.MODES:
        covered = [r for r in rows if r["mode"] == mode and r["status"] != "skipped"]
        passed = sum(r["status"] == "pass" for r in covered)
        per_mode[mode] = {"covered": len(covered), "passed": passed,
                          "agreement": passed / len(covered) if covered else None}
    return counts, per_mode


def print_table(rows, out=sys.stdout):
    by_fixture = {}
    for r in rows:
        by_fixture.setdefault(r["fixture"], {})[r["mode"]] = r
    width = max([len(f) for f in by_fixture] + [7])
    print(f"{'fixture':<{width}}  {'tf verdict':<22}  {'builtins':<8}  {'select':<8}  "
          f"{'custom':<8}  note", file=out)
    for fid in sorted(by_fixture):
        modes = by_fixture[fid]
        notes = [f"{m}: {r['reason']}" for m, r in modes.items() if r["status"] == "fail"]
        if not notes and all(r["status"] == "skipped" for r in modes.values()):
            notes = [next(iter(modes.values()))["reason"]]
        verdict = next(iter(modes.values())).get("tf_verdict", "")
        cells = [modes.get(m, {}).get("status", "-") for m in common.MODES]
        print(f"{fid:<{width}}  {verdict:<22}  {cells[0]:<8}  {cells[1]:<8}  {cells[2]:<8}  "
              f"{'; '.join(notes)}", file=out)
    counts, per_mode = summarize(rows)
    for mode, s in per_mode.items():
        if s["covered"]:
            print(f"{mode}: {s['passed']}/{s['covered']} agree ({s['agreement']:.1%})", file=out)
    print(f"{counts['skipped']} skipped", file=out)
    print(f"{counts['pass']} passed, {counts['fail']} failed", file=out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint", help="litelint binary (default: $LITELINT_BIN or build/cli/litelint)")
    p.add_argument("--zoo")
    p.add_argument("--only", nargs="*")
    p.add_argument("--json", help="also write the rows as JSON here")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    a = p.parse_args(argv)
    zoo, manifest = common.load_manifest(a.zoo)
    rows, _ = run(litelint_cli.find_binary(a.litelint), zoo, manifest,
                  truth_mod.load_committed(), a.only, a.jobs)
    print_table(rows)
    if a.json:
        common.dump_json(rows, a.json)
    return 1 if any(r["status"] == "fail" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
