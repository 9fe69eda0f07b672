"""Times in context: event dates and times, states with an end, the publication date."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from consistency.extract._fastre import UNICODE_FOLDS, fast_form
from consistency.extract.context import DocContext
from consistency.extract.times import TimeMatch, find_times
from consistency.models import (
    EventTimeFact,
    Fact,
    PublicationFact,
    StateEndFact,
    TimeValue,
    trusted,
)
from consistency.text import Sentence, terms

_REPORTING = re.compile(
    r"\b(?:said|says|told|announced|reported|added|stated|confirmed|tweeted|wrote|informed)"
    r"(?:\s+(?:[A-Z][\w-]*|reporters|journalists|media|news agency|the media|a news conference)){0,3}"
    r"\s*(?:on|late on|early on)?\s*$"
)
# a state word right before "until": "closed", "suspended", "shut", "in force"
_STATE_WORD = re.compile(
    r"\b(?:[a-z]{3,}ed|shut|open|down|off|on alert|in force|in place|in effect)\s+$")
_UPDATE = re.compile(
    r"\b(?:rose|risen|rises|climbed|increased|jumped|reached|went up|mounted|stood)\s+to\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:should have|would have|could have|was due|were due|is due|was scheduled|"
    r"were scheduled|is scheduled|was expected|were expected|is expected|supposed to|"
    r"was to|were to|is to|are to|will|would|is set to|are set to|plans? to|planned)\b[^.;]*$",
    re.IGNORECASE,
)
_EVENT_GRANULARITY = frozenset({"day", "part_of_day", "hour", "minute", "second"})
_DAY_WORDS = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d"
    r"|\d\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:today|tonight|yesterday|tomorrow)\b"
    r"|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}",
    re.IGNORECASE,
)


def extract_times(ctx: DocContext) -> tuple[list[Fact], list[TimeMatch]]:
    """Time facts of one document: the grammar scans the body once, facts are read per
    sentence (a bare clock time takes its day from the sentence)."""
    facts: list[Fact] = []
    ref = ctx.reference
    anchor = "consensus" if ref.anchor == "consensus" else "document"
    # offsets into the whole text, made so at once rather than shifted after
    matches = ctx.guard(find_times, ctx.body_text, ref.day, anchor, ctx.deadline,
                        ctx.doc.body_start)
    for sentence, found in zip(ctx.sentences, ctx.by_sentence(matches), strict=True):
        ctx.check_deadline()
        for t in found:
            fact = _fact_for(ctx, sentence, t, found)
            if fact is not None:
                facts.append(fact)
    return facts, matches


def publication_fact(ctx: DocContext) -> PublicationFact | None:
    doc = ctx.doc
    if doc.published is None:
        return None
    start = datetime(doc.published.year, doc.published.month, doc.published.day)
    value = TimeValue(start=start, end=start + timedelta(days=1), granularity="day",
                      anchor="absolute", reference=doc.published)
    span = doc.published_span
    return PublicationFact(
        doc=doc.id, text=span.text if span else "", start=span.start if span else 0,
        end=span.end if span else 0, subject=f"published ({doc.published_source})", value=value,
    )


def _fast(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (Unicode mode, not verbose) in the fast form of ``_fastre``: it matches the
    same, with one class test where the plain form enters an alternation."""
    fold = pattern.flags & re.IGNORECASE
    return re.compile(fast_form(f"(?i:{pattern.pattern})" if fold else pattern.pattern,
                                UNICODE_FOLDS))


