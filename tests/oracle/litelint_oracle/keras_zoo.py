"""Keras fixtures for the Keras front end (issue 21) and their ground truth.

    python -m litelint_oracle.keras_zoo OUT_DIR [ID ...]

Builds small Keras 3 models with fixed seeds (no downloads), saves each as a native `.keras`
archive and as a legacy `.h5` file (and a few as architecture JSON + weights), and records
what `tf.lite.TFLiteConverter.from_keras_model(keras.models.load_model(path))` does with
them in builtins and select modes: success, the Flex ops, and `model.predict` on seeded
inputs (for the numeric comparison of `litelint convert`). Writes OUT_DIR/manifest.json.
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402


def _seq(inputs, *ls):
    x = inputs
    for layer in ls:
        x = layer(x)
    return keras.Model(inputs, x)


@keras.saving.register_keras_serializable(package="zoo")
class Scale(L.Layer):
    """A custom layer: its code is not in the saved file."""

    def call(self, x):
        return x * 2.0

    def compute_output_shape(self, input_shape):  # TimeDistributed asks
        return input_shape


@keras.saving.register_keras_serializable(package="zoo")
def cube(x):
    """A custom activation: the file names it, its code is not in the file."""
    return x * x * x


# Fixtures whose code lives in this module, not in the saved file, and the class or function
# litelint must name for them.
CUSTOM_CODE = {}


def fixtures():
    """(name, builder, input dtype) for every fixture; builders make a fresh model."""
    F = []

    def add(name, build, dtype="float32", json_pair=False):
        F.append((name, build, dtype, json_pair))

    # A fixture whose layer code lives in this module, not in the saved file: TensorFlow's
    # truth holds only where the class is registered; litelint must name the layer instead.
    CUSTOM_CODE.update(custom_layer="Scale", custom_activation="cube", custom_in_wrapper="Scale")

    add("dense_relu", lambda: _seq(keras.Input((8,), name="x"), L.Dense(16, activation="relu"), L.Dense(4, activation="softmax")), json_pair=True)
    add("dense_rank3", lambda: _seq(keras.Input((5, 8), name="x"), L.Dense(6, activation="tanh")))
    add("conv2d_bn_pool", lambda: _seq(keras.Input((16, 16, 3), name="img"), L.Conv2D(8, 3, padding="same", activation="relu"),
                                       L.BatchNormalization(), L.MaxPooling2D(2), L.Conv2D(4, 3, strides=2), L.GlobalAveragePooling2D(),
                                       L.Dense(3)), json_pair=True)
    add("conv1d_causal", lambda: _seq(keras.Input((20, 4), name="seq"), L.Conv1D(6, 3, padding="causal", dilation_rate=2),
                                      L.AveragePooling1D(2), L.Conv1D(5, 2), L.GlobalMaxPooling1D()))
    add("conv3d", lambda: _seq(keras.Input((6, 8, 8, 2), name="vol"), L.Conv3D(3, 3, padding="same"), L.MaxPooling3D(2), L.Flatten(), L.Dense(2)))
    add("depthwise_separable", lambda: _seq(keras.Input((12, 12, 4), name="img"), L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
                                            L.ReLU(6.0), L.SeparableConv2D(6, 3), L.LeakyReLU(), L.ZeroPadding2D(1), L.Cropping2D(1)))
    add("conv_transpose", lambda: _seq(keras.Input((8, 8, 3), name="img"), L.Conv2DTranspose(4, 3, strides=2, padding="same"),
                                       L.UpSampling2D(), L.Conv2D(2, 1)))
    add("conv_transpose_batch1", lambda: _seq(keras.Input((8, 8, 3), batch_size=1, name="img"), L.Conv2DTranspose(4, 3, strides=2)))
    add("reshape_permute", lambda: _seq(keras.Input((4, 6), name="x"), L.Reshape((6, 4)), L.Permute((2, 1)), L.Flatten(),
                                        L.RepeatVector(3), L.Dropout(0.5)))
    add("embedding_pool", lambda: _seq(keras.Input((10,), dtype="int32", name="ids"), L.Embedding(50, 8),
                                       L.GlobalAveragePooling1D(), L.Dense(1, activation="sigmoid")), dtype="int32")
    add("layer_norm", lambda: _seq(keras.Input((7, 12), name="x"), L.LayerNormalization(), L.Dense(12, activation="gelu")))
    add("activations", lambda: _seq(keras.Input((9,), name="x"), L.Dense(9, activation="swish"), L.Activation("elu"),
                                    L.Activation("hard_sigmoid"), L.Dense(9, activation="softplus"), L.Softmax()))

    def merges():
        a, b = keras.Input((6,), name="a"), keras.Input((6,), name="b")
        x = L.Add()([a, b])
        y = L.Multiply()([a, b])
        z = L.Subtract()([x, y])
        m = L.Maximum()([L.Average()([x, z]), L.Minimum()([y, z])])
        return keras.Model([a, b], L.Concatenate()([m, x]))
    add("merges", merges)

    def shared():
        a, b = keras.Input((5,), name="a"), keras.Input((5,), name="b")
        d = L.Dense(4, activation="relu", name="shared_dense")
        return keras.Model([a, b], L.Add()([d(a), d(b)]))
    add("shared_layer", shared)

    def nested():
        inner = keras.Sequential([keras.Input((6,)), L.Dense(5, activation="relu"), L.Dense(3)], name="inner")
        x = keras.Input((6,), name="x")
        return keras.Model(x, L.Dense(2)(inner(x)))
    add("nested_model", nested, json_pair=True)

    for cls, name in ((L.LSTM, "lstm"), (L.GRU, "gru"), (L.SimpleRNN, "simple_rnn")):
        add(f"{name}_unknown_batch", lambda cls=cls: _seq(keras.Input((6, 3), name="x"), cls(4)))
        add(f"{name}_batch1", lambda cls=cls: _seq(keras.Input((6, 3), batch_size=1, name="x"), cls(4)))
    add("lstm_sequences_batch1", lambda: _seq(keras.Input((5, 3), batch_size=1, name="x"), L.LSTM(4, return_sequences=True), L.Dense(2)))
    add("gru_backwards_batch1", lambda: _seq(keras.Input((5, 3), batch_size=1, name="x"), L.GRU(4, go_backwards=True)))
    add("lstm_unroll", lambda: _seq(keras.Input((4, 3), name="x"), L.LSTM(4, unroll=True)))
    add("bidirectional_lstm_batch1", lambda: _seq(keras.Input((5, 3), batch_size=1, name="x"),
                                                  L.Bidirectional(L.LSTM(4, return_sequences=True)), L.Bidirectional(L.GRU(3), merge_mode="sum")))
    add("bidirectional_unknown_batch", lambda: _seq(keras.Input((5, 3), name="x"), L.Bidirectional(L.SimpleRNN(4))))
    add("time_distributed", lambda: _seq(keras.Input((4, 6), name="x"), L.TimeDistributed(L.Dense(3, activation="relu")),
                                         L.Flatten()))
    add("custom_layer", lambda: _seq(keras.Input((4,), name="x"), Scale(), L.Dense(2)))
    add("custom_activation", lambda: _seq(keras.Input((4,), name="x"), L.Dense(3, activation=cube), L.Dense(2)))
    add("custom_in_wrapper", lambda: _seq(keras.Input((3, 4), name="x"), L.TimeDistributed(Scale()), L.Flatten()))
    return F


def _input_data(model, dtype, seed):
    rng = np.random.default_rng(seed)
    data = []
    for t in model.inputs:
        shape = [1 if d is None else d for d in t.shape]
        if dtype == "int32":
            data.append(rng.integers(0, 40, size=shape).astype(np.int32))
        else:
            data.append(rng.standard_normal(shape).astype(np.float32))
    return data


def _convert(model, select):
    c = tf.lite.TFLiteConverter.from_keras_model(model)
    ops = [tf.lite.OpsSet.TFLITE_BUILTINS] + ([tf.lite.OpsSet.SELECT_TF_OPS] if select else [])
    c.target_spec.supported_ops = ops
    try:
        blob = c.convert()
    except Exception as e:  # the converter's error is the truth
        return {"success": False, "error": str(e).strip().splitlines()[-1][:300], "flex_ops": []}
    from litelint_oracle import tflite_model
    # Every subgraph: an RNN's loop body is a subgraph of its own.
    return {"success": True, "flex_ops": tflite_model.describe(blob)["flex_ops"]}


def build(out, only=None):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, make, dtype, json_pair in fixtures():
        if only and name not in only:
            continue
        keras.utils.set_random_seed(1234)
        model = make()
        data = _input_data(model, dtype, 7)
        expected = model.predict(data if len(data) > 1 else data[0], verbose=0)
        if not isinstance(expected, list):
            expected = [expected]
        files = {"keras": f"{name}.keras", "h5": f"{name}.h5"}
        model.save(out / files["keras"])
        model.save(out / files["h5"])
        if json_pair:
            (out / f"{name}_arch").mkdir(exist_ok=True)
            (out / f"{name}_arch" / "model.json").write_text(model.to_json())
            model.save_weights(out / f"{name}_arch" / "model.weights.h5")
            files["json"] = f"{name}_arch/model.json"
        np.savez(out / f"{name}.io.npz", **{f"in{i}": d for i, d in enumerate(data)},
                 **{f"out{i}": np.asarray(e) for i, e in enumerate(expected)})
        truth = {}
        for kind, rel in files.items():
            try:
                loaded = keras.models.load_model(out / rel) if kind != "json" else model
            except Exception as e:
                truth[kind] = {"load_error": str(e).splitlines()[0][:200]}
                continue
            truth[kind] = {"builtins": _convert(loaded, False), "select": _convert(loaded, True)}
        manifest.append({"id": name, "files": files, "io": f"{name}.io.npz", "truth": truth,
                         "custom_code": CUSTOM_CODE.get(name, False)})
        print(name, {k: (v.get("builtins", {}).get("success"), v.get("select", {}).get("success")) for k, v in truth.items()},
              file=sys.stderr)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return out


if __name__ == "__main__":
    print(build(sys.argv[1], set(sys.argv[2:])))
