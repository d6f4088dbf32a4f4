"""compare-convert-corpus: `litelint convert` on every SavedModel, GraphDef and TF.js model of
../shared/corpus (#17).

    tests/oracle/compare-convert-corpus [--litelint BIN] [--corpus DIR] [--only ID ...]
                                        [--json OUT] [--write-pending]

For every corpus entry in the categories savedmodel, graphdef and tfjs, litelint converts
the model as a user would (`litelint convert MODEL -o OUT.tflite`, default target and
signatures; GraphDefs without --inputs/--outputs, so litelint picks them and the .tflite's
signature names them). Checked, as #17's acceptance says:
  * a malformed entry exits 2 with one line on stderr and writes nothing;
  * every other entry exits 0, 1 or 2, never by a signal or timeout, leaves no file behind
    on a non-zero exit, and prints one line on stderr on exit 2;
  * a complete entry converts (exit 0), its .tflite loads and runs in LiteRT (in a child
    process: a bad file can abort LiteRT) on seeded inputs (shapes from the .tflite
    signature, dynamic dims 1, integer inputs in [0, 4)), and the outputs match the source
    model run in TensorFlow (SavedModel: its signature; GraphDef/MetaGraphDef: a Session
    feeding and fetching the nodes the .tflite signature names) or, for TF.js models,
    in @tensorflow/tfjs on Node (pure JS CPU backend), within 1e-4 abs or rel elementwise.
    Where the reference cannot run the source, the row is skipped with the reason.
Entries listed in convert_corpus_pending.json (what litelint does not convert or match yet,
each with its reason) are expected to fail; `--write-pending` rewrites that list from this run.
Exit status: 1 if any row failed.
"""
import argparse
import hashlib
import json
import os
import pathlib
import pickle
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, litelint_cli  # noqa: E402

CATEGORIES = ("savedmodel", "graphdef", "tfjs")
PENDING_FILE = common.ORACLE_DIR / "convert_corpus_pending.json"
TFJS_DIR = common.ORACLE_DIR / "tfjs"
CONVERT_TIMEOUT = 300
# Seconds for one reference or LiteRT run; the corpus's largest model takes a few seconds.
RUN_TIMEOUT = 600
# TF.js in Node runs the pure JS CPU kernels: the largest model compared so far
# (tfjs/human_mobileface, 2.2 MB) converts, runs in Node and in LiteRT in about a second, so
# every TF.js model in the corpus (at most 6 MB) is compared; a larger one is skipped rather
# than let one model dominate the suite's time.
TFJS_MAX_BYTES = 64 << 20
INT_HIGH = 4  # integer inputs are indices or counts in most models: small, non-negative
# Inputs that are not data: a dropout keep probability below 1 draws a random mask
# (RandomUniform) that TensorFlow and LiteRT draw differently; 1 makes both runs deterministic.
INPUT_VALUES = {"graphdef/tf2onnx_lstm": {"keep_prob": 1.0},
                "graphdef/tf2onnx_gru": {"keep_prob": 1.0}}
# Inputs of unknown rank: TensorFlow's converter gives them shape [] and its .tflite fails in
# LiteRT, as litelint's would; `convert` refuses them (exit 1, naming the flag), so these rows
# convert with the shape the model needs, as a user would after reading that message.
CONVERT_ARGS = {"graphdef/tf2onnx_gru": ["--input-shape", "X=1,28,28"],
                "graphdef/neural_encryption_frozen": ["--input-shape", "X_input=2,8"]}


def corpus_dir(explicit=None):
    """--corpus, else $LITELINT_CORPUS, else ../shared/corpus beside the checkout."""
    return pathlib.Path(explicit or os.environ.get("LITELINT_CORPUS")
                        or common.REPO_ROOT.parent / "shared" / "corpus")


def entries(corpus=None):
    """The manifest's entries in CATEGORIES, sorted by id."""
    manifest = json.loads((corpus_dir(corpus) / "MANIFEST.json").read_text())
    return sorted((e for e in manifest["entries"] if e["category"] in CATEGORIES),
                  key=lambda e: e["id"])


def model_path(corpus, entry):
    """What a user points litelint at: a SavedModel's directory, else the main file."""
    main = corpus_dir(corpus) / entry["main_file"]
    return main.parent if entry["format"].startswith("savedmodel") else main


def load_pending():
    """{"entry id": reason}: entries litelint does not convert or match yet (#17)."""
    return json.loads(PENDING_FILE.read_text())["rows"] if PENDING_FILE.exists() else {}


