"""Ground truth for the text GraphDefs in the shared corpus (pbtxt/): what
TFLiteConverter.from_frozen_graph (default settings) does with each end-to-end test.

    python -m litelint_oracle.pbtxt_truth generate [--only CASE ...] [--jobs 2] [--timeout S]
    python -m litelint_oracle.pbtxt_truth verify   [--sample N] [--seed S] [--only CASE ...]
    python -m litelint_oracle.pbtxt_truth scope    (prints in-scope cases and why others are not)

A case is one corpus entry plus one (input arrays, output arrays) pair taken from its RUN
lines; the converter gets those arrays (`arrays_only`, the judge issue #9 names and what
`litelint check --inputs/--outputs` gets) in the three modes the zoo truth uses. Each case
is also converted with the RUN line's -tf-input-shapes (`run_line_shapes`): tf_tfl_translate
overrides a Placeholder's shape with them, but from_frozen_graph only refines it
(`set_shape`), so a RUN-line shape that contradicts the Placeholder (a legacy scalar shape,
say) is a ValueError there; the two records show where shapes decide the verdict. Text is parsed to a GraphDef and written to a temporary .pb, which
is what from_frozen_graph reads. Workers are subprocesses with a timeout: a converter
crash or hang costs one case, not the run.
"""
import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time
import traceback

from litelint_oracle import common

TRUTH_FILE = common.ORACLE_DIR / "truth-pbtxt" / "pbtxt.json"
# The tools whose RUN lines feed a GraphDef to the TF->TFLite converter (end-to-end) or to
# its GraphDef importer with named inputs and outputs (the same first stage of conversion).
END_TO_END_TOOLS = {"tf_tfl_translate"}
IMPORTER_TOOLS = {"tf-mlir-translate"}
DEFAULT_TIMEOUT = 600  # seconds per worker batch; import alone takes 6-21 s on busy cores


def corpus_dir():
    """The shared corpus: $LITELINT_CORPUS, else ../shared/corpus beside the repository."""
    env = os.environ.get("LITELINT_CORPUS")
    return pathlib.Path(env) if env else common.REPO_ROOT.parent / "shared" / "corpus"


def _tool(run):
    """The tool a RUN line runs, looking through `not` (which only inverts the exit code)."""
    command = run.get("command", "").split()
    if command and command[0] == "not":
        command = command[1:]
    return command[0] if command else run.get("tool")


def _shapes(run):
    """{input: shape} for from_frozen_graph from the manifest's parsed -tf-input-shapes:
    -1 (unknown dimension) becomes None, null (unknown rank) stays None. None when the RUN
    line gives no shapes, or gives a different number of shapes than inputs."""
    shapes, names = run.get("input_shapes"), run.get("input_arrays") or []
    if run.get("input_shapes_raw") is None or shapes is None or len(shapes) != len(names):
        return None
    return {name: (None if s is None else [None if d == -1 else d for d in s])
            for name, s in zip(names, shapes)}


def scope(manifest=None):
    """(cases, out_of_scope): the conversion cases, and {entry id: reason} for the rest."""
    if manifest is None:
        manifest = json.loads((corpus_dir() / "MANIFEST.json").read_text())
    cases, skipped = [], {}
    for entry in manifest["entries"]:
        if entry["category"] != "pbtxt":
            continue
        eid, runs = entry["id"], entry.get("run") or []
        if entry.get("malformed"):
            skipped[eid] = "malformed on purpose: a parse error for both sides, not a conversion"
            continue
        if not runs:
            skipped[eid] = "no RUN line: not a converter test"
            continue
        tools = sorted({_tool(r) for r in runs})
        picked = []
        for r in runs:
            tool = _tool(r)
            if tool not in END_TO_END_TOOLS | IMPORTER_TOOLS:
                continue
            if tool in IMPORTER_TOOLS and "-graphdef-to-mlir" not in r.get("command", ""):
                continue
            if not r.get("input_arrays") or not r.get("output_arrays"):
                continue
            key = (tuple(r["input_arrays"]), tuple(r["output_arrays"]))
            if key not in [k for k, _ in picked]:
                picked.append((key, r))
        if not picked:
            if set(tools) & (END_TO_END_TOOLS | IMPORTER_TOOLS):
                skipped[eid] = (f"{'/'.join(tools)} RUN lines without both -tf-input-arrays and "
                                "-tf-output-arrays: nothing to give from_frozen_graph")
            else:
                skipped[eid] = f"RUN line runs {'/'.join(tools)}, not the TFLite converter"
            continue
        for i, ((inputs, outputs), r) in enumerate(picked):
            tool = _tool(r)
            cases.append({
                "case": eid if i == 0 else f"{eid}@{i + 1}",
                "entry": eid, "file": entry["main_file"],
                "kind": "end2end" if tool in END_TO_END_TOOLS else "importer",
                "input_arrays": list(inputs), "output_arrays": list(outputs),
                "input_shapes": _shapes(r), "input_data_types": r.get("input_data_types"),
                "expected_to_fail": bool(r.get("command", "").startswith("not ")),
                "run": r.get("command", ""),
                "check_expected": entry.get("check_expected") or {},
            })
    return cases, skipped


