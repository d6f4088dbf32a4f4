"""The fallback plan's converter snippet, run as printed (issue 18).

`litelint check` prints, for a model that needs converter settings, the code that converts it
anyway: from_saved_model for a SavedModel, v1 from_frozen_graph with the arrays for a GraphDef,
import_meta_graph + from_session for a MetaGraphDef, and for a TF.js graph model (which
TensorFlow cannot read) `litelint convert`. Each case here runs litelint on a zoo fixture or a
corpus model from the model's own directory (so the snippet names a relative path), substitutes
the absolute path, runs the snippet (Python with TensorFlow, or the shell line), and asserts it
converts exactly when litelint's verdict says the snippet's mode converts.

Corpus MetaGraphDefs come without their checkpoints, so a snippet that must restore variables
is expected to fail at restore; those cases are skipped with that reason rather than judged.
"""
import json
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

import pytest

from litelint_oracle import common, corpus_convert, litelint_cli

TIMEOUT = 600
# Corpus formats whose snippet is not from_saved_model; the zoo covers SavedModels and frozen
# GraphDefs made by TensorFlow itself.
CORPUS_FORMATS = ("graphdef-binary", "graphdef-text", "metagraphdef-binary", "metagraphdef-text",
                  "graph-model", "layers-model", "keras-h5", "keras-v3", "keras-json+h5-weights")
CORPUS = corpus_convert.corpus_dir()


def _corpus_cases():
    if not (CORPUS / "MANIFEST.json").exists():
        return []
    manifest = json.loads((CORPUS / "MANIFEST.json").read_text())
    # The pbtxt category holds MLIR test inputs, most of them broken on purpose; the graphdef
    # category holds real models.
    return sorted((e for e in manifest["entries"]
                   if e["format"] in CORPUS_FORMATS and e["category"] in ("graphdef", "tfjs", "keras")
                   # Without its weight shards a TF.js model is only linted, never converted.
                   and e.get("complete", True)),
                  key=lambda e: e["id"])


def _zoo_cases():
    try:
        manifest = common.load_manifest(common.zoo_dir())[1]
    except (OSError, ValueError):
        return []
    return manifest["fixtures"] if isinstance(manifest, dict) else manifest


ZOO = _zoo_cases()
CORPUS_CASES = _corpus_cases()


def snippet_mode(plan):
    """The converter mode the snippet's settings select (a key of the report's `modes`)."""
    if plan["select_tf_ops"]:
        return "select-custom" if plan["allow_custom_ops"] else "select"
    return "custom" if plan["allow_custom_ops"] else "builtins"


def check(litelint, model, extra=()):
    """litelint's JSON report for `model`, run from its directory with a relative path."""
    model = pathlib.Path(model)
    r = subprocess.run([str(litelint), "check", model.name, "--format", "json", *extra],
                       cwd=model.parent, capture_output=True, text=True, timeout=TIMEOUT,
                       stdin=subprocess.DEVNULL)
    if r.returncode == 2:
        pytest.skip(f"litelint cannot read it: {r.stderr.strip()[:200]}")
    doc = json.loads(r.stdout)
    return doc["models"][0] if "models" in doc else doc


def substitute(snippet, relative, absolute, quoted):
    """The snippet with the model path it was printed for replaced by `absolute`."""
    old = json.dumps(relative) if quoted else relative
    new = json.dumps(absolute) if quoted else shlex.quote(absolute)
    assert old in snippet, f"the snippet does not name the model path {old}:\n{snippet}"
    return snippet.replace(old, new)


def run_python(snippet, tmp):
    script = pathlib.Path(tmp) / "snippet.py"
    out = pathlib.Path(tmp) / "model.tflite"
    script.write_text("import tensorflow as tf\n" + snippet +
                      f"open({json.dumps(str(out))}, 'wb').write(tflite_model)\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                       timeout=TIMEOUT, cwd=tmp, stdin=subprocess.DEVNULL,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return r.returncode == 0 and out.is_file() and out.stat().st_size > 0, r.stderr


def run_shell(snippet, litelint, tmp):
    lines = [line for line in snippet.splitlines() if line and not line.startswith("#")]
    assert lines and all(line.startswith("litelint convert ") for line in lines), snippet
    ok, err = True, ""
    for line in lines:
        argv = shlex.split(line)
        argv[0] = str(litelint)
        argv[argv.index("-o") + 1] = str(pathlib.Path(tmp) / "model.tflite")
        r = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp,
                           stdin=subprocess.DEVNULL)
        ok, err = ok and r.returncode == 0, err + r.stderr
    return ok, err


