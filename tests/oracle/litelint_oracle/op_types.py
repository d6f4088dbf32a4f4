"""The op x element type sweep: what TFLiteConverter does with each TF op the op database
calls `builtin` or `lowered`, per element type TensorFlow can build it with.

For every such op and every type attr that types one of its inputs or outputs (T, Tindices,
TI, ...), the sweep builds one tiny GraphDef per element type the OpDef allows for that attr
(of f32 f16 f64 i8 u8 i16 i32 i64 u32 bool complex64), with the other type attrs at a
default, and converts it with `TFLiteConverter.from_frozen_graph` under builtins (default
settings) and, when that fails, with SELECT_TF_OPS. The outcome per case is `builtin` (converts
with builtins), `flex` (needs Select TF ops) or `fails` (neither). The data inputs are
placeholders, so nothing is constant-folded away; axes, shapes and sizes are constants, as the
converter's patterns want them.

    python -m litelint_oracle.op_types build [--out DIR]      GraphDefs into the cache
    python -m litelint_oracle.op_types write [--jobs N]       regenerate the committed table
    python -m litelint_oracle.op_types compare [--litelint BIN] [--only OP ...]
    python -m litelint_oracle.op_types suggest     the dtypes tables the table asks for
    python -m litelint_oracle.op_types doc         rewrite docs/op-types.md from the table

The table is tests/oracle/truth-op-types/op_types.json, summarized in docs/op-types.md (both
written by tests/oracle/regenerate-op-types);
the graphs live in the cache (sweep-<hash>, keyed by this file and the pinned requirements),
and the suite (tests/test_op_types.py) runs `litelint check` on each of them and compares
with the table: litelint's op database must agree with the converter.
"""
import argparse
import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import tomllib

from litelint_oracle import common

TRUTH = common.ORACLE_DIR / "truth-op-types" / "op_types.json"
OPDB = common.REPO_ROOT / "rules" / "opdb" / "tf_ops.toml"
KNOWN = common.ORACLE_DIR / "truth-op-types" / "known_disagreements.json"

# The element types swept, in opdb spelling (rules/opdb/tf_ops.toml) -> TensorFlow's name.
TYPES = {"f32": "float32", "f16": "float16", "f64": "float64", "i8": "int8", "u8": "uint8",
         "i16": "int16", "i32": "int32", "i64": "int64", "u32": "uint32", "bool": "bool",
         "complex64": "complex64"}
# A type attr that is not swept is set to the first of these its OpDef allows.
DEFAULT_ORDER = ["f32", "i32", "i64", "bool", "complex64", "u8", "i8", "i16", "f16", "f64", "u32"]


def sweep_key():
    h = hashlib.sha256()
    for f in (pathlib.Path(__file__), common.ORACLE_DIR / "requirements.txt"):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def sweep_dir():
    return common.cache_dir() / f"sweep-{sweep_key()}"


# ----------------------------------------------------------------------------- recipes
# An input is D(shape) (a placeholder: the data), K(value) (a constant) or L(n, spec) (a list
# of n such inputs, for `N * T` arguments). Its dtype is the one its OpDef argument has: fixed,
# or bound by a type attr. An input a recipe does not name is D([2, 3]).


class D:
    def __init__(self, shape, values=None):
        self.shape, self.values = shape, values


class K:
    def __init__(self, value):
        self.value = value


class L:
    def __init__(self, n, spec):
        self.n, self.spec = n, spec


def R(inputs=None, attrs=None, fixed=None, skip=None):
    """A recipe: inputs by OpDef arg name, non-type attrs, type attrs held at a value (not
    swept), and the reason the op is not swept at all (skip)."""
    return {"inputs": inputs or {}, "attrs": attrs or {}, "fixed": fixed or {}, "skip": skip}


