"""compare-keras: litelint on the Keras fixtures (keras_zoo.py) against TFLiteConverter.

    tests/oracle/compare-keras [--litelint BIN] [--zoo DIR] [--only ID ...]

Per fixture, file kind (.keras, .h5, architecture JSON) and mode (builtins, select) a check
row passes when `litelint check --format json` says `converts` as the converter did and, in
select mode, lists the same Flex ops. Per fixture and kind that TensorFlow converts with
builtins, `litelint convert` must write a .tflite that LiteRT runs within 1e-4 of
`model.predict`. Prints a table, the agreement per mode, and exits 1 when a mode is below 97%
or a conversion disagrees.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

from litelint_oracle import litelint_cli

MODES = ("builtins", "select")


def check_row(binary, path, mode, tf, custom_code=False):
    cmd = [str(binary), "check", str(path), *litelint_cli.TARGETS[mode], "--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    if r.returncode not in (0, 1):
        return False, f"exit {r.returncode}: {r.stderr.strip()[:200]}"
    doc = json.loads(r.stdout)
    if custom_code:
        # The file does not hold the layer's code: TensorFlow converts only where the Python
        # class or function is registered. litelint must refuse, naming it in an LL107 finding
        # (the manifest gives the name; older manifests said true for the zoo's Scale layer).
        name = custom_code if isinstance(custom_code, str) else "Scale"
        named = any(f.get("code") == "LL107" and name in json.dumps(f) for f in _findings(doc))
        if not named:
            return False, f"no LL107 finding naming '{name}'"
        return doc.get("converts") is False, "" if doc.get("converts") is False else "litelint says it converts"

    if doc.get("converts") != tf["success"]:
        return False, f"litelint converts={doc.get('converts')}, TensorFlow success={tf['success']}"
    if tf["success"] and mode == "select":
        got = sorted((doc.get("plan") or {}).get("flex_ops") or [])
        if got != tf["flex_ops"]:
            return False, f"flex ops {got} != {tf['flex_ops']}"
    return True, ""


def _findings(doc):
    """Every finding of a JSON report, for one model or a batch."""
    models = doc.get("models") or [doc]
    return [f for m in models for f in (m.get("findings") or [])]


def convert_row(binary, path, io, tmp):
    from ai_edge_litert.interpreter import Interpreter
    out = pathlib.Path(tmp) / (path.name + ".tflite")
    r = subprocess.run([str(binary), "convert", str(path), "-o", str(out), "--target", "builtins"],
                       capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    if r.returncode != 0 or not out.exists():
        return False, f"convert exit {r.returncode}: {(r.stderr.strip().splitlines() or [''])[-1][:200]}"
    it = Interpreter(model_path=str(out))
    ins = sorted(it.get_input_details(), key=lambda d: d["name"])
    data = [io[f"in{i}"] for i in range(len([k for k in io.files if k.startswith("in")]))]
    if len(ins) != len(data):
        return False, f"{len(ins)} inputs, Keras has {len(data)}"
    sig = it.get_signature_list().get("serving_default")
    if sig:
        runner = it.get_signature_runner("serving_default")
        names = sig["inputs"]
        feeds = {n: d for n, d in zip(names, data)}
        outs = runner(**feeds)
        got = [outs[k] for k in sorted(outs)]
    else:
        it.allocate_tensors()
        for d, x in zip(it.get_input_details(), data):
            it.resize_tensor_input(d["index"], x.shape)
        it.allocate_tensors()
        for d, x in zip(it.get_input_details(), data):
            it.set_tensor(d["index"], x)
        it.invoke()
        got = [it.get_tensor(d["index"]) for d in it.get_output_details()]
    want = [io[f"out{i}"] for i in range(len([k for k in io.files if k.startswith("out")]))]
    if len(got) != len(want):
        return False, f"{len(got)} outputs, Keras has {len(want)}"
    for g, w in zip(got, want):
        if g.shape != w.shape:
            return False, f"output shape {g.shape} != {w.shape}"
        diff = float(np.max(np.abs(g.astype(np.float64) - w))) if g.size else 0.0
        if diff > 1e-4:
            return False, f"max abs diff {diff:.3g} > 1e-4"
    return True, ""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--litelint")
    p.add_argument("--zoo", required=True, help="directory made by `python -m litelint_oracle.keras_zoo DIR`")
    p.add_argument("--only", nargs="*")
    p.add_argument("--no-convert", action="store_true")
    args = p.parse_args(argv)
    binary = litelint_cli.find_binary(args.litelint)
    zoo = pathlib.Path(args.zoo)
    manifest = json.loads((zoo / "manifest.json").read_text())
    agree = {m: [0, 0] for m in MODES}
    conv = [0, 0]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for f in manifest:
            if args.only and f["id"] not in args.only:
                continue
            io = np.load(zoo / f["io"])
            for kind, rel in f["files"].items():
                truth = f["truth"].get(kind, {})
                if "load_error" in truth:
                    continue
                for mode in MODES:
                    ok, why = check_row(binary, zoo / rel, mode, truth[mode], f.get("custom_code", False))
                    agree[mode][0] += ok
                    agree[mode][1] += 1
                    print(f"{f['id']:<28} {kind:<5} {mode:<8} {'pass' if ok else 'FAIL'}  {why}")
                if not args.no_convert and truth["builtins"]["success"] and not f.get("custom_code"):
                    try:
                        ok, why = convert_row(binary, zoo / rel, io, tmp)
                    except Exception as e:  # LiteRT refusing the file is a failed row
                        ok, why = False, f"LiteRT: {str(e).strip().splitlines()[-1][:200]}"

                    conv[0] += ok
                    conv[1] += 1
                    failed |= not ok
                    print(f"{f['id']:<28} {kind:<5} convert  {'pass' if ok else 'FAIL'}  {why}")
    for mode, (ok, n) in agree.items():
        share = ok / n if n else 1.0
        failed |= share < 0.97
        print(f"check {mode}: {ok}/{n} agree ({share:.1%})")
    print(f"convert: {conv[0]}/{conv[1]} match model.predict within 1e-4")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
