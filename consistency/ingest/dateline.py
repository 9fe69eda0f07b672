"""A small grammar for page datelines: header lines that carry the article's own date.

Accepted (weekday, time, labels and a trailing "by X" all optional)::

    Thursday 19 September 2019          27/11/2015 13:46 by admin        • 27/11/2015
    Last Modified Tuesday, 24 December 2019 (12:53 IST)                  03:15PM Thu 28 Jun, 2018
    Published: Nov 27, 2015 | Updated: ...                               2017-12-29T08:00:00Z

Numeric dates are read day first (European/Indian convention) unless the second part is above 12.
The weekday is not checked against the date: a wrong weekday still leaves a usable date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

MONTHS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MIN_YEAR, MAX_YEAR = 1900, 2100

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_DMY = rf"(?P<d1>\d{{1,2}}){_ORD}(?:\s+of)?[\s\-]+(?P<m1>{_MONTH})\.?,?[\s\-]+(?P<y1>\d{{4}})"
_MDY = rf"(?P<m2>{_MONTH})\.?[\s\-]+(?P<d2>\d{{1,2}}){_ORD},?[\s\-]+(?P<y2>\d{{4}})"
_NUM = r"(?P<a3>\d{1,2})(?P<s3>[/.\-])(?P<b3>\d{1,2})(?P=s3)(?P<y3>\d{4})"
_ISO = (
    r"(?P<y4>\d{4})(?P<s4>[/.\-])(?P<m4>\d{1,2})(?P=s4)(?P<d4>\d{1,2})"
    r"(?:T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_TZ = (
    r"(?:(?:IST|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|AEST|AEDT"
    r"|AWST|JST|KST|SGT|HKT|WIB|PHT|ICT|SAST|WAT|EAT|CAT|GST|PKT|NPT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"|[+-]\d{2}:?\d{2})"
)
_TIME = (
    rf"(?:\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:\s*[ap]\.?m\.?)?|\d{{1,2}}\s*[ap]\.?m\.?)"
    rf"(?:\s*{_TZ})?(?:\s*hrs)?"
)
_DATE = rf"(?:{_DMY}|{_MDY}|{_NUM}|{_ISO})"
_EXPR = (
    rf"(?P<expr>(?:{_TIME}\s*[,|]?\s*)?(?:{_WEEKDAY},?\s*)?{_DATE}"
    rf"(?:\s*(?:,|\||/|-|–|—|at|@)?\s*{_TIME})?(?:\s*\(\s*{_TIME}\s*\))?)"
)
_LABEL = (
    r"(?:(?:first\s+)?(?:published|updated|last\s+modified|last\s+updated|modified|posted|released"
    r"|dated?)(?:\s+(?:on|at))?\s*:?\s*)"
)
_PLACE = rf"(?:(?!{_WEEKDAY},)[^\W\d][\w .'’-]{{1,30}},\s+)"
# bullets, and up to three "Place | Agency |" pieces before the date ("Mumbai | PTI | Updated: ...")
_LEAD = r"[\s•·*|>»\-–—]*(?:[^|\d\n]{1,40}\|\s*){0,3}"
_TAIL = (
    r"(?:\s*(?:[|,·•\-–—]\s*)?(?:(?:posted|written)\s+)?by:?\s+\S.{0,60})?"
    r"(?:\s*[|·•]\s*.{0,80})?"
)
_DATELINE = re.compile(rf"{_LEAD}(?:{_LABEL}|{_PLACE})?{_EXPR}{_TAIL}\s*", re.IGNORECASE)
_DATE_ONLY = re.compile(_DATE, re.IGNORECASE)
# Every form of _DATE has a four-digit year, and the dateparser fallback needs one (_YEAR): a line
# without four digits in a row is no dateline (boilerplate tests most body lines with this).
# Spelled out: sre tries \d{4} as a repeat at every position, half again as slow on the
# non-ASCII lines that go through it.
_FOUR_DIGITS = re.compile(r"\d\d\d\d")
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")


def has_four_digits(line: str) -> bool:
    """Whether ``_FOUR_DIGITS`` finds something in ``line``. An ASCII line is tested as bytes, with
    every digit made "0": three times faster than the regex, and \\d is [0-9] in ASCII."""
    if line.isascii():
        return b"0000" in line.encode("ascii").translate(_DIGITS_TO_ZERO)
    return _FOUR_DIGITS.search(line) is not None


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: date
    start: int  # of the date expression, in the string that was parsed
    end: int


def parse_dateline(line: str) -> DateMatch | None:
    """The date of ``line`` if the whole line is a page dateline, else None."""
    if len(line) > 200 or not has_four_digits(line):
        return None
    match = _DATELINE.fullmatch(line) if _may_end_a_dateline(line) else None
    if match is None:
        return _dateparser_fallback(line)
    value = _date_from(match)
    if value is None:
        return None
    return DateMatch(value, match.start("expr"), match.end("expr"))


# A dateline ends with its date or time, a bracketed time, or a "by ..." or "| ..." tail. The last
# character of a date or time is a digit, "Z" (ISO), "m" or "m." (am, p.m.), "s" (hrs), the last
# letter of a time zone (T, C, K, B) or ")". Most sentences with a year end otherwise ("... in
# 2009."): the full pattern is not tried on them.
_DATELINE_ENDS = frozenset("0123456789zmstckb)")


def _may_end_a_dateline(line: str) -> bool:
    """False when ``line`` cannot fully match _DATELINE, judged by its end (ASCII lines only:
    Unicode case folding and the "·" and "•" tails are left to the pattern)."""
    if not line.isascii():
        return True
    folded = line.rstrip().lower()
    if folded[-1:] in _DATELINE_ENDS or folded.endswith("m."):
        return True
    return "by" in folded or "|" in folded


def parse_date(text: str) -> date | None:
    """The date written in ``text`` if all of it is one date expression (no time, no weekday)."""
    match = _DATE_ONLY.fullmatch(text.strip())
    return _date_from(match) if match else None


def _date_from(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if groups.get("d1"):
        return _make(groups["y1"], _month(groups["m1"]), groups["d1"])
    if groups.get("m2"):
        return _make(groups["y2"], _month(groups["m2"]), groups["d2"])
    if groups.get("a3"):
        first, second = int(groups["a3"]), int(groups["b3"])
        day, month = (second, first) if second > 12 else (first, second)
        return _make(groups["y3"], month, day)
    if groups.get("y4"):
        return _make(groups["y4"], int(groups["m4"]), groups["d4"])
    return None


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _make(year: str, month: int, day: str) -> date | None:
    y = int(year)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, month, int(day))
    except ValueError:
        return None


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WORDY = re.compile(r"[A-Za-z]{3,}")


def _dateparser_fallback(line: str) -> DateMatch | None:
    """A header line our grammar does not know ("Nov 27th 2015 at 1:46 pm EST") goes to
    dateparser, strictly (day, month and year required). Only short lines with a year are
    tried, never body text: dateparser reads ordinary words such as "We" as dates."""
    text = line.strip()
    if len(text) > 60 or not _YEAR.search(text) or len(_WORDY.findall(text)) > 6:
        return None
    value = _dateparser_parse(text)
    if value is None:
        return None
    start = line.index(text)
    return DateMatch(value, start, start + len(text))


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str) -> date | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    parsed = dateparser.parse(text, languages=["en"], settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
        "DATE_ORDER": "DMY", "PREFER_LOCALE_DATE_ORDER": False})
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed.date()
