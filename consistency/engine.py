"""The pipeline, one way: ingest -> timeline -> extract -> align/rules -> findings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from consistency import __version__
from consistency.align import TermWeights
from consistency.extract import Extraction, ExtractionTimeout, extract_document
from consistency.factcache import FactCache
from consistency.ingest import load_story
from consistency.models import (
    SEVERITY_ORDER,
    Document,
    DocumentInfo,
    Fact,
    Finding,
    Mention,
    Report,
)
from consistency.rules.kinds import KINDS
from consistency.rules.operators import StoryFacts
from consistency.rules.schema import Rule
from consistency.timeline import Timeline, build_timeline

# Seconds one article may take to extract; news articles take milliseconds. Set the environment
# variable CONSISTENCY_ARTICLE_BUDGET to change it.
ARTICLE_BUDGET = float(os.environ.get("CONSISTENCY_ARTICLE_BUDGET", "20"))


@dataclass
class StoryRun:
    documents: list[Document]
    timeline: Timeline
    facts: list[Fact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    extracted: int = 0  # articles run through the extractors (the others came from the cache)
    cached: int = 0  # articles whose facts came from the fact cache

    def document_infos(self) -> list[DocumentInfo]:
        counts: dict[str, int] = {}
        for f in self.facts:
            counts[f.doc] = counts.get(f.doc, 0) + 1
        return [
            DocumentInfo(id=d.id, path=d.path, published=d.published,
                         published_source=d.published_source, status=d.status, error=d.error,
                         outlet=d.outlet, url=d.url, title=d.title, facts=counts.get(d.id, 0))
            for d in self.documents
        ]

    def report(self, story: str | None = None) -> Report:
        return Report(version=__version__, story=story, documents=self.document_infos(),
                      findings=self.findings)


def extract_story(paths: Sequence[str | Path], mentions: bool = False,
                  cache: FactCache | None = None) -> StoryRun:
    documents = cache.load_story(paths) if cache is not None else load_story(list(paths))
    return extract_documents(documents, mentions=mentions, cache=cache)


def extract_documents(documents: list[Document], mentions: bool = False,
                      cache: FactCache | None = None) -> StoryRun:
    """Facts of every readable article; ``mentions`` also keeps every number and time
    expression the grammars found (what ``facts --all`` prints). With a ``cache``, an article
    whose document and reference date are unchanged takes its facts from it (see
    consistency/factcache.py) and the story's new extractions are written in one batch."""
    timeline = build_timeline(documents)
    run = StoryRun(documents=documents, timeline=timeline)
    keys: dict[int, bytes] = {}
    if cache is not None:
        keys = {i: cache.key(d, timeline.reference(d.id), mentions)
                for i, d in enumerate(documents) if d.status == "ok"}
    cached = cache.lookup(list(keys.values())) if cache is not None else {}
    for i, doc in enumerate(documents):
        if doc.status != "ok":
            continue
        extraction = cached.get(keys[i]) if i in keys else None
        if extraction is not None:
            run.cached += 1
        else:
            extraction = _extract(documents, i, timeline, mentions)
            if extraction is None:
                continue
            run.extracted += 1
            if cache is not None:
                cache.store(keys[i], extraction)  # status ok only: failures are not kept
        run.facts.extend(extraction.facts)
        run.mentions.extend(extraction.mentions)
    if cache is not None:
        cache.flush()
    return run


def _extract(documents: list[Document], i: int, timeline: Timeline, mentions: bool,
             ) -> Extraction | None:
    """One article's extraction; None when it timed out or failed (``documents[i]`` then
    carries the status and the reason)."""
    doc = documents[i]
    try:
        return extract_document(doc, timeline.reference(doc.id), ARTICLE_BUDGET,
                                mentions=mentions)
    except ExtractionTimeout:
        documents[i] = doc.model_copy(update={
            "status": "timeout",
            "error": f"extraction stopped after {ARTICLE_BUDGET:g} s (article too large or "
                     f"pathological); no facts kept from it"})
    except Exception as exc:  # one bad article never loses the others
        documents[i] = doc.model_copy(update={
            "status": "failed", "error": f"extraction failed: {type(exc).__name__}: {exc}"})
    return None


def apply_rules(run: StoryRun, rules: Sequence[Rule]) -> StoryRun:
    story = StoryFacts(
        published={d.id: d.published for d in run.documents},
        reference={d.id: run.timeline.reference(d.id).day for d in run.documents},
        consensus=run.timeline.consensus,
        consensus_docs=run.timeline.supporters,
    )
    weights = TermWeights(run.facts)
    findings: dict[str, Finding] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        for finding in KINDS[rule.kind](rule, run.facts, story, weights):
            findings.setdefault(finding.fingerprint, finding)
    run.findings = sorted(
        findings.values(),
        key=lambda f: (-SEVERITY_ORDER[f.severity], f.rule, f.claims[0].doc, f.claims[0].start),
    )
    return run


def check_story(paths: Sequence[str | Path], rules: Sequence[Rule]) -> StoryRun:
    return apply_rules(extract_story(paths), rules)
