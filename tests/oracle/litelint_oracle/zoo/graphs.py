"""Graph-level properties: format variants of one MLP, dynamic shapes, int64/float64,
mutated resource variables, stateful ops, multiple signatures."""
import tensorflow as tf

from .registry import fixture
from .select_ops import save_fn

S = tf.TensorSpec
keras = tf.keras


class Mlp(tf.Module):
    def __init__(self):
        super().__init__()
        self.w1 = tf.Variable(tf.random.stateless_normal([8, 16], seed=[5, 1]) * 0.3)
        self.b1 = tf.Variable(tf.random.stateless_normal([16], seed=[5, 2]) * 0.1)
        self.w2 = tf.Variable(tf.random.stateless_normal([16, 4], seed=[5, 3]) * 0.3)

    @tf.function(input_signature=[S([None, 8], tf.float32, name="x")])
    def __call__(self, x):
        h = tf.nn.relu(tf.matmul(x, self.w1) + self.b1)
        return {"logits": tf.matmul(h, self.w2)}


@fixture("mlp", ["dense", "format-variant", "dynamic-shape"])
def mlp(ctx):
    m = Mlp()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


@fixture("mlp.debuginfo", ["dense", "format-variant", "debug-info"])
def mlp_debuginfo(ctx):
    m = Mlp()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function(), debug_info=True)


@fixture("mlp.frozen", ["dense", "format-variant", "dynamic-shape"])
def mlp_frozen(ctx):
    m = Mlp()  # keep alive: the concrete function holds only a weak reference
    return ctx.freeze(m.__call__.get_concrete_function())


@fixture("mlp.keras", ["dense", "format-variant"], keras_entry=True)
def mlp_keras(ctx):
    model = keras.Sequential([keras.Input((8,), name="x"), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(4)])
    return ctx.export_keras(model, keras_file=True)


def _tf1_mlp(use_resource):
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(5)
        x = tf.compat.v1.placeholder(tf.float32, [None, 8], name="x")
        w = tf.compat.v1.get_variable("w", [8, 4], use_resource=use_resource)
        b = tf.compat.v1.get_variable("b", [4], initializer=tf.compat.v1.ones_initializer(),
                                      use_resource=use_resource)
        y = tf.nn.softmax(tf.matmul(x, w) + b)
    return g, x, y


@fixture("mlp.tf1", ["dense", "format-variant", "tf1"],
         notes="TF1 SavedModel with reference variables (VariableV2)")
def mlp_tf1(ctx):
    g, x, y = _tf1_mlp(use_resource=False)
    with tf.compat.v1.Session(graph=g) as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        return ctx.save_tf1(g, sess, {"x": x}, {"probs": y})


@fixture("mlp_resource.tf1", ["dense", "format-variant", "tf1", "resource-variables"])
def mlp_resource_tf1(ctx):
    g, x, y = _tf1_mlp(use_resource=True)
    with tf.compat.v1.Session(graph=g) as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        return ctx.save_tf1(g, sess, {"x": x}, {"probs": y})


@fixture("conv_stack.tf1", ["vision", "format-variant", "tf1"])
def conv_stack_tf1(ctx):
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(6)
        x = tf.compat.v1.placeholder(tf.float32, [1, 16, 16, 3], name="image")
        w = tf.compat.v1.get_variable("w", [3, 3, 3, 8])
        y = tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME"))
        y = tf.nn.avg_pool2d(y, 2, 2, "VALID")
        y = tf.reduce_mean(y, axis=[1, 2])
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            return ctx.save_tf1(g, sess, {"image": x}, {"features": y})


# Dynamic shapes ----------------------------------------------------------------------------

@fixture("dynamic_spatial", ["dynamic-shape", "vision"])
def dynamic_spatial(ctx):
    w = tf.random.stateless_normal([3, 3, 3, 4], seed=[7, 1])
    def f(image):
        y = tf.nn.conv2d(image, w, 1, "SAME")
        return tf.reduce_mean(tf.nn.relu(y), axis=[1, 2])
    return save_fn(ctx, f, [S([None, None, None, 3], tf.float32, name="image")],
                   run={"image": {"shape": [1, 12, 10, 3]}})


@fixture("dynamic_reshape", ["dynamic-shape"])
def dynamic_reshape(ctx):
    def f(x):
        n = tf.shape(x)[0]
        return tf.reshape(tf.transpose(x), [-1, n]) * tf.cast(n, tf.float32)
    return save_fn(ctx, f, [S([None, 6], tf.float32, name="x")], run={"x": {"shape": [3, 6]}})


@fixture("unknown_rank", ["dynamic-shape"])
def unknown_rank(ctx):
    return save_fn(ctx, lambda x: tf.nn.softmax(x * 2.0), [S(None, tf.float32, name="x")])


# dtypes ------------------------------------------------------------------------------------

