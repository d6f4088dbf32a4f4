"""Sums JUnit XML reports (Catch2's and pytest's) into one line: N passed, N failed, N skipped.

Exits 1 when anything failed or a report is missing or unreadable, so that a crashed suite
cannot look green.
"""
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed = failed = skipped = 0
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            failed += 1
        elif "skipped" in kinds:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(paths):
    passed = failed = skipped = 0
    broken = []
    for path in paths:
        try:
            p, f, s = count(path)
        except (OSError, ET.ParseError) as err:
            broken.append(f"{path}: {err}")
            continue
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for line in broken:
        print(f"unreadable test report: {line}", file=sys.stderr)
        failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
