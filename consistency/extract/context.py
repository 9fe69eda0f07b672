"""What every extractor receives: one document, its reference time, its body sentences."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal, TypeVar

from consistency.extract._scan import placeholder_text
from consistency.models import Document, Span
from consistency.text import Sentence, sentences

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Reference:
    """The date relative expressions in one article resolve against, and where it came from."""

    day: date | None
    anchor: Literal["document", "consensus"] = "document"
    inferred: bool = False


class ExtractionTimeout(Exception):
    """An article took longer than its time budget."""


@dataclass
class DocContext:
    doc: Document
    reference: Reference
    sentences: list[Sentence] = field(default_factory=list)
    deadline: float | None = None  # time.monotonic() after which extraction stops
    text: str = ""  # doc.text, as a plain attribute: the extractors read it at every step
    _starts: list[int] = field(default_factory=list, repr=False)
    _sentence_spans: dict[tuple[int, int], Span] = field(default_factory=dict, repr=False)
    # what an extractor works out once per document or sentence, keyed by (its name, a key)
    memo: dict[tuple[str, Any], Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, doc: Document, reference: Reference, budget: float | None = None,
              ) -> DocContext:
        deadline = time.monotonic() + budget if budget is not None else None
        try:
            body = sentences(doc.text, doc.body_start, doc.body_end, deadline)
        except TimeoutError:
            raise ExtractionTimeout(doc.id) from None
        skip = _Points(doc.skip_ranges)
        kept = [s for s in body if not (skip.holds(s.start) or skip.holds(s.end - 1))]
        return cls(doc=doc, reference=reference, sentences=kept, deadline=deadline,
                   text=doc.text, _starts=[s.start for s in kept])

    def span(self, start: int, end: int) -> Span:
        return self.doc.span(start, end)

    @cached_property
    def placeholder(self) -> bytes:
        """The text with each non-ASCII character as ``?`` (what the RE2 scans read)."""
        return placeholder_text(self.doc.text)

    def evidence(self, start: int, end: int) -> dict[str, Any]:
        """The fields of a fact that quote ``text[start:end]``: doc, text and raw offsets (what
        ``span`` holds, without building a Span for fields that are copied at once)."""
        doc = self.doc
        offsets = doc.offset_map  # doc.to_raw, inline: two calls per fact saved
        if offsets:
            last = len(offsets) - 1
            start = offsets[min(max(start, 0), last)]
            end = offsets[min(max(end, 0), last)]
        return {"doc": doc.id, "text": doc.raw[start:end], "start": start, "end": end}

    def sentence_span(self, sentence: Sentence) -> Span:
        """The evidence span of a whole sentence, made once: every fact of it cites it."""
        key = (sentence.start, sentence.end)
        found = self._sentence_spans.get(key)
        if found is None:
            found = self._sentence_spans[key] = self.span(sentence.start, sentence.end)
        return found

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return self.sentences[i]
        return None

    def by_sentence(self, items: list[T]) -> list[list[T]]:
        """Items with ``start``/``end`` (text offsets) grouped by the kept sentence holding
        them; items outside every kept sentence (boilerplate, skipped lines) are dropped."""
        groups: list[list[T]] = [[] for _ in self.sentences]
        for item in items:
            i = bisect.bisect_right(self._starts, item.start) - 1  # type: ignore[attr-defined]
            if i >= 0 and item.end <= self.sentences[i].end:  # type: ignore[attr-defined]
                groups[i].append(item)
        return groups

    @property
    def body_text(self) -> str:
        return self.doc.text[self.doc.body_start : self.doc.body_end]

    def check_deadline(self) -> None:
        """Stop a pathological article: the engine reports it as 'timeout' and goes on."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ExtractionTimeout(self.doc.id)

    def guard(self, scan: Callable[..., T], *args: Any) -> T:
        """Run a grammar's scan that checks ``self.deadline`` itself, as a timeout of this
        document: the scan stops mid-text, not after a pass over a megabyte."""
        try:
            return scan(*args)
        except TimeoutError:
            raise ExtractionTimeout(self.doc.id) from None

    def in_body(self, start: int, end: int) -> bool:
        return self.sentence_at(start) is not None and self.sentence_at(max(start, end - 1)) is not None


class _Points:
    """Membership of a position in a union of half-open ranges, by bisection.

    A sentence is skipped when a range holds its first or its last character
    (``a <= start < b or a < end <= b``); a boilerplate-heavy page can have ten thousand ranges
    and as many sentences, so the test must not scan every range.
    """

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(r for r in ranges if r[0] < r[1]):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def holds(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]
