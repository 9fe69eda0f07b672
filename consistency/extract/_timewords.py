"""Word tables and regex fragments for the time grammar in :mod:`consistency.extract.times`.

Nothing here resolves anything: it only names months, weekdays, numbers, parts of the day and
the cue words the grammar looks for, and turns them into regex fragments.
"""

from __future__ import annotations

import re

from consistency.extract._numwords import ONES, TEENS, TENS

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sept": 9,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mon": 0,
    "tues": 1,
    "tue": 1,
    "wed": 2,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

# Counts of days/weeks in relative phrases ("two days ago"): the number words of the number
# grammar up to fifty, and "a"/"an" ("a week ago").
NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    **{w: n for w, n in {**ONES, **TEENS, **TENS}.items() if 1 <= n <= 50},
}
# Vague counts: "a few days ago" covers 2..6 days back, "several" 3..7.
VAGUE_COUNTS: dict[str, tuple[int, int]] = {
    "a few": (2, 6),
    "few": (2, 6),
    "several": (3, 7),
    "a couple of": (2, 2),
    "a couple": (2, 2),
}

# Parts of the day, as [start, end) in minutes from 00:00 of the day D they are attached to.
# An end past 24*60 runs into D+1. Keys are "<modifier> <part>" or a bare part; the modifier
# comes from "late"/"early"/"mid" written in front ("late on Wednesday evening" → "late evening").
H = 60
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "early hours": (0 * H, 6 * H),  # "in the early/small/wee hours of Friday"
    "early morning": (0 * H, 6 * H),  # "early Friday morning"
    "dawn": (4 * H, 7 * H),
    "morning": (6 * H, 12 * H),
    "mid morning": (8 * H, 11 * H),
    "late morning": (9 * H, 12 * H),
    "early afternoon": (12 * H, 15 * H),
    "afternoon": (12 * H, 18 * H + 30),
    "mid afternoon": (13 * H, 17 * H),
    "late afternoon": (15 * H, 18 * H),
    "dusk": (17 * H, 20 * H),
    # parts of the day overlap at their edges: 5.40 pm is "evening" to some, "afternoon" to others
    "early evening": (17 * H, 21 * H),
    "evening": (17 * H, 24 * H),
    # "late" parts reach past midnight: reporters write "late Saturday" of 00:30 on Sunday
    "late evening": (20 * H, 25 * H),  # "late on Wednesday evening": Wed 20:00 .. Thu 01:00
    "night": (18 * H, 29 * H),  # "Friday night": Fri 18:00 .. Sat 05:00
    "early night": (18 * H, 24 * H),
    "late night": (22 * H, 29 * H),  # "late Thursday night": Thu 22:00 .. Fri 05:00
    "early": (0 * H, 12 * H),  # "early Saturday", "early December 29"
    "mid": (6 * H, 18 * H),  # "mid-Saturday" (rare)
    "late": (18 * H, 27 * H),  # "late on Friday": Fri 18:00 .. Sat 03:00
    "before midnight": (23 * H, 24 * H),  # "just before midnight on Monday": Mon 23:00 .. 24:00
    "after midnight": (0 * H, 1 * H),  # "shortly after midnight on Monday": Mon 00:00 .. 01:00
}
# Aliases of parts of the day as written.
PART_ALIASES: dict[str, str] = {
    "small hours": "early hours",
    "wee hours": "early hours",
    "early hours": "early hours",
    "daybreak": "dawn",
    "nightfall": "dusk",
    "overnight": "night",
    "tonight": "night",
    "midday": "noon",
    "mid-day": "noon",
}

# Timezone abbreviations accepted after a clock time. Times are kept naive (local as written);
# a GMT/UTC time given in brackets next to a local time is dropped (see times.py).
TIMEZONES = (
    "GMT",
    "UTC",
    "IST",
    "BST",
    "CEST",
    "CET",
    "EEST",
    "EET",
    "EST",
    "EDT",
    "CST",
    "CDT",
    "MST",
    "MDT",
    "PST",
    "PDT",
    "WIB",
    "WITA",
    "JST",
    "KST",
    "AEST",
    "AEDT",
    "AWST",
    "SGT",
    "HKT",
    "PKT",
    "NZST",
    "NZDT",
    "MSK",
)
UNIVERSAL_TIMEZONES = frozenset({"GMT", "UTC"})

