#!/usr/bin/env python3
"""Checks the op database files and writes them out as C++ tables (opdb_tables.cc).

Run by meson at build time:
    gen_opdb.py --dir rules/opdb --out opdb_tables.cc [--schema analyzer/tflite/schema.fbs]
Every problem is reported as "<file>: [<entry>:] <message>" and fails the build, so a bad
edit to a data file never reaches the binary. Standard library only (Python >= 3.11).
"""
import argparse
import pathlib
import re
import sys

if sys.version_info < (3, 11):
    sys.exit("gen_opdb.py: needs Python >= 3.11 (tomllib)")
import tomllib

STATUSES = {
    "builtin": "Builtin", "lowered": "Lowered", "removed": "Removed", "io": "Io",
    "control-flow": "ControlFlow", "control-flow-v1": "ControlFlowV1", "variable": "Variable",
    "hash-table": "HashTable", "tensor-list": "TensorList", "training": "Training",
    "flex-only": "FlexOnly", "unsupported": "Unsupported", "unregistered": "Unregistered",
    "internal": "Internal",
}
# Statuses whose entries must tell the user what to change.
NEEDS_HINT = {"flex-only", "unsupported", "unregistered", "training", "control-flow-v1"}
FALLBACKS = {"stays-tf": "StaysTf", "transpose-inserted": "TransposeInserted",
             "broadcast-to-inserted": "BroadcastToInserted", "convert-error": "ConvertError"}
CONFIDENCES = {"reference": "Reference", "derived": "Derived", "unverified": "Unverified",
               "measured": "Measured"}
CONDITION_KEYS = {
    "data_format": "DataFormat", "strides": "Strides", "dilations": "Dilations",
    "ksize": "Ksize", "padding": "Padding", "const_operands": "ConstOperands",
    "max_rank": "MaxRank", "min_rank": "MinRank", "max_effective_rank": "MaxEffectiveRank",
    "broadcast_max_rank": "BroadcastMaxRank", "static_shape": "StaticShape", "attr": "Attr",
    "lowering": "Lowering",
}
# Checks written in C++ because they are structural: `when.lowering` names a lowering's own
# legality check (rules/engine/lowerings.cc), `fusion` a fused pattern (rules/engine/fusions.cc).
LOWERINGS = {"einsum"}
FUSIONS = {"gelu-erf", "gelu-erfc"}
NUMERIC_CONDITIONS = {"max_rank", "min_rank", "max_effective_rank", "broadcast_max_rank"}
# Order = bit position = ElemType enum order in rules/engine/opdb.h.
ELEM_TYPES = ["f16", "bf16", "f32", "f64", "i2", "i4", "i8", "i16", "i32", "i64", "u4", "u8",
              "u16", "u32", "u64", "bool", "string", "complex64", "complex128", "resource",
              "variant", "qi2", "qi4", "qi8", "qi16", "qi32", "qui4", "qui8", "qui16", "qui32",
              "tf_quint8", "f8e4m3fn", "f8e5m2"]
ANY_BITS = (1 << len(ELEM_TYPES)) - 1
FLEX_SECTIONS = {"main": "Main", "tf-text": "TfText", "sentencepiece": "SentencePiece"}
DELEGATES = [("gpu", "Gpu"), ("xnnpack", "Xnnpack"), ("nnapi", "Nnapi"), ("edgetpu", "EdgeTpu")]

TF_OP_KEYS = {"status", "builtin", "dtypes", "fails_dtypes", "when", "fallback", "otherwise",
              "flex", "reason",
              "hint", "note", "evidence", "confidence", "fusion"}
BUILTIN_KEYS = {"code", "max_version", "options", "min_runtime", "dialect", "operands",
                "results", "rules", "newer_rules", "checks", "max_rank", "min_rank",
                "max_effective_rank", "broadcast_max_rank", "constraints_known"}
OPERAND_KEYS = {"name", "types", "newer_types", "optional", "variadic", "stateful", "rank"}
DELEGATE_OP_KEYS = {"max_version", "min_api", "since", "types", "constraints", "supported",
                    "version_note", "confidence"}


