"""Runs a fixture's source model in TensorFlow and a .tflite in LiteRT on the same seeded
inputs, and compares the outputs."""
import numpy as np

from litelint_oracle import common


def _inputs_for(spec_inputs, seed):
    return common.seeded_inputs(spec_inputs, seed)


def _to_numpy(value):
    arr = value.numpy() if hasattr(value, "numpy") else np.asarray(value)
    return arr


def tf_reference(zoo, fixture, seed=0):
    """{signature key: {output name: array}} from TensorFlow itself."""
    import tensorflow as tf

    path = str(zoo / fixture["path"])
    results = {}
    if fixture["converter"] == "from_frozen_graph":
        graph_def = tf.compat.v1.GraphDef()
        graph_def.ParseFromString((zoo / fixture["path"]).read_bytes())
        g = tf.Graph()
        with g.as_default():
            tf.compat.v1.import_graph_def(graph_def, name="")
        sig = fixture["signatures"][""]
        feed = {f"{k}:0": v for k, v in _inputs_for(sig["inputs"], seed).items()}
        with tf.compat.v1.Session(graph=g) as sess:
            outs = sess.run([f"{o}:0" for o in sig["outputs"]], feed)
        results[""] = dict(zip(sig["outputs"], outs))
        return results
    loaded = tf.saved_model.load(path)
    for key, sig in fixture["signatures"].items():
        fn = loaded.signatures[key]
        inputs = {k: tf.constant(v) for k, v in _inputs_for(sig["inputs"], seed).items()}
        outs = fn(**inputs)
        results[key] = {k: _to_numpy(v) for k, v in outs.items()}
    return results


def _litert_value(arr):
    if arr.dtype == object:
        return np.array([s.encode() if isinstance(s, str) else s for s in arr.flat],
                        dtype=object).reshape(arr.shape)
    return arr


def _match_names(wanted, available):
    """Maps wanted names onto available ones: by name, else by position when counts agree."""
    if set(wanted) <= set(available):
        return {w: w for w in wanted}
    if len(wanted) == len(available):
        return dict(zip(sorted(wanted), sorted(available)))
    raise KeyError(f"cannot match {sorted(wanted)} to {sorted(available)}")


def litert_run(data, fixture, seed=0, interpreter_cls=None):
    """{signature key (manifest's): {output name (manifest's): array}} from LiteRT."""
    if interpreter_cls is None:
        from ai_edge_litert.interpreter import Interpreter as interpreter_cls
    interp = interpreter_cls(model_content=bytes(data))
    tfl_sigs = interp.get_signature_list()
    results = {}
    for key, sig in fixture["signatures"].items():
        inputs = _inputs_for(sig["inputs"], seed)
        if tfl_sigs:
            tfl_key = key if key in tfl_sigs else (next(iter(tfl_sigs)) if len(tfl_sigs) == 1
                                                   else None)
            if tfl_key is None:
                raise KeyError(f"signature {key!r} not in .tflite signatures {sorted(tfl_sigs)}")
            runner = interp.get_signature_runner(tfl_key)
            names = _match_names(list(inputs), tfl_sigs[tfl_key]["inputs"])
            outs = runner(**{names[k]: _litert_value(v) for k, v in inputs.items()})
            out_names = _match_names(sig["outputs"], list(outs))
            results[key] = {k: np.asarray(outs[v]) for k, v in out_names.items()}
        else:
            details = interp.get_input_details()
            by_name = {d["name"]: d for d in details}
            names = _match_names(list(inputs), list(by_name))
            for k, v in inputs.items():
                interp.resize_tensor_input(by_name[names[k]]["index"], list(v.shape))
            interp.allocate_tensors()
            for k, v in inputs.items():
                interp.set_tensor(by_name[names[k]]["index"], _litert_value(v))
            interp.invoke()
            outs = interp.get_output_details()
            results[key] = {name: interp.get_tensor(d["index"])
                            for name, d in zip(sig["outputs"], outs)}
    return results


def compare(reference, actual):
    """Merges common.compare_outputs over every signature."""
    summary = {"match": True, "max_abs_diff": 0.0, "max_rel_diff": 0.0, "problems": []}
    for key, want in reference.items():
        got = actual.get(key, {})
        r = common.compare_outputs(want, got)
        summary["match"] &= r["match"]
        summary["max_abs_diff"] = max(summary["max_abs_diff"], r["max_abs_diff"])
        summary["max_rel_diff"] = max(summary["max_rel_diff"], r["max_rel_diff"])
        summary["problems"] += [f"{key or '<graph>'}: {p}" for p in r["problems"]]
    return summary