def write_pending(rows):
    doc = (json.loads(PENDING_FILE.read_text()) if PENDING_FILE.exists() else
           {"_comment": "corpus entries (../shared/corpus, categories savedmodel/graphdef/tfjs) "
                        "that litelint convert does not convert or match yet (#17), each with "
                        "the reason. compare-convert-corpus --write-pending rewrites it; a "
                        "listed entry that passes fails the suite until removed."})
    doc["rows"] = {r["id"]: r["reason"] for r in rows if r["status"] == "fail"}
    common.dump_json(doc, PENDING_FILE)
    return doc["rows"]


# --- LiteRT (child process) -------------------------------------------------------------

def _seeded(details, seed, values=None):
    """Seeded inputs for LiteRT input details {name: detail}: dynamic dims 1; `values` fixes
    some inputs to one value."""
    import numpy as np
    specs = []
    for name, d in sorted(details.items()):
        shape = [1 if s < 0 else int(s) for s in d["shape_signature"]]
        dtype = np.dtype(d["dtype"]).name if d["dtype"] is not np.object_ else "string"
        spec = {"name": name, "shape": shape, "dtype": "string" if dtype == "bytes_" else dtype}
        if name in (values or {}):
            spec["values"] = [values[name]] * int(np.prod(shape, dtype=np.int64))
        elif spec["dtype"].startswith(("int", "uint")):
            spec.update(low=0, high=INT_HIGH)
        specs.append(spec)
    return common.seeded_inputs(specs, seed)


def litert_run(data, seed=0, values=None):
    """{signature key: {"inputs": {...}, "outputs": {...}}} of one .tflite run in LiteRT."""
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter
    interp = Interpreter(model_content=bytes(data))
    result = {}
    for key in sorted(interp.get_signature_list()):
        runner = interp.get_signature_runner(key)
        inputs = _seeded(runner.get_input_details(), seed, values)
        feed = {k: (np.array([s.encode() for s in v.flat], dtype=object).reshape(v.shape)
                    if v.dtype == object else v) for k, v in inputs.items()}
        outs = runner(**feed)
        result[key] = {"inputs": inputs, "outputs": {k: np.asarray(v) for k, v in outs.items()}}
    if not result:
        raise ValueError("the .tflite has no SignatureDef")
    return result