IMG = [1, 4, 4, 2]
NHWC = {"strides": [1, 1, 1, 1], "padding": "VALID"}
RECIPES = {
    "AddN": R({"inputs": L(2, D([2, 3]))}),
    "All": R({"reduction_indices": K([1])}),
    "Any": R({"reduction_indices": K([1])}),
    "ApproxTopK": R({"input": D([2, 8])}, {"k": 2}),
    "ArgMax": R({"dimension": K(1)}),
    "ArgMin": R({"dimension": K(1)}),
    "AvgPool": R({"value": D(IMG)}, {"ksize": [1, 2, 2, 1], **NHWC}),
    "BatchMatMul": R({"x": D([2, 2, 3]), "y": D([2, 3, 4])}),
    "BatchMatMulV2": R({"x": D([2, 2, 3]), "y": D([2, 3, 4])}),
    "BatchMatMulV3": R({"x": D([2, 2, 3]), "y": D([2, 3, 4])}),
    "BatchToSpaceND": R({"input": D([4, 2, 2, 1]), "block_shape": K([2, 2]),
                         "crops": K([[0, 0], [0, 0]])}),
    "BiasAdd": R({"value": D([2, 3]), "bias": D([3])}),
    "BiasAddV1": R({"value": D([2, 3]), "bias": D([3])}),
    "BatchNormWithGlobalNormalization": R(skip="removed from GraphDef version 9: TensorFlow "
                                              "no longer builds it"),
    "Bitcast": R(skip="reinterprets bits: the output type is a second attr, not one operand's"),
    "BroadcastArgs": R({"s0": D([2]), "s1": D([2])}),
    "BroadcastTo": R({"input": D([1, 3]), "shape": K([2, 3])}),
    "Bucketize": R({}, {"boundaries": [0.0, 1.0]}),
    "Cast": R({}, fixed={"DstT": "f32"}),
    "Concat": R({"concat_dim": K(0), "values": L(2, D([2, 3]))}),
    "ConcatV2": R({"values": L(2, D([2, 3])), "axis": K(0)}),
    "Conv2D": R({"input": D(IMG), "filter": K([[[[1.0, 0.5], [0.5, 1.0]]]])}, NHWC),
    "Conv2DBackpropInput": R({"input_sizes": K([1, 4, 4, 2]), "filter": K([[[[1.0, 0.5],
                             [0.5, 1.0]]]]), "out_backprop": D(IMG)}, NHWC),
    "Conv3D": R({"input": D([1, 2, 4, 4, 2]), "filter": K([[[[[1.0, 0.5], [0.5, 1.0]]]]])},
                {"strides": [1, 1, 1, 1, 1], "padding": "VALID"}),
    "Conv3DBackpropInputV2": R({"input_sizes": K([1, 2, 4, 4, 2]),
                                "filter": K([[[[[1.0, 0.5], [0.5, 1.0]]]]]),
                                "out_backprop": D([1, 2, 4, 4, 2])},
                               {"strides": [1, 1, 1, 1, 1], "padding": "VALID"}),
    "Cumsum": R({"axis": K(1)}),
    "DepthToSpace": R({"input": D([1, 2, 2, 4])}, {"block_size": 2}),
    "DepthwiseConv2dNative": R({"input": D(IMG), "filter": K([[[[1.0], [0.5]]]])}, NHWC),
    "Dequantize": R({"min_range": K(0.0), "max_range": K(1.0)}),
    "DynamicStitch": R({"indices": L(2, K([0, 1])), "data": L(2, D([2, 3]))}),
    "ParallelDynamicStitch": R({"indices": L(2, K([0, 1])), "data": L(2, D([2, 3]))}),
    "Einsum": R({"inputs": L(2, D([2, 3]))}, {"equation": "ij,ij->i"}),
    "Empty": R({"shape": K([2, 3])}),
    "ExpandDims": R({"dim": K(0)}),
    "FakeQuantWithMinMaxVars": R({"min": K(-1.0), "max": K(1.0)}),
    "FakeQuantWithMinMaxVarsPerChannel": R({"min": K([-1.0, -1.0, -1.0]),
                                            "max": K([1.0, 1.0, 1.0])}),
    "Fill": R({"dims": K([2, 3]), "value": D([])}),
    "FusedBatchNorm": R({"x": D(IMG), "scale": K([1.0, 2.0]), "offset": K([0.0, 0.5]),
                         "mean": K([0.0, 1.0]), "variance": K([1.0, 1.0])},
                        {"is_training": False}),
    "FusedBatchNormV2": R({"x": D(IMG), "scale": K([1.0, 2.0]), "offset": K([0.0, 0.5]),
                           "mean": K([0.0, 1.0]), "variance": K([1.0, 1.0])},
                          {"is_training": False}),
    "FusedBatchNormV3": R({"x": D(IMG), "scale": K([1.0, 2.0]), "offset": K([0.0, 0.5]),
                           "mean": K([0.0, 1.0]), "variance": K([1.0, 1.0])},
                          {"is_training": False}),
    "Gather": R({"indices": K([1, 0])}),
    "GatherNd": R({"indices": K([[1], [0]])}),
    "GatherV2": R({"indices": K([1, 0]), "axis": K(0)}),
    "InvertPermutation": R({"x": D([4])}),
    "LRN": R({"input": D(IMG)}),
    "MatMul": R({"a": D([2, 3]), "b": D([3, 4])}),
    "MatrixDiag": R({"diagonal": D([2, 3])}),
    "MatrixDiagV2": R({"diagonal": D([2, 3]), "k": K(0), "num_rows": K(-1), "num_cols": K(-1),
                       "padding_value": K(0)}),
    "MatrixDiagV3": R({"diagonal": D([2, 3]), "k": K(0), "num_rows": K(-1), "num_cols": K(-1),
                       "padding_value": K(0)}),
    "MatrixSetDiag": R({"input": D([2, 3, 3]), "diagonal": D([2, 3])}),
    "MatrixSetDiagV2": R({"input": D([2, 3, 3]), "diagonal": D([2, 3]), "k": K(0)}),
    "MatrixSetDiagV3": R({"input": D([2, 3, 3]), "diagonal": D([2, 3]), "k": K(0)}),
    "Max": R({"reduction_indices": K([1])}),
    "MaxPool": R({"input": D(IMG)}, {"ksize": [1, 2, 2, 1], **NHWC}),
    "Mean": R({"reduction_indices": K([1])}),
    "Min": R({"reduction_indices": K([1])}),
    "MirrorPad": R({"paddings": K([[1, 1], [1, 1]])}, {"mode": "REFLECT"}),
    "Multinomial": R({"num_samples": K(2)}, {"seed": 1, "seed2": 2}),
    "NonMaxSuppressionV3": R({"boxes": D([4, 4]), "scores": D([4]), "max_output_size": K(2),
                              "iou_threshold": K(0.5), "score_threshold": K(0.1)}),
    "NonMaxSuppressionV4": R({"boxes": D([4, 4]), "scores": D([4]), "max_output_size": K(2),
                              "iou_threshold": K(0.5), "score_threshold": K(0.1)},
                             {"pad_to_max_output_size": True}),
    "NonMaxSuppressionV5": R({"boxes": D([4, 4]), "scores": D([4]), "max_output_size": K(2),
                              "iou_threshold": K(0.5), "score_threshold": K(0.1),
                              "soft_nms_sigma": K(0.0)}, {"pad_to_max_output_size": True}),
    "OneHot": R({"indices": D([3]), "depth": K(4), "on_value": K(1), "off_value": K(0)}),
    "Pack": R({"values": L(2, D([2, 3]))}),
    "Pad": R({"paddings": K([[1, 1], [1, 1]])}),
    "PadV2": R({"paddings": K([[1, 1], [1, 1]]), "constant_values": K(0)}),
    "Prod": R({"reduction_indices": K([1])}),
    "QuantizeAndDequantizeV4": R({"input_min": K(-1.0), "input_max": K(1.0)},
                                 {"range_given": True}),
    "RFFT": R({"input": D([8]), "fft_length": K([8])}),
    "RFFT2D": R({"input": D([4, 8]), "fft_length": K([4, 8])}),
    "RandomStandardNormal": R({"shape": K([2, 3])}, {"seed": 1, "seed2": 2}),
    "RandomUniform": R({"shape": K([2, 3])}, {"seed": 1, "seed2": 2}),
    "Range": R({"start": D([]), "limit": K(10), "delta": K(1)}),
    "Reshape": R({"shape": K([3, 2])}),
    "ResizeBilinear": R({"images": D(IMG), "size": K([8, 8])}),
    "ResizeNearestNeighbor": R({"images": D(IMG), "size": K([8, 8])}),
    "ResourceGather": R(skip="reads a resource variable: the sweep's graphs have none"),
    "ReverseSequence": R({"input": D([2, 3]), "seq_lengths": K([2, 1])},
                         {"seq_dim": 1, "batch_dim": 0}),
    "ReverseV2": R({"axis": K([1])}),
    "Roll": R({"shift": K(1), "axis": K(1)}),
    "ScatterNd": R({"indices": K([[1], [0]]), "updates": D([2, 3]), "shape": K([4, 3])}),
    "SegmentSum": R({"segment_ids": K([0, 1])}),
    "Select": R({"condition": D([2, 3]), "t": D([2, 3]), "e": D([2, 3])}),
    "SelectV2": R({"condition": D([2, 3]), "t": D([2, 3]), "e": D([2, 3])}),
    "Shape": R({}, fixed={"out_type": "i32"}),
    "ShapeN": R({"input": L(2, D([2, 3]))}, fixed={"out_type": "i32"}),
    "Size": R({}, fixed={"out_type": "i32"}),
    "Slice": R({"begin": K([0, 1]), "size": K([1, 2])}),
    "SoftmaxCrossEntropyWithLogits": R({"features": D([2, 3]), "labels": D([2, 3])}),
    "SpaceToBatchND": R({"input": D([1, 4, 4, 1]), "block_shape": K([2, 2]),
                         "paddings": K([[0, 0], [0, 0]])}),
    "SpaceToDepth": R({"input": D([1, 4, 4, 1])}, {"block_size": 2}),
    "SparseMatMul": R({"a": D([2, 3]), "b": D([3, 4])}),
    "SparseSoftmaxCrossEntropyWithLogits": R({"features": D([2, 3]), "labels": K([0, 2])}),
    "SparseToDense": R({"sparse_indices": K([[0, 1], [1, 2]]), "output_shape": K([2, 3]),
                        "sparse_values": D([2]), "default_value": K(0)}),
    "Split": R({"split_dim": K(1), "value": D([2, 4])}, {"num_split": 2}),
    "SplitV": R({"value": D([2, 4]), "size_splits": K([1, 3]), "split_dim": K(1)},
                {"num_split": 2}),
    "Squeeze": R({"input": D([2, 1, 3])}),
    "StridedSlice": R({"begin": K([0, 1]), "end": K([2, 3]), "strides": K([1, 1])}),
    "Sum": R({"reduction_indices": K([1])}),
    "TensorScatterAdd": R({"tensor": D([4, 3]), "indices": K([[1], [0]]), "updates": D([2, 3])}),
    "TensorScatterUpdate": R({"tensor": D([4, 3]), "indices": K([[1], [0]]),
                              "updates": D([2, 3])}),
    "Tile": R({"multiples": K([2, 1])}),
    "TopKV2": R({"input": D([2, 8]), "k": K(2)}),
    "Transpose": R({"perm": K([1, 0])}),
    "UnidirectionalSequenceLstm": R(skip="TFLite's own TF-dialect op: not in TensorFlow's op "
                                         "registry, so no GraphDef can hold it"),
    "UnidirectionalSequenceRnn": R(skip="TFLite's own TF-dialect op: not in TensorFlow's op "
                                        "registry, so no GraphDef can hold it"),
    "Unique": R({"x": D([6])}, fixed={"out_idx": "i32"}),
    "Unpack": R({"value": D([2, 3])}, {"num": 2}),
    "UnsortedSegmentMax": R({"segment_ids": K([0, 1]), "num_segments": K(2)}),
    "UnsortedSegmentMin": R({"segment_ids": K([0, 1]), "num_segments": K(2)}),
    "UnsortedSegmentProd": R({"segment_ids": K([0, 1]), "num_segments": K(2)}),
    "UnsortedSegmentSum": R({"segment_ids": K([0, 1]), "num_segments": K(2)}),
    "XlaDynamicUpdateSlice": R({"input": D([4, 3]), "update": D([2, 3]), "indices": K([1, 0])}),
    "_UnaryOpsComposition": R({}, {"op_names": ["Abs", "Relu"]}),
}