class Problems:
    """Collects every problem so one run reports them all."""

    def __init__(self):
        self.items = []

    def add(self, file, msg, entry=None):
        self.items.append(f"{file}: {entry + ': ' if entry else ''}{msg}")


def load_toml(path, problems):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:  # duplicate tables are reported here too
        problems.add(path.name, f"not valid TOML: {e}")
    except OSError as e:
        problems.add(path.name, f"cannot read: {e.strerror}")
    return {}


def check_sorted_unique(names, file, what, problems):
    for a, b in zip(names, names[1:]):
        if a == b:
            problems.add(file, f"{what} '{a}' appears twice")
        elif a > b:
            problems.add(file, f"{what} '{b}' is out of order (after '{a}'); keep the file sorted")


def type_bits(types, file, entry, problems):
    bits = 0
    if not isinstance(types, list):
        problems.add(file, "types must be a list of type names", entry)
        return 0
    for t in types:
        if t == "any":
            bits |= ANY_BITS
        elif t in ELEM_TYPES:
            bits |= 1 << ELEM_TYPES.index(t)
        else:
            problems.add(file, f"unknown element type '{t}' (known: {', '.join(ELEM_TYPES)}, any)",
                         entry)
    return bits


def read_flex(path, problems):
    sections = {k: [] for k in FLEX_SECTIONS}
    current = None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        problems.add(path.name, f"cannot read: {e.strerror}")
        return sections
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([a-z-]+)\]", line)
        if m:
            current = m.group(1)
            if current not in FLEX_SECTIONS:
                problems.add(path.name, f"line {n}: unknown section [{current}]")
                current = None
            continue
        if current is None:
            problems.add(path.name, f"line {n}: op name outside a [section]")
            continue
        if not re.fullmatch(r"[A-Za-z0-9_>]+", line):
            problems.add(path.name, f"line {n}: '{line}' is not an op name")
        sections[current].append(line)
    seen = {}
    for sec, names in sections.items():
        check_sorted_unique(names, path.name, f"[{sec}] op", problems)
        for name in names:
            if name in seen and seen[name] != sec:
                problems.add(path.name, f"'{name}' is in both [{seen[name]}] and [{sec}]")
            seen[name] = sec
    return sections


