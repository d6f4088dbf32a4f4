"""Control flow: v2 while/cond/case, TensorList/TensorArray, and TF1 v1 control flow
(Switch/Merge/Enter/Exit) saved as frozen GraphDefs and a TF1 SavedModel."""
import contextlib

import tensorflow as tf

from .registry import fixture
from .select_ops import save_fn

S = tf.TensorSpec


@fixture("while_loop", ["control-flow", "while"])
def while_loop(ctx):
    def f(x, n):
        _, y = tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * 0.9 + 1.0),
                             (tf.constant(0), x))
        return y
    return save_fn(ctx, f, [S([2, 3], tf.float32, name="x"), S([], tf.int32, name="n")],
                   run={"n": {"values": 5, "shape": []}})


@fixture("while_loop.frozen", ["control-flow", "while", "format-variant"])
def while_loop_frozen(ctx):
    @tf.function(input_signature=[S([2, 3], tf.float32, name="x"), S([], tf.int32, name="n")])
    def f(x, n):
        _, y = tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * 0.9 + 1.0),
                             (tf.constant(0), x))
        return y
    return ctx.freeze(f.get_concrete_function(), run={"n": {"values": 5, "shape": []}})


@fixture("nested_while", ["control-flow", "while"])
def nested_while(ctx):
    def f(x):
        def outer(i, acc):
            _, inner = tf.while_loop(lambda j, a: j < 3, lambda j, a: (j + 1, a + x),
                                     (tf.constant(0), acc))
            return i + 1, inner * 0.5
        return tf.while_loop(lambda i, a: i < 2, outer, (tf.constant(0), x))[1]
    return save_fn(ctx, f, [S([4], tf.float32, name="x")])


@fixture("autograph_for", ["control-flow", "while"])
def autograph_for(ctx):
    def f(x):
        acc = tf.zeros_like(x)
        for i in tf.range(4):
            acc += x * tf.cast(i, tf.float32)
        return acc
    return save_fn(ctx, f, [S([3], tf.float32, name="x")])


def _cond(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.nn.relu(x) * 2.0, lambda: tf.abs(x) - 1.0)


@fixture("cond", ["control-flow", "cond"])
def cond(ctx):
    return save_fn(ctx, _cond, [S([4], tf.float32, name="x")])


@fixture("cond.debuginfo", ["control-flow", "cond", "debug-info", "format-variant"])
def cond_debuginfo(ctx):
    return save_fn(ctx, _cond, [S([4], tf.float32, name="x")], debug_info=True)


@fixture("cond.frozen", ["control-flow", "cond", "format-variant"])
def cond_frozen(ctx):
    f = tf.function(_cond, input_signature=[S([4], tf.float32, name="x")])
    return ctx.freeze(f.get_concrete_function())


@fixture("switch_case", ["control-flow", "case"])
def switch_case(ctx):
    def f(x, branch):
        return tf.switch_case(branch, [lambda: x + 1.0, lambda: x * 2.0, lambda: -x])
    return save_fn(ctx, f, [S([3], tf.float32, name="x"), S([], tf.int32, name="branch")],
                   run={"branch": {"values": 1, "shape": []}})


@fixture("tensorarray_known_shape", ["control-flow", "tensor-list"])
def tensorarray_known_shape(ctx):
    def f(x):
        ta = tf.TensorArray(tf.float32, size=4, element_shape=[3])
        for i in tf.range(4):
            ta = ta.write(i, x * tf.cast(i, tf.float32))
        return ta.stack()
    return save_fn(ctx, f, [S([3], tf.float32, name="x")])


@fixture("tensorarray_unknown_shape", ["control-flow", "tensor-list", "dynamic-shape"])
def tensorarray_unknown_shape(ctx):
    def f(x, n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, infer_shape=False)
        for i in tf.range(n):
            ta = ta.write(i, x[: i + 1])
        return ta.concat()
    return save_fn(ctx, f, [S([4], tf.float32, name="x"), S([], tf.int32, name="n")],
                   run={"n": {"values": 3, "shape": []}})


@fixture("tensorarray_dynamic_batch", ["control-flow", "tensor-list", "dynamic-shape"])
def tensorarray_dynamic_batch(ctx):
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3, element_shape=[None, 2])
        for i in tf.range(3):
            ta = ta.write(i, x + tf.cast(i, tf.float32))
        return ta.stack()
    return save_fn(ctx, f, [S([None, 2], tf.float32, name="x")])


