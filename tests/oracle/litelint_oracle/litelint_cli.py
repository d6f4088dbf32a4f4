"""Finding and calling the litelint binary, and telling whether a subcommand exists yet."""
import os
import pathlib
import subprocess

from litelint_oracle import common

TARGETS = {"builtins": ["--target", "builtins"],
           "select": ["--target", "select-tf-ops"],
           "custom": ["--target", "builtins", "--allow-custom-ops"]}


def find_binary(explicit=None):
    """--litelint, else $LITELINT_BIN, else build/cli/litelint in the repo."""
    path = explicit or os.environ.get("LITELINT_BIN") or str(common.REPO_ROOT / "build/cli/litelint")
    return pathlib.Path(path)


def has_subcommand(binary, name):
    """(available, reason). A subcommand exists when `litelint NAME --help` exits 0 and
    its help text names the subcommand."""
    if not binary.is_file() or not os.access(binary, os.X_OK):
        return False, f"no litelint binary at {binary}"
    try:
        r = subprocess.run([str(binary), name, "--help"], capture_output=True, text=True,
                           timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"{binary} {name} --help: {e}"
    text = (r.stdout + r.stderr).lower()
    if r.returncode != 0 or "unknown command" in text or "unknown subcommand" in text:
        return False, f"litelint has no '{name}' yet (`{name} --help` exited {r.returncode})"
    if name not in text:  # a stub main() that prints nothing has no such command either
        return False, f"litelint has no '{name}' yet (`{name} --help` does not describe it)"
    return True, ""


def model_args(zoo, fixture):
    """The model path plus --inputs/--outputs for frozen GraphDefs (as given to the converter)."""
    args = [str(zoo / fixture["path"])]
    if fixture["converter"] == "from_frozen_graph":
        args += ["--inputs", ",".join(fixture["input_arrays"]),
                 "--outputs", ",".join(fixture["output_arrays"])]
    return args
