"""The RE2 pre-scan finds exactly what the stdlib grammar finds (``consistency.extract._scan``).

The stdlib patterns are the definition of each grammar; the scanners only find their matches
faster. If a start pattern stopped being a superset of the grammar's start positions, matches
would silently go missing: these tests compare the two on real articles and on generated text
full of the characters where RE2 and the stdlib differ (Unicode digits and spaces, case
folding, byte/character offsets of non-ASCII text).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import numbers, times
from consistency.extract._scan import ScanTimeout

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])
GRAMMARS = {"numbers": (numbers._PRX, numbers._SCANNER), "times": (times._ATOM_RE, times._SCANNER)}

TOKENS = [
    "in", "by", "the", "a", "an", "of", "that", "since", "until", "early", "late", "mid", "last",
    "this", "next", "past", "coming", "weekend", "week", "day", "days", "ago", "before", "after",
    "night", "morning", "the early hours of", "midnight", "noon", "Monday", "Tue.", "May", "MAY",
    "may", "Nov.", "November", "Sept", "2015", "1941", "12:30", "7.40pm", "1600 GMT", "27/11/2015",
    "2015-11-27", "3rd", "one", "two", "twenty-one", "a few", "several", "dozens", "hundreds of",
    "a dozen", "half an hour", "an hour", "a mile", "£3bn", "$5m", "Rs 5 lakh", "+44 20 7946",
    "(020) 7946 0000", "at least", "about", "%", "km", "-", "–", ",", ".", "(", ")", "'s", "’s",
    " ", "  ", "\n", "\t", "\xa0", "\u2009", "\u3000", "\x85", "\x1c", "٣", "١٢", "𝟙", "५", "é",
    "ß", "ſince", "ſeveral", "K", "İn", "ın", "ı", "“", "”", "’", "\u200b", "Ã©",
]
text_strategy = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=40).map(
    lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts))


def _spans(matches) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]


@pytest.mark.parametrize("grammar", sorted(GRAMMARS))
def test_scanner_equals_stdlib_finditer_on_every_article(grammar: str) -> None:
    pattern, scanner = GRAMMARS[grammar]
    assert len(ARTICLES) > 20
    found = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        expected = _spans(pattern.finditer(text))
        assert _spans(scanner.finditer(text)) == expected, path
        found += len(expected)
    assert found > 100  # the comparison is not vacuous


@pytest.mark.parametrize("grammar", sorted(GRAMMARS))
@settings(max_examples=300, deadline=None)
@given(text=text_strategy)
def test_scanner_equals_stdlib_finditer_on_generated_text(grammar: str, text: str) -> None:
    pattern, scanner = GRAMMARS[grammar]
    assert _spans(scanner.finditer(text)) == _spans(pattern.finditer(text))


def test_unicode_digits_and_spaces_are_found_where_the_stdlib_finds_them() -> None:
    # "\d" and "\s" of the stdlib are Unicode; RE2's are ASCII: the start patterns stand in
    text = "on ١٢ November, since\xa02015 and in\u20092014; 3 days\u3000ago"
    for pattern, scanner in GRAMMARS.values():
        expected = _spans(pattern.finditer(text))
        assert expected
        assert _spans(scanner.finditer(text)) == expected


def test_a_passed_deadline_stops_the_scan() -> None:
    text = "12 people, " * 5000
    with pytest.raises(ScanTimeout):
        list(numbers._SCANNER.finditer(text, deadline=time.monotonic() - 1))
    with pytest.raises(ScanTimeout):
        list(times._SCANNER.finditer("on Monday " * 5000, deadline=time.monotonic() - 1))


CUE_TOKENS = ["years", "ago", "months", "earlier", "last", "year", "in", "since", "the", "start",
              "of", "so", "far", "this", "season", "every", "previously", "ſince", "ın", "İn",
              "weeK", "yearſ", "2015", "٢٠١٥", "May", "mid-", "January", " ", "\xa0", "’", "."]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(CUE_TOKENS) | st.text(max_size=3), max_size=12))
def test_background_cue_prefilter_never_rules_out_a_cue(parts: list[str]) -> None:
    from consistency.extract import _BACKGROUND_CUES, _MAY_HAVE_CUES
    from consistency.extract._scan import placeholder_text

    text = " ".join(parts)
    if _BACKGROUND_CUES.search(text):
        assert _MAY_HAVE_CUES.may_match(placeholder_text(text), 0, len(text))


def test_background_cue_prefilter_on_every_article_sentence() -> None:
    from consistency.extract import _BACKGROUND_CUES, _MAY_HAVE_CUES
    from consistency.extract._scan import placeholder_text
    from consistency.text import sentences

    cues = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        placeholder = placeholder_text(text)
        for s in sentences(text):
            if _BACKGROUND_CUES.search(s.text):
                cues += 1
                assert _MAY_HAVE_CUES.may_match(placeholder, s.start, s.end), s.text
    assert cues > 10


def _flat_units() -> str:
    """The unit alternation as it was first written: flat, longest first."""
    from consistency.extract._numwords import WS
    from consistency.extract.units import CASE_SENSITIVE_UNITS, UNITS

    ci = [k for k in UNITS if k not in CASE_SENSITIVE_UNITS]
    cs = [k for k in UNITS if k in CASE_SENSITIVE_UNITS] + ["M", "k", "K", "b", "B", "bn", "mn"]

    def one(k: str) -> str:
        body = WS.join(re.escape(w) for w in k.split(" "))
        return body + (r"\b" if k[-1].isalnum() and k[-1].isascii() else "")

    def alt(keys: list[str]) -> str:
        return "|".join(one(k) for k in sorted(keys, key=len, reverse=True))
    return rf"(?:(?i:{alt(ci)})|{alt(cs)})"


def test_unit_trie_matches_like_the_flat_alternation() -> None:
    from consistency.extract.units import UNITS

    flat = re.compile(rf"(?:{_flat_units()})(?P<rest>s?\w*)", re.ASCII)
    trie = re.compile(rf"(?:{numbers._UNIT})(?P<rest>s?\w*)", re.ASCII)
    probes = 0
    for key in [*UNITS, "M", "k", "K", "b", "B", "bn", "mn"]:
        for form in {key, key.upper(), key.title(), key + "s", key + "es", key[:-1] or key}:
            for tail in ("", " ", ".", "s", "x", " of", " per", "-long", " people", "\xa0per cent"):
                text = form + tail
                a, b = flat.match(text), trie.match(text)
                assert (a and (a.span(), a.group("rest"))) == (b and (b.span(), b.group("rest"))), text
                probes += 1
    assert probes > 5000


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(["a", "an", "single", "raid", "fire", "big", "-", "\xa0",
                                       "\u2009", "’", "ſingle", "crash", "\n"]), max_size=8))
def test_indefinite_count_prefilter_never_rules_out_a_match(parts: list[str]) -> None:
    from consistency.extract._scan import placeholder_text
    from consistency.extract.quantities import _INDEFINITE, _MAY_BE_INDEFINITE

    text = " ".join(parts)
    if _INDEFINITE.search(text):
        assert _MAY_BE_INDEFINITE.may_match(placeholder_text(text), 0, len(text))


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(["Mr.", "He", "said", ".", "!", "?", ":", '"', "”", "’", ")",
                                       "(", "\n", "\n\n", " ", "a", "B", "12", "U.S.", "“", "\t"]),
                      max_size=30))
def test_sentence_end_candidates_find_what_the_pattern_finds(parts: list[str]) -> None:
    from consistency.text import _SENT_END, _sentence_ends

    text = "".join(parts)
    for start, end in ((0, len(text)), (len(text) // 3, len(text) - len(text) // 4)):
        assert _spans(_sentence_ends(text, start, end)) == _spans(_SENT_END.finditer(text, start, end))


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(["killed", "KILLED", "Dead", "died", "toll", "injured",
                                       "missing", "rescued", "fatalities", "ſlain", "kılled",
                                       "wounded", "two", "people", "were", "-", "’", " ", "\n",
                                       "x"]), max_size=10))
def test_casualty_cue_prefilter_never_rules_out_a_cue_word(parts: list[str]) -> None:
    from consistency.extract._scan import placeholder_text
    from consistency.extract.quantities import _ANY_CUE, _CUE_TO_OUTCOME, _WORD_RE

    text = " ".join(parts)
    if any(w.group().lower() in _CUE_TO_OUTCOME for w in _WORD_RE.finditer(text)):
        assert _ANY_CUE.may_match(placeholder_text(text), 0, len(text))
