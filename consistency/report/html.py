"""A self-contained HTML report for a run over one or more stories.

One file, no network: the CSS and the small filter script are inlined, and a Content-Security-
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
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
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


def report_html(run: RunReport) -> str:
    """The run as one self-contained HTML page."""
    css, js = _assets()
    stories = _stories(run)
    findings = [fv for s in stories for fv in s.findings]
    groups = [(sev, [fv for fv in findings if fv.finding.severity == sev]) for sev in SEVERITIES]
    totals = {s: sum(st.counts[s] for st in stories) for s in SEVERITIES}
    history = (run.previous_run_id is not None
               or any(f.status for f in run.findings())
               or any(s.resolved for s in run.stories))
    rules = sorted({fv.finding.rule for fv in findings})
    rule_counts = Counter(fv.finding.rule for fv in findings)
    csp = "; ".join([
        "default-src 'none'",
        f"style-src {_csp_hash(css)}",
        f"script-src {_csp_hash(js)}",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
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
        csp=csp,
        css=Markup(css),  # our own static files, checked above; never article text
        js=Markup(js),
    )
