"""Profile the whole check (extract + rules) on a small corpus, in this process.

    python3 -m bench.profile [--articles 500] [--top 25] [--out bench/profile.txt]

Prints the functions with the most cumulative time (share of the whole run) and the functions
with the most own time, from cProfile. cProfile roughly doubles the run time; the shares are
what matters.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus


def profile(articles: int = 500, seed: int = 7, top: int = 25) -> str:
    from consistency.engine import apply_rules, extract_story
    from consistency.rules.loader import SHIPPED_RULES, load_rules

    rules = load_rules([SHIPPED_RULES])
    with tempfile.TemporaryDirectory(prefix="consistency-profile-") as tmp:
        manifest = write_corpus(Path(tmp), articles, seed=seed)
        size = sum(e["bytes"] for e in manifest)
        # warm up (first-call compilation of regexes, lazy imports) outside the profile
        apply_rules(extract_story([manifest[0]["dir"]]), rules)
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for e in manifest:
            apply_rules(extract_story([e["dir"]]), rules)
        prof.disable()
        wall = time.perf_counter() - t0
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    total = stats.total_tt
    out.write(f"{articles} articles, {size / 1e6:.2f} MB, {wall:.2f}s under cProfile "
              f"({size / 1e6 / wall:.3f} MB/s profiled), total {total:.2f}s\n\n")
    rows = []
    for (file, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
        rows.append((ct, tt, nc, f"{_short(file)}:{line}({name})"))
    out.write(f"top {top} by cumulative time\n{'cum s':>8} {'share':>6} {'own s':>8} {'calls':>9}  function\n")
    for ct, tt, nc, where in sorted(rows, reverse=True)[:top]:
        out.write(f"{ct:8.2f} {ct / total:6.1%} {tt:8.2f} {nc:9d}  {where}\n")
    out.write(f"\ntop {top} by own time\n{'own s':>8} {'share':>6} {'cum s':>8} {'calls':>9}  function\n")
    for ct, tt, nc, where in sorted(rows, key=lambda r: r[1], reverse=True)[:top]:
        out.write(f"{tt:8.2f} {tt / total:6.1%} {ct:8.2f} {nc:9d}  {where}\n")
    return out.getvalue()


def _short(path: str) -> str:
    for marker in ("/consistency/", "/site-packages/", "/lib/python3"):
        if marker in path:
            return path[path.index(marker) + 1:]
    return path


def main() -> None:
    ap = argparse.ArgumentParser(prog="python3 -m bench.profile")
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    text = profile(args.articles, args.seed, args.top)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
