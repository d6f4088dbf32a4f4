"""compare-keras in the oracle suite (issue 21): litelint on the Keras fixtures
(litelint_oracle/keras_zoo.py) against TFLiteConverter.from_keras_model(load_model(path)).

The Keras zoo is built once into the cache, in the directory compare-keras uses (keyed by the
hash of keras_zoo.py and requirements.txt), then every row runs once per session: a check row
per fixture, file kind (.keras, .h5, architecture JSON) and mode, a convert row per file that
TensorFlow converts with builtins. The suite fails when a mode's agreement drops below the
issue's 97% or any conversion does not match model.predict within 1e-4."""
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

from litelint_oracle import common, keras_compare, litelint_cli

ORACLE = pathlib.Path(__file__).resolve().parents[1]
AGREEMENT = 0.97  # issue 21: verdicts agree on >= 97% of fixtures in each mode
# (fixture, kind) conversions known not to match yet, with why. A pending row that fails is an
# xfail; one that passes fails the suite until it is removed, so the list only shrinks.
PENDING = {}


def keras_zoo_dir():
    """Where compare-keras keeps the zoo: the same hash over the same two files."""
    if "LITELINT_KERAS_ZOO" in os.environ:
        return pathlib.Path(os.environ["LITELINT_KERAS_ZOO"])
    sources = (ORACLE / "litelint_oracle/keras_zoo.py", ORACLE / "requirements.txt")
    key = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    return common.cache_dir() / f"zoo-keras-{key}"


@pytest.fixture(scope="module")
def keras_zoo():
    zoo = keras_zoo_dir()
    if not (zoo / "manifest.json").exists():
        # Built beside the final directory and renamed, so an interrupted build is never used.
        start = time.monotonic()
        tmp = zoo.with_name(f"{zoo.name}.tmp.{os.getpid()}")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ORACLE), os.environ.get("PYTHONPATH")])),
                   TF_CPP_MIN_LOG_LEVEL="3")
        subprocess.run([sys.executable, "-m", "litelint_oracle.keras_zoo", str(tmp)], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        tmp.rename(zoo)
        print(f"\ncompare-keras: built the Keras zoo in {time.monotonic() - start:.0f} s: {zoo}")
    return zoo


@pytest.fixture(scope="module")
def rows(litelint, keras_zoo):
    """Every check and convert row, run once: (fixture, kind, mode or 'convert', ok, why)."""
    manifest = json.loads((keras_zoo / "manifest.json").read_text())
    out = []
    with tempfile.TemporaryDirectory(prefix="litelint-keras-") as tmp:
        for f in manifest:
            io = np.load(keras_zoo / f["io"])
            custom = f.get("custom_code", False)
            for kind, rel in f["files"].items():
                truth = f["truth"].get(kind, {})
                if "load_error" in truth:
                    continue
                for mode in keras_compare.MODES:
                    ok, why = keras_compare.check_row(litelint, keras_zoo / rel, mode, truth[mode], custom)
                    out.append((f["id"], kind, mode, ok, why))
                if truth["builtins"]["success"] and not custom:
                    try:
                        ok, why = keras_compare.convert_row(litelint, keras_zoo / rel, io, tmp)
                    except Exception as e:  # LiteRT refusing the file is a failed row
                        ok, why = False, f"LiteRT: {str(e).strip().splitlines()[-1][:200]}"
                    out.append((f["id"], kind, "convert", ok, why))
    return out


def _failures(rows, mode):
    return [f"{fid} {kind}: {why}" for fid, kind, m, ok, why in rows if m == mode and not ok]


@pytest.mark.parametrize("mode", keras_compare.MODES)
def test_check_agrees_with_tflite_converter(rows, mode):
    mine = [r for r in rows if r[2] == mode]
    assert mine, "no Keras check rows: the zoo's manifest is empty"
    agree = sum(r[3] for r in mine) / len(mine)
    print(f"compare-keras {mode}: {sum(r[3] for r in mine)}/{len(mine)} agree ({agree:.1%})")
    assert agree >= AGREEMENT, (f"{mode}: {agree:.1%} < {AGREEMENT:.0%}; disagreeing rows:\n  "
                                + "\n  ".join(_failures(rows, mode)))


def test_convert_matches_model_predict(rows):
    mine = [r for r in rows if r[2] == "convert"]
    assert mine, "no fixture converts with builtins: the zoo is not what compare-keras expects"
    print(f"compare-keras convert: {sum(r[3] for r in mine)}/{len(mine)} match model.predict")
    failures = [f"{fid} {kind}: {why}" for fid, kind, _, ok, why in mine if not ok and (fid, kind) not in PENDING]
    assert not failures, "conversions that do not match model.predict within 1e-4:\n  " + "\n  ".join(failures)
    fixed = sorted(f"{fid} {kind}" for fid, kind, _, ok, _ in mine if ok and (fid, kind) in PENDING)
    assert not fixed, f"now pass: remove them from PENDING in test_compare_keras.py: {fixed}"
    pending = [f"{fid} {kind}: {PENDING[(fid, kind)]} (now: {why})" for fid, kind, _, ok, why in mine if not ok]
    if pending:
        pytest.xfail("pending: " + "; ".join(pending))


def test_pending_rows_exist(rows):
    """Every pending conversion names a row the suite runs (no stale entries)."""
    run = {(fid, kind) for fid, kind, mode, _, _ in rows if mode == "convert"}
    assert not sorted(set(PENDING) - run)


def test_zoo_dir_is_the_one_compare_keras_uses(keras_zoo):
    """compare-keras hashes the same files with sha256sum; a drift would build a second zoo."""
    if "LITELINT_KERAS_ZOO" in os.environ:
        pytest.skip("LITELINT_KERAS_ZOO names the zoo")
    script = (ORACLE / "compare-keras").read_text()
    assert 'cat "$here/litelint_oracle/keras_zoo.py" "$here/requirements.txt" | sha256sum | cut -c1-12' in script
    assert "zoo-keras-$hash" in script
    assert keras_zoo.name.startswith("zoo-keras-")