# TF1 control flow v1 -----------------------------------------------------------------------

@contextlib.contextmanager
def control_flow_v1():
    """TF1 graph mode with v1 control flow (Switch/Merge, Enter/Exit/NextIteration)."""
    from tensorflow.python.ops import control_flow_util
    saved = control_flow_util.ENABLE_CONTROL_FLOW_V2
    control_flow_util.ENABLE_CONTROL_FLOW_V2 = False
    try:
        g = tf.Graph()
        with g.as_default():
            yield g
    finally:
        control_flow_util.ENABLE_CONTROL_FLOW_V2 = saved


def _v1_ops(g):
    return {op.type for op in g.get_operations()}


@fixture("v1_cond.frozen", ["control-flow", "control-flow-v1", "format-variant"])
def v1_cond_frozen(ctx):
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [4], name="x")
        y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0)
        tf.identity(y, name="out")
        assert "Switch" in _v1_ops(g) and "Merge" in _v1_ops(g)
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [4])], ["out"])


@fixture("v1_while.frozen", ["control-flow", "control-flow-v1", "format-variant"])
def v1_while_frozen(ctx):
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [3], name="x")
        _, y = tf.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, y * 0.5 + 1.0),
                             (tf.constant(0), x))
        tf.identity(y, name="out")
        assert {"Enter", "Exit", "NextIteration", "LoopCond"} <= _v1_ops(g)
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [3])], ["out"])


@fixture("v1_nested_cond_in_while.frozen", ["control-flow", "control-flow-v1", "format-variant"])
def v1_nested_frozen(ctx):
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [3], name="x")

        def body(i, y):
            y = tf.cond(tf.equal(i % 2, 0), lambda: y + 1.0, lambda: y * 2.0)
            return i + 1, y
        _, y = tf.while_loop(lambda i, y: i < 3, body, (tf.constant(0), x))
        tf.identity(y, name="out")
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [3])], ["out"])


@fixture("v1_merge_three_way.frozen", ["control-flow", "control-flow-v1", "format-variant"],
         notes="one Merge joining three branches of two Switch predicates; cannot be "
               "functionalized into If")
def v1_merge_three_way_frozen(ctx):
    from tensorflow.python.ops import control_flow_ops
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [4], name="x")
        s = tf.reduce_sum(x)
        f1, t1 = control_flow_ops.switch(x, s > 0)
        f2, t2 = control_flow_ops.switch(f1, s > -1)
        m, _ = control_flow_ops.merge([t1 * 2.0, f2 - 1.0, t2 + 1.0])
        tf.identity(m, name="out")
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [4])], ["out"])


@fixture("v1_switch_without_merge.frozen", ["control-flow", "control-flow-v1", "format-variant"],
         notes="the output hangs off one Switch branch with no Merge")
def v1_switch_without_merge_frozen(ctx):
    from tensorflow.python.ops import control_flow_ops
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [4], name="x")
        _, t = control_flow_ops.switch(x, tf.reduce_sum(x) > 0)
        tf.identity(t * 2.0, name="out")
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [4])], ["out"],
                             run={"x": {"low": 0.1, "high": 1.0}})


@fixture("v1_while_tensorarray.frozen",
         ["control-flow", "control-flow-v1", "tensor-list", "format-variant"],
         notes="TF1 while loop writing a TensorArrayV3 (resource-based, not a TensorList)")
def v1_while_tensorarray_frozen(ctx):
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [3], name="x")
        ta = tf.TensorArray(tf.float32, size=4)
        _, ta = tf.while_loop(lambda i, ta: i < 4,
                              lambda i, ta: (i + 1, ta.write(i, x * tf.cast(i, tf.float32))),
                              (tf.constant(0), ta))
        tf.identity(ta.stack(), name="out")
        assert "TensorArrayV3" in _v1_ops(g)
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [3])], ["out"])


@fixture("v1_cond.tf1", ["control-flow", "control-flow-v1", "tf1", "format-variant"])
def v1_cond_tf1(ctx):
    with control_flow_v1() as g:
        x = tf.compat.v1.placeholder(tf.float32, [4], name="x")
        w = tf.compat.v1.get_variable("w", initializer=tf.constant([0.5, -1.0, 2.0, 1.5]))
        y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * w, lambda: x - w)
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            return ctx.save_tf1(g, sess, {"x": x}, {"y": y})
