"""rules/opdb/tf_op_signatures.toml is exactly what the pinned TensorFlow's op registry says."""
import tomllib

from litelint_oracle import op_signatures


def test_committed_op_signatures_match_tensorflow_op_registry():
    committed = op_signatures.TARGET.read_text(encoding="utf-8")
    assert committed == op_signatures.generate(), \
        "rules/opdb/tf_op_signatures.toml is stale: run tests/oracle/regenerate-op-signatures"


def test_op_signatures_hold_what_the_import_rules_rely_on():
    table = tomllib.loads(op_signatures.TARGET.read_text(encoding="utf-8"))
    # The corpus's while_loop_var_handle_op feeds a resource Merge into Less(T=int32).
    assert table["Less"]["inputs"] == ["x: T", "y: T"]
    assert table["Merge"]["inputs"] == ["inputs: N * T"]
    assert table["ReadVariableOp"]["inputs"] == ["resource: DT_RESOURCE"]
    # TPUDummyInput's shape has no default: the ICI dummy-variable tests leave it out.
    assert "shape: shape" in table["TPUDummyInput"]["attrs"]
    assert "T: type = default" in table["MaxPool"]["attrs"]
