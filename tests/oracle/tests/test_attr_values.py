"""rules/opdb/tf_attr_values.toml is exactly what the pinned TensorFlow's op registry says."""
import tomllib

from litelint_oracle import attr_values


def test_committed_attr_values_match_tensorflow_op_registry():
    committed = attr_values.TARGET.read_text(encoding="utf-8")
    assert committed == attr_values.generate(), \
        "rules/opdb/tf_attr_values.toml is stale: run tests/oracle/regenerate-attr-values"


def test_attr_values_cover_the_layout_and_padding_attrs_the_rules_rely_on():
    table = tomllib.loads(attr_values.TARGET.read_text(encoding="utf-8"))
    # The corpus's debuginfo mobilenet tests feed Conv2D an NDHWC data_format, which
    # TensorFlow rejects: the table must say so.
    assert table["Conv2D"]["data_format"] == ["NHWC", "NCHW"]
    assert "NDHWC" in table["Conv3D"]["data_format"]
    assert table["AvgPool"]["padding"] == ["SAME", "VALID"]
    assert "DT_BOOL" not in table["Sqrt"]["T"]
