"""The committed truth is complete, well formed and self-consistent, without running TF."""
import json
import pathlib

import jsonschema
import pytest

from litelint_oracle import common, truth

SCHEMA = json.loads((common.ORACLE_DIR / "truth.schema.json").read_text())

# Every bullet of issue #4's fixture list, as the tags the zoo gives its fixtures.
REQUIRED_TAGS = ["vision", "keras-applications", "layout", "resize", "batchnorm", "sequence",
                 "rnn", "transformer", "embedding", "einsum", "matmul", "fft", "strings",
                 "linalg", "image", "random", "scatter", "segment", "unique", "ragged",
                 "hash-table", "custom-op", "control-flow", "while", "cond",
                 "control-flow-v1", "tensor-list", "dynamic-shape", "int64", "float64",
                 "resource-variables", "stateful", "signatures", "tf1", "debug-info"]
REQUIRED_KINDS = ["savedmodel-tf2", "savedmodel-keras-export", "savedmodel-tf1",
                  "frozen-graphdef"]


def test_zoo_has_at_least_60_fixtures_covering_every_category(manifest):
    fixtures = manifest["fixtures"]
    assert len(fixtures) >= 60
    tags = {t for f in fixtures for t in f["tags"]}
    assert not set(REQUIRED_TAGS) - tags
    assert not set(REQUIRED_KINDS) - {f["kind"] for f in fixtures}


def test_every_fixture_has_truth_and_every_truth_a_fixture(manifest, committed):
    in_zoo = {f["id"] for f in manifest["fixtures"]}
    missing, stale = sorted(in_zoo - set(committed)), sorted(set(committed) - in_zoo)
    assert not missing, f"no truth for {missing}: run tests/oracle/regenerate-truth --only ..."
    assert not stale, f"truth for fixtures that no longer exist: {stale}"


def test_truth_was_made_with_the_pinned_tensorflow(manifest, committed):
    versions = {t.get("tensorflow_version") for t in committed.values()}
    assert versions == {manifest["tensorflow_version"]}, (
        f"truth from TF {versions}, zoo from TF {manifest['tensorflow_version']}: after a "
        "TensorFlow upgrade run tests/oracle/regenerate-truth and commit the diff")


def test_no_truth_worker_failed(committed):
    failed = {fid: t.get("worker_failed") for fid, t in committed.items() if "worker_failed" in t}
    assert not failed


@pytest.mark.parametrize("path", sorted(p.name for p in common.TRUTH_DIR.glob("[!_]*.json")))
def test_truth_file_matches_schema_and_is_consistent(path):
    t = json.loads((common.TRUTH_DIR / path).read_text())
    jsonschema.validate(t, SCHEMA)
    assert path == f"{t['fixture']}.json"
    for ep, conv in t["conversions"].items():
        modes = conv["modes"]
        assert conv["verdict"] == truth.verdict(modes), ep
        if modes["select"]["success"]:
            assert not modes["select"]["custom_ops"], "select mode never emits custom ops"
            assert not modes["select"]["flex_options_problems"]
        if modes["builtins"]["success"]:
            assert not modes["builtins"]["flex_ops"] and not modes["builtins"]["custom_ops"]
            # Anything builtins can do, the wider op sets can do as well.
            assert modes["select"]["success"] and modes["custom"]["success"]
        for mode, r in modes.items():
            if not r["success"] and "ConverterError" == r["exception"]:
                assert r["error_codes"] or r["message"], (ep, mode)
    assert t["verdict"] == t["conversions"][t["converter"]]["verdict"]
    text = (common.TRUTH_DIR / path).read_text()
    assert str(common.REPO_ROOT) not in text and "/home/" not in text, "absolute path in truth"


def test_truth_files_are_deterministic_json():
    for p in sorted(common.TRUTH_DIR.glob("*.json")):
        obj = json.loads(p.read_text())
        assert p.read_text() == json.dumps(obj, indent=2, sort_keys=True,
                                           ensure_ascii=False) + "\n", p.name


def test_the_sample_helpers_pick_distinct_fixtures(committed):
    ids = truth.sample_ids(committed, 5, 7)
    assert len(set(ids)) == min(5, len(committed))
    assert ids == truth.sample_ids(committed, 5, 7)
    assert pathlib.Path(common.TRUTH_DIR).is_dir()


def test_drift_reports_changed_stable_fields_and_ignores_timings(committed):
    import copy
    base = committed["string_lower"]
    same = copy.deepcopy(base)
    for conv in same["conversions"].values():
        for r in conv["modes"].values():
            r["convert_seconds"] *= 3
            r["message"] = "reworded"
    same["timing"]["cold_seconds"] = 99.0
    assert truth.drift(base, same) == []
    changed = copy.deepcopy(base)
    select = changed["conversions"]["from_saved_model"]["modes"]["select"]
    select["flex_ops"] = ["StringLower", "StringUpper"]
    select["tflite_bytes"] *= 2
    changed["conversions"]["from_saved_model"]["modes"]["builtins"]["error_codes"] = []
    problems = truth.drift(base, changed)
    assert any("select/flex_ops" in p for p in problems)
    assert any("select/tflite_bytes" in p for p in problems)
    assert any("builtins/error_codes" in p for p in problems)
