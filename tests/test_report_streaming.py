"""`consistency report` streams (issue #6: memory stays bounded under load).

Each story is checked, compared with the history and written as it comes; the report folder's
files are the same as the in-memory writers give (report.json byte for byte, report.md too), the
HTML is an index plus one page per story, and the run never holds more than a few stories.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import consistency.nightly as nightly
import consistency.report.html as html_module
from consistency.cli import app
from consistency.models import RunReport, StoryReport
from consistency.report.folder import ReportFolder, write_run_folder
from consistency.report.html import report_html
from consistency.report.jsonout import run_json
from consistency.report.markdown import run_markdown
from consistency.store import History
from tests.test_report_writers import (
    SEEDS,
    run_report,
    story_report,
    with_history,
    write_hostile_story,
)

runner = CliRunner()

ARTICLE_A = "date 2023-03-14\nThe blast killed {n} people at the market, police said.\n"
ARTICLE_B = "date 2023-03-14\nEleven people were killed in the blast at the market.\n"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[RunReport]:
    seeds = story_report(SEEDS, "seeds")
    hostile = story_report(write_hostile_story(tmp_path_factory.mktemp("hostile")), "hostile")
    return [
        run_report(seeds),
        run_report(seeds, hostile),
        run_report(with_history(seeds), with_history(hostile), run_id=7, previous_run_id=6,
                   baseline_suppressed=2),
        run_report(StoryReport(story="quiet", documents=[], findings=[])),
        run_report(),
    ]


def many_stories(root: Path, count: int) -> Path:
    """``count`` small two-article stories, every other one with a disagreeing toll."""
    for n in range(count):
        folder = root / f"s{n:03d}"
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text(ARTICLE_A.format(n=12 if n % 2 else 11), encoding="utf-8")
        (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return root


def report_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))


# ---------------------------------------------------------------------------------------------
# The streamed files are the in-memory writers' files
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(5))
def test_streamed_json_and_markdown_are_byte_for_byte_the_in_memory_ones(runs, n, tmp_path):
    run = runs[n]
    folder = write_run_folder(run, tmp_path)
    assert (folder / "report.json").read_text(encoding="utf-8") == run_json(run)
    assert run_json(run) == run.model_dump_json(indent=2) + "\n"  # the writer before streaming
    assert (folder / "report.md").read_text(encoding="utf-8") == run_markdown(run)
    assert RunReport.model_validate_json((folder / "report.json").read_bytes()) == run


@pytest.mark.parametrize("n", range(5))
def test_each_story_page_is_the_single_story_report(runs, n, tmp_path):
    run = runs[n]
    folder = write_run_folder(run, tmp_path)
    pages = sorted((folder / "stories").iterdir())
    assert [p.name for p in pages] == [f"{i:06d}.html" for i in range(1, len(run.stories) + 1)]
    for page, story in zip(pages, run.stories, strict=True):
        alone = RunReport(version=run.version, generated=run.generated,
                          previous_run_id=run.previous_run_id, stories=[story])
        assert page.read_text(encoding="utf-8") == report_html(alone, "../index.html")
    index = (folder / "index.html").read_text(encoding="utf-8")
    for i, story in enumerate(run.stories, 1):
        assert f'href="stories/{i:06d}.html"' in index
        assert str(story.story) in index


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "http:", "https:")):
            self.hrefs.append(href)


def links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


def test_index_is_paged_and_every_link_leads_to_a_page(tmp_path, monkeypatch):
    monkeypatch.setattr(html_module, "PAGE_SIZE", 2)
    seeds = story_report(SEEDS, "seeds")
    stories = [seeds.model_copy(update={"story": f"story {n}"}) for n in range(5)]
    folder = write_run_folder(run_report(*stories), tmp_path)
    assert sorted(p.name for p in (folder / "pages").iterdir()) == ["2.html", "3.html"]
    listed = []
    for page in [folder / "index.html", folder / "pages" / "2.html", folder / "pages" / "3.html"]:
        listed += [h for h in links(page) if "stories/" in h]
    assert listed.count("stories/000001.html") == 2  # its page, and "most severe" on page 1
    assert [h.rsplit("/", 1)[-1] for h in listed if h.startswith("../")] == [
        "000003.html", "000004.html", "000005.html"]
    # a story's page links back to the index page that lists it
    assert links(folder / "stories" / "000003.html") == ["../pages/2.html"]
    assert links(folder / "stories" / "000001.html") == ["../index.html"]
    for page in folder.rglob("*.html"):
        for href in links(page):
            assert (page.parent / href).resolve().is_file(), (page, href)


# ---------------------------------------------------------------------------------------------
# Bounded memory: the report path holds a few stories, never the run
# ---------------------------------------------------------------------------------------------


def live_story_reports() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, StoryReport))


@pytest.mark.parametrize("jobs", [1, 2])
def test_report_never_holds_more_than_a_few_stories(tmp_path, monkeypatch, jobs):
    """Counted in the parent each time a story reaches the history: the stories alive then are
    the few in flight, whatever the number of stories (before streaming: all checked so far)."""
    count = 24
    stories = many_stories(tmp_path / "stories", count)
    live: list[int] = []
    annotate = History.annotate

    def counting(self, story, now):
        live.append(live_story_reports())
        return annotate(self, story, now)

    monkeypatch.setattr(History, "annotate", counting)
    out = tmp_path / "out"
    before = live_story_reports()  # other tests' fixtures
    result = runner.invoke(app, ["report", str(stories), "--out", str(out), "--jobs", str(jobs)])
    assert result.exit_code == 0, result.output
    assert len(live) == count
    live = [n - before for n in live]
    # one story being annotated, the one written before it, and with --jobs the results that
    # came back early and wait for their turn (at most the window)
    bound = 2 if jobs == 1 else 2 + jobs * nightly.WINDOW_PER_JOB
    assert max(live) <= bound < count, live
    report = json.loads((report_folders(out)[0] / "report.json").read_text(encoding="utf-8"))
    assert [s["story"] for s in report["stories"]] == [f"s{n:03d}" for n in range(count)]


def test_workers_are_given_at_most_the_window(tmp_path, monkeypatch):
    """The stories read from the input and not yet written stay within the window: the input is
    not read ahead (a feed's documents are built when read)."""
    count, jobs = 40, 2
    stories = many_stories(tmp_path / "stories", count)
    pulled: list[str] = []
    ahead: list[int] = []

    def progress(items):
        for item in items:
            pulled.append(item.name)
            yield item

    annotate = History.annotate

    def counting(self, story, now):
        ahead.append(len(pulled) - len(ahead))
        return annotate(self, story, now)

    monkeypatch.setattr(History, "annotate", counting)
    history = History(tmp_path / "h.sqlite")
    options = nightly.RunOptions(rules=_rules(), config=_config())
    done = nightly.report_run([stories], options, tmp_path / "out", history, progress=progress,
                              jobs=jobs)
    history.close()
    assert done.totals.stories == count == len(ahead)
    assert max(ahead) <= jobs * nightly.WINDOW_PER_JOB < count, ahead


def _rules():
    from consistency.rules.loader import SHIPPED_RULES, load_rules

    return load_rules([SHIPPED_RULES])


def _config():
    from consistency.config import Config

    return Config()


# ---------------------------------------------------------------------------------------------
# The run through the command: contract, history, nothing left behind
# ---------------------------------------------------------------------------------------------


def test_report_command_files_history_and_cleanup(tmp_path):
    stories = many_stories(tmp_path / "stories", 6)
    out = tmp_path / "out"
    for _ in range(2):
        result = runner.invoke(app, ["report", str(stories), "--out", str(out), "--jobs", "1"])
        assert result.exit_code == 0, result.output
        (stories / "s001" / "a.txt").write_text(ARTICLE_B, encoding="utf-8")  # resolves one
    first, second = report_folders(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [first.name, second.name, "history.sqlite", *[p.name for p in out.glob("history.*-*")]])
    text = (second / "report.json").read_text(encoding="utf-8")
    report = RunReport.model_validate_json(text)
    assert run_json(report) == text  # exactly what the in-memory writer gives for it
    assert (second / "report.md").read_text(encoding="utf-8") == run_markdown(report)
    assert report.previous_run_id == 1
    assert [len(s.resolved) for s in report.stories] == [0, 1, 0, 0, 0, 0]
    assert {f.status for f in report.findings()} == {"persisting"}
    # the history, recorded from the spool, counts what the report shows
    con = sqlite3.connect(out / "history.sqlite")
    rows = con.execute("SELECT id, stories, findings FROM runs ORDER BY id").fetchall()
    assert rows[-1] == (2, 6, len(report.findings()))
    docs = con.execute("SELECT COUNT(*) FROM run_documents WHERE run_id = 2").fetchone()[0]
    assert docs == 12
    assert re.search(r": 6 stories, 2 findings \(0 new, 2 persisting, 1 resolved\); run 2",
                     result.output), result.output


def test_a_failing_story_leaves_no_temporary_and_no_run(tmp_path, monkeypatch):
    stories = many_stories(tmp_path / "stories", 6)
    out = tmp_path / "out"
    import consistency.report.markdown as markdown

    calls = []

    def crash_on_third(story):
        calls.append(story)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(story)

    real = markdown.story_section
    monkeypatch.setattr(markdown, "story_section", crash_on_third)
    result = runner.invoke(app, ["report", str(stories), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 2 and "cannot write the report" in result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("history.sqlite")) == []
    con = sqlite3.connect(out / "history.sqlite")
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_report_folder_left_without_finish_is_removed(tmp_path):
    header = RunReport(version="0", generated=run_report().generated, stories=[])
    with pytest.raises(RuntimeError), ReportFolder(tmp_path, header) as folder:
        folder.add(StoryReport(story="x", documents=[], findings=[]))
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_history_look_ups_per_story_use_an_index(tmp_path):
    """``previous_run`` runs for every story of every run: a table scan there made the second
    night of 100,000 articles quadratic (22 ms a story at one night of history)."""
    history = History(tmp_path / "h.sqlite")
    plans = [" ".join(str(c) for c in row) for query in (
        "SELECT MAX(run_id) FROM run_documents WHERE story = ?",
        "SELECT MAX(run_id) FROM run_findings WHERE story = ?",
        "SELECT fingerprint, first_seen FROM findings WHERE story = ?",
    ) for row in history.db.execute("EXPLAIN QUERY PLAN " + query, ("s",))]
    history.close()
    assert plans and all("USING" in p and "INDEX" in p for p in plans), plans


@pytest.mark.skipif(not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).is_file(),
                    reason="no Chromium (apt-get install -y chromium)")
def test_story_page_of_a_report_folder_in_chromium(tmp_path):
    """A story page as the command writes it (hostile articles, history marks) works in a real
    browser: it renders, its filters work, nothing from the articles runs."""
    from tests.test_browser import _assert_passed, browser_check
    from tests.test_report_writers import HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_TITLE

    stories = tmp_path / "stories"
    write_hostile_story(stories / "hostile")
    shutil.copytree(SEEDS, stories / "seeds")
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(stories), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    page = report_folders(out)[0] / "stories" / "000001.html"
    _assert_passed(browser_check(page, tmp_path / "story.png", HOSTILE_SCRIPT, HOSTILE_IMG,
                                 HOSTILE_TITLE))
