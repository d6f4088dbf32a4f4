"""Fixture registry and the save helpers every builder uses.

A builder is a function `build(ctx)` registered with @fixture; it builds one small model
with fixed seeds and saves it through one of the Ctx.save_* helpers, which also record
what the manifest needs (kind, converter entry point, signatures, run shapes).
"""
import pathlib

FIXTURES = {}

# Run shape for unknown dimensions: batch (dim 0) runs with 1, every other None dim with 8.
DYNAMIC_DIM = 8


def fixture(fixture_id, tags, *, nondeterministic=False, keras_entry=False, notes=""):
    """Registers a builder. tags: category words; nondeterministic: outputs vary per run."""
    def register(build):
        assert fixture_id not in FIXTURES, fixture_id
        FIXTURES[fixture_id] = {"id": fixture_id, "tags": sorted(tags), "build": build,
                                "nondeterministic": nondeterministic,
                                "keras_entry": keras_entry, "notes": notes}
        return build
    return register


def _dtype_name(dtype_enum):
    import tensorflow as tf
    name = tf.dtypes.as_dtype(dtype_enum).name
    return {"float32": "float32"}.get(name, name)


def _signature_info(saved_model_dir):
    """Reads signature inputs/outputs from saved_model.pb without loading any function."""
    from tensorflow.core.protobuf import saved_model_pb2
    sm = saved_model_pb2.SavedModel()
    sm.ParseFromString((pathlib.Path(saved_model_dir) / "saved_model.pb").read_bytes())
    meta = sm.meta_graphs[0]
    signatures = {}
    for key, sig in sorted(meta.signature_def.items()):
        if key == "__saved_model_init_op":
            continue
        inputs = []
        for name, info in sorted(sig.inputs.items()):
            dims = None if info.tensor_shape.unknown_rank else [
                None if d.size < 0 else d.size for d in info.tensor_shape.dim]
            inputs.append({"name": name, "dtype": _dtype_name(info.dtype), "declared_shape": dims})
        signatures[key] = {"inputs": inputs, "outputs": sorted(sig.outputs)}
    return signatures


def _run_shape(declared):
    if declared is None:
        return [2, 3]
    return [(1 if i == 0 else DYNAMIC_DIM) if d is None else d for i, d in enumerate(declared)]


class Ctx:
    """Where a builder saves its model, and what it tells the manifest."""

    def __init__(self, zoo, fixture_id):
        self.zoo = pathlib.Path(zoo)
        self.id = fixture_id
        self.dir = self.zoo / fixture_id
        self.dir.mkdir(parents=True, exist_ok=True)

    def _finish(self, entry, run):
        """Fills run shapes; run = {input name: {"shape"|"low"|"high"|"values": ...}}."""
        run = run or {}
        for sig in entry["signatures"].values():
            for spec in sig["inputs"]:
                spec["shape"] = _run_shape(spec["declared_shape"])
                spec.update(run.get(spec["name"], {}))
        return entry

    def save_tf2(self, obj, signatures=None, debug_info=False, run=None):
        """tf.saved_model.save of a tf.Module (TF2 SavedModel)."""
        import tensorflow as tf
        path = self.dir / "saved_model"
        options = tf.saved_model.SaveOptions(save_debug_info=debug_info)
        tf.saved_model.save(obj, str(path), signatures=signatures, options=options)
        entry = {"kind": "savedmodel-tf2", "path": f"{self.id}/saved_model",
                 "converter": "from_saved_model", "signatures": _signature_info(path),
                 "debug_info": debug_info}
        return self._finish(entry, run)

    def export_keras(self, model, run=None, keras_file=False):
        """Keras 3 model.export (SavedModel); optionally also a .keras file for from_keras_model."""
        path = self.dir / "saved_model"
        model.export(str(path), verbose=False)
        entry = {"kind": "savedmodel-keras-export", "path": f"{self.id}/saved_model",
                 "converter": "from_saved_model", "signatures": _signature_info(path)}
        if keras_file:
            model.save(str(self.dir / "model.keras"))
            entry["keras_file"] = f"{self.id}/model.keras"
        return self._finish(entry, run)

    def save_graphdef(self, graph_def, inputs, outputs, run=None, notes_kind="frozen-graphdef",
                      input_shapes=None):
        """Writes a frozen GraphDef; inputs: [(node name, dtype, declared shape)], outputs: names.

        input_shapes ({name: shape}) is passed to from_frozen_graph; only needed when
        TensorFlow cannot import the graph to read the placeholders' shapes itself.
        """
        (self.dir / "graph.pb").write_bytes(graph_def.SerializeToString())
        specs = [{"name": n, "dtype": d, "declared_shape": s} for n, d, s in inputs]
        entry = {"kind": notes_kind, "path": f"{self.id}/graph.pb",
                 "converter": "from_frozen_graph",
                 "input_arrays": [n for n, _, _ in inputs], "output_arrays": list(outputs),
                 "signatures": {"": {"inputs": specs, "outputs": list(outputs)}}}
        if input_shapes:
            entry["input_shapes"] = input_shapes
        return self._finish(entry, run)

    def freeze(self, concrete_fn, run=None):
        """Freezes a concrete function (convert_variables_to_constants_v2) into graph.pb."""
        from tensorflow.python.framework import convert_to_constants
        frozen = convert_to_constants.convert_variables_to_constants_v2(concrete_fn)
        graph_def = frozen.graph.as_graph_def()
        inputs = []
        for t in frozen.inputs:
            if t.dtype.name == "resource":
                continue
            dims = None if t.shape.rank is None else t.shape.as_list()
            inputs.append((t.op.name, t.dtype.name, dims))
        outputs = [t.op.name for t in frozen.outputs]
        return self.save_graphdef(graph_def, inputs, outputs, run=run)

    def save_tf1(self, graph, session, inputs, outputs, run=None):
        """TF1 SavedModel (simple_save) from a graph-mode session; inputs/outputs: {key: tensor}."""
        import tensorflow as tf
        path = self.dir / "saved_model"
        with graph.as_default():
            tf.compat.v1.saved_model.simple_save(session, str(path), inputs, outputs)
        entry = {"kind": "savedmodel-tf1", "path": f"{self.id}/saved_model",
                 "converter": "from_saved_model", "signatures": _signature_info(path)}
        return self._finish(entry, run)
