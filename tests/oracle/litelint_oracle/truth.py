"""Ground truth: what TFLiteConverter (default settings) and LiteRT do with each fixture.

    python -m litelint_oracle.truth generate [--only ID ...] [--out DIR] [--jobs 2] [--no-cold]
    python -m litelint_oracle.truth verify   [--sample N] [--seed S] [--only ID ...]
    python -m litelint_oracle.truth index    (writes truth/_index.json)

`generate` writes truth/<fixture>.json; `verify` regenerates fixtures with real TensorFlow
and compares the stable fields (stable()) with the committed files. Every fixture runs in
its own process: a converter crash costs one fixture, and the process start gives the
cold time (`python -c "import tensorflow"` plus the first conversion).
"""
import argparse
import json
import os
import pathlib
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback

from litelint_oracle import common

SIZE_TOLERANCE = 0.02  # relative; .tflite sizes are deterministic per TF build, this is slack
MESSAGE_LIMIT = 4000


# ----------------------------------------------------------------------------- worker side

def _error_record(exc, zoo):
    message = common.normalize_text(str(exc), zoo)
    record = {"exception": type(exc).__name__, "message": message[:MESSAGE_LIMIT],
              "errors": [], "error_codes": [], "error_ops": []}
    from tensorflow.compiler.mlir.lite.metrics import converter_error_data_pb2 as pb
    for e in getattr(exc, "errors", None) or []:
        code = pb.ConverterErrorData.ErrorCode.Name(e.error_code)
        op = e.operator.name if e.HasField("operator") else ""
        record["errors"].append({
            "component": e.component, "subcomponent": e.subcomponent, "error_code": code,
            "operator": op,
            "message": common.normalize_text(e.error_message, zoo)[:MESSAGE_LIMIT]})
    record["error_codes"] = sorted({e["error_code"] for e in record["errors"]})
    record["error_ops"] = sorted({e["operator"] for e in record["errors"] if e["operator"]})
    # The summary the converter prints names what each fallback would need.
    for key, field in (("TF Select ops: ", "missing_flex_ops"), ("Custom ops: ", "missing_custom_ops")):
        names = set()
        for line in message.splitlines():
            if line.startswith(key):
                names |= {n.strip() for n in line[len(key):].split(",") if n.strip()}
        record[field] = sorted(names)
    return record


def _make_converter(entry_point, zoo, fixture):
    import tensorflow as tf
    if entry_point == "from_saved_model":
        return tf.lite.TFLiteConverter.from_saved_model(str(zoo / fixture["path"]))
    if entry_point == "from_frozen_graph":
        return tf.compat.v1.lite.TFLiteConverter.from_frozen_graph(
            str(zoo / fixture["path"]), fixture["input_arrays"], fixture["output_arrays"],
            input_shapes=fixture.get("input_shapes"))
    if entry_point == "from_keras_model":
        model = tf.keras.models.load_model(str(zoo / fixture["keras_file"]))
        return tf.lite.TFLiteConverter.from_keras_model(model)
    raise ValueError(entry_point)


def convert(entry_point, mode, zoo, fixture):
    """Runs TFLiteConverter in one mode; returns (record, tflite bytes or None)."""
    import tensorflow as tf
    start = time.perf_counter()
    try:
        converter = _make_converter(entry_point, zoo, fixture)
        if mode == "select":
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS,
                                                   tf.lite.OpsSet.SELECT_TF_OPS]
        elif mode == "custom":
            converter.allow_custom_ops = True
        data = converter.convert()
    except Exception as e:
        record = {"success": False, "convert_seconds": time.perf_counter() - start}
        record.update(_error_record(e, zoo))
        return record, None
    record = {"success": True, "convert_seconds": time.perf_counter() - start}
    from litelint_oracle import tflite_model
    record.update(tflite_model.describe(data))
    return record, data


