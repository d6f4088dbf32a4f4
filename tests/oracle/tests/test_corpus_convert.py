"""litelint convert on every SavedModel, GraphDef and TF.js model of ../shared/corpus (#17):
malformed inputs exit 2 with one line, no entry crashes or leaves a partial file, and every
complete model converts, runs in LiteRT and matches TensorFlow (TF.js models: @tensorflow/tfjs
in Node) on seeded inputs. One test per corpus entry.

Entries in convert_corpus_pending.json (what litelint does not convert or match yet, with the
reason) are expected to fail and reported as xfail; a pending entry that passes fails the
suite until it is removed, so the list only ever shrinks. Rewrite it with
tests/oracle/compare-convert-corpus --write-pending and review the diff."""
import tempfile

import pytest

from litelint_oracle import corpus_convert, litelint_cli

CORPUS = corpus_convert.corpus_dir()
ENTRIES = corpus_convert.entries() if (CORPUS / "MANIFEST.json").exists() else []
PENDING = corpus_convert.load_pending()
RESULTS = []
TABLE_PRINTER = corpus_convert.print_table  # conftest prints the table at the end of the run


@pytest.fixture(scope="module")
def runner(litelint):
    available, why = litelint_cli.has_subcommand(litelint, "convert")
    if not available:
        pytest.skip(f"compare-convert-corpus: not yet covered ({why})")
    with tempfile.TemporaryDirectory(prefix="litelint-convert-corpus-") as tmp:
        yield corpus_convert.Runner(litelint, CORPUS, tmp)
    corpus_convert.print_table(RESULTS)


@pytest.mark.skipif(not ENTRIES, reason=f"no corpus at {CORPUS} (set LITELINT_CORPUS)")
@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_corpus_convert(runner, entry):
    row = runner.row(entry)
    RESULTS.append(row)
    key = entry["id"]
    if key in PENDING:
        if row["status"] == "fail":
            pytest.xfail(f"pending: {PENDING[key]} (now: {row['reason']})")
        pytest.fail(f"{key} now {'passes' if row['status'] == 'pass' else 'is skipped'} "
                    f"({row.get('note', '')}): remove it from "
                    "tests/oracle/convert_corpus_pending.json")
    if row["status"] == "skipped":
        pytest.skip(row["note"])
    assert row["status"] == "pass", row["reason"]


@pytest.mark.skipif(not ENTRIES, reason=f"no corpus at {CORPUS} (set LITELINT_CORPUS)")
def test_pending_entries_exist():
    """Every pending entry names a corpus entry the suite runs (no stale entries)."""
    stale = sorted(set(PENDING) - {e["id"] for e in ENTRIES})
    assert not stale, f"convert_corpus_pending.json lists entries that are not run: {stale}"
