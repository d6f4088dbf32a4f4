"""`litelint check --target xnnpack` on existing .tflite files against the real interpreter
(issue #9; delegates.md section 5.1).

For every readable .tflite of the shared corpus, LiteRT's Python interpreter (ai-edge-litert,
which applies XNNPACK by default) is asked which operators of subgraph 0 it handed to
XNNPACK: after allocate_tensors(), `_get_ops_details()` lists the original operators and then
one DELEGATE node per delegated partition; an operator is on XNNPACK iff it lies between a
DELEGATE node's outputs and its inputs. litelint's answer is the set of operators it names in
delegate-cpu-fallback (LL302) findings. Each interpreter runs in its own process so a crash
in native code costs one model, not the run.
"""
import json
import os
import pathlib
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from litelint_oracle import pbtxt_truth

# Share of operators (over every model the interpreter loads) whose placement litelint
# predicts. Measured 2026-11-26 (ai-edge-litert 2.3.0): 2525/2530 operators (99.8%), 95 of
# 98 loadable corpus models exactly; the 3 others are KNOWN_DISAGREEMENTS.
AGREEMENT_THRESHOLD = 0.99

# Models whose placement litelint knowingly gets wrong, with the reason. They still count in
# the agreement; they are only exempt from the exact per-model comparison.
KNOWN_DISAGREEMENTS = {
    "tflite/tf_lite_quant_testdata_resource_vars_calibrated":
        "CONCATENATION (op 8) feeds only ASSIGN_VARIABLE; their DELEGATE node has no outputs, "
        "so walking back from DELEGATE outputs cannot see them (litelint says XNNPACK; the "
        "DELEGATE's inputs [0, 4, 6] are exactly CONCATENATION's and ASSIGN_VARIABLE's)",
    "tflite/tf_lite_testdata_add_quantized":
        "cause not established: the same two-ADD graph in float32 (tf_lite_testdata_add) is "
        "delegated, this uint8 one (per-tensor, scale ratio 1, one tensor as both operands of "
        "the first ADD) gets no DELEGATE node although XNNPACK is created",
    "tflite/tf_lite_testdata_add_quantized_int8":
        "as tf_lite_testdata_add_quantized, in int8",
}

NODE = re.compile(r"^subgraph (\d+) / op (\d+) \(")

_PROBE = r"""
import json, sys
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1])
it.allocate_tensors()
ops = [{"op": o["op_name"], "inputs": [int(t) for t in o["inputs"]],
        "outputs": [int(t) for t in o["outputs"]]} for o in it._get_ops_details()]
print(json.dumps(ops))
"""


def _corpus():
    corpus = pbtxt_truth.corpus_dir()
    if not (corpus / "MANIFEST.json").exists():
        pytest.skip(f"no shared corpus at {corpus} (set LITELINT_CORPUS)")
    return corpus


def _tflite_entries(corpus):
    manifest = json.loads((corpus / "MANIFEST.json").read_text())
    return [e for e in manifest["entries"]
            if e.get("format") == "tflite" and not e.get("malformed")]


def delegated_ops(details):
    """(observable operator indices, those inside some DELEGATE node's partition).

    An operator without outputs (ASSIGN_VARIABLE) cannot be placed by walking back from
    DELEGATE outputs, so it is left out of the comparison."""
    originals = [d for d in details if d["op"] != "DELEGATE"]
    observable = {i for i, d in enumerate(originals) if any(t >= 0 for t in d["outputs"])}
    producer = {}
    for i, d in enumerate(originals):
        for t in d["outputs"]:
            producer[t] = i
    on_delegate = set()
    for d in details:
        if d["op"] != "DELEGATE":
            continue
        boundary = set(d["inputs"])
        stack = [t for t in d["outputs"]]
        seen = set()
        while stack:
            t = stack.pop()
            if t in seen or t in boundary or t < 0:
                continue
            seen.add(t)
            p = producer.get(t)
            if p is None or p in on_delegate:
                continue
            on_delegate.add(p)
            stack.extend(originals[p]["inputs"])
    return observable, on_delegate


