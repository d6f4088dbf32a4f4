"""The runners themselves: compare-check passes a litelint that agrees with TensorFlow,
fails one that does not, and reports "skipped" for a binary without `check`."""
import os
import stat
import sys

import pytest

from litelint_oracle import common, compare_check

SAMPLE = ["mlp", "string_lower", "svd", "v1_merge_three_way.frozen", "custom_op.frozen",
          "mlp.frozen"]


@pytest.fixture
def fake_litelint(tmp_path):
    script = tmp_path / "litelint"
    script.write_text(f"#!/bin/sh\nPYTHONPATH={common.ORACLE_DIR} exec {sys.executable} "
                      f"{common.ORACLE_DIR / 'tests' / 'fake_litelint.py'} \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_compare_check_passes_a_litelint_that_agrees(fake_litelint, zoo, manifest, committed):
    rows, unavailable = compare_check.run(fake_litelint, zoo, manifest, committed, SAMPLE)
    compare_check.print_table(rows)
    assert not unavailable
    assert [r for r in rows if r["status"] != "pass"] == []
    assert len(rows) == 3 * len(SAMPLE)


def test_compare_check_fails_a_litelint_that_disagrees(fake_litelint, zoo, manifest, committed,
                                                        monkeypatch):
    monkeypatch.setenv("FAKE_LITELINT_WRONG", "string_lower")
    rows, _ = compare_check.run(fake_litelint, zoo, manifest, committed, SAMPLE)
    failed = {(r["fixture"], r["mode"]) for r in rows if r["status"] == "fail"}
    # Builtins: TF fails, the liar converts. Select: flex list differs. Custom: custom list.
    assert failed == {("string_lower", m) for m in common.MODES}


def test_compare_check_skips_a_binary_without_check(tmp_path, zoo, manifest, committed):
    stub = tmp_path / "litelint"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    rows, unavailable = compare_check.run(stub, zoo, manifest, committed, SAMPLE)
    assert unavailable and {r["status"] for r in rows} == {"skipped"}
    rows, unavailable = compare_check.run(tmp_path / "missing", zoo, manifest, committed, SAMPLE)
    assert unavailable and {r["status"] for r in rows} == {"skipped"}
    assert os.path.exists(stub)
