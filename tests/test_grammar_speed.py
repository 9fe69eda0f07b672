"""The grammars' scan shortcuts skip only what cannot start a match.

``numbers._SCANNER`` tries the stdlib pattern at a non-ASCII character only if it is one of
``numbers._NON_ASCII_STARTS`` (the currency signs). These tests try the pattern at every other
non-ASCII character of the Basic Multilingual Plane, before text that lets each alternative
go on (digits, a month, a number word, a currency amount).
"""

from __future__ import annotations

from consistency.extract import numbers
from tests.test_numbers_speed import ARTICLES, _qualifier_before_plain

FOLLOWERS = ["5", "5 million", " 5", "5:30 pm", "12/11", "Nov 5", "one", "a dozen", "an hour",
             "$5", "+44 20", "(020) 7946", "fifth", "\xa05", "’clock"]


def test_no_other_non_ascii_character_starts_a_number_match() -> None:
    starts = numbers._NON_ASCII_STARTS
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if ch in starts or 0xD800 <= code < 0xE000:
            continue
        for follower in FOLLOWERS:
            assert numbers._PRX.match(ch + follower) is None, (hex(code), follower)


def test_every_currency_sign_is_a_start() -> None:
    for ch in numbers._NON_ASCII_STARTS - {"₵"}:  # "₵" only in "GH₵", which starts with "G"
        assert numbers._PRX.match(ch + "5") is not None, ch


def test_qualifier_reader_equals_its_plain_form_on_articles() -> None:
    """Every position after a space in the articles, with the floor near and far."""
    assert len(ARTICLES) > 20
    found = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")[:20000]
        for pos in range(1, len(text)):
            if not text[pos - 1].isspace():
                continue
            for floor in (0, max(0, pos - 9)):
                want = _qualifier_before_plain(text, pos, floor)
                assert numbers._qualifier_before(text, pos, floor) == want, (path, pos, floor)
                found += want is not None
    assert found > 100
