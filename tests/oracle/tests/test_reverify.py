"""A random sample of fixtures regenerated with real TensorFlow must equal the committed
truth in every stable field (success per mode, error codes and ops, Flex/custom op lists,
builtin histogram, whether the .tflite runs and matches). Timings are not compared; sizes
only within truth.SIZE_TOLERANCE."""
import json

import pytest

from conftest import SEED, reverify_sample
from litelint_oracle import truth


def pytest_generate_tests(metafunc):
    if "sampled_id" in metafunc.fixturenames:
        metafunc.parametrize("sampled_id", reverify_sample(truth.load_committed()))


def test_sample_is_large_enough(committed):
    assert len(reverify_sample(committed)) >= min(5, len(committed))


def test_committed_truth_still_holds(sampled_id, committed, fresh_truth):
    fresh = fresh_truth[sampled_id]
    assert "worker_failed" not in fresh, fresh.get("stderr_tail")
    problems = truth.drift(committed[sampled_id], fresh)
    if problems:
        print(json.dumps(truth.stable(fresh), indent=2, sort_keys=True))
        pytest.fail(f"TensorFlow no longer agrees with truth/{sampled_id}.json "
                    f"(seed {SEED}):\n  " + "\n  ".join(problems) +
                    "\nIf TensorFlow changed on purpose, run tests/oracle/regenerate-truth.")
