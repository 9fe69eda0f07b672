"""Reference time per article and the story's consensus date.

Relative expressions ("on Tuesday", "last week") resolve against the article's own date, the way
HeidelTime anchors news text to its document creation time. A story's consensus date is the
date most articles' page dates cluster around (falling back to full dates written in the bodies).
An article with no date, or with a page date far from the consensus (a republished page dated
2019 reporting 2015 events), resolves against the consensus instead, and its facts are marked
inferred; the page date itself is then evidence for the publication rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from consistency.extract.context import Reference
from consistency.extract.times import find_times
from consistency.models import Document

CLUSTER_RADIUS = timedelta(days=7)
PLAUSIBLE_GAP = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Timeline:
    consensus: date | None
    supporters: tuple[str, ...]  # ids of the documents whose dates make the consensus
    references: dict[str, Reference]

    def reference(self, doc_id: str) -> Reference:
        return self.references.get(doc_id, Reference(day=self.consensus, anchor="consensus",
                                                     inferred=True))

    def implausible(self, doc: Document) -> bool:
        return (doc.published is not None and self.consensus is not None
                and abs(doc.published - self.consensus) > PLAUSIBLE_GAP)


def build_timeline(documents: Iterable[Document]) -> Timeline:
    docs = [d for d in documents if d.status == "ok"]
    dated = [(d.id, d.published) for d in docs if d.published is not None]
    consensus, supporters = _cluster(dated)
    if consensus is None:
        consensus, supporters = _cluster(_body_dates(docs))
    references = {d.id: _reference(d, consensus) for d in docs}
    return Timeline(consensus=consensus, supporters=supporters, references=references)


def _cluster(dated: list[tuple[str, date]]) -> tuple[date | None, tuple[str, ...]]:
    """The date with the most others within a week of it; ties go to the latest date."""
    best: tuple[int, date] | None = None
    for _, day in dated:
        support = sum(1 for _, other in dated if abs(other - day) <= CLUSTER_RADIUS)
        if best is None or (support, day) > best:
            best = (support, day)
    if best is None:
        return None, ()
    ids = tuple(dict.fromkeys(i for i, d in dated if abs(d - best[1]) <= CLUSTER_RADIUS))
    return best[1], ids


def _body_dates(docs: list[Document]) -> list[tuple[str, date]]:
    """Full dates (with a year) written in article bodies, for stories whose pages are undated."""
    out: list[tuple[str, date]] = []
    for d in docs:
        for t in find_times(d.body, None):
            if t.value.anchor == "absolute" and t.value.start and t.value.granularity in (
                "day", "part_of_day", "hour", "minute"):
                out.append((d.id, t.value.start.date()))
    return out


def _reference(doc: Document, consensus: date | None) -> Reference:
    if doc.published is not None and (
        consensus is None or abs(doc.published - consensus) <= PLAUSIBLE_GAP):
        return Reference(day=doc.published, anchor="document")
    return Reference(day=consensus, anchor="consensus", inferred=consensus is not None)
