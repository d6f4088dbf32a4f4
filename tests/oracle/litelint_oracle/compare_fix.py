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

# Fixes whose outputs are a random draw, and what can still be checked against TensorFlow's
# draw on the same inputs: "rows" = each output is a permutation of the rows of TensorFlow's.
RANDOM_FIX_CHECKS = {"shuffle-by-sort": "rows"}
RANDOM_CHECK_TEXT = {"rows": "outputs are row permutations of TensorFlow's (values compared sorted)"}


def random_checks(checks, reference, data, fixture):
    """Problems found by the RANDOM_FIX_CHECKS of the applied fixes ([] when they hold)."""
    import numpy as np
    from litelint_oracle import execute
    actual = execute.litert_run(data, fixture)
    problems = []
    for key, want in reference.items():
        got = actual.get(key, {})
        for name, ref in want.items():
            if name not in got:
                problems.append(f"{key or '<graph>'}: output {name} missing")
                continue
            a, b = np.asarray(ref), np.asarray(got[name])
            if a.shape != b.shape or a.dtype != b.dtype:
                problems.append(f"{name}: {b.dtype}{list(b.shape)} where TensorFlow gives {a.dtype}{list(a.shape)}")
                continue
            if "rows" in checks and a.ndim >= 1:
                # Sorting the rows (lexicographically) makes two permutations of one set equal.
                flat_a, flat_b = a.reshape(a.shape[0], -1), b.reshape(b.shape[0], -1)
                sa = flat_a[np.lexsort(flat_a.T[::-1])] if flat_a.size else flat_a
                sb = flat_b[np.lexsort(flat_b.T[::-1])] if flat_b.size else flat_b
                if not np.array_equal(sa, sb):
                    problems.append(f"{name}: the rows are not a permutation of TensorFlow's")
    return problems


# "cut Op 'node': new input 'KEY' float32[3] = Op(x), computed by the app": the interface a cut
# fix leaves.
CUT_RE = re.compile(r"cut (\w+) '([^']+)': new input '([^']+)' (\w+)\[([-\d,]*)\] = ")

# What the user knows and litelint cannot: the shape a Python callback returns (TensorFlow does
# not record it). The zoo's py_function doubles its input, so its result has the input's shape.
USER_FIX_ARGS = {"py_function": ["--input-shape", "EagerPyFunc=3"]}


def parse_cuts(text):
    """[{key, dtype, shape, node}] for every cut `litelint fix` applied."""
    cuts = []
    for line in text.splitlines():
        m = CUT_RE.search(line) if line.startswith("  applied  ") else None
        if m:
            cuts.append({"node": m.group(2), "key": m.group(3), "dtype": m.group(4),
                         "shape": [int(d) for d in m.group(5).split(",") if d]})
    return cuts


def cut_reference(zoo, fixture, cuts, seed=0):
    """TensorFlow on the original SavedModel with each cut tensor fed: ({signature key: {output:
    array}}, {input name: array fed}, note). A cut tensor gets TensorFlow's own value computed
    from the original inputs when TensorFlow can compute it, else (a Python callback, gone with
    the process that saved it) seeded random values, as the app's callback would feed any."""
    import numpy as np
    import tensorflow as tf
    from tensorflow.core.protobuf import saved_model_pb2
    from tensorflow.python.framework.function_def_to_graph import function_def_to_graph

    sm = saved_model_pb2.SavedModel()
    sm.ParseFromString((zoo / fixture["path"] / "saved_model.pb").read_bytes())
    meta = sm.meta_graphs[0]
    library = {f.signature.name: f for f in meta.graph_def.library.function}
    main = {n.name: n for n in meta.graph_def.node}
    cut_nodes = {c["node"]: c for c in cuts}
    notes = []

    def holds_cut(fdef):
        return any(n.name in cut_nodes for n in fdef.node_def)

    def evaluate(name, args, feeds):
        fdef = library[name]
        if holds_cut(fdef):
            g = function_def_to_graph(fdef)
            with tf.compat.v1.Session(graph=g) as sess:
                # Keyed by name: TF2 tensors are not hashable.
                feed = {t.name: a for t, a in zip(g.inputs, args)}
                for n in fdef.node_def:
                    if n.name not in cut_nodes:
                        continue
                    c = cut_nodes[n.name]
                    tensor = g.get_tensor_by_name(n.name + ":0")
                    try:
                        value = sess.run(tensor, feed)
                        notes.append(f"cut '{c['key']}' fed TensorFlow's own value")
                    except Exception as e:  # a Python callback that died with its process
                        value = feeds[c["key"]]
                        notes.append(f"cut '{c['key']}' fed seeded random values "
                                     f"(TensorFlow cannot compute it: {type(e).__name__})")
                    feeds[c["key"]] = np.asarray(value).reshape(c["shape"]).astype(c["dtype"])
                    feed[tensor.name] = feeds[c["key"]]
                return sess.run(g.outputs, feed)
        # A wrapper: one call of another function, its results returned.
        calls = [n for n in fdef.node_def if n.op in ("StatefulPartitionedCall", "PartitionedCall")]
        if len(calls) != 1:
            raise ValueError(f"{name}: no single call to follow to the cut")
        call = calls[0]
        by_arg = {a.name: v for a, v in zip(fdef.signature.input_arg, args)}
        call_args = [by_arg[i.split(":")[0]] for i in call.input if not i.startswith("^")]
        outs = evaluate(call.attr["f"].func.name, call_args, feeds)
        results = []
        nodes = {n.name: n for n in fdef.node_def}
        for arg in fdef.signature.output_arg:
            node, _, index = fdef.ret[arg.name].split(":")
            while node in nodes and nodes[node].op == "Identity":  # tf.function's output Identity
                node, _, index = nodes[node].input[0].split(":")
            if node != call.name:
                raise ValueError(f"{name}: output {arg.name} does not come from the call")
            results.append(outs[int(index)])
        return results

    results, fed = {}, {}
    for key, sig in fixture["signatures"].items():
        specs = list(sig["inputs"]) + [{"name": c["key"], "dtype": c["dtype"], "shape": c["shape"]}
                                       for c in cuts]
        values = common.seeded_inputs(specs, seed)
        sig_def = meta.signature_def[key]
        call = main[sig_def.outputs[next(iter(sig_def.outputs))].name.split(":")[0]]
        positions = [i.split(":")[0] for i in call.input if not i.startswith("^")]
        args = []
        for pos in positions:
            name = next((k for k, t in sig_def.inputs.items() if t.name.split(":")[0] == pos), None)
            if name is None:  # a captured variable or constant: the main graph's Const
                raise ValueError(f"call input {pos} is not a signature input")
            args.append(values[name])
        outs = evaluate(call.attr["f"].func.name, args, values)
        results[key] = {o: outs[int(sig_def.outputs[o].name.split(":")[1])] for o in sig["outputs"]}
        fed[key] = values
    return results, fed, "; ".join(sorted(set(notes)))


