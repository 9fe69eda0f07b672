"""The lookahead before the number grammar's date/time/phone alternatives changes nothing.

``numbers._SKIP_GUARD`` must hold wherever one of those alternatives matches; then the guarded
grammar matches exactly what the plain one does. Checked on every position of every article and
on generated text made of the pieces dates, clock times and phone numbers are written with.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import numbers

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])

SKIP = re.compile(f"(?:{numbers._DATE}|{numbers._TIME}|{numbers._PHONE})", re.ASCII)
GUARD = re.compile(numbers._SKIP_GUARD, re.ASCII)
PLAIN = re.compile(numbers.PATTERN, re.ASCII)

PIECES = [
    "1", "12", "123", "1234", "12345", "1234567890", "0600", "2359", "13", "1st", "2nd", "3rd",
    "21st", "th", "of", "Jan", "JAN", "January", "Sept", "SEPT", "May", "MAY", "Nov.", "Dec",
    "am", "a.m.", "PM", "p.m", "pm", "o'clock", "o’clock", "seven", "Twenty-five", "eleven",
    "hrs", "Hrs", "GMT", "IST", "AEST", "h", "/", "-", ".", ":", "+", "(", ")", " ", "  ", "\t",
    "\xa0", "\u202f", "\n", ",", "people", "per cent", "$", "£", "ſ", "K", "٣",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=2), max_size=20).map(
    lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts))


def _check(text: str) -> None:
    for pos in range(len(text) + 1):
        if SKIP.match(text, pos) is not None:
            assert GUARD.match(text, pos) is not None, (text, pos)
        want, got = PLAIN.match(text, pos), numbers._PRX.match(text, pos)
        assert (want is None) == (got is None), (text, pos)
        if want is not None and got is not None:
            assert want.regs == got.regs and want.lastindex == got.lastindex, (text, pos)


def test_the_guard_holds_wherever_a_date_time_or_phone_starts_in_every_article() -> None:
    starts = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pos in range(len(text)):
            if SKIP.match(text, pos) is not None:
                starts += 1
                assert GUARD.match(text, pos) is not None, (path, text[pos : pos + 30])
    assert starts > 50


def test_the_guard_admits_each_kind() -> None:
    for text in ("13 November", "1st of May", "Nov. 13", "24/12/2019", "2015-11-27", "1.15 pm",
                 "12:30", "7 o’clock", "seven o'clock", "twenty-five o'clock", "1600 GMT",
                 "0600 hrs", "+44 20 7946 0000", "(020) 7946 0000", "555-123-4567",
                 "12345 67890", "0207 946 000", "1234567890"):
        assert SKIP.match(text) is not None and GUARD.match(text) is not None, text
    for text in ("312 people", "12,000", "12 people", "2015 was", "Seven people"):
        assert GUARD.match(text) is None, text


@settings(max_examples=500, deadline=None)
@given(texts)
def test_guarded_grammar_matches_like_the_plain_one(text: str) -> None:
    _check(text)
