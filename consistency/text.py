"""Small text utilities shared by the extractors: sentences, clauses, content terms.

No NLP model: news prose is regular enough that a sentence splitter, a stop-word list and a crude
stemmer give the clause words alignment needs, at a speed that keeps whole-feed runs cheap.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

# A sentence ends at . ! ? (optionally followed by a closing quote) before whitespace and a
# capital/quote/digit, or at a blank line / line break. Abbreviations are protected below.
# A line break ends a sentence unless it wraps one: "keep the highest\n\nthreat level" (a
# lower-case word after a break, with no end punctuation before it) is one sentence.
_SENT_END = re.compile(
    r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])|(?<=[.!?:\"”)])[ \t]*\n\s*|\n\s*(?=[^\sa-z])"
)
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Capt|Sgt|St|Jr|Sr|Inc|Ltd|Co|Corp|No|Nos|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|a\.m|p\.m|[A-Z])\.$"
)

# The digit comes first and the lookbehind after it ("not glued to a word, a point or a comma"):
# the same matches as a leading lookbehind, but the engine can skip ahead to digits.
_NUMBER_TOKEN = re.compile(r"\d(?<![\w.,]\d)[\d,]*(?:\.\d+)?(?![\w])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")

STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "about", "above", "after", "again", "against", "all", "am", "are", "as", "be", "been", "being", "before", "below", "between", "both", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "off", "once", "only", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "would", "you", "your", "yours", "also", "said", "says", "say", "told", "according", "including", "among", "across", "per", "via", "upon", "within", "who's", "it's", "that's", "there's", "mr", "mrs", "ms", "dr", "s", "t", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "least", "nearly", "almost", "around", "some", "several", "many", "much", "another", "further", "still", "already", "yet", "even", "just", "since", "ago", "later", "earlier", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "am", "pm", "people", "person", "persons"]
)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str, start: int = 0, end: int | None = None,
              deadline: float | None = None) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences, offsets into ``text``. Past ``deadline`` (a
    ``time.monotonic()`` value) it raises ``TimeoutError``: a megabyte of one-line sentences
    takes long enough to matter for a per-article time budget."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    cursor = start
    for i, match in enumerate(_sentence_ends(text, start, end)):
        if deadline is not None and i % 1024 == 1023 and time.monotonic() > deadline:
            raise TimeoutError("sentence splitting passed its deadline")
        at = match.start()
        # An abbreviation ends the text before the match in "." (the match holds no line break,
        # so it starts after [.!?], never after a line break that ``$`` could stand before), and
        # it is at most four characters and a point: a match starts at most six back.
        if text[at - 1] == "." and "\n" not in match.group():
            tail = text[max(cursor, at - 12) : at]  # only the end can abbreviate
            if _ABBREV.search(tail, max(0, len(tail) - 6)):
                continue
        _append(out, text, cursor, at)
        cursor = match.end()
    _append(out, text, cursor, end)
    return out


# Every sentence end starts right after one of these characters or at a line break.
_END_CANDIDATE = re.compile(r"[.!?:\"”)]|\n")


def _sentence_ends(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_SENT_END.finditer(text, start, end)``, tried only where a match can start: the
    pattern's lookbehinds would otherwise be tested at every character."""
    pos = start
    match, find = _SENT_END.match, _END_CANDIDATE.search
    # a match may start at ``start`` itself, right after a full stop written just before it
    candidate = find(text, max(0, start - 1), end)
    while candidate is not None:
        at = candidate.start()
        if text[at] != "\n":
            at += 1  # the match starts after the punctuation; at a line break it starts there
        if at >= pos and (m := match(text, at, end)) is not None:
            pos = m.end()
            yield m
            # every match ends in whitespace, so the next candidate is at or after its end
            candidate = find(text, pos, end)
        else:
            candidate = find(text, candidate.end(), end)


