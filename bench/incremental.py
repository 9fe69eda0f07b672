"""Incremental runs: what a nightly rerun costs when most articles are unchanged.

    python3 -m bench.incremental [--articles 10000] [--changed 0.01] [--jobs N]

1. writes the seeded corpus of bench/corpus.py (``--articles``) to a temporary folder;
2. **cold**: checks every story (ingest + extraction + the shipped rules, per story, in
   ``--jobs`` worker processes, as ``bench.run`` does) with an empty fact cache: every article
   is extracted and stored;
3. changes ``--changed`` (1%) of the articles: half of them edited in place (a paragraph
   inserted in the body), half new (new stories, of another seed: a feed's new arrivals);
4. **rerun**: checks every story again with the cache: only the new and edited articles (and
   any article of their stories whose reference date moved) go through the extractors;
5. **uncached**: checks the changed corpus once more without a cache: the cost without the
   cache, and the oracle: the rerun must give the same findings, story by story;
6. **command**: ``consistency report`` end to end (report files and history included), cold on
   the original corpus and rerun on the changed one, with its default cache (the history file).

Every measurement runs in a fresh process. It prints a table and writes the figures under the
key ``incremental`` of ``--out`` (bench/results.json), keeping the file's other keys. Nothing
here asserts a timing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bench.corpus import write_corpus
from bench.run import MB, ROOT, _busy_cpu_seconds, _our_cpu_seconds, machine, wait_idle

_RULES: list | None = None
_CACHE: Any = None  # FactCache of the measuring process, inherited by forked workers


# ---------------------------------------------------------------------------------------------
# Measuring (in a fresh process: python3 -m bench.incremental measure ...)
# ---------------------------------------------------------------------------------------------


def _check_story(entry: dict) -> dict:
    """One story: extract (through the cache when there is one) and apply the shipped rules."""
    from consistency.engine import apply_rules, extract_story

    global _RULES
    if _RULES is None:
        from consistency.rules.loader import SHIPPED_RULES, load_rules

        _RULES = load_rules([SHIPPED_RULES])
    c0, t0 = time.process_time(), time.perf_counter()
    run = extract_story([entry["dir"]], cache=_CACHE)
    apply_rules(run, _RULES)
    c1, t1 = time.process_time(), time.perf_counter()
    return {"story": entry["story"], "articles": entry["articles"], "bytes": entry["bytes"],
            "extracted": run.extracted, "cached": run.cached, "facts": len(run.facts),
            "fingerprints": sorted(f.fingerprint for f in run.findings),
            "cpu": c1 - c0, "busy": t1 - t0}


def measure(manifest: Sequence[dict], jobs: int, cache_path: Path | None) -> dict:
    """Check every story of ``manifest``; wall and CPU time, articles extracted and from the
    cache, and a digest of the findings (story by story) to compare runs."""
    import multiprocessing as mp

    global _CACHE
    from consistency.factcache import FactCache

    _CACHE = None
    _check_story({"story": "-", "articles": 0, "bytes": 0, "dir": str(ROOT / "seeds")})  # warm-up
    _CACHE = FactCache(cache_path) if cache_path is not None else None
    start = time.perf_counter()
    if jobs <= 1:
        results = [_check_story(e) for e in manifest]
    else:
        with mp.get_context("fork").Pool(jobs) as pool:
            results = list(pool.imap_unordered(_check_story, manifest, chunksize=4))
            pool.close()
            pool.join()
    wall = time.perf_counter() - start
    rows = _CACHE.rows() if _CACHE is not None else None
    if _CACHE is not None:
        _CACHE.close()
    return {**_summary(results, wall, jobs, rows), "versions": _versions()}


def _versions() -> list[str]:
    """The code versions the cache keys use: when they differ between the cold run and the
    rerun (the code was edited in between), the rerun extracts everything again, rightly."""
    from consistency.factcache import code_version

    return [code_version("extract"), code_version("ingest")]


def _summary(results: list[dict], wall: float, jobs: int, rows: int | None) -> dict:
    digest = hashlib.sha256()
    for r in sorted(results, key=lambda r: r["story"]):
        digest.update(json.dumps([r["story"], r["fingerprints"]]).encode())
    size = sum(r["bytes"] for r in results)
    cpu = sum(r["cpu"] for r in results)
    return {
        "jobs": jobs, "stories": len(results), "articles": sum(r["articles"] for r in results),
        "bytes": size, "extracted": sum(r["extracted"] for r in results),
        "cached": sum(r["cached"] for r in results), "facts": sum(r["facts"] for r in results),
        "findings": sum(len(r["fingerprints"]) for r in results),
        "findings_digest": digest.hexdigest()[:16],
        "seconds": wall, "mb_s": size / MB / max(wall, 1e-9),
        "cpu_seconds": cpu, "cpu_mb_s": size / MB / max(cpu, 1e-9), "cache_rows": rows,
    }


# ---------------------------------------------------------------------------------------------
# The corpus and its changes
# ---------------------------------------------------------------------------------------------


def _articles(manifest: Iterable[dict]) -> list[Path]:
    return [f for e in manifest for f in sorted(Path(e["dir"]).glob("*.txt"))]


def _edit(text: str, rng: random.Random) -> str:
    """The article with a paragraph inserted in the middle of its body: a changed article."""
    breaks = [i for i in range(len(text) - 1) if text.startswith("\n\n", i)]
    at = breaks[len(breaks) // 2] if breaks else len(text)
    extra = (f"\n\nOfficials later said {rng.randint(2, 40)} more people had been taken to "
             f"hospital overnight, and that the investigation was continuing.")
    return text[:at] + extra + text[at:]


def change_corpus(manifest: list[dict], root: Path, fraction: float, seed: int) -> dict:
    """Edit half of ``fraction`` of the articles in place and add the other half as new stories
    (``manifest`` is updated); what was changed."""
    rng = random.Random(seed * 7919 + 1)
    total = sum(e["articles"] for e in manifest)
    wanted = max(2, round(total * fraction))
    n_edit, n_new = wanted // 2, max(3, wanted - wanted // 2)
    for path in rng.sample(_articles(manifest), n_edit):
        data = _edit(path.read_text(encoding="utf-8"), rng).encode("utf-8")
        path.write_bytes(data)
    for entry in manifest:  # sizes after the edits
        entry["bytes"] = sum(f.stat().st_size for f in Path(entry["dir"]).glob("*.txt"))
    fresh = write_corpus(root / ".new", n_new, seed=seed + 1)
    for entry in fresh:
        target = root / f"new_{entry['story']}"
        shutil.move(entry["dir"], target)
        manifest.append({**entry, "story": target.name, "dir": str(target)})
    shutil.rmtree(root / ".new")
    return {"fraction": fraction, "edited": n_edit, "new": n_new, "articles_before": total,
            "articles_after": total + n_new}


# ---------------------------------------------------------------------------------------------
# Driving the measurements
# ---------------------------------------------------------------------------------------------


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def _timed(cmd: list[str], wait: float) -> tuple[subprocess.CompletedProcess, float, float | None]:
    """Run ``cmd``; (result, wall seconds, share of the CPU other processes used meanwhile)."""
    if wait > 0:
        wait_idle(wait, log=lambda *a: None)
    wall0, busy0, ours0 = time.perf_counter(), _busy_cpu_seconds(), _our_cpu_seconds()
    proc = subprocess.run(cmd, cwd=ROOT, env=_subprocess_env(), capture_output=True, text=True,
                          check=False)
    wall, busy1, ours1 = time.perf_counter() - wall0, _busy_cpu_seconds(), _our_cpu_seconds()
    share = None
    if busy0 is not None and busy1 is not None and wall > 0:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        share = max(0.0, (busy1 - busy0) - (ours1 - ours0)) / (wall * (cores or 1))
    return proc, wall, share


def _measure_in_process(manifest_path: Path, jobs: int, cache: Path | None, wait: float) -> dict:
    cmd = [sys.executable, "-m", "bench.incremental", "measure", "--manifest", str(manifest_path),
           "--jobs", str(jobs)] + (["--cache", str(cache)] if cache is not None else [])
    proc, _, share = _timed(cmd, wait)
    if proc.returncode != 0:
        raise RuntimeError(f"measure failed:\n{proc.stderr[-3000:]}")
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "other_cpu_share": share}


def _rows(db: Path) -> int:
    """Articles' facts in the cache (story documents rows left out)."""
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute(
                "SELECT COUNT(*) FROM fact_cache WHERE kind = 'facts'").fetchone()[0])
    except sqlite3.Error:
        return 0


