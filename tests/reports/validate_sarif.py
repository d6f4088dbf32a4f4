#!/usr/bin/env python3
"""Validates litelint's SARIF with Microsoft's SARIF multitool (tests/tools, pinned): zero
errors under both the SARIF rules and the GitHub code-scanning rules (--rule-kind "Gh;Sarif").

SARIF files come from `litelint check --format sarif` run inside the corpus (relative paths, as
in a CI checkout): a SavedModel with Flex ops, a GraphDef and a MetaGraphDef with findings, a
model with Python debug info, another target, a batch with an unreadable model and a
--recursive batch over the whole corpus. A deliberately broken copy must be rejected, so a
validator that accepts anything cannot pass.

Usage: validate_sarif.py --litelint BUILD/cli/litelint --junit OUT.xml
Writes JUnit XML (one test case per SARIF file); exits 1 when any case failed. Without the
npm tools the suite is one skipped case, except under CI=true, where that is a failure.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# (name, arguments after `litelint check`, expected exit code, expected minimum results)
CASES = [
    ("savedmodel-flex", ["savedmodel/tf_cc_half_plus_two"], 1, 2),
    ("savedmodel-flex-select-tf-ops", ["savedmodel/tf_cc_half_plus_two", "--target", "select-tf-ops"], 0, 1),
    ("graphdef-fails", ["graphdef/deepmd_cu_clusters_frozen/frozen_model.pb"], 1, 10),
    ("metagraph-flex", ["graphdef/tfnet_meta_inceptionv3/InceptionV3.meta"], 1, 5),
    ("debuginfo-python-line",
     ["pbtxt/tf_mlir_lite_debuginfo_mobilenet_v1_line/v1_1.0_224_frozen.wrong_attr.line.part.pbtxt"], 1, 1),
    ("batch-with-unreadable",
     ["savedmodel/tf_cc_half_plus_two", "savedmodel/tf_cc_fuzz_const_with_no_value",
      "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb"], 2, 2),
    ("corpus-recursive", [".", "--recursive", "--jobs", "2"], 2, 100),
]


def _drop_message(log):
    del log["runs"][0]["results"][0]["message"]


def _bad_level(log):
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0


def _bad_rule_index(log):
    log["runs"][0]["results"][0]["ruleIndex"] = 999


# (name, mutation of the first case's SARIF, validators that must reject it). The multitool
# skips a file with an unknown enum value without a word, hence ajv; ajv knows nothing of
# SARIF's cross-references (ruleIndex), hence the multitool.
NEGATIVES = [
    ("result-without-message", _drop_message, {"multitool", "ajv"}),
    ("invalid-level-and-line", _bad_level, {"ajv"}),
    ("rule-index-out-of-range", _bad_rule_index, {"multitool"}),
]


class Suite:
    """Collects test cases and writes them as JUnit XML."""

    def __init__(self, name):
        self.name = name
        self.cases = []

    def add(self, name, seconds, failure=None, skipped=None, output=""):
        self.cases.append((name, seconds, failure, skipped, output))

    def failed(self):
        return sum(1 for c in self.cases if c[2] is not None)

    def write(self, path):
        suite = ET.Element("testsuite", name=self.name, tests=str(len(self.cases)),
                           failures=str(self.failed()),
                           skipped=str(sum(1 for c in self.cases if c[3] is not None)))
        for name, seconds, failure, skipped, output in self.cases:
            case = ET.SubElement(suite, "testcase", classname="reports.sarif", name=name,
                                 time=f"{seconds:.3f}")
            if failure is not None:
                ET.SubElement(case, "failure", message=failure.splitlines()[0][:200]).text = failure
            if skipped is not None:
                ET.SubElement(case, "skipped", message=skipped)
            if output:
                ET.SubElement(case, "system-out").text = output
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def multitool_path():
    """The native multitool binary, installed by tests/tools/setup-node-tools (None if not)."""
    try:
        tools = subprocess.run([str(REPO / "tests" / "tools" / "setup-node-tools")], check=True,
                               capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as err:
        print(f"validate_sarif: npm tools unavailable: {err}", file=sys.stderr)
        return None
    # Call the native binary, not node_modules/.bin/sarif-multitool: that wrapper runs it
    # through a shell and splits "Gh;Sarif" at the semicolon.
    binary = Path(tools) / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
    return binary if binary.is_file() else None


def validate(multitool, files, workdir):
    """Runs `validate` on each file; returns {file name: [(level, rule, message)]}."""
    problems = {}
    for f in files:
        problems.update(validate_one(multitool, f, workdir))
    return problems


def validate_one(multitool, file, workdir):
    """One file per run: after a file it cannot deserialize, the multitool reports nothing for
    the files that follow it in the same run."""
    files = [file]
    out = Path(workdir) / "validation.sarif"
    proc = subprocess.run([str(multitool), "validate", *map(str, files), "--rule-kind", "Gh;Sarif",
                           "--level", "Error;Warning", "--output", str(out), "--log", "ForceOverwrite"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    if not out.is_file():
        raise RuntimeError(f"multitool wrote no output (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    problems = {Path(f).name: [] for f in files}
    for run in log.get("runs", []):
        for result in run.get("results", []):
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            message = result.get("message", {})
            text = message.get("text") or " ".join(message.get("arguments", []))
            problems.setdefault(Path(uri).name, []).append(
                (result.get("level", "warning"), result.get("ruleId", "?"), text))
    # Tool-level failures (a file that does not parse) arrive as notifications.
    for run in log.get("runs", []):
        for inv in run.get("invocations", []):
            for note in inv.get("toolExecutionNotifications", []):
                if note.get("level") == "error":
                    raise RuntimeError(f"multitool: {note.get('message', {}).get('text')}")
    return problems


def validate_schema(multitool, files, workdir):
    """ajv against the SARIF 2.1.0 schema shipped beside the multitool; {file name: errors}.

    A second validator because the multitool silently skips a file it cannot deserialize (an
    unknown enum value, say) and then reports nothing for it.
    """
    schema = multitool.parent / "sarif-2.1.0.json"
    ajv = multitool.parents[2] / ".bin" / "ajv"
    args = [str(ajv), "validate", "--spec=draft2020", "--strict=false", "-c", "ajv-formats",
            "-s", str(schema), "--errors=line"]
    # ajv picks its parser by extension; .sarif is JSON.
    copies = Path(workdir) / "ajv"
    copies.mkdir(exist_ok=True)
    for f in files:
        copy = copies / (Path(f).stem + ".json")
        copy.write_bytes(Path(f).read_bytes())
        args += ["-d", str(copy)]
    proc = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    out = (proc.stdout + proc.stderr).splitlines()
    errors, seen = {}, set()
    for i, line in enumerate(out):
        for f in files:
            stem = Path(f).stem + ".json"
            if line.endswith(f"{stem} valid"):
                seen.add(Path(f).name)
            elif line.endswith(f"{stem} invalid"):
                seen.add(Path(f).name)
                errors[Path(f).name] = out[i + 1] if i + 1 < len(out) else "invalid"
    missing = [Path(f).name for f in files if Path(f).name not in seen]
    if missing:
        raise RuntimeError(f"ajv did not report on {missing} (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return errors


def check_structure(log, expected_results):
    """What the multitool cannot know: our own promises about the log's content."""
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "litelint", driver["name"]
    assert len(driver["rules"]) >= 20, "rules missing"
    results = run.get("results", [])
    assert len(results) >= expected_results, f"{len(results)} results, expected >= {expected_results}"
    for r in results:
        assert r["ruleIndex"] < len(driver["rules"]) and driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["litelintFinding/v1"], "fingerprint missing"
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    prints = [r["partialFingerprints"]["litelintFinding/v1"] for r in results]
    assert len(prints) == len(set(prints)), "duplicate fingerprints"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--litelint", required=True)
    parser.add_argument("--junit", required=True)
    parser.add_argument("--corpus", default=os.environ.get("LITELINT_CORPUS", str(REPO.parent / "shared" / "corpus")))
    args = parser.parse_args()
    suite = Suite("sarif-validation")
    litelint = str(Path(args.litelint).resolve())

    multitool = multitool_path()
    if multitool is None:
        reason = "SARIF multitool not installed (tests/tools/setup-node-tools needs npm)"
        if os.environ.get("CI") == "true":
            suite.add("multitool available", 0, failure=reason)
        else:
            suite.add("multitool available", 0, skipped=reason)
        suite.write(args.junit)
        return 1 if suite.failed() else 0

    with tempfile.TemporaryDirectory(prefix="litelint-sarif-") as tmp:
        files, meta = [], {}
        env = dict(os.environ, LITELINT_REPRODUCIBLE="1")
        for name, check_args, exit_code, min_results in CASES:
            path = Path(tmp) / f"{name}.sarif"
            start = time.monotonic()
            proc = subprocess.run([litelint, "check", *check_args, "--format", "sarif", "--output", str(path)],
                                  cwd=args.corpus, env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=900)
            elapsed = time.monotonic() - start
            failure = None
            if proc.returncode != exit_code:
                failure = f"litelint exited {proc.returncode}, expected {exit_code}\n{proc.stderr[-2000:]}"
            elif not path.is_file():
                failure = "litelint wrote no SARIF file"
            else:
                try:
                    check_structure(json.loads(path.read_text()), min_results)
                except (AssertionError, KeyError, IndexError, ValueError) as err:
                    failure = f"structure: {err!r}"
            if failure is not None:
                suite.add(name, elapsed, failure=failure)
                continue
            files.append(path)
            meta[path.name] = (name, elapsed)

        # The committed golden SARIF files are what users see in the docs and diffs: validate
        # them too, so a golden update cannot commit an invalid log.
        for golden in sorted((REPO / "tests" / "golden").glob("*/litelint.sarif")):
            path = Path(tmp) / f"golden-{golden.parent.name}.sarif"
            shutil.copyfile(golden, path)
            files.append(path)
            meta[path.name] = (f"golden/{golden.parent.name}", 0.0)

        # Negative controls: each must be rejected, or the validators are not really running.
        negatives = {}
        if files:
            base = json.loads(files[0].read_text())
            for neg_name, mutate, _ in NEGATIVES:
                log = json.loads(json.dumps(base))
                mutate(log)
                path = Path(tmp) / f"negative-{neg_name}.sarif"
                path.write_text(json.dumps(log))
                negatives[path.name] = neg_name

        everything = files + [Path(tmp) / n for n in negatives]
        start = time.monotonic()
        try:
            problems = validate(multitool, everything, tmp)
            schema_errors = validate_schema(multitool, everything, tmp)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError, KeyError) as err:
            suite.add("validators run", time.monotonic() - start, failure=str(err))
            suite.write(args.junit)
            return 1
        per_file = (time.monotonic() - start) / max(1, len(everything))
        for path in everything:
            found = problems.get(path.name, [])
            errors = [p for p in found if p[0] == "error"]
            warnings = [p for p in found if p[0] == "warning"]
            schema = schema_errors.get(path.name)
            listing = "\n".join(f"{lvl} {rule}: {text}" for lvl, rule, text in found)
            if schema:
                listing += f"\nschema (ajv): {schema}"
            if path.name in negatives:
                neg_name = negatives[path.name]
                must = next(m for n, _, m in NEGATIVES if n == neg_name)
                rejected = ("multitool" not in must or bool(errors)) and ("ajv" not in must or bool(schema))
                suite.add(f"negative control rejected: {neg_name}", per_file, output=listing,
                          failure=None if rejected else f"accepted an invalid SARIF file\n{listing}")
                continue
            name, elapsed = meta[path.name]
            if errors or schema:
                suite.add(name, elapsed + per_file,
                          failure=f"{len(errors)} validation error(s), {len(warnings)} warning(s)\n{listing}")
            else:
                suite.add(name, elapsed + per_file,
                          output=f"0 errors, {len(warnings)} warnings\n{listing}".strip())
            print(f"sarif {name}: {len(errors)} errors, {len(warnings)} warnings, schema ok")
    suite.write(args.junit)
    return 1 if suite.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