# ----------------------------------------------------------------------------- worker side

def _graphdef_bytes(path):
    """Parses a text GraphDef (RUN/CHECK comment lines are protobuf comments)."""
    from google.protobuf import text_format
    from tensorflow.core.framework import graph_pb2
    graph = graph_pb2.GraphDef()
    text_format.Parse(pathlib.Path(path).read_text(), graph)
    return graph.SerializeToString()


def _strip_time(record):
    return {k: v for k, v in record.items() if k != "convert_seconds"}


def generate_case(case, corpus):
    """The truth record of one case: per shape variant and mode, truth.convert's record."""
    import tensorflow as tf
    from litelint_oracle import truth as truth_mod
    record = {k: case[k] for k in ("case", "entry", "file", "kind", "input_arrays",
                                   "output_arrays", "input_shapes", "expected_to_fail")}
    record["tensorflow_version"] = tf.__version__
    with tempfile.TemporaryDirectory(prefix="litelint-pbtxt-") as tmp:
        tmp = pathlib.Path(tmp)
        try:
            (tmp / "graph.pb").write_bytes(_graphdef_bytes(corpus / case["file"]))
        except Exception as e:
            record["parse_error"] = f"{type(e).__name__}: {e}"[:truth_mod.MESSAGE_LIMIT]
            return truth_mod._rounded(record)
        variants = {"arrays_only": None, "run_line_shapes": case["input_shapes"]}
        for variant, shapes in variants.items():
            if variant == "run_line_shapes" and case["input_shapes"] is None:
                continue
            fixture = {"path": "graph.pb", "input_arrays": case["input_arrays"],
                       "output_arrays": case["output_arrays"], "input_shapes": shapes}
            modes = {}
            for mode in common.MODES:
                result, _ = truth_mod.convert("from_frozen_graph", mode, tmp, fixture)
                modes[mode] = result
            record[variant] = {"modes": modes, "verdict": truth_mod.verdict(modes)}
    if "run_line_shapes" not in record:  # the RUN line had no shapes: both variants are one
        record["run_line_shapes"] = record["arrays_only"]
    record["verdict"] = record["arrays_only"]["verdict"]
    return truth_mod._rounded(record)


def worker_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--case", action="append", required=True)
    a = p.parse_args(argv)
    import tensorflow  # noqa: F401  (before the first case, so its time is not in it)
    by_id = {c["case"]: c for c in scope()[0]}
    corpus = corpus_dir()
    for cid in a.case:
        try:
            record = generate_case(by_id[cid], corpus)
        except Exception:
            print(traceback.format_exc(), file=sys.stderr)
            raise SystemExit(3)
        sys.stdout.write("\n@@TRUTH@@" + json.dumps(record, sort_keys=True) + "\n")
        sys.stdout.flush()
    os._exit(0)  # skip TF's slow and sometimes crashing teardown


# ----------------------------------------------------------------------------- driver side