def _observe(path):
    """(observable operators, delegated ones) from the real interpreter, or (None, reason)."""
    try:
        r = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True,
                           text=True, timeout=120, stdin=subprocess.DEVNULL,
                           env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    except subprocess.TimeoutExpired:
        return None, "interpreter timed out"
    if r.returncode != 0:
        lines = [l for l in (r.stderr or "").strip().splitlines() if l.strip()]
        return None, lines[-1] if lines else f"exit {r.returncode}"
    return delegated_ops(json.loads(r.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def comparison(litelint):
    if not litelint.is_file():
        pytest.skip(f"no litelint binary at {litelint}")
    corpus = _corpus()
    entries = _tflite_entries(corpus)
    paths = [corpus / e["main_file"] for e in entries]
    jobs = int(os.environ.get("LITELINT_ORACLE_JOBS", 2))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        observed = list(pool.map(_observe, paths))

    r = subprocess.run([str(litelint), "check", "--target", "xnnpack", "--format", "json", "--",
                        *map(str, paths)], capture_output=True, text=True, timeout=600,
                       stdin=subprocess.DEVNULL)
    assert r.returncode in (0, 1), r.stderr
    models = json.loads(r.stdout)["models"]
    assert len(models) == len(entries)

    rows = {}
    for entry, (ops, on), model in zip(entries, observed, models):
        if ops is None:
            rows[entry["id"]] = {"skipped": on}
            continue
        assert "error" not in model, model
        cpu = set()
        for f in model["findings"]:
            if f["code"] != "LL302":
                continue
            for n in f["nodes"]:
                m = NODE.match(n["name"])
                if m and int(m.group(1)) == 0:
                    cpu.add(int(m.group(2)))
        predicted = ops - cpu
        rows[entry["id"]] = {"count": len(ops), "observed": on, "predicted": predicted,
                             "findings": {n["name"]: f["cause"] for f in model["findings"]
                                          if f["code"] == "LL302" for n in f["nodes"]}}
    return rows


def _describe(row):
    missed = sorted(row["observed"] - row["predicted"])  # XNNPACK took, litelint said CPU
    extra = sorted(row["predicted"] - row["observed"])   # litelint said XNNPACK, it was CPU
    return missed, extra


def test_operator_agreement(comparison):
    total = agree = 0
    models = exact = 0
    lines = []
    for fid, row in sorted(comparison.items()):
        if "skipped" in row:
            continue
        models += 1
        missed, extra = _describe(row)
        total += row["count"]
        agree += row["count"] - len(missed) - len(extra)
        if not missed and not extra:
            exact += 1
        else:
            lines.append(f"  {fid}: litelint said CPU for XNNPACK ops {missed[:8]}, "
                         f"XNNPACK for CPU ops {extra[:8]}")
    skipped = sorted(f"{fid} ({row['skipped'][:80]})" for fid, row in comparison.items()
                     if "skipped" in row)
    share = agree / total if total else 1.0
    print(f"\nxnnpack oracle: {agree}/{total} operators agree ({share:.1%}); "
          f"{exact}/{models} models exactly; {len(skipped)} models not loadable by the "
          f"interpreter")
    print("\n".join(lines))
    print("not loadable:", "; ".join(skipped))
    assert models >= 60, "too few corpus models ran in the interpreter"
    assert share >= AGREEMENT_THRESHOLD, f"agreement {share:.1%} < {AGREEMENT_THRESHOLD:.0%}"


def _model_ids():
    try:
        corpus = pbtxt_truth.corpus_dir()
        return sorted(e["id"] for e in _tflite_entries(corpus))
    except (OSError, ValueError, KeyError):
        return []


@pytest.mark.parametrize("model_id", _model_ids())
def test_model_placement(model_id, comparison):
    row = comparison[model_id]
    if "skipped" in row:
        pytest.skip(f"the interpreter cannot load it: {row['skipped'][:160]}")
    missed, extra = _describe(row)
    if model_id in KNOWN_DISAGREEMENTS:
        if not missed and not extra:
            pytest.fail(f"{model_id} now agrees: remove it from KNOWN_DISAGREEMENTS")
        pytest.skip(f"known disagreement: {KNOWN_DISAGREEMENTS[model_id]}")
    why = {i: c for n, c in row["findings"].items()
           for i in [int(NODE.match(n).group(2))] if NODE.match(n) and i in missed}
    assert not missed and not extra, (
        f"XNNPACK ran ops {missed} that litelint sent to the CPU ({why}); "
        f"litelint predicted XNNPACK for CPU ops {extra}")
