"""The grammars' shortcuts give what the plain code they stand for gives.

- ``numbers._SCANNER`` tries the stdlib pattern at a non-ASCII character only if it is one of
  ``numbers._NON_ASCII_STARTS`` (the currency signs): the pattern is tried at every other
  non-ASCII character of the Basic Multilingual Plane, before text that lets each alternative
  go on (digits, a month, a number word, a currency amount).
- The qualifier reader, the lookahead guards of the fast form, the dispatch on ``lastindex``
  and the folding-letter test are compared with their plain forms.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import _scan, numbers, times
from consistency.extract._fastre import fast_form
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


def test_guards_stand_before_alternations_whose_first_characters_are_known() -> None:
    assert fast_form("(?:ab|cd|ef|gh)") == "(?=[aceg])(?:ab|cd|ef|gh)"
    assert fast_form(r"\b(?:ab|\bcd|e+f|[g-h]|\d|\.)") == r"\b(?=[ace[g-h]\d\.])".replace(
        "[g-h]", "g-h") + r"(?:ab|\bcd|e+f|[g-h]|\d|\.)"
    # in a case-insensitive group the first letters are classes already: the guard joins them
    assert fast_form("(?i:ab|cd|ef|gh)") == (
        "(?=[aAcCeEgG])(?i:(?-i:[aA])b|(?-i:[cC])d|(?-i:[eE])f|(?-i:[gG])h)"
    )
    # a named group keeps its number: the guard holds none
    assert fast_form("(?P<x>ab|cd|ef|gh)") == "(?=[aceg])(?P<x>ab|cd|ef|gh)"


def test_no_guard_where_a_first_character_is_unknown_or_the_group_may_be_empty() -> None:
    for pattern in (
        "(?:ab|cd|ef|gh|)",  # the empty alternative
        "(?:ab|cd|ef|g?h)",  # an optional first character
        "(?:ab|cd|ef|(?:g|h)*)",  # a group that may repeat no time
        r"(?:ab|cd|ef|\Dh)",  # an escape not read
        "(?:ab|cd|ef|[^g]h)",  # a negated class
        "(?:ab|cd|ef|.h)",
        "(?:ab|cd|ef)",  # too few alternatives to pay for a lookahead
        r"(?i:\bab|cd|ef|gh)",  # a letter ignoring case, not made a class (after "\b")
        "(?:ab|cd|ef|gh)?",  # an optional group (fast form: with an empty alternative)
        "(?<=(?:ab|cd|ef|gh))x",  # inside a lookaround
    ):
        assert "(?=[" not in fast_form(pattern), pattern


def test_both_grammars_are_guarded() -> None:
    assert numbers._PRX.pattern.count("(?=[") > 20
    assert times._ATOM_FAST.pattern.count("(?=[") > 10


def test_lastindex_names_the_alternative_that_matched() -> None:
    """find_numbers dispatches on ``m.lastindex``: the top-level group, which closes last."""
    top = (numbers._G_SKIP, numbers._G_ORD, numbers._G_A, numbers._G_NUM)
    seen = set()
    for path in ARTICLES:
        for m in numbers._matches(path.read_text(encoding="utf-8", errors="replace")):
            assert [g for g in top if m.start(g) >= 0] == [m.lastindex], (path, m)
            seen.add(m.lastindex)
    assert seen == set(top)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é’\u017f\u212a\u0130\u0131Kkſ")), max_size=12))
def test_folding_test_finds_what_the_class_search_finds(text: str) -> None:
    plain = re.compile("[" + "".join(map(chr, _scan._FOLDS_TO_ASCII)) + "]").search(text)
    assert _scan._has_folding(text) == (plain is not None)