class _Cue:
    """``pattern.search(text, lo, hi)`` found something, asked fast. The search tries the
    cue's alternation at every position of the window: it runs in the fast form of
    ``_fastre`` (one class test rules out most positions), and most windows hold none of its
    ``words`` (every match holds one; lower-cased for a case-insensitive cue), which substring
    tests rule out at a fraction of a search. A case-insensitive cue's window is lower-cased
    only when it is ASCII: a few non-ASCII letters match ASCII ones ("ſ", "K")."""

    def __init__(self, pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
        self.fold = bool(pattern.flags & re.IGNORECASE)
        self.search = _fast(pattern).search
        self.words = words

    def before(self, text: str, lo: int, hi: int) -> bool:
        window = text[lo:hi]
        if self.fold:
            if not window.isascii():
                return self.search(text, lo, hi) is not None
            window = window.lower()
        for word in self.words:
            if word in window:
                return self.search(text, lo, hi) is not None
        return False


# Words every match of the cue holds: tests/test_times_speed2.py checks each alternative.
_REPORTED = _Cue(_REPORTING, ("said", "says", "told", "announced", "reported", "added",
                              "stated", "confirmed", "tweeted", "wrote", "informed"))
_UPDATED = _Cue(_UPDATE, ("rose", "risen", "rises", "climbed", "increased", "jumped",
                          "reached", "went up", "mounted", "stood"))
_PLANNED_CUE = _Cue(_PLANNED, ("ould", "due", "scheduled", "expected", "supposed to", "was to",
                               "were to", "is to", "are to", "will", "set to", "plan"))


def _names_day(t: TimeMatch) -> bool:
    return t.value.granularity in ("day", "part_of_day") or bool(_DAY_WORDS_FAST(t.text))


_DAY_WORDS_FAST = _fast(_DAY_WORDS).search


def _fact_for(ctx: DocContext, sentence: Sentence, t: TimeMatch, found: list[TimeMatch],
              ) -> Fact | None:
    """The fact of ``t`` (``found``: the sentence's matches), or None. Most matches make no
    fact: the fields every fact shares are only built for one that is made."""
    value = t.value
    if value.start is None or value.end is None:
        return None
    if t.role in ("until", "through"):
        last = _last_period(value, t.role)
        state = _STATE_WORD.search(ctx.text, max(sentence.start, t.start - 25), t.start)
        # "remain closed until Wednesday": the evidence names the state
        start = t.start if state is None else state.start()
        return trusted(StateEndFact, **_shared(ctx, sentence, t, start),
                       subject=f"state {t.role} {t.text}", value=last)
    if value.granularity not in _EVENT_GRANULARITY or t.role not in ("point", "after", "before"):
        return None
    if _is_wire_dateline(ctx.text, sentence.start, t):
        return None  # "ACCRA, Oct 21 (CPA) -": where and when it was filed, not an event
    if _REPORTED.before(ctx.text, max(sentence.start, t.start - 40), t.start):
        return None  # "police said on Tuesday": when it was reported, not when it happened
    if _UPDATED.before(ctx.text, max(sentence.start, t.start - 50), t.start):
        return None  # "the toll rose to nine on Wednesday": when a figure changed
    if _PLANNED_CUE.before(ctx.text, max(sentence.start, t.start - 60), t.start):
        return None  # "should have landed at 7.27 pm": a plan, not what happened
    day_known = _names_day(t)
    if not day_known:
        day_matches = [m for m in found if _names_day(m)]
        value, day_known = _rebase_on_sibling(value, t, day_matches)
    return trusted(EventTimeFact, **_shared(ctx, sentence, t, t.start), subject="event time",
                   value=value, day_known=day_known)


def _shared(ctx: DocContext, sentence: Sentence, t: TimeMatch, start: int) -> dict[str, Any]:
    """The fields of a time fact quoting ``text[start:t.end]``: evidence, the sentence's other
    terms, the sentence."""
    return {
        **ctx.evidence(start, t.end),
        "terms": terms(sentence.text[: t.start - sentence.start] + " "
                       + sentence.text[t.end - sentence.start :]),
        "sentence": ctx.sentence_span(sentence),
        "inferred": t.value.inferred,
    }


_DATELINE_PLACE = re.compile(r"[A-Z][A-Za-z .'’()-]{1,40},\s*$")
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)]{1,40}\))?\s*(?:[-–—:]|\(\w+\)\s*[-–—:])")


def _is_wire_dateline(text: str, sentence_start: int, t: TimeMatch) -> bool:
    lead = text[sentence_start : t.start]
    return bool(_DATELINE_PLACE.fullmatch(lead) and _DATELINE_TAIL.match(text, t.end))


def _rebase_on_sibling(value: TimeValue, t: TimeMatch, day_matches: list[TimeMatch],
                       ) -> tuple[TimeValue, bool]:
    """A bare clock time takes its day from a day named in the same sentence, if exactly one."""
    days = {m.value.start.date() for m in day_matches if m is not t and m.value.start}
    if len(days) != 1 or value.start is None or value.end is None:
        return value, False
    day = days.pop()
    shift = datetime(day.year, day.month, day.day) - datetime(
        value.start.year, value.start.month, value.start.day)
    return value.model_copy(update={"start": value.start + shift, "end": value.end + shift}), True


def _last_period(value: TimeValue, role: str) -> TimeValue:
    """The last day a state still holds: "through the weekend" → Sunday; "until Monday" → Monday
    (the state ends at some point during Monday)."""
    assert value.start is not None and value.end is not None
    if role == "through" and value.end - value.start > timedelta(days=1):
        start = value.end - timedelta(days=1)
        return value.model_copy(update={"start": start, "granularity": "day"})
    return value
