"""compare-optimize: `litelint convert --optimize` beside TensorFlow's converter (#17).

    tests/oracle/compare-optimize [--litelint BIN] [--only ID ...] [--modes dynamic-range float16]

For each fixture and mode, TFLiteConverter (in this process) converts the source model with
optimizations=[DEFAULT] (dynamic-range) or with supported_types=[float16] as well (float16),
and `litelint convert --optimize MODE` converts it too. Both run in LiteRT on the same seeded
inputs, and TensorFlow runs the source model. A row passes when

  - litelint's .tflite is at most 3% larger than TensorFlow's converter's, and
  - its largest absolute difference from TensorFlow's float outputs is at most 1.5 times that
    of TensorFlow's converter's optimized model, plus 1e-3.

A row is "blocked" when its fixture does not convert even without --optimize, or when only
the size fails and litelint's float model is itself over 3% larger than TensorFlow's converter's
float model: the float lowering (folding, fusion) is what is missing, not the quantization. Also shown, not judged: "quant", how much each
converter's optimization shrinks its own float model, litelint's over TensorFlow's (1.0: the
same saving; a size gap with quant near 1.0 comes from the float lowering, not from here).
Exit status: 1 if any row failed.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common, litelint_cli  # noqa: E402

FIXTURES = ("mlp", "conv_stack", "mobilenet_v2", "transformer_encoder", "embedding")
MODES = ("dynamic-range", "float16")
SIZE_RATIO = 1.03
ERROR_RATIO = 1.5
ERROR_SLACK = 1e-3


def tf_convert(zoo, fixture, mode):
    """TensorFlow's converter's .tflite bytes for `mode` (builtin ops only, its default;
    mode None: no optimization)."""
    import tensorflow as tf

    path = str(zoo / fixture["path"])
    if fixture["converter"] == "from_frozen_graph":
        converter = tf.compat.v1.lite.TFLiteConverter.from_frozen_graph(
            path, fixture["input_arrays"], fixture["output_arrays"])
    else:
        converter = tf.lite.TFLiteConverter.from_saved_model(path)
    if mode is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    return converter.convert()


def acceptable(row):
    """(passes, reason) for a row with sizes and errors filled in."""
    problems = []
    if row["bytes"] > SIZE_RATIO * row["tf_bytes"]:
        problems.append(f"{row['bytes']} bytes > {SIZE_RATIO:.2f} x TensorFlow's {row['tf_bytes']}")
    bound = ERROR_RATIO * row["tf_error"] + ERROR_SLACK
    if not row["error"] <= bound:  # NaN fails too
        problems.append(f"max abs error {row['error']:.3g} > {ERROR_RATIO} x TensorFlow's "
                        f"{row['tf_error']:.3g} + {ERROR_SLACK:g} = {bound:.3g}")
    return not problems, "; ".join(problems)


class Runner:
    """Converts and compares rows; TensorFlow's reference outputs are computed once per
    fixture."""

    def __init__(self, binary, zoo, manifest, tmp):
        self.binary, self.zoo, self.tmp = binary, zoo, pathlib.Path(tmp)
        self.fixtures = {f["id"]: f for f in manifest["fixtures"]}
        self.references = {}
        self.float_converts = {}

    def _litelint(self, fixture, out, mode=None):
        cmd = [str(self.binary), "convert", *litelint_cli.model_args(self.zoo, fixture),
               "-o", str(out), *litelint_cli.TARGETS["builtins"]]
        if mode:
            cmd += ["--optimize", mode]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                           stdin=subprocess.DEVNULL)
        if r.returncode == 0 and out.exists():
            return True, ""
        lines = (r.stderr.strip() or r.stdout.strip()).splitlines()
        return False, f"litelint convert exit {r.returncode}: {(lines[-1] if lines else '')[:240]}"

    def _float_path(self, fid):
        """(converts, reason, bytes): litelint without --optimize, and TensorFlow's size."""
        if fid not in self.float_converts:
            out = self.tmp / f"{fid}.float.tflite"
            ok, why = self._litelint(self.fixtures[fid], out)
            size = out.stat().st_size if ok else None
            out.unlink(missing_ok=True)
            try:
                tf_size = len(tf_convert(self.zoo, self.fixtures[fid], None))
            except Exception:  # noqa: BLE001
                tf_size = None
            self.float_converts[fid] = (ok, why, size, tf_size)
        return self.float_converts[fid]

    def row(self, fid, mode):
        from litelint_oracle import execute

        row = {"fixture": fid, "mode": mode}
        f = self.fixtures.get(fid)
        if f is None:
            return {**row, "status": "fail", "reason": "fixture not in the zoo"}
        try:
            tf_data = tf_convert(self.zoo, f, mode)
        except Exception as e:  # noqa: BLE001 - TensorFlow's failure is a finding, not a crash
            return {**row, "status": "skipped", "reason": f"TensorFlow cannot: {e}"[:240]}
        row["tf_bytes"] = len(tf_data)
        out = self.tmp / f"{fid}.{mode}.tflite"
        ok, why = self._litelint(f, out, mode)
        if not ok:
            float_ok, float_why, _, _ = self._float_path(fid)
            status = "fail" if float_ok else "blocked"
            return {**row, "status": status,
                    "reason": why if float_ok else f"no float conversion yet: {float_why}"}
        data = out.read_bytes()
        out.unlink()
        row["bytes"] = len(data)
        _, _, float_bytes, tf_float_bytes = self._float_path(fid)
        if float_bytes and tf_float_bytes:
            row["quant"] = (row["bytes"] / float_bytes) / (row["tf_bytes"] / tf_float_bytes)
        if fid not in self.references:
            self.references[fid] = execute.tf_reference(self.zoo, f)
        reference = self.references[fid]
        try:
            tf_result = execute.compare(reference, execute.litert_run(tf_data, f))
            ours = execute.compare(reference, execute.litert_run(data, f))
        except Exception as e:  # noqa: BLE001
            return {**row, "status": "fail", "reason": f"LiteRT: {e}"[:300]}
        missing = [p for p in ours["problems"] if "missing" in p or "shape" in p]
        if missing:
            return {**row, "status": "fail", "reason": "; ".join(missing)[:300]}
        row.update(tf_error=tf_result["max_abs_diff"], error=ours["max_abs_diff"])
        passes, reason = acceptable(row)
        if not passes and acceptable({**row, "bytes": row["tf_bytes"]})[0] and float_bytes \
                and tf_float_bytes and float_bytes > SIZE_RATIO * tf_float_bytes:
            return {**row, "status": "blocked",
                    "reason": f"{reason}; the float model is already {float_bytes} bytes to "
                              f"TensorFlow's {tf_float_bytes}"}
        return {**row, "status": "pass" if passes else "fail", "reason": reason}