# News sentences are short; a "sentence" longer than this is a run-on page without punctuation
# and is cut at spaces, so that per-sentence work stays linear in the article's length.
MAX_SENTENCE = 1500


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append(Sentence(start, cut, text[start:cut]))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, deterministic stem: enough to match "raids"/"raid", "killed"/"kills"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def words(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _WORD.finditer(text):
        yield m.start(), m.end(), m.group()


# Words news prose uses interchangeably for one idea, mapped to one term so that "plunged 30
# feet" and "fell 35 feet" align. Only general vocabulary of events belongs here.
CONCEPTS: dict[str, str] = {
    w: concept
    for concept, group in {
        "fall": "fell fall falls fallen falling plunge plunged plunging plummeted plummet dropped "
                "drop tumbled tumble careered careening hurtled skid skidded slid overshot",
        "kill": "killed kill kills killing dead died die dies death deaths perished fatalities "
                "lives",
        "injure": "injured injuries injury hurt wounded wounding",
        "depth": "deep depth ravine gorge valley cliff below drop",
        "fire": "fire blaze flames inferno",
        "begin": "started start broke began erupted",
        "board": "board aboard onboard",
        # what happened, however each outlet words it: "the incident occurred", "was swept away"
        "event": "crash crashed crashes collided collision accident mishap incident tragedy "
                 "disaster occurred occur happened happen struck swept exploded explosion blast "
                 "capsized overturned derailed stampede collapsed collapse",
        "arrest": "arrested arrest detained detain custody",
        "raid": "raid raids raided",
    }.items()
    for w in group.split()
}


def _term(word: str) -> str | None:
    lw = word.lower().replace("-", "")
    if lw in STOPWORDS or len(lw) < 3:
        return None
    return CONCEPTS.get(lw) or stem(lw)


class _TermCache(dict[str, str | None]):
    """``_term`` of each word met, looked up by the C-level ``dict.__getitem__`` (``terms``
    maps it over a clause's words: a hit costs no Python call, as an ``lru_cache`` hit does not
    either, but without its recency bookkeeping). Cleared when full, so it stays bounded."""

    __slots__ = ()
    SIZE = 200_000

    def __missing__(self, word: str) -> str | None:
        term = _term(word)
        if len(self) >= self.SIZE:
            self.clear()
        self[word] = term
        return term


_TERMS = _TermCache()


def terms(text: str, numbers: Iterable[str] = ()) -> tuple[str, ...]:
    """Content terms of a clause: lower-cased stems (or their concept), stop words removed,
    hyphens dropped ("table-top" = "tabletop"), order kept, unique; numbers as "#12".
    ``numbers`` are more numbers, each as ``_NUMBER_TOKEN`` reads it: the terms are those of
    the text with them appended, each after a space (a token after a space is read as it is)."""
    seen: dict[str | None, None] = dict.fromkeys(map(_TERMS.__getitem__, _WORD.findall(text)))
    seen.pop(None, None)  # stop words and short words
    for n in _NUMBER_TOKEN.findall(text):
        # a number in the same clause ("including 10 infants") is a strong alignment cue
        seen.setdefault("#" + n.replace(",", ""), None)
    for n in numbers:
        seen.setdefault("#" + n.replace(",", ""), None)
    return tuple(seen)  # type: ignore[arg-type]


def inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def clause_window(text: str, start: int, end: int, before: int = 60, after: int = 80) -> tuple[int, int]:
    """The clause around ``text[start:end]``: bounded by the sentence punctuation ; : — and by
    a character budget, so a toll's window does not reach into the next clause's event."""
    lo = max(0, start - before)
    hi = min(len(text), end + after)
    # str.rfind/find per separator: the hottest helper of quantity reading, so no generators
    cut = max(text.rfind(";", lo, start), text.rfind(":", lo, start),
              text.rfind("—", lo, start), text.rfind("–", lo, start), text.rfind("(", lo, start))
    if cut >= 0:
        lo = cut + 1
    for sep in (";", "—", "–", ")"):
        i = text.find(sep, end, hi)
        if i >= 0:
            hi = i
    return lo, hi
