"""Writes examples/tiny_classifier.pbtxt: a small image classifier as a text GraphDef.

The graph is what a Keras CNN freezes to (Conv2D, BiasAdd, Relu, MaxPool, Reshape, MatMul,
Softmax), plus a MatrixInverse branch that TFLite builtins cannot run (it needs Select TF ops), so that litelint has something
to report. Weights come from a fixed-seed generator, so the file is reproducible without
TensorFlow: python3 examples/make_tiny_classifier.py > examples/tiny_classifier.pbtxt
"""
import random

rng = random.Random(20261125)


def floats(n):
    return " ".join(f"float_val: {rng.uniform(-0.5, 0.5):.6f}" for _ in range(n))


def const(name, shape, values=None, dtype="DT_FLOAT", ints=None):
    dims = " ".join(f"dim {{ size: {d} }}" for d in shape)
    if ints is not None:
        body = " ".join(f"int_val: {v}" for v in ints)
    else:
        count = 1
        for d in shape:
            count *= d
        body = floats(count) if values is None else values
    return f"""node {{
  name: "{name}"
  op: "Const"
  attr {{ key: "dtype" value {{ type: {dtype} }} }}
  attr {{ key: "value" value {{ tensor {{ dtype: {dtype} tensor_shape {{ {dims} }} {body} }} }} }}
}}"""


def node(name, op, inputs, attrs=""):
    ins = "\n".join(f'  input: "{i}"' for i in inputs)
    return f"""node {{
  name: "{name}"
  op: "{op}"
{ins}
{attrs}}}"""


T = '  attr { key: "T" value { type: DT_FLOAT } }\n'
parts = [
    "# A tiny image classifier with a MatrixInverse feature branch, written by",
    "# examples/make_tiny_classifier.py (fixed seed; no TensorFlow needed).",
    """node {
  name: "image"
  op: "Placeholder"
  attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: 1 } dim { size: 8 } dim { size: 8 } dim { size: 1 } } } }
}""",
    const("conv/filter", [3, 3, 1, 4]),
    const("conv/bias", [4]),
    node("conv/Conv2D", "Conv2D", ["image", "conv/filter"],
         T + '  attr { key: "strides" value { list { i: 1 i: 1 i: 1 i: 1 } } }\n'
         '  attr { key: "padding" value { s: "SAME" } }\n'
         '  attr { key: "data_format" value { s: "NHWC" } }\n'),
    node("conv/BiasAdd", "BiasAdd", ["conv/Conv2D", "conv/bias"], T),
    node("conv/Relu", "Relu", ["conv/BiasAdd"], T),
    node("pool", "MaxPool", ["conv/Relu"],
         T + '  attr { key: "ksize" value { list { i: 1 i: 2 i: 2 i: 1 } } }\n'
         '  attr { key: "strides" value { list { i: 1 i: 2 i: 2 i: 1 } } }\n'
         '  attr { key: "padding" value { s: "VALID" } }\n'),
    const("flatten/shape", [2], dtype="DT_INT32", ints=[1, 64]),
    node("flatten", "Reshape", ["pool", "flatten/shape"],
         T + '  attr { key: "Tshape" value { type: DT_INT32 } }\n'),
    const("dense/kernel", [64, 3]),
    node("dense/MatMul", "MatMul", ["flatten", "dense/kernel"],
         T + '  attr { key: "transpose_a" value { b: false } }\n'
         '  attr { key: "transpose_b" value { b: false } }\n'),
    node("probs", "Softmax", ["dense/MatMul"], T),
    const("gram/shape", [3], dtype="DT_INT32", ints=[1, 8, 8]),
    node("gram/Reshape", "Reshape", ["pool", "gram/shape"],
         T + '  attr { key: "Tshape" value { type: DT_INT32 } }\n'),
    node("gram/MatrixInverse", "MatrixInverse", ["gram/Reshape"],
         T + '  attr { key: "adjoint" value { b: false } }\n'),
    "versions { producer: 1994 }",
]
print("\n".join(parts))
