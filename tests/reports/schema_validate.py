#!/usr/bin/env python3
"""Validates every JSON report the tests produce against reports/schema/check-report.schema.json
(and `convert --report` documents against convert-report.schema.json) with a real validator
(ajv-cli, draft 2020-12, strict mode), and checks that the CI files
(action.yml, .pre-commit-hooks.yaml, the workflow in docs/ci.md) parse as YAML with the keys
GitHub and pre-commit need (js-yaml, from the same pinned npm tools).

Reports validated: the golden files (tests/golden/*/litelint.json), a --recursive batch over
the whole corpus, several single models and targets, a batch with unreadable models, a
baselined run and an --output-dir run. Mutated copies must be rejected, so a schema that
accepts anything cannot pass.

Usage: schema_validate.py --litelint BUILD/cli/litelint --junit OUT.xml
Writes JUnit XML (one test case per file or check); exits 1 when any case failed.
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "reports" / "schema" / "check-report.schema.json"
CONVERT_SCHEMA = REPO / "reports" / "schema" / "convert-report.schema.json"
# A dense layer that checks clean under builtins, so that convert writes its report.
CONVERT_FIXTURE = REPO / "tests" / "cli" / "fixtures" / "matmul_bias.pbtxt"

# (file stem, arguments after `litelint check`, expected exit code); run in the corpus dir.
REPORT_RUNS = [
    ("corpus-batch", [".", "--recursive", "--format", "json", "--jobs", "2"], 2),
    ("single-clean", ["graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb", "--format", "json"], 0),
    ("single-flex", ["savedmodel/tf_cc_half_plus_two", "--format", "json"], 1),
    ("single-flex-select", ["savedmodel/tf_cc_half_plus_two", "--target", "select-tf-ops", "--format", "json"], 0),
    ("single-fails", ["savedmodel/tf_lite_control_flow_v1_saved_model", "--format", "json"], 1),
    ("single-custom", ["pbtxt/tf_ir_roundtrip_test20/test20.pbtxt", "--allow-custom-ops", "--format", "json"], None),
    ("single-gpu", ["tfjs/tfjs_e2e_load_predict_graph_model", "--target", "gpu", "--format", "json"], None),
    ("single-debuginfo", ["pbtxt/tf_mlir_lite_debuginfo_mobilenet_v1_line/v1_1.0_224_frozen.wrong_attr.line.part.pbtxt",
                          "--format", "json"], None),
    # Findings that carry `fix` (narrow-float64, unsafe, with its `change`): schema 1.1.0.
    ("single-fix", [str(REPO / "rules" / "checks" / "usage" / "unsupported_dtype_fix.fixture.pbtxt"),
                    "--outputs", "y", "--format", "json"], 1),
    ("batch-unreadable", ["savedmodel/tf_cc_fuzz_const_with_no_value", "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb",
                          "tflite/tf_lite_java_testdata_invalid_model/invalid_model.bin", "--format", "json"], 2),
]


class Suite:
    """Collects test cases and writes them as JUnit XML."""

    def __init__(self, name):
        self.name = name
        self.cases = []  # (name, seconds, failure message or None)

    def run(self, name, check):
        start = time.monotonic()
        try:
            check()
            failure = None
        except AssertionError as err:
            failure = str(err) or "assertion failed"
        except (OSError, subprocess.SubprocessError, ValueError, KeyError) as err:
            failure = f"{type(err).__name__}: {err}"
        seconds = time.monotonic() - start
        self.cases.append((name, seconds, failure))
        status = "ok" if failure is None else "FAILED"
        print(f"  {status:6} {name}" + ("" if failure is None else "\n" + indent(failure)))

    def write(self, path):
        failures = sum(1 for _, _, f in self.cases if f is not None)
        suite = ET.Element("testsuite", name=self.name, tests=str(len(self.cases)),
                           failures=str(failures), errors="0", skipped="0")
        for name, seconds, failure in self.cases:
            case = ET.SubElement(suite, "testcase", classname=self.name, name=name, time=f"{seconds:.3f}")
            if failure is not None:
                node = ET.SubElement(case, "failure", message=failure.splitlines()[0][:200])
                node.text = failure
        root = ET.Element("testsuites")
        root.append(suite)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        return failures


def indent(text, limit=40):
    lines = text.splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join("         " + line for line in lines)


def corpus_root():
    env = os.environ.get("LITELINT_CORPUS")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


def node_tools():
    out = subprocess.run([str(REPO / "tests" / "tools" / "setup-node-tools")], check=True,
                         stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    return Path(out.stdout.strip().splitlines()[-1])


class Ajv:
    def __init__(self, tools):
        self.bin = tools / "node_modules" / ".bin" / "ajv"

    def validate(self, data_file, schema=SCHEMA):
        """Returns (valid, ajv's output)."""
        proc = subprocess.run(
            [str(self.bin), "validate", "--spec=draft2020", "--strict=true", "--all-errors",
             "--errors=text", "-c", "ajv-formats", "-s", str(schema), "-d", str(data_file)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
        output = shorten(proc.stdout.strip())
        if "schema" in output and "is invalid" in output:
            raise AssertionError(f"ajv rejects the schema itself:\n{output}")
        return proc.returncode == 0 and output.endswith(" valid"), output


def shorten(ajv_output, limit=25):
    """ajv prints all errors on one line, repeating oneOf noise; keep the distinct ones."""
    lines = []
    for line in ajv_output.splitlines():
        parts, seen = [], set()
        for part in line.split(", "):
            if part not in seen:
                seen.add(part)
                parts.append(part)
        if len(parts) > limit:
            parts = parts[:limit] + [f"... {len(parts) - limit} more"]
        lines.append("\n".join(parts) if len(parts) > 1 else line)
    return "\n".join(lines)


def run_litelint(litelint, args, cwd):
    env = dict(os.environ, LITELINT_REPRODUCIBLE="1")
    return subprocess.run([str(litelint), "check", *args], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def yaml_documents(tools, files):
    """Parses YAML files with js-yaml; returns {file: data}."""
    script = (
        "const y = require(process.argv[1]); const fs = require('fs'); const out = {};"
        "for (const f of process.argv.slice(2)) out[f] = y.load(fs.readFileSync(f, 'utf8'));"
        "process.stdout.write(JSON.stringify(out));")
    proc = subprocess.run(["node", "-e", script, str(tools / "node_modules" / "js-yaml"), *map(str, files)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise AssertionError(f"js-yaml could not parse: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def check_action(action):
    assert isinstance(action, dict), "action.yml is not a mapping"
    for key in ("name", "description", "inputs", "runs"):
        assert key in action, f"action.yml has no '{key}'"
    inputs = action["inputs"]
    for name in ("paths", "target", "format", "args", "upload-sarif"):
        assert name in inputs, f"action.yml has no input '{name}'"
        assert "description" in inputs[name], f"input '{name}' has no description"
    runs = action["runs"]
    assert runs.get("using") == "composite", "action.yml must be a composite action"
    steps = runs.get("steps") or []
    assert steps, "action.yml has no steps"
    text_of_runs = "\n".join(s.get("run", "") for s in steps)
    for step in steps:
        assert ("run" in step) != ("uses" in step), f"a step needs exactly one of run/uses: {step}"
        if "run" in step:
            assert step.get("shell"), f"composite run steps need a shell: {step.get('name')}"
    for needle in ("scripts/install-deps", "scripts/build", "litelint check", "--output-dir",
                   "GITHUB_STEP_SUMMARY"):
        assert needle in text_of_runs, f"no step runs '{needle}'"
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1, "exactly one github/codeql-action/upload-sarif step"
    assert "upload-sarif" in str(upload[0].get("if", "")), "the SARIF upload follows the upload-sarif input"
    assert "sarif_file" in (upload[0].get("with") or {}), "upload-sarif needs sarif_file"
    assert "outputs" in action and "exit-code" in action["outputs"], "action.yml has no exit-code output"


def check_pre_commit(hooks):
    assert isinstance(hooks, list) and hooks, ".pre-commit-hooks.yaml must be a non-empty list"
    by_id = {h.get("id"): h for h in hooks}
    hook = by_id.get("litelint-check")
    assert hook is not None, "no hook with id litelint-check"
    for key in ("id", "name", "entry", "language", "files"):
        assert key in hook, f"hook litelint-check has no '{key}'"
    assert hook["entry"].startswith("litelint check"), "entry must run litelint check"
    assert hook["language"] in ("system", "script"), "language must be system or script"
    files = re.compile(hook["files"])
    for path in ("models/m/saved_model.pb", "frozen.pb", "graph.pbtxt", "web/model.json",
                 "exported/saved_model.pbtxt", "m/graph.meta"):
        assert files.search(path), f"files regex does not match {path}"
    for path in ("README.md", "src/train.py", "package.json", "data/labels.txt"):
        assert not files.search(path), f"files regex matches {path}"


def check_doc_workflow(doc):
    assert isinstance(doc, dict) and "jobs" in doc and ("on" in doc or "true" in doc), "not a workflow"
    uses = [s.get("uses", "") for job in doc["jobs"].values() for s in job.get("steps", [])]
    assert any(u.startswith("actions/checkout@") for u in uses), "example does not check out the repo"
    assert any("litelint" in u for u in uses), "example does not use the litelint action"
    perms = [job.get("permissions", {}) for job in doc["jobs"].values()] + [doc.get("permissions", {})]
    assert any(p.get("security-events") == "write" for p in perms), \
        "SARIF upload needs permissions: security-events: write"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--litelint", required=True, type=Path)
    parser.add_argument("--junit", required=True, type=Path)
    args = parser.parse_args()
    litelint = args.litelint.resolve()
    corpus = corpus_root()
    suite = Suite("schema")
    print("schema: validating JSON reports and CI files")

    # Without the validator nothing below can pass: record that as a failure, not a traceback.
    found = []
    suite.run("npm tools install (tests/tools/setup-node-tools)", lambda: found.append(node_tools()))
    if not found:
        suite.write(args.junit)
        return 1
    tools = found[0]
    ajv = Ajv(tools)
    with tempfile.TemporaryDirectory(prefix="litelint-schema-") as tmp:
        tmp = Path(tmp)
        reports = []  # files that must validate
        for golden in sorted((REPO / "tests" / "golden").glob("*/litelint.json")):
            reports.append((f"golden/{golden.parent.name}", golden))

        def produce(stem, run_args, expected_exit):
            def check():
                proc = run_litelint(litelint, run_args, corpus)
                if expected_exit is not None:
                    assert proc.returncode == expected_exit, \
                        f"exit {proc.returncode}, expected {expected_exit}; stderr: {proc.stderr[:500]}"
                assert proc.returncode in (0, 1, 2), f"exit {proc.returncode}; stderr: {proc.stderr[:500]}"
                out = tmp / f"{stem}.json"
                out.write_text(proc.stdout)
                json.loads(proc.stdout)
                reports.append((stem, out))
            suite.run(f"produce {stem}", check)

        for stem, run_args, expected_exit in REPORT_RUNS:
            produce(stem, run_args, expected_exit)

        # A baselined run (summary.baseline_suppressed, baseline) and an --output-dir run.
        flex = tmp / "single-flex.json"
        if flex.exists():
            produce("single-baselined", ["savedmodel/tf_cc_half_plus_two", "--format", "json",
                                         "--baseline", str(flex)], 0)
        def output_dir():
            out_dir = tmp / "out"
            proc = run_litelint(litelint, ["graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb",
                                           "savedmodel/tf_cc_half_plus_two", "--format", "json,text",
                                           "--output-dir", str(out_dir)], corpus)
            assert proc.returncode == 1, f"exit {proc.returncode}: {proc.stderr[:500]}"
            assert proc.stdout == "", "--output-dir must not print the reports"
            reports.append(("output-dir", out_dir / "litelint.json"))
        suite.run("produce output-dir", output_dir)

        for name, path in reports:
            def validate(path=path):
                valid, output = ajv.validate(path)
                assert valid, f"{path} does not validate:\n{output}"
            suite.run(f"valid {name}", validate)

        # Negative controls: a schema that let these through would validate nothing.
        def mutations():
            single = json.loads((tmp / "single-flex.json").read_text())
            batch = json.loads((tmp / "batch-unreadable.json").read_text())
            fixed = json.loads((tmp / "single-fix.json").read_text())
            cases = {
                "verdict outside the enum": lambda: {**single, "verdict": "maybe"},
                "unknown top-level key": lambda: {**single, "surprise": 1},
                "severity outside the enum": lambda: _set(single, ["findings", 0, "severity"], "fatal"),
                "impact outside the enum": lambda: _set(single, ["findings", 0, "impact"], "huge"),
                "wrong schema_version": lambda: {**single, "schema_version": "0.9.0"},
                "sha256 not hex": lambda: _set(single, ["model", "sha256"], "xyz"),
                "model entry with error and verdict": lambda: _set(batch, ["models", 0, "verdict"], "fails"),
                "aggregate without bytes": lambda: _drop(batch, ["aggregate", "bytes"]),
                "target outside the enum": lambda: {**batch, "target": "tpu"},
                "finding without nodes": lambda: _drop(single, ["findings", 0, "nodes"]),
                "fix safety outside the enum": lambda: _set(fixed, ["findings", 0, "fix", "safety"], "risky"),
                "fix without id": lambda: _drop(fixed, ["findings", 0, "fix", "id"]),
            }
            bad = []
            for label, make in cases.items():
                path = tmp / ("bad-" + re.sub(r"\W+", "-", label) + ".json")
                path.write_text(json.dumps(make()))
                valid, _ = ajv.validate(path)
                if valid:
                    bad.append(label)
            assert not bad, "the schema accepts invalid reports: " + ", ".join(bad)
        suite.run("mutated reports are rejected", mutations)

        # convert --report: one real document, and mutations the schema must reject.
        convert_report = tmp / "convert-report.json"
        def convert_valid():
            env = dict(os.environ, LITELINT_REPRODUCIBLE="1")
            proc = subprocess.run(
                [str(litelint), "convert", str(CONVERT_FIXTURE), "-o", str(tmp / "dense.tflite"),
                 "--report", str(convert_report)],
                env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL)
            assert proc.returncode == 0, f"convert exit {proc.returncode}: {proc.stderr[:500]}"
            valid, output = ajv.validate(convert_report, CONVERT_SCHEMA)
            assert valid, f"{convert_report} does not validate:\n{output}"
        suite.run("valid convert-report", convert_valid)

        def convert_mutations():
            doc = json.loads(convert_report.read_text())
            cases = {
                "target outside the enum": lambda: {**doc, "target": "gpu"},
                "unknown top-level key": lambda: {**doc, "surprise": 1},
                "wrong schema_version": lambda: {**doc, "schema_version": "0.9.0"},
                "optimize outside the enum": lambda: {**doc, "optimize": "int4"},
                "node without tflite_ops": lambda: _drop(doc, ["nodes", 0, "tflite_ops"]),
                "timings without convert_ms": lambda: _drop(doc, ["timings", "convert_ms"]),
                "negative operator count": lambda: {**doc, "operators": -1},
            }
            bad = []
            for label, make in cases.items():
                path = tmp / ("bad-convert-" + re.sub(r"\W+", "-", label) + ".json")
                path.write_text(json.dumps(make()))
                valid, _ = ajv.validate(path, CONVERT_SCHEMA)
                if valid:
                    bad.append(label)
            assert not bad, "the convert schema accepts invalid reports: " + ", ".join(bad)
        if convert_report.exists():
            suite.run("mutated convert reports are rejected", convert_mutations)

    # CI files.
    ci_files = [REPO / "action.yml", REPO / ".pre-commit-hooks.yaml"]
    docs_workflow = None
    ci_md = REPO / "docs" / "ci.md"
    with tempfile.TemporaryDirectory(prefix="litelint-ci-") as tmp:
        if ci_md.exists():
            blocks = re.findall(r"```yaml\n(.*?)```", ci_md.read_text(), re.S)
            workflows = [b for b in blocks if "jobs:" in b]
            if workflows:
                docs_workflow = Path(tmp) / "workflow.yml"
                docs_workflow.write_text(workflows[0])
        parsed = {}
        def parse():
            existing = [f for f in ci_files if f.exists()]
            assert existing == ci_files, f"missing: {[str(f) for f in ci_files if not f.exists()]}"
            assert docs_workflow is not None, "docs/ci.md has no ```yaml workflow with jobs:"
            parsed.update(yaml_documents(tools, [*ci_files, docs_workflow]))
        suite.run("CI files parse as YAML", parse)
        if parsed:
            suite.run("action.yml is a composite action with the documented inputs",
                      lambda: check_action(parsed[str(ci_files[0])]))
            suite.run(".pre-commit-hooks.yaml defines litelint-check",
                      lambda: check_pre_commit(parsed[str(ci_files[1])]))
            suite.run("docs/ci.md's example workflow uses the action and may upload SARIF",
                      lambda: check_doc_workflow(parsed[str(docs_workflow)]))

    failures = suite.write(args.junit)
    print(f"schema: {len(suite.cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


def _set(doc, path, value):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def _drop(doc, path):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return doc


if __name__ == "__main__":
    sys.exit(main())
