"""litelint convert's .tflite files run in LiteRT like TensorFlow's (#17): one test per
fixture and mode in which TensorFlow's converter succeeds.

Rows in convert_pending.json (what litelint does not convert yet, with the reason) are
expected to fail and reported as xfail; a pending row that passes fails the suite until it is
removed from the list, so the list only ever shrinks."""
import tempfile

import pytest

from litelint_oracle import compare_convert, litelint_cli, truth

ROWS = compare_convert.rows_to_run(truth.load_committed())
PENDING = compare_convert.load_pending()
RESULTS = []
TABLE_PRINTER = compare_convert.print_table  # conftest prints the table at the end of the run


@pytest.fixture(scope="module")
def runner(litelint, zoo, manifest, committed):
    available, why = litelint_cli.has_subcommand(litelint, "convert")
    if not available:
        pytest.skip(f"compare-convert: not yet covered ({why})")
    with tempfile.TemporaryDirectory(prefix="litelint-convert-") as tmp:
        yield compare_convert.Runner(litelint, zoo, manifest, committed, tmp)
    compare_convert.print_table(RESULTS)


@pytest.mark.parametrize("fixture,mode", ROWS, ids=[f"{f}/{m}" for f, m in ROWS])
def test_convert_matches_tensorflow(runner, fixture, mode):
    row = runner.row(fixture, mode)
    RESULTS.append(row)
    key = f"{fixture}/{mode}"
    if key in PENDING:
        if row["status"] == "fail":
            pytest.xfail(f"pending: {PENDING[key]} (now: {row['reason']})")
        pytest.fail(f"{key} now passes: remove it from tests/oracle/convert_pending.json")
    assert row["status"] == "pass", row["reason"]


def test_pending_rows_exist():
    """Every pending row names a fixture and mode the suite runs (no stale entries)."""
    stale = sorted(set(PENDING) - {f"{f}/{m}" for f, m in ROWS})
    assert not stale, f"convert_pending.json lists rows that are not run: {stale}"