def _command_run(stories: Path, out: Path, jobs: int, size: int, wait: float) -> dict:
    """``consistency report`` end to end; articles extracted = rows the run added to the cache."""
    db = out / "history.sqlite"
    before = _rows(db) if db.exists() else 0
    cmd = [sys.executable, "-m", "consistency", "report", str(stories), "--out", str(out),
           "--jobs", str(jobs)]
    proc, wall, share = _timed(cmd, wait)
    result: dict[str, Any] = {"seconds": wall, "mb_s": size / MB / max(wall, 1e-9),
                              "exit_code": proc.returncode, "other_cpu_share": share}
    if proc.returncode != 0:
        result["error"] = proc.stderr.strip().splitlines()[-1:] or ["?"]
        return result
    result["extracted"] = _rows(db) - before
    result["cache_mb"] = sum(p.stat().st_size for p in out.glob("history.sqlite*")) / MB
    result["summary"] = proc.stdout.strip().splitlines()[-1:]
    return result


def _write_manifest(path: Path, manifest: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in manifest), encoding="utf-8")
    return path


def run(articles: int = 10_000, fraction: float = 0.01, jobs: int | None = None, seed: int = 7,
        command: bool = True, wait: float = 0.0, log=print) -> dict:
    jobs = jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="consistency-incremental-") as tmp_name:
        tmp = Path(tmp_name)
        stories = tmp / "stories"
        log(f"writing corpus of {articles:,} articles ...")
        manifest = write_corpus(stories, articles, seed=seed)
        size0 = sum(e["bytes"] for e in manifest)
        corpus = {"articles": sum(e["articles"] for e in manifest), "stories": len(manifest),
                  "bytes": size0, "mb": size0 / MB, "seed": seed}
        cache = tmp / "cache.sqlite"
        runs: dict[str, dict] = {}
        log(f"cold: every article extracted and cached, --jobs {jobs} ...")
        runs["cold"] = _measure_in_process(_write_manifest(tmp / "m0.jsonl", manifest), jobs,
                                           cache, wait)
        runs["cold"]["cache_mb"] = sum(p.stat().st_size for p in tmp.glob("cache.sqlite*")) / MB
        cli: dict[str, dict] = {}
        if command:
            log("command: consistency report, cold ...")
            cli["cold"] = _command_run(stories, tmp / "reports", jobs, size0, wait)
        changes = change_corpus(manifest, stories, fraction, seed)
        m1 = _write_manifest(tmp / "m1.jsonl", manifest)
        log(f"rerun: {changes['edited']} edited and {changes['new']} new articles ...")
        runs["rerun"] = _measure_in_process(m1, jobs, cache, wait)
        if command:
            log("command: consistency report, rerun ...")
            size1 = sum(e["bytes"] for e in manifest)
            cli["rerun"] = _command_run(stories, tmp / "reports", jobs, size1, wait)
        log("uncached: the changed corpus without a cache (reference and oracle) ...")
        runs["uncached"] = _measure_in_process(m1, jobs, None, wait)
    cold, rerun, uncached = runs["cold"], runs["rerun"], runs["uncached"]
    return {
        "benchmark": "consistency incremental rerun (fact cache)",
        "command": f"python3 -m bench.incremental --articles {articles} --changed {fraction} "
                   f"--jobs {jobs}",
        "machine": machine(),
        "corpus": corpus,
        "changes": changes,
        "runs": runs,
        "speedup_rerun_vs_cold": cold["seconds"] / max(rerun["seconds"], 1e-9),
        "speedup_rerun_vs_uncached": uncached["seconds"] / max(rerun["seconds"], 1e-9),
        # CPU per byte of the cold run over that of the uncached one: the cost of filling the cache
        "cold_overhead_vs_uncached": uncached["cpu_mb_s"] / max(cold["cpu_mb_s"], 1e-9) - 1,
        "identical_findings": rerun["findings_digest"] == uncached["findings_digest"],
        "same_code": cold.get("versions") == rerun.get("versions"),
        "command_runs": cli or None,
    }


