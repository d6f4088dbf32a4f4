"""Builds the fixture zoo into a directory and writes manifest.json.

    python -m litelint_oracle.zoo.build [--out DIR] [--jobs 2] [--only ID ...] [--force]

Without --out, builds into the cache (common.zoo_dir()), keyed by the generator sources
and the pinned TensorFlow, and does nothing when that zoo already exists. The build goes
to a temporary directory that is renamed into place at the end, so a zoo that exists is
complete.
"""
import argparse
import multiprocessing
import os
import pathlib
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from litelint_oracle import common  # noqa: E402

SEED = 1234
MODULES = ["vision", "sequence", "select_ops", "control_flow", "graphs"]
# Built first so the two workers share the slow ones.
SLOW = ["resnet50", "efficientnet_b0", "mobilenet_v3_small", "mobilenet_v2",
        "transformer_encoder", "bidirectional_lstm"]


def registry():
    import importlib
    from litelint_oracle.zoo import registry as reg
    for m in MODULES:
        importlib.import_module(f"litelint_oracle.zoo.{m}")
    return reg.FIXTURES


def _build_one(args):
    zoo, fixture_id = args
    import tensorflow as tf
    from litelint_oracle.zoo.registry import Ctx
    fixtures = registry()
    spec = fixtures[fixture_id]
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(SEED)
    start = time.monotonic()
    try:
        entry = spec["build"](Ctx(zoo, fixture_id))
    except Exception as e:  # report every broken builder, not only the first
        import traceback
        return fixture_id, None, f"{type(e).__name__}: {e}\n{traceback.format_exc()}"
    entry.update(id=fixture_id, tags=spec["tags"], nondeterministic=spec["nondeterministic"],
                 notes=spec["notes"], build_seconds=round(time.monotonic() - start, 2))
    if spec["keras_entry"] and "keras_file" in entry:
        entry["extra_converters"] = ["from_keras_model"]
    return fixture_id, entry, None


def build(out, jobs, only=None):
    fixtures = registry()
    ids = sorted(only or fixtures)
    ids.sort(key=lambda i: (i not in SLOW, SLOW.index(i) if i in SLOW else 0))
    out = pathlib.Path(out)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    start = time.monotonic()
    entries, errors = [], []
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs) as pool:
        for fixture_id, entry, error in pool.imap_unordered(_build_one,
                                                            [(str(tmp), i) for i in ids]):
            if error:
                errors.append((fixture_id, error))
                print(f"zoo: {fixture_id}: FAILED {error.splitlines()[0]}", file=sys.stderr)
            else:
                entries.append(entry)
                print(f"zoo: {fixture_id}: {entry['build_seconds']} s", file=sys.stderr)
    if errors:
        for fixture_id, error in errors:
            print(f"--- {fixture_id}\n{error}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        raise SystemExit(f"zoo: {len(errors)} fixture(s) failed to build")
    import tensorflow as tf
    import keras
    manifest = {"tensorflow_version": tf.__version__, "keras_version": keras.__version__,
                "zoo_key": common.zoo_key(), "seed": SEED, "jobs": jobs,
                "build_seconds": round(time.monotonic() - start, 1),
                "fixtures": sorted(entries, key=lambda e: e["id"])}
    common.dump_json(manifest, tmp / "manifest.json")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    print(f"zoo: built {len(entries)} fixtures in {manifest['build_seconds']} s -> {out}",
          file=sys.stderr)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", help="zoo directory (default: the cache)")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("LITELINT_ORACLE_JOBS", 2)))
    p.add_argument("--only", nargs="*", help="build only these fixture ids")
    p.add_argument("--force", action="store_true", help="rebuild even if the zoo exists")
    p.add_argument("--list", action="store_true", help="print fixture ids and exit")
    a = p.parse_args(argv)
    if a.list:
        print("\n".join(sorted(registry())))
        return
    out = pathlib.Path(a.out) if a.out else common.zoo_dir()
    if (out / "manifest.json").exists() and not a.force and not a.only:
        print(out)
        return
    build(out, a.jobs, a.only)
    print(out)


if __name__ == "__main__":
    main()