def litert_in_child(path, tmp, values=None):
    """litert_run in a child process; (result, error)."""
    out = pathlib.Path(tmp) / "litert.pkl"
    try:
        r = subprocess.run([sys.executable, "-m", "litelint_oracle.corpus_convert", "--child",
                            str(path), str(out), json.dumps(values or {})],
                           capture_output=True, text=True,
                           timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"LiteRT timed out after {RUN_TIMEOUT} s"
    if r.returncode != 0 or not out.exists():
        how = f"signal {-r.returncode}" if r.returncode < 0 else f"exit {r.returncode}"
        tail = [l for l in r.stderr.strip().splitlines() if l.strip()][-1:] or [""]
        what = "crashed" if r.returncode < 0 else "failed"
        return None, f"LiteRT {what} ({how}): {tail[0][:200]}"
    with open(out, "rb") as f:
        return pickle.load(f), ""


def child_main(path, out, values):
    result = litert_run(pathlib.Path(path).read_bytes(), values=json.loads(values))
    with open(out, "wb") as f:
        pickle.dump(result, f)
    return 0


# --- references ------------------------------------------------------------------------

def _tensor_name(name):
    return name if ":" in name else f"{name}:0"


def tf_saved_model(path, runs):
    """{signature: {output: array}} from tf.saved_model.load and its signatures; where that
    fails (TF 2 cannot revive some Keras objects, e.g. optimizer slots: "'_UserObject' object
    has no attribute 'add_slot'"), from the TF1 loader and a Session over the SignatureDefs."""
    import tensorflow as tf
    try:
        loaded = tf.saved_model.load(str(path))
    except Exception as first:
        try:
            return tf_saved_model_v1(path, runs)
        except Exception:
            raise first
    out = {}
    for key, run in runs.items():
        if key not in loaded.signatures:
            raise KeyError(f"the SavedModel has no signature {key!r} "
                           f"(it has {sorted(loaded.signatures)})")
        fn = loaded.signatures[key]
        specs = fn.structured_input_signature[1]
        args = {k: tf.constant(v, dtype=specs[k].dtype if k in specs else None)
                for k, v in run["inputs"].items()}
        out[key] = {k: v.numpy() for k, v in fn(**args).items()}
    return out


def tf_saved_model_v1(path, runs):
    """{signature: {output: array}} from tf.compat.v1.saved_model.load into a Session."""
    import tensorflow as tf
    out = {}
    g = tf.Graph()
    with tf.compat.v1.Session(graph=g) as sess:
        meta = tf.compat.v1.saved_model.load(sess, ["serve"], str(path))
        for key, run in runs.items():
            sig = meta.signature_def[key]
            feed = {sig.inputs[k].name: v for k, v in run["inputs"].items()}
            names = sorted(sig.outputs)
            values = sess.run([sig.outputs[n].name for n in names], feed)
            out[key] = dict(zip(names, values))
    return out


def tf_graph(path, entry, runs):
    """{signature: {output: array}} from a Session over a GraphDef or MetaGraphDef, feeding
    and fetching the nodes the .tflite signature names (the ones litelint chose)."""
    import tensorflow as tf
    from google.protobuf import text_format
    raw = pathlib.Path(path).read_bytes()
    if entry["format"].startswith("metagraphdef"):
        meta = tf.compat.v1.MetaGraphDef()
        if entry["format"].endswith("text"):
            text_format.Parse(raw.decode(), meta)
        else:
            meta.ParseFromString(raw)
        graph_def = meta.graph_def
    else:
        graph_def = tf.compat.v1.GraphDef()
        graph_def.ParseFromString(raw)
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
    out = {}
    with tf.compat.v1.Session(graph=g) as sess:
        for key, run in runs.items():
            feed = {}
            for k, v in run["inputs"].items():
                t = g.get_tensor_by_name(_tensor_name(k))
                feed[t] = v.astype(t.dtype.as_numpy_dtype) if t.dtype != tf.string else v
            names = list(run["outputs"])
            values = sess.run([_tensor_name(n) for n in names], feed)
            out[key] = dict(zip(names, values))
    return out


def setup_tfjs():
    """Installs @tensorflow/tfjs (tests/oracle/tfjs/package-lock.json) into
    ~/.cache/litelint/tfjs-<hash>, once, as tests/tools/setup-node-tools does; its path."""
    if not shutil.which("npm") or not shutil.which("node"):
        raise RuntimeError("node/npm not found (Debian packages nodejs, npm)")
    lock = TFJS_DIR / "package-lock.json"
    target = common.cache_dir() / f"tfjs-{hashlib.sha256(lock.read_bytes()).hexdigest()[:12]}"
    if not (target / ".stamp").exists():
        common.cache_dir().mkdir(parents=True, exist_ok=True)
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="tfjs-tmp.", dir=common.cache_dir()))
        for name in ("package.json", "package-lock.json"):
            shutil.copy(TFJS_DIR / name, tmp / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=tmp,
                       check=True, stdin=subprocess.DEVNULL, stdout=sys.stderr)
        (tmp / ".stamp").touch()
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    return target


def tfjs_model(path, runs, tmp):
    """{signature: {output: array}} from @tensorflow/tfjs in Node (tfjs/run_model.mjs)."""
    import numpy as np
    tfjs = setup_tfjs()
    out = {}
    for n, (key, run) in enumerate(runs.items()):
        d = pathlib.Path(tmp) / f"tfjs{n}"
        d.mkdir()
        inputs = []
        for i, (name, v) in enumerate(run["inputs"].items()):
            # TF.js has float32, int32 and bool tensors only; it reads int64 models as int32.
            dtype = {"float32": "float32", "bool": "bool"}.get(v.dtype.name, "int32")
            if v.dtype.kind not in "fiub":
                raise TypeError(f"input {name!r} of dtype {v.dtype} cannot be fed to TF.js")
            arr = np.ascontiguousarray(v.astype({"bool": np.uint8}.get(dtype, dtype)))
            f = d / f"in{i}.bin"
            f.write_bytes(arr.tobytes())
            inputs.append({"name": name, "dtype": dtype, "shape": list(v.shape), "file": str(f)})
        spec = {"model": str(path), "inputs": inputs, "outputs": list(run["outputs"]),
                "result": str(d / "result.json")}
        (d / "spec.json").write_text(json.dumps(spec))
        r = subprocess.run(["node", str(TFJS_DIR / "run_model.mjs"), str(d / "spec.json")],
                           capture_output=True, text=True, timeout=RUN_TIMEOUT,
                           stdin=subprocess.DEVNULL,
                           env={**os.environ, "LITELINT_TFJS_DIR": str(tfjs)})
        if r.returncode != 0:
            tail = [l for l in r.stderr.strip().splitlines() if l.strip()][-1:] or [""]
            raise RuntimeError(f"TF.js exit {r.returncode}: {tail[0][:200]}")
        result = {}
        for o in json.loads((d / "result.json").read_text()):
            dt = {"float32": np.float32, "int32": np.int32, "bool": np.uint8}[o["dtype"]]
            arr = np.frombuffer(pathlib.Path(o["file"]).read_bytes(), dtype=dt)
            result[o["name"]] = arr.reshape(o["shape"]).astype(bool if o["dtype"] == "bool" else dt)
        out[key] = result
    return out


