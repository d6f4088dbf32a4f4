"""Graphs built to break one import-time check each (issue #20): TensorFlow's
tf.compat.v1.import_graph_def rejects every one of them, with the message the rule quotes,
and `litelint check` refuses every one (not exit 0) with the rule that names the cause.
The corpus has no graph that trips these checks, so the suite builds them."""
import subprocess

import pytest

from litelint_oracle import litelint_cli

X = ('node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
     'attr { key: "shape" value { shape { dim { size: 2 } } } } }\n')
DIM = ('node { name: "dim" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } '
       'attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 0 } } } }\n')
X4 = ('node { name: "x4" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
      'attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } dim { size: 4 } '
      'dim { size: 1 } } } } }\n')



def _shaped(name, dims):
    shape = " ".join(f"dim {{ size: {d} }}" for d in dims)
    return (f'node {{ name: "{name}" op: "Placeholder" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} '
            f'attr {{ key: "shape" value {{ shape {{ {shape} }} }} }} }}\n')


# (id, GraphDef text, TensorFlow's error, litelint's rule)
CASES = [
    ("attr_int_below_minimum",
     X + DIM + 'node { name: "c" op: "ConcatV2" input: "x" input: "dim" '
     'attr { key: "N" value { i: 1 } } attr { key: "T" value { type: DT_FLOAT } } '
     'attr { key: "Tidx" value { type: DT_INT32 } } }\n',
     "Value for attr 'N' of 1 must be at least minimum 2", "LL415"),
    ("attr_list_below_minimum",
     X4 + 'node { name: "pool" op: "MaxPool" input: "x4" attr { key: "T" value { type: DT_FLOAT } } '
     'attr { key: "ksize" value { list { i: 2 i: 2 } } } '
     'attr { key: "strides" value { list { i: 1 i: 1 i: 1 i: 1 } } } '
     'attr { key: "padding" value { s: "VALID" } } }\n',
     "Length for attr 'ksize' of 2 must be at least minimum 4", "LL415"),
    ("colocated_with_unknown_node",
     X + 'node { name: "r" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } '
     'attr { key: "_class" value { list { s: "loc:@pruned" } } } }\n',
     "expects to be colocated with unknown node 'pruned'", "LL414"),
    # Import-time shape inference (ShapeRefiner), which litelint's shape pass mirrors.
    ("matmul_inner_dims_differ",
     _shaped("a", [2, 3]) + _shaped("b", [4, 5]) +
     'node { name: "m" op: "MatMul" input: "a" input: "b" attr { key: "T" value { type: DT_FLOAT } } }\n',
     "Dimensions must be equal, but are 3 and 4", "LL408"),
    ("matmul_rank_3",
     _shaped("a", [2, 3, 3]) + _shaped("b", [3, 5]) +
     'node { name: "m" op: "MatMul" input: "a" input: "b" attr { key: "T" value { type: DT_FLOAT } } }\n',
     "Shape must be rank 2 but is rank 3", "LL408"),
    ("reshape_element_count_differs",
     _shaped("a", [2, 3]) +
     'node { name: "s" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } '
     'attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } '
     'int_val: 4 int_val: 2 } } } }\n'
     'node { name: "r" op: "Reshape" input: "a" input: "s" attr { key: "T" value { type: DT_FLOAT } } '
     'attr { key: "Tshape" value { type: DT_INT32 } } }\n',
     "Cannot reshape a tensor with 6 elements to shape [4,2]", "LL408"),
    ("concat_other_dims_differ",
     _shaped("a", [2, 3]) + _shaped("b", [4, 5]) + DIM +
     'node { name: "c" op: "ConcatV2" input: "a" input: "b" input: "dim" '
     'attr { key: "N" value { i: 2 } } attr { key: "T" value { type: DT_FLOAT } } '
     'attr { key: "Tidx" value { type: DT_INT32 } } }\n',
     "must be equal, but are 3 and 5", "LL408"),
]


def _tensorflow_error(text):
    import tensorflow as tf
    from google.protobuf import text_format

    graph_def = text_format.Parse(text, tf.compat.v1.GraphDef())
    try:
        with tf.Graph().as_default():
            tf.compat.v1.import_graph_def(graph_def, name="")
    except Exception as e:  # noqa: BLE001 - the message is the record
        return str(e)
    return None


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_tensorflow_rejects_the_built_graph(case):
    _, text, message, _ = case
    error = _tensorflow_error(text)
    assert error is not None and message in error, error


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_refuses_the_built_graph(case, litelint, tmp_path):
    ok, why = litelint_cli.has_subcommand(litelint, "check")
    if not ok:
        pytest.skip(why)
    name, text, _, rule = case
    path = tmp_path / f"{name}.pbtxt"
    path.write_text(text)
    r = subprocess.run([str(litelint), "check", str(path)], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode != 0, r.stdout
    assert rule in r.stdout + r.stderr, r.stdout


# A contradiction in a branch the outputs do not need: import_graph_def infers every node of
# the GraphDef before TFLiteConverter prunes to its output arrays.
UNUSED_BRANCH = (_shaped("a", [2, 3]) + _shaped("b", [4, 5]) +
                 'node { name: "m" op: "MatMul" input: "a" input: "b" '
                 'attr { key: "T" value { type: DT_FLOAT } } }\n'
                 'node { name: "out" op: "Relu" input: "a" attr { key: "T" value { type: DT_FLOAT } } }\n')


def test_tensorflow_rejects_a_contradiction_the_outputs_do_not_need():
    assert "Dimensions must be equal, but are 3 and 4" in (_tensorflow_error(UNUSED_BRANCH) or "")


def test_check_refuses_a_contradiction_the_outputs_do_not_need(litelint, tmp_path):
    ok, why = litelint_cli.has_subcommand(litelint, "check")
    if not ok:
        pytest.skip(why)
    path = tmp_path / "unused_branch.pbtxt"
    path.write_text(UNUSED_BRANCH)
    r = subprocess.run([str(litelint), "check", str(path), "--outputs", "out"],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode != 0 and "LL408" in r.stdout, r.stdout
