"""Markdown tables of a results file, for bench/README.md:

    python3 -m bench.report [bench/results.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def markdown(r: dict) -> str:
    mc, c, ch, n, ra = r["machine"], r["corpus"], r["check"], r["naive"], r["ratio"]
    e = r["extraction"]["per_core"]
    out = [
        f"Machine: {mc['cpu_model']}, {mc['nproc']} cores (`nproc`), Python {mc['python']}, "
        f"{mc['platform']}, commit `{mc['git_commit']}`.",
        "",
        f"Corpus: {c['articles']:,} articles in {c['stories']:,} stories, {c['mb']:.1f} MB "
        f"(mean {c['mean_article_bytes']:.0f} bytes per article), seed {c['seed']}; "
        f"{c['stories_with_planted_disagreements']:,} stories with planted disagreements.",
        "",
        "| measure | MB/s | articles/s | seconds | peak RSS MB | others' CPU |",
        "|---|---:|---:|---:|---:|---:|",
        f"| extraction, per core (CPU time) | {e['mb_s']:.3f} | {e['articles_s']:.1f} | "
        f"{e['seconds']:.1f} | | |",
        f"| whole check, per core (CPU time) | {ch['per_core']['mb_s']:.3f} | "
        f"{ch['per_core']['articles_s']:.1f} | {ch['per_core']['seconds']:.1f} | "
        f"{ch['worker_peak_rss_mb']:.0f} (worker) | |",
        f"| whole check, wall, `--jobs {ch['jobs']}` | {ch['wall']['mb_s']:.3f} | "
        f"{ch['wall']['articles_s']:.1f} | {ch['wall']['seconds']:.1f} | "
        f"{ch['parent_peak_rss_mb']:.0f} (parent) | {_pct(ch['other_cpu_share'])} |",
    ]
    if n:
        out += [
            f"| naive, per core (CPU time, {n['articles']} articles) | {n['cpu_mb_s']:.4f} | "
            f"{n['articles'] / max(n['cpu_seconds'], 1e-9):.2f} | {n['cpu_seconds']:.1f} | "
            f"{n['peak_rss_mb']:.0f} | |",
            f"| naive, wall | {n['mb_s']:.4f} | {n['articles_s']:.2f} | {n['seconds']:.1f} | | "
            f"{_pct(n['other_cpu_share'])} |",
            f"| **ratio** whole check / naive | per core **{ra['per_core']:.0f}x** | "
            f"wall `--jobs {ch['jobs']}` {ra['wall']:.0f}x | | | |",
        ]
    out += ["", "| size | articles | MB | wall s | wall MB/s | CPU s | CPU MB/s | worker peak RSS MB "
                "| others' CPU |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for p in r["scaling"]:
        out.append(f"| {p['factor']}x | {p['articles']:,} | {p['mb']:.1f} | "
                   f"{p['wall_seconds']:.1f} | {p['wall_mb_s']:.3f} | {p['cpu_seconds']:.1f} | "
                   f"{p['per_core_mb_s']:.3f} | {p['worker_peak_rss_mb']:.0f} | "
                   f"{_pct(p['other_cpu_share'])} |")
    if r["jobs"]:
        j = r["jobs"]
        out += ["", f"`--jobs`: {j['articles']:,} articles take {j['wall_seconds_jobs_1']:.1f} s "
                    f"with one job and {j['wall_seconds_jobs_n']:.1f} s with {j['jobs']}: speedup "
                    f"{j['speedup']:.2f}x; articles per worker {j['articles_per_process']} "
                    f"(others' CPU {_pct(j['other_cpu_share_jobs_1'])} / "
                    f"{_pct(j['other_cpu_share_jobs_n'])})."]
    out += ["", "| target | value | wanted | met | what |", "|---|---:|---|---|---|"]
    for name, t in r["targets"].items():
        met = "yes" if t["met"] else "**no**"
        if not t["conclusive"]:
            met += " (others used >10% CPU: not conclusive)"
        out.append(f"| {name} | {t['value']:.3f} | {t['target']} | {met} | {t['note']} |")
    return "\n".join(out) + "\n"


def _pct(x: float | None) -> str:
    return "?" if x is None else f"{x:.0%}"


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    results = json.loads(path.read_text())
    sys.stdout.write(markdown(results))
    if results.get("incremental"):
        from bench.incremental import markdown as incremental_markdown

        sys.stdout.write("\n" + incremental_markdown(results["incremental"]))
