"""Ops that need Select TF ops, custom ops, or fail: FFT, strings, linalg, image, random,
scatter/segment, unique, ragged, py_function, hash tables, an unregistered custom op."""
import tensorflow as tf

from .registry import fixture

S = tf.TensorSpec


def save_fn(ctx, fn, specs, run=None, debug_info=False, **tracked):
    """Saves one tf.function as the serving signature; tracked: resources to keep alive."""
    m = tf.Module()
    for k, v in tracked.items():
        setattr(m, k, v)
    m.f = tf.function(fn, input_signature=specs)
    return ctx.save_tf2(m, signatures=m.f.get_concrete_function(), run=run, debug_info=debug_info)


# FFT ---------------------------------------------------------------------------------------

@fixture("rfft", ["select-ops", "fft"])
def rfft(ctx):
    return save_fn(ctx, lambda x: tf.abs(tf.signal.rfft(x)), [S([2, 64], tf.float32, name="x")])


@fixture("stft", ["select-ops", "fft"])
def stft(ctx):
    return save_fn(ctx, lambda x: tf.abs(tf.signal.stft(x, frame_length=64, frame_step=32)),
                   [S([1, 256], tf.float32, name="x")])


@fixture("irfft", ["select-ops", "fft", "complex"])
def irfft(ctx):
    return save_fn(ctx, lambda x: tf.signal.irfft(tf.signal.rfft(x)),
                   [S([2, 16], tf.float32, name="x")])


# Strings -----------------------------------------------------------------------------------

@fixture("string_lower", ["select-ops", "strings"])
def string_lower(ctx):
    return save_fn(ctx, lambda s: tf.strings.lower(s), [S([3], tf.string, name="s")])


@fixture("string_lower.debuginfo", ["select-ops", "strings", "debug-info", "format-variant"])
def string_lower_debuginfo(ctx):
    return save_fn(ctx, lambda s: tf.strings.lower(s), [S([3], tf.string, name="s")],
                   debug_info=True)


@fixture("string_split", ["select-ops", "strings", "ragged"])
def string_split(ctx):
    return save_fn(ctx, lambda s: tf.strings.split(s, sep=" ").to_tensor(default_value=""),
                   [S([3], tf.string, name="s")])


@fixture("substr", ["select-ops", "strings"])
def substr(ctx):
    return save_fn(ctx, lambda s: tf.strings.substr(s, 0, 3), [S([3], tf.string, name="s")])


@fixture("string_hash_bucket", ["select-ops", "strings"])
def string_hash_bucket(ctx):
    return save_fn(ctx, lambda s: tf.strings.to_hash_bucket_fast(s, 100),
                   [S([3], tf.string, name="s")])


@fixture("regex_replace", ["select-ops", "strings"])
def regex_replace(ctx):
    return save_fn(ctx, lambda s: tf.strings.regex_replace(s, "[aeiou]", "_"),
                   [S([3], tf.string, name="s")])


# Linear algebra ----------------------------------------------------------------------------

def _spd(x):
    """A well-conditioned symmetric positive definite batch from any [b, n, n] input."""
    n = x.shape[-1]
    return tf.matmul(x, x, transpose_b=True) + n * tf.eye(n)


@fixture("matrix_inverse", ["select-ops", "linalg"])
def matrix_inverse(ctx):
    return save_fn(ctx, lambda x: tf.linalg.inv(_spd(x)), [S([2, 4, 4], tf.float32, name="x")])


@fixture("svd", ["select-ops", "linalg"])
def svd(ctx):
    return save_fn(ctx, lambda x: tf.linalg.svd(x, compute_uv=False),
                   [S([2, 4, 3], tf.float32, name="x")])


@fixture("cholesky", ["select-ops", "linalg"])
def cholesky(ctx):
    return save_fn(ctx, lambda x: tf.linalg.cholesky(_spd(x)), [S([2, 4, 4], tf.float32, name="x")])


@fixture("matrix_determinant", ["select-ops", "linalg"])
def matrix_determinant(ctx):
    return save_fn(ctx, lambda x: tf.linalg.det(_spd(x)), [S([2, 3, 3], tf.float32, name="x")])


# tf.image ----------------------------------------------------------------------------------

IMG = S([1, 8, 8, 3], tf.float32, name="image")
POSITIVE = {"image": {"low": 0.0, "high": 1.0}}


@fixture("image_rgb_to_hsv", ["select-ops", "image"])
def image_rgb_to_hsv(ctx):
    return save_fn(ctx, tf.image.rgb_to_hsv, [IMG], run=POSITIVE)


@fixture("image_crop_and_resize", ["select-ops", "image"])
def image_crop_and_resize(ctx):
    boxes = tf.constant([[0.0, 0.0, 0.5, 0.5], [0.25, 0.25, 1.0, 1.0]])
    return save_fn(ctx, lambda im: tf.image.crop_and_resize(im, boxes, [0, 0], [4, 4]), [IMG],
                   run=POSITIVE)


