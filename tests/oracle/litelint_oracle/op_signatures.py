"""The signatures of TensorFlow's registered ops (OpDef input/output args and attrs), as data
for the op database.

TensorFlow checks every NodeDef against its OpDef when a graph is imported: ValidateNodeDef
(node_def_util.cc) wants every attr without a default, of the declared kind, and the right
number of inputs; MakeEdge (graph_constructor.cc) wants each input's dtype to be the one the
OpDef's input arg declares (fixed, or bound by a type attr such as `T`). This module writes
those signatures for the op types in rules/opdb/tf_ops.toml to rules/opdb/tf_op_signatures.toml
from the TensorFlow the oracle pins, and checks that the committed file still matches it.

    python -m litelint_oracle.op_signatures write [--out PATH]
    python -m litelint_oracle.op_signatures check

Arguments are written as in TensorFlow's REGISTER_OP: "x: T", "x: DT_FLOAT", "n: N * T",
"args: Tin" (a type list attr), with a leading "&" for reference args. Attrs are
"name: kind" (`type`, `list(type)`, `int`, `shape`, ...), with " >= M" when the OpDef sets a
minimum (ValidateAttrValue: an int's value, a list's length) and " = default" when it has a
default (the default itself is not needed).
"""
import argparse
import pathlib
import sys
import tomllib

REPO = pathlib.Path(__file__).resolve().parents[3]
OPDB = REPO / "rules" / "opdb"
TARGET = OPDB / "tf_op_signatures.toml"


def _arg(arg, types_pb2):
    ref = "&" if arg.is_ref else ""
    if arg.type_list_attr:
        return f"{arg.name}: {ref}{arg.type_list_attr}"
    base = arg.type_attr or types_pb2.DataType.Name(arg.type)
    if arg.number_attr:
        return f"{arg.name}: {ref}{arg.number_attr} * {base}"
    return f"{arg.name}: {ref}{base}"


def _attr(attr):
    text = f"{attr.name}: {attr.type}"
    if attr.has_minimum:
        text += f" >= {attr.minimum}"
    if attr.HasField("default_value"):
        text += " = default"
    return text


def signatures(op_names):
    """{op: {"inputs": [...], "outputs": [...], "attrs": [...]}} and TensorFlow's version."""
    import tensorflow as tf
    from tensorflow.core.framework import types_pb2
    from tensorflow.python.framework import op_def_registry

    out = {}
    for name in sorted(op_names):
        op_def = op_def_registry.get(name)
        if op_def is None:
            continue
        out[name] = {
            "inputs": [_arg(a, types_pb2) for a in op_def.input_arg],
            "outputs": [_arg(a, types_pb2) for a in op_def.output_arg],
            "attrs": [_attr(a) for a in op_def.attr],
        }
    return out, tf.__version__


def _strings(values):
    return "[" + ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                           for v in values) + "]"


def render(table, version):
    lines = [
        "# Signatures of TensorFlow's registered ops (OpDef input_arg, output_arg, attr), for the",
        "# op types in tf_ops.toml. TensorFlow checks every node against them at graph import",
        "# (ValidateNodeDef, and the dtype of every edge), so a node that disagrees fails",
        "# TFLiteConverter under every target (rules LL414, LL415).",
        "# Arguments: \"name: T\" (type attr), \"name: DT_FLOAT\" (fixed), \"name: N * T\" (a list of",
        "# N), \"name: Tin\" (type list attr), \"&\" before the type for reference args.",
        "# Attrs: \"name: kind\", \" >= M\" when the OpDef sets a minimum (an int's value, a list's",
        "# length), \" = default\" when the OpDef gives a default.",
        f"# Generated from TensorFlow {version} by tests/oracle/regenerate-op-signatures; do not edit.",
        "",
    ]
    for op, sig in table.items():
        lines.append(f"[{op}]")
        for key in ("inputs", "outputs", "attrs"):
            lines.append(f"{key} = {_strings(sig[key])}")
        lines.append("")
    return "\n".join(lines)


def _generate_here():
    ops = tomllib.loads((OPDB / "tf_ops.toml").read_text(encoding="utf-8"))
    table, version = signatures(ops)
    return render(table, version)


def generate():
    """The table as a fresh `import tensorflow` registers the ops. Run in a child process: the
    registry grows with what a process has done (a conversion registers TFLite's own TF-dialect
    ops such as UnidirectionalSequenceLstm), so in pytest the answer would depend on which tests
    ran first."""
    import os
    import subprocess
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(__file__).resolve().parents[1]),
               TF_CPP_MIN_LOG_LEVEL="3")
    r = subprocess.run([sys.executable, "-m", "litelint_oracle.op_signatures", "emit"],
                       capture_output=True, text=True, env=env, check=True,
                       stdin=subprocess.DEVNULL)
    return r.stdout


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["write", "check", "emit"])
    ap.add_argument("--out", type=pathlib.Path, default=TARGET)
    args = ap.parse_args(argv)
    if args.action == "emit":  # generate()'s child
        sys.stdout.write(_generate_here())
        return 0
    text = generate()
    if args.action == "write":
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    if TARGET.read_text(encoding="utf-8") != text:
        print(f"{TARGET} differs from TensorFlow's op registry; run "
              "tests/oracle/regenerate-op-signatures", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