def swept_ops():
    """The ops with status builtin or lowered in rules/opdb/tf_ops.toml, sorted."""
    data = tomllib.loads(OPDB.read_text(encoding="utf-8"))
    return sorted(n for n, e in data.items() if e.get("status") in ("builtin", "lowered"))


# ----------------------------------------------------------------------------- building

def _op_def(op):
    from tensorflow.python.framework import op_def_registry
    return op_def_registry.get(op)


def _allowed(attr):
    """Sweep types an OpDef type attr allows (all of them when it is unrestricted)."""
    import tensorflow as tf
    listed = {tf.dtypes.as_dtype(t).name for t in attr.allowed_values.list.type}
    return [k for k, v in TYPES.items() if not listed or v in listed]


def _type_attrs(op_def):
    """Type attrs that type a data argument (input or output), in OpDef order."""
    used = {a.type_attr for a in list(op_def.input_arg) + list(op_def.output_arg)}
    return [a for a in op_def.attr if a.type == "type" and a.name in used]


def cases(ops=None):
    """[(case id, op, swept attr, type, {attr: type})] and {op: reason} for ops not swept."""
    import tensorflow as tf
    out, skipped = [], {}
    for op in ops or swept_ops():
        recipe = RECIPES.get(op, R())
        if recipe["skip"]:
            skipped[op] = recipe["skip"]
            continue
        op_def = _op_def(op)
        if op_def is None:
            skipped[op] = "not in TensorFlow's op registry"
            continue
        attrs = _type_attrs(op_def)
        if not attrs:
            skipped[op] = "no type attr: the OpDef fixes every operand's type"
            continue
        defaults = {}
        for a in attrs:
            if a.name in recipe["fixed"]:
                defaults[a.name] = recipe["fixed"][a.name]
            else:  # float32, else int32, ...: what tf.* functions build (not the OpDef default,
                # e.g. SplitV's int64 Tlen, which the converter does not take)
                defaults[a.name] = next((t for t in DEFAULT_ORDER if t in _allowed(a)), None)
        unset = [n for n, t in defaults.items() if t is None]
        if unset:
            skipped[op] = f"type attr {unset[0]} allows none of the swept types"
            continue
        for a in attrs:
            if a.name in recipe["fixed"]:
                continue
            for t in _allowed(a):
                types = dict(defaults, **{a.name: t})
                out.append((f"{op}.{a.name}={t}", op, a.name, t, types))
    return out, skipped


