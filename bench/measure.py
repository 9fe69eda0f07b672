"""Measuring code, run in a fresh process per measurement so that peak memory is that run's.

    python3 -m bench.measure check --manifest M.json --articles N --jobs J
    python3 -m bench.measure naive --manifest M.json --sample 30

Each prints one JSON object on stdout. ``bench.run`` drives them; the functions are importable
for the smoke test.

*check*: per story, ``extract_story([folder])`` (ingest + timeline + extraction) and then
``apply_rules`` with the shipped rules, each timed with ``perf_counter`` inside the worker. With
``jobs > 1`` the stories go to a ``multiprocessing`` pool (``imap_unordered``, a few stories per
task); the wall time covers starting the pool to joining it. Every worker reports its own peak
RSS (``getrusage(RUSAGE_SELF).ru_maxrss``); with one job the work runs in this process.

*naive*: ``quantulum3.parser.parse`` and ``dateparser.search.search_dates`` over the whole text of
each sampled article, one after the other, in this process, after one untimed warm-up article
(which loads quantulum's classifier and dateparser's language data).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import warnings
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

_RULES = None


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def _init_worker() -> None:
    global _RULES
    from consistency.rules.loader import SHIPPED_RULES, load_rules

    _RULES = load_rules([SHIPPED_RULES])


def check_one(entry: dict) -> dict:
    """Check one story folder; timings and counts, never the facts themselves (kept small)."""
    from consistency.engine import apply_rules, extract_story

    if _RULES is None:
        _init_worker()
    c0, t0 = time.process_time(), time.perf_counter()
    run = extract_story([entry["dir"]])
    c1, t1 = time.process_time(), time.perf_counter()
    apply_rules(run, _RULES)
    c2, t2 = time.process_time(), time.perf_counter()
    return {
        "story": entry["story"], "articles": entry["articles"], "bytes": entry["bytes"],
        "t_extract": t1 - t0, "t_rules": t2 - t1, "cpu_extract": c1 - c0, "cpu_rules": c2 - c1,
        "facts": len(run.facts), "findings": len(run.findings),
        "rules": sorted({f.rule for f in run.findings}),
        "ok": sum(d.status == "ok" for d in run.documents),
        "pid": os.getpid(), "peak_rss_mb": _rss_mb(),
    }


def select(manifest: Iterable[dict], articles: int) -> Iterator[dict]:
    """The first stories of the manifest holding ``articles`` articles (at least one story),
    lazily."""
    n = 0
    for entry in manifest:
        if n >= articles and n > 0:
            return
        yield entry
        n += entry["articles"]


def read_manifest(path: str | Path) -> Iterator[dict]:
    """Stories of a manifest: JSON lines (read lazily) or one JSON list."""
    path = Path(path)
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
    else:
        yield from json.loads(path.read_text(encoding="utf-8"))


class _Totals:
    """Running sums over the story results, so that the parent's memory stays flat too (only
    one float per story is kept, for the latency percentiles)."""

    def __init__(self) -> None:
        self.n = self.articles = self.bytes = self.ok = self.facts = self.findings = 0
        self.with_findings = 0
        self.t_extract = self.t_rules = self.cpu_extract = self.cpu_rules = 0.0
        self.durations = array("d")
        self.peaks: dict[int, float] = {}
        self.per_process: Counter[int] = Counter()
        self.rule_hits: Counter[str] = Counter()

    def add(self, r: dict) -> None:
        self.n += 1
        self.articles += r["articles"]
        self.bytes += r["bytes"]
        self.ok += r["ok"]
        self.facts += r["facts"]
        self.findings += r["findings"]
        self.with_findings += bool(r["findings"])
        self.t_extract += r["t_extract"]
        self.t_rules += r["t_rules"]
        self.cpu_extract += r["cpu_extract"]
        self.cpu_rules += r["cpu_rules"]
        self.durations.append(r["t_extract"] + r["t_rules"])
        self.peaks[r["pid"]] = max(self.peaks.get(r["pid"], 0.0), r["peak_rss_mb"])
        self.per_process[r["pid"]] += r["articles"]
        self.rule_hits.update(r["rules"])


def measure_check(entries: Iterable[dict], jobs: int = 1, chunksize: int = 4) -> dict:
    """Check every story of ``entries``; the figures of the run (see the module docstring)."""
    import multiprocessing as mp

    from consistency.engine import apply_rules, extract_story  # noqa: F401  (import outside timing)

    if jobs <= 1:
        _init_worker()
    base_rss = _current_rss_mb()
    load_before = os.getloadavg()[0]
    totals = _Totals()
    start = time.perf_counter()
    if jobs <= 1:
        for e in entries:
            totals.add(check_one(e))
    else:
        with mp.get_context("fork").Pool(jobs, initializer=_init_worker) as pool:
            for r in pool.imap_unordered(check_one, entries, chunksize=chunksize):
                totals.add(r)
            pool.close()
            pool.join()
    wall = time.perf_counter() - start
    load_after = os.getloadavg()[0]
    per_story = sorted(totals.durations)
    return {
        "jobs": jobs,
        "stories": totals.n,
        "articles": totals.articles,
        "bytes": totals.bytes,
        "documents_ok": totals.ok,
        "facts": totals.facts,
        "findings": totals.findings,
        "stories_with_findings": totals.with_findings,
        "findings_by_rule": dict(sorted(totals.rule_hits.items())),
        "extract_seconds": totals.t_extract,  # perf_counter, summed over stories
        "rules_seconds": totals.t_rules,
        "extract_cpu_seconds": totals.cpu_extract,  # process_time, summed over stories
        "rules_cpu_seconds": totals.cpu_rules,
        "wall_seconds": wall,
        "loadavg_1min_before": load_before,
        "loadavg_1min_after": load_after,
        "story_seconds_p50": per_story[len(per_story) // 2] if per_story else 0.0,
        "story_seconds_p99": per_story[min(len(per_story) - 1, int(len(per_story) * 0.99))]
        if per_story else 0.0,
        "processes": len(totals.peaks),
        "articles_per_process": sorted(totals.per_process.values(), reverse=True),
        "worker_peak_rss_mb": max(totals.peaks.values()) if totals.peaks else 0.0,
        "parent_peak_rss_mb": _rss_mb(),
        "rss_before_work_mb": base_rss,
    }


def measure_naive(texts: Sequence[str], warmup: str | None = None) -> dict:
    """The naive baseline: quantulum3 and dateparser over each whole article."""
    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    import dateparser.search
    import quantulum3.parser

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    if warmup is not None:
        quantulum3.parser.parse(warmup)
        dateparser.search.search_dates(warmup)
    t_warm = time.perf_counter() - t0
    quantities = dates = 0
    t_q = t_d = 0.0
    cpu0 = time.process_time()
    load_before = os.getloadavg()[0]
    for text in texts:
        a = time.perf_counter()
        quantities += len(quantulum3.parser.parse(text))
        b = time.perf_counter()
        dates += len(dateparser.search.search_dates(text) or [])
        c = time.perf_counter()
        t_q += b - a
        t_d += c - b
    cpu = time.process_time() - cpu0
    return {
        "articles": len(texts),
        "cpu_seconds": cpu,
        "loadavg_1min_before": load_before,
        "loadavg_1min_after": os.getloadavg()[0],
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "seconds": t_q + t_d,
        "quantulum_seconds": t_q,
        "dateparser_seconds": t_d,
        "import_seconds": t_import,
        "warmup_seconds": t_warm,
        "quantities_found": quantities,
        "dates_found": dates,
        "peak_rss_mb": _rss_mb(),
    }


def naive_sample(manifest: Sequence[dict], sample: int) -> tuple[list[str], str | None]:
    """``sample`` articles spread evenly over the corpus (one per chosen story, its first file),
    and one more article, from another story, for the warm-up."""
    dirs = [Path(e["dir"]) for e in manifest]
    if not dirs or sample <= 0:
        return [], None
    step = max(1, len(dirs) // (sample + 1))
    chosen = dirs[::step][: sample + 1]
    files = [sorted(d.glob("*.txt"))[0] for d in chosen]
    texts = [f.read_text(encoding="utf-8") for f in files]
    warm = texts.pop() if len(texts) > 1 else texts[0]
    return texts, warm


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python3 -m bench.measure")
    ap.add_argument("what", choices=["check", "naive"])
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--sample", type=int, default=30)
    args = ap.parse_args(argv)
    manifest = read_manifest(args.manifest)
    if args.what == "check":
        entries = select(manifest, args.articles) if args.articles else manifest
        result = measure_check(entries, args.jobs)
    else:
        texts, warm = naive_sample(list(manifest), args.sample)
        result = measure_naive(texts, warm)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
