"""Paths, cache keys, JSON I/O and seeded inputs shared by the zoo, truth and runners.

Nothing here imports TensorFlow, so runners that only read truth stay fast.
"""
import hashlib
import json
import os
import re
import pathlib
import socket

ORACLE_DIR = pathlib.Path(__file__).resolve().parent.parent
REPO_ROOT = ORACLE_DIR.parent.parent
TRUTH_DIR = ORACLE_DIR / "truth"
ZOO_SOURCES = ORACLE_DIR / "litelint_oracle" / "zoo"
MODES = ("builtins", "select", "custom")
# float32 outputs match when every element is within 1e-4, absolute or relative (DESIGN.md).
MATCH_TOLERANCE = 1e-4


def cache_dir():
    return pathlib.Path(os.environ.get("LITELINT_CACHE", pathlib.Path.home() / ".cache/litelint"))


def zoo_key():
    """Hash of the generator sources and the pinned requirements (TF version)."""
    h = hashlib.sha256()
    files = sorted(ZOO_SOURCES.glob("*.py")) + [ORACLE_DIR / "requirements.txt"]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def zoo_dir():
    if "LITELINT_ZOO" in os.environ:
        return pathlib.Path(os.environ["LITELINT_ZOO"])
    return cache_dir() / f"zoo-{zoo_key()}"


def load_manifest(zoo=None):
    zoo = pathlib.Path(zoo or zoo_dir())
    with open(zoo / "manifest.json") as f:
        manifest = json.load(f)
    return zoo, manifest


def dump_json(obj, path):
    """Writes deterministic JSON (sorted keys, 2-space indent, final newline) atomically."""
    path = pathlib.Path(path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    tmp.replace(path)


def normalize_text(text, zoo=None):
    """Removes machine-specific pieces (paths, host name) from converter messages."""
    if text is None:
        return None
    replacements = []
    if zoo is not None:
        replacements.append((str(pathlib.Path(zoo).resolve()), "<zoo>"))
        replacements.append((str(zoo), "<zoo>"))
    replacements += [(str(REPO_ROOT), "<repo>"), (str(cache_dir()), "<cache>"),
                     (socket.gethostname(), "<host>")]
    for old, new in replacements:
        if old:
            text = text.replace(old, new)
    # Function ids count up with everything traced before, so they change with the zoo.
    text = re.sub(r"(__inference_[\w<>]*?)_\d+", r"\1_N", text)
    # The converter appends the whole MLIR function after some errors.
    cut = text.find("see current operation: \n")
    if cut >= 0:
        text = text[:cut] + "see current operation: <MLIR dump omitted>"
    return text


def seeded_inputs(input_specs, seed=0):
    """Returns {input name: numpy array} for one signature's run specs, the same every run."""
    import numpy as np

    values = {}
    for i, spec in enumerate(input_specs):
        rng = np.random.default_rng([seed, i])
        shape = tuple(spec["shape"])
        dtype = spec["dtype"]
        if "values" in spec:
            arr = np.array(spec["values"], dtype=object if dtype == "string" else dtype)
            values[spec["name"]] = arr.reshape(shape)
            continue
        low, high = spec.get("low", -1.0), spec.get("high", 1.0)
        if dtype == "string":
            words = np.array(["Hello World", "litelint", "TFLite Ops", "a b c", "MiXeD"],
                             dtype=object)
            values[spec["name"]] = words[rng.integers(0, len(words), size=shape)].astype(object)
        elif dtype == "bool":
            values[spec["name"]] = rng.integers(0, 2, size=shape).astype(bool)
        elif dtype.startswith("int") or dtype.startswith("uint"):
            values[spec["name"]] = rng.integers(int(low), int(high), size=shape).astype(dtype)
        else:
            values[spec["name"]] = rng.uniform(low, high, size=shape).astype(dtype)
    return values


def compare_outputs(expected, actual):
    """Max abs/rel diff over all outputs; match uses MATCH_TOLERANCE, abs or rel per element."""
    import numpy as np

    max_abs, max_rel, match, problems = 0.0, 0.0, True, []
    for key, want in expected.items():
        if key not in actual:
            match = False
            problems.append(f"output {key!r} missing")
            continue
        want, got = np.asarray(want), np.asarray(actual[key])
        if want.shape != got.shape:
            match = False
            problems.append(f"output {key!r}: shape {list(got.shape)} != {list(want.shape)}")
            continue
        if want.dtype == object or got.dtype == object:
            if not np.array_equal(want.astype(bytes), got.astype(bytes)):
                match = False
                problems.append(f"output {key!r}: strings differ")
            continue
        w, g = want.astype(np.float64), got.astype(np.float64)
        if want.size == 0:
            continue
        diff = np.abs(w - g)
        rel = diff / np.maximum(np.abs(w), 1e-30)
        both_nan = np.isnan(w) & np.isnan(g)
        diff = np.where(both_nan, 0.0, diff)
        rel = np.where(both_nan, 0.0, rel)
        max_abs = max(max_abs, float(np.nanmax(np.where(np.isnan(diff), np.inf, diff))))
        max_rel = max(max_rel, float(np.nanmax(np.where(np.isnan(rel), np.inf, rel))))
        ok = (diff <= MATCH_TOLERANCE) | (rel <= MATCH_TOLERANCE)
        if not bool(np.all(ok)):
            match = False
            problems.append(f"output {key!r}: {int(np.sum(~ok))} of {ok.size} elements differ")
    return {"match": match, "max_abs_diff": max_abs, "max_rel_diff": max_rel,
            "problems": problems}


def round_sig(x, digits=3):
    """Rounds a float to a few significant digits so diffs of truth stay readable."""
    if x is None or x == 0 or x != x or x in (float("inf"), float("-inf")):
        return x
    from math import floor, log10
    return round(x, digits - 1 - int(floor(log10(abs(x)))))