def save(results: dict, out: Path) -> None:
    """Write ``results`` under the key ``incremental`` of ``out``, keeping its other keys."""
    data: dict[str, Any] = {}
    if out.exists():
        try:
            data = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            data = {}
    data["incremental"] = results
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def markdown(r: dict) -> str:
    """The tables of bench/README.md's section on incremental runs."""
    c, ch, mc = r["corpus"], r["changes"], r["machine"]
    out = [
        f"Machine: {mc['cpu_model']}, {mc['nproc']} cores, Python {mc['python']}, commit "
        f"`{mc['git_commit']}`. Corpus: {c['articles']:,} articles in {c['stories']:,} stories, "
        f"{c['mb']:.1f} MB, seed {c['seed']}; then {ch['edited']} articles edited and "
        f"{ch['new']} new ({ch['fraction']:.0%}).",
        "",
        "| run | articles | extracted | from cache | wall s | wall MB/s | CPU s | CPU MB/s | "
        "others' CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("uncached", "cold", "rerun"):
        x = r["runs"][name]
        out.append(f"| {name} | {x['articles']:,} | {x['extracted']:,} | {x['cached']:,} | "
                   f"{x['seconds']:.1f} | {x['mb_s']:.2f} | {x['cpu_seconds']:.1f} | "
                   f"{x['cpu_mb_s']:.2f} | {_pct(x.get('other_cpu_share'))} |")
    out += ["", f"Rerun {r['speedup_rerun_vs_cold']:.1f}x faster than the cold run "
                f"({r['speedup_rerun_vs_uncached']:.1f}x faster than no cache); the cold run "
                f"costs {r['cold_overhead_vs_uncached']:+.1%} CPU for filling the cache "
                f"({r['runs']['cold']['cache_mb']:.1f} MB, {r['runs']['cold']['cache_rows']:,} "
                f"rows); findings of the rerun identical to the uncached run: "
                f"{'yes' if r['identical_findings'] else '**no**'}."]
    if r.get("command_runs"):
        out += ["", "| `consistency report` | extracted | wall s | wall MB/s | others' CPU |",
                "|---|---:|---:|---:|---:|"]
        for name, x in r["command_runs"].items():
            if "error" in x:
                out.append(f"| {name} | failed: {' '.join(x['error'])} | | | |")
                continue
            out.append(f"| {name} | {x['extracted']:,} | {x['seconds']:.1f} | {x['mb_s']:.2f} | "
                       f"{_pct(x.get('other_cpu_share'))} |")
    return "\n".join(out) + "\n"


def _pct(x: float | None) -> str:
    return "?" if x is None else f"{x:.0%}"


def main(argv: Sequence[str] | None = None) -> dict | None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["measure"]:
        ap = argparse.ArgumentParser(prog="python3 -m bench.incremental measure")
        ap.add_argument("--manifest", required=True)
        ap.add_argument("--jobs", type=int, default=1)
        ap.add_argument("--cache", default=None)
        args = ap.parse_args(argv[1:])
        lines = Path(args.manifest).read_text(encoding="utf-8").splitlines()
        manifest = [json.loads(line) for line in lines if line.strip()]
        result = measure(manifest, args.jobs, Path(args.cache) if args.cache else None)
        print(json.dumps(result))
        return None
    ap = argparse.ArgumentParser(prog="python3 -m bench.incremental",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--changed", type=float, default=0.01, help="share of new/edited articles")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-command", action="store_true", help="skip the consistency report runs")
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                    help="before each run wait up to this long for a quiet CPU")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    ap.add_argument("--markdown", action="store_true",
                    help="print the Markdown tables of the results in --out and exit")
    args = ap.parse_args(argv)
    if args.markdown:
        sys.stdout.write(markdown(json.loads(Path(args.out).read_text())["incremental"]))
        return None
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    results = run(articles=args.articles, fraction=args.changed, jobs=args.jobs, seed=args.seed,
                  command=not args.no_command, wait=args.wait_idle, log=log)
    if args.out:
        save(results, Path(args.out))
    sys.stdout.write(markdown(results))
    return results


if __name__ == "__main__":
    main()