def schema_builtins(path, problems):
    """BuiltinOperator name -> code from our schema.fbs, to cross-check the builtin table."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        problems.add(path.name, f"cannot read: {e.strerror}")
        return {}
    m = re.search(r"enum BuiltinOperator\s*:\s*\w+\s*\{(.*?)\}", text, re.S)
    if not m:
        problems.add(path.name, "no 'enum BuiltinOperator' found")
        return {}
    body = re.sub(r"//[^\n]*", "", m.group(1))
    return {name: int(code) for name, code in re.findall(r"(\w+)\s*=\s*(-?\d+)", body)}


def cpp_str(s):
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "?":
            out.append("?")  # no trigraphs in C++17+
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def sv(s):
    return f"std::string_view{{{cpp_str(s)}}}" if s else "std::string_view{}"


class Emitter:
    def __init__(self):
        self.decls = []
        self.count = 0

    def array(self, ctype, items):
        """Emits a named constexpr array and returns a span expression for it."""
        if not items:
            return "{}"
        self.count += 1
        name = f"kArr{self.count}"
        body = ",\n    ".join(items)
        self.decls.append(f"constexpr {ctype} {name}[] = {{\n    {body},\n}};")
        return f"std::span<const {ctype}>({name})"


def build_builtins(data, problems, schema):
    file = "tflite_builtins.toml"
    names = list(data)
    check_sorted_unique(names, file, "builtin", problems)
    codes = {}
    for name, e in data.items():
        if not isinstance(e, dict):
            problems.add(file, "must be a table", name)
            continue
        for k in e:
            if k not in BUILTIN_KEYS:
                problems.add(file, f"unknown key '{k}'", name)
        code = e.get("code")
        if not isinstance(code, int):
            problems.add(file, "needs an integer code", name)
        elif code in codes:
            problems.add(file, f"code {code} also used by {codes[code]}", name)
        else:
            codes[code] = name
        mv = e.get("max_version", 0)
        for v in e.get("min_runtime", {}):
            if not v.isdigit() or not 1 <= int(v) <= max(mv, 1):
                problems.add(file, f"min_runtime has version {v} outside 1..{mv}", name)
        for part in ("operands", "results"):
            for o in e.get(part, []):
                for k in o:
                    if k not in OPERAND_KEYS:
                        problems.add(file, f"{part}: unknown key '{k}'", name)
                type_bits(o.get("types", []), file, name, problems)
                type_bits(o.get("newer_types", []), file, name, problems)
        if schema is not None and name not in schema:
            problems.add(file, "not a BuiltinOperator in analyzer/tflite/schema.fbs", name)
        elif schema is not None and isinstance(code, int) and schema[name] != code:
            problems.add(file, f"code {code} but schema.fbs says {schema[name]}", name)
    return codes


def emit_builtins(data, em):
    rows = []
    for name, e in data.items():
        versions = em.array("BuiltinVersion", [
            f"{{{int(v)}, {sv(r)}}}" for v, r in sorted(e.get("min_runtime", {}).items(),
                                                         key=lambda kv: int(kv[0]))])

        def operands(part):
            return em.array("OperandInfo", [
                "{" + ", ".join([
                    sv(o["name"]),
                    f"ElemTypeSet{{0x{type_bits(o.get('types', []), '', '', Problems()):x}ULL}}",
                    f"ElemTypeSet{{0x{type_bits(o.get('newer_types', []), '', '', Problems()):x}ULL}}",
                    "true" if o.get("optional") else "false",
                    "true" if o.get("variadic") else "false",
                    "true" if o.get("stateful") else "false",
                    str(o.get("rank", -1))]) + "}"
                for o in e.get(part, [])])

        rows.append("{" + ", ".join([
            sv(name), str(e["code"]), str(e.get("max_version", 0)), sv(e.get("options", "")),
            sv(e.get("dialect", "")), versions, operands("operands"), operands("results"),
            sv(e.get("rules", "")), sv(e.get("newer_rules", "")), sv(e.get("checks", "")),
            str(e.get("max_rank", -1)), str(e.get("min_rank", -1)),
            str(e.get("max_effective_rank", -1)), str(e.get("broadcast_max_rank", -1)),
            "false" if e.get("constraints_known") is False else "true"]) + "}")
    return rows


def input_arg_names(signature):
    """The OpDef input argument names of a tf_op_signatures.toml entry ("x: T" -> "x")."""
    return [a.split(":", 1)[0] for a in signature.get("inputs", [])]


def check_dtypes(name, dtypes, signature, file, problems):
    """`dtypes` maps each operand to the element types its builtin path takes: an OpDef input
    argument name, "output" (the op's first result), "output:<name>" (an OpDef output
    argument), or an input index ("0") for ops that are not in TensorFlow's op registry. A bare
    list would not say which operand it describes. `fails_dtypes` has the same shape."""
    if not isinstance(dtypes, dict):
        problems.add(file, "dtypes must be a table { operand = [types] } (an OpDef input name, "
                           "\"output\", or an input index)", name)
        return
    args = input_arg_names(signature) if signature else None
    outs = [a.split(":", 1)[0] for a in signature.get("outputs", [])] if signature else None
    for operand, types in dtypes.items():
        type_bits(types, file, name, problems)
        if operand.startswith("output:"):
            if outs is None or operand[len("output:"):] not in outs:
                problems.add(file, f"dtypes: '{operand}' names no output of the OpDef "
                                   f"({', '.join(outs or [])})", name)
        elif operand == "output":
            if args is not None and "output" in args:
                problems.add(file, "dtypes: 'output' is also an input name of the OpDef", name)
        elif operand.isdigit():
            if args is not None:
                problems.add(file, f"dtypes: name the operand ({', '.join(args)}), not input "
                                   f"{operand}", name)
        elif args is None:
            problems.add(file, f"dtypes: '{operand}' needs the op's signature in "
                               "tf_op_signatures.toml (or use an input index)", name)
        elif operand not in args:
            problems.add(file, f"dtypes: '{operand}' is not an input of the OpDef "
                               f"({', '.join(args)}) nor \"output\"", name)


def build_tf_ops(data, builtins, flex, problems, signatures):
    file = "tf_ops.toml"
    check_sorted_unique(list(data), file, "op", problems)
    flex_of = {n: sec for sec, names in flex.items() for n in names}
    for name, e in data.items():
        if not isinstance(e, dict):
            problems.add(file, "must be a table", name)
            continue
        for k in e:
            if k not in TF_OP_KEYS:
                problems.add(file, f"unknown key '{k}'", name)
        status = e.get("status")
        if status not in STATUSES:
            problems.add(file, f"status '{status}' is not one of {', '.join(STATUSES)}", name)
            continue
        for b in e.get("builtin", []):
            if b not in builtins:
                problems.add(file, f"builtin '{b}' is not in tflite_builtins.toml", name)
        if status in ("builtin", "lowered") and not e.get("builtin") and status == "builtin":
            problems.add(file, "status builtin needs a builtin list", name)
        check_dtypes(name, e.get("dtypes", {}), signatures.get(name), file, problems)
        check_dtypes(name, e.get("fails_dtypes", {}), signatures.get(name), file, problems)
        for operand, types in e.get("fails_dtypes", {}).items():
            if set(types) & set(e.get("dtypes", {}).get(operand, [])):
                problems.add(file, f"fails_dtypes: '{operand}' lists types dtypes accepts", name)
        for k, v in e.get("when", {}).items():
            if k not in CONDITION_KEYS:
                problems.add(file, f"when: unknown condition '{k}'", name)
            elif k in NUMERIC_CONDITIONS and not isinstance(v, int):
                problems.add(file, f"when: {k} must be a number", name)
            elif k not in NUMERIC_CONDITIONS and not isinstance(v, str):
                problems.add(file, f"when: {k} must be a string", name)
            elif k == "lowering" and v not in LOWERINGS:
                problems.add(file, f"when: lowering '{v}' is not one of {', '.join(sorted(LOWERINGS))}",
                             name)
        if "fusion" in e:
            if e["fusion"] not in FUSIONS:
                problems.add(file, f"fusion '{e['fusion']}' is not one of {', '.join(sorted(FUSIONS))}",
                             name)
            if not e.get("builtin"):
                problems.add(file, "fusion needs the fused builtin in `builtin`", name)
        for k, v in e.get("fallback", {}).items():
            if k not in e.get("when", {}):
                problems.add(file, f"fallback for '{k}', which is not in when", name)
            if v not in FALLBACKS:
                problems.add(file, f"fallback '{v}' is not one of {', '.join(FALLBACKS)}", name)
        if "otherwise" in e and e["otherwise"] not in FALLBACKS:
            problems.add(file, f"otherwise '{e['otherwise']}' is not one of {', '.join(FALLBACKS)}",
                         name)
        if "confidence" in e and e["confidence"] not in CONFIDENCES:
            problems.add(file, f"confidence '{e['confidence']}' is not one of "
                               f"{', '.join(CONFIDENCES)}", name)
        if status != "builtin" and not e.get("reason"):
            problems.add(file, f"status {status} needs a reason", name)
        if status in NEEDS_HINT and not e.get("hint"):
            problems.add(file, f"status {status} needs a hint", name)
        fl = e.get("flex")
        want = flex_of.get(name)
        expected = True if want == "main" else (want if want else False)
        if fl != expected:
            problems.add(file, f"flex = {fl!r} but select_tf_ops.txt says {expected!r}", name)
        if status == "flex-only" and not want:
            problems.add(file, "flex-only but not on select_tf_ops.txt", name)
        if status == "unsupported" and want:
            problems.add(file, "unsupported but on select_tf_ops.txt (use flex-only)", name)
    for name in flex_of:
        if name not in data:
            problems.add(file, f"allowlisted op '{name}' (select_tf_ops.txt) has no entry")


def build_attr_values(data, tf_ops, problems):
    file = "tf_attr_values.toml"
    check_sorted_unique(list(data), file, "op", problems)
    for op, attrs in data.items():
        if op not in tf_ops:
            problems.add(file, "op is not in tf_ops.toml", op)
        if not isinstance(attrs, dict) or not attrs:
            problems.add(file, "must be a table of attr = [values]", op)
            continue
        for attr, values in attrs.items():
            if (not isinstance(values, list) or not values
                    or not all(isinstance(v, str) for v in values)):
                problems.add(file, f"{attr}: must be a non-empty list of strings", op)


def emit_tf_ops(data, attr_values, em):
    rows = []
    for name, e in data.items():
        allowed = em.array("AllowedAttrValues", [
            "{" + sv(attr) + ", " + em.array("std::string_view", [sv(v) for v in values]) + "}"
            for attr, values in attr_values.get(name, {}).items()])
        builtins = em.array("std::string_view", [sv(b) for b in e.get("builtin", [])])
        lists = e.get("dtypes", {})
        operand_types = em.array("OperandTypes", [
            "{" + sv(k) + f", ElemTypeSet{{0x{type_bits(v, '', '', Problems()):x}ULL}}}}"
            for k, v in lists.items()])
        fails_types = em.array("OperandTypes", [
            "{" + sv(k) + f", ElemTypeSet{{0x{type_bits(v, '', '', Problems()):x}ULL}}}}"
            for k, v in e.get("fails_dtypes", {}).items()])
        # The first list is the main data operand's: reports and the converter read it.
        dtypes = type_bits(next(iter(lists.values())), "", "", Problems()) if lists else ANY_BITS
        fallback = e.get("fallback", {})
        default = e.get("otherwise")
        conds = []
        for k, v in e.get("when", {}).items():
            fb = fallback.get(k, default)
            conds.append("{" + ", ".join([
                f"ConditionKey::{CONDITION_KEYS[k]}", sv(str(v)),
                str(v) if isinstance(v, int) else "-1",
                f"Fallback::{FALLBACKS[fb]}" if fb else "Fallback::None"]) + "}")
        when = em.array("Condition", conds)
        fl = e.get("flex")
        flex = "FlexList::Main" if fl is True else (
            f"FlexList::{FLEX_SECTIONS[fl]}" if isinstance(fl, str) else "FlexList::None")
        rows.append("{" + ", ".join([
            sv(name), f"TfOpStatus::{STATUSES[e['status']]}", builtins,
            f"ElemTypeSet{{0x{dtypes:x}ULL}}", operand_types, fails_types, when,
            f"Fallback::{FALLBACKS[default]}" if default else "Fallback::None", flex,
            f"Confidence::{CONFIDENCES[e.get('confidence', 'reference')]}",
            sv(e.get("reason", "")), sv(e.get("hint", "")), sv(e.get("note", "")),
            sv(e.get("evidence", "")), sv(e.get("fusion", "")), allowed]) + "}")
    return rows


def build_delegate(name, data, builtins, problems):
    file = f"delegates/{name}.toml"
    if data.get("name") != name:
        problems.add(file, f"name must be \"{name}\"")
    for section in ("ops", "custom"):
        entries = data.get(section, {})
        check_sorted_unique(list(entries), file, section[:-1] if section == "ops" else "custom op",
                            problems)
        for op, e in entries.items():
            if section == "ops" and op not in builtins:
                problems.add(file, "not a builtin in tflite_builtins.toml", op)
            for k in e:
                if k not in DELEGATE_OP_KEYS:
                    problems.add(file, f"unknown key '{k}'", op)
            if "confidence" in e and e["confidence"] not in CONFIDENCES:
                problems.add(file, f"confidence '{e['confidence']}' unknown", op)
    for k in data:
        if k not in ("name", "rules", "ops", "custom"):
            problems.add(file, f"unknown top-level key '{k}'")


def emit_delegate(enum, data, em):
    def ops(section, custom):
        return em.array("DelegateOpInfo", [
            "{" + ", ".join([
                sv(op), "true" if custom else "false",
                "false" if e.get("supported") is False else "true",
                str(e.get("max_version", 0)), sv(e.get("min_api", "")), sv(e.get("since", "")),
                sv(e.get("types", "")), sv(e.get("constraints", "")),
                sv(e.get("version_note", "")),
                f"Confidence::{CONFIDENCES[e.get('confidence', 'reference')]}"]) + "}"
            for op, e in data.get(section, {}).items()])
    rules = em.array("std::string_view", [sv(r) for r in data.get("rules", [])])
    return "{" + ", ".join([f"Delegate::{enum}", sv(data.get("name", "")), rules,
                            ops("ops", False), ops("custom", True)]) + "}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, type=pathlib.Path, help="rules/opdb directory")
    ap.add_argument("--out", required=True, type=pathlib.Path, help="opdb_tables.cc to write")
    ap.add_argument("--schema", type=pathlib.Path, help="schema.fbs to cross-check builtin codes")
    args = ap.parse_args()
    problems = Problems()

    builtins = load_toml(args.dir / "tflite_builtins.toml", problems)
    tf_ops = load_toml(args.dir / "tf_ops.toml", problems)
    attr_values = load_toml(args.dir / "tf_attr_values.toml", problems)
    signatures = load_toml(args.dir / "tf_op_signatures.toml", problems)
    flex = read_flex(args.dir / "select_tf_ops.txt", problems)
    delegates = {n: load_toml(args.dir / "delegates" / f"{n}.toml", problems) for n, _ in DELEGATES}
    schema = schema_builtins(args.schema, problems) if args.schema else None
    if not problems.items:
        build_builtins(builtins, problems, schema)
        build_tf_ops(tf_ops, builtins, flex, problems, signatures)
        build_attr_values(attr_values, tf_ops, problems)
        for n, _ in DELEGATES:
            build_delegate(n, delegates[n], builtins, problems)
    if problems.items:
        for p in problems.items:
            print(f"gen_opdb.py: {p}", file=sys.stderr)
        sys.exit(f"gen_opdb.py: {len(problems.items)} problem(s) in {args.dir}")

    em = Emitter()
    builtin_rows = emit_builtins(builtins, em)
    tf_rows = emit_tf_ops(tf_ops, attr_values, em)
    delegate_rows = [emit_delegate(enum, delegates[n], em) for n, enum in DELEGATES]
    flex_spans = {sec: em.array("std::string_view", [sv(n) for n in names])
                  for sec, names in flex.items()}

    out = [
        "// Generated by rules/opdb/gen_opdb.py from rules/opdb/*.toml and select_tf_ops.txt.",
        "// Do not edit; change the data files instead.",
        '#include "rules/engine/opdb.h"',
        "",
        "namespace litelint::rules::detail {",
        "namespace {",
        "",
        *em.decls,
        "",
        "constexpr TfliteBuiltinInfo kBuiltins[] = {\n    " + ",\n    ".join(builtin_rows) + ",\n};",
        "",
        "constexpr TfOpInfo kTfOps[] = {\n    " + ",\n    ".join(tf_rows) + ",\n};",
        "",
        "constexpr DelegateInfo kDelegates[] = {\n    " + ",\n    ".join(delegate_rows) + ",\n};",
        "",
        "}  // namespace",
        "",
        "std::span<const TfOpInfo> tf_op_table() { return kTfOps; }",
        "std::span<const TfliteBuiltinInfo> builtin_table() { return kBuiltins; }",
        "std::span<const DelegateInfo> delegate_table() { return kDelegates; }",
        "std::span<const std::string_view> flex_table(FlexList list) {",
        "  switch (list) {",
        f"    case FlexList::Main: return {flex_spans['main']};",
        f"    case FlexList::TfText: return {flex_spans['tf-text']};",
        f"    case FlexList::SentencePiece: return {flex_spans['sentencepiece']};",
        "    case FlexList::None: break;",
        "  }",
        "  return {};",
        "}",
        "",
        "}  // namespace litelint::rules::detail",
        "",
    ]
    text = "\n".join(out)
    if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