def reference(corpus, entry, runs, tmp):
    """The source model's outputs on the inputs LiteRT was given."""
    path = model_path(corpus, entry)
    if entry["category"] == "tfjs":
        if entry["size_bytes"] > TFJS_MAX_BYTES:
            raise RuntimeError(f"TF.js reference skipped above {TFJS_MAX_BYTES >> 20} MB")
        return tfjs_model(path, runs, tmp)
    if entry["format"].startswith("savedmodel"):
        return tf_saved_model(path, runs)
    return tf_graph(path, entry, runs)


# --- one row ---------------------------------------------------------------------------

class Runner:
    """Converts and compares corpus entries one at a time."""

    def __init__(self, binary, corpus, tmp):
        self.binary, self.corpus, self.tmp = binary, corpus_dir(corpus), pathlib.Path(tmp)

    def row(self, entry):
        start = time.monotonic()
        row = self._row(entry)
        row.setdefault("id", entry["id"])
        row["seconds"] = round(time.monotonic() - start, 2)
        return row

    def _row(self, entry):
        row = {"id": entry["id"], "exit": None, "complete": bool(entry.get("complete")),
               "malformed": bool(entry.get("malformed"))}
        work = self.tmp / entry["id"].replace("/", "__")
        out_dir = work / "out"
        out_dir.mkdir(parents=True)
        out = out_dir / "model.tflite"
        cmd = [str(self.binary), "convert", str(model_path(self.corpus, entry)), "-o", str(out),
               *CONVERT_ARGS.get(entry["id"], [])]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {**row, "status": "fail",
                    "reason": f"convert timed out after {CONVERT_TIMEOUT} s"}
        except OSError as e:  # e.g. the binary is being relinked
            return {**row, "status": "fail", "reason": f"cannot run {self.binary}: {e}"}
        row["exit"] = r.returncode
        err = [l for l in r.stderr.splitlines() if l.strip()]
        first = (err[0] if err else (r.stdout.strip().splitlines() or [""])[-1])
        first = common.normalize_text(first).replace(str(self.corpus), "<corpus>")[:200]
        left = sorted(p.name for p in out_dir.iterdir())
        if r.returncode < 0:
            return {**row, "status": "fail", "reason": f"crashed (signal {-r.returncode}): {first}"}
        if r.returncode not in (0, 1, 2):
            return {**row, "status": "fail", "reason": f"exit {r.returncode}: {first}"}
        if r.returncode != 0 and left:
            return {**row, "status": "fail",
                    "reason": f"exit {r.returncode} left files behind: {left}"}
        if r.returncode == 2 and len(err) != 1:
            return {**row, "status": "fail",
                    "reason": f"exit 2 printed {len(err)} lines on stderr, not one: {first}"}
        if row["malformed"]:
            ok = r.returncode == 2
            return {**row, "status": "pass" if ok else "fail",
                    "note": f"malformed, rejected: {first}" if ok else "",
                    "reason": "" if ok else f"malformed input exited {r.returncode}, not 2"}
        if r.returncode != 0:
            if not row["complete"]:
                return {**row, "status": "pass", "note": f"incomplete: {first}", "reason": ""}
            return {**row, "status": "fail", "reason": f"convert exit {r.returncode}: {first}"}
        if left != ["model.tflite"] or out.stat().st_size == 0:
            return {**row, "status": "fail", "reason": f"exit 0 but the output dir holds {left}"}
        from litelint_oracle import tflite_model
        data = out.read_bytes()
        try:
            d = tflite_model.describe(data)
        except Exception as e:
            return {**row, "bytes": len(data), "status": "fail",
                    "reason": f"the .tflite does not parse: {e}"[:300]}
        row.update(ops=d["op_count"], bytes=d["tflite_bytes"])
        if not row["complete"]:
            return {**row, "status": "pass", "reason": "",
                    "note": "incomplete model (weights missing): not compared"}
        if d["flex_ops"] or d["custom_ops"]:
            return {**row, "status": "fail",
                    "reason": "builtins target wrote Flex/custom ops "
                              f"{d['flex_ops'] + d['custom_ops']}"}
        runs, why = litert_in_child(out, work, INPUT_VALUES.get(entry["id"]))
        if runs is None:
            return {**row, "status": "fail", "reason": why}
        try:
            ref = reference(self.corpus, entry, runs, work)
        except Exception as e:
            msg = " ".join(str(e).split())
            return {**row, "status": "skipped", "reason": "",
                    "note": f"reference cannot run the source: {type(e).__name__}: {msg}"[:300]}
        result = {"match": True, "max_abs_diff": 0.0, "max_rel_diff": 0.0, "problems": []}
        for key, want in ref.items():
            c = common.compare_outputs(want, runs[key]["outputs"])
            result["match"] &= c["match"]
            result["max_abs_diff"] = max(result["max_abs_diff"], c["max_abs_diff"])
            result["max_rel_diff"] = max(result["max_rel_diff"], c["max_rel_diff"])
            result["problems"] += [f"{key}: {p}" for p in c["problems"]]
        row.update(max_abs_diff=result["max_abs_diff"], max_rel_diff=result["max_rel_diff"])
        source = "TF.js" if entry["category"] == "tfjs" else "TensorFlow"
        if result["match"]:
            return {**row, "status": "pass", "reason": "", "note": f"matches {source}"}
        return {**row, "status": "fail",
                "reason": f"outputs differ from {source}: " + "; ".join(result["problems"])[:240]}