def _values(value, dtype, np):
    arr = np.array(value)
    if dtype.is_bool:
        return arr.astype(bool)
    if dtype.is_complex:
        return arr.astype(dtype.as_numpy_dtype)
    return arr.astype(dtype.as_numpy_dtype)


def build_graph(op, types):
    """(GraphDef, input names, output names) for one case; raises when TensorFlow refuses."""
    import numpy as np
    import tensorflow as tf
    from tensorflow.python.framework import op_def_library

    recipe = RECIPES.get(op, R())
    op_def = _op_def(op)
    graph = tf.Graph()
    inputs = []
    with graph.as_default():
        def dtype_of(arg):
            if arg.type_attr:
                return tf.dtypes.as_dtype(TYPES[types[arg.type_attr]])
            return tf.dtypes.as_dtype(arg.type)

        def make(spec, dtype, name):
            if isinstance(spec, K):
                return tf.constant(_values(spec.value, dtype, np), dtype=dtype, name=name)
            x = tf.compat.v1.placeholder(dtype, spec.shape, name=name)
            inputs.append(name)
            return x

        kwargs = {}
        for arg in op_def.input_arg:
            spec = recipe["inputs"].get(arg.name, D([2, 3]))
            dtype = dtype_of(arg)
            if arg.number_attr:
                n = spec.n if isinstance(spec, L) else 2
                one = spec.spec if isinstance(spec, L) else spec
                kwargs[arg.name] = [make(one, dtype, f"{arg.name}_{i}") for i in range(n)]
            else:
                kwargs[arg.name] = make(spec, dtype, arg.name)
        for a in _type_attrs(op_def):
            if not any(a.name == x.type_attr for x in op_def.input_arg):
                kwargs[a.name] = tf.dtypes.as_dtype(TYPES[types[a.name]])
        kwargs.update(recipe["attrs"])
        inferred = {a.number_attr for a in op_def.input_arg} | {
            a.type_attr for a in op_def.input_arg} | {a.type_list_attr for a in op_def.input_arg}
        for a in op_def.attr:
            if a.name not in kwargs and a.name not in inferred and a.HasField("default_value"):
                kwargs[a.name] = _attr_default(a.default_value, tf)
        _, _, node, _ = op_def_library._apply_op_helper(op, name="op", **kwargs)
        # Only the first result is fetched: the converter's patterns for FusedBatchNorm,
        # Unique or TopKV2 want the others unused, as models leave them.
        tf.identity(node.outputs[0], name="out0")
    return graph.as_graph_def(), inputs, ["out0"]