def run(binary, zoo, manifest, only=None, modes=MODES):
    available, why = litelint_cli.has_subcommand(binary, "convert")
    todo = [(fid, m) for fid in (only or FIXTURES) for m in modes]
    if not available:
        return [{"fixture": fid, "mode": m, "status": "skipped", "reason": why}
                for fid, m in todo]
    with tempfile.TemporaryDirectory(prefix="litelint-optimize-") as tmp:
        runner = Runner(binary, zoo, manifest, tmp)
        return [runner.row(fid, m) for fid, m in todo]


def print_table(rows, out=sys.stdout):
    def num(v, fmt, width):
        return format(v, fmt) if isinstance(v, (int, float)) else format("-", f">{width}")
    print(f"{'fixture':<22} {'mode':<14} {'status':<8} {'bytes':>9} {'tf bytes':>9} "
          f"{'ratio':>6} {'quant':>6} {'error':>9} {'tf error':>9}  note", file=out)
    for r in rows:
        ratio = r["bytes"] / r["tf_bytes"] if r.get("bytes") and r.get("tf_bytes") else None
        print(f"{r['fixture']:<22} {r['mode']:<14} {r['status']:<8} "
              f"{num(r.get('bytes'), '9d', 9)} {num(r.get('tf_bytes'), '9d', 9)} "
              f"{num(ratio, '6.3f', 6)} {num(r.get('quant'), '6.3f', 6)} {num(r.get('error'), '9.2e', 9)} "
              f"{num(r.get('tf_error'), '9.2e', 9)}  {r.get('reason', '')}", file=out)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("pass", "fail", "blocked", "skipped")}
    print(", ".join(f"{n} {s}" for s, n in counts.items()), file=out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--litelint")
    p.add_argument("--zoo")
    p.add_argument("--only", nargs="*", help=f"fixture ids (default: {' '.join(FIXTURES)})")
    p.add_argument("--modes", nargs="*", default=list(MODES), choices=MODES)
    p.add_argument("--json")
    a = p.parse_args(argv)
    zoo, manifest = common.load_manifest(a.zoo)
    rows = run(litelint_cli.find_binary(a.litelint), zoo, manifest, a.only, a.modes)
    print_table(rows)
    if a.json:
        common.dump_json(rows, a.json)
    return 1 if any(r["status"] == "fail" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