def run_workers(case_ids, jobs=2, timeout=DEFAULT_TIMEOUT, log=sys.stderr):
    """{case: record} from `jobs` worker processes, each taking a batch of cases. A batch
    that crashes or exceeds `timeout` seconds is killed, and its unfinished cases are
    retried one per process; a single case that fails again is recorded as worker_failed."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(common.ORACLE_DIR))
    jobs = max(1, min(jobs, 2))  # two cores are shared by everyone
    pending = [list(case_ids[i::jobs]) for i in range(jobs) if case_ids[i::jobs]]
    running, results = {}, {}
    while pending or running:
        while pending and len(running) < jobs:
            batch = pending.pop(0)
            cmd = [sys.executable, "-m", "litelint_oracle.pbtxt_truth", "worker"]
            for cid in batch:
                cmd += ["--case", cid]
            out_f, err_f = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
            proc = subprocess.Popen(cmd, env=env, stdout=out_f, stderr=err_f,
                                    stdin=subprocess.DEVNULL, text=True)
            running[proc.pid] = (proc, batch, time.time(), out_f, err_f)
        time.sleep(0.05)
        for pid, (proc, batch, start, out_f, err_f) in list(running.items()):
            timed_out = proc.poll() is None and time.time() - start > timeout * len(batch) ** 0.5
            if proc.poll() is None and not timed_out:
                continue
            if timed_out:
                proc.kill()
                proc.wait()
            out_f.seek(0)
            err_f.seek(0)
            out, err = out_f.read(), err_f.read()
            out_f.close()
            err_f.close()
            del running[pid]
            for chunk in out.split("@@TRUTH@@")[1:]:
                r = json.loads(chunk.strip().splitlines()[0])
                results[r["case"]] = r
                print(f"pbtxt-truth: {r['case']}: {r.get('verdict', 'parse error')}", file=log)
            missing = [c for c in batch if c not in results]
            why = "timed out" if timed_out else f"exited {proc.returncode}"
            if missing and len(batch) > 1:
                print(f"pbtxt-truth: worker {why}; retrying {missing} one by one", file=log)
                pending += [[c] for c in missing]
            elif missing:
                results[missing[0]] = {"case": missing[0], "worker_failed": why,
                                       "stderr_tail": common.normalize_text(err[-3000:])}
                print(f"pbtxt-truth: {missing[0]}: WORKER FAILED ({why})\n{err[-3000:]}",
                      file=log)
    return results


def load_committed(path=TRUTH_FILE):
    return json.loads(pathlib.Path(path).read_text())


def stable(record):
    """The fields that must not drift between runs of the same TensorFlow."""
    if "worker_failed" in record or "parse_error" in record:
        return {k: bool(record.get(k)) for k in ("worker_failed", "parse_error")}
    out = {"verdict": record["verdict"], "tensorflow_version": record["tensorflow_version"]}
    for variant in ("arrays_only", "run_line_shapes"):
        out[variant] = {}
        for mode, r in record[variant]["modes"].items():
            keys = ["success", "exception", "error_codes", "error_ops", "missing_flex_ops",
                    "missing_custom_ops", "builtin_ops", "flex_ops", "custom_ops", "op_count"]
            out[variant][mode] = {k: r[k] for k in keys if k in r}
    return out


def drift(committed, fresh):
    """Human-readable differences in stable fields, [] when none."""
    problems = []
    a, b = stable(committed), stable(fresh)
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            problems.append(f"{committed.get('case', '?')}/{key}: committed "
                            f"{json.dumps(a.get(key), sort_keys=True)} != now "
                            f"{json.dumps(b.get(key), sort_keys=True)}")
    return problems


def generate_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--only", nargs="*")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    p.add_argument("--out", default=str(TRUTH_FILE))
    a = p.parse_args(argv)
    cases, skipped = scope()
    ids = a.only or [c["case"] for c in cases]
    out = pathlib.Path(a.out)
    previous = load_committed(out) if out.exists() else {"cases": {}}
    start = time.time()
    results = run_workers(ids, a.jobs, a.timeout)
    merged = dict(previous.get("cases", {})) if a.only else {}
    merged.update(results)
    versions = sorted({r["tensorflow_version"] for r in merged.values()
                       if "tensorflow_version" in r})
    verdicts = {}
    for r in merged.values():
        v = r.get("verdict", "worker-failed" if "worker_failed" in r else "parse-error")
        verdicts[v] = verdicts.get(v, 0) + 1
    doc = {"_comment": "TFLiteConverter.from_frozen_graph on the corpus pbtxt tests; made by "
                       "tests/oracle/regenerate-pbtxt-truth, do not edit",
           "tensorflow_versions": versions, "verdicts": verdicts,
           "cases": merged, "out_of_scope": skipped}
    out.parent.mkdir(parents=True, exist_ok=True)
    common.dump_json(doc, out)
    failed = [c for c, r in results.items() if "worker_failed" in r]
    print(f"pbtxt-truth: {len(results)} cases in {time.time() - start:.0f} s ({a.jobs} jobs), "
          f"{len(failed)} worker failures; {verdicts}", file=sys.stderr)
    return 1 if failed else 0


def sample_ids(ids, n, seed):
    return sorted(random.Random(seed).sample(sorted(ids), min(n, len(ids))))


def verify_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--sample", type=int, default=3)
    p.add_argument("--seed", type=int)
    p.add_argument("--only", nargs="*")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    a = p.parse_args(argv)
    committed = load_committed()["cases"]
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(2**31)
    ids = a.only or sample_ids(committed, a.sample, seed)
    print(f"verify: seed {seed}: {' '.join(ids)}", file=sys.stderr)
    fresh = run_workers(ids, a.jobs)
    problems = [p for cid in ids for p in drift(committed[cid], fresh[cid])]
    print("\n".join(problems) or "verify: no drift")
    return 1 if problems else 0


def scope_main(argv):
    del argv
    cases, skipped = scope()
    for c in cases:
        print(f"in scope  {c['case']:<70} {c['kind']:<8} {c['input_arrays']} -> "
              f"{c['output_arrays']} shapes {c['input_shapes']}")
    for eid, why in sorted(skipped.items()):
        print(f"out       {eid:<70} {why}")
    print(f"{len(cases)} cases in scope, {len(skipped)} entries out of scope")
    return 0


def main():
    cmd, argv = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    handlers = {"worker": worker_main, "generate": generate_main, "verify": verify_main,
                "scope": scope_main}
    if cmd not in handlers:
        raise SystemExit(__doc__)
    raise SystemExit(handlers[cmd](argv))


if __name__ == "__main__":
    main()