def litert_run_with(data, fed):
    """{signature key: {output: array}} from LiteRT fed exactly `fed` ({key: {input: array}});
    inputs the .tflite no longer has (read only by the cut part) are left out."""
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter
    interp = Interpreter(model_content=bytes(data))
    sigs = interp.get_signature_list()
    results = {}
    for key, values in fed.items():
        tfl_key = key if key in sigs else next(iter(sigs))
        runner = interp.get_signature_runner(tfl_key)
        outs = runner(**{k: v for k, v in values.items() if k in sigs[tfl_key]["inputs"]})
        results[key] = {k: np.asarray(v) for k, v in outs.items()}
    return results


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
               *input_shape_args(f), *USER_FIX_ARGS.get(fid, []), "-o", str(out)]
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
        cuts = parse_cuts(r.stdout)
        if cuts:
            return {**row, **self.judge_cut(f, cuts, data)}
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
        if f.get("nondeterministic"):
            # A random draw cannot match TensorFlow's element by element: a fix that draws
            # (RANDOM_FIX_CHECKS) is held to what it promises, anything else to nothing.
            checks = sorted({RANDOM_FIX_CHECKS[x] for x in parsed["applied"] if x in RANDOM_FIX_CHECKS})
            if not checks:
                return {**row, "verdict": "fixed", "reason": "nondeterministic: values not compared"}
            problems = random_checks(checks, reference, data, f)
            if problems:
                return {**row, "verdict": "wrong-numbers", "reason": "; ".join(problems)[:300]}
            return {**row, "max_abs_diff": None,
                    "verdict": "fixed", "reason": "random: " + ", ".join(RANDOM_CHECK_TEXT[c] for c in checks)}
        if not result.get("outputs_match"):
            return {**row, "verdict": "wrong-numbers", "reason": result.get("reason", "")[:300]}
        return {**row, "verdict": "fixed", "reason": ""}


    def judge_cut(self, f, cuts, data):
        """The verdict of a model whose front was cut: LiteRT on the new interface beside
        TensorFlow's original model with the cut tensors fed the same values."""
        from litelint_oracle import execute
        try:
            reference, fed, note = cut_reference(self.zoo, f, cuts)
        except Exception as e:
            return {"verdict": "broken", "reason": f"no TensorFlow reference at the cut: {e}"[:300]}
        try:
            actual = litert_run_with(data, fed)
        except Exception as e:
            return {"verdict": "broken", "reason": f"LiteRT: {e}"[:300]}
        for key in reference:  # LiteRT names outputs as the signature does; match by position else
            if set(reference[key]) != set(actual.get(key, {})) and len(reference[key]) == len(actual.get(key, {})):
                actual[key] = dict(zip(sorted(reference[key]), [actual[key][k] for k in sorted(actual[key])]))
        nums = execute.compare(reference, actual)
        row = {"max_abs_diff": nums["max_abs_diff"], "max_rel_diff": nums["max_rel_diff"]}
        if not nums["match"]:
            return {**row, "verdict": "wrong-numbers", "reason": "; ".join(nums["problems"])[:300]}
        keys = ", ".join(c["key"] for c in cuts)
        return {**row, "verdict": "fixed", "reason": f"interface: new input(s) {keys}; {note}"[:300]}


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
