"""Instructions per byte of the whole check, counted by valgrind: a yardstick for code changes
that does not move when the machine is busy.

    python3 -m bench.instructions [--articles 200] [--seed 7]
    python3 -m bench.instructions --package /tmp/old-checkout   # the same corpus, another tree

Timings on a shared machine move by 10-40% with other tenants' load (bench/README.md); the
number of instructions the check executes does not. ``valgrind --tool=callgrind`` counts them
(about 50x slower than a normal run, so the corpus is small). The check runs twice in fresh
processes on the same generated corpus: once with the warm-up story only, once with the warm-up
and the measured pass, and the difference is what the pass costs, without interpreter start-up,
imports and first-call regex compilation. Compare two versions of the package with
``--package`` (a folder holding a ``consistency/`` and a ``rules/`` directory).

Instructions are not seconds: memory stalls and branch misses are not in them, so a change
that saves instructions saves roughly, not exactly, that share of time. Confirm with
``bench.run`` on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import write_corpus

_PASS = """
import sys
from consistency.engine import apply_rules, extract_story
from consistency.rules.loader import SHIPPED_RULES, load_rules
rules = load_rules([SHIPPED_RULES])
dirs = sys.argv[2:]
apply_rules(extract_story([dirs[0]]), rules)  # warm-up: imports, regex compilation, caches
if sys.argv[1] == "1":
    for d in dirs[1:]:
        apply_rules(extract_story([d]), rules)
"""


def count(dirs: list[str], workdir: str, package: str | None = None) -> int:
    """Instructions of the whole check over ``dirs[1:]`` (``dirs[0]`` warms up), run from
    ``workdir`` (not the checkout: ``python -c`` puts the current folder first on the path)."""
    runs = []
    for measured in ("0", "1"):
        # set iteration order follows the hash seed and moves the count by a few million
        # instructions from run to run: both runs use one seed
        env = dict(os.environ, PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"))
        if package:
            env["PYTHONPATH"] = str(Path(package).resolve())
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, "-c", _PASS, measured, *dirs],
            capture_output=True, text=True, env=env, check=True, cwd=workdir)
        found = re.search(r"Collected : (\d+)", out.stderr)
        if found is None:
            raise RuntimeError(f"no instruction count in valgrind's output: {out.stderr[-500:]}")
        runs.append(int(found.group(1)))
    return runs[1] - runs[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.instructions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--package", help="a folder with consistency/ and rules/ to measure "
                        "instead of the installed package")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="consistency-instructions-") as tmp:
        manifest = write_corpus(Path(tmp), args.articles, seed=args.seed)
        dirs = [e["dir"] for e in manifest]
        size = sum(e["bytes"] for e in manifest[1:])
        articles = sum(e["articles"] for e in manifest[1:])
        total = count(dirs, tmp, args.package)
    print(json.dumps({"articles": articles, "bytes": size, "instructions": total,
                      "instructions_per_byte": round(total / size, 1),
                      "package": args.package or "installed"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