def _attr_default(v, tf):
    """The Python value of an OpDef attr default, as the generated op wrappers pass it."""
    kind = v.WhichOneof("value")
    if kind == "list":
        lst = v.list
        if lst.s:
            return [x.decode() for x in lst.s]
        if lst.type:
            return [tf.dtypes.as_dtype(t) for t in lst.type]
        return list(lst.i) or list(lst.f) or list(lst.b) or []
    if kind == "s":
        return v.s.decode()
    if kind == "type":
        return tf.dtypes.as_dtype(v.type)
    if kind == "shape":
        return tf.TensorShape(v.shape)
    return getattr(v, kind)


def _build_case(directory, case):
    case_id, op, attr, t, types = case
    try:
        gd, ins, outs = build_graph(op, types)
    except Exception as e:  # TensorFlow refuses the graph: not a case
        # Shape functions that read an int16 constant as a wider int print garbage numbers.
        why = re.sub(r"\d{7,}", "<garbage>", f"{type(e).__name__}: {e}".splitlines()[0])
        return {"id": case_id, "error": why[:300]}
    (pathlib.Path(directory) / f"{case_id}.pb").write_bytes(gd.SerializeToString())
    return {"id": case_id, "op": op, "attr": attr, "type": t, "types": types,
            "path": f"{case_id}.pb", "inputs": ins, "outputs": outs}


def _worker(action, directory):
    """Reads cases (JSON lines) on stdin; for each prints "@@start <id>" and then
    "@@done <json>". A CHECK failure inside TensorFlow kills the process: the driver then knows
    which case did it from the last "@@start" without its "@@done"."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # The converter prints every failed pattern to stderr; the table keeps the first line.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    import logging
    logging.disable(logging.WARNING)
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    for line in sys.stdin:
        case = json.loads(line)
        case_id = case[0] if action == "build" else case["id"]
        print(f"@@start {case_id}", flush=True)
        row = _build_case(directory, case) if action == "build" else _convert_case(directory, case)
        print("@@done " + json.dumps({"id": case_id, "row": row}), flush=True)
    sys.stdout.flush()
    os._exit(0)


def _drive(action, directory, items, key):
    """Runs the items through one worker process, restarting it after a crash; returns
    {id: row}, with a row {"error": ...} (build) or {"outcome": "crashes"} for the item that
    took a process down."""
    env = dict(os.environ, PYTHONPATH=str(common.ORACLE_DIR), TF_CPP_MIN_LOG_LEVEL="3")
    rows, todo = {}, list(items)
    while todo:
        proc = subprocess.Popen([sys.executable, "-m", "litelint_oracle.op_types", "worker",
                                 action, str(directory)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env)
        payload = "".join(json.dumps(i) + "\n" for i in todo)
        out, _ = proc.communicate(payload)
        started = None
        for line in out.splitlines():
            if line.startswith("@@start "):
                started = line[len("@@start "):]
            elif line.startswith("@@done "):
                done = json.loads(line[len("@@done "):])
                rows[done["id"]] = done["row"]
                started = None
        if started is not None:  # the process died in this item
            why = f"TensorFlow aborts (exit {proc.returncode}) on this graph"
            rows[started] = ({"id": started, "error": why} if action == "build"
                             else {"outcome": "crashes", "builtins_error": why})
        todo = [i for i in todo if key(i) not in rows]
        if proc.returncode != 0 and started is None and todo:
            raise RuntimeError(f"op-types {action} worker exited {proc.returncode}")
    return rows


def _chunks(items, n):
    return [items[i::n] for i in range(n)] if items else []


def build(out=None, jobs=2):
    """Builds every case's GraphDef into `out` (default: the cache) with a manifest; returns
    the directory. An existing complete directory is reused."""
    out = pathlib.Path(out or sweep_dir())
    if (out / "manifest.json").exists():
        return out
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    start = time.monotonic()
    all_cases, skipped = _cases_in_child()
    rows = []
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for part in pool.map(lambda ch: _drive("build", tmp, ch, lambda c: c[0]),
                             _chunks(all_cases, jobs)):
            rows.extend(part.values())
    manifest = {"sweep_key": sweep_key(), "build_seconds": round(time.monotonic() - start, 1),
                "skipped_ops": skipped,
                "cases": sorted([r for r in rows if "error" not in r], key=lambda r: r["id"]),
                "unbuildable": {r["id"]: r["error"] for r in sorted(rows, key=lambda r: r["id"])
                                if "error" in r}}
    common.dump_json(manifest, tmp / "manifest.json")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    print(f"op-types: {len(manifest['cases'])} graphs in {manifest['build_seconds']} s -> {out}",
          file=sys.stderr)
    return out


def _cases_in_child():
    """cases() in a fresh process: reading OpDefs imports TensorFlow, which a driver that
    only spawns workers does not need to hold."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(_cases_plain)


