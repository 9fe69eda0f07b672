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
import contextlib
import json
import os
import platform
import resource
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
BUSY_LIMIT = 0.10            # wall-clock targets are conclusive only if others used <= 10% CPU


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
    with contextlib.suppress(OSError):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, check=False).stdout.strip() or None
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


def _busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def _our_cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # every waited-for descendant
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def wait_idle(max_wait: float, log=print) -> float | None:
    """Wait (at most ``max_wait`` seconds) until other processes use at most BUSY_LIMIT of the
    CPU over a 2-second probe; the share seen last."""
    deadline = time.monotonic() + max_wait
    share = None
    while True:
        b0, w0 = _busy_cpu_seconds(), time.perf_counter()
        time.sleep(2.0)
        b1, w1 = _busy_cpu_seconds(), time.perf_counter()
        if b0 is None or b1 is None:
            return None
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        share = (b1 - b0) / ((w1 - w0) * (cores or 1))
        if share <= BUSY_LIMIT or time.monotonic() >= deadline:
            return share
        log(f"  machine busy ({share:.0%} CPU used by others), waiting ...")


def _measure(args: list[str], wait: float = 0.0, log=print) -> dict:
    """One measurement in a fresh ``python3 -m bench.measure`` process, with the share of the
    machine's CPU that *other* processes used meanwhile (``other_cpu_share``: 0 = we had the
    machine to ourselves; wall-clock figures mean little when it is high)."""
    if wait > 0:
        wait_idle(wait, log=log)
    wall0, busy0, ours0 = time.perf_counter(), _busy_cpu_seconds(), _our_cpu_seconds()
    result = _run_measure(args)
    wall, busy1, ours1 = time.perf_counter() - wall0, _busy_cpu_seconds(), _our_cpu_seconds()
    share = None
    if busy0 is not None and busy1 is not None and wall > 0:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        share = max(0.0, (busy1 - busy0) - (ours1 - ours0)) / (wall * (cores or 1))
    result["other_cpu_share"] = share
    return result


