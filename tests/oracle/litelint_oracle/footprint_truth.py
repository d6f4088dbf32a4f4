"""TensorFlow's numbers for litelint's footprint (issue 20, section 4): Keras's count_params(),
the profiler's float-op count of the frozen batch-1 graph, and the weight bytes in
TFLiteConverter's float .tflite.

    python -m litelint_oracle.footprint_truth KIND PATH...

prints one JSON object per line ({"path", KIND: value}); KIND is params (a .keras/.h5 file),
macs (a SavedModel directory: profiler float ops / 2) or tflite_weights (a SavedModel
directory: bytes of the .tflite's buffers). A child process, as TensorFlow imports slowly and
keeps state.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def keras_params(path):
    import keras
    from litelint_oracle import keras_zoo  # noqa: F401  (registers the zoo's custom layer)
    return int(keras.models.load_model(path, compile=False, safe_mode=False).count_params())


def _batch1_concrete(saved_model_dir, signature="serving_default"):
    import tensorflow as tf
    loaded = tf.saved_model.load(saved_model_dir)
    fn = loaded.signatures[signature]
    specs = {k: tf.TensorSpec([1 if d is None else d for d in v.shape], v.dtype, name=k)
             for k, v in fn.structured_input_signature[1].items()}
    return loaded, tf.function(lambda **kw: fn(**kw)).get_concrete_function(**specs)


def profiler_macs(saved_model_dir):
    """Float ops / 2 of the frozen batch-1 graph, as tf.compat.v1.profiler counts them
    (Einsum has no flops statistics: those fixtures are counted by hand in the test)."""
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2
    _, cf = _batch1_concrete(saved_model_dir)
    graph_def = convert_variables_to_constants_v2(cf).graph.as_graph_def()
    with tf.Graph().as_default() as g:
        tf.graph_util.import_graph_def(graph_def, name="")
        opts = (tf.compat.v1.profiler.ProfileOptionBuilder(
            tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()).with_empty_output().build())
        prof = tf.compat.v1.profiler.profile(g, options=opts)
    return prof.total_float_ops / 2


def tflite_weight_bytes(saved_model_dir):
    """Bytes of the buffers of TFLiteConverter's float .tflite under builtins that hold
    tensors (not the metadata buffers: min_runtime_version, conversion metadata)."""
    import tensorflow as tf
    from ai_edge_litert import schema_py_generated as schema
    converter = tf.lite.TFLiteConverter.from_saved_model(saved_model_dir)
    data = converter.convert()
    model = schema.Model.GetRootAsModel(data, 0)
    metadata = {model.Metadata(i).Buffer() for i in range(model.MetadataLength())}
    total = 0
    for i in range(model.BuffersLength()):
        if i in metadata:
            continue
        b = model.Buffers(i)
        total += b.DataLength() or int(b.Size())
    return total


KINDS = {"params": keras_params, "macs": profiler_macs, "tflite_weights": tflite_weight_bytes}


def main(argv):
    kind, paths = argv[0], argv[1:]
    for path in paths:
        try:
            value = KINDS[kind](path)
            print(json.dumps({"path": path, kind: value}), flush=True)
        except Exception as e:  # one broken fixture must not hide the others' numbers
            print(json.dumps({"path": path, "error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