def _cases_plain():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return cases()


def load_manifest(directory=None):
    d = build(directory)
    return d, json.loads((d / "manifest.json").read_text())


# ----------------------------------------------------------------------------- converting

def _convert(path, case, select):
    import tensorflow as tf
    conv = tf.compat.v1.lite.TFLiteConverter.from_frozen_graph(
        str(path), case["inputs"], case["outputs"])
    if select:
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS,
                                          tf.lite.OpsSet.SELECT_TF_OPS]
    return conv.convert()


def _first_error_line(e):
    for line in str(e).splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()[:200]
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:200]


def _convert_case(directory, case):
    from litelint_oracle import tflite_model
    path = pathlib.Path(directory) / case["path"]
    try:
        data = _convert(path, case, select=False)
        return {"outcome": "builtin",
                "builtin_ops": sorted(tflite_model.describe(data)["builtin_ops"])}
    except Exception as e:
        builtins_error = _first_error_line(e)
    try:
        data = _convert(path, case, select=True)
        return {"outcome": "flex", "flex_ops": sorted(tflite_model.describe(data)["flex_ops"]),
                "builtins_error": builtins_error}
    except Exception as e:
        return {"outcome": "fails", "builtins_error": builtins_error,
                "select_error": _first_error_line(e)}


def generate(jobs=2, only=None):
    directory, manifest = load_manifest()
    todo = [c for c in manifest["cases"] if not only or c["op"] in only]
    results = {}
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for part in pool.map(lambda ch: _drive("convert", directory, ch, lambda c: c["id"]),
                             _chunks(todo, jobs)):
            results.update(part)
    print(f"op-types: {len(results)} cases converted in {time.monotonic() - start:.0f} s",
          file=sys.stderr)
    import importlib.metadata
    table = {}
    for c in todo:
        table.setdefault(c["op"], {}).setdefault(c["attr"], {})[c["type"]] = {
            **results[c["id"]], "types": c["types"]}
    return {"tensorflow_version": importlib.metadata.version("tensorflow-cpu"),
            "types": list(TYPES), "skipped_ops": manifest["skipped_ops"],
            "unbuildable": manifest["unbuildable"], "ops": table}


DOC = common.REPO_ROOT / "docs" / "op-types.md"
_MARK = {"builtin": "B", "flex": "F", "fails": "x", "crashes": "x!"}


