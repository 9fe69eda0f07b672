"""The number grammar: find quantities in running text and read them as intervals.

One compiled alternation is scanned once over the text. Each match is either something that only
looks like a number (a date, a clock time, a phone number: skipped) or a quantity:

    [currency] core [and a half] [range-sep [currency] core] [postfix] [[of] unit] [postfix]

preceded by an optional qualifier. The core is digits ("312", "1,200", "3.5", "1.5 million",
"3 lakh", "£3bn"), number words, case-insensitive ("Fourteen", "twenty-four", "two hundred and
fifty", "a dozen", "two dozen") or a vague quantity ("dozens", "a few", "several hundred"; values
in :mod:`._numwords`); "a"/"an"/"half an" counts only before a unit ("an hour", "a mile").

How it runs: google-re2, compiled without capture groups, scans the UTF-8 text as a pure DFA and
reports where each match starts; the stdlib engine (same pattern, ASCII mode) then reads the groups
of that one match, anchored there; qualifiers are read by a dictionary lookup on the one to four
words before the number. A short Python check per match rejects codes, years and pronouns from
context. Without google-re2 the stdlib engine scans alone (about 5x slower).

``core_start:core_end`` is the number itself ("312", "a dozen", "two hundred and fifty"); when
the unit is joined by a hyphen the compound is the core ("two-week", "12-seater", "150-metre").
``value.approximate`` is set by the "nearly"/"about"/"-odd" families and by vague quantities.
Units and their canonical forms are in :mod:`.units` (seconds, metres, %, ISO currency codes; a
month is 30 days, a year 365 days). A glued "m" is million after a currency ("$5m") or before a
counted noun ("3m people"), metres otherwise ("a 150m ravine"); "pounds" is GBP except before
"of" ("500 pounds of explosives").

Interval semantics of qualifiers, for a value n (counts are integers, so strict bounds move by one;
measures, durations, percentages and money keep n and record the qualifier):

=============================================  ======================  ======================
qualifier                                      count                   measure / duration
=============================================  ======================  ======================
at least, no fewer/less than, a minimum of,    [n, open)               [n, open)
postfix "or more"/"and more"/"plus"/"+"
more than, over, above, upwards of, in         [n+1, open)             [n, open)
excess of, well over, just over
nearly, almost, close to, just under,          [min(ceil(0.8n), n-1),  [0.8n, n]
just short of                                  n-1]; "nearly one" =    approximate
                                               [0, 1]; approximate
about, around, approximately, roughly, some,   [floor(0.9n),           [0.9n, 1.1n]
an estimated, circa, postfix "or so"           ceil(1.1n)], approx.    approximate
postfix "-odd" ("50-odd")                      [n, ceil(1.2n)], approx [n, 1.2n], approx.
up to, as many as, at most, no more than,      [0, n]                  [0, n]
a maximum of, postfix "or less"/"or fewer"
fewer than, less than, under, below            [0, n-1]                [0, n]
all, only, exactly, just, precisely,           [n, n]                  [n, n]
a total of
another, a further, an additional, an extra    [n, n] (the fact layer reads it as additive)
between n and m, n to m, n-m, n or m           [n, m]                  [n, m]
=============================================  ======================  ======================

Ranges take the qualifier on both ends ("about 10-12" = [9, 14]). "from 24 to 28" after a verb of
change ("rose from 24 to 28") is two numbers, not a range; so is "14 and 15" without "between".

Not numbers: 4-digit years 1900-2099 unless a unit or a counted noun follows, or a bounding
qualifier precedes ("2000 people", "at least 2000"; "2,000" with a comma is always a number); dates ("Nov. 13", "13 November", "24/12/2019", "2015-11-27"); clock
times ("1.15 pm", "12:30 am", "1941 hrs", "1600 GMT", "at 0600 hours"); phone numbers; codes
("Su-24", "S-400", "AXB 1344", "IX 1344", "C 90", "Boeing 737", "runway 27", "Section 304");
numbers glued to letters ("G20", "4G", "1990s"); list markers at a line start ("01 ...", "1) ...").
Ordinals ("1st", "second", "twenty-first") are emitted with kind "ordinal".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Literal

from ..models import NumberValue
from ._fastre import fast_form
from ._numwords import (
    ORDINAL_RE,
    ORDINAL_WORDS,
    SMALL,
    TENS,
    W100,
    WORDNUM,
    WS,
    _clean,
    core_value,
)
from ._scan import Scanner
from .units import (
    CASE_SENSITIVE_UNITS,
    CURRENCY_PREFIXES,
    HYPHEN_ONLY_UNITS,
    SCALES,
    UNITS,
    Unit,
    lookup,
)

Kind = Literal["count", "measure", "duration", "percent", "money", "ordinal"]

__all__ = ["NumberMatch", "find_numbers", "parse_number_phrase", "QUALIFIERS"]


@dataclass(frozen=True, slots=True)
class NumberMatch:
    start: int
    end: int
    text: str  # the whole expression incl. qualifier and unit; text == source[start:end]
    core_start: int
    core_end: int  # the numeric core ("312", "two-week" -> "two", "a dozen")
    value: NumberValue
    kind: Kind
    unit_text: str | None  # unit word as written ("metre", "feet", "seconds", "$")
    qualifier: str | None  # "at least", "more than", "nearly", ... as written, lowercased


# Making the match and its value was a third of the time per number found, so ``_make`` builds
# both directly. The frozen dataclass's __init__ sets each field by name through
# object.__setattr__; setting the slots through their descriptors costs half as much (same
# object: no defaults, no __post_init__). The value is exactly what ``trusted(NumberValue,
# low=, high=, unit=, qualifier=, approximate=)`` makes (fields in model order, the same fields
# set), without its generic loop over the field specs.
_MATCH_FIELDS = ("start", "end", "text", "core_start", "core_end", "value", "kind", "unit_text",
                 "qualifier")
_VALUE_FIELDS = ("type", "low", "high", "unit", "qualifier", "approximate", "written",
                 "written_unit")
if tuple(f.name for f in fields(NumberMatch)) != _MATCH_FIELDS or tuple(
    NumberValue.model_fields
) != _VALUE_FIELDS:  # pragma: no cover - _make must follow the models
    raise TypeError("NumberMatch or NumberValue changed: update _make")
_new = object.__new__
_set = object.__setattr__
(_m_start, _m_end, _m_text, _m_cs, _m_ce, _m_value, _m_kind, _m_unit, _m_qual) = (
    NumberMatch.__dict__[name].__set__ for name in _MATCH_FIELDS
)


# ---------------------------------------------------------------------------------------------
# Qualifiers
# ---------------------------------------------------------------------------------------------

# normalised qualifier (lower case, single spaces) -> category
QUALIFIERS: dict[str, str] = {}
for _cat, _words in {
    "min": (
        "at least",
        "no fewer than",
        "no less than",
        "not less than",
        "not fewer than",
        "a minimum of",
        "minimum of",
        "at a minimum",
    ),
    "gt": (
        "more than",
        "over",
        "above",
        "upwards of",
        "upward of",
        "in excess of",
        "well in excess of",
        "well over",
        "well above",
        "greater than",
        "just over",
        "just above",
        "a little over",
        "a little more than",
        "slightly more than",
        "slightly over",
        "exceeding",
    ),
    "near": (
        "nearly",
        "almost",
        "close to",
        "just under",
        "just below",
        "just short of",
        "a little under",
        "a little less than",
        "slightly less than",
        "slightly fewer than",
        "not quite",
    ),
    "approx": (
        "about",
        "around",
        "approximately",
        "approx.",
        "approx",
        "roughly",
        "some",
        "an estimated",
        "estimated",
        "circa",
        "in the region of",
        "on the order of",
        "of the order of",
        "an approximate",
    ),
    "max": (
        "up to",
        "as many as",
        "at most",
        "at the most",
        "no more than",
        "not more than",
        "a maximum of",
        "maximum of",
        "as much as",
        "as high as",
        "not exceeding",
    ),
    "lt": ("fewer than", "less than", "under", "below", "lower than"),
    "exact": (
        "all",
        "all the",
        "all of the",
        "all of",
        "only",
        "exactly",
        "just",
        "precisely",
        "a total of",
        "a full",
    ),
    "add": ("another", "a further", "an additional", "additional", "an extra", "a fresh"),
    "between": ("between",),
}.items():
    for _w in _words:
        QUALIFIERS[_w] = _cat

_POSTFIX: dict[str, str] = {
    "or more": "min",
    "and more": "min",
    "or above": "min",
    "and above": "min",
    "or over": "min",
    "plus": "min",
    "+": "min",
    "or so": "approx",
    "odd": "odd",
    "or less": "max",
    "or fewer": "max",
    "or under": "max",
}
_APPROX_CATS = frozenset({"near", "approx", "odd"})

# ---------------------------------------------------------------------------------------------
# The grammar
# ---------------------------------------------------------------------------------------------


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _words_re(phrases) -> str:
    """Alternation of phrases with inner spaces as WS, longest first."""
    out = []
    for p in sorted(phrases, key=len, reverse=True):
        out.append(WS.join(re.escape(w) for w in p.split(" ")))
    return "|".join(out)


_MONTHS = sorted(
    _wordset(
        "January February March April May June July August September October November December "
        "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec"
    )
)
_MONTH = rf"(?:{_alt(_MONTHS + [m.upper() for m in _MONTHS])})\b\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\b"
_YEAR_TAIL = rf"(?:,?{WS}\d{{4}}\b)?"
_DATE = (
    rf"\b{_MONTH}{WS}?{_DAY}{_YEAR_TAIL}"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?{WS}(?:of{WS})?{_MONTH}{_YEAR_TAIL}"
    r"|\b(?:\d{1,4}/\d{1,2}/\d{1,4}|\d{1,4}-\d{1,2}-\d{1,4}|\d{1,2}\.\d{1,2}\.\d{2,4})\b"
    r"|\b\d{1,2}/\d{1,2}\b"
)
_AMPM = r"(?i:[ap]\.?m\b\.?)"
_TZ = r"(?:GMT|UTC|IST|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|WIB|WITA|AEST|AEDT|JST|SGT|HKT|MSK)\b"
_TIME = (
    rf"\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:{WS}?(?:{_AMPM}|(?i:hrs)\b\.?|{_TZ}))*"
    rf"|\b\d{{1,2}}\.\d{{2}}{WS}?(?:{_AMPM}|(?i:hrs)\b\.?|{_TZ})"
    rf"|\b\d{{1,2}}{WS}?(?:{_AMPM}|o['’]clock)"
    rf"|\b[0-2]\d[0-5]\d{WS}?(?:(?i:hrs)\b\.?|{_TZ})"
    rf"|\b(?i:{W100}){WS}o['’]clock"
)
_PHONE = (
    r"\+\d{1,3}(?:[ \-]?\(?\d{1,5}\)?){2,5}"
    r"|\(\d{2,5}\) ?\d{3,5}[ \-]?\d{3,5}"
    r"|\b\d{3,5}-\d{3,4}-\d{3,5}\b"
    r"|\b\d{5} \d{5}\b|\b\d{3} \d{3} \d{4}\b|\b\d{4} \d{3} \d{3}\b"
    r"|\b\d{10,}\b"
)
_ORD = rf"\b\d+(?:st|nd|rd|th)\b|\b(?i:{ORDINAL_RE})\b"

_CUR = (
    r"(?:\b(?:US\$|A\$|C\$|S\$|HK\$|NZ\$|Rs\.?|INR|USD|GBP|EUR|Rp\.?|Tk\.?|BDT|NPR|PKR|LKR"
    r"|KSh|Sh|RM|CHF)|GH₵|\$|£|€|¥|₹|₦|₱|฿|₩|₽)"
)
# (the lookahead, implied by what follows it, spares most numbers the repeat of comma groups)
_DIGITS = r"(?:(?=\d{1,3},)\d{1,3}(?:,\d{2,3})*,\d{3}|\d+)(?:\.\d+)?"
_SCALE = rf"(?:{WS}?(?i:{_alt(k for k in SCALES if len(k) > 1)})\b)"
_HALF = rf"(?:{WS}|-)(?i:and)(?:{WS}|-)(?i:a)(?:{WS}|-)(?i:half)\b"
_CORE = (
    rf"(?:{_DIGITS}(?:{_SCALE}|{WS}(?i:dozen)\b)?"
    r"|(?i:"
    rf"(?:hundreds|tens){WS}of{WS}(?:thousands|millions)"
    rf"|(?:a{WS}few|several){WS}(?:hundred|thousand|million|dozen)"
    rf"|(?:half{WS}a|a|{W100}){WS}dozen"
    rf"|a{WS}(?:couple|handful){WS}of|scores{WS}of"
    rf"|a{WS}few|several|dozens|hundreds|thousands|millions|billions|dozen"
    rf"|{WORDNUM}"
    r")\b)"
)
_POST = (
    rf"(?:{WS}(?i:or|and){WS}(?i:more|above|over|so|less|fewer|under)\b"
    r"|-?(?i:plus)\b|\+|-(?i:odd)\b"
    rf"|{WS}(?i:odd)\b)"
)


def _unit_re() -> str:
    ci: list[str] = []
    cs: list[str] = []
    for key in UNITS:
        (cs if key in CASE_SENSITIVE_UNITS else ci).append(key)
    cs += ["M", "k", "K", "b", "B", "bn", "mn"]  # glued scales: "$5m", "10k", "£2b"
    return rf"(?:(?i:{_literal_trie(ci)})|{_literal_trie(cs)})"


def _literal_trie(keys: list[str]) -> str:
    """An alternation of unit words as a trie: ``metre(?:s\b|\b)`` rather than a flat list.

    It matches what the flat, longest-first alternation ``metres\b|metre\b|...`` matches,
    and in the same order when backtracking (words that match at one place are prefixes of
    each other, and a trie tries the longer first); but the stdlib engine reads one branch per
    character instead of trying 160 words after every number. A space between words is any
    run of spaces (WS); a word ending in an ASCII letter or digit ends at a word boundary.
    """
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for i, word in enumerate(key.split(" ")):
            for token in ([WS] if i else []) + [re.escape(ch) for ch in word]:
                node = node.setdefault(token, {})
        node[""] = {"end": r"\b" if key[-1].isalnum() and key[-1].isascii() else ""}

    def emit(node: dict[str, dict]) -> str:
        branches = [token + emit(child) for token, child in node.items() if token]
        if "" in node:
            branches.append(node[""]["end"])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


_UNIT = _unit_re()
_A_UNITS = [k for k, u in UNITS.items() if u.after_a]
_SC_WORDS = ("hundred", "thousand", "million", "billion", "trillion", "lakh", "lakhs", "crore",
             "crores")
_VAGUE_WORDS = ("hundreds", "tens", "several", "scores", "dozens", "thousands", "millions",
                "billions", "dozen", "half")
_ABODY = (
    rf"\b(?P<acore>(?i:(?:half{WS})?an?|an?{WS}half)){WS}"
    rf"(?P<aunit>(?i:{_words_re(_A_UNITS)})\b)(?P<ahalf>{_HALF})?"
)
_NUMBODY = (
    rf"(?:(?P<cur>{_CUR}){WS}?|\b)(?P<core>{_CORE})(?P<half>{_HALF})?"
    rf"(?:(?P<rsep>{WS}?[-–—]{WS}?|{WS}(?i:to|or|and){WS})(?:(?P<cur2>{_CUR}){WS}?)?(?P<core2>{_CORE}))?"
    rf"(?P<post>{_POST})?"
    rf"(?:(?P<usep>{WS}(?i:of){WS}|{WS}|-)?(?P<unit>{_UNIT})(?P<uhalf>{_HALF})?)?"
    rf"(?P<post2>{_POST})?"
)
PATTERN = (
    rf"(?P<skip>{_DATE}|{_TIME}|{_PHONE})|(?P<ord>{_ORD})|(?P<a>{_ABODY})|(?P<num>{_NUMBODY})"
)


def _fast_form(pattern: str) -> str:
    """``pattern`` (ASCII mode) in the fast form of ``_fastre.fast_form`` (about 30% faster in
    the stdlib engine), after one rewrite of its own: an optional run of spaces ``(?:[ ...]+)?``
    becomes ``[ ...]*`` (both try the longest run first, then one character less, down to none).
    tests/test_numbers_speed.py compares the two forms."""
    space = WS.removeprefix("(?:").removesuffix("+)")  # the class of WS
    if f"(?:{space}+)" != WS or f"{WS}??" in pattern or f"{WS}?+" in pattern:  # pragma: no cover
        raise ValueError("WS changed: revise _fast_form")
    return fast_form(pattern.replace(f"{WS}?", f"{space}*"))


def _skip_guard() -> str:
    """A lookahead that holds wherever a date, clock time or phone number (the ``skip``
    alternatives) may start: what each of them begins with, loosened. The stdlib engine tried
    all sixteen at every candidate (a third of the matching time) though they match at few;
    the guard fails at most numbers after a digit or two ("312 people", "12,000"). It only
    fails where every alternative fails (tests/test_numbers_speed2.py), so the grammar is the
    same."""
    sp = WS.removeprefix("(?:").removesuffix("+)")  # the class of WS
    if f"(?:{sp}+)" != WS or not all(re.fullmatch("[a-z]+", w) for w in SMALL):  # pragma: no cover
        raise ValueError("WS or the number words changed: revise _skip_guard")
    month = _alt(sorted({m[:3] for m in _MONTHS + [m.upper() for m in _MONTHS]}))
    after_digit = (
        rf"\d?(?:[.:/\-]"  # 24/12, 2015-11, 1.15, 12:30
        rf"|(?:st|nd|rd|th)?{sp}+(?:of{sp}+)?(?:{month})"  # 13 November, 1st of May
        rf"|{sp}*(?:[aApP]\.?[mM]|o['’]))"  # 7 pm, 7 o'clock
        rf"|\d{{0,4}}[/\-]"  # 2015/..., 555-1234
        rf"|\d{{2,4}} \d"  # 0207 946 0000, 12345 67890
        rf"|\d{{3}}{sp}*[A-Zh]"  # 1600 GMT, 0600 hrs
        rf"|\d{{9}}"  # ten digits or more
    )
    return (
        rf"(?=[+(]\d|\d(?:{after_digit})|(?:{month})"
        rf"|[A-Za-z][A-Za-z\-]*{sp}+o['’])"  # seven o'clock, twenty-five o'clock
    )


_SKIP_GUARD = _skip_guard()
# The stdlib engine reads the groups of one match, anchored where the scan found it; ASCII mode
# gives \b and \d the meaning they have in RE2.
_SKIP = f"(?P<skip>{_DATE}|{_TIME}|{_PHONE})"
if not PATTERN.startswith(_SKIP):  # pragma: no cover
    raise ValueError("PATTERN changed: revise where the skip guard goes")
_PRX = re.compile(
    _fast_form(f"(?P<skip>{_SKIP_GUARD}(?:{_DATE}|{_TIME}|{_PHONE}))" + PATTERN[len(_SKIP) :]),
    re.ASCII,
)
_G = _PRX.groupindex
_G_SKIP, _G_ORD, _G_A, _G_NUM = _G["skip"], _G["ord"], _G["a"], _G["num"]
_G_ACORE, _G_AUNIT, _G_AHALF = _G["acore"], _G["aunit"], _G["ahalf"]
_G_CUR, _G_CORE, _G_HALF, _G_RSEP = _G["cur"], _G["core"], _G["half"], _G["rsep"]
_G_CUR2, _G_CORE2, _G_POST, _G_USEP = _G["cur2"], _G["core2"], _G["post"], _G["usep"]
_G_UNIT, _G_UHALF, _G_POST2 = _G["unit"], _G["uhalf"], _G["post2"]

# Where a match may start (RE2 on placeholder text; a superset of the grammar's starts, see
# ``_scan``): any non-ASCII character (currency signs), a currency code,
# a phone's "+"/"(" before a digit, or a word boundary before a digit, a month, a number or
# ordinal word, a vague quantity word, or "a"/"an" before the words that make it a quantity.
_A_NEXT = sorted({"few", "couple", "handful", "dozen", "half", *_SC_WORDS,
                  *(k.split(" ")[0] for k in _A_UNITS)}, key=len, reverse=True)
_START = (
    rf"{_CUR}|[+(][0-9]|\b(?:[0-9]|{_alt(_MONTHS + [m.upper() for m in _MONTHS])}"
    rf"|(?i:{_alt([*SMALL, *ORDINAL_WORDS, *_VAGUE_WORDS])})"
    rf"|(?i:an?{WS}(?:{'|'.join(re.escape(w) for w in _A_NEXT)})))"
)
# A match starts at a non-ASCII character only at a currency sign: every other alternative
# starts at "+", "(" or a word boundary before an ASCII letter or digit (ASCII mode).
_NON_ASCII_STARTS = frozenset(ch for ch in _CUR if not ch.isascii())
_SCANNER = Scanner(_PRX, _START, non_ascii_start=_NON_ASCII_STARTS.__contains__)


def _matches(text: str, deadline: float | None = None) -> Iterator[re.Match[str]]:
    """Stdlib match objects for every grammar match in ``text``, left to right: exactly
    ``_PRX.finditer(text)``, found faster (``_scan``)."""
    return _SCANNER.finditer(text, deadline)


# ---------------------------------------------------------------------------------------------
# Context checks (stdlib re on short slices)
# ---------------------------------------------------------------------------------------------

_AMPM_AFTER = re.compile(r"[ \t]?(?i:[ap]\.?m\b)")
_AP_LETTERS = frozenset("aApP")
_NEXT_WORD = re.compile(r"[ \t\u00a0]*([A-Za-z][A-Za-z'’\-]*)")
_PREV_TOKEN = re.compile(r"(\S+)[ \t\u00a0]*$")
_CODE_TOKEN = re.compile(r"(?:[A-Z]{1,4}|[A-Z]+\d+[A-Z\d]*|\d+[A-Z]+[A-Z\d]*)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_GLUED_SCALES = frozenset({"m", "M", "k", "K", "b", "B", "bn", "mn"})
_HHMM = re.compile(r"[0-2]\d[0-5]\d")

# Capitalised words that precede a number as an ordinary word, not as a code prefix.
_CAPS_WORDS = _wordset(
    "A I AN AS AT TO OF IN ON BY FOR AND THE ALL ONLY OVER SOME WITH FROM JUST LAST NEXT "
    "ABOUT NEAR SAID"
)
# Words after which a number is an identifier ("runway 27", "Section 304", "Boeing 737").
_CODE_WORDS = _wordset(
    """flight flights runway runways section sections sec article articles route highway nh sh
    platform gate terminal ward room no. nos. page pages chapter model version boeing airbus
    phase level stage zone sector plot apartment flat clause para paragraph item exhibit rule
    rules ipc crpc covid bus train channel pin code squad block-no"""
)
# A 4-digit year-like number is a count when followed by one of these.
_COUNT_NOUNS = _wordset(
    """people persons passengers residents deaths dead lives casualties victims injured
    troops soldiers police policemen officers workers employees staff students children kids
    women men families homes houses buildings vehicles cars buses flights cases patients others
    migrants refugees protesters demonstrators fighters militants civilians votes members
    pilgrims tourists fans jobs tonnes tons acres hectares animals cattle rescuers firefighters
    personnel volunteers doctors nurses visitors inhabitants households villages prisoners
    inmates bodies"""
)
# "3m people": a glued "m" after a bare number is "million" before these, metres otherwise.
_MILLION_NOUNS = _wordset(
    """people persons residents users customers voters votes viewers households homes jobs
    children adults doses vaccines cases tonnes barrels passengers visitors subscribers
    inhabitants workers"""
)
_CHANGE_VERBS = _wordset(
    """rose risen rise rises rising increased increase increases increasing climbed climb
    climbs jumped jump jumps grew grown fell fallen fall falls dropped drop drops decreased
    declined revised raised lowered reduced up down went gone soared surged shot spiked
    doubled changed moved upped cut slipped edged"""
)
_ONE_BEFORE = _wordset("no any every each this that which the someone anyone everyone")
_CLOCK_PREPS = _wordset(
    "at by until till before after from around about since approximately"
)


def _ampm_after(text: str, pos: int) -> bool:
    """``_AMPM_AFTER.match(text, pos)``: a regex call only where an "a" or "p" (the only letters
    that match ``(?i:[ap])``) starts the text at ``pos`` or after one space or tab."""
    c = text[pos : pos + 1]
    if c == " " or c == "\t":
        c = text[pos + 1 : pos + 2]
    return c in _AP_LETTERS and _AMPM_AFTER.match(text, pos) is not None


def _prev_word(text: str, pos: int) -> str:
    """The word right before ``pos`` (lower case, trailing punctuation kept), or ''."""
    m = _PREV_TOKEN.search(text, max(0, pos - 24), pos)
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos)
    return m.group(1).lower() if m else ""


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


@functools.lru_cache(maxsize=1024)
def _unit_and_key(u_text: str) -> tuple[Unit | None, str]:
    """The unit of a unit word as written and its normalised form (few distinct words)."""
    return lookup(u_text), _norm(u_text)


def _has_scale(core: str) -> bool:
    words = core.lower().split()
    if len(words) > 1:
        return words[-1] in SCALES or words[-1] == "dozen"
    return core[-1:].isalpha() and core[:1].isdigit()


def _is_int(x) -> bool:
    return isinstance(x, int)


# ---------------------------------------------------------------------------------------------
# Interval arithmetic
# ---------------------------------------------------------------------------------------------


def _apply(cat: str | None, lo, hi, count: bool):
    """Widen the base interval [lo, hi] (hi None = open) by a qualifier category."""
    n_hi = lo if hi is None else hi
    if cat is None or cat in ("exact", "add", "between"):
        return lo, hi
    if cat == "min":
        return lo, None
    if cat == "gt":
        return (lo + 1 if count and _is_int(lo) else lo), None
    if cat == "near":
        if count and _is_int(lo) and _is_int(n_hi) and n_hi > 1:
            return min(-((-4 * lo) // 5), n_hi - 1), n_hi - 1  # "nearly 3" = [2, 2]
        if count and _is_int(n_hi):
            return 0, n_hi  # "nearly one"
        return 0.8 * lo, n_hi
    if cat == "approx":
        if count and _is_int(lo) and (hi is None or _is_int(hi)):
            return (9 * lo) // 10, (None if hi is None else -((-11 * hi) // 10))
        return 0.9 * lo, (None if hi is None else 1.1 * hi)
    if cat == "odd":
        if count and _is_int(n_hi):
            return lo, -((-6 * n_hi) // 5)
        return lo, 1.2 * n_hi
    if cat == "max":
        return 0, n_hi
    if cat == "lt":
        if count and _is_int(n_hi) and n_hi >= 1:
            return 0, n_hi - 1
        return 0, n_hi
    return lo, hi  # pragma: no cover


def _scale(x, factor):
    if x is None:
        return None
    if factor == 1:
        return _clean(x)
    return _clean(x * factor)


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------


_SPACES = " \t\u00a0\u202f"
_QUAL_WORDS = max(len(k.split()) for k in QUALIFIERS)
_QUAL_LAST = frozenset(k.split()[-1] for k in QUALIFIERS)
_QUAL_LAST_MAX = max(map(len, _QUAL_LAST))
_QUAL_LENGTHS: dict[str, set[int]] = {}  # last word -> word counts of the qualifiers it ends
for _q in QUALIFIERS:
    _QUAL_LENGTHS.setdefault(_q.split()[-1], set()).add(len(_q.split()))
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")  # [A-Za-z]
_LAST_WORD = re.compile(r"[A-Za-z]+\.?$")  # a qualifier word glued after punctuation


def _span(m, g):
    s, e = m.span(g)
    return (s, e) if s >= 0 else None


def _qualifier_before(text: str, pos: int, floor: int):
    """(start, normalised words, category) of a qualifier written just before ``pos``."""
    if pos <= floor or text[pos - 1] not in _SPACES:
        return None
    # fast reject: the word right before must be able to end a qualifier
    i = pos - 1
    while i > floor and text[i - 1] in _SPACES:
        i -= 1
    # That word is what _LAST_WORD.search finds in the token before i (not below floor): the
    # run of ASCII letters ending at i, or at a dot ending at i, and that dot. Read backwards
    # here, at most _QUAL_LAST_MAX + 2 characters: a run cut there, and so the whole run, is
    # longer than any qualifier word.
    if i <= floor:
        return None
    stop = i - _QUAL_LAST_MAX - 2
    if stop < floor:
        stop = floor
    # Most words before a number are plain: letters (and a dot) after a space or from the
    # window's start. Such a word is the run itself, read without walking back character by
    # character; anything else is walked.
    seg = text[stop:i]
    word = seg[seg.rfind(" ") + 1 :]
    run = word[:-1] if word[-1] == "." else word
    if run.isalpha() and run.isascii():
        if word.lower() not in _QUAL_LAST:
            return None
    else:
        e = i - 1 if text[i - 1] == "." else i
        k = e
        while k > stop and text[k - 1] in _LETTERS:
            k -= 1
        if k == e or text[k:i].lower() not in _QUAL_LAST:
            return None
    lo = pos - 40 if pos - 40 > floor else floor
    nl = text.rfind("\n", lo, pos)
    if nl >= 0:
        lo = nl + 1
    window = text[lo:pos]
    toks = window.split()  # the \S+ runs: str.split and \s agree on what a space is
    if lo > floor and lo == pos - 40 and toks:
        toks = toks[1:]  # the first token may be cut
    # a key of k > 1 words ends with the last token: only the lengths of the qualifiers that
    # end with it can be found (the others were joined and looked up in vain)
    n = len(toks)
    lengths = _QUAL_LENGTHS.get(toks[-1].lower(), ()) if toks else ()
    for k in range(min(_QUAL_WORDS, n), 0, -1):
        if k > 1 and k not in lengths:
            continue
        first = toks[n - k]
        last = _LAST_WORD.search(first)  # "(at", "province.At" -> "at"
        if last is None:
            continue
        stripped = last.group()
        key = " ".join([stripped, *toks[n - k + 1 :]]).lower()
        cat = QUALIFIERS.get(key)
        if cat is not None:
            # where the first token starts: walking back token by token, the last occurrence
            # of each before the previous one's start is that token (the text between tokens
            # is spaces, which no token holds)
            start = len(window)
            for tok in toks[n - k :][::-1]:
                start = window.rindex(tok, 0, start)
            return lo + start + len(first) - len(stripped), key, cat
    return None


def _bad_prefix(text: str, s: int) -> bool:
    """A character glued before the number makes it part of a code, a version or a word."""
    if s == 0:
        return False
    p = text[s - 1]
    if p == " ":
        return False  # the usual case, decided first
    if p in "-–‑" and s >= 2 and text[s - 2].isalnum():
        return True  # Su-24, S-400, mid-2019, one-third
    if p in "./:," and s >= 2 and text[s - 2].isdigit():
        return True  # 1.5.2, 12:30:45
    return p in "#+@'’_" or p.isalnum()


def _make(
    text, start, end, cs, ce, lo, hi, canonical, factor, kind, unit_text, q, cat, vague
) -> NumberMatch:
    # _scale, skipped where it makes int * int (most numbers), which _clean keeps as it is
    whole = type(factor) is int
    low = lo * factor if whole and type(lo) is int else _scale(lo, factor)
    high = hi * factor if whole and type(hi) is int else _scale(hi, factor)
    if low is not None and high is not None and low > high:
        low, high = high, low  # "between 10 and 5" is the interval [5, 10]
    # built from the grammar's own numbers: no validation on this hot path (see _MATCH_FIELDS)
    value = _new(NumberValue)
    _set(value, "__dict__", {
        "type": "number", "low": low, "high": high, "unit": canonical, "qualifier": q,
        "approximate": bool(vague or cat in _APPROX_CATS), "written": None,
        "written_unit": None,
    })
    _set(value, "__pydantic_fields_set__", {"low", "high", "unit", "qualifier", "approximate"})
    _set(value, "__pydantic_extra__", None)
    _set(value, "__pydantic_private__", None)
    nm = _new(NumberMatch)
    _m_start(nm, start)
    _m_end(nm, end)
    _m_text(nm, text[start:end])
    _m_cs(nm, cs)
    _m_ce(nm, ce)
    _m_value(nm, value)
    _m_kind(nm, kind)
    _m_unit(nm, unit_text)
    _m_qual(nm, q)
    return nm


def _ordinal(text: str, m) -> NumberMatch | None:
    s, e = m.span(_G_ORD)
    if _bad_prefix(text, s):
        return None
    raw = text[s:e]
    if raw[0].isdigit():
        n = int(raw[:-2])
    else:
        key = raw.lower().replace("-", " ").split()
        n = TENS[key[0]] + ORDINAL_WORDS[key[1]] if len(key) == 2 else ORDINAL_WORDS[key[0]]
    return _make(text, s, e, s, e, n, n, None, 1, "ordinal", None, None, None, False)


def _a_unit(text: str, m, floor: int) -> NumberMatch | None:
    """ "an hour", "a week", "half an hour", "an hour and a half", "over a week"."""
    cs, ce = m.span(_G_ACORE)
    us, ue = m.span(_G_AUNIT)
    if _bad_prefix(text, cs):
        return None
    u_text = text[us:ue]
    unit = lookup(u_text)
    if unit is None:  # pragma: no cover - the regex only admits table words
        return None
    base = 0.5 if "half" in text[cs:ce].lower() else 1
    end = ue
    hs = _span(m, _G_AHALF)
    if hs is not None:
        base += 0.5
        end = hs[1]
    start, q, cat = cs, None, None
    qual = _qualifier_before(text, cs, floor)
    if qual is not None and qual[2] != "between":
        start, q, cat = qual
    lo, hi = _apply(cat, base, base, False)
    return _make(
        text, start, end, cs, ue, lo, hi, unit.canonical, unit.factor, unit.kind, u_text, q, cat,
        False,
    )


def _is_code_before(text: str, cs: int) -> bool:
    """ "runway 27", "Section 304", "Boeing 737", "AXB 1344", "IX 1344", "C 90"."""
    if cs < 2 or text[cs - 1] != " " or text[cs - 2].isspace():
        return False  # not one space after a token
    # the token: what _PREV_TOKEN.search(text, max(0, cs - 24), cs - 1) reads, without
    # the search (\S and str.split agree on what a space is)
    tok = text[cs - 24 if cs > 24 else 0 : cs - 1].rsplit(None, 1)[-1]
    if tok.lower().rstrip(":") in _CODE_WORDS or tok in ("No", "NO", "No.", "Nos."):
        return True
    return (
        tok not in _CAPS_WORDS
        and tok[-1] not in ".,:;"
        and ("A" <= tok[0] <= "Z" or tok[0].isdecimal())  # what a code token starts with
        and _CODE_TOKEN.fullmatch(tok) is not None
    )


def _is_list_marker(text: str, core: str, cs: int, ce: int) -> bool:
    """ "01 Chartered aircraft crashed", "1) Jeet", "2. Next item" at a line start."""
    if len(core) > 2 or not (text.startswith(")", ce) or text.startswith(". ", ce)):
        return False  # tested first: the line before can be long
    line_start = text.rfind("\n", 0, cs) + 1
    return not text[line_start:cs].strip()


def _number(text: str, m, floor: int, m_end: int) -> list[NumberMatch]:
    """The quantities of one match of the number alternative (``m_end``: ``m.end()``)."""
    # every group's span in one call (a group that did not match has (-1, -1)): cheaper than a
    # span() call per group
    regs = m.regs
    cur_span = r if (r := regs[_G_CUR])[0] >= 0 else None
    cs, ce = regs[_G_CORE]
    core = text[cs:ce]
    if len(core) > 3 and core[-2:].lower() == "of" and core[-3] in _SPACES:
        ce = cs + len(core[:-2].rstrip())  # "a couple of", "scores of": the core ends before "of"
    digits = core[0].isdigit()
    c2 = r if (r := regs[_G_CORE2])[0] >= 0 else None
    half = r if (r := regs[_G_HALF])[0] >= 0 else None
    post = r if (r := regs[_G_POST])[0] >= 0 else None
    unit_span = r if (r := regs[_G_UNIT])[0] >= 0 else None
    post2 = r if (r := regs[_G_POST2])[0] >= 0 else None
    lead = cur_span[0] if cur_span else cs
    num_end = c2[1] if c2 else (half[1] if half else ce)

    # -- glued letters, codes, list markers ---------------------------------------------------
    if lead and text[lead - 1] != " " and _bad_prefix(text, lead):  # a space: never bad
        return []
    if unit_span is None and post is None and num_end < len(text):
        nxt = text[num_end]
        if nxt.isalnum():
            return []  # 4G, 1990s
        if (
            not digits
            and nxt == "-"
            and num_end + 1 < len(text)
            and text[num_end + 1].isalpha()
        ):
            return []  # two-thirds, one-sided, three-time
    if _ampm_after(text, m_end):
        return []  # "between 7.40 and 7.45 pm"

    qual = _qualifier_before(text, lead, floor)
    if (
        qual is None
        and not cur_span
        and digits
        and (_is_code_before(text, cs) or _is_list_marker(text, core, cs, ce))
    ):
        return []
    if digits and core[0] == "0" and len(core) > 1 and core[1].isdigit() and unit_span is None:
        return []  # "01 Chartered aircraft crashed ... 02 5 killed": zero-padded list numbers
    q_start, q, cat = qual if qual is not None else (lead, None, None)

    # -- values ------------------------------------------------------------------------------
    v1 = core_value(core)
    if v1 is None:
        return []
    lo, hi, vague = v1
    if half:
        if vague or hi is None:
            return []
        lo = hi = _clean(lo + 0.5)

    split = False
    v2 = None
    if c2:
        core2 = text[c2[0] : c2[1]]
        v2 = core_value(core2)
        if v2 is None:
            return []
        rsep = _norm(m.group(_G_RSEP))
        if not cur_span and _YEAR.fullmatch(core) and (
            _YEAR.fullmatch(core2)
            or (len(core2) == 2 and core2.isdigit() and rsep in ("-", "–", "—"))
        ):
            return []  # "2010-2015", "2019-20": years
        # "1.5-2 million", "two to three dozen": the scale of the second end applies to the first
        tail = core2.lower().split()[-1]
        if " " in core2.strip() and not vague and not v2[2] and not _has_scale(core):
            mult = 12 if tail == "dozen" else SCALES.get(tail, 1)
            if mult > 1 and lo * mult < v2[0]:
                lo = hi = _clean(lo * mult)
        increasing = lo < v2[0]
        if rsep in ("-", "–", "—"):
            if not increasing:
                return []  # 787-10, 3-0: a code or a score
        elif rsep == "and":
            split = cat != "between"
        elif rsep == "to" and increasing:
            # "rose from 24 to 28" is a change, not a range
            if _prev_word(text, q_start) == "from":
                fstart = text.rfind("from", max(0, q_start - 8), q_start)
                split = _prev_word(text, fstart) in _CHANGE_VERBS
        elif not increasing:  # "28 to 24", "10 or 5"
            split = True
        if not split:
            hi = v2[1]
            vague = vague or v2[2]
    if cat == "between" and (not c2 or split):
        q_start, q, cat = lead, None, None

    # -- unit --------------------------------------------------------------------------------
    kind = "count"
    canonical = None
    factor: float = 1
    unit_text = None
    end = post[1] if post else num_end
    if unit_span is not None:
        u_text = text[unit_span[0] : unit_span[1]]
        usep = m.group(_G_USEP) or ""
        unit, u_key = _unit_and_key(u_text)
        keep = True
        if u_text in _GLUED_SCALES and (
            cur_span or u_text != "m" or _next_word(text, unit_span[1]) in _MILLION_NOUNS
        ):
            # a glued scale: "$5m", "£2b", "10k", "3m people"
            if usep or vague or (not cur_span and u_text in ("b", "B", "M")):
                if usep == "" and not post:
                    return []  # "5B", "3b": a code
                keep = False
            else:
                mult = SCALES[u_text.lower()]
                lo = _clean(lo * mult)
                hi = None if hi is None else _clean(hi * mult)
                unit = None
                end = unit_span[1]
        elif unit is None:
            keep = False
        elif (usep.strip().lower() == "of" and not (vague or _has_scale(core))) or (
            u_key in HYPHEN_ONLY_UNITS
            and ((u_key == "h" and usep not in ("", "-")) or (u_key != "h" and usep != "-"))
        ):
            keep = False  # "two of days"; "10 point", "two man": hyphen-only suffixes
        if not keep:
            unit = None
            if usep == "" and unit_span[0] == num_end and not post:
                return []  # letters glued to the number that are no unit
        elif unit is not None:
            if u_key == "pounds" and _next_word(text, unit_span[1]) == "of":
                canonical, factor, kind = "kg", 0.45359237, "measure"
            else:
                canonical, factor, kind = unit.canonical, unit.factor, unit.kind
            unit_text = u_text
            end = unit_span[1]
            if usep == "-" and not c2:
                ce = end  # a compound adjective is the core: "two-week", "12-seater"
            uh = regs[_G_UHALF]
            if uh[0] >= 0 and not vague and hi is not None and lo == hi:
                lo = hi = _clean(lo + 0.5)
                end = uh[1]
            if kind == "duration" and _HHMM.fullmatch(core) and u_key.startswith("hour") and (
                core[0] == "0" or _prev_word(text, q_start) in _CLOCK_PREPS or q is not None
            ):
                return []  # "at 0600 hours": a clock time
        if keep and post2 and post2[0] == end:
            end = post2[1]
            post = post2
    if cur_span:
        cur_text = text[cur_span[0] : cur_span[1]]
        code = CURRENCY_PREFIXES.get(cur_text)
        if code is None or kind not in ("count", "money"):
            return []
        kind, canonical, factor, unit_text = "money", code, 1, cur_text

    # -- qualifiers --------------------------------------------------------------------------
    if post:
        pword = _norm(text[post[0] : post[1]]).lstrip("-")
        pcat = _POSTFIX.get(pword)
        if cat is None and pcat is not None:
            cat, q = pcat, pword
    count = kind == "count"
    plain = not cur_span and unit_text is None and not half

    if not split:
        # (_plain_ok rejects only a 4-digit year or "one": no call for other lengths)
        if plain and not c2 and 2 < len(core) < 5 and not _plain_ok(text, core, cs, ce, end, cat):
            return []
        if cat is not None:  # _apply keeps the interval without one
            lo, hi = _apply(cat, lo, hi, count)
        return [
            _make(
                text, q_start, end, cs, ce, lo, hi, canonical, factor, kind, unit_text, q, cat,
                vague,
            )
        ]

    # two numbers: "rose from 24 to 28", "14 and 15", "$5 million and Rs 5 lakh"
    out = []
    if not plain or _plain_ok(text, core, cs, ce, ce, cat):
        lo1, hi1 = _apply(cat, lo, hi, count)
        out.append(
            _make(
                text, q_start, ce, cs, ce, lo1, hi1, canonical, factor, kind, unit_text, q, cat,
                vague,
            )
        )
    assert c2 is not None and v2 is not None  # two numbers: c2 is set and was read above
    core2 = text[c2[0] : c2[1]]
    start2, canonical2, unit_text2, kind2 = c2[0], canonical, unit_text, kind
    cur2 = _span(m, _G_CUR2)
    if cur2 is not None and kind in ("count", "money"):
        start2 = cur2[0]
        unit_text2 = text[cur2[0] : cur2[1]]
        canonical2 = CURRENCY_PREFIXES.get(unit_text2, canonical)
        kind2 = "money"
    if unit_text2 is not None or _plain_ok(text, core2, c2[0], c2[1], end, None):
        out.append(
            _make(
                text, start2, end, c2[0], c2[1], v2[0], v2[1], canonical2, factor, kind2,
                unit_text2, None, None, v2[2],
            )
        )
    return out


def _plain_ok(text: str, core: str, cs: int, ce: int, after: int, cat: str | None) -> bool:
    """False for a bare number that is a year ("in 2014") or the pronoun "one" ("no one")."""
    if (
        len(core) == 4  # a cheap pre-test for the regex
        and _YEAR.fullmatch(core)
        and _next_word(text, after) not in _COUNT_NOUNS
        and cat in (None, "approx", "exact", "add")
    ):
        return False  # "in 2014", "since 2015"; "2000 people" stays
    if cat is None and core.lower() == "one":
        pw = _prev_word(text, cs)
        if pw in _ONE_BEFORE:
            return False  # "no one", "the one"
        nw = _next_word(text, ce)
        if nw == "another" or (nw == "by" and _next_word(text, ce + 4) == "one"):
            return False  # "one another", "one by one"
        if pw == "by" and _prev_word(text, cs - 3).endswith("one"):
            return False  # the second "one" of "one by one"
    return True


def find_numbers(text: str, deadline: float | None = None, offset: int = 0,
                 ) -> list[NumberMatch]:
    """Every quantity in ``text``, sorted by start and non-overlapping. Past ``deadline`` (a
    ``time.monotonic()`` value) the scan raises ``ScanTimeout``. With ``offset``, the matches'
    positions are ``offset`` further on (``text`` is a slice of a document starting there)."""
    out: list[NumberMatch] = []
    if not text:
        return out
    floor = 0  # a qualifier may not reach back into the previous match
    for m in _matches(text, deadline):
        end = m.end()
        group = m.lastindex  # the top-level alternative that matched: it closes last
        if group == _G_NUM:
            out.extend(_number(text, m, floor, end))
        elif group == _G_A:
            r = _a_unit(text, m, floor)
            if r is not None:
                out.append(r)
        elif group == _G_ORD:
            r = _ordinal(text, m)
            if r is not None:
                out.append(r)
        floor = end
    if offset:
        for nm in out:  # made here, not yet shared: moved in place rather than copied
            _m_start(nm, nm.start + offset)
            _m_end(nm, nm.end + offset)
            _m_cs(nm, nm.core_start + offset)
            _m_ce(nm, nm.core_end + offset)
    return out


def parse_number_phrase(phrase: str) -> NumberValue | None:
    """The value of the first quantity in ``phrase`` (for tests and rule examples)."""
    found = find_numbers(phrase)
    return found[0].value if found else None
