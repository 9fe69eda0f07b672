"""Output safety: article text, metadata, story names and rule messages stay inert in Markdown and
HTML; story names never become paths; reports are replaced atomically.

HTML escaping of single writers is covered in tests/test_report_writers.py; this file adds the
Markdown run report, the ``consistency report`` folder built from a hostile JSON Lines feed, and
the atomicity of ``check --output``. The history database's atomicity (SIGKILL, two runs at once,
a run failing midway) is in tests/test_history.py.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

import consistency.cli as cli
from consistency.cli import app
from consistency.engine import check_story
from consistency.models import ResolvedFinding, RunReport, StoryReport, Suppression
from consistency.report.markdown import report_markdown, run_markdown
from consistency.rules.loader import SHIPPED_RULES, load_rules

runner = CliRunner()

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MD_LINK = "[click](javascript:alert(1))"
MD_IMAGE = "![x](https://evil.example/x.png)"
AUTOLINK = "<javascript:alert(1)>"
REFDEF = "[x]: javascript:alert(1)"
HOSTILE = f"{SCRIPT} {IMG} {MD_LINK} {MD_IMAGE} {AUTOLINK} | cell | `code` *em* _u_ # h"
# a name that tries to end the table row, open a heading and inject a block on new lines
NAME = f"../../etc|x\n# Injected heading\n\n{SCRIPT}\n{REFDEF}"

ARTICLE_A = (f"date 2023-03-14\nThe blast killed 12 women {SCRIPT} {IMG} at the market, police "
             f"said {MD_LINK} {MD_IMAGE} {AUTOLINK}.\n")
ARTICLE_B = "date 2023-03-14\nEleven women were killed in the blast at the market, police said.\n"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> RunReport:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        f'a.txt:\n  outlet: {json.dumps(HOSTILE)}\n  url: "javascript:alert(1)"\n'
        f'  title: {json.dumps(SCRIPT)}\n', encoding="utf-8")
    run = check_story([folder], load_rules([SHIPPED_RULES]))
    assert any(SCRIPT in c.sentence.text for f in run.findings for c in f.claims if c.sentence)
    story = StoryReport(**run.report(story=NAME).model_dump())
    documents = [d.model_copy(update={"error": f"bad {HOSTILE}"}) if d.id == "b" else d
                 for d in story.documents]
    findings = [f.model_copy(update={"message": f"{f.message} {HOSTILE}", "title": HOSTILE,
                                     "status": "new"}) for f in story.findings]
    resolved = [ResolvedFinding(fingerprint="0123456789abcdef0123", rule="toll.killed",
                                severity="high", message=f"old {HOSTILE}",
                                first_seen=datetime(2024, 3, 1, tzinfo=UTC),
                                last_seen=datetime(2024, 4, 1, tzinfo=UTC))]
    suppressed = [Suppression(fingerprint="fedcba9876543210fedc", rule="count.disagrees",
                              reason=f"desk {HOSTILE}", message=f"count {HOSTILE}")]
    story = story.model_copy(update={"documents": documents, "findings": findings,
                                     "resolved": resolved, "suppressed": suppressed})
    return RunReport(version="0.1.0", generated=datetime(2024, 5, 1, 12, 30), stories=[story])


def assert_markdown_inert(md: str) -> None:
    assert "alert" in md and "javascript" in md, "the hostile text is quoted..."
    assert not re.search(r"(?<!\\)<", md), "...but never an unescaped '<' (HTML, autolink)"
    ours = re.sub(r"\[\d+:\d+\]", "", md)  # the writer's own "[start:end]" offsets
    assert not re.search(r"(?<!\\)\]\s*[(\[:]", ours), "...nor an active link, image or reference"
    assert not re.search(r"(?<!\\)!\[", md)
    # rendered by a CommonMark renderer that allows raw HTML, nothing active comes out
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    low = html.lower()
    for tag in ("<script", "<img", "<a ", "<iframe", "<svg"):
        assert tag not in low, (tag, html)


def assert_tables_intact(md: str) -> None:
    """Every table row has as many unescaped cell separators as its header."""
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = len(re.findall(r"(?<!\\)\|", lines[i - 1]))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == width, lines[j]
                j += 1


def test_markdown_run_report_is_inert(hostile_run):
    md = run_markdown(hostile_run)
    assert_markdown_inert(md)
    assert_tables_intact(md)
    headings = [ln for ln in md.splitlines() if ln.startswith("#")]
    assert not any("Injected heading" in h and not h.startswith("## Story") for h in headings), \
        headings
    assert "old " in md and "desk " in md  # resolved and suppressed are there, escaped


def test_markdown_single_report_is_inert(hostile_run):
    story = hostile_run.stories[0]
    md = report_markdown(story)
    assert_markdown_inert(md)
    assert_tables_intact(md)
    assert md.count("\n# ") == 0 and md.startswith("# Consistency report")


# ---------------------------------------------------------------------------------------------
# consistency report: a hostile feed
# ---------------------------------------------------------------------------------------------

STORY_NAMES = ["../../etc", "a/b", "/tmp/abs", "..", ".", "nul\u0000name", "c:\\windows",
               "~root", "%2e%2e%2f", NAME]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_report_folder_from_a_hostile_feed(tmp_path, monkeypatch):
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    lines = []
    for name in STORY_NAMES:
        lines.append({"story": name, "outlet": HOSTILE, "url": "javascript:alert(1)",
                      "title": SCRIPT, "published": "2023-03-14", "text": ARTICLE_A})
        lines.append({"story": name, "outlet": "../../b", "url": "https://ok.example/?a=1&b=2",
                      "published": "2023-03-14", "text": ARTICLE_B})
    feed.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*")}
    result = runner.invoke(app, ["report", str(feed), "--out", "out"])
    assert result.exit_code == 0, result.output
    created = {p for p in tmp_path.rglob("*")} - before
    out = work / "out"
    assert all(p == out or out in p.parents for p in created), sorted(created)
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}", folders[0].name)
    assert {p.name for p in out.iterdir() if p.is_file()} <= {
        "history.sqlite", "history.sqlite-wal", "history.sqlite-shm"}
    assert sorted(p.name for p in folders[0].iterdir()) == ["index.html", "report.json",
                                                            "report.md", "stories"]
    pages = sorted((folders[0] / "stories").iterdir())
    assert [p.name for p in pages] == [f"{n:06d}.html" for n in range(1, len(STORY_NAMES) + 1)]

    report = json.loads((folders[0] / "report.json").read_text(encoding="utf-8"))
    assert [s["story"] for s in report["stories"]] == STORY_NAMES  # verbatim, only as data
    assert all(s["findings"] for s in report["stories"])  # checked like any story

    md = (folders[0] / "report.md").read_text(encoding="utf-8")
    assert_markdown_inert(md)
    assert_tables_intact(md)

    index = (folders[0] / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "../../etc" in index
    for page in [folders[0] / "index.html", *pages]:
        assert_html_inert(page.read_text(encoding="utf-8"))
    story = pages[-1].read_text(encoding="utf-8")  # NAME, with its hostile articles
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in story and "../../etc" in story


def assert_html_inert(html: str) -> None:
    low = html.lower()
    assert low.count("<script") == 1, "only the report's own filter script"
    for tag, attrs in _parse(html):
        assert tag not in {"img", "iframe", "object", "embed", "link", "base"}, tag
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("href", "src", "action"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        assert not re.search(r"[/.\\\s<>]", attrs.get("id") or ""), attrs  # no name in ids


def _parse(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


# ---------------------------------------------------------------------------------------------
# Atomic replacement of an earlier report
# ---------------------------------------------------------------------------------------------


def _crash(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


def test_check_json_output_is_replaced_atomically(tmp_path, monkeypatch, seeds_dir):
    out = tmp_path / "report.json"
    out.write_text("previous report\n")
    monkeypatch.setattr(cli, "report_json", _crash)
    result = runner.invoke(app, ["check", str(seeds_dir), "--format", "json", "--output",
                                 str(out)])
    assert result.exit_code != 0
    assert out.read_text() == "previous report\n"
    assert not any(p.name != "report.json" for p in tmp_path.iterdir()), "no temporary left"


def test_check_text_output_is_replaced_atomically(tmp_path, monkeypatch, seeds_dir):
    out = tmp_path / "report.txt"
    out.write_text("previous report\n")

    def half_then_crash(report, console):
        console.print("half a report")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "print_report", half_then_crash)
    result = runner.invoke(app, ["check", str(seeds_dir), "--output", str(out)])
    assert result.exit_code != 0
    assert out.read_text() == "previous report\n"


def test_report_folder_is_never_half_written(tmp_path, monkeypatch, seeds_dir):
    """A writer failing after others succeeded: no visible report folder, earlier ones kept."""
    out = tmp_path / "out"
    assert runner.invoke(app, ["report", str(seeds_dir), "--out", str(out)]).exit_code == 0
    before = sorted(p.name for p in out.iterdir() if p.is_dir())
    import consistency.report.html as html

    monkeypatch.setattr(html, "report_html", _crash)
    result = runner.invoke(app, ["report", str(seeds_dir), "--out", str(out)])
    assert result.exit_code != 0
    visible = sorted(p.name for p in out.iterdir()
                     if p.is_dir() and not p.name.startswith(".tmp-"))
    assert visible == before


def test_out_that_cannot_be_a_folder_is_a_one_line_error(tmp_path, seeds_dir):
    (tmp_path / "a_file").write_text("x")
    for out in (tmp_path / "a_file", Path("/proc/no/such/place")):
        result = runner.invoke(app, ["report", str(seeds_dir), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert " ".join(result.stderr.split()).startswith("error: ")
