"""Debug info end to end (issue #3): for zoo SavedModels saved with save_debug_info=True,
`litelint check --format json` points findings at the Python line that built the op."""
import json
import pathlib
import subprocess

import pytest

from litelint_oracle import common

ZOO_SOURCES = common.ZOO_SOURCES.resolve()


def _fixture(manifest, fixture_id):
    for f in manifest["fixtures"]:
        if f["id"] == fixture_id:
            return f
    pytest.fail(f"zoo has no fixture {fixture_id!r}")


def _check_json(litelint, zoo, fixture):
    if not litelint.is_file():
        pytest.fail(f"no litelint binary at {litelint} (build it, or set LITELINT_BIN)")
    r = subprocess.run([str(litelint), "check", "--format", "json", str(zoo / fixture["path"])],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    # 0 = no findings at the fail level, 1 = findings; 2 would mean the model was not read.
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def _finding_nodes(report, op=None):
    for finding in report["findings"]:
        if op is not None and finding.get("op") != op:
            continue
        for node in finding.get("nodes", []):
            yield finding, node


def _is_zoo_generator(source):
    # The debug info holds the absolute path of the checkout that built the cached zoo, which
    # need not be this one; the generator is identified by its place in the package.
    path = pathlib.Path(source["file"])
    return path.parent.name == ZOO_SOURCES.name and path.parent.parent.name == ZOO_SOURCES.parent.name


def _source_line(source):
    # Read the generator from this checkout (the zoo cache is keyed by the generators' hash,
    # so its sources are the same).
    lines = (ZOO_SOURCES / pathlib.Path(source["file"]).name).read_text().splitlines()
    assert 1 <= source["line"] <= len(lines), source
    return lines[source["line"] - 1]


def test_string_lower_finding_points_at_the_generator_line(litelint, zoo, manifest):
    fixture = _fixture(manifest, "string_lower.debuginfo")
    assert fixture["debug_info"]
    report = _check_json(litelint, zoo, fixture)
    sources = list(_finding_nodes(report, "StringLower"))
    assert sources, "no finding names the StringLower node"
    for finding, node in sources:
        source = node.get("source")
        assert source is not None, f"{finding['code']} on {node} carries no source"
        # The stack's innermost frame in user code is the zoo generator that called
        # tf.strings.lower, not a TensorFlow-internal file.
        assert pathlib.Path(source["file"]).name == "select_ops.py", source
        assert _is_zoo_generator(source), source
        assert "tf.strings.lower" in _source_line(source), source


def test_findings_without_debug_info_carry_no_source(litelint, zoo, manifest):
    report = _check_json(litelint, zoo, _fixture(manifest, "string_lower"))
    nodes = [n for _, n in _finding_nodes(report, "StringLower")]
    assert nodes, "no finding names the StringLower node"
    assert all("source" not in n for n in nodes), nodes


@pytest.mark.parametrize("fixture_id", ["cond.debuginfo", "conv_stack.debuginfo",
                                        "mlp.debuginfo", "string_lower.debuginfo"])
def test_every_source_is_a_zoo_generator_line(litelint, zoo, manifest, fixture_id):
    fixture = _fixture(manifest, fixture_id)
    report = _check_json(litelint, zoo, fixture)
    for finding, node in _finding_nodes(report):
        source = node.get("source")
        if source is None:
            continue
        assert source["file"].endswith(".py"), (finding["code"], source)
        if _is_zoo_generator(source):
            assert _source_line(source).strip(), (finding["code"], source)
