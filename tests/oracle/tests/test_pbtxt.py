"""The corpus pbtxt end-to-end tests (issue #9): the committed converter truth is complete
and still holds for a random sample, and `litelint check` agrees with it."""
import json
import os
import stat
import sys

import pytest

from conftest import SEED
from litelint_oracle import common, compare_pbtxt, pbtxt_truth

SAMPLE_SIZE = int(os.environ.get("LITELINT_ORACLE_PBTXT_SAMPLE_SIZE", 3))


def _corpus_or_skip():
    corpus = pbtxt_truth.corpus_dir()
    if not (corpus / "MANIFEST.json").exists():
        pytest.skip(f"no shared corpus at {corpus} (set LITELINT_CORPUS)")
    return corpus


@pytest.fixture(scope="module")
def pbtxt_committed():
    return pbtxt_truth.load_committed()


def test_every_in_scope_case_has_truth(pbtxt_committed):
    _corpus_or_skip()
    cases, skipped = pbtxt_truth.scope()
    assert sorted(pbtxt_committed["cases"]) == sorted(c["case"] for c in cases)
    assert pbtxt_committed["out_of_scope"] == skipped
    # Every tf_tfl_translate end-to-end test of the corpus is a case.
    assert sum(c["kind"] == "end2end" for c in cases) >= 19


def test_pbtxt_truth_is_consistent(pbtxt_committed):
    versions = pbtxt_committed["tensorflow_versions"]
    assert versions == [pinned_tensorflow()], versions
    for cid, r in pbtxt_committed["cases"].items():
        assert "worker_failed" not in r and "parse_error" not in r, cid
        for variant in ("arrays_only", "run_line_shapes"):
            modes = r[variant]["modes"]
            assert set(modes) == set(common.MODES), cid
            if modes["builtins"]["success"]:
                assert modes["select"]["success"] and modes["custom"]["success"], cid
            if modes["select"]["success"]:
                assert not modes["select"]["custom_ops"], cid
        text = json.dumps(r)
        assert "/tmp/" not in text and str(common.REPO_ROOT) not in text, cid
    # Measured facts issue #9 quotes (TensorFlow 2.21):
    cases = pbtxt_committed["cases"]
    assert cases["pbtxt/tf_mlir_lite_end2end_control_flow_v1"]["verdict"] == \
        "converts-with-builtins"
    assert cases["pbtxt/tf_mlir_lite_end2end_conv_2d_nchw"]["verdict"] == "fails"
    assert cases["pbtxt/tf_mlir_lite_end2end_add"]["arrays_only"]["modes"]["builtins"][
        "builtin_ops"] == {"ADD": 1}
    # tf_tfl_translate overrides a legacy scalar Placeholder shape with the RUN line's;
    # from_frozen_graph cannot, so that variant fails on the same graph.
    assert not cases["pbtxt/tf_mlir_lite_end2end_control_flow_v1"]["run_line_shapes"][
        "modes"]["builtins"]["success"]


def pinned_tensorflow():
    """The tensorflow-cpu version requirements.txt pins."""
    for line in (common.ORACLE_DIR / "requirements.txt").read_text().splitlines():
        if line.lower().replace("-", "_").startswith("tensorflow_cpu=="):
            return line.split("==")[1].strip()
    raise AssertionError("requirements.txt pins no tensorflow-cpu")


def pytest_generate_tests(metafunc):
    if "pbtxt_sampled" in metafunc.fixturenames:
        ids = sorted(pbtxt_truth.load_committed()["cases"])
        metafunc.parametrize("pbtxt_sampled", pbtxt_truth.sample_ids(ids, SAMPLE_SIZE, SEED + 2))


@pytest.fixture(scope="module")
def pbtxt_fresh(pbtxt_committed):
    _corpus_or_skip()
    ids = pbtxt_truth.sample_ids(sorted(pbtxt_committed["cases"]), SAMPLE_SIZE, SEED + 2)
    print(f"\noracle: converting {len(ids)} pbtxt cases again (seed {SEED}): {' '.join(ids)}")
    return pbtxt_truth.run_workers(ids, int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))


def test_committed_pbtxt_truth_still_holds(pbtxt_sampled, pbtxt_committed, pbtxt_fresh):
    fresh = pbtxt_fresh[pbtxt_sampled]
    assert "worker_failed" not in fresh, fresh.get("stderr_tail")
    problems = pbtxt_truth.drift(pbtxt_committed["cases"][pbtxt_sampled], fresh)
    assert not problems, (f"TensorFlow no longer agrees with truth-pbtxt (seed {SEED}):\n  " +
                          "\n  ".join(problems) +
                          "\nIf TensorFlow changed on purpose, run "
                          "tests/oracle/regenerate-pbtxt-truth.")


