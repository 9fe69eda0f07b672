"""The benchmark, in one command:

    python3 -m bench.run [--articles 10000] [--jobs N] [--out bench/results.json]

1. writes a seeded corpus of ``--articles`` articles (stories of 3-6 outlets) to a temporary
   folder, one story at a time (bench/corpus.py);
2. runs the naive baseline (quantulum3 + dateparser over each whole article) on a sample;
3. runs the whole check (extract + rules, per story, ``--jobs`` worker processes) on 1x, 2x and
   4x of a base size, the 4x run being the whole corpus, each in a fresh process;
4. runs the 1x corpus again with one job, to show what ``--jobs`` buys;
5. prints a table and writes the figures as JSON.

Every measurement runs in its own ``python3 -m bench.measure`` process, so peak memory is that
run's alone. Nothing here asserts a timing: the targets are reported as met or not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[1]
MB = 1e6  # MB/s figures are 10^6 bytes of article text (UTF-8, as stored) per second

# The targets of the issue.
TARGET_MB_S_PER_CORE = 1.0
TARGET_RATIO = 200.0
LINEAR_TOLERANCE = 0.20      # articles/s at 4x within 20% of 1x
MEMORY_TOLERANCE = 0.10      # worker peak RSS at 4x within 10% of 1x
JOBS_EFFICIENCY = 0.70       # speedup of N jobs over 1 job at least 70% of min(N, cores)


def machine() -> dict:
    model = None
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, check=False).stdout.strip() or None
    except OSError:
        pass
    try:
        from consistency import __version__ as version
    except Exception:  # pragma: no cover
        version = None
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "consistency_version": version,
        "git_commit": commit,
        # other work on the machine skews wall-clock figures; the CPU-time figures less so
        "loadavg_at_start": list(os.getloadavg()),
    }


def _measure(args: list[str]) -> dict:
    """One measurement in a fresh ``python3 -m bench.measure`` process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("PYTHONWARNINGS", "ignore")
    proc = subprocess.run([sys.executable, "-m", "bench.measure", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.measure {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _rates(size: int, articles: int, seconds: float) -> dict:
    seconds = max(seconds, 1e-9)
    return {"seconds": seconds, "mb_s": size / MB / seconds, "articles_s": articles / seconds}


def _check_figures(r: dict, cores: int) -> dict:
    """Throughputs of one check run. *Per core*: bytes over the CPU time the workers spent on
    the stories (``process_time``; robust to other load on the machine). *Wall*: bytes over the
    wall time of the whole run (pool start-up to join), and that divided by the cores used."""
    cpu = r["extract_cpu_seconds"] + r["rules_cpu_seconds"]
    wall = _rates(r["bytes"], r["articles"], r["wall_seconds"])
    used = max(1, min(r["jobs"], cores))
    wall["cores_used"] = used
    wall["mb_s_per_core"] = wall["mb_s"] / used
    wall["articles_s_per_core"] = wall["articles_s"] / used
    return {
        "extraction_per_core": _rates(r["bytes"], r["articles"], r["extract_cpu_seconds"]),
        "rules_per_core": _rates(r["bytes"], r["articles"], r["rules_cpu_seconds"]),
        "check_per_core": {**_rates(r["bytes"], r["articles"], cpu),
                           "busy_seconds": r["extract_seconds"] + r["rules_seconds"]},
        "check_wall": wall,
        "extraction_share": r["extract_cpu_seconds"] / cpu if cpu else None,
    }


def run(articles: int = 10_000, jobs: int | None = None, out: str | Path | None = None,
        naive_sample: int = 30, seed: int = 7, scaling: bool = True,
        corpus_dir: str | Path | None = None, log=print) -> dict:
    """Build the corpus, measure, and return (and write) the results."""
    info = machine()
    cores = info["nproc"] or 1
    jobs = jobs or os.cpu_count() or 1
    tmp = None
    if corpus_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="consistency-bench-")
        corpus_dir = tmp.name
    corpus_dir = Path(corpus_dir)
    try:
        log(f"writing corpus of {articles:,} articles to {corpus_dir} ...")
        t0 = time.perf_counter()
        manifest = write_corpus(corpus_dir / "stories", articles, seed=seed)
        gen_seconds = time.perf_counter() - t0
        manifest_path = corpus_dir / "manifest.json"
        manifest_path.write_text(json.dumps(manifest))
        size = sum(e["bytes"] for e in manifest)
        corpus = {
            "articles": sum(e["articles"] for e in manifest),
            "stories": len(manifest),
            "bytes": size,
            "mb": size / MB,
            "mean_article_bytes": size / max(1, sum(e["articles"] for e in manifest)),
            "stories_with_planted_disagreements": sum(1 for e in manifest if e["planted"]),
            "generation_seconds": gen_seconds,
            "seed": seed,
        }
        m = ["--manifest", str(manifest_path)]

        naive = None
        if naive_sample > 0:
            log(f"naive baseline on {naive_sample} articles (quantulum3 + dateparser) ...")
            raw = _measure(["naive", *m, "--sample", str(naive_sample)])
            naive = {**raw, **_rates(raw["bytes"], raw["articles"], raw["seconds"]),
                     "cpu_mb_s": raw["bytes"] / MB / max(raw["cpu_seconds"], 1e-9)}

        factors = (1, 2, 4) if scaling else (4,)
        points = []
        for factor in factors:
            n = max(1, articles * factor // 4)
            log(f"whole check, {factor}x (~{n:,} articles), --jobs {jobs} ...")
            r = _measure(["check", *m, "--articles", str(n), "--jobs", str(jobs)])
            points.append({"factor": factor, **r, **_check_figures(r, cores)})
        main = points[-1]

        jobs_cmp = None
        if jobs > 1:
            base = points[0]
            log(f"whole check, {base['articles']:,} articles, --jobs 1 ...")
            one = _measure(["check", *m, "--articles", str(base["articles"]), "--jobs", "1"])
            speedup = one["wall_seconds"] / base["wall_seconds"]
            jobs_cmp = {
                "articles": base["articles"],
                "jobs": jobs,
                "wall_seconds_jobs_1": one["wall_seconds"],
                f"wall_seconds_jobs_{jobs}": base["wall_seconds"],
                "wall_seconds_jobs_n": base["wall_seconds"],
                "speedup": speedup,
                "efficiency": speedup / min(jobs, cores),
                "jobs_1": {**one, **_check_figures(one, cores)},
            }

        results = {
            "benchmark": "consistency whole-check throughput",
            "command": "python3 -m bench.run " + " ".join(
                [f"--articles {articles}", f"--jobs {jobs}"]),
            "machine": info,
            "corpus": corpus,
            "extraction": {
                "per_core": main["extraction_per_core"],
                "share_of_check": main["extraction_share"],
            },
            "check": {
                "jobs": jobs,
                "per_core": main["check_per_core"],
                "wall": main["check_wall"],
                "rules_per_core": main["rules_per_core"],
                "story_seconds_p50": main["story_seconds_p50"],
                "story_seconds_p99": main["story_seconds_p99"],
                "worker_peak_rss_mb": main["worker_peak_rss_mb"],
                "parent_peak_rss_mb": main["parent_peak_rss_mb"],
                "documents_ok": main["documents_ok"],
                "facts": main["facts"],
                "facts_per_article": main["facts"] / max(1, main["articles"]),
                "findings": main["findings"],
                "stories_with_findings": main["stories_with_findings"],
                "findings_by_rule": main["findings_by_rule"],
            },
            "naive": naive,
            "ratio": None,
            "scaling": [
                {"factor": p["factor"], "articles": p["articles"], "stories": p["stories"],
                 "mb": p["bytes"] / MB, "wall_seconds": p["wall_seconds"],
                 "cpu_seconds": p["extract_cpu_seconds"] + p["rules_cpu_seconds"],
                 "loadavg_1min_before": p["loadavg_1min_before"],
                 "wall_mb_s": p["check_wall"]["mb_s"],
                 "wall_articles_s": p["check_wall"]["articles_s"],
                 "per_core_mb_s": p["check_per_core"]["mb_s"],
                 "worker_peak_rss_mb": p["worker_peak_rss_mb"],
                 "parent_peak_rss_mb": p["parent_peak_rss_mb"]}
                for p in points
            ],
            "jobs": jobs_cmp,
        }
        if naive:
            results["ratio"] = {
                # one core each, CPU time (the fair comparison)
                "per_core": main["check_per_core"]["mb_s"] / naive["cpu_mb_s"],
                # the check's wall throughput with --jobs over the naive one on one core
                "wall": main["check_wall"]["mb_s"] / naive["mb_s"],
                "wall_per_core": main["check_wall"]["mb_s_per_core"] / naive["mb_s"],
                "extraction_per_core": main["extraction_per_core"]["mb_s"] / naive["cpu_mb_s"],
            }
        results["targets"] = _targets(results)
    finally:
        if tmp is not None:
            tmp.cleanup()
    if out:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def _targets(r: dict) -> dict:
    t: dict[str, dict] = {}
    wall = r["check"]["wall"]
    cpu = r["check"]["per_core"]
    t["check_mb_s_per_core_wall"] = {
        "value": wall["mb_s_per_core"], "target": f">= {TARGET_MB_S_PER_CORE}",
        "met": wall["mb_s_per_core"] >= TARGET_MB_S_PER_CORE,
        "note": "whole check, wall-clock MB/s / cores used"}
    t["check_mb_s_per_core_cpu"] = {
        "value": cpu["mb_s"], "target": f">= {TARGET_MB_S_PER_CORE}",
        "met": cpu["mb_s"] >= TARGET_MB_S_PER_CORE,
        "note": "whole check, MB per CPU-second of the workers"}
    if r["ratio"]:
        t["ratio_vs_naive"] = {"value": r["ratio"]["per_core"], "target": f">= {TARGET_RATIO}",
                               "met": r["ratio"]["per_core"] >= TARGET_RATIO,
                               "note": "whole check per core / naive (one core each)"}
    sc = r["scaling"]
    if len(sc) >= 2:
        first, last = sc[0], sc[-1]
        rate = last["wall_articles_s"] / first["wall_articles_s"]
        t["time_linear"] = {"value": rate, "target": f"{1 - LINEAR_TOLERANCE:.2f}..{1 + LINEAR_TOLERANCE:.2f}",
                            "met": abs(rate - 1) <= LINEAR_TOLERANCE,
                            "note": f"articles/s at {last['factor']}x / at {first['factor']}x"}
        mem = last["worker_peak_rss_mb"] / first["worker_peak_rss_mb"]
        t["memory_flat"] = {"value": mem, "target": f"<= {1 + MEMORY_TOLERANCE:.2f}",
                            "met": mem <= 1 + MEMORY_TOLERANCE,
                            "note": f"worker peak RSS at {last['factor']}x / at {first['factor']}x"}
    if r["jobs"]:
        eff = r["jobs"]["efficiency"]
        t["jobs_spread"] = {"value": r["jobs"]["speedup"],
                            "target": f">= {JOBS_EFFICIENCY:.0%} of min(jobs, cores)",
                            "met": eff >= JOBS_EFFICIENCY,
                            "note": f"wall speedup of --jobs {r['jobs']['jobs']} over --jobs 1"}
    return t


def print_table(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=110)
    mc, c = r["machine"], r["corpus"]
    console.print(f"[bold]consistency benchmark[/bold]  {mc['cpu_model']}, {mc['nproc']} cores, "
                  f"Python {mc['python']}, commit {mc['git_commit']}")
    console.print(f"corpus: {c['articles']:,} articles in {c['stories']:,} stories, "
                  f"{c['mb']:.1f} MB (mean {c['mean_article_bytes']:.0f} B/article), "
                  f"seed {c['seed']}, generated in {c['generation_seconds']:.1f}s")

    t = Table(title="Throughput")
    for col in ("measure", "MB/s", "articles/s", "seconds", "peak RSS MB"):
        t.add_column(col, justify="right" if col != "measure" else "left")
    ch = r["check"]
    e = r["extraction"]["per_core"]
    t.add_row("extraction, per core (CPU time)", f"{e['mb_s']:.3f}", f"{e['articles_s']:.1f}",
              f"{e['seconds']:.1f}", "")
    t.add_row("whole check, per core (CPU time)", f"{ch['per_core']['mb_s']:.3f}",
              f"{ch['per_core']['articles_s']:.1f}", f"{ch['per_core']['seconds']:.1f}",
              f"{ch['worker_peak_rss_mb']:.0f}")
    t.add_row(f"whole check, wall, --jobs {ch['jobs']}", f"{ch['wall']['mb_s']:.3f}",
              f"{ch['wall']['articles_s']:.1f}", f"{ch['wall']['seconds']:.1f}",
              f"{ch['parent_peak_rss_mb']:.0f} (parent)")
    n = r["naive"]
    if n:
        t.add_row(f"naive baseline ({n['articles']} articles)", f"{n['mb_s']:.4f}",
                  f"{n['articles_s']:.2f}", f"{n['seconds']:.1f}", f"{n['peak_rss_mb']:.0f}")
        ra = r["ratio"]
        t.add_row("ratio check/naive (per core | wall)",
                  f"{ra['per_core']:.0f}x | {ra['wall']:.0f}x",
                  "", "", "")
    console.print(t)

    s = Table(title=f"Scaling (--jobs {ch['jobs']}, each run a fresh process)")
    for col in ("size", "articles", "MB", "wall s", "MB/s", "articles/s", "worker peak RSS MB"):
        s.add_column(col, justify="right")
    for p in r["scaling"]:
        s.add_row(f"{p['factor']}x", f"{p['articles']:,}", f"{p['mb']:.1f}",
                  f"{p['wall_seconds']:.1f}", f"{p['wall_mb_s']:.3f}",
                  f"{p['wall_articles_s']:.1f}", f"{p['worker_peak_rss_mb']:.0f}")
    console.print(s)
    if r["jobs"]:
        j = r["jobs"]
        console.print(f"--jobs: {j['articles']:,} articles in {j['wall_seconds_jobs_1']:.1f}s with "
                      f"1 job, {j['wall_seconds_jobs_n']:.1f}s with {j['jobs']}: speedup "
                      f"{j['speedup']:.2f}x (efficiency {j['efficiency']:.0%})")

    g = Table(title="Targets")
    for col in ("target", "value", "wanted", "met", "what"):
        g.add_column(col)
    for name, x in r["targets"].items():
        g.add_row(name, f"{x['value']:.3f}", x["target"],
                  "[green]yes[/green]" if x["met"] else "[red]no[/red]", x["note"])
    console.print(g)
    console.print(f"facts: {ch['facts']:,} ({ch['facts_per_article']:.1f}/article), findings: "
                  f"{ch['findings']:,} in {ch['stories_with_findings']:,} stories")


def main(argv: Sequence[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python3 -m bench.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000, help="corpus size (the 4x point)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: os.cpu_count())")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.json"), help="JSON output")
    ap.add_argument("--naive-sample", type=int, default=30,
                    help="articles for the naive baseline (0: skip)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-scaling", action="store_true", help="only the full-size run")
    ap.add_argument("--corpus-dir", default=None, help="keep the corpus here (default: temp)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    t0 = time.perf_counter()
    results = run(articles=args.articles, jobs=args.jobs, out=args.out,
                  naive_sample=args.naive_sample, seed=args.seed, scaling=not args.no_scaling,
                  corpus_dir=args.corpus_dir, log=log)
    results["total_seconds"] = time.perf_counter() - t0
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not args.quiet:
        print_table(results)
        log(f"wrote {args.out} ({results['total_seconds']:.0f}s in all)")
    return results


if __name__ == "__main__":
    main()
