"""Whether TensorFlow's graph importer accepts each GraphDef of the shared corpus (issue #20).

`tf.compat.v1.import_graph_def` is the first step of TFLiteConverter.from_frozen_graph: a
graph it rejects never reaches the converter, so `litelint check` must not pass it (exit 0).
This module imports every corpus GraphDef, MetaGraphDef (its `graph_def`) and text GraphDef
test with the pinned TensorFlow and records whether it imports and, if not, the error.

    python -m litelint_oracle.graph_import generate [--only ID ...]
    python -m litelint_oracle.graph_import compare --litelint BIN

Workers run in a subprocess that reports one JSON line per entry: an importer crash costs
that entry (recorded as `crashed`), not the run.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

from litelint_oracle import common, pbtxt_truth

TRUTH_FILE = common.ORACLE_DIR / "truth-import" / "graph_import.json"
FORMATS = ("graphdef-binary", "graphdef-text", "metagraphdef-binary", "metagraphdef-text",
           "savedmodel-text")
MESSAGE_LIMIT = 600
TIMEOUT = 900  # seconds for one worker run over the remaining entries


def entries(manifest=None):
    """The corpus entries whose main file is a GraphDef in one of its containers."""
    if manifest is None:
        manifest = json.loads((pbtxt_truth.corpus_dir() / "MANIFEST.json").read_text())
    return [e for e in manifest["entries"]
            if e["category"] in ("graphdef", "pbtxt") and e["format"] in FORMATS]


def _graph_def(path, fmt):
    """The GraphDef an entry holds, parsed as TensorFlow's own loaders would."""
    from google.protobuf import text_format
    from tensorflow.core.framework import graph_pb2
    from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2

    data = pathlib.Path(path).read_bytes()
    if fmt == "graphdef-binary":
        g = graph_pb2.GraphDef()
        g.ParseFromString(data)
        return g
    if fmt == "graphdef-text":
        return text_format.Parse(data.decode("utf-8"), graph_pb2.GraphDef())
    if fmt == "metagraphdef-binary":
        m = meta_graph_pb2.MetaGraphDef()
        m.ParseFromString(data)
        return m.graph_def
    if fmt == "metagraphdef-text":
        return text_format.Parse(data.decode("utf-8"), meta_graph_pb2.MetaGraphDef()).graph_def
    sm = text_format.Parse(data.decode("utf-8"), saved_model_pb2.SavedModel())
    return sm.meta_graphs[0].graph_def


def import_one(entry, corpus):
    """{"imports": bool, "error"?: str, "parse_error"?: str} for one corpus entry."""
    import tensorflow as tf

    try:
        graph_def = _graph_def(corpus / entry["main_file"], entry["format"])
    except Exception as e:  # noqa: BLE001 - any parse failure is the record
        return {"imports": False, "parse_error": f"{type(e).__name__}: {e}"[:MESSAGE_LIMIT]}
    try:
        with tf.Graph().as_default():
            tf.compat.v1.import_graph_def(graph_def, name="")
    except Exception as e:  # noqa: BLE001
        return {"imports": False, "error": f"{type(e).__name__}: {e}"[:MESSAGE_LIMIT]}
    return {"imports": True}


def worker_main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("ids", nargs="+")
    a = p.parse_args(argv)
    corpus = pbtxt_truth.corpus_dir()
    by_id = {e["id"]: e for e in entries()}
    for eid in a.ids:
        print(json.dumps({"id": eid, **import_one(by_id[eid], corpus)}), flush=True)
    return 0


def run_workers(ids, log=sys.stderr):
    """{id: record}; restarts the worker after the entry it crashed on."""
    results, remaining = {}, list(ids)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONPATH=str(common.ORACLE_DIR) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    while remaining:
        proc = subprocess.run([sys.executable, "-m", "litelint_oracle.graph_import", "worker",
                               *remaining], capture_output=True, text=True, env=env,
                              timeout=TIMEOUT)
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                results[r.pop("id")] = r
                print(f"graph-import: {list(results)[-1]}: "
                      f"{'imports' if r['imports'] else 'rejected'}", file=log)
        remaining = [i for i in remaining if i not in results]
        if remaining:  # the worker died on remaining[0]
            results[remaining[0]] = {"imports": False, "crashed": proc.stderr[-MESSAGE_LIMIT:]}
            remaining = remaining[1:]
    return results


def load_committed(path=TRUTH_FILE):
    return json.loads(pathlib.Path(path).read_text())


def generate_main(argv):
    import tensorflow as tf

    p = argparse.ArgumentParser()
    p.add_argument("--only", nargs="*")
    a = p.parse_args(argv)
    ids = [e["id"] for e in entries()]
    committed = load_committed() if a.only and TRUTH_FILE.exists() else {"graphs": {}}
    fresh = run_workers(a.only or ids)
    graphs = {i: committed["graphs"][i] for i in committed["graphs"] if i in ids}
    graphs.update(fresh)
    out = {"_comment": "tf.compat.v1.import_graph_def on the corpus GraphDefs; made by "
                       "tests/oracle/regenerate-import-truth, do not edit",
           "tensorflow_version": tf.__version__,
           "graphs": dict(sorted(graphs.items()))}
    TRUTH_FILE.parent.mkdir(exist_ok=True)
    common.dump_json(out, TRUTH_FILE)
    rejected = sum(not r["imports"] for r in graphs.values())
    print(f"wrote {TRUTH_FILE}: {len(graphs)} graphs, {rejected} rejected by TensorFlow")
    return 0


def check_exit(binary, entry, corpus):
    """litelint check's exit code and its last output line for one entry."""
    path = corpus / entry["main_file"]
    if entry["format"] == "savedmodel-text":
        path = path.parent
    r = subprocess.run([str(binary), "check", str(path)], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    lines = (r.stdout + r.stderr).strip().splitlines()
    return r.returncode, lines[-1] if lines else ""


def compare(binary, committed=None, log=None):
    """[(id, TF's error, litelint's exit, litelint's last line)] for every graph TensorFlow
    rejects, and the ids of those litelint passes (exit 0)."""
    committed = committed or load_committed()
    corpus = pbtxt_truth.corpus_dir()
    by_id = {e["id"]: e for e in entries()}
    rows, passed = [], []
    for eid, r in committed["graphs"].items():
        if r["imports"] or eid not in by_id:
            continue
        code, last = check_exit(binary, by_id[eid], corpus)
        why = r.get("error") or r.get("parse_error") or "crashed"
        rows.append((eid, why, code, last))
        if code == 0:
            passed.append(eid)
        if log:
            print(f"{eid}: exit {code}  TF: {why.splitlines()[0][:150]}", file=log)
    return rows, passed


def compare_main(argv):
    from litelint_oracle import litelint_cli

    p = argparse.ArgumentParser()
    p.add_argument("--litelint")
    a = p.parse_args(argv)
    rows, passed = compare(litelint_cli.find_binary(a.litelint), log=sys.stdout)
    print(f"{len(rows)} graphs rejected by TensorFlow; litelint catches "
          f"{len(rows) - len(passed)}, passes {len(passed)}")
    for eid in passed:
        print(f"  passed: {eid}")
    return 1 if passed else 0


def main():
    commands = {"generate": generate_main, "compare": compare_main, "worker": worker_main}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
