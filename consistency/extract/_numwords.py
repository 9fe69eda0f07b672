"""Number words: the regex fragments that find them and the parser that values them.

Values of vague quantity words (documented choice; the interval is the claim's honest reach):

=====================  ====================
"a couple (of)"        2
"a few"                [2, 5]
"a handful (of)"       [2, 5]
"several"              [3, 9]
"a dozen", "dozen"     12
"two dozen"            24
"half a dozen"         6
"a few dozen"          [24, 60]
"several dozen"        [36, 108]
"dozens (of)"          [24, open)
"scores of"            [40, open)
"hundreds (of)"        [200, open)
"a few hundred"        [200, 500]
"several hundred"      [300, 900]
"thousands (of)"       [2000, open)
"tens of thousands"    [20000, open)
"hundreds of thousands" [200000, open)
"millions (of)"        [2000000, open)
=====================  ====================
"""

from __future__ import annotations

import functools
import math

from .units import SCALES

ONES: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
WORD_SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}
SMALL: dict[str, int] = {**ONES, **TEENS, **TENS}

ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 1000,
    "millionth": 1_000_000,
}

Open = None
MAX_VALUE = 10**18
# Vague quantity phrases (lower case, single spaces) -> (low, high); high None = open.
VAGUE: dict[str, tuple[int, int | None]] = {
    "a couple": (2, 2),
    "a few": (2, 5),
    "a handful": (2, 5),
    "several": (3, 9),
    "dozens": (24, Open),
    "scores": (40, Open),
    "hundreds": (200, Open),
    "thousands": (2000, Open),
    "millions": (2_000_000, Open),
    "billions": (2_000_000_000, Open),
    "tens of thousands": (20_000, Open),
    "hundreds of thousands": (200_000, Open),
    "tens of millions": (20_000_000, Open),
    "hundreds of millions": (200_000_000, Open),
}
# "a few" / "several" before a scale word multiply it.
VAGUE_MULTIPLIERS: dict[str, tuple[int, int]] = {"a few": (2, 5), "several": (3, 9)}


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# -- regex fragments (no capturing groups; case-insensitive where used) --------------------------
# Spaces and tabs (and no-break spaces) only: an expression does not run across a line break.
# Real characters, not \u escapes: RE2 has no \u escape.
WS = "(?:[ \t\u00a0\u202f]+)"
_NWS = _alt(k for k in SMALL)  # zero .. ninety
_SC = "hundred|thousand|million|billion|trillion|lakhs?|crores?"
# A run of number words; "and" only after a scale word ("two hundred and fifty"), so that
# "between two and three" stays a range. The run is validated and valued by ``words_value``.
WORDNUM = (
    rf"(?:a{WS}(?:{_SC})(?:{WS}and{WS}(?:{_NWS}))?|{_NWS})"
    rf"(?:(?:-|{WS})(?:{_NWS})|(?:-|{WS})(?:{_SC})(?:{WS}and{WS}(?:{_NWS}))?)*"
)
# one word below a hundred, for "two dozen", "seven o'clock"
W100 = rf"(?:(?:{_alt(TENS)})-(?:{_alt(k for k in ONES if k != 'zero')})|{_NWS})"
ORDINAL_RE = (
    rf"(?:(?:{_alt(TENS)})[- ](?:{_alt(k for k, v in ORDINAL_WORDS.items() if v < 10)})"
    rf"|{_alt(ORDINAL_WORDS)})"
)


def _num(text: str) -> int | float:
    text = text.replace(",", "")
    if "." not in text:
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return int(value) if value.is_integer() else value


def words_value(tokens: list[str]) -> int | None:
    """Value of a run of number words ("two hundred and fifty", "a million"), None if the run
    is not one number ("one two", "twenty twenty")."""
    total = 0  # completed groups above the current one
    current = 0  # the group being built (below 1000, or below the last scale)
    last = ""  # kind of the previous token: "", "one", "teen", "ten", "hundred", "scale", "and"
    group_limit = None  # the last big scale used: later scales must be smaller
    for tok in tokens:
        if tok == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
            continue
        if tok == "a":
            if last:
                return None
            current, last = 1, "one"
        elif tok in ONES or tok in TEENS:
            if last in ("one", "teen"):
                return None
            if last == "ten" and tok not in ONES:
                return None
            if last == "ten" and tok == "zero":
                return None
            current += SMALL[tok]
            last = "one" if tok in ONES else "teen"
        elif tok in TENS:
            if last in ("one", "teen", "ten"):
                return None
            current += TENS[tok]
            last = "ten"
        elif tok == "hundred":
            if last not in ("one", "teen", "ten") or current % 100 == 0 and current >= 100:
                return None
            current *= 100
            last = "hundred"
        elif tok in WORD_SCALES:
            k = WORD_SCALES[tok]
            if last in ("", "and") or (group_limit is not None and k >= group_limit):
                return None
            total += (current or 1) * k
            current = 0
            group_limit = k
            last = "scale"
        else:
            return None
    if last in ("", "and"):
        return None
    return total + current


@functools.lru_cache(maxsize=4096)
def core_value(core: str) -> tuple[int | float, int | float | None, bool] | None:
    """(low, high, vague) of a numeric core as the grammar matched it, or None.

    ``core`` is digits with an optional scale ("1,200", "1.5 million", "3 lakh", "£3bn" minus the
    currency), number words, "X dozen" or a vague quantity word.
    """
    s = " ".join(core.lower().replace("-", " ").split())
    if not s:
        return None
    if s in VAGUE:
        low, high = VAGUE[s]
        return low, high, True
    if s.endswith(" of"):  # "scores of", "a couple of"
        return core_value(s[:-3])
    if s.endswith("dozen"):
        head = s[: -len("dozen")].strip()
        if head in ("", "a"):
            return 12, 12, False
        if head == "half a":
            return 6, 6, False
        if head in VAGUE_MULTIPLIERS:
            lo, hi = VAGUE_MULTIPLIERS[head]
            return lo * 12, hi * 12, True
        inner = core_value(head)
        if inner is None or inner[2]:
            return None
        return _clean(inner[0] * 12), _clean(inner[0] * 12), False
    first = s[0]
    if first.isdigit():
        parts = s.split(" ")
        if len(parts) == 1:
            # glued scale: "3bn", "1.5m" (only reached for scale-bearing money cores)
            i = len(s)
            while i and s[i - 1].isalpha():
                i -= 1
            digits, scale = s[:i], s[i:]
        else:
            digits, scale = parts[0], parts[-1]
        try:
            n = _num(digits)
        except ValueError:
            return None
        if scale:
            if scale not in SCALES:
                return None
            n = _clean(n * SCALES[scale])
        if n > MAX_VALUE:
            return None  # no news quantity; keeps later float arithmetic finite
        return n, n, False
    tokens = s.split(" ")
    if len(tokens) == 2 and tokens[0] in VAGUE_MULTIPLIERS and tokens[1] in WORD_SCALES:
        lo, hi = VAGUE_MULTIPLIERS[tokens[0]]
        k = WORD_SCALES[tokens[1]]
        return lo * k, hi * k, True
    words = words_value(tokens)
    if words is None:
        return None
    return words, words, False


def _clean(x: float) -> int | float:
    if isinstance(x, int):
        return x
    if math.isfinite(x):
        r = round(x, 6)
        if r.is_integer():
            return int(r)
        return r
    return x
