"""Numbers in context: casualties, counts of things, measures, durations and ages.

The number grammar (``numbers.py``) finds "at least 14", "a 150-metre", "nearly two-week"; this
module reads the words around each match to decide what is being counted and by whom it was
killed, injured or carried out. It works on the clause, not on a parse tree: the counted noun is
the noun phrase right after the number, the outcome is the nearest casualty cue in the clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from consistency.extract._scan import Prefilter
from consistency.extract.context import DocContext
from consistency.extract.numbers import NumberMatch, find_numbers
from consistency.extract.units import lookup
from consistency.models import (
    AgeFact,
    CasualtyFact,
    CountFact,
    DurationFact,
    Fact,
    MeasureFact,
    NumberValue,
    Span,
    trusted,
)
from consistency.text import STOPWORDS, Sentence, stem, terms

OUTCOME_CUES: dict[str, tuple[str, ...]] = {
    "killed": (
        "killed", "killing", "kill", "kills", "dead", "died", "die", "dies", "deaths", "death",
        "lives", "bodies", "fatalities", "perished", "deceased", "toll", "charred", "drowned",
        "slain", "casualties",
    ),
    "injured": ("injured", "injuring", "injuries", "hurt", "wounded", "wounding", "hospitalised",
                "hospitalized"),
    "missing": ("missing", "unaccounted"),
    "rescued": ("rescued", "saved", "evacuated"),
}
_CUE_TO_OUTCOME = {cue: outcome for outcome, cues in OUTCOME_CUES.items() for cue in cues}
# Any cue as a substring, in any case (RE2: the stdlib takes 30 us for this alternation on a
# clause): where it finds none, no word of a window is a cue
_ANY_CUE = Prefilter("(?i)" + "|".join(sorted(_CUE_TO_OUTCOME, key=len, reverse=True)))

# Words that end a noun phrase after a number.
_NP_STOP = frozenset(
    ["a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "were", "was", "are", "is", "be", "been", "have", "has", "had", "who", "which", "that", "whom", "whose", "died", "killed", "injured", "dead", "hurt", "missing", "more", "other", "than", "as", "into", "onto", "after", "before", "during", "while", "when", "where", "said", "says", "including", "among", "them", "it", "its", "their", "his", "her", "per", "about", "over", "under", "so", "if", "not", "no", "also", "still", "already", "being", "reportedly"]
)
# Adjectives that do not change what is counted ("two known suspects" = "two suspects").
_NEUTRAL_MODIFIERS = frozenset(
    ["known", "confirmed", "reported", "total", "further", "additional", "more", "other", "some", "such", "suspected", "alleged", "identified"]
)
_NOUN_CANON = {
    "persons": "people", "person": "people", "individuals": "people", "others": "people",
    "lives": "people", "deaths": "people", "bodies": "people", "fatalities": "people",
    "casualties": "people", "dead": "people", "men": "man", "women": "woman", "children": "child",
    "kids": "child",
}
_LOCATIVE = re.compile(r"\s*(?:(?P<board>on[ -]?board|aboard|onboard)|(?P<ground>on (?:the )?ground))\b",
                       re.IGNORECASE)
_AND_NOUN = re.compile(
    r"\s*,?\s+(?:and|including|plus)\s+(?:the\s+|its\s+)?"
    r"(crew|staff|members|children|women|men|passengers|pilots)\b",
    re.IGNORECASE,
)
_INCLUDING_DETAIL = re.compile(
    r",?\s+(?:including|among them|of whom)\s+(?:\d[\d,]*|[a-z]+)\s+[a-z]+", re.IGNORECASE)
_OF_THEM_NOUN = re.compile(
    r"\s+of\s+(?:them|whom|those|the\s+(?P<group>dead|deceased|victims|killed|injured|wounded))"
    r"\s+(?:were\s+|are\s+|was\s+|is\s+)?([a-z]+)\b")
_AMONG_GROUP = re.compile(r"\bamong\s+(?:the|them|those)(?:\s+\w+)?\s*,?\s*$", re.IGNORECASE)
_SUBCOUNT_WORD = re.compile(r"\b(?:including|among them|of whom)\s+$", re.IGNORECASE)
_SUBCOUNT = re.compile(r"(?:including|among them|of whom|of them|incl\.)\s*$", re.IGNORECASE)
_RISE_TO = re.compile(r"(?:risen|rose|rises|climbed|jumped|reached|increased|gone up)\s+to\s*$",
                      re.IGNORECASE)
_AGE_BEFORE = re.compile(r"([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3})\s*(?:,\s*|\(\s*)$")
_AGE_AFTER = re.compile(r"^\s*(?:\)|,|\s+and\b|;|$)")
_VERB_BEFORE = re.compile(r"\b(?:[a-z]{3,}ed|fell|fall|falls|rose|sank|sunk|fallen|rises)\s+$")
_KEEP_PARTICIPLE = frozenset({"building", "ceiling", "wedding", "meeting", "shed", "bed", "sled"})
_RELATIVE_AFTER = re.compile(r"\s+(?:after|before|later|earlier|ago|since|from now)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d(?<![\w.,]\d)[\d,]*(?![\w])")  # digit first: see text._NUMBER_TOKEN
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True, slots=True)
class NounPhrase:
    head: str  # canonical head noun ("people", "raid", "woman")
    modifiers: tuple[str, ...]
    end: int  # offset in text where the phrase ends

    @property
    def key(self) -> str:
        return " ".join((*self.modifiers, self.head)) if self.modifiers else self.head


def extract_quantities(ctx: DocContext) -> tuple[list[Fact], list[NumberMatch]]:
    """All quantity facts of one document, and every number match (for ``facts --all``).
    The grammar scans the body once; facts are then read sentence by sentence."""
    facts: list[Fact] = []
    offset = ctx.doc.body_start
    matches = ctx.guard(find_numbers, ctx.body_text, ctx.deadline, offset)
    indefinite = _Ahead(_MAY_BE_INDEFINITE, ctx.placeholder,
                        ctx.sentences[-1].end if ctx.sentences else 0)
    for sentence, found in zip(ctx.sentences, ctx.by_sentence(matches), strict=True):
        ctx.check_deadline()
        here = _read_numbers(ctx, sentence, found) if found else []
        if indefinite.may_match(sentence.start, sentence.end):
            here.extend(_indefinite_counts(ctx, sentence, found))
        if here:
            facts.extend(_breakdown(ctx, here))
    return facts, matches


class _Ahead:
    """``prefilter.may_match(placeholder, start, end)`` for ranges read in ascending order, by
    one RE2 search per match rather than one per range: where the prefilter first matches at
    or after a range's start (up to ``stop``) is kept until the reading passes it. A pattern
    without anchors or word boundaries matches in a range only where it matches in every range
    holding it, and no match of that larger range starts before its leftmost one; so a range
    ending at or before that start holds none."""

    __slots__ = ("_prefilter", "_placeholder", "_stop", "_next")

    def __init__(self, prefilter: Prefilter, placeholder: bytes, stop: int) -> None:
        self._prefilter = prefilter
        self._placeholder = placeholder
        self._stop = stop  # the end of the last range asked about
        self._next = -1  # the leftmost match at or after the last range's start; stop: none

    def may_match(self, start: int, end: int) -> bool:
        if self._next < start:
            found = self._prefilter.next_start(self._placeholder, start, self._stop)
            self._next = self._stop if found < 0 else found
        if self._next >= end:
            return False
        return self._prefilter.may_match(self._placeholder, start, end)


def _read_numbers(ctx: DocContext, sentence: Sentence, found: list[NumberMatch]) -> list[Fact]:
    """The facts of the numbers of one sentence, in order."""
    here: list[Fact] = []
    last_casualty: CasualtyFact | None = None
    reading = _Sentence(ctx.text, sentence)
    for m in found:
        fact = _fact_for(ctx, reading, m, last_casualty)
        if fact is not None:
            here.append(fact)
            if isinstance(fact, CasualtyFact):
                last_casualty = fact
    return here


# Countable events that news counts ("three raids" in one source, "a raid" in another): with
# "a"/"an" before them they are a count of one. Other nouns after "a" are not counts.
_EVENT_NOUNS = (
    "raid|arrest|attack|explosion|blast|bombing|shooting|stabbing|strike|airstrike|search|"
    "operation|suspect|fire|crash|collision|earthquake|aftershock|landslide|warning|evacuation"
)
_INDEFINITE = re.compile(rf"\b(?:a|an|single)\s+(?:[a-z-]+\s+)?(?P<noun>{_EVENT_NOUNS})\b(?!-)")
_SPACE = r"[\s\x0b\x1c-\x1f?]"  # the stdlib's Unicode \s, in placeholder text
_MAY_BE_INDEFINITE = Prefilter(
    rf"(?:a|an|single){_SPACE}+(?:[a-z-]+{_SPACE}+)?(?:{_EVENT_NOUNS})")


def _indefinite_counts(ctx: DocContext, sentence: Sentence, found: list[NumberMatch],
                       ) -> list[Fact]:
    """"A raid", "an explosion": counts of one, in a sentence where ``_MAY_BE_INDEFINITE``
    matches (the caller asks)."""
    out: list[Fact] = []
    reading = _Sentence(ctx.text, sentence)
    for m in _INDEFINITE.finditer(ctx.text, sentence.start, sentence.end):
        if any(n.start <= m.start() < n.end for n in found):
            continue
        noun = stem(m.group("noun"))
        fake = NumberMatch(start=m.start(), end=m.end(), text=m.group(), core_start=m.start(),
                           core_end=m.start() + 1, value=NumberValue(low=1, high=1),
                           kind="count", unit_text=None, qualifier=None)
        common = _common(ctx, reading, fake, subject=noun)
        out.append(trusted(CountFact, **common, noun=noun, value=NumberValue(low=1, high=1)))
    return out


_PLACE_AFTER = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?P<place>[A-Z][\w-]+)")


def _breakdown(ctx: DocContext, facts: list[Fact]) -> list[Fact]:
    """Tolls of one outcome given place by place in one sentence ("11 deaths in Kozhikode
    hospitals, and six in Malappuram") are parts, not the toll: their noun carries the place."""
    if len(facts) < 2:
        return facts  # one toll is never a part
    tolls = [f for f in facts if isinstance(f, CasualtyFact)]
    outcomes = [f.outcome for f in tolls]
    out: list[Fact] = []
    for f in facts:
        if isinstance(f, CasualtyFact) and outcomes.count(f.outcome) > 1:
            place = _place_after(ctx, f)
            if place:
                f = f.model_copy(update={"noun": f"{f.noun} in {place}",
                                         "subject": f"{f.subject} in {place}"})
        out.append(f)
    return out


def _place_after(ctx: DocContext, fact: CasualtyFact) -> str | None:
    text = ctx.doc.raw
    sentence = fact.sentence
    stop = sentence.end if sentence else fact.end + 60
    clause_end = min(stop, fact.end + 60)
    for sep in (",", ";", " and "):
        cut = text.find(sep, fact.end, clause_end)
        if cut >= 0:
            clause_end = cut
    m = _PLACE_AFTER.search(text, fact.end, clause_end)
    return m.group("place").lower() if m else None


def _with_written(m: NumberMatch) -> NumberMatch:
    """Keep the number as written beside a converted value ("131-foot" -> 39.93 m)."""
    unit = lookup(m.unit_text) if m.unit_text else None
    v = m.value
    if unit is None or unit.factor == 1 or v.low is None or v.low != v.high:
        return m
    written = round(v.low / unit.factor, 6)
    written = int(written) if float(written).is_integer() else written
    return NumberMatch(start=m.start, end=m.end, text=m.text, core_start=m.core_start,
                       core_end=m.core_end, value=_value_written(v, written, m.unit_text),
                       kind=m.kind, unit_text=m.unit_text, qualifier=m.qualifier)


_new = object.__new__
_set = object.__setattr__


def _value_written(v: NumberValue, written: float, unit: str | None) -> NumberValue:
    """``v.model_copy(update={"written": written, "written_unit": unit})`` built directly:
    the same fields, in the same order, the same fields set (the number grammar's values have
    no extra or private attributes), without pydantic's generic copy."""
    fields = v.__dict__.copy()
    fields["written"] = written
    fields["written_unit"] = unit
    value = _new(NumberValue)
    _set(value, "__dict__", fields)
    _set(value, "__pydantic_fields_set__", v.__pydantic_fields_set__ | {"written", "written_unit"})
    _set(value, "__pydantic_extra__", None)
    _set(value, "__pydantic_private__", None)
    return value


class _Sentence:
    """A sentence being read, with what the readings of its numbers share, found once: where
    its clause punctuation is and which numbers it holds. Every reader below gets the sentence
    holding its number (``m.start`` lies in it), as ``extract_quantities`` grouped the matches:
    no search for it per question."""

    __slots__ = ("sentence", "start", "end", "text", "_opens", "_closes", "numbers", "_span")

    def __init__(self, text: str, sentence: Sentence) -> None:
        self.sentence = sentence
        self.start = sentence.start
        self.end = sentence.end
        self.text = text
        self._opens: list[int] | None = None  # offsets of CLAUSE_BEFORE characters, ascending
        self._closes: list[int] = []  # offsets of CLAUSE_AFTER characters, ascending
        self.numbers: list[tuple[int, int, str]] | None = None  # see _other_numbers
        self._span: Span | None = None

    def span(self, ctx: DocContext) -> Span:
        """``ctx.sentence_span`` of the sentence, asked once."""
        if self._span is None:
            self._span = ctx.sentence_span(self.sentence)
        return self._span

    def window(self, start: int, end: int, before: int = 60, after: int = 80) -> tuple[int, int]:
        """``clause_window(text, start, end, before, after)`` clamped to the sentence, for a
        span starting in it: punctuation outside the sentence cannot move a bound that the
        clamp does not move anyway, so only the sentence's own is looked at, by bisection."""
        lo = max(start - before, self.start)
        hi = min(end + after, self.end)
        opens = self._opens
        if opens is None:
            opens = self._find_marks()
        if opens:
            i = bisect_left(opens, start)  # the last mark before start is opens[i - 1]
            if i and opens[i - 1] >= lo:
                lo = opens[i - 1] + 1
        closes = self._closes
        if closes:
            i = bisect_left(closes, end)  # the first mark at or after end
            if i < len(closes) and closes[i] < hi:
                hi = closes[i]
        return lo, hi

    def _find_marks(self) -> list[int]:
        opens: list[int] = []
        for mark in _CLAUSE_MARK.finditer(self.text, self.start, self.end):
            c = mark.group()
            if c in CLAUSE_BEFORE:
                opens.append(mark.start())
            if c in CLAUSE_AFTER:
                self._closes.append(mark.start())
        self._opens = opens
        return opens


# The punctuation text.clause_window bounds a clause by: a window starts after the last of
# CLAUSE_BEFORE before its span and ends at the first of CLAUSE_AFTER after it
# (tests/test_quantity_speed.py compares _Sentence.window with clause_window)
CLAUSE_BEFORE = ";:—–("
CLAUSE_AFTER = ";—–)"
_CLAUSE_MARK = re.compile("[" + re.escape("".join(sorted({*CLAUSE_BEFORE, *CLAUSE_AFTER}))) + "]")


def _fact_for(ctx: DocContext, sentence: _Sentence, m: NumberMatch,
              last_casualty: CasualtyFact | None) -> Fact | None:
    if m.kind in ("measure", "duration"):
        m = _with_written(m)
    if m.kind == "duration":
        if _RELATIVE_AFTER.match(ctx.text, m.end):
            return None  # "two days after he met ...": a time offset, not how long something lasted
        return trusted(DurationFact, **_common(ctx, sentence, m, subject="duration"),
                       value=m.value)
    if m.kind == "measure":
        return _measure(ctx, sentence, m)
    if m.kind != "count":
        return None
    if m.unit_text:
        return None  # "12-seater aircraft", "a two-member team": an attribute, not a count
    age = _age(ctx, sentence, m)
    if age is not None:
        return age
    return _count_or_casualty(ctx, sentence, m, last_casualty)


def _whole_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Shrink a window so it neither starts nor ends inside a word."""
    while 0 < lo < hi and text[lo - 1].isalnum() and text[lo].isalnum():
        lo += 1
    while lo < hi < len(text) and text[hi - 1].isalnum() and text[hi].isalnum():
        hi -= 1
    return lo, hi


def _common(ctx: DocContext, sentence: _Sentence, m: NumberMatch, subject: str,
            span: tuple[int, int] | None = None, terms_: tuple[str, ...] | None = None,
            ) -> dict[str, Any]:
    """The fields every fact of a number has; the evidence quotes ``span`` (the number itself
    by default), the terms are the clause's words and the sentence's other numbers unless
    given."""
    start, end = span or (m.start, m.end)
    fields = ctx.evidence(start, end)  # a new dict, completed here rather than copied
    fields["subject"] = subject
    fields["terms"] = _clause_terms(ctx, sentence, m) if terms_ is None else terms_
    fields["sentence"] = sentence.span(ctx)
    fields["inferred"] = False
    return fields


def _clause_terms(ctx: DocContext, sentence: _Sentence, m: NumberMatch) -> tuple[str, ...]:
    text = ctx.text
    lo, hi = _whole_words(text, *sentence.window(m.start, m.end))
    # every number of the sentence is an alignment cue: terms reads them as if appended to
    # the clause (``terms(clause + " " + " ".join(others))``)
    return terms(text[lo:m.start] + " " + text[m.end:hi], _other_numbers(ctx, sentence, m))


def _other_numbers(ctx: DocContext, sentence: _Sentence, m: NumberMatch) -> list[str]:
    """The numbers of the sentence outside ``m``, as ``_NUMBER.findall`` reads them in the
    sentence with ``m`` cut out (replaced by a space). The sentence is scanned once for all its
    numbers; only where a digit or comma touches ``m`` could the cut change what is read (a
    number glued to it), and there the cut text is read as such."""
    text = ctx.text
    if ((m.start > sentence.start and (text[m.start - 1] == "," or text[m.start - 1].isdecimal()))
            or (m.end < sentence.end and text[m.end].isdecimal())):
        return _NUMBER.findall(text[sentence.start : m.start] + " " + text[m.end : sentence.end])
    found = sentence.numbers
    if found is None:
        base = sentence.start
        found = sentence.numbers = [(base + n.start(), base + n.end(), n.group())
                                 for n in _NUMBER.finditer(text[sentence.start : sentence.end])]
    return [t for a, b, t in found if b <= m.start or a >= m.end]


# Up to three words of ``_WORD_RE`` after ``pos`` (only spaces and hyphens before the first,
# whitespace other than a line break between them): the words ``noun_phrase`` reads, in one match
_NP_WORDS = re.compile(
    r"[ -]*([A-Za-z][A-Za-z'’-]*)(?:[^\S\n]+([A-Za-z][A-Za-z'’-]*)(?:[^\S\n]+([A-Za-z][A-Za-z'’-]*))?)?")


def noun_phrase(text: str, pos: int) -> NounPhrase | None:
    """The noun phrase that starts at ``pos`` ("known suspects", "women", "people on board")."""
    tokens: list[str] = []
    end = pos
    found = _NP_WORDS.match(text, pos, min(len(text), pos + 60))
    if found is not None:
        for i, written in enumerate(found.groups(), 1):
            if written is None:
                break
            word = written.lower()
            if tokens and word.endswith(("ed", "ing")) and word not in _KEEP_PARTICIPLE:
                break  # "three raids linked to ...": the participle starts the next phrase
            if word in ("onboard", "aboard") or word in _NP_STOP or not written[0].islower() and tokens:
                break
            tokens.append(word)
            end = found.end(i)
    if not tokens:
        place = _LOCATIVE.match(text, pos)
        if place and place.group("board"):
            return NounPhrase(head="people", modifiers=("on-board",), end=place.end())  # "190 on board"
        return None
    head = _NOUN_CANON.get(tokens[-1], stem(tokens[-1]))
    mods = tuple(stem(t) for t in tokens[:-1] if t not in _NEUTRAL_MODIFIERS) if len(tokens) > 1 else ()
    both = _AND_NOUN.match(text, end)
    if both and both.group(1).lower() not in _NP_STOP:
        head = f"{head}+{_NOUN_CANON.get(both.group(1).lower(), stem(both.group(1).lower()))}"
        end = both.end()
    place = _LOCATIVE.match(text, end)
    if place:
        mods = (*mods, "on-board" if place.group("board") else "on-ground")
        end = place.end()
    return NounPhrase(head=head, modifiers=mods, end=end)


_AUXILIARIES = r"(?:(?:were|was|are|is|have|has|had|been|being|be|also|reportedly|later|seriously|critically|badly|fatally|all|now|both|still|yet|feared|presumed|believed|reported|confirmed|left)\s+){0,4}"
_CUE_AFTER = re.compile(rf"\s*{_AUXILIARIES}(?P<cue>[a-z]+)", re.IGNORECASE)
_PARTITIVE = re.compile(r"\s+(?:of|among)\s+(?:the|those|them|these|whom|which)\b", re.IGNORECASE)
_CAPACITY = re.compile(r"\b(?:capacity|seating|seats?|designed to carry|can carry|could carry)\b",
                       re.IGNORECASE)


def _outcome(ctx: DocContext, sentence: _Sentence, m: NumberMatch, np: NounPhrase | None,
             ) -> str | None:
    """The casualty outcome of a number: the verb right after its noun phrase ("13 others were
    injured"), else the nearest casualty cue within its clause ("killing all 312 people")."""
    if np is not None and np.head == "people" and ctx.text[m.end:np.end].strip().lower() in (
        "deaths", "dead", "fatalities", "bodies", "lives"):
        return "killed"
    after_end = np.end if np else m.end
    follow_end = min(len(ctx.text), after_end + 60)
    lo, hi = sentence.window(m.start, after_end, before=70, after=60)
    # Each reading below ends in a cue word of _CUE_TO_OUTCOME: right after the phrase (up to
    # follow_end), a passive verb of the sentence or a word of the clause, all in
    # [lo, max(follow_end, sentence end)). Where RE2 finds no cue there, none of them finds one.
    if not _ANY_CUE.may_match(ctx.placeholder, lo, max(follow_end, sentence.end)):
        return None
    follow = _CUE_AFTER.match(ctx.text, after_end, follow_end)
    if follow and follow.group("cue").lower() in _CUE_TO_OUTCOME:
        return _CUE_TO_OUTCOME[follow.group("cue").lower()]
    passive = _passive_outcome(ctx, sentence, m, after_end)
    if passive is not None:
        return passive
    if not _ANY_CUE.may_match(ctx.placeholder, lo, hi):
        return None  # most clauses name no casualty at all: one C-level test, not a word loop
    best: tuple[int, str] | None = None
    for w in _WORD_RE.finditer(ctx.text, lo, hi):
        outcome = _CUE_TO_OUTCOME.get(w.group().lower())
        if outcome is None or m.start <= w.start() < after_end:
            continue
        distance = m.start - w.end() if w.end() <= m.start else w.start() - after_end
        if best is None or distance < best[0]:
            best = (distance, outcome)
    return best[1] if best else None


_PASSIVE = re.compile(r"\b(?:were|was|have been|had been|has been)\s+(?:\w+\s+)?(?P<cue>[a-z]+)",
                      re.IGNORECASE)


_PASSIVE_WORDS = ("were", "was", "been")  # one of them is in every _PASSIVE match
_CAPACITY_WORDS = ("capacity", "seat", "carry")  # and in every _CAPACITY match


def _may_hold(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """False only where no match of a case-insensitive pattern that needs one of ``words`` can
    lie in ``text[start:end]``: in ASCII text, where lower-casing is what IGNORECASE does, a
    substring test; in other text (where "ſ" matches "s") always True."""
    part = text[start:end]
    if not part.isascii():
        return True
    low = part.lower()
    return any(w in low for w in words)


def _passive_outcome(ctx: DocContext, sentence: _Sentence, m: NumberMatch, after_end: int,
                     ) -> str | None:
    """"Fourteen people including 12 women, most of them ..., were killed": the subject of a
    sentence takes the passive casualty verb of its sentence, however far the appositive."""
    if m.start - sentence.start > 40:
        return None
    if not _may_hold(ctx.text, after_end, sentence.end, _PASSIVE_WORDS):
        return None
    for p in _PASSIVE.finditer(ctx.text, after_end, sentence.end):
        outcome = _CUE_TO_OUTCOME.get(p.group("cue").lower())
        if outcome is not None:
            return outcome
    return None


def _count_or_casualty(ctx: DocContext, sentence: _Sentence, m: NumberMatch,
                       last_casualty: CasualtyFact | None) -> Fact | None:
    of_them = _OF_THEM_NOUN.match(ctx.text, m.end)
    if of_them and (of_them.group(2).lower() in _NP_STOP or of_them.group(2).lower() in STOPWORDS):
        of_them = None  # "one of the injured was in critical condition": no group named
    group = of_them.group("group") if of_them else None
    outcome: str | None
    if of_them and (last_casualty is not None or group):
        # "Fourteen people, five of them children, died" / "Two of the dead were women":
        # a part of the toll, counted by what it is
        outcome = _CUE_TO_OUTCOME.get(group or "") or (
            last_casualty.outcome if last_casualty else "killed")
        word = of_them.group(2).lower()
        noun = _NOUN_CANON.get(word, stem(word))
        common = _common(ctx, sentence, m, f"{outcome}: {noun}", (m.start, of_them.end()))
        return trusted(CasualtyFact, **common, outcome=outcome, noun=noun, value=m.value)  # type: ignore[arg-type]
    if _PARTITIVE.match(ctx.text, m.end) or _among_group_before(ctx.text, m.start):
        return None  # "one of the injured", "among the dead, 11 ...": a part of a group
    np = noun_phrase(ctx.text, m.end)
    before = ctx.text[max(0, m.start - 40) : m.start]
    tail = before.rstrip().lower()  # the patterns below end the window: test their last word
    if tail.endswith("to") and _RISE_TO.search(before) and _toll_word_before(ctx, sentence,
                                                                              m.start):
        outcome = "killed"
    elif (last_casualty is not None and tail.endswith(_SUBCOUNT_ENDS)
          and _SUBCOUNT.search(before)):
        outcome = last_casualty.outcome
    else:
        outcome = _outcome(ctx, sentence, m, np)
    if outcome is not None:
        noun = np.key if np is not None and np.head not in _CUE_TO_OUTCOME else "people"
        common = _common(ctx, sentence, m, f"{outcome}: {noun}", _noun_span(ctx, m, np))
        return trusted(CasualtyFact, **common, outcome=outcome, noun=noun, value=m.value)  # type: ignore[arg-type]
    if np is None or np.head in _NP_STOP:
        return None
    noun = np.key
    lo, _ = sentence.window(m.start, m.end, before=50, after=0)
    if _may_hold(ctx.text, lo, m.start, _CAPACITY_WORDS) and _CAPACITY.search(ctx.text, lo, m.start):
        noun = f"capacity {noun}"  # "the capacity of the bus was 52 passengers" is no head count
    common = _common(ctx, sentence, m, noun, _noun_span(ctx, m, np))
    return trusted(CountFact, **common, noun=noun, value=m.value)


_SUBCOUNT_ENDS = ("including", "them", "whom", "incl.")


def _subcount_word(text: str, pos: int) -> re.Match[str] | None:
    """``_SUBCOUNT_WORD`` right before ``pos``; in ASCII text, only where the word is there."""
    lo = max(0, pos - 20)
    tail = text[lo:pos]
    if tail.isascii() and not tail[-1:].isspace():
        return None
    if tail.isascii() and not ("including" in (low := tail.lower()) or "among them" in low
                               or "of whom" in low):
        return None
    return _SUBCOUNT_WORD.search(text, lo, pos)


def _among_group_before(text: str, pos: int) -> bool:
    lo = max(0, pos - 30)
    return "among" in text[lo:pos].lower() and _AMONG_GROUP.search(text, lo, pos) is not None


def _toll_word_before(ctx: DocContext, sentence: _Sentence, pos: int) -> bool:
    head = ctx.text[sentence.start : pos].lower()
    return any(c in head for c in ("toll", "killed", "dead", "died"))


def _noun_span(ctx: DocContext, m: NumberMatch, np: NounPhrase | None) -> tuple[int, int] | None:
    """Evidence of a count names what is counted: "12 women", "191 persons on board" (None:
    the number alone)."""
    if np is not None and np.end - m.end < 50:
        start, end = m.start, np.end
        detail = _INCLUDING_DETAIL.match(ctx.text, end)
        if detail:
            end = detail.end()  # "184 passengers, including 10 infants": the breakdown too
        lead = _subcount_word(ctx.text, m.start)
        if lead:
            start = lead.start()  # "including four children": a part of a toll, said so
        return start, end
    return None


def _measure(ctx: DocContext, sentence: _Sentence, m: NumberMatch) -> Fact | None:
    if ctx.text[max(0, m.start - 1) : m.start] == "(":
        return None  # a conversion in parentheses: "150-metre (500-foot)"
    np = noun_phrase(ctx.text, m.end)
    noun = np.key if np else ""
    start, end = m.start, m.end
    if np is not None and np.end - m.end < 40:
        end = np.end  # "80 metre ravine": the evidence names what is measured
    verb = _VERB_BEFORE.search(ctx.text, max(0, m.start - 20), m.start)
    if verb is not None:
        start = verb.start()  # "plunged 30 feet": or what moved that far
    common = _common(ctx, sentence, m, noun or "measure", (start, end))
    return trusted(MeasureFact, **common, noun=noun, value=m.value)


def _age(ctx: DocContext, sentence: _Sentence, m: NumberMatch) -> Fact | None:
    """"Maria Zuberi, 48," / "P S Rajput (49)": a small number right after a capitalised name."""
    low = m.value.low
    if low is None or low != m.value.high or not 1 <= low <= 110 or m.qualifier:
        return None
    if not m.text.strip().isdigit():
        return None
    window = ctx.text[max(0, m.start - 60) : m.start]
    if window.rstrip()[-1:] not in (",", "("):
        return None  # what _AGE_BEFORE ends with; most numbers follow a word
    before = _AGE_BEFORE.search(window)
    if before is None or not _AGE_AFTER.match(ctx.text[m.end : m.end + 6]):
        return None
    person = before.group(1)
    surname = person.split()[-1]
    name_start = m.start - 60 + before.start(1) if m.start >= 60 else before.start(1)
    end = m.end + 1 if ctx.text[m.end : m.end + 1] == ")" else m.end
    common = _common(ctx, sentence, m, f"age of {person}", (name_start, end),
                     terms_=(stem(surname.lower()),))
    return trusted(AgeFact, **common, person=person, value=NumberValue(low=low, high=low, unit="years"))


def with_value(fact: Fact, value: NumberValue) -> Fact:
    return fact.model_copy(update={"value": value})
