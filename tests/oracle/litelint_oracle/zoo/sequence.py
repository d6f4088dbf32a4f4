"""Sequence fixtures: Keras RNNs, a small transformer encoder, embeddings, einsum, matmul."""
import tensorflow as tf

from .registry import fixture

keras = tf.keras
T, F = 8, 4  # timesteps, features


def _seq_model(layers, name="x", shape=(T, F)):
    return keras.Sequential([keras.Input(shape, name=name), *layers])


@fixture("lstm", ["sequence", "rnn"], keras_entry=True)
def lstm(ctx):
    return ctx.export_keras(_seq_model([keras.layers.LSTM(16), keras.layers.Dense(3)]),
                            keras_file=True)


@fixture("lstm_return_sequences", ["sequence", "rnn"])
def lstm_return_sequences(ctx):
    return ctx.export_keras(_seq_model([keras.layers.LSTM(8, return_sequences=True),
                                        keras.layers.LSTM(8)]))


@fixture("lstm_dynamic_time", ["sequence", "rnn", "dynamic-shape"])
def lstm_dynamic_time(ctx):
    return ctx.export_keras(_seq_model([keras.layers.LSTM(8)], shape=(None, F)))


@fixture("gru", ["sequence", "rnn"], keras_entry=True)
def gru(ctx):
    return ctx.export_keras(_seq_model([keras.layers.GRU(16), keras.layers.Dense(3)]),
                            keras_file=True)


@fixture("bidirectional_lstm", ["sequence", "rnn"])
def bidirectional_lstm(ctx):
    return ctx.export_keras(_seq_model([keras.layers.Bidirectional(keras.layers.LSTM(8)),
                                        keras.layers.Dense(2)]))


@fixture("simple_rnn", ["sequence", "rnn"])
def simple_rnn(ctx):
    return ctx.export_keras(_seq_model([keras.layers.SimpleRNN(8), keras.layers.Dense(2)]))


@fixture("transformer_encoder", ["sequence", "transformer"], keras_entry=True)
def transformer_encoder(ctx):
    d = 16
    inp = keras.Input((T, d), name="tokens")
    att = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)(inp, inp)
    x = keras.layers.LayerNormalization(epsilon=1e-6)(inp + att)
    ff = keras.layers.Dense(32, activation="gelu")(x)
    ff = keras.layers.Dense(d)(ff)
    out = keras.layers.LayerNormalization(epsilon=1e-6)(x + ff)
    return ctx.export_keras(keras.Model(inp, out), keras_file=True)


@fixture("embedding", ["sequence", "embedding"], keras_entry=True)
def embedding(ctx):
    model = keras.Sequential([
        keras.Input((6,), dtype="int32", name="ids"),
        keras.layers.Embedding(100, 8),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(2),
    ])
    return ctx.export_keras(model, keras_file=True, run={"ids": {"low": 0, "high": 100}})


class _Einsum(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([2, 3, 4], tf.float32, name="a"),
                                  tf.TensorSpec([2, 4, 5], tf.float32, name="b"),
                                  tf.TensorSpec([2, 2, 3, 4], tf.float32, name="q")])
    def __call__(self, a, b, q):
        return {"bmm": tf.einsum("bij,bjk->bik", a, b),
                "attn": tf.einsum("bhqd,bhkd->bhqk", q, q),
                "transpose": tf.einsum("bij->bji", a),
                "reduce": tf.einsum("bij,bij->b", a, a),
                "outer": tf.einsum("bi,bj->bij", a[:, 0], b[:, 0])}


@fixture("einsum", ["sequence", "einsum"],
         notes="includes bij,bij->b, which the converter lowers to an invalid BatchMatMulV2")
def einsum(ctx):
    m = _Einsum()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _EinsumMatmulLike(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([2, 3, 4], tf.float32, name="a"),
                                  tf.TensorSpec([2, 4, 5], tf.float32, name="b"),
                                  tf.TensorSpec([2, 2, 3, 4], tf.float32, name="q")])
    def __call__(self, a, b, q):
        return {"bmm": tf.einsum("bij,bjk->bik", a, b),
                "attn": tf.einsum("bhqd,bhkd->bhqk", q, q),
                "proj": tf.einsum("bhqd,dk->bhqk", q, b[0])}


@fixture("einsum_matmul_like", ["sequence", "einsum"])
def einsum_matmul_like(ctx):
    m = _EinsumMatmulLike()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _BatchMatMul(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([2, 3, 4], tf.float32, name="a"),
                                  tf.TensorSpec([2, 5, 4], tf.float32, name="b"),
                                  tf.TensorSpec([2, 2, 4, 4], tf.float32, name="c")])
    def __call__(self, a, b, c):
        return {"adj_y": tf.linalg.matmul(a, b, adjoint_b=True),
                "rank4": tf.linalg.matmul(c, c, adjoint_a=True),
                "broadcast": tf.linalg.matmul(c, c[0, 0])}


@fixture("batch_matmul", ["sequence", "matmul"])
def batch_matmul(ctx):
    m = _BatchMatMul()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _Gelu(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([4, 16], tf.float32, name="x")])
    def __call__(self, x):
        return {"exact": tf.nn.gelu(x, approximate=False),
                "tanh": tf.nn.gelu(x, approximate=True)}


@fixture("gelu", ["sequence", "activation"])
def gelu(ctx):
    m = _Gelu()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function(),
                        run={"x": {"low": -4, "high": 4}})


@fixture("lstm.frozen", ["sequence", "rnn", "format-variant"])
def lstm_frozen(ctx):
    model = _seq_model([keras.layers.LSTM(8)])
    fn = tf.function(lambda x: model(x), input_signature=[tf.TensorSpec([1, T, F], tf.float32,
                                                                        name="x")])
    return ctx.freeze(fn.get_concrete_function())