def test_check_agrees_with_tflite_converter_on_pbtxt(litelint, pbtxt_committed):
    corpus = _corpus_or_skip()
    known = compare_pbtxt.load_known()
    rows, unavailable = compare_pbtxt.run(litelint, corpus, pbtxt_committed, known=known)
    compare_pbtxt.print_table(rows)
    if unavailable:
        pytest.skip(f"compare-pbtxt: not yet covered ({unavailable})")
    for case, mode in compare_pbtxt.stale_known(rows, known):
        print(f"note: {case} {mode} agrees now; delete it from {compare_pbtxt.KNOWN_FILE.name}")
    new = [r for r in rows if r["status"] == "fail"]
    assert not new, "new disagreements (fix, or list them with a reason in " \
        f"{compare_pbtxt.KNOWN_FILE.name}):\n" + \
        "\n".join(f"{r['case']} {r['mode']}: {r['reason']}" for r in new)
    assert sum(r["status"] == "pass" for r in rows) > 0
    # Known disagreements count against the agreement: issue #9 asks for 95% on the
    # end-to-end tests. While the shortfall is only understood disagreements (each with its
    # cause and owner in the known file), the test is an expected failure, never a pass.
    per_kind = compare_pbtxt.summarize(rows)
    low = {f"{k}/{m}": f"{s['passed']}/{s['covered']}" for k, per_mode in per_kind.items()
           for m, s in per_mode.items()
           if k in ("end2end", "all") and s["covered"] and s["agreement"] < compare_pbtxt.MIN_AGREEMENT}
    if low:
        pytest.xfail(f"end-to-end agreement below {compare_pbtxt.MIN_AGREEMENT:.0%} ({low}), "
                     f"all of it listed in {compare_pbtxt.KNOWN_FILE.name}")


@pytest.fixture
def fake_pbtxt_litelint(tmp_path):
    script = tmp_path / "litelint"
    script.write_text(f"#!/bin/sh\nPYTHONPATH={common.ORACLE_DIR} exec {sys.executable} "
                      f"{common.ORACLE_DIR / 'tests' / 'fake_litelint_pbtxt.py'} \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


RUNNER_SAMPLE = ["pbtxt/tf_mlir_lite_end2end_add", "pbtxt/tf_mlir_lite_end2end_conv_2d_nchw",
                 "pbtxt/tf_mlir_graphdef2mlir_multi_output_feeds@2"]


def test_compare_pbtxt_passes_a_litelint_that_agrees_and_fails_one_that_does_not(
        fake_pbtxt_litelint, pbtxt_committed, monkeypatch):
    corpus = _corpus_or_skip()
    rows, unavailable = compare_pbtxt.run(fake_pbtxt_litelint, corpus, pbtxt_committed,
                                          RUNNER_SAMPLE)
    assert not unavailable
    assert {r["status"] for r in rows} == {"pass"} and len(rows) == 3 * len(RUNNER_SAMPLE)
    # The converter fails conv_2d_nchw in every mode: a litelint that says it converts
    # disagrees three times; one that rejects the input (exit 2) agrees.
    monkeypatch.setenv("FAKE_LITELINT_WRONG", "pbtxt/tf_mlir_lite_end2end_conv_2d_nchw")
    monkeypatch.setenv("FAKE_LITELINT_REJECT", "pbtxt/tf_mlir_graphdef2mlir_multi_output_feeds@2")
    rows, _ = compare_pbtxt.run(fake_pbtxt_litelint, corpus, pbtxt_committed, RUNNER_SAMPLE)
    assert {(r["case"], r["mode"]) for r in rows if r["status"] == "fail"} == \
        {("pbtxt/tf_mlir_lite_end2end_conv_2d_nchw", m) for m in common.MODES}
    rejected = [r for r in rows if r["exit"] == 2]
    assert len(rejected) == 3 and {r["status"] for r in rejected} == {"pass"}
    # A listed disagreement is "known", and still counts against the agreement.
    known = {"pbtxt/tf_mlir_lite_end2end_conv_2d_nchw": {"builtins": "test"}}
    rows, _ = compare_pbtxt.run(fake_pbtxt_litelint, corpus, pbtxt_committed, RUNNER_SAMPLE,
                                known=known)
    assert [r["mode"] for r in rows if r["status"] == "known"] == ["builtins"]
    assert compare_pbtxt.summarize(rows)["all"]["builtins"]["passed"] == 2
