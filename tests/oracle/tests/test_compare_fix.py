"""litelint fix on the zoo (#19): one test per fixture TensorFlow's converter cannot convert
with builtins alone. A row passes when `fix --unsafe-fixes -o` either writes a builtins-only
.tflite that matches TensorFlow in LiteRT ("fixed") or writes nothing and says per finding why
no fix applies ("not-fixed"); a fixed model with wrong numbers, or any other outcome, fails."""
import tempfile

import pytest

from litelint_oracle import compare_fix, litelint_cli, truth

ROWS = compare_fix.rows_to_run(truth.load_committed())
RESULTS = []
PENDING = {
    "lstm_return_sequences": "after static-input-shape the rules say every tensor list lowers, "
                             "but litelint's converter keeps TensorListReserve 'TensorArrayV2_1'",
}
TABLE_PRINTER = compare_fix.print_table  # conftest prints the table at the end of the run


@pytest.fixture(scope="module")
def runner(litelint, zoo, manifest, committed):
    available, why = litelint_cli.has_subcommand(litelint, "fix")
    if not available:
        pytest.skip(f"compare-fix: not yet covered ({why})")
    with tempfile.TemporaryDirectory(prefix="litelint-fix-") as tmp:
        yield compare_fix.Runner(litelint, zoo, manifest, committed, tmp)
    compare_fix.print_table(RESULTS)


@pytest.mark.parametrize("fixture", ROWS)
def test_fix_converts_or_says_why(runner, fixture):
    row = runner.row(fixture)
    RESULTS.append(row)
    if fixture in PENDING:
        if row["verdict"] not in ("fixed", "not-fixed"):
            pytest.xfail(f"pending: {PENDING[fixture]} (now: {row['reason']})")
        pytest.fail(f"{fixture} now passes: remove it from PENDING in test_compare_fix.py")
    assert row["verdict"] in ("fixed", "not-fixed"), f"{row['verdict']}: {row['reason']}"


def test_pending_rows_exist():
    """Every pending row names a fixture the suite runs."""
    assert not sorted(set(PENDING) - set(ROWS))