@fixture("image_adjust_saturation", ["select-ops", "image"])
def image_adjust_saturation(ctx):
    return save_fn(ctx, lambda im: tf.image.adjust_saturation(im, 1.5), [IMG], run=POSITIVE)


@fixture("image_extract_patches", ["select-ops", "image"])
def image_extract_patches(ctx):
    return save_fn(ctx, lambda im: tf.image.extract_patches(im, [1, 3, 3, 1], [1, 2, 2, 1],
                                                            [1, 1, 1, 1], "VALID"), [IMG])


@fixture("image_nms", ["select-ops", "image"])
def image_nms(ctx):
    def nms(boxes, scores):
        sel = tf.image.non_max_suppression(boxes, scores, 5, iou_threshold=0.5)
        return tf.gather(boxes, sel)
    return save_fn(ctx, nms, [S([10, 4], tf.float32, name="boxes"),
                              S([10], tf.float32, name="scores")],
                   run={"boxes": {"low": 0, "high": 1}, "scores": {"low": 0, "high": 1}})


# Random ------------------------------------------------------------------------------------

@fixture("random_uniform", ["select-ops", "random", "stateful"], nondeterministic=True)
def random_uniform(ctx):
    return save_fn(ctx, lambda x: x + tf.random.uniform([2, 3]), [S([2, 3], tf.float32, name="x")])


@fixture("random_normal", ["select-ops", "random", "stateful"], nondeterministic=True)
def random_normal(ctx):
    return save_fn(ctx, lambda x: x * tf.random.normal([2, 3], seed=7),
                   [S([2, 3], tf.float32, name="x")])


@fixture("random_categorical", ["select-ops", "random", "stateful"], nondeterministic=True)
def random_categorical(ctx):
    return save_fn(ctx, lambda logits: tf.random.categorical(logits, 4),
                   [S([2, 5], tf.float32, name="logits")])


@fixture("random_shuffle", ["select-ops", "random", "stateful"], nondeterministic=True)
def random_shuffle(ctx):
    return save_fn(ctx, lambda x: tf.random.shuffle(x), [S([6, 2], tf.float32, name="x")])


@fixture("stateless_random", ["select-ops", "random"])
def stateless_random(ctx):
    return save_fn(ctx, lambda x: x + tf.random.stateless_uniform([2, 3], seed=[4, 2]),
                   [S([2, 3], tf.float32, name="x")])


# Scatter, segment, unique ------------------------------------------------------------------

@fixture("scatter_nd", ["select-ops", "scatter"])
def scatter_nd(ctx):
    idx = tf.constant([[1], [3]])
    return save_fn(ctx, lambda u: tf.scatter_nd(idx, u, [5, 3]), [S([2, 3], tf.float32, name="u")])


@fixture("tensor_scatter_update", ["select-ops", "scatter"])
def tensor_scatter_update(ctx):
    idx = tf.constant([[0], [2]])
    return save_fn(ctx, lambda t, u: tf.tensor_scatter_nd_update(t, idx, u),
                   [S([4, 3], tf.float32, name="t"), S([2, 3], tf.float32, name="u")])


@fixture("segment_ops", ["select-ops", "segment"])
def segment_ops(ctx):
    ids = tf.constant([0, 0, 1, 2, 2, 2])
    def f(x):
        return {"segment_sum": tf.math.segment_sum(x, ids),
                "segment_max": tf.math.segment_max(x, ids),
                "unsorted_sum": tf.math.unsorted_segment_sum(x, ids[::-1], 3),
                "unsorted_prod": tf.math.unsorted_segment_prod(x, ids, 3)}
    return save_fn(ctx, f, [S([6, 2], tf.float32, name="x")])


@fixture("segment_mean", ["select-ops", "segment"])
def segment_mean(ctx):
    ids = tf.constant([0, 0, 1, 2, 2, 2])
    return save_fn(ctx, lambda x: tf.math.segment_mean(x, ids), [S([6, 2], tf.float32, name="x")])


@fixture("unique", ["select-ops", "unique", "dynamic-shape"])
def unique(ctx):
    def f(x):
        y, idx = tf.unique(x)
        return {"y": y, "idx": idx}
    return save_fn(ctx, f, [S([8], tf.int32, name="x")], run={"x": {"low": 0, "high": 4}})


# Ragged ------------------------------------------------------------------------------------

@fixture("ragged", ["select-ops", "ragged"])
def ragged(ctx):
    def f(values):
        rt = tf.RaggedTensor.from_row_lengths(values, [2, 0, 3, 1])
        return {"sum": tf.reduce_sum(rt, axis=1), "dense": rt.to_tensor()}
    return save_fn(ctx, f, [S([6], tf.float32, name="values")])


