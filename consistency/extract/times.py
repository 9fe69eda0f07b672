"""Time grammar: find date and time expressions in an article and resolve them to intervals.

``find_times(text, reference)`` scans the text once with one compiled alternation of *atoms*
(dates, weekdays, "yesterday", "last week", parts of the day, clock times, ...). Each atom is
then extended to the left over the little words that qualify it ("late on", "until", "at
around", "in the early hours of") and neighbouring atoms joined only by spaces, commas or
brackets are merged into one expression ("just before midnight (1600 GMT) on Monday (Dec 23)",
"on Thursday around 1.15 pm", "Friday 29 December"). Every expression becomes a
:class:`TimeMatch` whose ``value`` is a :class:`~consistency.models.TimeValue`: a half-open
interval ``[start, end)`` of naive datetimes with the granularity it was written at.

Resolution against the reference date R (the article's date)
-----------------------------------------------------------
* A date with a year ("29 December 2017", "2015-11-27", "27/11/2015", "in 2014") is absolute.
* A year-less date ("Nov. 13", "29 December", "in September") takes the year that puts it in
  ``[R - 300 days, R + 60 days]`` (news reports mostly past events); "Dec 30" read on 2 January
  is the previous December. With "until/by/next" in front or a future cue in its clause (below)
  the window flips to ``[R - 60 days, R + 300 days]`` ("elections will be held on March 5").
  A lone month is placed by its 15th.
* A weekday is the most recent such day on or before R (R itself when it is that weekday),
  unless a future cue comes before it in its clause ("will", "would", "is/are to", "due",
  "next", "this coming", "until"/"till"/"by" directly in front, "from ... on") → the first such
  day on or after R. "next Tuesday" is strictly after R, "last Tuesday" strictly before R,
  "this Tuesday" the nearest one. A possessive weekday ("Tuesday's shoot-down") is past unless
  "next"/"this coming" is written in front of it.
* When a weekday comes with an explicit date ("Friday (29 December)", "Monday (Dec 23)") the
  date wins; ``value.weekday`` keeps the named weekday so that a rule can flag a mismatch.
* "this/last/next week" are ISO weeks (Monday 00:00 to Monday 00:00), granularity ``week``;
  "the past week" is the seven days up to R. "the weekend" is [Sat 00:00, Mon 00:00),
  granularity ``weekend``: the last weekend on or before R by default (R's own weekend when R
  is a Saturday or Sunday), the coming one with a future cue; "this weekend" the nearest one.
* "yesterday", "today", "tonight", "tomorrow", "last night", "this morning" are relative to R.
  "two days ago" is R - 2 (days); "two weeks ago" the ISO week two weeks before R's; "three
  hours ago" is [R 00:00 - 3h, R+1 00:00 - 3h). "two days after/before X" is resolved only when
  X is a date or weekday written right after it; otherwise (and "two days later/earlier") it
  is returned with anchor ``unresolved``.
* A clock time with no day is put on R ("around 12:30 am" in an article of 29 December →
  29 December 00:30), anchor ``document``, ``relative=True``. A lone "midnight" is the midnight
  that starts R ("just before midnight" → [R-1 23:00, R 00:00)).
* Parts of the day written without a day ("in the morning", "through the night") are not
  returned: they carry no date.

Parts of the day (minutes after 00:00 of the day D they are attached to; see
``_timewords.PARTS_OF_DAY``)::

    early hours of D, early D morning   [D 00:00, D 06:00)
    dawn                                [D 04:00, D 07:00)
    morning                             [D 06:00, D 12:00)
    mid-morning / late morning          [D 08:00, D 11:00) / [D 09:00, D 12:00)
    noon, midday                        12:00 as a clock time (± 5 min)
    early afternoon / afternoon         [D 12:00, D 15:00) / [D 12:00, D 18:00)
    mid- / late afternoon               [D 13:00, D 17:00) / [D 15:00, D 18:00)
    dusk, nightfall                     [D 17:00, D 20:00)
    early evening / evening             [D 18:00, D 21:00) / [D 18:00, D+1 00:00)
    late evening ("late on D evening")  [D 20:00, D+1 00:00)
    night, overnight, tonight           [D 18:00, D+1 05:00)
    late night ("late D night")         [D 22:00, D+1 05:00)
    early D (no part named)             [D 00:00, D 12:00)
    late D  (no part named)             [D 18:00, D+1 00:00)
    just/shortly before midnight on D   [D 23:00, D+1 00:00)   granularity part_of_day
    just/shortly after midnight on D    [D 00:00, D 01:00)     granularity part_of_day
    midnight on D                       [D+1 00:00 - 1 min, D+1 00:00 + 1 min)  minute

"Night" starts at 18:00 rather than 20:00 so that "7.41pm on Friday" and "Friday night" (both
said of the same crash) do not contradict; "late Thursday night" and "the early hours of
Friday" overlap, "late on Wednesday evening" overlaps neither. A clock time written with a
night-time part ("late Thursday night at 12.30am") that falls before the part's start is put
on the next day.

Clock-time tolerance (the written time t; constants below)
---------------------------------------------------------
* minutes a multiple of 5 ("7.40pm", "1 pm")  → [t - 5 min, t + 5 min)   ROUND_CLOCK_TOLERANCE
* other minutes ("7.41pm", "1941 hrs")         → [t - 1 min, t + 2 min)   EXACT_CLOCK_TOLERANCE
* with seconds ("13:46:20")                    → [t - 1 s, t + 2 s)       SECOND_TOLERANCE
* "around/about/approximately/roughly/nearly" widen both sides by APPROX_EXTRA (5 min)
* "after T" → [T, T + 30 min) AFTER_WINDOW; "before T" → [T - 30 min, T) BEFORE_WINDOW
* a range "7.40 pm to 7.45 pm" → [start - tolerance, end + tolerance)
* "midnight" → ± MIDNIGHT_TOLERANCE (1 min); "just before midnight" → the hour before.

So "7.40pm", "7.41pm" and "1941 hrs" overlap; "around 12:30 am", "12.30am" and "after 12:30
am" overlap. The written time is the midpoint of a plain or "around" interval, should a rule
want to compare written values rather than overlap.

Roles: "until/till Monday" → ``until`` (value: the day Monday, the last day the state holds;
a future cue), "through/throughout" → ``through``, "since/from" → ``since``, "by" →
``by``, "before"/"after" → ``before``/``after``; everything else ``point``. For a clock time
the before/after window is already in the value; "just/shortly before/after T" is a ``point``
with the same window. Times keep no timezone: "1600 GMT" in brackets next to a local time is
absorbed into the local expression; a lone "1600 GMT" is returned as 16:00.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Literal

from consistency.extract._fastre import UNICODE_FOLDS, class_end, fast_form
from consistency.extract._scan import Prefilter, Scanner, ScanTimeout, placeholder_text
from consistency.extract._timewords import (
    AMPM_RE,
    DAY_RE,
    MONTH_ABBR_RE,
    MONTH_FULL_RE,
    MONTH_RE,
    MONTHS,
    NUMBER_RE,
    ORDINAL_RE,
    PART_ALIASES,
    PARTS_OF_DAY,
    TZ_RE,
    UNIVERSAL_TIMEZONES,
    WEEKDAY_ABBR_RE,
    WEEKDAY_NAME_AFTER,
    WEEKDAY_NAME_BEFORE,
    WEEKDAY_NOUNS,
    WEEKDAY_RE,
    WEEKDAYS,
    YEAR_RE,
    count_range,
    month_number,
    prefix_gate,
    weekday_number,
)
from consistency.models import Granularity, TimeValue

__all__ = [
    "AFTER_WINDOW",
    "APPROX_EXTRA",
    "BEFORE_WINDOW",
    "EXACT_CLOCK_TOLERANCE",
    "MIDNIGHT_TOLERANCE",
    "PAST_WINDOW_DAYS",
    "FUTURE_WINDOW_DAYS",
    "ROUND_CLOCK_TOLERANCE",
    "SECOND_TOLERANCE",
    "Role",
    "TimeMatch",
    "find_times",
    "resolve_weekday",
]

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------

#: A clock time whose minutes are a multiple of 5: [t - before, t + after).
ROUND_CLOCK_TOLERANCE = (timedelta(minutes=5), timedelta(minutes=5))
#: Any other written minute: [t - before, t + after).
EXACT_CLOCK_TOLERANCE = (timedelta(minutes=1), timedelta(minutes=2))
#: A time written to the second.
SECOND_TOLERANCE = (timedelta(seconds=1), timedelta(seconds=2))
#: "around/about/approximately": widen each side by this much more.
APPROX_EXTRA = timedelta(minutes=5)
#: "after T" → [T, T + AFTER_WINDOW); "before T" → [T - BEFORE_WINDOW, T).
AFTER_WINDOW = timedelta(minutes=30)
BEFORE_WINDOW = timedelta(minutes=30)
#: "midnight" → [24:00 - tol, 24:00 + tol).
MIDNIGHT_TOLERANCE = timedelta(minutes=1)
#: Year-less dates land in [R - PAST_WINDOW_DAYS, R + FUTURE_WINDOW_DAYS].
PAST_WINDOW_DAYS = 300
FUTURE_WINDOW_DAYS = 60

Role = Literal["point", "until", "through", "since", "by", "before", "after"]
Direction = Literal["past", "future", "nearest"]


@dataclass(frozen=True, slots=True)
class TimeMatch:
    start: int
    end: int
    text: str  # == source[start:end]: the whole expression, with "on", "late", "until"
    value: TimeValue
    role: Role
    relative: bool  # needed a reference date


# ---------------------------------------------------------------------------------------------
# The scanner
# ---------------------------------------------------------------------------------------------

_DASH = r"(?:-|–|—|to|until|till|and)"
_AMPM = r"(?:\.[Mm]\.|\.[Mm]\b|[Mm]\b)"  # "pm", "p.m.", "p.m"; not the full stop after "pm."
_AMPM1 = rf"(?P<c_ap>[AaPp]){_AMPM}"
_AMPM2 = rf"(?P<c_ap2>[AaPp]){_AMPM}"
_AMPMR = rf"(?P<r_ap>[AaPp]){_AMPM}"
_NOT_AFTER_NUMBER = r"(?<![\d.:,/])"
_MONTH_LEADS = (
    r"in|during|since|until|till|by|from|through|throughout|of|last|next|this|early|late|mid"
    r"|(?:the\s+)?(?:end|beginning|start)\s+of"
)
_YEAR_LEADS = (
    r"in|during|since|until|till|by|from|before|after|early|late|mid"
    r"|(?:the\s+)?(?:end|beginning|start)\s+of"
)

# Every atom starts a word, and a word can only start an atom if it is a digit or one of these
# (a prefix test): the gate keeps the alternation from being tried at every position.
_GATE_WORDS = (
    prefix_gate(
        {
            *(w[:3] for w in MONTHS),
            *(w[:3] for w in WEEKDAYS),
            *("during", "since", "until", "till", "from", "through", "last", "next", "this"),
            *("early", "late", "mid", "end", "beginning", "start", "before", "after"),
            *("yesterday", "today", "tonight", "tomorrow", "past", "coming", "morning"),
            *("afternoon", "evening", "overnight", "night", "dawn", "daybreak", "dusk", "noon"),
            *("small", "several", "three", "four", "five", "seven", "eight", "nine", "eleven"),
            *("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"),
            *("nineteen", "twenty", "thirty", "forty", "fifty"),
        },
        {
            "in",
            "of",
            "by",
            "a",
            "an",
            "the",
            "that",
            "wee",
            "day",
            "one",
            "two",
            "six",
            "ten",
            "few",
        },
    )
)
_GATE = rf"(?<!\w)(?=\d|{_GATE_WORDS})"

_ATOM_RE = re.compile(
    _GATE
    + rf"""(?:
    (?P<iso>(?<![\d-])(?P<iso_y>{YEAR_RE})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])(?![\d-]))
   |(?P<num>(?<![\d/.-])(?P<num_a>\d{{1,2}})(?P<num_sep>[/.-])(?P<num_b>\d{{1,2}})(?P=num_sep)
        (?P<num_y>{YEAR_RE})(?!\d|[/.-]\d))
   |(?P<wda>(?P<wda_w>{WEEKDAY_ABBR_RE}),?
        (?=\s+(?:{DAY_RE}{ORDINAL_RE}?\s+{MONTH_RE}|{MONTH_RE}\s+{DAY_RE}(?!\d))))
   |(?P<md>(?P<md_mon>{MONTH_RE})\s*(?P<md_day>{DAY_RE})(?:{ORDINAL_RE})?(?![\w]|[.,:]\d)
        (?:,?\s+(?P<md_year>{YEAR_RE})(?!\d))?)
   |(?P<dm>(?<![\d.,:/])(?P<dm_day>{DAY_RE})(?:{ORDINAL_RE})?\s+(?:of\s+)?(?P<dm_mon>{MONTH_RE})
        (?:,?\s+(?P<dm_year>{YEAR_RE})(?!\d))?)
   |(?P<my>(?P<my_mon>{MONTH_RE}),?\s+(?P<my_year>{YEAR_RE})(?!\d))
   |(?P<mon>(?i:\b(?P<mon_lead>{_MONTH_LEADS})(?:\s+|-))(?:(?i:(?P<mon_mod>early|late|mid))(?:\s+|-))?
        (?P<mon_mon>{MONTH_RE})(?!\.?\s*\d|['’]s\b))
   |(?P<yr>(?i:\b(?P<yr_lead>{_YEAR_LEADS})(?:\s+|-))(?P<yr_year>{YEAR_RE})
        (?![\d%]|[.,]\d|\s*[-–]\s*\d|\s*(?i:per\s*cent|percent)))
   |(?P<wd>(?P<wd_w>{WEEKDAY_RE})(?P<wd_poss>['’]s\b)?)
   |(?P<rel>(?i:\b(?:(?:the\s+)?day\s+before\s+yesterday|(?:the\s+)?day\s+after\s+tomorrow
        |yesterday|today|tonight|tomorrow|last\s+night|(?:this|last)\s+(?:morning|afternoon|evening))\b))
   |(?P<per>(?i:\b(?:(?P<per_det>this\s+coming|this\s+past|this|last|next|past|coming)\s+
        (?P<per_unit>weekend|week|month|year)|(?P<per_the>the|that)\s+weekend)\b)(?![-–]))
   |(?P<ago>(?i:\b(?P<ago_n>{NUMBER_RE})\s+(?P<ago_unit>minute|hour|day|week|month|year)s?\s+
        (?P<ago_dir>ago|earlier|later|before|after|previously)\b))
   |(?P<pod>(?i:\b(?:the\s+)?(?P<pod_w>(?:early|small|wee)\s+hours
        |(?:early|late|mid)[-\s]?(?:morning|afternoon|evening|night)
        |morning|afternoon|evening|overnight|night|dawn|daybreak|dusk|nightfall|midnight|noon
        |midday|mid-day)\b))
   |(?P<c>{_NOT_AFTER_NUMBER}(?P<c_h>1[0-2]|0?[1-9])(?:[.:](?P<c_m>[0-5]\d))?\s*{_AMPM1}
        (?:\s*(?P<c_tz>{TZ_RE}))?
        (?:\s*{_DASH}\s*(?P<c_h2>1[0-2]|0?[1-9])(?:[.:](?P<c_m2>[0-5]\d))?\s*{_AMPM2})?)
   |(?P<r>{_NOT_AFTER_NUMBER}(?P<r_h>1[0-2]|0?[1-9])(?:[.:](?P<r_m>[0-5]\d))?\s*{_DASH}\s*
        (?P<r_h2>1[0-2]|0?[1-9])(?:[.:](?P<r_m2>[0-5]\d))?\s*{_AMPMR})
   |(?P<h>{_NOT_AFTER_NUMBER}(?P<h_h>[01]?\d|2[0-3]):(?P<h_m>[0-5]\d)(?::(?P<h_s>[0-5]\d))?
        (?![\d:]|\s*{AMPM_RE})(?:\s*(?:hrs\b|h\b))?(?:\s*(?P<h_tz>{TZ_RE}))?)
   |(?P<m>{_NOT_AFTER_NUMBER}(?P<m_h>[01]\d|2[0-3])(?P<m_m>[0-5]\d)
        \s*(?:(?:hrs\b|h\b)(?:\s*(?P<m_tz1>{TZ_RE}))?|(?P<m_tz>{TZ_RE})))
   |(?P<dt>{_NOT_AFTER_NUMBER}(?P<d_h>[01]?\d|2[0-3])\.(?P<d_m>[0-5]\d)
        \s*(?:(?:hrs\b|h\b)(?:\s*(?P<d_tz1>{TZ_RE}))?|(?P<d_tz>{TZ_RE})))
    )""",
    re.VERBOSE,
)


def _unverbose(pattern: str) -> str:
    """A ``re.VERBOSE`` pattern without the whitespace that mode ignores (it has no comments)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            end = class_end(pattern, i) + 1
            out.append(pattern[i:end])
            i = end
            continue
        if ch == "#":  # pragma: no cover
            raise ValueError("a comment in the pattern")
        if not ch.isspace():
            out.append(ch)
        i += 1
    return "".join(out)


def _fast_form(pattern: str) -> str:
    """``pattern`` (Unicode mode, not verbose) in the fast form of ``_fastre.fast_form``: a
    case-insensitive first letter becomes the class of all it matches, ``(?-i:[sSſ])``."""
    return fast_form(pattern, UNICODE_FOLDS)


# The scan matches with the fast form (tests/test_times_speed.py compares it with _ATOM_RE).
_ATOM_FAST = re.compile(_fast_form(_unverbose(_ATOM_RE.pattern)))

# Little words written in front of an atom, read right to left one at a time.
_PREFIX_WORDS = r"""as\s+of|as\s+early\s+as|as\s+late\s+as|this\s+coming|this\s+past|a\s+little
    |some\s+time|until|till|til|through|throughout|thru|since|by|before|after|from|between
    |around|about|approximately|approx\.|roughly|circa|nearly|almost|some
    |sometime|just|shortly|soon|right|immediately|late|early|later|earlier|mid|last|next|this
    |coming|past|on|at|in|during|over"""
_PREFIX_RE = re.compile(rf"(?i)\b(?P<w>{_PREFIX_WORDS})(?:\s+|(?<=mid)-)$", re.VERBOSE)
_PREFIX_WINDOW = 24
# The last word of each little word above ("as of" -> "of"): what a window must end with.
_PREFIX_LAST_WORDS = frozenset(w.split("\\s+")[-1].strip() for w in _PREFIX_WORDS.split("|"))
# Last words that only a one-word little word ends with: "on", not "coming" ("this coming").
_PREFIX_SINGLE_WORDS = _PREFIX_LAST_WORDS - {
    w.split("\\s+")[-1].strip() for w in _PREFIX_WORDS.split("|") if "\\s+" in w
}
_POSSESSIVE_PREFIXES = frozenset(
    {"last", "next", "this", "coming", "past", "this coming", "this past", "late", "early"}
)
_GAP_RE = re.compile(r"[ \t,()\u00a0]{0,4}(?P<of>of[ \t]+)?")
_SUFFIX_RE = re.compile(r"(?i)\s*(?:\(?local\s+time\)?|onwards?\b)")
_CLOSE_RE = re.compile(r"[ \t]?\)")
_CLAUSE_BOUNDARY_RE = re.compile(r"[.!?;:](?=\s)|[,\"“”\n]")
# Boundaries are single characters: the greedy ``.*`` backs off to the last one.
_LAST_CLAUSE_BOUNDARY_RE = re.compile(rf"(?s:.*)(?:{_CLAUSE_BOUNDARY_RE.pattern})")
_FUTURE_CUE_RE = re.compile(
    r"""(?ix)\b(?:will|won['’]t|shall|would|wouldn['’]t|next|upcoming|this\s+coming
    |(?:is|are|was|were)\s+(?:to|due|set\s+to|scheduled\s+to|expected\s+to|slated\s+to
        |planned\s+to|planning\s+to|going\s+to)
    |due\s+(?:on|by|back|to\s+(?!the\b|a\b|an\b|heavy\b|poor\b|bad\b|his\b|her\b|their\b|its\b)\w+)
    |expected\s+to|plans?\s+to|scheduled)\b|['’]ll\b"""
)
_CLAUSE_WINDOW = 160

_ROLE_WORDS: dict[str, Role] = {
    "until": "until",
    "till": "until",
    "til": "until",
    "through": "through",
    "throughout": "through",
    "thru": "through",
    "since": "since",
    "from": "since",
    "by": "by",
    "before": "before",
    "after": "after",
}
_APPROX_WORDS = frozenset(
    {
        "around",
        "about",
        "approximately",
        "approx.",
        "roughly",
        "circa",
        "nearly",
        "almost",
        "some",
        "sometime",
        "some time",
    }
)
_PRECISE_WORDS = frozenset({"just", "shortly", "soon", "right", "immediately", "a little"})
_MODIFIER_WORDS = {"late": "late", "early": "early", "mid": "mid"}

_SLOT_DAY = "day"
_SLOT_WEEKDAY = "weekday"
_SLOT_PART = "part"
_SLOT_CLOCK = "clock"
_SLOT_OFFSET = "offset"
_SLOT_COARSE = "coarse"


class _Atom:
    """One atom. A plain class whose defaults are class attributes: an atom sets only the few
    fields its kind has (a dataclass's __init__ set all nineteen, a tenth of the scan)."""

    kind: str
    start: int
    end: int
    pstart: int = 0
    words: list[str]  # set by _extend_prefix
    slot: str = ""
    # parsed fields
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    possessive: bool = False
    word: str = ""  # rel word, part of day, period unit, month lead...
    det: str = ""  # period determiner / month modifier
    clock: tuple[int, int, int | None] | None = None  # (hour, minute, second)
    clock2: tuple[int, int] | None = None  # end of a range
    hour_only: bool = False
    tz: str | None = None
    count: tuple[int, int] = (0, 0)
    unit: str = ""

    def __init__(self, kind: str, start: int, end: int) -> None:
        self.kind, self.start, self.end = kind, start, end


# ---------------------------------------------------------------------------------------------
# Public helpers
# ---------------------------------------------------------------------------------------------


def resolve_weekday(weekday: int, reference: date, direction: Direction) -> date:
    """The date of ``weekday`` (0 = Monday) relative to ``reference``.

    ``past``: the most recent one on or before the reference; ``future``: the first one on or
    after it; ``nearest``: whichever is closer (the past one on a tie).
    """
    back = (reference.weekday() - weekday) % 7
    ahead = (weekday - reference.weekday()) % 7
    if direction == "past" or (direction == "nearest" and back <= ahead):
        return reference - timedelta(days=back)
    return reference + timedelta(days=ahead)


def find_times(
    text: str,
    reference: date | None,
    anchor: Literal["document", "consensus"] = "document",
    deadline: float | None = None,
    offset: int = 0,
) -> list[TimeMatch]:
    """Every time expression in ``text``, left to right, non-overlapping. Past ``deadline`` (a
    ``time.monotonic()`` value) it raises ``ScanTimeout``. ``offset`` is added to every start
    and end: ``text`` is cut at that offset from a longer text the matches should point into."""
    enc = placeholder_text(text)  # for the RE2 scan and the future cues' prefilter
    atoms = _scan(text, deadline, enc)
    out: list[TimeMatch] = []
    for i, group in enumerate(_group(text, atoms)):
        if deadline is not None and i % 256 == 255 and time.monotonic() > deadline:
            raise ScanTimeout
        try:
            match = _resolve(text, group, reference, anchor, offset, enc)
        except (ValueError, OverflowError):  # a date outside datetime's range
            match = None
        if match is not None:
            out.append(match)
    return out


# ---------------------------------------------------------------------------------------------
# Scanning: atoms
# ---------------------------------------------------------------------------------------------


def _int(s: str | None) -> int | None:
    return int(s) if s else None


def _hour24(hour: int, ampm: str) -> int:
    hour %= 12
    return hour + 12 if ampm.lower() == "p" else hour


def _make_atom(text: str, m: re.Match[str]) -> _Atom | None:
    # The kinds by how often they come (most atoms are weekdays, years, parts of the day);
    # groups are read by number.
    kind = m.lastgroup or ""
    start, end = m.span()
    a = _Atom(kind, start, end)
    g = m.group
    if kind == "wd":
        a.slot = _SLOT_WEEKDAY
        word = g(_G_WD_W)
        n = _WEEKDAY_FORMS.get(word)
        a.weekday = weekday_number(word) if n is None else n
        a.possessive = m.start(_G_WD_POSS) >= 0  # the group is never empty
        if _weekday_is_name(text, start, end):
            return None
    elif kind == "yr":
        a.slot, a.year = _SLOT_COARSE, int(g(_G_YR_YEAR))
        a.word = _lead_word(g(_G_YR_LEAD))
    elif kind == "pod":
        raw = g(_G_POD_W)
        word = _POD_WORDS.get(raw) or _pod_word(raw)
        a.word = word
        a.slot = _SLOT_CLOCK if word in ("midnight", "noon") else _SLOT_PART
        if word == "noon":
            a.clock = (12, 0, None)
    elif kind == "per":
        a.slot = _SLOT_COARSE
        if g("per_the"):
            a.det, a.unit = g("per_the").lower(), "weekend"
        else:
            a.det, a.unit = " ".join(g("per_det").lower().split()), g("per_unit").lower()
    elif kind == "iso":
        a.slot, a.year, a.month, a.day = (
            _SLOT_DAY,
            int(g("iso_y")),
            int(g("iso_m")),
            int(g("iso_d")),
        )
    elif kind == "num":
        first, second = int(g("num_a")), int(g("num_b"))
        if second > 12 >= first:  # "11/27/2015": month first
            first, second = second, first
        if second > 12 or first < 1 or second < 1:
            return None
        a.slot, a.year, a.month, a.day = _SLOT_DAY, int(g("num_y")), second, first
    elif kind in ("md", "dm"):
        a.slot = _SLOT_DAY
        a.month = month_number(g(kind + "_mon"))
        a.day = int(g(kind + "_day"))
        a.year = _int(g(kind + "_year"))
    elif kind == "my":
        a.slot, a.month, a.year = _SLOT_COARSE, month_number(g("my_mon")), int(g("my_year"))
    elif kind == "mon":
        a.slot, a.month = _SLOT_COARSE, month_number(g("mon_mon"))
        lead = " ".join(g("mon_lead").lower().split()).removeprefix("the ")
        if g("mon_mon").lower() == "may" and lead in ("by", "from", "of", "through", "throughout"):
            return None  # "by May" is as likely Theresa May as the month
        a.word, a.det = lead, (g("mon_mod") or "").lower()
    elif kind == "wda":
        a.slot = _SLOT_WEEKDAY
        a.weekday = weekday_number(g("wda_w"))
    elif kind == "rel":
        a.slot = _SLOT_DAY
        a.word = " ".join(g("rel").lower().split()).removeprefix("the ")
    elif kind == "ago":
        a.count = count_range(g("ago_n"))
        a.unit = g("ago_unit").lower()
        a.word = g("ago_dir").lower()
        a.slot = _SLOT_COARSE if a.word in ("ago", "previously") else _SLOT_OFFSET
    elif kind == "c":
        a.slot = _SLOT_CLOCK
        a.clock = (_hour24(int(g("c_h")), g("c_ap")), int(g("c_m") or 0), None)
        a.hour_only = g("c_m") is None
        a.tz = _tz(g("c_tz"))
        if g("c_h2"):
            a.clock2 = (_hour24(int(g("c_h2")), g("c_ap2")), int(g("c_m2") or 0))
            a.hour_only = False
    elif kind == "r":
        a.slot = _SLOT_CLOCK
        ampm = g("r_ap")
        h1, h2 = int(g("r_h")), int(g("r_h2"))
        end2 = (_hour24(h2, ampm), int(g("r_m2") or 0))
        start_h = _hour24(h1, ampm)
        if (start_h, int(g("r_m") or 0)) > end2:  # "11 to 1 pm": the first is the morning
            start_h = _hour24(h1, "a")
        a.clock, a.clock2 = (start_h, int(g("r_m") or 0), None), end2
    elif kind == "h":
        a.slot = _SLOT_CLOCK
        a.clock = (int(g("h_h")), int(g("h_m")), _int(g("h_s")))
        a.tz = _tz(g("h_tz"))
    elif kind == "m":
        a.slot = _SLOT_CLOCK
        a.clock = (int(g("m_h")), int(g("m_m")), None)
        a.tz = _tz(g("m_tz") or g("m_tz1"))
    elif kind == "dt":
        a.slot = _SLOT_CLOCK
        a.clock = (int(g("d_h")), int(g("d_m")), None)
        a.tz = _tz(g("d_tz") or g("d_tz1"))
    else:  # pragma: no cover - every alternative is named
        return None
    return a


_G_WD_W, _G_WD_POSS = _ATOM_RE.groupindex["wd_w"], _ATOM_RE.groupindex["wd_poss"]
_G_YR_YEAR, _G_YR_LEAD = _ATOM_RE.groupindex["yr_year"], _ATOM_RE.groupindex["yr_lead"]
_G_POD_W = _ATOM_RE.groupindex["pod_w"]
# A weekday as WEEKDAY_RE writes it ("Monday", "MONDAY") -> its number, without lower().
_WEEKDAY_FORMS = {form: n for w, n in WEEKDAYS.items() for form in (w.capitalize(), w.upper())}


def _lead_word(lead: str) -> str:
    """The lead word of a year or month, lower-cased and single-spaced, "the " dropped."""
    low = lead.lower()
    if low.isalpha():  # one word: nothing to join or drop
        return low
    return " ".join(low.split()).removeprefix("the ")


def _pod_word(raw: str) -> str:
    """A part of the day as written -> its name in PARTS_OF_DAY or "midnight"/"noon"."""
    word = " ".join(raw.lower().replace("-", " ").split())
    if word in ("mid day",):
        word = "midday"
    word = PART_ALIASES.get(word, word)
    if len(_POD_WORDS) < 1024:  # few spellings: the cache keeps their names
        _POD_WORDS[raw] = word
    return word


_POD_WORDS: dict[str, str] = {}


def _tz(s: str | None) -> str | None:
    if not s:
        return None
    return re.split(r"[\s+-]", s, maxsplit=1)[0]


_WORD_BEFORE_RE = re.compile(r"(\w+)\W{1,2}$")
_WORD_AFTER_RE = re.compile(r"\s+(\w+)")
# The words of WEEKDAY_NAME_BEFORE anywhere: the lower-cased window must hold one for the word
# before the weekday to be one.
_NAME_BEFORE_HINT = re.compile("|".join(map(re.escape, sorted(WEEKDAY_NAME_BEFORE))))


def _weekday_is_name(text: str, start: int, end: int) -> bool:
    """ "Sunday Times", "Mail on Sunday", "Bloody Sunday", "every Tuesday"."""
    lo = max(0, start - 20)
    # the word before is one of a few: unless one is in the window, there is nothing to find
    if _NAME_BEFORE_HINT.search(text[lo:start].lower()):
        before = _WORD_BEFORE_RE.search(text, lo, start)
        if before and before.group(1).lower() in WEEKDAY_NAME_BEFORE:
            return True
    if text[max(0, start - 8) : start].lower() == "mail on ":
        return True
    after = _WORD_AFTER_RE.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    return word.lower() in WEEKDAY_NOUNS or (
        word[:1].isupper() and word.lower() in WEEKDAY_NAME_AFTER
    )


# Where an atom may start, for the RE2 pre-scan (``_scan``): each alternative of _ATOM_RE cut
# to its first words, lookarounds dropped, so it matches wherever an atom can start (a superset).
# The scan reads non-ASCII characters as "?": a Unicode digit may start an atom, a Unicode space
# may separate its words (the stdlib's \d and \s are Unicode).
_S = r"[\s\x0b\x1c-\x1f?]"
_D = r"[0-9?]"

# Where a future cue may be (RE2 on placeholder text, a superset): the stdlib search tries its
# alternation at every position of the clause, RE2 rules most clauses out at a fraction of that.
_FUTURE_CUE_PRE = Prefilter(
    rf"(?i)\b(?:will|won['?]t|shall|would|next|upcoming|this{_S}+coming"
    rf"|(?:is|are|was|were){_S}+(?:to|due|set|scheduled|expected|slated|planned|planning|going)"
    rf"|due{_S}+(?:on|by|back|to)|expected{_S}+to|plans?{_S}+to|scheduled)|['?]ll"
)


def _re2_form(fragment: str) -> str:
    return fragment.replace(r"\s", _S).replace(r"\d", _D)


_MONTH_WORD = rf"(?:{MONTH_FULL_RE}|{MONTH_ABBR_RE})"
# "two days ago": a count starts an atom only with its unit and direction.
_AGO_TAIL = (
    rf"(?i:(?:minute|hour|day|week|month|year)s?{_S}+"
    rf"(?:ago|earlier|later|before|after|previously))"
)
# A number starts an atom only when what follows makes it a date, a clock time or an offset:
# "27/11", "2015-11-27", "12:30", "19.41 hrs", "7.40pm", "7-9 pm", "1600 GMT", "13 November",
# "3rd of May", "two days ago" (an ASCII digit; a Unicode one is a "?" candidate anyway).
_DIGIT_ATOM = (
    rf"\b[0-9][0-9?]{{0,3}}(?:[-/.:–—]"
    rf"|(?:st|nd|rd|th)?{_S}+(?:of{_S}+)?{_MONTH_WORD}"
    rf"|{_S}*(?:[AaPp]\.?[Mm]|[A-Z]|hrs|h\b|-|–|—|to|until|till|and)"
    rf"|{_S}+{_AGO_TAIL})"
)
_ATOM_STARTS = "|".join([
    _DIGIT_ATOM,
    rf"\b(?:{_MONTH_WORD}|{WEEKDAY_RE}|{WEEKDAY_ABBR_RE})",
    rf"\b(?i:{_re2_form(_MONTH_LEADS)})(?:{_S}+|-)(?:(?i:early|late|mid)(?:{_S}+|-))?{_MONTH_WORD}",
    rf"\b(?i:{_re2_form(_YEAR_LEADS)})(?:{_S}+|-)(?:19|20)",
    rf"\b(?i:(?:the{_S}+)?day{_S}+(?:before|after)|yesterday|today|tonight|tomorrow"
    rf"|last{_S}+night|(?:this|last){_S}+(?:morning|afternoon|evening))",
    rf"\b(?i:(?:this{_S}+coming|this{_S}+past|this|last|next|past|coming){_S}+"
    rf"(?:weekend|week|month|year)|(?:the|that){_S}+weekend)",
    rf"\b(?i:{_re2_form(NUMBER_RE)}){_S}+{_AGO_TAIL}",
    # a part of the day; "early", "late", "mid" only before one ("early signs" is none)
    rf"\b(?i:(?:the{_S}+)?(?:(?:early|small|wee){_S}+hours"
    rf"|(?:early|late|mid)(?:-|{_S})?(?:morning|afternoon|evening|night)|morning|afternoon"
    rf"|evening|overnight|night|dawn|daybreak|dusk|nightfall|midnight|noon|midday|mid-day))",
])



# a non-ASCII character starts an atom only if it is a digit (RE2 reports every one)
_SCANNER = Scanner(_ATOM_FAST, _ATOM_STARTS, non_ascii_start=str.isdecimal)


def _scan(text: str, deadline: float | None = None, enc: bytes | None = None) -> list[_Atom]:
    atoms: list[_Atom] = []
    floor = 0
    if enc is None:
        enc = placeholder_text(text)
    for m in _SCANNER.finditer(text, deadline, enc):
        atom = _make_atom(text, m)
        if atom is None:
            continue
        _extend_prefix(text, atom, floor)
        floor = atom.end
        atoms.append(atom)
    return atoms


def _extend_prefix(text: str, atom: _Atom, floor: int) -> None:
    pos = atom.start
    words: list[str] = []
    for _ in range(5):
        lo = pos - _PREFIX_WINDOW
        found = _prefix_before(text, floor if lo < floor else lo, pos)
        if found is None:
            break
        word, start = found
        if atom.possessive and word not in _POSSESSIVE_PREFIXES:
            break
        if word == "over" and atom.kind != "per":  # "got over at midnight"
            break
        if words and words[0] in _ROLE_WORDS and word not in _PRECISE_WORDS:
            break  # only "just/shortly" go before "until/after": not "went on throughout"
        if words and words[0] in _PRECISE_WORDS:
            break
        words.insert(0, word)
        pos = start
    atom.pstart = pos
    atom.words = words
    if atom.kind in ("mon", "yr"):
        atom.words = [*words, atom.word]


def _prefix_before(text: str, lo: int, pos: int) -> tuple[str, int] | None:
    """``_PREFIX_RE.search(text, lo, pos)`` as (its little word, lower-cased and single-spaced;
    where it starts), mostly without the search. A match ends with a little word and spaces,
    or with "mid-": the window must end in a letter and spaces ("." for "approx."), and a plain
    ASCII last word must be one of the little words' last words; most windows end in another
    word, a number or a full stop. A last word that only a one-word little word ends with
    ("on", "until") is the match, when a space before it gives the ``\b``."""
    window = text[lo:pos]
    stripped = window.rstrip()
    if not stripped:
        return None
    last = stripped[-1]
    if last != "-":  # "mid-" (or "mid-\n": ``$`` matches before a final newline) is searched
        if len(stripped) == len(window):
            return None
        if not last.isalpha():
            if last != "." or stripped[-7:].lower() != "approx.":
                return None
        else:
            space = stripped.rfind(" ")
            word = stripped[space + 1 :]
            if word.isascii() and word.isalpha():
                word = word.lower()
                if word not in _PREFIX_LAST_WORDS:
                    return None
                if space >= 0 and word in _PREFIX_SINGLE_WORDS:
                    return word, lo + space + 1
    m = _PREFIX_RE.search(text, lo, pos)
    return None if m is None else (" ".join(m.group("w").lower().split()), m.start())


# ---------------------------------------------------------------------------------------------
# Grouping: adjacent atoms that form one expression
# ---------------------------------------------------------------------------------------------


def _role_of(words: list[str]) -> str | None:
    for w in words:
        if w in _ROLE_WORDS:
            return w
    return None


def _can_join(group: list[_Atom], atom: _Atom) -> bool:
    if atom.slot in (_SLOT_COARSE, _SLOT_OFFSET):
        return False
    slots = [a.slot for a in group]
    if _SLOT_COARSE in slots:
        return False
    if _SLOT_OFFSET in slots and (len(group) > 1 or atom.slot not in (_SLOT_DAY, _SLOT_WEEKDAY)):
        return False
    if atom.slot == _SLOT_CLOCK:
        clocks = [a for a in group if a.slot == _SLOT_CLOCK]
        if clocks:
            # "just before midnight (1600 GMT)": a universal time beside a local one.
            universal = [a.tz in UNIVERSAL_TIMEZONES for a in (*clocks, atom)]
            if len(clocks) > 1 or sum(universal) != 1:
                return False
    elif atom.slot in slots:
        return False
    if atom.slot == _SLOT_PART and any(a.kind == "rel" and _rel_part(a.word) for a in group):
        return False  # "last night" already has its part of the day
    if atom.kind == "rel" and _rel_part(atom.word) and _SLOT_PART in slots:
        return False
    if _role_of(atom.words) and any(_role_of(a.words) for a in group):
        return False
    return not (atom.possessive or group[-1].possessive)


def _starts_sentence(text: str, atom: _Atom) -> bool:
    """A capitalised little word ("Around 1.10 pm") after a dateline starts a new sentence."""
    if not atom.words:
        return False
    head = text[atom.pstart : atom.pstart + 2]
    return len(head) == 2 and head[0].isupper() and head[1].islower()


def _open_bracket(text: str, start: int, end: int) -> bool:
    inner = text[start:end]
    return inner.count("(") > inner.count(")")


def _group(text: str, atoms: list[_Atom]) -> list[list[_Atom]]:
    groups: list[list[_Atom]] = []
    for atom in atoms:
        if groups:
            last = groups[-1]
            lo, hi = last[-1].end, atom.pstart
            # at most four characters, then "of": a longer gap holds "of" in its first six
            if hi - lo > 6 and text.find("of", lo, lo + 6) < 0:
                groups.append([atom])
                continue
            gap = _GAP_RE.fullmatch(text, lo, hi)
            if (
                gap is not None
                and (")" not in gap.group(0) or _open_bracket(text, last[0].pstart, last[-1].end))
                # "the early hours of Friday", "the night of December 28"
                and (gap.group("of") is None or last[-1].slot in (_SLOT_PART, _SLOT_CLOCK))
                and not _starts_sentence(text, atom)
                and _can_join(last, atom)
            ):
                last.append(atom)
                continue
        groups.append([atom])
    return groups


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _rel_part(word: str) -> str | None:
    if word == "last night" or word == "tonight":
        return "night"
    for part in ("morning", "afternoon", "evening"):
        if word.endswith(part):
            return part
    return None


def _rel_day(word: str, ref: date) -> date:
    if word in ("yesterday", "last night") or word.startswith("last "):
        return ref - timedelta(days=1)
    if word == "tomorrow":
        return ref + timedelta(days=1)
    if word == "day before yesterday":
        return ref - timedelta(days=2)
    if word == "day after tomorrow":
        return ref + timedelta(days=2)
    return ref  # today, tonight, this morning


def _nearest_year(month: int, day: int, ref: date, future: bool = False) -> date | None:
    """The year that puts month/day in [ref - 300 d, ref + 60 d] ([ref - 60 d, ref + 300 d]
    with a future cue), else the nearest one (the past one on a tie)."""
    lo, hi = (
        (FUTURE_WINDOW_DAYS, PAST_WINDOW_DAYS) if future else (PAST_WINDOW_DAYS, FUTURE_WINDOW_DAYS)
    )
    best: tuple[int, int, date] | None = None
    for spread in (1, 4):
        for year in range(ref.year - spread, ref.year + spread + 1):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            delta = (d - ref).days
            if -lo <= delta <= hi:
                return d
            key = (abs(delta), 1 if delta > 0 else 0, d)
            if best is None or key < best:
                best = key
        if best is not None:
            return best[2]
    return None


def _month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + n
    return idx // 12, idx % 12 + 1


def _month_interval(year: int, month: int, modifier: str) -> tuple[datetime, datetime]:
    start = _month_start(year, month)
    ny, nm = _add_months(year, month, 1)
    end = _month_start(ny, nm)
    last = calendar.monthrange(year, month)[1]
    if modifier in ("early", "beginning of", "start of"):
        end = start + timedelta(days=15)
    elif modifier == "mid":
        start, end = start + timedelta(days=7), start + timedelta(days=23)
    elif modifier in ("late", "end of"):
        start = start + timedelta(days=min(15, last - 1))
    return start, end


def _year_interval(year: int, modifier: str) -> tuple[datetime, datetime]:
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    if modifier in ("early", "beginning of", "start of"):
        end = datetime(year, 7, 1)
    elif modifier == "mid":
        start, end = datetime(year, 4, 1), datetime(year, 10, 1)
    elif modifier in ("late", "end of"):
        start = datetime(year, 7, 1)
    return start, end


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _weekend(ref: date, direction: str) -> date:
    """The Saturday of the weekend meant."""
    wd = ref.weekday()
    prev_sat = ref - timedelta(days=(wd - 5) % 7)
    next_sat = ref + timedelta(days=(5 - wd) % 7)
    in_weekend = wd >= 5
    if direction == "last":
        return prev_sat - timedelta(days=7) if in_weekend else prev_sat
    if direction == "next":
        return prev_sat + timedelta(days=7) if in_weekend else next_sat
    if in_weekend or direction == "past":
        return prev_sat
    if direction == "future":
        return next_sat
    return prev_sat if wd <= 2 else next_sat  # nearest


def _clause_has_future_cue(text: str, start: int, enc: bytes | None = None) -> bool:
    """``enc``: ``placeholder_text(text)``, for a prefilter that rules out most clauses."""
    lo = max(0, start - _CLAUSE_WINDOW)
    # the clause starts after the last boundary: one backtracking match finds it in C
    last = _LAST_CLAUSE_BOUNDARY_RE.match(text, lo, start)
    seg_start = lo if last is None else last.end()
    if enc is not None and not _FUTURE_CUE_PRE.may_match(enc, seg_start, start):
        return False
    return _FUTURE_CUE_FAST(text, seg_start, start) is not None


# _FUTURE_CUE_RE in the fast form (tests/test_times_speed2.py compares the two)
_FUTURE_CUE_FAST = re.compile(
    _fast_form(f"(?i:{_unverbose(_FUTURE_CUE_RE.pattern.removeprefix('(?ix)'))})")
).search


def _direction(
    words: list[str], possessive: bool, future_clause: Callable[[], bool], onward: bool
) -> str:
    """past | future | nearest | last (strictly past) | next (strictly future)."""
    if not words:  # none of the words below: possessive, or the clause decides
        return "past" if possessive or not future_clause() else "future"
    ws = set(words)
    if "next" in ws:
        return "next"
    if ws & {"last", "past", "this past"}:
        return "last"
    if ws & {"coming", "this coming"}:
        return "future"
    if "this" in ws:
        return "nearest"
    if possessive:
        return "past"
    if ws & {"until", "till", "til", "by"}:
        return "future"
    if "since" in ws:
        return "past"
    if "from" in ws and onward:
        return "future"
    return "future" if future_clause() else "past"


def _future_date(words: list[str], future_clause: Callable[[], bool]) -> bool:
    """A year-less date with "until/by/next" in front or a future cue in its clause looks ahead."""
    ws = set(words)
    if ws & {"since", "last", "past", "this past"}:
        return False
    return bool(ws & {"until", "till", "til", "by", "next", "coming", "this coming"}) or (
        future_clause()
    )


def _weekday_date(weekday: int, ref: date, direction: str) -> date:
    if direction == "next":
        return resolve_weekday(weekday, ref + timedelta(days=1), "future")
    if direction == "last":
        return resolve_weekday(weekday, ref - timedelta(days=1), "past")
    return resolve_weekday(weekday, ref, direction)  # type: ignore[arg-type]


def _tolerance(clock: tuple[int, int, int | None]) -> tuple[timedelta, timedelta]:
    if clock[2] is not None:
        return SECOND_TOLERANCE
    return ROUND_CLOCK_TOLERANCE if clock[1] % 5 == 0 else EXACT_CLOCK_TOLERANCE


@dataclass(slots=True)
class _Resolved:
    start: datetime | None
    end: datetime | None
    granularity: Granularity
    relative: bool
    role: Role = "point"
    weekday: int | None = None
    unresolvable: bool = False  # relative to something other than the reference date


def _resolve(
    text: str,
    group: list[_Atom],
    ref: date | None,
    anchor: Literal["document", "consensus"],
    offset: int = 0,
    enc: bytes | None = None,
) -> TimeMatch | None:
    start = group[0].pstart
    end = group[-1].end
    # close a bracket opened inside the expression: "Monday (Dec 23)"
    if text.find("(", start, end) >= 0 and _open_bracket(text, start, end):
        close = _CLOSE_RE.match(text, end)
        if close:
            end = close.end()
    # the suffix starts, after spaces, with "(", "l" or "o" (no other letter folds to those)
    tail = text[end : end + 16].lstrip()
    suffix = _SUFFIX_RE.match(text, end) if not tail or tail[0] in "(lLoO" else None
    onward = False
    if suffix:
        onward = "onward" in suffix.group(0).lower()
        sfx = suffix.group(0)
        if sfx.count("(") == sfx.count(")"):
            end = suffix.end()
    words = group[0].words if len(group) == 1 else [w for a in group for w in a.words]

    def future_clause() -> bool:
        return _clause_has_future_cue(text, start, enc)

    r = _resolve_group(group, words, ref, future_clause, onward)
    if r is None:
        return None
    resolved = r.start is not None and not r.unresolvable
    value_anchor: Literal["absolute", "document", "consensus", "unresolved"]
    if r.unresolvable or (r.relative and ref is None):
        value_anchor = "unresolved"
        s = e = None
    elif r.relative:
        value_anchor = anchor
        s, e = r.start, r.end
    else:
        value_anchor = "absolute"
        s, e = r.start, r.end
    if resolved and s is not None and e is not None and not s < e:
        return None
    if (ref is None or type(ref) is date) and value_anchor in _ANCHORS:
        value = _time_value(s, e, r.granularity, value_anchor, ref, r.weekday)
    else:  # validation converts or rejects what the engine does not make itself
        value = TimeValue(
            start=s,
            end=e,
            granularity=r.granularity,
            anchor=value_anchor,
            reference=ref,
            inferred=value_anchor == "consensus",
            weekday=r.weekday,
        )
    return _time_match(
        start + offset, end + offset, text[start:end], value, r.role, r.relative
    )


# Building the value and the match was a fifth of resolving a group: they are built directly,
# as numbers._make does. The value is what TimeValue(start=, end=, granularity=, anchor=,
# reference=, inferred=, weekday=) validates to when start and end are datetimes (or None) as
# _resolve_group makes them and the reference is a date or None: the same fields in model order,
# the same fields set. The match is what the frozen dataclass's __init__ makes; setting its
# slots through their descriptors skips the frozen __setattr__.
_VALUE_FIELDS = (
    "type", "start", "end", "granularity", "anchor", "reference", "inferred", "weekday"
)
_MATCH_FIELDS = ("start", "end", "text", "value", "role", "relative")
if tuple(TimeValue.model_fields) != _VALUE_FIELDS or tuple(
    f.name for f in fields(TimeMatch)
) != _MATCH_FIELDS:  # pragma: no cover - _time_value and _time_match must follow the models
    raise TypeError("TimeValue or TimeMatch changed: update _time_value and _time_match")
_ANCHORS = frozenset({"absolute", "document", "consensus", "unresolved"})
_VALUE_SET = frozenset(_VALUE_FIELDS[1:])
_new = object.__new__
_set = object.__setattr__
_tm_start, _tm_end, _tm_text, _tm_value, _tm_role, _tm_relative = (
    TimeMatch.__dict__[name].__set__ for name in _MATCH_FIELDS
)


def _time_value(
    start: datetime | None,
    end: datetime | None,
    granularity: Granularity,
    anchor: str,
    reference: date | None,
    weekday: int | None,
) -> TimeValue:
    value = _new(TimeValue)
    _set(value, "__dict__", {
        "type": "time",
        "start": start,
        "end": end,
        "granularity": granularity,
        "anchor": anchor,
        "reference": reference,
        "inferred": anchor == "consensus",
        "weekday": weekday,
    })
    _set(value, "__pydantic_fields_set__", set(_VALUE_SET))
    _set(value, "__pydantic_extra__", None)
    _set(value, "__pydantic_private__", None)
    return value


def _time_match(
    start: int, end: int, text: str, value: TimeValue, role: Role, relative: bool
) -> TimeMatch:
    match = _new(TimeMatch)
    _tm_start(match, start)
    _tm_end(match, end)
    _tm_text(match, text)
    _tm_value(match, value)
    _tm_role(match, role)
    _tm_relative(match, relative)
    return match


def _group_role(words: list[str], group: list[_Atom]) -> Role:
    if group[0].possessive if len(group) == 1 else any(a.possessive for a in group):
        return "point"
    for word in words:  # the first role word
        if word in _ROLE_WORDS:
            break
    else:
        return "point"
    role = _ROLE_WORDS[word]
    if word in ("from", "between") and any(a.clock2 for a in group):
        return "point"
    return role


def _resolve_group(
    group: list[_Atom],
    words: list[str],
    ref: date | None,
    future_clause: Callable[[], bool],
    onward: bool,
) -> _Resolved | None:
    role = _group_role(words, group) if words else "point"  # no role word: a point
    first = group[0]
    if first.slot == _SLOT_COARSE:
        r = _resolve_coarse(first, words, ref, future_clause)
        if r is not None:
            r.role = role
        return r

    if len(group) == 1:  # most groups: the one atom fills its slot
        slot = first.slot
        day_atom = first if slot == _SLOT_DAY else None
        wd_atom = first if slot == _SLOT_WEEKDAY else None
        part_atom = first if slot == _SLOT_PART else None
        clock_atom = first if slot == _SLOT_CLOCK else None
        offset_atom = first if slot == _SLOT_OFFSET else None
    else:
        by_slot = {a.slot: a for a in group}
        clocks = [a for a in group if a.slot == _SLOT_CLOCK]
        if len(clocks) > 1:  # keep the local time, drop the bracketed GMT one
            local = [a for a in clocks if a.tz not in UNIVERSAL_TIMEZONES]
            by_slot[_SLOT_CLOCK] = local[0] if local else clocks[0]
        day_atom = by_slot.get(_SLOT_DAY)
        wd_atom = by_slot.get(_SLOT_WEEKDAY)
        part_atom = by_slot.get(_SLOT_PART)
        clock_atom = by_slot.get(_SLOT_CLOCK)
        offset_atom = by_slot.get(_SLOT_OFFSET)
    weekday = wd_atom.weekday if wd_atom else None

    if words:
        ws = set(words)
        modifier = next((_MODIFIER_WORDS[w] for w in words if w in _MODIFIER_WORDS), "")
        precise = bool(ws & _PRECISE_WORDS)
        approx = bool(ws & _APPROX_WORDS)
    else:
        modifier, precise, approx = "", False, False

    # ---- the day -------------------------------------------------------------------------
    relative = False
    day: date | None = None
    part: str | None = part_atom.word if part_atom else None
    if day_atom is not None and day_atom.kind == "rel":
        relative = True
        part = part or _rel_part(day_atom.word)
        if ref is not None:
            day = _rel_day(day_atom.word, ref)
    elif day_atom is not None:
        assert day_atom.month is not None and day_atom.day is not None
        if day_atom.year is not None:
            day = date(day_atom.year, day_atom.month, day_atom.day)
        else:
            relative = True
            if ref is not None:
                future = _future_date(words, future_clause)
                day = _nearest_year(day_atom.month, day_atom.day, ref, future)
                if day is None:
                    return None
            elif not _valid_month_day(day_atom.month, day_atom.day):
                return None
    elif wd_atom is not None:
        relative = True
        if ref is not None:
            direction = _direction(words, wd_atom.possessive, future_clause, onward)
            day = _weekday_date(wd_atom.weekday or 0, ref, direction)
    has_day = day_atom is not None or wd_atom is not None

    if offset_atom is not None:
        n_lo, n_hi = offset_atom.count
        if not has_day or offset_atom.word not in ("after", "before") or n_lo != n_hi:
            return _Resolved(
                None,
                None,
                _unit_granularity(offset_atom.unit),
                True,
                role="point",
                unresolvable=True,
            )
        if day is not None:
            sign = 1 if offset_atom.word == "after" else -1
            day = _shift(day, offset_atom.unit, sign * n_lo)
        gran = _unit_granularity(offset_atom.unit)
        if day is None:
            return _Resolved(None, None, gran, relative, role="point", weekday=weekday)
        s = _midnight(day)
        return _Resolved(s, s + timedelta(days=1), "day", relative, "point", weekday)

    # ---- the time of day -----------------------------------------------------------------
    if clock_atom is not None and clock_atom.word == "midnight":
        return _resolve_midnight(day, has_day, ref, relative, role, weekday, precise, approx)

    if clock_atom is not None:
        if day is None and not has_day:
            relative = True
            day = ref
        if day is None:
            return _Resolved(None, None, _clock_granularity(clock_atom), relative, role, weekday)
        s, e = _clock_interval(day, clock_atom, part, modifier, approx, role, precise)
        if precise and role in ("before", "after"):
            role = "point"
        return _Resolved(s, e, _clock_granularity(clock_atom), relative, role, weekday)

    if not has_day:
        return None  # a part of the day alone carries no date

    key = _part_key(part, modifier)
    if key is None:
        if day is None:
            return _Resolved(None, None, "day", relative, role, weekday)
        s = _midnight(day)
        return _Resolved(s, s + timedelta(days=1), "day", relative, role, weekday)
    lo, hi = PARTS_OF_DAY[key]
    if day is None:
        return _Resolved(None, None, "part_of_day", relative, role, weekday)
    base = _midnight(day)
    return _Resolved(
        base + timedelta(minutes=lo),
        base + timedelta(minutes=hi),
        "part_of_day",
        relative,
        role,
        weekday,
    )


def _valid_month_day(month: int, day: int) -> bool:
    return day <= calendar.monthrange(2000, month)[1]


def _part_key(part: str | None, modifier: str) -> str | None:
    if part is None:
        return modifier or None
    if modifier and f"{modifier} {part}" in PARTS_OF_DAY:
        return f"{modifier} {part}"
    return part if part in PARTS_OF_DAY else None


def _clock_granularity(atom: _Atom) -> Granularity:
    if atom.clock is not None and atom.clock[2] is not None:
        return "second"
    if atom.hour_only and atom.clock2 is None:
        return "hour"
    return "minute"


def _clock_interval(
    day: date,
    atom: _Atom,
    part: str | None,
    modifier: str,
    approx: bool,
    role: Role,
    precise: bool,
) -> tuple[datetime, datetime]:
    assert atom.clock is not None
    h, mi, sec = atom.clock
    base = _midnight(day)
    key = _part_key(part, modifier)
    if key is not None:
        lo, hi = PARTS_OF_DAY[key]
        minute_of_day = h * 60 + mi
        if hi > 24 * 60 and minute_of_day < lo and minute_of_day + 24 * 60 < hi:
            base += timedelta(days=1)  # "late Thursday night at 12.30am" → Friday 00:30
    t = base + timedelta(hours=h, minutes=mi, seconds=sec or 0)
    before, after = _tolerance(atom.clock)
    if atom.clock2 is not None:
        h2, m2 = atom.clock2
        t2 = base + timedelta(hours=h2, minutes=m2)
        if t2 <= t:
            t2 += timedelta(days=1)
        before2, after2 = _tolerance((h2, m2, None))
        s, e = t - before, t2 + after2
    elif role == "after":
        s, e = t, t + AFTER_WINDOW
    elif role == "before":
        s, e = t - BEFORE_WINDOW, t
    else:
        s, e = t - before, t + after
    if approx:
        s, e = s - APPROX_EXTRA, e + APPROX_EXTRA
    return s, e


def _resolve_midnight(
    day: date | None,
    has_day: bool,
    ref: date | None,
    relative: bool,
    role: Role,
    weekday: int | None,
    precise: bool,
    approx: bool,
) -> _Resolved:
    """ "midnight on D" ends D; a lone "midnight" is the one that starts the reference day."""
    if role in ("before", "after"):
        key = "before midnight" if role == "before" else "after midnight"
        gran: Granularity = "part_of_day"
        if precise:
            role = "point"
    else:
        key, gran = "", "minute"
    if not has_day:
        relative = True
        if ref is not None:
            day = ref if key == "after midnight" else ref - timedelta(days=1)
    if day is None:
        return _Resolved(None, None, gran, relative, role, weekday)
    base = _midnight(day)
    if key:
        lo, hi = PARTS_OF_DAY[key]
        return _Resolved(
            base + timedelta(minutes=lo),
            base + timedelta(minutes=hi),
            gran,
            relative,
            role,
            weekday,
        )
    t = base + timedelta(days=1)
    tol = MIDNIGHT_TOLERANCE + (APPROX_EXTRA if approx else timedelta(0))
    return _Resolved(t - tol, t + tol, gran, relative, role, weekday)


def _unit_granularity(unit: str) -> Granularity:
    return {
        "minute": "minute",
        "hour": "hour",
        "day": "day",
        "week": "week",
        "month": "month",
        "year": "year",
    }[unit]  # type: ignore[return-value]


def _shift(d: date, unit: str, n: int) -> date:
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    if unit == "month":
        y, m = _add_months(d.year, d.month, n)
        return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
    if unit == "year":
        y = d.year + n
        return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))
    return d  # hours/minutes after a day: keep the day


def _resolve_coarse(
    atom: _Atom, words: list[str], ref: date | None, future_clause: Callable[[], bool]
) -> _Resolved | None:
    for modifier in words:  # the first modifier word, else the atom's own
        if modifier in _COARSE_MODIFIERS:
            break
    else:
        modifier = atom.det
    if atom.kind == "my":
        assert atom.year is not None and atom.month is not None
        s, e = _month_interval(atom.year, atom.month, modifier)
        return _Resolved(s, e, "month", False)
    if atom.kind == "yr":
        assert atom.year is not None
        s, e = _year_interval(atom.year, modifier)
        return _Resolved(s, e, "year", False)
    if atom.kind == "mon":
        assert atom.month is not None
        if ref is None:
            return _Resolved(None, None, "month", True)
        if atom.word in ("last", "next", "this"):
            year = _month_year_directed(atom.month, ref, atom.word)
        else:
            mid = _nearest_year(atom.month, 15, ref, _future_date(words, future_clause))
            assert mid is not None
            year = mid.year
        s, e = _month_interval(year, atom.month, atom.det or modifier)
        return _Resolved(s, e, "month", True)
    if atom.kind == "per":
        return _resolve_period(atom, words, ref, future_clause)
    if atom.kind == "ago":
        return _resolve_ago(atom, ref)
    return None


_COARSE_MODIFIERS = frozenset({"early", "late", "mid", "end of", "beginning of", "start of"})


def _month_year_directed(month: int, ref: date, det: str) -> int:
    if det == "last":
        return ref.year if month < ref.month else ref.year - 1
    if det == "next":
        return ref.year if month > ref.month else ref.year + 1
    return ref.year


def _resolve_period(
    atom: _Atom, words: list[str], ref: date | None, future_clause: Callable[[], bool]
) -> _Resolved | None:
    unit, det = atom.unit, atom.det
    gran: Granularity = unit  # type: ignore[assignment]
    if ref is None:
        return _Resolved(None, None, gran, True)
    r0 = _midnight(ref)
    if unit == "weekend":
        if det in ("last", "past", "this past"):
            direction = "last"
        elif det == "next":
            direction = "next"
        elif det in ("coming", "this coming"):
            direction = "future"
        else:
            role_words = set(words)
            if role_words & {"until", "till", "by"} or future_clause():
                direction = "future"
            elif det == "this":
                direction = "nearest"
            else:
                direction = "past"
        sat = _weekend(ref, direction)
        s = _midnight(sat)
        return _Resolved(s, s + timedelta(days=2), "weekend", True)
    step = {"last": -1, "next": 1, "coming": 1, "this coming": 1, "this": 0, "this past": -1}
    if det == "past":  # "the past week": the span up to the reference day
        days = {"week": 7, "month": 30, "year": 365}[unit]
        return _Resolved(r0 - timedelta(days=days - 1), r0 + timedelta(days=1), gran, True)
    n = step.get(det, 0)
    if unit == "week":
        s = _midnight(_week_start(ref)) + timedelta(weeks=n)
        return _Resolved(s, s + timedelta(weeks=1), "week", True)
    if unit == "month":
        y, m = _add_months(ref.year, ref.month, n)
        ny, nm = _add_months(y, m, 1)
        return _Resolved(_month_start(y, m), _month_start(ny, nm), "month", True)
    y = ref.year + n
    return _Resolved(datetime(y, 1, 1), datetime(y + 1, 1, 1), "year", True)


def _resolve_ago(atom: _Atom, ref: date | None) -> _Resolved | None:
    unit = atom.unit
    n_lo, n_hi = atom.count
    gran = _unit_granularity(unit)
    if ref is None:
        return _Resolved(None, None, gran, True)
    r0 = _midnight(ref)
    if unit in ("minute", "hour"):
        step = timedelta(hours=1) if unit == "hour" else timedelta(minutes=1)
        return _Resolved(r0 - n_hi * step, r0 + timedelta(days=1) - n_lo * step, gran, True)
    if unit == "day":
        return _Resolved(r0 - timedelta(days=n_hi), r0 - timedelta(days=n_lo - 1), "day", True)
    if unit == "week":
        monday = _midnight(_week_start(ref))
        return _Resolved(
            monday - timedelta(weeks=n_hi), monday - timedelta(weeks=n_lo - 1), "week", True
        )
    if unit == "month":
        y1, m1 = _add_months(ref.year, ref.month, -n_hi)
        y2, m2 = _add_months(ref.year, ref.month, -n_lo + 1)
        return _Resolved(_month_start(y1, m1), _month_start(y2, m2), "month", True)
    return _Resolved(
        datetime(ref.year - n_hi, 1, 1), datetime(ref.year - n_lo + 1, 1, 1), "year", True
    )
