"""Fixtures whose truth says the .tflite runs in LiteRT: convert again, run in LiteRT and
TensorFlow on the same seeded inputs, and require every output within 1e-4 (abs or rel)."""
import pytest

from conftest import numeric_sample
from litelint_oracle import truth


def pytest_generate_tests(metafunc):
    if "numeric_id" in metafunc.fixturenames:
        metafunc.parametrize("numeric_id", numeric_sample(truth.load_committed()))


def test_litert_matches_tensorflow(numeric_id, committed, fresh_truth):
    fresh = fresh_truth[numeric_id]
    assert "worker_failed" not in fresh, fresh.get("stderr_tail")
    ran = 0
    for ep, conv in fresh["conversions"].items():
        for mode, r in conv["modes"].items():
            want = committed[numeric_id]["conversions"][ep]["modes"][mode]
            if want.get("runs") != "ok":
                continue
            ran += 1
            assert r.get("runs") == "ok", f"{ep}/{mode}: {r.get('run_error')}"
            print(f"{numeric_id} {ep}/{mode}: max abs {r['max_abs_diff']:.3g}, "
                  f"max rel {r['max_rel_diff']:.3g}")
            assert r["outputs_match"] == want["outputs_match"], (ep, mode, r.get("mismatches"))
            if want["outputs_match"] is False:
                continue  # recorded as a known mismatch in the truth; drift would show it
            assert r["outputs_match"], r.get("mismatches")
    if not ran:
        pytest.skip("no mode runs in LiteRT")
