"""Extraction: one ``Document`` (with its reference time) in, typed facts out.

Every extractor has the same calling convention, ``DocContext -> facts``; this module runs them
and marks facts that belong to a background event (another accident months earlier), so that a
toll of one event never pairs with the toll of another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from consistency.extract._scan import Prefilter
from consistency.extract.context import DocContext, ExtractionTimeout, Reference
from consistency.extract.numbers import NumberMatch
from consistency.extract.people import extract_people
from consistency.extract.quantities import extract_quantities
from consistency.extract.temporal import extract_times, publication_fact
from consistency.extract.times import TimeMatch
from consistency.models import Document, Fact, Mention

__all__ = ["Extraction", "ExtractionTimeout", "Reference", "extract_document"]

BACKGROUND_GAP = timedelta(days=6)
_BACKGROUND_CUES = re.compile(
    r"\b(?:(?:months|years|weeks) (?:earlier|ago|before)|last (?:year|month)|previous(?:ly)?|"
    r"in the past|earlier this year|in \d{4}|since \d{4}|"
    # running totals of a season or a year are other figures than this event's
    r"this (?:year|season|monsoon|month)|every year|most years|each year|so far this|"
    r"since (?:mid-|early |late )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"since the (?:start|beginning) of)\b",
    re.IGNORECASE,
)


# RE2 pre-test of the cues: a digit may be any digit ("?" in placeholder text), and word
# boundaries are dropped (next to a "?" RE2 cannot tell where a word ends)
_MAY_HAVE_CUES = Prefilter(
    "(?i)" + _BACKGROUND_CUES.pattern.replace(r"\d", "[0-9?]").replace(r"\b", ""))
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b(?![,\d])")
# Where the pre-test's next match starts in the whole text. The pattern has no anchors, so a
# match inside a sentence is a match of the text at the same place: a sentence where none starts
# has none, and the per-sentence tests run only where one does (one RE2 call per sentence with
# a cue, not one per sentence). Without RE2 every sentence is tested.
_NEXT_CUE = _MAY_HAVE_CUES.next_start if _MAY_HAVE_CUES.compiled is not None else None


@dataclass
class Extraction:
    facts: list[Fact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def extract_document(doc: Document, reference: Reference, budget: float | None = None,
                     mentions: bool = False) -> Extraction:
    """Facts of one article; with ``budget`` (seconds), a pathological article raises
    ``ExtractionTimeout`` instead of stalling the run."""
    ctx = DocContext.build(doc, reference, budget)
    quantity_facts, numbers = extract_quantities(ctx)
    time_facts, times = extract_times(ctx)
    background = _background_sentences(ctx, times)
    facts: list[Fact] = []
    publication = publication_fact(ctx)
    if publication is not None:
        facts.append(publication)
    for fact in [*quantity_facts, *time_facts, *extract_people(ctx)]:
        facts.append(_mark_background(ctx, fact, background))
    found = _mentions(ctx, numbers, times, facts) if mentions else []
    return Extraction(facts=facts, mentions=found)


def _background_sentences(ctx: DocContext, times: list[TimeMatch]) -> dict[int, list[TimeMatch]]:
    """Per sentence start (text offset): the point times in it that lie weeks away from the
    article's date (another event: "the Oct. 31 bombing", "In September, at least 21 died").
    A sentence with a background cue word but no such time maps to an empty list."""
    marked: dict[int, list[TimeMatch]] = {}
    ref = ctx.reference.day
    for t in times:
        start = t.value.start
        if ref is None or start is None or t.role != "point":
            continue
        if abs(start.date() - ref) > BACKGROUND_GAP:
            sentence = ctx.sentence_at(t.start)
            if sentence is not None:
                marked.setdefault(sentence.start, []).append(t)
    placeholder = ctx.placeholder
    size = len(placeholder)
    next_cue = 0  # where the next pre-test match may start: none starts before it
    for s in ctx.sentences:
        # a year is written "19.." or "20..": most sentences hold neither, a substring test
        if (ref is not None and ("19" in s.text or "20" in s.text)
                and any(int(y) != ref.year for y in _YEAR.findall(s.text))):
            marked.setdefault(s.start, [])  # "Ghana's 2001 stadium disaster, in which 126 died"
            continue
        if _NEXT_CUE is not None:
            if 0 <= next_cue < s.start:
                next_cue = _NEXT_CUE(placeholder, s.start, size)
            if not s.start <= next_cue < s.end:
                continue  # no pre-test match starts in this sentence
        # the pre-test matches wherever the cues do: none starts before ``next_cue``
        if (_MAY_HAVE_CUES.may_match(placeholder, s.start, s.end)
                and _BACKGROUND_CUES.search(s.text, max(0, next_cue - s.start))):
            marked.setdefault(s.start, [])
    return marked


def _mark_background(ctx: DocContext, fact: Fact, background: dict[int, list[TimeMatch]]) -> Fact:
    """Label a fact with the background event it belongs to: the far-off date written nearest
    before it in its sentence (else nearest after), so that the toll of the Nov. 13 attacks and
    the toll of the Oct. 31 bombing, told in one sentence, never pair with each other."""
    if fact.kind in ("person", "quote", "publication", "age") or fact.sentence is None:
        return fact
    pos = _text_offset(ctx, fact.start)
    sentence = ctx.sentence_at(pos)
    if sentence is None or sentence.start not in background:
        return fact
    times = background[sentence.start]
    if fact.kind in ("event_date", "state_end"):
        return fact.model_copy(update={"event": "background"})
    before = [t for t in times if t.end <= pos]
    after = [t for t in times if t.start >= pos]
    nearest = before[-1] if before else after[0] if after else None
    label = "background"
    if nearest is not None and nearest.value.start is not None:
        label = f"background {nearest.value.start.date().isoformat()}"
    return fact.model_copy(update={"event": label})


def _text_offset(ctx: DocContext, raw_pos: int) -> int:
    """Inverse of ``Document.to_raw`` (first text index mapping at or after ``raw_pos``)."""
    offset_map = ctx.doc.offset_map
    if not offset_map:
        return raw_pos
    import bisect

    return bisect.bisect_left(offset_map, raw_pos)


def _mentions(ctx: DocContext, numbers: list[NumberMatch], times: list[TimeMatch],
              facts: list[Fact]) -> list[Mention]:
    used = {(f.start, f.end) for f in facts}
    out: list[Mention] = []
    matches: list[NumberMatch | TimeMatch] = [*numbers, *times]
    for m in matches:
        span = ctx.span(m.start, m.end)
        out.append(Mention(doc=span.doc, text=span.text, start=span.start, end=span.end,
                           value=m.value, reference=ctx.reference.day,
                           used=(span.start, span.end) in used))
    return sorted(out, key=lambda x: x.start)