def run_tflite(data, description, fixture, reference):
    """Runs the .tflite in LiteRT when it can run here and compares with TF's outputs."""
    from litelint_oracle import execute
    if description["flex_ops"]:
        return {"runs": "skipped-flex"}
    if description["custom_ops"]:
        return {"runs": "skipped-custom"}
    if "error" in reference:
        return {"runs": "skipped-no-reference"}
    try:
        actual = execute.litert_run(data, fixture)
    except Exception as e:
        return {"runs": "failed", "run_error": f"{type(e).__name__}: {e}"[:MESSAGE_LIMIT]}
    result = execute.compare(reference["outputs"], actual)
    return {"runs": "ok", "outputs_match": result["match"],
            "max_abs_diff": result["max_abs_diff"], "max_rel_diff": result["max_rel_diff"],
            "mismatches": result["problems"]}


def verdict(modes):
    if modes["builtins"]["success"]:
        return "converts-with-builtins"
    if modes["select"]["success"]:
        return "needs-select-tf-ops"
    if modes["custom"]["success"]:
        return "needs-custom-ops"
    return "fails"


def generate_one(zoo, fixture, start_time=None, keep_dir=None):
    """The truth record for one fixture; start_time (time.time()) enables the cold time."""
    t0 = time.perf_counter()
    import tensorflow as tf
    import ai_edge_litert
    import_seconds = time.perf_counter() - t0
    from litelint_oracle import execute
    try:
        reference = {"outputs": execute.tf_reference(zoo, fixture)}
    except Exception as e:
        reference = {"error": common.normalize_text(f"{type(e).__name__}: {e}", zoo)[:1000]}
    entry_points = [fixture["converter"]] + fixture.get("extra_converters", [])
    conversions, cold = {}, None
    for entry_point in entry_points:
        modes = {}
        for mode in common.MODES:
            record, data = convert(entry_point, mode, zoo, fixture)
            if cold is None and start_time is not None:
                cold = time.time() - start_time
            if data is not None:
                record.update(run_tflite(data, record, fixture, reference))
                if keep_dir:
                    out = pathlib.Path(keep_dir) / f"{fixture['id']}.{entry_point}.{mode}.tflite"
                    out.write_bytes(data)
            modes[mode] = record
        conversions[entry_point] = {"modes": modes, "verdict": verdict(modes)}
    primary = conversions[fixture["converter"]]
    truth = {
        "fixture": fixture["id"], "kind": fixture["kind"], "converter": fixture["converter"],
        "tags": fixture["tags"], "nondeterministic": fixture["nondeterministic"],
        "tensorflow_version": tf.__version__, "litert_version": ai_edge_litert.__version__
        if hasattr(ai_edge_litert, "__version__") else _dist_version("ai-edge-litert"),
        "reference": {"ok": "error" not in reference, "error": reference.get("error")},
        "verdict": primary["verdict"], "conversions": conversions,
        "timing": {"import_tensorflow_seconds": import_seconds, "cold_seconds": cold,
                   "cold_measures": f"{fixture['converter']}/builtins, process start to .tflite"},
    }
    return _rounded(truth)


def _dist_version(name):
    from importlib import metadata
    return metadata.version(name)


def _rounded(obj):
    if isinstance(obj, float):
        return common.round_sig(obj, 3)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items() if v is not None or k == "cold_seconds"}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


def worker_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--zoo", required=True)
    p.add_argument("--fixture", action="append", required=True)
    p.add_argument("--start-time", type=float)
    p.add_argument("--keep-tflite")
    a = p.parse_args(argv)
    zoo, manifest = common.load_manifest(a.zoo)
    by_id = {f["id"]: f for f in manifest["fixtures"]}
    for fid in a.fixture:
        try:
            truth = generate_one(zoo, by_id[fid], a.start_time, a.keep_tflite)
        except Exception:
            print(traceback.format_exc(), file=sys.stderr)
            raise SystemExit(3)
        sys.stdout.write("\n@@TRUTH@@" + json.dumps(truth, sort_keys=True) + "\n")
        sys.stdout.flush()
    os._exit(0)  # skip TF's slow and sometimes crashing teardown


# ----------------------------------------------------------------------------- driver side

