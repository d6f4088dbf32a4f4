"""The restricted attribute values of TensorFlow's op registry, as data for the op database.

TensorFlow validates every NodeDef against its OpDef when a graph is imported
(ValidateNodeDef): a string or type attribute outside the OpDef's `allowed_values` fails the
import, so TFLiteConverter fails before converting anything. This module writes those
restrictions for the op types in rules/opdb/tf_ops.toml to rules/opdb/tf_attr_values.toml,
from the TensorFlow the oracle pins, and checks that the committed file still matches it.

    python -m litelint_oracle.attr_values write [--out PATH]
    python -m litelint_oracle.attr_values check
"""
import argparse
import pathlib
import sys
import tomllib

REPO = pathlib.Path(__file__).resolve().parents[3]
OPDB = REPO / "rules" / "opdb"
TARGET = OPDB / "tf_attr_values.toml"


def restricted_attrs(op_names):
    """{op: {attr: [allowed values]}}: string values as written, types as DT_* enum names."""
    import tensorflow as tf
    from tensorflow.core.framework import types_pb2
    from tensorflow.python.framework import op_def_registry

    out = {}
    for name in sorted(op_names):
        op_def = op_def_registry.get(name)
        if op_def is None:
            continue
        attrs = {}
        for a in op_def.attr:
            allowed = a.allowed_values.list
            if a.type in ("string", "list(string)") and allowed.s:
                attrs[a.name] = [s.decode("utf-8") for s in allowed.s]
            elif a.type in ("type", "list(type)") and allowed.type:
                attrs[a.name] = [types_pb2.DataType.Name(t) for t in allowed.type]
        if attrs:
            out[name] = attrs
    return out, tf.__version__


def render(attrs, version):
    lines = [
        "# Restricted attribute values of TensorFlow's op registry (OpDef allowed_values), for the",
        "# op types in tf_ops.toml. TensorFlow checks every node against them at graph import, so",
        "# a node with any other value fails TFLiteConverter under every target (rule LL409).",
        "# String attributes list their values, type attributes DataType enum names.",
        f"# Generated from TensorFlow {version} by tests/oracle/regenerate-attr-values; do not edit.",
        "",
    ]
    for op, table in attrs.items():
        lines.append(f"[{op}]")
        for attr, values in table.items():
            quoted = ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                               for v in values)
            lines.append(f"{attr} = [{quoted}]")
        lines.append("")
    return "\n".join(lines)


def generate():
    ops = tomllib.loads((OPDB / "tf_ops.toml").read_text(encoding="utf-8"))
    attrs, version = restricted_attrs(ops)
    return render(attrs, version)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["write", "check"])
    ap.add_argument("--out", type=pathlib.Path, default=TARGET)
    args = ap.parse_args(argv)
    text = generate()
    if args.action == "write":
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    if TARGET.read_text(encoding="utf-8") != text:
        print(f"{TARGET} differs from TensorFlow's op registry; run "
              "tests/oracle/regenerate-attr-values", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