def judge(litelint, model, report, absolute):
    plan = report["plan"]
    snippet = plan["converter_snippet"]
    if not snippet:
        pytest.skip("no snippet: the model converts with the default settings")
    shell = snippet.lstrip().startswith("#") and "litelint convert" in snippet
    fmt = report["model"].get("format", "")
    expected = report["modes"][snippet_mode(plan)]
    with tempfile.TemporaryDirectory(prefix="litelint-snippet-") as tmp:
        if shell:
            assert fmt in ("graph-model", "layers-model"), f"a shell snippet for a {fmt} model:\n{snippet}"
            ok, err = run_shell(substitute(snippet, model.name, absolute, quoted=False), litelint, tmp)
        else:
            assert fmt not in ("graph-model", "layers-model"), "a TF.js model got a TensorFlow snippet"
            text = substitute(snippet, model.name, absolute, quoted=True)
            if fmt.startswith("metagraphdef") and model.name.endswith(".meta"):
                # The checkpoint prefix beside the .meta is a second relative path.
                prefix = model.name[:-len(".meta")]
                text = text.replace(json.dumps(prefix), json.dumps(str(model.parent / prefix)))
            ok, err = run_python(text, tmp)
            if not ok and "saver.restore" in snippet and ("checkpoint" in err.lower() or "NotFoundError" in err):
                pytest.skip("the corpus has the MetaGraphDef without its checkpoint")
    assert ok == expected, (
        f"litelint says mode {snippet_mode(plan)} {'converts' if expected else 'fails'}, but the "
        f"snippet {'converted' if ok else 'failed'}:\n{snippet}\n--- stderr (tail) ---\n{err[-3000:]}")


@pytest.fixture(scope="module")
def binary(litelint):
    if not litelint.is_file():
        pytest.skip(f"no litelint binary at {litelint}")
    return litelint


@pytest.mark.skipif(not ZOO, reason="no zoo (tests/oracle/run builds it)")
@pytest.mark.parametrize("fixture", ZOO, ids=[f["id"] for f in ZOO])
def test_zoo_snippet(binary, fixture):
    zoo = common.zoo_dir()
    args = litelint_cli.model_args(zoo, fixture)
    model = pathlib.Path(args[0])
    report = check(binary, model, args[1:])
    judge(binary, model, report, str(model))


@pytest.mark.skipif(not CORPUS_CASES, reason=f"no corpus at {CORPUS} (set LITELINT_CORPUS)")
@pytest.mark.parametrize("entry", CORPUS_CASES, ids=[e["id"] for e in CORPUS_CASES])
def test_corpus_snippet(binary, entry):
    model = corpus_convert.model_path(CORPUS, entry)
    report = check(binary, model)
    judge(binary, model, report, str(model))


MAKE_METAGRAPH = """
import sys
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
graph = tf.Graph()
with graph.as_default():
    x = tf.compat.v1.placeholder(tf.float32, [2, 2], name="x")
    w = tf.compat.v1.get_variable("w", initializer=tf.eye(2))
    # MatrixInverse has no builtin: the plan needs Select TF ops, so a snippet is printed.
    tf.identity(tf.linalg.inv(tf.matmul(x, w) + tf.eye(2)), name="y")
    saver = tf.compat.v1.train.Saver()
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        saver.save(sess, sys.argv[1])
"""


def test_metagraph_with_checkpoint_snippet(binary, tmp_path):
    """The MetaGraphDef route end to end: a TF1 graph saved with its checkpoint, whose snippet
    restores the variables and converts the session (the corpus has no checkpoints)."""
    r = subprocess.run([sys.executable, "-c", MAKE_METAGRAPH, str(tmp_path / "model")],
                       capture_output=True, text=True, timeout=TIMEOUT,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert r.returncode == 0, r.stderr[-2000:]
    model = tmp_path / "model.meta"
    report = check(binary, model, ["--outputs", "y"])
    assert "saver.restore(sess, \"model\")" in report["plan"]["converter_snippet"]
    assert report["modes"][snippet_mode(report["plan"])], report["findings"]
    judge(binary, model, report, str(model))
