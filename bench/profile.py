"""Profile the whole check (extract + rules) on a small corpus, in this process.

    python3 -m bench.profile [--articles 500] [--top 25] [--out bench/profile.txt]
    python3 -m bench.profile --stages [--articles 500]

Default: cProfile; the functions with the most cumulative time (share of the whole run) and with
the most own time. cProfile roughly doubles the run time and inflates small functions; the
shares are what matters.

``--stages``: no profiler; the main stages (ingest steps, each extractor, each rule) are timed
with ``perf_counter`` wrappers, so the shares are undistorted. Stages whose function has been
renamed in the package are skipped.
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
    for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append((ct, tt, nc, f"{_short(file)}:{line}({name})"))
    out.write(f"top {top} by cumulative time\n{'cum s':>8} {'share':>6} {'own s':>8} {'calls':>9}  function\n")
    for ct, tt, nc, where in sorted(rows, reverse=True)[:top]:
        out.write(f"{ct:8.2f} {ct / total:6.1%} {tt:8.2f} {nc:9d}  {where}\n")
    out.write(f"\ntop {top} by own time\n{'own s':>8} {'share':>6} {'cum s':>8} {'calls':>9}  function\n")
    for ct, tt, nc, where in sorted(rows, key=lambda r: r[1], reverse=True)[:top]:
        out.write(f"{tt:8.2f} {tt / total:6.1%} {ct:8.2f} {nc:9d}  {where}\n")
    return out.getvalue()


# (module, attribute, label) of the stages timed by --stages; missing ones are skipped
_STAGES = [
    ("consistency.engine", "load_story", "ingest (read, repair, header, boilerplate)"),
    ("consistency.ingest", "read_article", "  ingest: read + decode"),
    ("consistency.ingest", "load_sources", "  ingest: sources.yaml"),
    ("consistency.ingest.build", "repair", "  ingest: repair"),
    ("consistency.ingest.build", "parse_header", "  ingest: header"),
    ("consistency.ingest.build", "find_boilerplate", "  ingest: boilerplate"),
    ("consistency.engine", "build_timeline", "timeline"),
    ("consistency.extract", "extract_quantities", "extract: quantities"),
    ("consistency.extract.quantities", "find_numbers", "  quantities: find_numbers (grammar)"),
    ("consistency.extract.quantities", "_fact_for", "  quantities: _fact_for (clause reading)"),
    ("consistency.extract", "extract_times", "extract: times"),
    ("consistency.extract.temporal", "find_times", "  times: find_times (grammar)"),
    ("consistency.extract", "extract_people", "extract: people + quotes"),
    ("consistency.extract", "_background_sentences", "extract: background events"),
    ("consistency.extract", "_mentions", "extract: mentions (facts --all)"),
    ("consistency.engine", "TermWeights", "rules: term weights"),
]


def stages(articles: int = 500, seed: int = 7) -> str:
    """Time the main stages without a profiler (see the module docstring)."""
    import functools
    import importlib
    from collections import Counter

    from consistency import engine
    from consistency.rules.kinds import KINDS
    from consistency.rules.loader import SHIPPED_RULES, load_rules

    spent: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    restore = []

    def timed(f, label):
        @functools.wraps(f)
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                spent[label] += time.perf_counter() - t
                calls[label] += 1
        return wrapper

    for module_name, attr, label in _STAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        f = getattr(module, attr, None)
        if f is None:
            continue
        restore.append((module, attr, f))
        setattr(module, attr, timed(f, label))
    for kind, runner in list(KINDS.items()):
        def by_rule(rule, *a, _f=runner, **k):
            t = time.perf_counter()
            try:
                return _f(rule, *a, **k)
            finally:
                spent[f"rule {rule.id}"] += time.perf_counter() - t
                calls[f"rule {rule.id}"] += 1
        restore.append((KINDS, kind, runner))
        KINDS[kind] = by_rule
    rules = load_rules([SHIPPED_RULES])
    try:
        with tempfile.TemporaryDirectory(prefix="consistency-stages-") as tmp:
            manifest = write_corpus(Path(tmp), articles, seed=seed)
            size = sum(e["bytes"] for e in manifest)
            engine.apply_rules(engine.extract_story([manifest[0]["dir"]]), rules)
            spent.clear()
            calls.clear()
            t0 = time.perf_counter()
            for e in manifest:
                run = engine.extract_story([e["dir"]])
                t = time.perf_counter()
                engine.apply_rules(run, rules)
                spent["rules (all)"] += time.perf_counter() - t
                calls["rules (all)"] += 1
            total = time.perf_counter() - t0
    finally:
        for owner, attr, f in restore:
            if isinstance(owner, dict):
                owner[attr] = f
            else:
                setattr(owner, attr, f)
    out = [f"{articles} articles, {size / 1e6:.2f} MB, {total:.2f}s "
           f"({size / 1e6 / total:.3f} MB/s with the timers)\n",
           f"{'seconds':>8} {'share':>6} {'calls':>7}  stage"]
    order = [label for _, _, label in _STAGES if label in spent] + ["rules (all)"]
    rule_rows = sorted((k for k in spent if k.startswith("rule ")), key=lambda k: -spent[k])
    for label in order + rule_rows:
        indent = "  " if label.startswith("rule ") else ""
        out.append(f"{spent[label]:8.3f} {spent[label] / total:6.1%} {calls[label]:7d}  "
                   f"{indent}{label}")
    return "\n".join(out) + "\n"


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
    ap.add_argument("--stages", action="store_true", help="time stages, no profiler")
    args = ap.parse_args()
    text = (stages(args.articles, args.seed) if args.stages
            else profile(args.articles, args.seed, args.top))
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
