"""Graphs TensorFlow's importer rejects (issue #20): the committed import truth covers every
corpus GraphDef, still holds for a random sample, and `litelint check` never passes (exit 0)
a graph that tf.compat.v1.import_graph_def rejects."""
import os

import pytest

from conftest import SEED
from litelint_oracle import common, graph_import, litelint_cli, pbtxt_truth

SAMPLE_SIZE = int(os.environ.get("LITELINT_ORACLE_IMPORT_SAMPLE_SIZE", 6))


def _corpus_or_skip():
    corpus = pbtxt_truth.corpus_dir()
    if not (corpus / "MANIFEST.json").exists():
        pytest.skip(f"no shared corpus at {corpus} (set LITELINT_CORPUS)")
    return corpus


@pytest.fixture(scope="module")
def import_truth():
    return graph_import.load_committed()


def pinned_tensorflow():
    for line in (common.ORACLE_DIR / "requirements.txt").read_text().splitlines():
        if line.lower().replace("-", "_").startswith("tensorflow_cpu=="):
            return line.split("==")[1].strip()
    raise AssertionError("requirements.txt pins no tensorflow-cpu")


def test_every_corpus_graphdef_has_import_truth(import_truth):
    _corpus_or_skip()
    assert sorted(import_truth["graphs"]) == sorted(e["id"] for e in graph_import.entries())
    assert import_truth["tensorflow_version"] == pinned_tensorflow()
    graphs = import_truth["graphs"]
    assert not any("crashed" in r for r in graphs.values())
    # Facts issue #20 quotes, measured with TensorFlow 2.21:
    assert "Node name contains invalid characters" in \
        graphs["pbtxt/tf_mlir_graphdef2mlir_graph_custom_operation"]["error"]
    assert "nodes in a cycle" in graphs["pbtxt/tf_grappler_function_error"]["error"]
    assert "incompatible with expected int32" in \
        graphs["pbtxt/tf_grappler_while_loop_var_handle_op"]["error"]
    assert graphs["graphdef/tf2onnx_lstm"]["imports"]
    assert sum(not r["imports"] for r in graphs.values()) >= 40


def test_committed_import_truth_still_holds(import_truth):
    _corpus_or_skip()
    ids = pbtxt_truth.sample_ids(sorted(import_truth["graphs"]), SAMPLE_SIZE, SEED + 3)
    # Always re-import a few rejected graphs too: they are what the check below relies on.
    rejected = sorted(i for i, r in import_truth["graphs"].items() if not r["imports"])
    ids = sorted(set(ids) | set(pbtxt_truth.sample_ids(rejected, 3, SEED + 4)))
    print(f"\noracle: importing {len(ids)} corpus graphs again (seed {SEED}): {' '.join(ids)}")
    fresh = graph_import.run_workers(ids)
    drift = [f"{i}: committed {import_truth['graphs'][i]['imports']}, now {fresh[i]['imports']}"
             f" ({fresh[i].get('error', '')[:200]})"
             for i in ids if fresh[i]["imports"] != import_truth["graphs"][i]["imports"]]
    assert not drift, ("TensorFlow's importer no longer agrees with truth-import (seed "
                       f"{SEED}):\n  " + "\n  ".join(drift) +
                       "\nIf TensorFlow changed on purpose, run tests/oracle/regenerate-import-truth.")


def test_check_never_passes_a_graph_tensorflow_cannot_import(litelint, import_truth):
    _corpus_or_skip()
    ok, why = litelint_cli.has_subcommand(litelint, "check")
    if not ok:
        pytest.skip(why)
    rows, passed = graph_import.compare(litelint, import_truth)
    for eid, error, code, last in rows:
        print(f"{eid}: litelint exit {code}; TensorFlow: {error.splitlines()[0][:160]}")
    print(f"{len(rows)} corpus graphs rejected by TensorFlow's importer; litelint check "
          f"refuses {len(rows) - len(passed)}")
    assert not passed, ("litelint check exits 0 on graphs tf.compat.v1.import_graph_def "
                        "rejects:\n  " + "\n  ".join(
                            f"{i}: {import_truth['graphs'][i].get('error', '')[:300]}"
                            for i in passed))


def test_compare_reports_a_pass_on_a_rejected_graph(tmp_path, import_truth):
    _corpus_or_skip()
    # A litelint that passes everything must be caught on every rejected graph.
    fake = tmp_path / "litelint"
    fake.write_text("#!/bin/sh\necho 'converts-with-builtins'\nexit 0\n")
    fake.chmod(0o755)
    rows, passed = graph_import.compare(fake, import_truth)
    assert rows and len(passed) == len(rows)
