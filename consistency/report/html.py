"""A self-contained HTML report for a run over one or more stories (``report_html``), and the
HTML of a report folder: an index and one such page per story, written as stories arrive
(``RunHtmlWriter``, used by ``consistency.report.folder``).

Each page is one file, no network: the CSS and the small filter script are inlined, and a Content-Security-
Policy ``<meta>`` allows only those two blocks (by hash), so nothing an article says can load or
run anything even if it slipped past escaping. Jinja2 autoescaping is on for every value; article
text only ever reaches the page as escaped text.

Filters: checkboxes per severity (``#filter-high`` ...) and a rule ``<select>`` (``#filter-rule``)
toggle the ``hidden`` attribute of ``.finding`` elements by their ``data-severity`` /
``data-rule``. The same state can be given in the address, which the script applies on load and
whenever the fragment changes, exactly as if the controls had been used::

    report.html#hide=high,low          severities to hide, comma-separated
    report.html#rule=count.disagrees   show only this rule
    report.html?hide=info&rule=...     the query string works too

Without JavaScript every finding is shown and the (then useless) filter bar stays hidden.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
from collections import Counter
from dataclasses import astuple, dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import TypeAdapter, ValidationError

from consistency.models import (
    SEVERITY_ORDER,
    Claim,
    DocumentInfo,
    Finding,
    RunReport,
    StoryReport,
    Value,
)
from consistency.rules.render import describe_value

SEVERITIES: tuple[str, ...] = ("high", "medium", "low", "info")
_LINKABLE_SCHEMES = ("http", "https")
_VALUE = TypeAdapter(Value)


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("consistency.report", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    """The inline CSS and JS, as shipped next to the template."""
    env = _env()
    assert env.loader is not None
    css = env.loader.get_source(env, "report.css")[0]
    js = env.loader.get_source(env, "report.js")[0]
    for name, text, closing in (("report.css", css, "</style"), ("report.js", js, "</script")):
        if closing in text.lower():
            raise ValueError(f"{name} must not contain {closing!r}")
    return css, js


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _csp() -> str:
    """The page's Content-Security-Policy: only its own style and script blocks, by hash."""
    css, js = _assets()
    return "; ".join([
        "default-src 'none'",
        f"style-src {_csp_hash(css)}",
        f"script-src {_csp_hash(js)}",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def _page_assets() -> dict[str, str]:
    css, js = _assets()
    # our own static files, checked in _assets; never article text
    return {"csp": _csp(), "css": Markup(css), "js": Markup(js)}


# ---------------------------------------------------------------------------------------------
# View model: plain values the template only has to lay out
# ---------------------------------------------------------------------------------------------


@dataclass
class SourceView:
    id: str
    path: str
    filename: str
    url: str | None  # only http(s) addresses, safe to put in href
    raw_url: str | None  # any other address, shown as text
    outlet: str | None
    title: str | None
    published: str | None
    published_source: str
    status: str
    error: str | None
    facts: int


@dataclass
class ClaimView:
    source: SourceView
    text: str
    start: int
    end: int
    before: str | None  # sentence text before the quote; None when the sentence is not shown
    after: str | None
    value: str | None


@dataclass
class FindingView:
    anchor: str
    story: str
    finding: Finding
    claims: list[ClaimView]


@dataclass
class StoryView:
    index: int
    name: str
    anchor: str
    report: StoryReport
    sources: list[SourceView]
    counts: dict[str, int]
    new: int
    persisting: int
    findings: list[FindingView] = field(default_factory=list)


def _source(d: DocumentInfo) -> SourceView:
    url = raw_url = None
    if d.url:
        try:
            scheme = urlsplit(d.url.strip()).scheme.lower()
        except ValueError:
            scheme = ""
        if scheme in _LINKABLE_SCHEMES:
            url = d.url.strip()
        else:
            raw_url = d.url
    return SourceView(id=d.id, path=d.path, filename=d.path.replace("\\", "/").rsplit("/", 1)[-1],
                      url=url, raw_url=raw_url, outlet=d.outlet, title=d.title,
                      published=d.published.isoformat() if d.published else None,
                      published_source=d.published_source, status=d.status, error=d.error,
                      facts=d.facts)


def highlight(claim: Claim) -> tuple[str, str] | None:
    """Split ``claim.sentence.text`` around the quote: ``(before, after)``, or None when the
    sentence is missing or does not contain the quote.

    Both ``claim.start`` and ``claim.sentence.start`` are raw offsets, so the quote sits at
    ``claim.start - sentence.start`` inside the sentence. If the offsets disagree with the text
    but the quote occurs exactly once in the sentence, that occurrence is used.
    """
    sentence = claim.sentence
    if sentence is None or not claim.text:
        return None
    text = sentence.text
    rel_start, rel_end = claim.start - sentence.start, claim.end - sentence.start
    if 0 <= rel_start <= rel_end <= len(text) and text[rel_start:rel_end] == claim.text:
        return text[:rel_start], text[rel_end:]
    if text.count(claim.text) == 1:
        i = text.index(claim.text)
        return text[:i], text[i + len(claim.text):]
    return None


def _describe(value: dict[str, Any] | None) -> str | None:
    if not value:
        return None
    try:
        return describe_value(_VALUE.validate_python(value))
    except (ValidationError, TypeError, ValueError):
        return None


def _claim(claim: Claim, sources: dict[str, SourceView]) -> ClaimView:
    source = sources.get(claim.doc) or SourceView(
        id=claim.doc, path=claim.doc, filename=claim.doc, url=None, raw_url=None, outlet=None,
        title=None, published=None, published_source="none", status="missing", error=None,
        facts=0)
    parts = highlight(claim)
    before, after = parts if parts else (None, None)
    return ClaimView(source=source, text=claim.text, start=claim.start, end=claim.end,
                     before=before, after=after, value=_describe(claim.value))


def _format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    text = value.isoformat(sep=" ", timespec="seconds")
    return text.replace("+00:00", " UTC")


def _stories(run: RunReport) -> list[StoryView]:
    views = []
    for i, story in enumerate(run.stories):
        name = story.story or f"story {i + 1}"
        sources = [_source(d) for d in story.documents]
        by_id = {s.id: s for s in sources}
        counts = Counter(f.severity for f in story.findings)
        view = StoryView(
            index=i, name=name, anchor=f"story-{i + 1}", report=story, sources=sources,
            counts={s: counts.get(s, 0) for s in SEVERITIES},
            new=sum(1 for f in story.findings if f.status == "new"),
            persisting=sum(1 for f in story.findings if f.status == "persisting"))
        for f in story.findings:
            view.findings.append(FindingView(
                anchor=f"finding-{i + 1}-{f.fingerprint}", story=f.story or name, finding=f,
                claims=[_claim(c, by_id) for c in f.claims]))
        views.append(view)
    return views


def report_html(run: RunReport, index_href: str | None = None) -> str:
    """The run as one self-contained HTML page; ``index_href`` links back to a run's index (the
    page of one story in a report folder)."""
    stories = _stories(run)
    findings = [fv for s in stories for fv in s.findings]
    groups = [(sev, [fv for fv in findings if fv.finding.severity == sev]) for sev in SEVERITIES]
    totals = {s: sum(st.counts[s] for st in stories) for s in SEVERITIES}
    history = (run.previous_run_id is not None
               or any(f.status for f in run.findings())
               or any(s.resolved for s in run.stories))
    rules = sorted({fv.finding.rule for fv in findings})
    rule_counts = Counter(fv.finding.rule for fv in findings)
    return _env().get_template("report.html.j2").render(
        run=run,
        generated=_format_time(run.generated),
        generated_iso=run.generated.isoformat(),
        stories=stories,
        groups=groups,
        totals=totals,
        total=len(findings),
        history=history,
        rules=rules,
        rule_counts=rule_counts,
        severities=SEVERITIES,
        severity_rank=SEVERITY_ORDER,
        resolved_total=sum(len(s.resolved) for s in run.stories),
        suppressed_total=sum(len(s.suppressed) for s in run.stories),
        documents_total=sum(len(s.documents) for s in run.stories),
        format_time=_format_time,
        index_href=index_href,
        **_page_assets(),
    )


# ---------------------------------------------------------------------------------------------
# A report folder: an index of the stories, one page per story, written as stories arrive
# ---------------------------------------------------------------------------------------------

PAGE_SIZE = 1000  # stories per index page: a page stays ~0.5 MB whatever the size of the run
WORST = 50  # stories listed under "Most severe stories" on the first index page


def story_href(number: int) -> str:
    """Where the page of the run's ``number``-th story (from 1) is, inside the report folder.
    Built from the number only: a story's name is data, never a path."""
    return f"stories/{number:06d}.html"


def index_href(page: int) -> str:
    return "index.html" if page == 1 else f"pages/{page}.html"


@dataclass(frozen=True, slots=True)
class StoryRow:
    """What the index says about one story: a few numbers, so the run's index never needs the
    stories themselves."""

    number: int
    name: str
    documents: int
    unread: int  # documents whose status is not ok
    counts: tuple[int, int, int, int]  # findings by severity, in SEVERITIES order
    new: int
    persisting: int
    resolved: int
    suppressed: int

    @classmethod
    def of(cls, number: int, story: StoryReport) -> StoryRow:
        counts = Counter(f.severity for f in story.findings)
        return cls(number=number, name=story.story or f"story {number}",
                   documents=len(story.documents),
                   unread=sum(1 for d in story.documents if d.status != "ok"),
                   counts=tuple(counts.get(s, 0) for s in SEVERITIES),  # type: ignore[arg-type]
                   new=sum(1 for f in story.findings if f.status == "new"),
                   persisting=sum(1 for f in story.findings if f.status == "persisting"),
                   resolved=len(story.resolved), suppressed=len(story.suppressed))

    @property
    def href(self) -> str:
        return story_href(self.number)


@dataclass
class RunTotals:
    stories: int = 0
    documents: int = 0
    unread: int = 0
    findings: int = 0
    severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    new: int = 0
    persisting: int = 0
    resolved: int = 0
    suppressed: int = 0

    def add(self, row: StoryRow) -> None:
        self.stories += 1
        self.documents += row.documents
        self.unread += row.unread
        self.findings += sum(row.counts)
        for sev, n in zip(SEVERITIES, row.counts, strict=True):
            self.severity[sev] += n
        self.new += row.new
        self.persisting += row.persisting
        self.resolved += row.resolved
        self.suppressed += row.suppressed


class RunHtmlWriter:
    """The HTML of a report folder, written story by story.

    ``stories/000001.html`` ...: one self-contained page per story, exactly the single-story
    report of ``report_html`` (same look, filters, escaping and CSP) with a link back to the
    index. ``index.html``: the run's totals, the most severe stories, findings by rule, and the
    stories in run order, ``PAGE_SIZE`` a page (``pages/2.html`` ...). One page for the whole run
    grew with it (101 MB at 100,000 articles, too big for a browser and for memory); these pages
    are bounded by one story or by ``PAGE_SIZE`` rows.

    Memory: the index's rows go to a spool file as stories arrive and are read back a page at a
    time; only the totals, the ``WORST`` heap and the counts per rule are kept.
    """

    def __init__(self, folder: Path, spool: Path, generated: datetime, version: str,
                 page_size: int | None = None) -> None:
        self.folder = folder
        self.generated = generated
        self.version = version
        self.page_size = page_size or PAGE_SIZE
        self.totals = RunTotals()
        self.history = False
        self._rules: dict[str, Counter[str]] = {}
        self._worst: list[tuple[tuple[int, int, int, int], int, StoryRow]] = []
        self._rows_path = spool / "index.rows"
        self._rows = self._rows_path.open("w", encoding="utf-8")
        (folder / "stories").mkdir()

    def add(self, story: StoryReport, previous_run_id: int | None = None) -> StoryRow:
        """Write the story's page; ``previous_run_id``: the run its findings were compared with."""
        row = StoryRow.of(self.totals.stories + 1, story)
        page = (row.number - 1) // self.page_size + 1
        run = RunReport(version=self.version, generated=self.generated,
                        previous_run_id=previous_run_id, stories=[story])
        html = report_html(run, index_href="../" + index_href(page))
        (self.folder / row.href).write_text(html, encoding="utf-8")
        self._rows.write(json.dumps(astuple(row)) + "\n")
        self.totals.add(row)
        self.history = self.history or previous_run_id is not None or bool(
            story.resolved) or any(f.status for f in story.findings)
        for f in story.findings:
            self._rules.setdefault(f.rule, Counter())[f.severity] += 1
        if any(row.counts):
            # a min-heap of the WORST most severe so far; earlier stories win ties
            heapq.heappush(self._worst, (row.counts, -row.number, row))
            if len(self._worst) > WORST:
                heapq.heappop(self._worst)
        return row

    def finish(self, previous_run_id: int | None = None) -> None:
        """Write the index pages: ``previous_run_id`` is the latest run any story was compared
        with (the run's, as in report.json)."""
        self.close()
        pages = max(1, -(-self.totals.stories // self.page_size))
        if pages > 1:
            (self.folder / "pages").mkdir()
        with self._rows_path.open(encoding="utf-8") as spooled:
            for page in range(1, pages + 1):
                chunk = [_row(line) for line in islice(spooled, self.page_size)]
                html = self._index(page, pages, chunk, previous_run_id)
                (self.folder / index_href(page)).write_text(html, encoding="utf-8")

    def close(self) -> None:
        self._rows.close()

    def _index(self, page: int, pages: int, rows: list[StoryRow],
               previous_run_id: int | None) -> str:
        root = "" if page == 1 else "../"
        first = (page - 1) * self.page_size + 1
        worst = [row for _, _, row in sorted(self._worst, reverse=True)]
        rules = sorted(self._rules.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        return _env().get_template("index.html.j2").render(
            tool="consistency", version=self.version,
            generated=_format_time(self.generated), generated_iso=self.generated.isoformat(),
            previous_run_id=previous_run_id, t=self.totals, history=self.history,
            severities=SEVERITIES, worst=worst,
            rules=[(rule, {s: counts.get(s, 0) for s in SEVERITIES}) for rule, counts in rules],
            rows=rows, page=page, pages=pages, first=first, last=first + len(rows) - 1,
            root=root, page_href=lambda p: root + index_href(p), **_page_assets())


def _row(line: str) -> StoryRow:
    fields = json.loads(line)
    fields[4] = tuple(fields[4])  # counts: a list in JSON
    return StoryRow(*fields)
