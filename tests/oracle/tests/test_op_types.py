"""The op x element type sweep (issue #20): the committed table covers every op the op database
calls builtin or lowered, was made by the pinned TensorFlow, and `litelint check` reaches the
converter's outcome on every swept graph under builtins and with Select TF ops. The table is
not regenerated here (tests/oracle/regenerate-op-types does that); the graphs are built once
into the cache (sweep-<hash>, about 30 s)."""
import tomllib

import pytest

from litelint_oracle import common, litelint_cli, op_types


@pytest.fixture(scope="module")
def table():
    return op_types.load_truth()


def _pinned_tensorflow():
    for line in (common.ORACLE_DIR / "requirements.txt").read_text().splitlines():
        if line.lower().replace("-", "_").startswith("tensorflow_cpu=="):
            return line.split("==")[1].strip()
    raise AssertionError("requirements.txt pins no tensorflow-cpu")


def test_table_covers_every_builtin_and_lowered_op(table):
    swept = set(op_types.swept_ops())
    covered = set(table["ops"]) | set(table["skipped_ops"])
    assert swept - covered == set(), \
        "ops without a sweep row: run tests/oracle/regenerate-op-types"
    assert covered - swept == set(), \
        "sweep rows for ops no longer builtin/lowered: run tests/oracle/regenerate-op-types"
    assert table["tensorflow_version"] == _pinned_tensorflow()
    # Every swept op has a recipe that builds: an op with no buildable type would be a hole.
    assert all(any(per for per in attrs.values()) for attrs in table["ops"].values())
    assert len(table["skipped_ops"]) <= 12, table["skipped_ops"]


def test_table_holds_the_facts_issue_20_quotes(table):
    ops = table["ops"]
    # "SCATTER_ND has no float32 kernel": it has; the indices are another operand.
    assert ops["ScatterNd"]["T"]["f32"]["outcome"] == "builtin"
    assert ops["ScatterNd"]["T"]["f32"]["builtin_ops"] == ["SCATTER_ND"]
    # "ONE_HOT has no float32 kernel": float values convert; the depth is int32 by the OpDef.
    assert ops["OneHot"]["T"]["f32"]["outcome"] == "builtin"
    assert ops["OneHot"]["TI"]["u8"]["outcome"] == "flex"
    assert ops["Conv2D"]["T"]["f16"]["outcome"] == "flex"
    assert {r["outcome"] for r in table["ops"]["Sqrt"]["T"].values()} == {"builtin", "flex"}


def test_database_lists_name_operands_the_opdef_has():
    opdb = tomllib.loads(op_types.OPDB.read_text(encoding="utf-8"))
    sigs = tomllib.loads((op_types.OPDB.parent / "tf_op_signatures.toml").read_text("utf-8"))
    for op, entry in opdb.items():
        for operand in entry.get("dtypes", {}):
            if operand == "output" or operand.startswith("output:") or operand.isdigit():
                continue
            names = [a.split(":", 1)[0] for a in sigs[op]["inputs"]]
            assert operand in names, f"{op}: dtypes names '{operand}', not one of {names}"


def test_litelint_agrees_with_the_converter_on_every_op_and_type(litelint):
    available, why = litelint_cli.has_subcommand(litelint, "check")
    if not available:
        pytest.skip(why)
    rows = op_types.compare(litelint)
    known = op_types.known_disagreements()
    wrong = [r for r in rows if not r["ok"] and f"{r['id']}@{r['target']}" not in known]
    stale = sorted(set(known) - {f"{r['id']}@{r['target']}" for r in rows if not r["ok"]})
    for target in ("builtins", "select"):
        sel = [r for r in rows if r["target"] == target]
        print(f"op-types {target}: {sum(r['ok'] for r in sel)}/{len(sel)} agree")
    assert not wrong, "the op database disagrees with TFLiteConverter (the converter wins):\n" + \
        "\n".join(f"  {r['id']} [{r['target']}]: {r['reason']}" for r in wrong[:40])
    assert not stale, f"known disagreements that now agree (remove them): {stale}"


def test_docs_summarize_the_committed_table(table):
    assert op_types.DOC.read_text(encoding="utf-8") == op_types.render_doc(table), \
        "docs/op-types.md is stale: python -m litelint_oracle.op_types doc"
