"""The pipeline, one way: ingest -> timeline -> extract -> align/rules -> findings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from consistency import __version__
from consistency.align import TermWeights
from consistency.extract import ExtractionTimeout, extract_document
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


def extract_story(paths: Sequence[str | Path], mentions: bool = False) -> StoryRun:
    documents = load_story(list(paths))
    return extract_documents(documents, mentions=mentions)


def extract_documents(documents: list[Document], mentions: bool = False) -> StoryRun:
    """Facts of every readable article; ``mentions`` also keeps every number and time
    expression the grammars found (what ``facts --all`` prints)."""
    timeline = build_timeline(documents)
    run = StoryRun(documents=documents, timeline=timeline)
    for i, doc in enumerate(documents):
        if doc.status != "ok":
            continue
        try:
            extraction = extract_document(doc, timeline.reference(doc.id), ARTICLE_BUDGET,
                                          mentions=mentions)
        except ExtractionTimeout:
            documents[i] = doc.model_copy(update={
                "status": "timeout",
                "error": f"extraction stopped after {ARTICLE_BUDGET:g} s (article too large or "
                         f"pathological); no facts kept from it"})
            continue
        except Exception as exc:  # one bad article never loses the others
            documents[i] = doc.model_copy(update={
                "status": "failed", "error": f"extraction failed: {type(exc).__name__}: {exc}"})
            continue
        run.facts.extend(extraction.facts)
        run.mentions.extend(extraction.mentions)
    return run


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