def run_workers(zoo, fixture_ids, jobs, cold=True, keep_tflite=None, log=sys.stderr):
    """Generates truth for fixture_ids with `jobs` worker processes; returns {id: truth}.

    With cold=True every fixture gets a fresh process (that is what the cold time
    measures); otherwise each worker takes a batch, and fixtures a crashed batch did not
    finish are retried one per process.
    """
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(common.ORACLE_DIR))
    if cold:
        batches = [[fid] for fid in fixture_ids]
    else:
        batches = [list(fixture_ids[i::jobs]) for i in range(jobs) if fixture_ids[i::jobs]]
    pending, running, results = batches, {}, {}
    while pending or running:
        while pending and len(running) < jobs:
            batch = pending.pop(0)
            cmd = [sys.executable, "-m", "litelint_oracle.truth", "worker", "--zoo", str(zoo)]
            for fid in batch:
                cmd += ["--fixture", fid]
            if keep_tflite:
                cmd += ["--keep-tflite", str(keep_tflite)]
            start = time.time()
            if cold:
                cmd += ["--start-time", repr(start)]
            # Files, not pipes: a worker converting many models writes more log than a pipe
            # buffers, and would block until the batch ends.
            out_f, err_f = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
            proc = subprocess.Popen(cmd, env=env, stdout=out_f, stderr=err_f,
                                    stdin=subprocess.DEVNULL, text=True)
            running[proc.pid] = (proc, batch, start, out_f, err_f)
        time.sleep(0.05)
        for pid, (proc, batch, start, out_f, err_f) in list(running.items()):
            if proc.poll() is None:
                continue
            out_f.seek(0)
            err_f.seek(0)
            out, err = out_f.read(), err_f.read()
            out_f.close()
            err_f.close()
            del running[pid]
            for chunk in out.split("@@TRUTH@@")[1:]:
                t = json.loads(chunk.strip().splitlines()[0])
                results[t["fixture"]] = t
                print(f"truth: {t['fixture']}: {t['verdict']} ({time.time() - start:.1f} s)",
                      file=log)
            missing = [fid for fid in batch if fid not in results]
            if missing and len(batch) > 1:
                print(f"truth: worker exited {proc.returncode}; retrying {missing} one by one",
                      file=log)
                pending += [[fid] for fid in missing]
            elif missing:
                fid = missing[0]
                results[fid] = {"fixture": fid, "worker_failed": proc.returncode,
                                "stderr_tail": common.normalize_text(err[-3000:], zoo)}
                print(f"truth: {fid}: WORKER FAILED rc={proc.returncode}\n{err[-3000:]}",
                      file=log)
    return results


def stable(truth, size_tolerance=True):
    """The fields that must not drift between runs of the same TensorFlow."""
    if "worker_failed" in truth:
        return {"worker_failed": True}
    out = {"verdict": truth["verdict"], "reference_ok": truth["reference"]["ok"],
           "tensorflow_version": truth["tensorflow_version"], "conversions": {}}
    for ep, conv in truth["conversions"].items():
        modes = {}
        for mode, r in conv["modes"].items():
            keys = ["success", "error_codes", "error_ops", "missing_flex_ops",
                    "missing_custom_ops", "builtin_ops", "flex_ops", "custom_ops", "op_count",
                    "flex_options_problems", "runs", "exception"]
            if not truth["nondeterministic"]:
                keys.append("outputs_match")
            m = {k: r[k] for k in keys if k in r}
            if "tflite_bytes" in r:
                m["tflite_bytes"] = r["tflite_bytes"] if not size_tolerance else "<size>"
            modes[mode] = m
        out["conversions"][ep] = {"verdict": conv["verdict"], "modes": modes}
    return out


