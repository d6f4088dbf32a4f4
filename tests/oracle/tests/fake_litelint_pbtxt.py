"""A stand-in for litelint that answers `check` on corpus pbtxt files from the committed
pbtxt truth (arrays_only), to test compare-pbtxt itself. FAKE_LITELINT_WRONG=CASE makes it
claim that case converts with builtins; FAKE_LITELINT_REJECT=CASE makes it exit 2."""
import json
import os
import pathlib
import sys

from litelint_oracle import pbtxt_truth


def main(argv):
    if len(argv) >= 2 and argv[1] == "--help":
        print(f"usage: litelint {argv[0]} MODEL [--target T] [--format json]")
        return 0
    model, args = pathlib.Path(argv[1]).resolve(), argv[2:]
    corpus = pbtxt_truth.corpus_dir()
    outputs = args[args.index("--outputs") + 1]
    case = next(c for c in pbtxt_truth.scope()[0]
                if (corpus / c["file"]).resolve() == model
                and ",".join(c["output_arrays"]) == outputs)
    target = args[args.index("--target") + 1]
    mode = "select" if target == "select-tf-ops" else (
        "custom" if "--allow-custom-ops" in args else "builtins")
    if os.environ.get("FAKE_LITELINT_REJECT") == case["case"]:
        print(f"{model}: error: rejected by the fake", file=sys.stderr)
        return 2
    record = pbtxt_truth.load_committed()["cases"][case["case"]]
    modes = record["arrays_only"]["modes"]
    doc = {"verdict": record["verdict"], "converts": modes[mode]["success"],
           "plan": {"flex_ops": modes["select"].get("flex_ops", []),
                    "custom_ops": modes["custom"].get("custom_ops", [])}}
    if os.environ.get("FAKE_LITELINT_WRONG") == case["case"]:
        doc.update(verdict="converts-with-builtins", converts=True)
    print(json.dumps(doc))
    return 0 if doc["converts"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