# Words that, written right in front of a weekday, make it a name rather than a day.
WEEKDAY_NAME_BEFORE = frozenset({"bloody", "man", "girl", "every", "each"})
# Words that, written right after a weekday, make it a title ("Sunday Times").
WEEKDAY_NAME_AFTER = frozenset(
    {
        "times",
        "telegraph",
        "mirror",
        "express",
        "post",
        "herald",
        "mail",
        "independent",
        "tribune",
        "star",
        "sport",
        "world",
        "age",
        "review",
        "observer",
        "people",
        "business",
        "magazine",
        "edition",
        "supplement",
        "league",
    }
)

# Nouns that, written after a weekday, make it a kind of thing rather than a day: "at Saturday
# market", "Friday prayers", "Sunday school".
WEEKDAY_NOUNS = frozenset(
    {
        "market",
        "markets",
        "school",
        "prayers",
        "prayer",
        "mass",
        "service",
        "services",
        "roast",
        "brunch",
        "paper",
        "papers",
        "newspaper",
        "newspapers",
        "shift",
        "shifts",
        "club",
        "league",
    }
)


def alternation(words: list[str] | tuple[str, ...] | set[str]) -> str:
    """A regex alternation of literal words, longest first (so "Sept" wins over "Sep")."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _cased(words: list[str]) -> str:
    """Title-case and upper-case spellings: "May"/"MAY" are months, "may" is a verb."""
    forms = set()
    for w in words:
        forms.add(w.capitalize())
        forms.add(w.upper())
    return alternation(sorted(forms))


MONTH_FULL_RE = _cased(list(MONTHS))
MONTH_ABBR_RE = _cased(list(MONTH_ABBREVIATIONS))
# A month name: full name, or an abbreviation with an optional period ("Nov." == "November").
MONTH_RE = rf"(?:(?:{MONTH_FULL_RE})\b|(?:{MONTH_ABBR_RE})\b\.?)"
WEEKDAY_RE = rf"(?:{_cased(list(WEEKDAYS))})\b"
WEEKDAY_ABBR_RE = rf"(?:{_cased(list(WEEKDAY_ABBREVIATIONS))})\b\.?"
DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])"
ORDINAL_RE = r"(?:st|nd|rd|th)"
YEAR_RE = r"(?:19|20)\d{2}"
TZ_RE = rf"(?:{alternation(TIMEZONES)})\b(?:\s?[+-]\s?\d{{1,2}}(?::?\d{{2}})?)?"
AMPM_RE = r"(?i:[ap]\.?m\b\.?)"
NUMBER_RE = (
    r"(?:\d{1,3}|" + alternation([*NUMBER_WORDS, *VAGUE_COUNTS]).replace(r"\ ", r"\s+") + r")"
)


def prefix_gate(prefixes: list[str] | set[str], whole_words: list[str] | set[str]) -> str:
    """A regex that matches at the start of any word beginning with one of ``prefixes`` or
    equal to one of ``whole_words`` (any case), built as a trie so that failing is cheap."""
    trie: dict[str, dict] = {}
    for w in prefixes:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        if "" in node:  # a shorter prefix already matched
            return ""
        alts = [_ci(ch) + emit(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    whole = "|".join("".join(_ci(ch) for ch in w) for w in sorted(whole_words))
    return f"(?:{emit(trie)}|(?:{whole})\\b)"


def _ci(ch: str) -> str:
    return f"[{ch.upper()}{ch}]" if ch.isalpha() else re.escape(ch)


def month_number(word: str) -> int:
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or MONTH_ABBREVIATIONS[w]


def weekday_number(word: str) -> int:
    w = word.lower().rstrip(".")
    return WEEKDAYS.get(w, WEEKDAY_ABBREVIATIONS.get(w, -1))


def count_range(word: str) -> tuple[int, int]:
    """ "two" → (2, 2), "17" → (17, 17), "a few" → (2, 6)."""
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w), int(w)
    if w in VAGUE_COUNTS:
        return VAGUE_COUNTS[w]
    n = NUMBER_WORDS[w]
    return n, n
