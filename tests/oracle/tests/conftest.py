"""Shared pytest fixtures: the zoo, the committed truth, litelint, and the random sample
of fixtures that is regenerated with real TensorFlow on every run."""
import os
import random

import pytest

from litelint_oracle import common, litelint_cli, truth

SAMPLE_SIZE = int(os.environ.get("LITELINT_ORACLE_SAMPLE_SIZE", 5))
NUMERIC_SAMPLE_SIZE = int(os.environ.get("LITELINT_ORACLE_NUMERIC_SAMPLE_SIZE", 4))


def _seed():
    env = os.environ.get("LITELINT_ORACLE_SAMPLE_SEED")
    return int(env) if env else random.SystemRandom().randrange(2**31)


SEED = _seed()


def pytest_report_header(config):
    return [f"oracle: sample seed {SEED} (rerun with LITELINT_ORACLE_SAMPLE_SEED={SEED})",
            f"oracle: zoo {common.zoo_dir()}",
            f"oracle: litelint {litelint_cli.find_binary()}"]


@pytest.fixture(scope="session")
def zoo_and_manifest():
    zoo = common.zoo_dir()
    if not (zoo / "manifest.json").exists():
        pytest.fail(f"no zoo at {zoo}: run tests/oracle/run (it builds the zoo first)")
    return common.load_manifest(zoo)


@pytest.fixture(scope="session")
def manifest(zoo_and_manifest):
    return zoo_and_manifest[1]


@pytest.fixture(scope="session")
def zoo(zoo_and_manifest):
    return zoo_and_manifest[0]


@pytest.fixture(scope="session")
def committed():
    return truth.load_committed()


@pytest.fixture(scope="session")
def litelint():
    return litelint_cli.find_binary()


def reverify_sample(committed_ids):
    return truth.sample_ids(committed_ids, SAMPLE_SIZE, SEED)


def numeric_sample(committed_truth):
    """Fixtures whose truth says a .tflite runs in LiteRT and matches TensorFlow."""
    runnable = sorted(
        fid for fid, t in committed_truth.items() if not t.get("nondeterministic")
        and any(m.get("runs") == "ok" for c in t.get("conversions", {}).values()
                for m in c["modes"].values()))
    return truth.sample_ids(runnable, NUMERIC_SAMPLE_SIZE, SEED + 1)


@pytest.fixture(scope="session")
def fresh_truth(zoo, committed):
    """Regenerates the reverification and numeric samples with real TensorFlow, once."""
    ids = sorted(set(reverify_sample(committed)) | set(numeric_sample(committed)))
    print(f"\noracle: regenerating {len(ids)} fixtures with TensorFlow (seed {SEED}): "
          f"{' '.join(ids)}")
    return truth.run_workers(zoo, ids, int(os.environ.get("LITELINT_ORACLE_JOBS", 2)),
                             cold=False)


def pytest_terminal_summary(terminalreporter):
    """The conversion tables (#17: model, ops ours/theirs, bytes ours/theirs, max difference)
    in the log of every run, not only when a row fails: pytest captures what the tests print."""
    import io
    import sys
    for name, module_name in (("compare-convert", "test_compare_convert"),
                              ("compare-convert-corpus", "test_corpus_convert"),
                              ("compare-fix", "test_compare_fix")):
        module = sys.modules.get(module_name)
        rows = getattr(module, "RESULTS", None)
        if not rows:
            continue
        printer = getattr(module, "TABLE_PRINTER", None)
        if printer is None:
            continue
        out = io.StringIO()
        printer(rows, out=out)
        terminalreporter.write_sep("=", f"{name}: {len(rows)} rows")
        terminalreporter.write(out.getvalue())