def render_doc(table):
    """docs/op-types.md: the table as one Markdown grid, op (type attr) x element type."""
    types = table["types"]
    lines = [
        "# Op x element type: what TFLiteConverter does",
        "",
        "Generated by `tests/oracle/regenerate-op-types` from "
        "`tests/oracle/truth-op-types/op_types.json`; do not edit.",
        "",
        f"Measured with TensorFlow {table['tensorflow_version']}: for every TF op that "
        "litelint's op database (`rules/opdb/tf_ops.toml`) calls `builtin` or `lowered`, and "
        "every type attr that types one of its operands, a tiny frozen graph per element type "
        "the OpDef allows (the other type attrs at float32 / int32), converted with "
        "`TFLiteConverter.from_frozen_graph`:",
        "",
        "- **B**: converts with builtins (default settings)",
        "- **F**: needs Select TF ops (Flex): converts only with `SELECT_TF_OPS`",
        "- **x**: fails in both (the TF op is not on the Select TF ops allowlist, or a "
        "lowering produces an op no mode takes); **x!**: the converter aborts",
        "- blank: TensorFlow's OpDef does not allow the type, so no graph can hold it",
        "",
        "The data inputs are placeholders (nothing folds); axes, shapes and sizes are constants. "
        "`litelint check` must reach the same outcome on every cell in both modes "
        "(`tests/oracle/tests/test_op_types.py`); the per-operand type lists in "
        "`tf_ops.toml` (`dtypes = { operand = [...] }`) are what it checks. Quantized types "
        "(qi8, qui8, qi16) come from quantization, not from a graph's type attrs, and are not "
        "swept.",
        "",
        "| op (type attr) | " + " | ".join(types) + " |",
        "|---|" + "---|" * len(types),
    ]
    for op in sorted(table["ops"]):
        for attr, per in table["ops"][op].items():
            cells = [_MARK[per[t]["outcome"]] if t in per else "" for t in types]
            lines.append(f"| {op} ({attr}) | " + " | ".join(cells) + " |")
    lines += ["", "Not swept:", ""]
    lines += [f"- {op}: {why}" for op, why in sorted(table["skipped_ops"].items())]
    if table["unbuildable"]:
        lines += ["", "Cases TensorFlow refuses to build (OpDef allows the type, the op's "
                  "shape function or kernel registration does not):", ""]
        lines += [f"- {case}: {why}" for case, why in sorted(table["unbuildable"].items())]
    return "\n".join(lines) + "\n"


