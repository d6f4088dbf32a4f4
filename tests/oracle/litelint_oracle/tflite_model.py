"""Reads a .tflite FlatBuffer with LiteRT's generated schema: op histogram, Flex and custom
ops, and each Flex op's custom_options (FlexBuffer vector [TF op name, NodeDef bytes]).

Imports no TensorFlow, so the runners can describe litelint's output cheaply.
"""
import collections

from ai_edge_litert import schema_py_generated as schema
from flatbuffers import flexbuffers

_BUILTIN_NAMES = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}


def _varint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def nodedef_op(nodedef):
    """The `op` field (2) of a serialized tensorflow.NodeDef, without a protobuf schema."""
    pos = 0
    while pos < len(nodedef):
        key, pos = _varint(nodedef, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(nodedef, pos)
        elif wire == 2:
            n, pos = _varint(nodedef, pos)
            if field == 2:
                return bytes(nodedef[pos:pos + n]).decode("utf-8", "replace")
            pos += n
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            return None
    return None


def _flex_options(options):
    """Returns (op name, NodeDef op) from a Flex op's custom_options, or an error string."""
    try:
        vec = flexbuffers.GetRoot(bytes(options)).AsVector
        name = vec[0].AsString
        nodedef = vec[1].AsStringBytes if vec[1].IsString else vec[1].AsBlob
        return name, nodedef_op(bytes(nodedef))
    except Exception as e:  # a malformed FlexBuffer is a finding, not a crash
        return None, f"unreadable custom_options: {e}"


def describe(data):
    """Summary of a .tflite: builtin op histogram, Flex/custom ops, signatures, size."""
    model = schema.ModelT.InitFromPackedBuf(bytearray(data), 0)
    codes = []
    for oc in model.operatorCodes or []:
        code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
        custom = oc.customCode.decode() if isinstance(oc.customCode, bytes) else oc.customCode
        codes.append((_BUILTIN_NAMES.get(code, f"BUILTIN_{code}"), custom))
    builtin, flex, custom, flex_problems = collections.Counter(), set(), set(), []
    op_count = 0
    for sg in model.subgraphs or []:
        for op in sg.operators or []:
            op_count += 1
            name, custom_code = codes[op.opcodeIndex]
            if name != "CUSTOM":
                builtin[name] += 1
            elif custom_code and custom_code.startswith("Flex"):
                tf_op = custom_code[len("Flex"):]
                flex.add(tf_op)
                opt_name, node_op = _flex_options(
                    b"" if op.customOptions is None else bytes(bytearray(op.customOptions)))
                if opt_name != tf_op or node_op != tf_op:
                    flex_problems.append(
                        f"{custom_code}: custom_options name {opt_name!r}, NodeDef op {node_op!r}")
            else:
                custom.add(custom_code)
    signatures = sorted((s.signatureKey.decode() if isinstance(s.signatureKey, bytes)
                         else s.signatureKey) for s in (model.signatureDefs or []))
    return {"builtin_ops": dict(sorted(builtin.items())), "flex_ops": sorted(flex),
            "custom_ops": sorted(custom), "op_count": op_count,
            "subgraphs": len(model.subgraphs or []), "signatures": signatures,
            "tflite_bytes": len(data), "flex_options_problems": sorted(set(flex_problems))}