def _run_measure(args: list[str]) -> dict:
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
        corpus_dir: str | Path | None = None, wait_idle: float = 0.0, log=print) -> dict:
    """Build the corpus, measure, and return (and write) the results."""
    info = machine()

    def measure(args: list[str]) -> dict:
        return _measure(args, wait=wait_idle, log=log)

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
        manifest_path = corpus_dir / "manifest.jsonl"
        manifest_path.write_text("".join(json.dumps(e) + "\n" for e in manifest))
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
            raw = measure(["naive", *m, "--sample", str(naive_sample)])
            naive = {**raw, **_rates(raw["bytes"], raw["articles"], raw["seconds"]),
                     "cpu_mb_s": raw["bytes"] / MB / max(raw["cpu_seconds"], 1e-9)}

        factors = (1, 2, 4) if scaling else (4,)
        points = []
        for factor in factors:
            n = max(1, articles * factor // 4)
            log(f"whole check, {factor}x (~{n:,} articles), --jobs {jobs} ...")
            r = measure(["check", *m, "--articles", str(n), "--jobs", str(jobs)])
            points.append({"factor": factor, **r, **_check_figures(r, cores)})
        main = points[-1]

        jobs_cmp = None
        if jobs > 1:
            base = points[0]
            log(f"whole check, {base['articles']:,} articles, --jobs 1 ...")
            one = measure(["check", *m, "--articles", str(base["articles"]), "--jobs", "1"])
            speedup = one["wall_seconds"] / base["wall_seconds"]
            jobs_cmp = {
                "articles": base["articles"],
                "jobs": jobs,
                "wall_seconds_jobs_1": one["wall_seconds"],
                f"wall_seconds_jobs_{jobs}": base["wall_seconds"],
                "wall_seconds_jobs_n": base["wall_seconds"],
                "speedup": speedup,
                "efficiency": speedup / min(jobs, cores),
                "articles_per_process": base["articles_per_process"],
                "balance": (min(base["articles_per_process"]) / max(base["articles_per_process"])
                            if len(base["articles_per_process"]) >= min(jobs, cores) else 0.0),
                "other_cpu_share_jobs_1": one["other_cpu_share"],
                "other_cpu_share_jobs_n": base["other_cpu_share"],
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
                "other_cpu_share": main["other_cpu_share"],
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
                 "parent_peak_rss_mb": p["parent_peak_rss_mb"],
                 "other_cpu_share": p["other_cpu_share"]}
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
        write_results(out, results)
    return results


def write_results(path: Path, results: dict) -> None:
    """Write ``results`` to ``path``, keeping the keys other benchmarks added to that file
    (``incremental``, from bench/incremental.py)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        old = {}
    kept = {k: v for k, v in old.items() if k not in results} if isinstance(old, dict) else {}
    path.write_text(json.dumps({**results, **kept}, indent=2) + "\n", encoding="utf-8")


def _quiet(*shares: float | None) -> bool:
    """Whether other processes left us the machine during these runs (wall-clock is then fair)."""
    return all(x is not None and x <= BUSY_LIMIT for x in shares)


def _target(value: float, wanted: str, met: bool, note: str, conclusive: bool = True) -> dict:
    return {"value": value, "target": wanted, "met": met, "conclusive": conclusive, "note": note}


def _targets(r: dict) -> dict:
    t: dict[str, dict] = {}
    wall, cpu = r["check"]["wall"], r["check"]["per_core"]
    main_share = r["check"]["other_cpu_share"]
    t["check_mb_s_per_core_cpu"] = _target(
        cpu["mb_s"], f">= {TARGET_MB_S_PER_CORE}", cpu["mb_s"] >= TARGET_MB_S_PER_CORE,
        "whole check, MB per CPU-second of the workers")
    t["check_mb_s_per_core_wall"] = _target(
        wall["mb_s_per_core"], f">= {TARGET_MB_S_PER_CORE}",
        wall["mb_s_per_core"] >= TARGET_MB_S_PER_CORE,
        "whole check, wall-clock MB/s / cores used", _quiet(main_share))
    if r["ratio"]:
        t["ratio_vs_naive"] = _target(
            r["ratio"]["per_core"], f">= {TARGET_RATIO:.0f}", r["ratio"]["per_core"] >= TARGET_RATIO,
            "whole check / naive, MB per CPU-second each")
    sc = r["scaling"]
    if len(sc) >= 2:
        first, last = sc[0], sc[-1]
        rate = last["per_core_mb_s"] / first["per_core_mb_s"]
        band = f"{1 - LINEAR_TOLERANCE:.2f}..{1 + LINEAR_TOLERANCE:.2f}"
        t["time_linear_cpu"] = _target(
            rate, band, abs(rate - 1) <= LINEAR_TOLERANCE,
            f"CPU MB/s at {last['factor']}x / at {first['factor']}x")
        rate = last["wall_articles_s"] / first["wall_articles_s"]
        t["time_linear_wall"] = _target(
            rate, band, abs(rate - 1) <= LINEAR_TOLERANCE,
            f"wall articles/s at {last['factor']}x / at {first['factor']}x",
            _quiet(*(p["other_cpu_share"] for p in sc)))
        mem = last["worker_peak_rss_mb"] / first["worker_peak_rss_mb"]
        t["memory_flat"] = _target(mem, f"<= {1 + MEMORY_TOLERANCE:.2f}",
                                   mem <= 1 + MEMORY_TOLERANCE,
                                   f"worker peak RSS at {last['factor']}x / at {first['factor']}x")
    if r["jobs"]:
        j = r["jobs"]
        t["jobs_spread"] = _target(
            j["speedup"], f">= {JOBS_EFFICIENCY:.0%} of min(jobs, cores)",
            j["efficiency"] >= JOBS_EFFICIENCY,
            f"wall speedup of --jobs {j['jobs']} over --jobs 1",
            _quiet(j["other_cpu_share_jobs_1"], j["other_cpu_share_jobs_n"]))
        t["jobs_balance"] = _target(
            j["balance"], ">= 0.80", j["balance"] >= 0.8,
            "articles of the least / the most loaded worker")
    return t


def print_table(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=132)
    mc, c = r["machine"], r["corpus"]
    console.print(f"[bold]consistency benchmark[/bold]  {mc['cpu_model']}, {mc['nproc']} cores, "
                  f"Python {mc['python']}, commit {mc['git_commit']}")
    console.print(f"corpus: {c['articles']:,} articles in {c['stories']:,} stories, "
                  f"{c['mb']:.1f} MB (mean {c['mean_article_bytes']:.0f} B/article), "
                  f"seed {c['seed']}, generated in {c['generation_seconds']:.1f}s")

    t = Table(title="Throughput")
    for col in ("measure", "MB/s", "articles/s", "seconds", "peak RSS MB", "others' CPU"):
        t.add_column(col, justify="right" if col != "measure" else "left")
    ch = r["check"]
    e = r["extraction"]["per_core"]
    t.add_row("extraction, per core (CPU time)", f"{e['mb_s']:.3f}", f"{e['articles_s']:.1f}",
              f"{e['seconds']:.1f}", "", "")
    t.add_row("whole check, per core (CPU time)", f"{ch['per_core']['mb_s']:.3f}",
              f"{ch['per_core']['articles_s']:.1f}", f"{ch['per_core']['seconds']:.1f}",
              f"{ch['worker_peak_rss_mb']:.0f} (worker)", "")
    t.add_row(f"whole check, wall, --jobs {ch['jobs']}", f"{ch['wall']['mb_s']:.3f}",
              f"{ch['wall']['articles_s']:.1f}", f"{ch['wall']['seconds']:.1f}",
              f"{ch['parent_peak_rss_mb']:.0f} (parent)", _pct(ch["other_cpu_share"]))
    n = r["naive"]
    if n:
        t.add_row(f"naive, per core (CPU time, {n['articles']} articles)", f"{n['cpu_mb_s']:.4f}",
                  f"{n['articles'] / max(n['cpu_seconds'], 1e-9):.2f}", f"{n['cpu_seconds']:.1f}",
                  f"{n['peak_rss_mb']:.0f}", "")
        t.add_row("naive, wall", f"{n['mb_s']:.4f}", f"{n['articles_s']:.2f}",
                  f"{n['seconds']:.1f}", "", _pct(n["other_cpu_share"]))
        ra = r["ratio"]
        t.add_row("ratio check / naive: per core (CPU) | wall, --jobs",
                  f"{ra['per_core']:.0f}x | {ra['wall']:.0f}x", "", "", "", "")
    console.print(t)

    s = Table(title=f"Scaling (--jobs {ch['jobs']}, each run a fresh process)")
    for col in ("size", "articles", "MB", "wall s", "wall MB/s", "wall art/s", "CPU s",
                "CPU MB/s", "peak RSS MB", "others' CPU"):
        s.add_column(col, justify="right")
    for p in r["scaling"]:
        s.add_row(f"{p['factor']}x", f"{p['articles']:,}", f"{p['mb']:.1f}",
                  f"{p['wall_seconds']:.1f}", f"{p['wall_mb_s']:.3f}",
                  f"{p['wall_articles_s']:.1f}", f"{p['cpu_seconds']:.1f}",
                  f"{p['per_core_mb_s']:.3f}", f"{p['worker_peak_rss_mb']:.0f}", _pct(p["other_cpu_share"]))
    console.print(s)
    if r["jobs"]:
        j = r["jobs"]
        console.print(f"--jobs: {j['articles']:,} articles in {j['wall_seconds_jobs_1']:.1f}s with "
                      f"1 job, {j['wall_seconds_jobs_n']:.1f}s with {j['jobs']}: speedup "
                      f"{j['speedup']:.2f}x (efficiency {j['efficiency']:.0%}); articles per worker "
                      f"{j['articles_per_process']}; others' CPU {_pct(j['other_cpu_share_jobs_1'])}"
                      f" / {_pct(j['other_cpu_share_jobs_n'])}")

    g = Table(title="Targets")
    for col in ("target", "value", "wanted", "met", "what"):
        g.add_column(col)
    for name, x in r["targets"].items():
        met = "[green]yes[/green]" if x["met"] else "[red]no[/red]"
        if not x["conclusive"]:
            met += " [yellow](others used >10% CPU)[/yellow]"
        g.add_row(name, f"{x['value']:.3f}", x["target"], met, x["note"])
    console.print(g)
    if any(not x["conclusive"] for x in r["targets"].values()):
        console.print(f"[yellow]other processes used more than {BUSY_LIMIT:.0%} of the CPU during "
                      "some runs: their wall-clock figures understate; the CPU-time figures "
                      "hold.[/yellow]")
    console.print(f"facts: {ch['facts']:,} ({ch['facts_per_article']:.1f}/article), findings: "
                  f"{ch['findings']:,} in {ch['stories_with_findings']:,} stories")


def _pct(x: float | None) -> str:
    return "?" if x is None else f"{x:.0%}"


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
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                    help="before each measurement wait up to this long for other processes to "
                         "use <= 10%% of the CPU (for shared machines)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    t0 = time.perf_counter()
    results = run(articles=args.articles, jobs=args.jobs, out=args.out,
                  naive_sample=args.naive_sample, seed=args.seed, scaling=not args.no_scaling,
                  corpus_dir=args.corpus_dir, wait_idle=args.wait_idle, log=log)
    results["total_seconds"] = time.perf_counter() - t0
    if args.out:
        write_results(Path(args.out), results)
    if not args.quiet:
        print_table(results)
        log(f"wrote {args.out} ({results['total_seconds']:.0f}s in all)")
    return results


if __name__ == "__main__":
    main()