def load_truth():
    return json.loads(TRUTH.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- comparing

def _check_batch(binary, directory, cases, target):
    """{case id: litelint's JSON document} for one target."""
    out = {}
    for case in cases:
        cmd = [str(binary), "check", str(directory / case["path"]),
               "--inputs", ",".join(case["inputs"]), "--outputs", ",".join(case["outputs"]),
               "--target", target, "--format", "json"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        try:
            out[case["id"]] = json.loads(r.stdout)
        except json.JSONDecodeError:
            out[case["id"]] = {"error": f"exit {r.returncode}: {r.stderr.strip()[:200]}"}
    return out


def expected(outcome, target):
    """Whether litelint should say the case converts under a target."""
    if target == "builtins":
        return outcome == "builtin"
    return outcome in ("builtin", "flex")


def compare(binary, only=None, jobs=2):
    """Rows {id, op, attr, type, target, outcome, converts, ok, reason}."""
    from litelint_oracle import litelint_cli
    truth = load_truth()
    directory, manifest = load_manifest()
    by_id = {c["id"]: c for c in manifest["cases"]}
    todo = []
    for op, attrs in truth["ops"].items():
        if only and op not in only:
            continue
        for attr, per_type in attrs.items():
            for t, rec in per_type.items():
                case = by_id.get(f"{op}.{attr}={t}")
                if case is not None:
                    todo.append((case, rec))
    rows = []
    for target, flag in (("builtins", "builtins"), ("select", "select-tf-ops")):
        cases = [c for c, _ in todo]
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            docs = {}
            for part in pool.map(lambda ch: _check_batch(binary, directory, ch, flag),
                                 _chunks(cases, jobs * 4)):
                docs.update(part)
        for case, rec in todo:
            doc = docs[case["id"]]
            want = expected(rec["outcome"], target)
            got = doc.get("converts")
            row = {"id": case["id"], "op": case["op"], "attr": case["attr"],
                   "type": case["type"], "target": target, "outcome": rec["outcome"],
                   "converts": got, "ok": got == want}
            if not row["ok"]:
                findings = [f"{f.get('code')} {f.get('message', '')}"[:160]
                            for f in doc.get("findings", []) if f.get("severity") == "error"]
                row["reason"] = doc.get("error") or (
                    f"litelint converts={got}, TensorFlow: {rec['outcome']}"
                    + (f"; {findings[0]}" if findings else ""))
            rows.append(row)
    return rows


# ----------------------------------------------------------------------------- suggesting

# Every element type the op database spells (rules/opdb/gen_opdb.py ELEM_TYPES order).
OPDB_TYPES = ["f16", "bf16", "f32", "f64", "i2", "i4", "i8", "i16", "i32", "i64", "u4", "u8",
              "u16", "u32", "u64", "bool", "string", "complex64", "complex128", "resource",
              "variant", "qi2", "qi4", "qi8", "qi16", "qi32", "qui4", "qui8", "qui16", "qui32",
              "tf_quint8", "f8e4m3fn", "f8e5m2"]


def operand_of(signature, attr):
    """The operand key (tf_ops.toml `dtypes`) a type attr binds: its first input argument,
    else "output" when it types the first result, "output:<name>" for a later one."""
    for arg in signature.get("inputs", []):
        name, typ = arg.split(": ", 1)
        if typ.lstrip("&").split(" * ")[-1] == attr:
            return name
    for i, arg in enumerate(signature.get("outputs", [])):
        name, typ = arg.split(": ", 1)
        if typ.split(" * ")[-1] == attr:
            return "output" if i == 0 else f"output:{name}"
    return None


# TensorFlow's DataType names -> the op database's, for OpDef allowed_values.
_DT = {"DT_FLOAT": "f32", "DT_HALF": "f16", "DT_BFLOAT16": "bf16", "DT_DOUBLE": "f64",
       "DT_INT8": "i8", "DT_INT16": "i16", "DT_INT32": "i32", "DT_INT64": "i64",
       "DT_UINT8": "u8", "DT_UINT16": "u16", "DT_UINT32": "u32", "DT_UINT64": "u64",
       "DT_BOOL": "bool", "DT_STRING": "string", "DT_COMPLEX64": "complex64",
       "DT_COMPLEX128": "complex128", "DT_INT4": "i4", "DT_UINT4": "u4", "DT_INT2": "i2",
       "DT_QUINT8": "tf_quint8", "DT_FLOAT8_E4M3FN": "f8e4m3fn", "DT_FLOAT8_E5M2": "f8e5m2"}
# TFLite's quantized types: a TF graph gets them from quantization, not from a type attr.
_QUANTIZED = {"qi2", "qi4", "qi8", "qi16", "qi32", "qui4", "qui8", "qui16", "qui32"}


def suggest(truth=None):
    """{op: {operand: [types]}}: the `dtypes` tables the measurement asks for. The swept types
    are the converter's; of the others a list keeps TFLite's quantized types and the plain
    types TensorFlow's OpDef allows (a new list holds only what was measured)."""
    truth = truth or load_truth()
    opdb = tomllib.loads(OPDB.read_text(encoding="utf-8"))
    sigs = tomllib.loads((OPDB.parent / "tf_op_signatures.toml").read_text(encoding="utf-8"))
    allowed = tomllib.loads((OPDB.parent / "tf_attr_values.toml").read_text(encoding="utf-8"))
    out = {}
    for op, attrs in truth["ops"].items():
        old = dict(opdb[op].get("dtypes", {}))
        new = dict(old)
        for attr, per in attrs.items():
            key = operand_of(sigs.get(op, {}), attr)
            if key is None:
                continue
            ok = {t for t, r in per.items() if r["outcome"] == "builtin"}
            if key not in old and ok == set(per):
                continue  # every type TensorFlow builds converts: no list
            tf_allowed = {_DT.get(t) for t in allowed.get(op, {}).get(attr, [])} or None
            kept = {t for t in old.get(key, []) if t not in per and (
                t in _QUANTIZED or tf_allowed is None or t in tf_allowed)}
            final = ok | kept
            if set(old.get(key, [])) == final:
                continue
            prev = old.get(key, [])
            new[key] = [t for t in prev if t in final] + [
                t for t in OPDB_TYPES if t in final and t not in prev]
        if new != old:
            out[op] = new
    return out


def known_disagreements():
    if not KNOWN.exists():
        return {}
    return json.loads(KNOWN.read_text(encoding="utf-8"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out")
    w = sub.add_parser("write")
    w.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    w.add_argument("--out", type=pathlib.Path, default=TRUTH)
    sub.add_parser("doc", help="rewrite docs/op-types.md from the committed table")
    sub.add_parser("suggest", help="print the dtypes tables the measurement asks for")
    c = sub.add_parser("compare")
    c.add_argument("--litelint")
    c.add_argument("--only", nargs="*")
    c.add_argument("--json")
    wk = sub.add_parser("worker")
    wk.add_argument("kind", choices=["build", "convert"])
    wk.add_argument("directory")
    a = ap.parse_args(argv)
    if a.action == "worker":
        _worker(a.kind, a.directory)
        return 0
    if a.action == "build":
        build(a.out)
        return 0
    if a.action == "doc":
        DOC.write_text(render_doc(load_truth()), encoding="utf-8")
        return 0
    if a.action == "suggest":
        for op, table in suggest().items():
            body = ", ".join(f"{k if k.isidentifier() else json.dumps(k)} = {json.dumps(v)}"
                             for k, v in table.items())
            print(f"[{op}]\ndtypes = {{ {body} }}")
        return 0
    if a.action == "write":
        table = generate(a.jobs)
        a.out.parent.mkdir(parents=True, exist_ok=True)
        common.dump_json(table, a.out)
        DOC.write_text(render_doc(table), encoding="utf-8")
        print(f"wrote {a.out} and {DOC}")
        return 0
    from litelint_oracle import litelint_cli
    rows = compare(litelint_cli.find_binary(a.litelint), a.only)
    known = known_disagreements()
    bad = [r for r in rows if not r["ok"] and f"{r['id']}@{r['target']}" not in known]
    for r in rows:
        if not r["ok"]:
            mark = "known" if f"{r['id']}@{r['target']}" in known else "FAIL"
            print(f"{mark:5}  {r['id']:<45} {r['target']:<8} {r['reason']}")
    for target in ("builtins", "select"):
        sel = [r for r in rows if r["target"] == target]
        print(f"{target}: {sum(r['ok'] for r in sel)}/{len(sel)} agree")
    if a.json:
        common.dump_json(rows, a.json)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