@fixture("int64_graph", ["dtype", "int64"])
def int64_graph(ctx):
    def f(a, b):
        return {"sum": a * b + 3, "cumsum": tf.math.cumsum(a, axis=1),
                "max": tf.reduce_max(a, axis=1), "gathered": tf.gather(b, [2, 0], axis=1)}
    return save_fn(ctx, f, [S([2, 4], tf.int64, name="a"), S([2, 4], tf.int64, name="b")],
                   run={"a": {"low": -50, "high": 50}, "b": {"low": -50, "high": 50}})


@fixture("float64_graph", ["dtype", "float64"])
def float64_graph(ctx):
    w = tf.constant([[0.5, -1.0], [2.0, 0.25], [1.0, 1.0]], tf.float64)
    def f(x):
        return {"sqrt": tf.sqrt(tf.abs(x) + 1.0), "matmul": tf.matmul(x, w),
                "softmax": tf.nn.softmax(x)}
    return save_fn(ctx, f, [S([2, 3], tf.float64, name="x")])


@fixture("float64_cast_island", ["dtype", "float64"])
def float64_cast_island(ctx):
    def f(x):
        return tf.cast(tf.math.exp(tf.cast(x, tf.float64)) * 2.0, tf.float32)
    return save_fn(ctx, f, [S([2, 3], tf.float32, name="x")])


@fixture("int8_uint8_ops", ["dtype"])
def int8_uint8_ops(ctx):
    def f(x):
        return {"add_u8": x + tf.constant(3, tf.uint8), "as_i32": tf.cast(x, tf.int32) * 2}
    return save_fn(ctx, f, [S([4], tf.uint8, name="x")], run={"x": {"low": 0, "high": 100}})


# Variables and stateful ops ----------------------------------------------------------------

class _Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(tf.zeros([3]))

    @tf.function(input_signature=[S([3], tf.float32, name="x")])
    def __call__(self, x):
        self.total.assign_add(x)
        return self.total.read_value() * 2.0


@fixture("mutable_variable", ["resource-variables", "stateful"])
def mutable_variable(ctx):
    m = _Counter()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _Assign(tf.Module):
    def __init__(self):
        super().__init__()
        self.state = tf.Variable(tf.ones([2, 2]))

    @tf.function(input_signature=[S([2, 2], tf.float32, name="x")])
    def __call__(self, x):
        self.state.assign(self.state * 0.5 + x)
        return tf.matmul(self.state, x)


@fixture("variable_assign", ["resource-variables", "stateful"])
def variable_assign(ctx):
    m = _Assign()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


@fixture("stateful_print", ["stateful"])
def stateful_print(ctx):
    def f(x):
        tf.print("x =", x)
        return x + 1.0
    return save_fn(ctx, f, [S([3], tf.float32, name="x")])


@fixture("stateful_assert", ["stateful"])
def stateful_assert(ctx):
    def f(x):
        tf.debugging.assert_all_finite(x, "x must be finite")
        with tf.control_dependencies([tf.debugging.assert_greater(x, -10.0)]):
            return x * 3.0
    return save_fn(ctx, f, [S([3], tf.float32, name="x")])


class _MultiSig(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable([1.5, -2.0, 0.5])

    @tf.function(input_signature=[S([3], tf.float32, name="x")])
    def scale_it(self, x):
        return {"scaled": x * self.scale}

    @tf.function(input_signature=[S([3], tf.float32, name="a"), S([3], tf.float32, name="b")])
    def add(self, a, b):
        return {"sum": a + b}

    @tf.function(input_signature=[S([2], tf.string, name="s")])
    def upper(self, s):
        return {"upper": tf.strings.upper(s)}


@fixture("multi_signature", ["signatures"])
def multi_signature(ctx):
    m = _MultiSig()
    return ctx.save_tf2(m, signatures={
        "serving_default": m.scale_it.get_concrete_function(),
        "add": m.add.get_concrete_function(), "upper": m.upper.get_concrete_function()})


@fixture("multi_signature_builtin", ["signatures"])
def multi_signature_builtin(ctx):
    m = _MultiSig()
    return ctx.save_tf2(m, signatures={
        "serving_default": m.scale_it.get_concrete_function(),
        "add": m.add.get_concrete_function()})


@fixture("no_signature_function", ["signatures"],
         notes="tf.function saved with an input_signature but no explicit signatures=")
def no_signature_function(ctx):
    m = tf.Module()
    m.f = tf.function(lambda x: x * 2.0, input_signature=[S([2], tf.float32, name="x")])
    return ctx.save_tf2(m)


@fixture("where_gather_nd", ["dynamic-shape"])
def where_gather_nd(ctx):
    def f(x):
        idx = tf.where(x > 0)
        return {"idx": idx, "vals": tf.gather_nd(x, idx)}
    return save_fn(ctx, f, [S([3, 4], tf.float32, name="x")])


@fixture("topk_sort", ["dense"])
def topk_sort(ctx):
    def f(x):
        v, i = tf.math.top_k(x, 3)
        return {"values": v, "indices": i, "sorted": tf.sort(x, direction="DESCENDING"),
                "argmax": tf.argmax(x, axis=1)}
    return save_fn(ctx, f, [S([2, 6], tf.float32, name="x")])
