"""A stand-in for litelint that answers `check` from the committed truth and `convert`
with TFLiteConverter itself, so the runners can be tested before the real ones exist. FAKE_LITELINT_WRONG=ID makes it lie about
one fixture (it claims builtins suffice), to prove compare-check can fail."""
import json
import os
import pathlib
import sys

from litelint_oracle import common, truth


def main(argv):
    if len(argv) >= 2 and argv[1] == "--help":
        print(f"usage: litelint {argv[0]} MODEL [--target T] [--format json]")
        return 0
    if argv[0] == "convert":
        return convert(argv[1:])
    if argv[0] != "check":
        print(f"litelint: unknown command '{argv[0]}'", file=sys.stderr)
        return 2
    model, args = pathlib.Path(argv[1]).resolve(), argv[2:]
    zoo, manifest = common.load_manifest()
    fixture = next(f for f in manifest["fixtures"] if (zoo / f["path"]).resolve() == model)
    if fixture["converter"] == "from_frozen_graph":
        assert args[args.index("--inputs") + 1] == ",".join(fixture["input_arrays"])
    target = args[args.index("--target") + 1]
    mode = "select" if target == "select-tf-ops" else (
        "custom" if "--allow-custom-ops" in args else "builtins")
    t = truth.load_committed()[fixture["id"]]
    modes = t["conversions"][fixture["converter"]]["modes"]
    doc = {"verdict": t["verdict"], "converts": modes[mode]["success"],
           "plan": {"flex_ops": modes["select"].get("flex_ops",
                                                    modes["builtins"].get("missing_flex_ops", [])),
                    "custom_ops": modes["custom"].get("custom_ops", [])}}
    if os.environ.get("FAKE_LITELINT_WRONG") == fixture["id"]:
        doc.update(verdict="converts-with-builtins", converts=True,
                   plan={"flex_ops": [], "custom_ops": []})
    print(json.dumps(doc))
    return 0 if doc["converts"] else 1


def convert(argv):
    model, out = pathlib.Path(argv[0]).resolve(), argv[argv.index("-o") + 1]
    zoo, manifest = common.load_manifest()
    fixture = next(f for f in manifest["fixtures"] if (zoo / f["path"]).resolve() == model)
    target = argv[argv.index("--target") + 1]
    mode = "select" if target == "select-tf-ops" else (
        "custom" if "--allow-custom-ops" in argv else "builtins")
    _, data = truth.convert(fixture["converter"], mode, zoo, fixture)
    if data is None:
        return 1
    pathlib.Path(out).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