@fixture("ragged_gather", ["select-ops", "ragged"])
def ragged_gather(ctx):
    rt = tf.ragged.constant([[1.0, 2.0], [3.0], [4.0, 5.0, 6.0]])
    def f(idx):
        return tf.gather(rt, idx).to_tensor()
    return save_fn(ctx, f, [S([2], tf.int32, name="idx")], run={"idx": {"low": 0, "high": 3}})


# Python, special functions -----------------------------------------------------------------

def _double(x):
    return x * 2


@fixture("py_function", ["select-ops", "unsupported"])
def py_function(ctx):
    return save_fn(ctx, lambda x: tf.py_function(_double, [x], tf.float32) + 1.0,
                   [S([3], tf.float32, name="x")])


@fixture("special_functions", ["select-ops", "unsupported"])
def special_functions(ctx):
    def f(x):
        return {"lgamma": tf.math.lgamma(x), "erfinv": tf.math.erfinv(x / 2.0),
                "igamma": tf.math.igamma(x, x + 1.0)}
    return save_fn(ctx, f, [S([4], tf.float32, name="x")], run={"x": {"low": 0.5, "high": 1.5}})


@fixture("cumprod", ["select-ops"])
def cumprod(ctx):
    return save_fn(ctx, lambda x: {"cumprod": tf.math.cumprod(x, axis=1),
                                   "cumsum": tf.math.cumsum(x, axis=1)},
                   [S([2, 5], tf.float32, name="x")])


@fixture("complex_ops", ["select-ops", "complex"])
def complex_ops(ctx):
    return save_fn(ctx, lambda re, im: tf.math.angle(tf.complex(re, im) * tf.complex(im, re)),
                   [S([4], tf.float32, name="re"), S([4], tf.float32, name="im")])


# Hash tables -------------------------------------------------------------------------------

@fixture("hash_table_string_to_int", ["select-ops", "hash-table", "strings"])
def hash_table_string_to_int(ctx):
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant(["litelint", "MiXeD", "a b c"]), tf.constant([1, 2, 3], tf.int64))
    table = tf.lookup.StaticHashTable(init, default_value=-1)
    return save_fn(ctx, lambda s: table.lookup(s), [S([3], tf.string, name="s")], table=table)


@fixture("hash_table_int_to_string", ["select-ops", "hash-table", "strings"])
def hash_table_int_to_string(ctx):
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant([1, 2, 3], tf.int64), tf.constant(["one", "two", "three"]))
    table = tf.lookup.StaticHashTable(init, default_value="?")
    return save_fn(ctx, lambda k: table.lookup(k), [S([4], tf.int64, name="k")], table=table,
                   run={"k": {"low": 0, "high": 5}})


@fixture("string_lookup_layer", ["select-ops", "hash-table", "strings"])
def string_lookup_layer(ctx):
    layer = tf.keras.layers.StringLookup(vocabulary=["litelint", "MiXeD", "a b c"])
    return save_fn(ctx, lambda s: layer(s), [S([3], tf.string, name="s")], layer=layer)


# Custom op ---------------------------------------------------------------------------------

def _custom_op_graph():
    from tensorflow.core.framework import graph_pb2
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [1, 4], name="x")
        y = tf.identity(x * 2.0, name="pre")
        tf.identity(y, name="out")
    gd = graph_pb2.GraphDef()
    gd.CopyFrom(g.as_graph_def())
    for node in gd.node:
        if node.name == "pre":
            node.op = "MyCustomOp"
            node.attr["T"].type = tf.float32.as_datatype_enum
            node.attr["scale"].f = 2.0
    return gd


@fixture("custom_op.frozen", ["custom-op", "format-variant"],
         notes="GraphDef with NodeDef op 'MyCustomOp', which no TF build registers; "
               "from_frozen_graph called without input_shapes")
def custom_op_frozen(ctx):
    return ctx.save_graphdef(_custom_op_graph(), [("x", "float32", [1, 4])], ["out"])


@fixture("custom_op_shapes.frozen", ["custom-op", "format-variant"],
         notes="as custom_op.frozen, with input_shapes given to from_frozen_graph")
def custom_op_shapes_frozen(ctx):
    return ctx.save_graphdef(_custom_op_graph(), [("x", "float32", [1, 4])], ["out"],
                             input_shapes={"x": [1, 4]})


@fixture("custom_op_tf_op.frozen", ["custom-op", "format-variant"],
         notes="GraphDef using a registered TF op outside the Flex allowlist (Lgamma)")
def custom_op_tf_op_frozen(ctx):
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [1, 4], name="x")
        tf.identity(tf.math.lgamma(x) + 1.0, name="out")
    return ctx.save_graphdef(g.as_graph_def(), [("x", "float32", [1, 4])], ["out"],
                             run={"x": {"low": 0.5, "high": 2.0}})


