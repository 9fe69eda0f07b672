"""History, baselines and crash safety of `consistency report` (issue: nightly report and CI)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.cli import app

ROOT = Path(__file__).resolve().parents[1]
NEW_ARTICLE = """Turkey downs Russian jet

27/11/2015 10:00 by desk

Turkey said it shot down the Russian Su-24 bomber after it flew into its airspace for 30 seconds
despite repeated warnings, officials said.
"""


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def _latest(out: Path) -> dict:
    folders = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    return json.loads((folders[-1] / "report.json").read_text(encoding="utf-8"))


def _statuses(report: dict) -> list[str]:
    return [f["status"] for s in report["stories"] for f in s["findings"]]


def test_second_run_marks_exactly_the_new_finding_new(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    first = run("report", story, "--out", out)
    assert first.exit_code == 0, first.output
    report1 = _latest(out)
    assert set(_statuses(report1)) == {"new"}
    folder1 = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))[0]
    assert {p.name for p in folder1.iterdir()} == {"index.html", "report.md", "report.json",
                                                   "stories"}
    assert [p.name for p in (folder1 / "stories").iterdir()] == ["000001.html"]

    (story / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    time.sleep(1.1)  # report folders are stamped to the second
    second = run("report", story, "--out", out)
    assert second.exit_code == 0, second.output
    report2 = _latest(out)
    statuses = _statuses(report2)
    assert statuses.count("new") == 1
    assert statuses.count("persisting") == len(statuses) - 1
    new = next(f for s in report2["stories"] for f in s["findings"] if f["status"] == "new")
    assert new["rule"] == "duration.disagrees"
    assert report2["stories"][0]["resolved"] == []


def test_resolved_findings_are_listed(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    (story / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert run("report", story, "--out", out).exit_code == 0
    (story / "005_new.txt").unlink()
    time.sleep(1.1)
    assert run("report", story, "--out", out).exit_code == 0
    resolved = _latest(out)["stories"][0]["resolved"]
    assert [r["rule"] for r in resolved] == ["duration.disagrees"]


def test_baseline_from_first_run_fails_only_on_the_new_finding(story: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    created = run("baseline", "create", story, "--output", base)
    assert created.exit_code == 0, created.output
    assert run("check", story, "--baseline", base).exit_code == 0
    (story / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    result = run("check", story, "--baseline", base, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["duration.disagrees"]
    assert "known finding(s) suppressed" in result.stderr


def test_fingerprints_survive_renames_reordering_and_shifted_offsets(story: Path, tmp_path: Path) -> None:
    def prints(folder: Path) -> set[str]:
        result = run("check", folder, "--format", "json", "--fail-on", "never")
        return {f["fingerprint"] for f in json.loads(result.stdout)["findings"]}

    before = prints(story)
    for n, path in enumerate(sorted(story.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        path.unlink()
        # renamed (reversing the order) and with text added at the top: offsets all shift
        (story / f"{9 - n}_renamed.txt").write_text("\n\n" + text, encoding="utf-8")
    assert prints(story) == before


def test_a_run_that_fails_midway_leaves_history_and_reports_intact(story: Path, tmp_path: Path,
                                                                   monkeypatch) -> None:
    out = tmp_path / "reports"
    assert run("report", story, "--out", out).exit_code == 0
    before = sorted(p.name for p in out.iterdir() if p.is_dir())
    db = out / "history.sqlite"
    runs_before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM runs").fetchone()[0]

    import consistency.report.markdown as markdown

    def crash(*_: object) -> str:
        raise KeyboardInterrupt  # as a kill would, halfway through writing the report

    monkeypatch.setattr(markdown, "story_section", crash)
    time.sleep(1.1)
    crashed = CliRunner().invoke(app, ["report", str(story), "--out", str(out)])
    assert crashed.exit_code != 0
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs_before
    visible = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".tmp-"))
    assert visible == before


def test_killed_process_leaves_a_readable_history(story: Path, tmp_path: Path) -> None:
    """A real SIGKILL at an arbitrary moment: the database stays consistent."""
    out = tmp_path / "reports"
    assert run("report", story, "--out", out).exit_code == 0
    many = tmp_path / "many"
    for n in range(12):
        shutil.copytree(story, many / f"story{n}")
    proc = subprocess.Popen([sys.executable, "-m", "consistency", "report", str(many),
                             "--out", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    proc.kill()
    proc.wait()
    con = sqlite3.connect(out / "history.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 1
    first = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))[0]
    assert json.loads((first / "report.json").read_text(encoding="utf-8"))["stories"]


def test_two_runs_at_once_share_the_history(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    results: list[int] = []

    def one(n: int) -> None:
        done = subprocess.run([sys.executable, "-m", "consistency", "report", str(story),
                               "--out", str(out / f"r{n}"), "--history", str(out / "h.sqlite")],
                              capture_output=True, text=True)
        results.append(done.returncode)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [0, 0]
    con = sqlite3.connect(out / "h.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2


def test_feed_input_groups_articles_by_story(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = []
    for n, path in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        lines.append(json.dumps({"story": "moscow-talks", "outlet": f"Outlet {n}", "url": None,
                                 "published": None, "title": None,
                                 "text": path.read_text(encoding="utf-8")}))
    lines.append(json.dumps({"story": "other", "outlet": "X", "text": ""}))
    lines.append("{not json")
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("check", feed, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    statuses = sorted(d["status"] for d in report["documents"])
    assert statuses.count("ok") == 5 and "empty" in statuses and "failed" in statuses
    assert any(f["rule"] == "time.state-end-disagrees" for f in report["findings"])
    assert ":7" in result.stderr  # the bad line is named with its line number


def test_jobs_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    stories = ROOT / "tests" / "data" / "validation"

    def findings(jobs: int) -> list[tuple[str, str]]:
        out = tmp_path / f"j{jobs}"
        assert run("report", stories, "--out", out, "--jobs", jobs).exit_code == 0
        report = _latest(out)
        return [(s["story"], f["fingerprint"]) for s in report["stories"] for f in s["findings"]]

    assert findings(2) == findings(1)
