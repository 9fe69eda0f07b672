"""What every extractor receives: one document, its reference time, its body sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from consistency.models import Document, Span
from consistency.text import Sentence, sentences


@dataclass(frozen=True, slots=True)
class Reference:
    """The date relative expressions in one article resolve against, and where it came from."""

    day: date | None
    anchor: Literal["document", "consensus"] = "document"
    inferred: bool = False


@dataclass
class DocContext:
    doc: Document
    reference: Reference
    sentences: list[Sentence] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Document, reference: Reference) -> DocContext:
        body = sentences(doc.text, doc.body_start, doc.body_end)
        kept = [s for s in body if not _in_skip(s, doc.skip_ranges)]
        return cls(doc=doc, reference=reference, sentences=kept)

    @property
    def text(self) -> str:
        return self.doc.text

    def span(self, start: int, end: int) -> Span:
        return self.doc.span(start, end)

    def sentence_at(self, pos: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None

    def in_body(self, start: int, end: int) -> bool:
        return self.sentence_at(start) is not None and self.sentence_at(max(start, end - 1)) is not None


def _in_skip(s: Sentence, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= s.start < b or a < s.end <= b for a, b in ranges)
