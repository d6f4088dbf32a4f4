"""compare-pbtxt: does `litelint check` reach TFLiteConverter's verdict on the corpus pbtxt
end-to-end tests?

    tests/oracle/compare-pbtxt [--litelint BIN] [--only CASE ...] [--json OUT]

Per case (truth-pbtxt/pbtxt.json) and mode a row passes when litelint's `converts` equals
the converter's success when given the RUN line's input and output arrays (`arrays_only`),
and, where both succeed, the Flex (select) or custom (custom) op list equals the
converter's. litelint gets the same --inputs/--outputs. The truth also records the
conversion with the RUN line's input shapes, and a row says when those decide. litelint
rejecting the input (exit 2) counts as "does not convert". Rows listed in
known_disagreements_pbtxt.json are "known" (counted as failures in the agreement, but not
failing the run). Exit status: 1 if a row failed that is not known, else 0.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time

from litelint_oracle import common, compare_check, litelint_cli, pbtxt_truth

KNOWN_FILE = common.ORACLE_DIR / "known_disagreements_pbtxt.json"
MIN_AGREEMENT = 0.95


def load_known(path=KNOWN_FILE):
    """{case: {mode: reason}} from the known-disagreements file."""
    doc = json.loads(path.read_text())
    return {case: {m: v["reason"] for m in v["modes"]} for case, v in doc["cases"].items()}


def check_args(corpus, case, mode):
    return ["check", str(corpus / case["file"]), "--inputs", ",".join(case["input_arrays"]),
            "--outputs", ",".join(case["output_arrays"]), *litelint_cli.TARGETS[mode],
            "--format", "json"]


def run_check(binary, corpus, case, mode, timeout=120):
    """(document or None, error, seconds, exit code); exit 2 gives {"converts": False}."""
    cmd = [str(binary), *check_args(corpus, case, mode)]
    start = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"litelint check timed out after {timeout} s", None, None
    seconds = time.perf_counter() - start
    if r.returncode == 2:
        first = (r.stderr.strip() or r.stdout.strip()).splitlines()[:1]
        return {"converts": False, "verdict": "rejected",
                "rejected": first[0][:300] if first else ""}, None, seconds, 2
    if r.returncode not in (0, 1):
        return None, f"exit {r.returncode}: {r.stderr.strip()[:300]}", seconds, r.returncode
    try:
        doc = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        return None, f"exit {r.returncode} but stdout is not JSON ({e})", seconds, r.returncode
    # One model per run: take its report when the document wraps a list of models.
    if isinstance(doc, dict) and "converts" not in doc and isinstance(doc.get("models"), list):
        doc = doc["models"][0] if doc["models"] else doc
    return doc, None, seconds, r.returncode


def run(binary, corpus, truth_doc, only=None, jobs=2, known=None):
    """Rows {case, kind, mode, status: pass|known|fail|skipped, reason, ...} and why every
    row was skipped ("" when litelint has `check`)."""
    known = known or {}
    cases = [c for c in pbtxt_truth.scope()[0] if not only or c["case"] in only]
    available, why = litelint_cli.has_subcommand(binary, "check")
    rows = []
    if not available:
        for c in cases:
            for mode in common.MODES:
                rows.append({"case": c["case"], "kind": c["kind"], "mode": mode,
                             "status": "skipped", "reason": "not yet covered: " + why})
        return rows, why

    def one(case):
        record = truth_doc["cases"].get(case["case"])
        base = {"case": case["case"], "kind": case["kind"]}
        if record is None or "arrays_only" not in record:
            why = "no committed truth" if record is None else \
                f"truth has no conversion ({record.get('worker_failed') or record.get('parse_error')})"
            return [dict(base, mode=m, status="skipped", reason=why) for m in common.MODES]
        out = []
        for mode in common.MODES:
            tf_mode = record["arrays_only"]["modes"][mode]
            tf_shaped = record["run_line_shapes"]["modes"][mode]
            doc, err, seconds, code = run_check(binary, corpus, case, mode)
            row = dict(base, mode=mode, tf_verdict=record["verdict"],
                       tf_success=tf_mode["success"], litelint_seconds=seconds, exit=code,
                       shapes_matter=tf_mode["success"] != tf_shaped["success"])
            if doc is None:
                row.update(status="fail", reason=err)
            else:
                ok, reason = compare_check.compare_mode(mode, tf_mode, doc)
                if not ok and row["shapes_matter"]:
                    shaped_ok, _ = compare_check.compare_mode(mode, tf_shaped, doc)
                    if shaped_ok:
                        reason += " (agrees with the conversion given the RUN line's shapes)"
                if ok and code == 2:
                    reason = "litelint rejects the input: " + doc.get("rejected", "")
                row.update(status="pass" if ok else "fail", reason=reason,
                           litelint_verdict=doc.get("verdict"))
                if not ok and mode in known.get(case["case"], {}):
                    row.update(status="known", known_reason=known[case["case"]][mode])
            out.append(row)
        return out

    with concurrent.futures.ThreadPoolExecutor(max(1, min(jobs, 2))) as pool:
        for result in pool.map(one, cases):
            rows.extend(result)
    return rows, ""


def summarize(rows):
    """{kind or "all": {mode: {covered, passed, agreement}}}; known rows count as failures."""
    out = {}
    for kind in ("end2end", "importer", "all"):
        out[kind] = {}
        for mode in common.MODES:
            covered = [r for r in rows if r["mode"] == mode and r["status"] != "skipped"
                       and kind in ("all", r["kind"])]
            passed = sum(r["status"] == "pass" for r in covered)
            out[kind][mode] = {"covered": len(covered), "passed": passed,
                               "agreement": passed / len(covered) if covered else None}
    return out


def stale_known(rows, known):
    """Known disagreements that no longer disagree (their line can be deleted)."""
    status = {(r["case"], r["mode"]): r["status"] for r in rows}
    return sorted((c, m) for c, modes in known.items() for m in modes
                  if status.get((c, m)) == "pass")


def print_table(rows, out=sys.stdout):
    by_case = {}
    for r in rows:
        by_case.setdefault(r["case"], {})[r["mode"]] = r
    width = max([len(c) - len("pbtxt/") for c in by_case] + [4])
    print(f"{'case':<{width}}  {'kind':<8}  {'tf verdict':<22}  {'builtins':<8}  "
          f"{'select':<8}  {'custom':<8}  note", file=out)
    for cid in sorted(by_case):
        modes = by_case[cid]
        first = next(iter(modes.values()))
        notes = [f"{m}: {r['reason']}" for m, r in modes.items()
                 if r["status"] in ("fail", "known") and r.get("reason")]
        if all(r["status"] == "skipped" for r in modes.values()):
            notes = [first["reason"]]
        cells = [modes.get(m, {}).get("status", "-") for m in common.MODES]
        print(f"{cid[len('pbtxt/'):]:<{width}}  {first['kind']:<8}  "
              f"{first.get('tf_verdict', ''):<22}  {cells[0]:<8}  {cells[1]:<8}  {cells[2]:<8}  "
              f"{'; '.join(notes)}", file=out)
    per_kind = summarize(rows)
    print(f"\n{'agreement':<10} {'builtins':>14} {'select':>14} {'custom':>14}", file=out)
    for kind, per_mode in per_kind.items():
        cells = []
        for mode in common.MODES:
            s = per_mode[mode]
            cells.append(f"{s['passed']}/{s['covered']} {s['agreement']:.0%}" if s["covered"]
                         else "-")
        print(f"{kind:<10} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14}", file=out)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("pass", "known", "fail", "skipped")}
    print(f"{counts['pass']} passed, {counts['known']} known disagreements, "
          f"{counts['fail']} failed, {counts['skipped']} skipped", file=out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint", help="litelint binary (default: $LITELINT_BIN or build/cli/litelint)")
    p.add_argument("--only", nargs="*")
    p.add_argument("--json", help="also write the rows as JSON here")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    a = p.parse_args(argv)
    known = load_known()
    rows, _ = run(litelint_cli.find_binary(a.litelint), pbtxt_truth.corpus_dir(),
                  pbtxt_truth.load_committed(), a.only, a.jobs, known)
    print_table(rows)
    for case, mode in stale_known(rows, known):
        print(f"note: {case} {mode} agrees now; delete it from {KNOWN_FILE.name}")
    if a.json:
        common.dump_json(rows, a.json)
    return 1 if any(r["status"] == "fail" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