def drift(committed, fresh):
    """Human-readable differences in stable fields, [] when none."""
    problems = []

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k not in a:
                    problems.append(f"{path}/{k}: new {json.dumps(b[k])}")
                elif k not in b:
                    problems.append(f"{path}/{k}: gone (was {json.dumps(a[k])})")
                else:
                    walk(a[k], b[k], f"{path}/{k}")
        elif a != b:
            problems.append(f"{path}: committed {json.dumps(a)} != now {json.dumps(b)}")

    walk(stable(committed), stable(fresh), committed.get("fixture", "?"))
    if "conversions" in committed and "conversions" in fresh:
        for ep, conv in committed["conversions"].items():
            for mode, r in conv["modes"].items():
                fr = fresh["conversions"].get(ep, {}).get("modes", {}).get(mode, {})
                a, b = r.get("tflite_bytes"), fr.get("tflite_bytes")
                if a and b and abs(a - b) > SIZE_TOLERANCE * a + 64:
                    problems.append(f"{committed['fixture']}/{ep}/{mode}/tflite_bytes: "
                                    f"committed {a} != now {b} (beyond {SIZE_TOLERANCE:.0%})")
    return problems


def load_committed(truth_dir=common.TRUTH_DIR):
    return {p.name[:-len(".json")]: json.loads(p.read_text())
            for p in sorted(pathlib.Path(truth_dir).glob("*.json"))
            if not p.name.startswith("_")}


def generate_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--zoo")
    p.add_argument("--out", default=str(common.TRUTH_DIR))
    p.add_argument("--only", nargs="*")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    p.add_argument("--no-cold", action="store_true")
    a = p.parse_args(argv)
    zoo, manifest = common.load_manifest(a.zoo)
    ids = a.only or [f["id"] for f in manifest["fixtures"]]
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.time()
    results = run_workers(zoo, ids, a.jobs, cold=not a.no_cold)
    for fid, truth in results.items():
        common.dump_json(truth, out / f"{fid}.json")
    if not a.only:  # a full run also removes truth for fixtures that no longer exist
        for stale in set(load_committed(out)) - set(ids):
            (out / f"{stale}.json").unlink()
            print(f"truth: removed stale {stale}.json", file=sys.stderr)
    failed = [f for f, t in results.items() if "worker_failed" in t]
    print(f"truth: {len(results)} fixtures in {time.time() - start:.0f} s "
          f"({a.jobs} jobs), {len(failed)} worker failures", file=sys.stderr)
    return 1 if failed else 0


def sample_ids(ids, n, seed):
    return sorted(random.Random(seed).sample(sorted(ids), min(n, len(ids))))


def verify_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--zoo")
    p.add_argument("--sample", type=int, default=5)
    p.add_argument("--seed", type=int)
    p.add_argument("--only", nargs="*")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    a = p.parse_args(argv)
    zoo, _ = common.load_manifest(a.zoo)
    committed = load_committed()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(2**31)
    ids = a.only or sample_ids(committed, a.sample, seed)
    print(f"verify: seed {seed}: {' '.join(ids)}", file=sys.stderr)
    fresh = run_workers(zoo, ids, a.jobs, cold=False)
    problems = [p for fid in ids for p in drift(committed[fid], fresh[fid])]
    print("\n".join(problems) or "verify: no drift")
    return 1 if problems else 0


def index_main(argv):
    """Writes truth/_index.json: versions and each fixture's verdict, for a quick overview."""
    committed = load_committed()
    versions = {(t.get("tensorflow_version"), t.get("litert_version")) for t in committed.values()}
    index = {"versions": sorted([list(v) for v in versions if v[0]]),
             "fixtures": {fid: t.get("verdict", "worker-failed") for fid, t in committed.items()},
             "verdicts": {}}
    for v in index["fixtures"].values():
        index["verdicts"][v] = index["verdicts"].get(v, 0) + 1
    common.dump_json(index, common.TRUTH_DIR / "_index.json")
    print(f"truth: {len(committed)} fixtures, {index['verdicts']}", file=sys.stderr)
    return 0


def main():
    cmd, argv = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    handlers = {"worker": worker_main, "generate": generate_main, "verify": verify_main,
                "index": index_main}
    if cmd not in handlers:
        raise SystemExit(__doc__)
    raise SystemExit(handlers[cmd](argv))


if __name__ == "__main__":
    main()
