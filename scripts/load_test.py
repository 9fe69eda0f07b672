"""Load test: one nightly run over a big JSON Lines feed, measuring wall time and peak memory.

    python scripts/load_test.py                       # 100,000 articles, 20,000 stories of 5
    python scripts/load_test.py --articles 10000      # a quicker run
    python scripts/load_test.py --sizes 10000,50000,100000   # memory against feed size
    python scripts/load_test.py --runs 2              # a second night on the same history
    python scripts/load_test.py --big                 # single huge articles (50 MB, 5 MB line,
                                                      # a million lines): status, time, memory

The feed is streamed to disk (never held in memory here), then ``python -m consistency report FEED
--out TMP`` runs in a child process; its wall time and peak RSS (``getrusage(RUSAGE_CHILDREN)``,
the child's high-water mark) are measured. The script then checks ``report.json``: every feed line
is listed exactly once, in the story it named, with a status; and that the report folder has one
page per story. It prints one JSON object per run and exits 1 if a check failed. Not part of the
test suite (minutes, not seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_TOWNS = ["Ashford", "Bexley", "Carmouth", "Dunmore", "Eastwick", "Fairhaven", "Glenholm",
          "Harlow", "Ivybridge", "Kestrel", "Lowmoor", "Marston", "Northgate", "Oakdale"]
_EVENTS = [("fire", "a fire broke out in a warehouse"), ("crash", "a bus left the road"),
           ("collapse", "a footbridge collapsed"), ("flood", "a river burst its banks"),
           ("explosion", "a gas main exploded")]
_OUTLETS = ["Daily Courier", "Evening Post", "Harbour Times", "Valley News", "Metro Wire"]
_NAMES = ["Hannah Keller", "Omar Said", "Priya Nair", "Tomas Berg", "Ana Costa", "Kwame Mensah"]
_ROLES = ["a police spokesman", "the fire chief", "a local councillor", "a hospital official"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article(story: int, outlet: int, rng: random.Random, base: dict) -> dict:
    """One small article (~300-600 bytes); outlet 4 of some stories disagrees on the toll."""
    killed = base["killed"] + (rng.choice([1, 2, 5]) if outlet == 4 and story % 3 == 0 else 0)
    lead = rng.choice(["At least ", "", "Police said "])
    text = (
        f"{base['published']:%d %B %Y}\n\n"
        f"{base['event'].title()} in {base['town']}\n\n"
        f"{lead}{killed} people were killed and {base['injured']} injured when "
        f"{base['what']} in {base['town']} on {base['weekday']}, officials said. "
        f"The {base['event']} happened at about {base['hour']} pm. "
        f"Rescue work went on for {base['hours']} hours. "
        f"{base['name']}, {base['role']}, said the area would stay closed until "
        f"{_WEEKDAYS[(base['wd'] + 3) % 7]}.\n"
    )
    return {"story": f"story-{story:06d}", "outlet": _OUTLETS[outlet % len(_OUTLETS)],
            "url": f"https://example.invalid/{story}/{outlet}",
            "published": base["published"].isoformat(), "title": None, "text": text}


def write_feed(path: Path, articles: int, per_story: int, seed: int = 7) -> int:
    """Stream the feed to ``path``; returns its size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        for story in range(-(-articles // per_story)):
            rng = random.Random(seed * 1_000_003 + story)
            published = date(2024, 1, 1) + timedelta(days=rng.randrange(300))
            wd = rng.randrange(7)
            event, what = rng.choice(_EVENTS)
            base = {"published": published, "event": event, "what": what, "wd": wd,
                    "weekday": _WEEKDAYS[wd], "town": rng.choice(_TOWNS),
                    "killed": rng.randint(2, 60), "injured": rng.randint(1, 90),
                    "hour": rng.randint(1, 11), "hours": rng.randint(2, 30),
                    "name": rng.choice(_NAMES), "role": rng.choice(_ROLES)}
            for outlet in range(per_story):
                if story * per_story + outlet >= articles:
                    break
                out.write(json.dumps(article(story, outlet, rng, base)) + "\n")
    return path.stat().st_size


_MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(code)
"""


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants (Linux /proc), in KB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry.name)] = int(found.group(1)) if found else 0
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree)


def run_report(feed: Path, out: Path, env: dict[str, str] | None = None,
               jobs: int | None = None, extra: list[str] | None = None) -> dict:
    """``consistency report FEED --out OUT`` in a child process: exit code, wall time, CPU time
    (on a shared machine a steadier measure than wall time), the peak RSS of its largest process (``getrusage`` in a fresh parent, so each run is measured alone)
    and the peak of the sum over its process tree (sampled every 0.2 s: worker processes)."""
    rss_file = out.parent / "peak_rss_kb"
    command = [sys.executable, "-m", "consistency", "report", str(feed), "--out", str(out)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    command += extra or []
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", _MEASURE, str(rss_file), *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    tree_peak = 0
    sampler_done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not sampler_done.wait(0.2):
            tree_peak = max(tree_peak, _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler_done.set()
    sampler.join()
    wall = time.monotonic() - start
    peak_kb, cpu = (rss_file.read_text().split() if rss_file.exists() else ("0", "0"))
    return {"exit": proc.returncode, "wall_s": round(wall, 1), "jobs": jobs or "default",
            "cpu_s": round(float(cpu), 1),  # user + system, the process and its workers
            "peak_rss_mb": round(int(peak_kb) / 1024, 1),  # KB on Linux
            "peak_tree_rss_mb": round(tree_peak / 1024, 1),
            "stderr_tail": stderr.strip().splitlines()[-3:], "stdout": stdout.strip()}


def verify(feed: Path, folder: Path, articles: int) -> dict:
    """Every feed line is in report.json once, in its story, with a status; a page per story."""
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    expected: dict[int, str] = {}
    with feed.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            expected[number] = json.loads(line)["story"]
    seen: dict[int, str] = {}
    statuses: Counter[str] = Counter()
    problems: list[str] = []
    for story in report["stories"]:
        for doc in story["documents"]:
            number = int(doc["path"].rsplit(":", 1)[1])
            if number in seen:
                problems.append(f"line {number} listed twice")
            seen[number] = story["story"]
            statuses[doc["status"] or "<none>"] += 1
    missing = sorted(set(expected) - set(seen))
    wrong = [n for n, s in seen.items() if expected.get(n) != s]
    if missing:
        problems.append(f"{len(missing)} lines missing, first {missing[:5]}")
    if wrong:
        problems.append(f"{len(wrong)} lines in the wrong story, first {wrong[:5]}")
    if len(expected) != articles:
        problems.append(f"feed has {len(expected)} lines, expected {articles}")
    pages = list((folder / "stories").glob("*.html"))
    if len(pages) != len(report["stories"]):
        problems.append(f"{len(pages)} story pages for {len(report['stories'])} stories")
    findings = sum(len(s["findings"]) for s in report["stories"])
    return {"ok": not problems, "problems": problems, "stories": len(report["stories"]),
            "documents": len(seen), "statuses": dict(statuses), "findings": findings,
            "new": sum(f["status"] == "new" for s in report["stories"] for f in s["findings"]),
            "output_mb": _sizes(folder)}


def _sizes(folder: Path) -> dict[str, float]:
    """Sizes in MB: each top-level file, the index pages, and the story pages (total, largest)."""
    def mb(n: int) -> float:
        return round(n / 1e6, 2)

    sizes = {p.name: mb(p.stat().st_size) for p in folder.iterdir() if p.is_file()}
    index = [p.stat().st_size for p in [folder / "index.html", *folder.glob("pages/*.html")]]
    stories = [p.stat().st_size for p in folder.glob("stories/*.html")]
    sizes.update({"index_pages": len(index), "largest_index_page": mb(max(index)),
                  "story_pages": len(stories), "story_pages_total": mb(sum(stories)),
                  "largest_story_page": mb(max(stories, default=0))})
    return sizes


def load_run(articles: int, per_story: int, keep: Path | None, jobs: int | None,
             runs: int = 1, extra: list[str] | None = None) -> list[dict]:
    """``runs`` nights over the same feed into the same folder and history: one result each."""
    results = []
    with tempfile.TemporaryDirectory(prefix="consistency-load-") as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        feed, out = work / "feed.jsonl", work / "reports"
        start = time.monotonic()
        size = write_feed(feed, articles, per_story)
        generated = round(time.monotonic() - start, 1)
        for night in range(1, runs + 1):
            result = {"articles": articles, "stories": -(-articles // per_story),
                      "feed_mb": round(size / 1e6, 1), "generate_s": generated, "run": night}
            result.update(run_report(feed, out, jobs=jobs, extra=extra))
            if result["exit"] == 0:
                folders = sorted(p for p in out.iterdir()
                                 if p.is_dir() and not p.name.startswith("."))
                result["verify"] = verify(feed, folders[-1], articles)
                left = [p.name for p in out.iterdir() if p.name.startswith(".tmp-")]
                if left:
                    result["verify"]["ok"] = False
                    result["verify"]["problems"].append(f"temporary files left: {left}")
            print(json.dumps(result), flush=True)
            results.append(result)
            time.sleep(1.1)  # report folders are stamped to the second
        return results


# ---------------------------------------------------------------------------------------------
# single huge articles
# ---------------------------------------------------------------------------------------------

_BIG_CHILD = """
import json, resource, sys, time
from pathlib import Path
from consistency.engine import check_story
from consistency.rules.loader import SHIPPED_RULES, load_rules
rules = load_rules([SHIPPED_RULES])
start = time.monotonic()
run = check_story([Path(sys.argv[1])], rules)
print(json.dumps({"wall_s": round(time.monotonic() - start, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "statuses": {d.id: [d.status, d.error] for d in run.documents}}))
"""


def _big_inputs(folder: Path) -> dict[str, Path]:
    seed = (ROOT / "seeds" / "001_e64b0a060a4b4366.txt").read_text(encoding="utf-8")
    flat = " ".join(seed.split()) + " "
    made = {}
    specs = {
        "article_50mb": lambda f: [f.write(seed + "\n") for _ in range(50_000_000 // len(seed))],
        "line_5mb": lambda f: f.write(flat * (5_000_000 // len(flat))),
        "million_lines": lambda f: [f.write(f"{i} people were hurt.\n") for i in range(10**6)],
    }
    for name, fill in specs.items():
        story = folder / name
        story.mkdir()
        with (story / "huge.txt").open("w", encoding="utf-8") as handle:
            fill(handle)
        (story / "normal.txt").write_text(seed, encoding="utf-8")
        made[name] = story
    return made


def big_runs(budget: str, caps: list[str]) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="consistency-big-") as tmp:
        for name, story in _big_inputs(Path(tmp)).items():
            size = (story / "huge.txt").stat().st_size
            for cap in caps:
                env = {**os.environ, "CONSISTENCY_ARTICLE_BUDGET": budget}
                if cap:
                    env["CONSISTENCY_MAX_ARTICLE_BYTES"] = cap
                proc = subprocess.run([sys.executable, "-c", _BIG_CHILD, str(story)],
                                      capture_output=True, text=True, cwd=ROOT, env=env)
                row = {"input": name, "bytes": size, "cap": cap or "default",
                       "budget_s": budget, "exit": proc.returncode}
                if proc.returncode == 0:
                    row.update(json.loads(proc.stdout))
                else:
                    row["stderr_tail"] = proc.stderr.strip().splitlines()[-3:]
                print(json.dumps(row), flush=True)
                results.append(row)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--per-story", type=int, default=5)
    parser.add_argument("--sizes", help="comma-separated article counts, one run each")
    parser.add_argument("--keep", type=Path, help="work folder to keep (feed and reports)")
    parser.add_argument("--jobs", type=int, help="pass --jobs to consistency report")
    parser.add_argument("--runs", type=int, default=1,
                        help="nights in a row on the same history (each measured)")
    parser.add_argument("--no-cache", action="store_true",
                        help="pass --no-cache to consistency report (no fact cache)")
    parser.add_argument("--big", action="store_true", help="single huge articles instead")
    parser.add_argument("--budget", default="20", help="CONSISTENCY_ARTICLE_BUDGET for --big")
    parser.add_argument("--caps", default=",200000000",
                        help="CONSISTENCY_MAX_ARTICLE_BYTES values for --big ('' = default)")
    args = parser.parse_args()
    if args.big:
        big_runs(args.budget, args.caps.split(","))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.articles]
    ok = True
    extra = ["--no-cache"] if args.no_cache else []
    for n in sizes:
        for result in load_run(n, args.per_story, args.keep, args.jobs, args.runs, extra):
            ok = ok and result["exit"] == 0 and result.get("verify", {}).get("ok", False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