def run(binary, corpus=None, only=None):
    todo = [e for e in entries(corpus) if not only or e["id"] in only]
    with tempfile.TemporaryDirectory(prefix="litelint-convert-corpus-") as tmp:
        runner = Runner(binary, corpus, tmp)
        return [runner.row(e) for e in todo]


def print_table(rows, out=sys.stdout):
    print(f"{'model':<56} {'exit':>4} {'ops':>5} {'bytes':>9} {'max diff':>9} {'status':<7} "
          f"{'s':>5}  note", file=out)

    def num(v, fmt, width):
        return format(v, fmt) if isinstance(v, (int, float)) else format("-", f">{width}")
    for r in rows:
        diff = None
        if r.get("max_abs_diff") is not None:
            diff = min(r["max_abs_diff"], r["max_rel_diff"])
        print(f"{r['id']:<56} {num(r.get('exit'), '4d', 4)} {num(r.get('ops'), '5d', 5)} "
              f"{num(r.get('bytes'), '9d', 9)} {num(diff, '9.2e', 9)} {r['status']:<7} "
              f"{num(r.get('seconds'), '5.1f', 5)}  {r.get('reason') or r.get('note', '')}",
              file=out)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("pass", "fail", "skipped")}
    compared = sum(r.get("max_abs_diff") is not None for r in rows)
    print(f"{len(rows)} entries: {counts['pass']} passed ({compared} compared numerically), "
          f"{counts['fail']} failed, {counts['skipped']} skipped; "
          f"{sum(r.get('seconds', 0) for r in rows):.0f} s", file=out)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(*argv[1:4])
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint")
    p.add_argument("--corpus")
    p.add_argument("--only", nargs="*")
    p.add_argument("--json")
    p.add_argument("--write-pending", action="store_true",
                   help="rewrite convert_corpus_pending.json with this run's failures")
    a = p.parse_args(argv)
    binary = litelint_cli.find_binary(a.litelint)
    available, why = litelint_cli.has_subcommand(binary, "convert")
    if not available:
        print(f"compare-convert-corpus: {why}", file=sys.stderr)
        return 2
    rows = run(binary, a.corpus, a.only)
    print_table(rows)
    if a.json:
        common.dump_json(rows, a.json)
    if a.write_pending:
        if a.only:
            print("--write-pending needs a full run (no --only)", file=sys.stderr)
            return 2
        print(f"{PENDING_FILE}: {len(write_pending(rows))} pending entries")
    return 1 if any(r["status"] == "fail" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
