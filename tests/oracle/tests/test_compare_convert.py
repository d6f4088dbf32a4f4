"""litelint convert's .tflite files run in LiteRT like TensorFlow's (skipped until
`litelint convert` exists)."""
import pytest

from litelint_oracle import compare_convert


def test_convert_outputs_match_tensorflow(litelint, zoo, manifest, committed):
    rows, unavailable = compare_convert.run(litelint, zoo, manifest, committed)
    if unavailable:
        pytest.skip(f"compare-convert: not yet covered ({unavailable})")
    compare_convert.print_table(rows)
    failed = [r for r in rows if r["status"] == "fail"]
    assert not failed, "\n".join(f"{r['fixture']}/{r['mode']}: {r['reason']}" for r in failed)
