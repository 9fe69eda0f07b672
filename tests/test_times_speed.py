"""The time grammar's fast paths give what the plain forms they replace give.

``consistency.extract.times`` scans with a rewritten form of its grammar ``_ATOM_RE``. These
tests compare the two at every position of every article and of generated text full of the
characters where such rewrites go wrong: Unicode spaces, digits and letters that case-fold to
ASCII ones. It also builds its values and matches without their constructors: the tests
compare them with what the constructors build.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from consistency.extract import times
from consistency.extract._fastre import UNICODE_FOLDS
from consistency.extract._scan import placeholder_text
from consistency.extract.times import TimeMatch, find_times
from consistency.models import TimeValue

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])

GRAMMAR_TOKENS = [
    "in", "by", "the", "a", "an", "of", "that", "since", "until", "till", "from", "through",
    "early", "late", "mid", "mid-", "end of", "the beginning of", "last", "this", "next", "past",
    "coming", "this coming", "weekend", "week", "month", "year", "day", "days", "ago", "before",
    "after", "later", "night", "morning", "the early hours of", "wee hours", "midnight", "noon",
    "mid-day", "yesterday", "today", "Monday", "Monday's", "Tue.", "Thurs", "May", "MAY", "may",
    "Nov.", "November", "Sept", "2015", "1941", "12:30", "13:46:20", "7.40pm", "7.40 p.m.", "11",
    "to", "1 pm", "1600 GMT", "1941 hrs", "19.41 hrs", "GMT+2", "27/11/2015", "2015-11-27", "3rd",
    "two", "a few", "several", "per cent", "%", "-", "–", ",", ".", ":", "/", "(", ")", "'s", "’s",
    " ", "  ", "\n", "\t", "\xa0", "\u2009", "\u3000", "\x85", "٣", "١٢", "𝟙", "é", "ſince",
    "ſeveral", "\u212a", "İn", "ın", "ı", "İ", "ſ", "ſtart", "thiſ", "laſt",
]
grammar_texts = st.lists(st.sampled_from(GRAMMAR_TOKENS) | st.text(max_size=3), max_size=25).map(
    lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts))

PLAIN = times._ATOM_RE
FAST = times._ATOM_FAST


def _same_match_everywhere(text: str) -> None:
    for pos in range(len(text) + 1):
        want, got = PLAIN.match(text, pos), FAST.match(text, pos)
        assert (want is None) == (got is None), (text, pos)
        if want is not None and got is not None:
            assert want.regs == got.regs, (text, pos)
            assert want.lastgroup == got.lastgroup, (text, pos)


def test_unicode_folds_are_all_that_a_letter_matches_ignoring_case() -> None:
    for letter in "abcdefghijklmnopqrstuvwxyz":
        plain = re.compile(f"(?i:{letter})")
        want = {chr(c) for c in range(sys.maxunicode + 1) if plain.fullmatch(chr(c))}
        assert want == {letter, letter.upper(), *UNICODE_FOLDS.get(letter, "")}, letter


def test_fast_form_is_the_same_grammar() -> None:
    assert FAST.groupindex == PLAIN.groupindex
    assert FAST.flags & re.VERBOSE == 0 and FAST.flags & re.ASCII == 0
    assert ")?" not in FAST.pattern.replace("\\)?", "")  # no optional group is left
    assert "(?-i:[sSſ])" in FAST.pattern  # first letters are folded, with their Unicode folds
    assert times._fast_form("(a)?(?:b|c)?(?P<x>d(?:e)?)?[)]?\\)?(?P=x)") == (
        "(?:(a)|)(?:b|c|)(?:(?P<x>d(?:e|))|)[)]?\\)?(?P=x)"
    )
    assert times._fast_form("(?i:in|(?:the)?kin|kin)(?P<y>s)(?P=y)") == (
        "(?i:(?-i:[iI\u0130\u0131])n|(?:(?-i:[tT])he|)kin|(?-i:[kK\u212a])in)(?P<y>s)(?P=y)"
    )
    assert times._unverbose(" a [ b] \\  c\n ") == "a[ b]\\ c"


def test_fast_form_matches_like_the_plain_form_at_every_position_of_every_article() -> None:
    assert len(ARTICLES) > 20
    for path in ARTICLES:
        _same_match_everywhere(path.read_text(encoding="utf-8", errors="replace"))


@settings(max_examples=500, deadline=None)
@given(grammar_texts)
def test_fast_form_matches_like_the_plain_form_on_generated_text(text: str) -> None:
    _same_match_everywhere(text)


# -- the value and the match, built without their constructors ---------------------------------


def test_time_value_builds_what_validation_builds() -> None:
    start, end = datetime(2017, 12, 29, 19, 35), datetime(2017, 12, 29, 19, 45)
    for s, e, gran, anchor, ref, weekday in [
        (start, end, "minute", "document", date(2017, 12, 30), 4),
        (start, end, "day", "absolute", None, None),
        (None, None, "week", "unresolved", None, None),
        (start, end, "part_of_day", "consensus", date(2017, 12, 30), 0),
    ]:
        got = times._time_value(s, e, gran, anchor, ref, weekday)
        want = TimeValue(start=s, end=e, granularity=gran, anchor=anchor, reference=ref,
                         inferred=anchor == "consensus", weekday=weekday)
        assert got == want and hash(got) == hash(want)
        assert list(got.__dict__.items()) == list(want.__dict__.items())
        assert got.model_fields_set == want.model_fields_set
        assert got.model_dump_json() == want.model_dump_json()
        assert got.__pydantic_extra__ is None and got.__pydantic_private__ is None
        assert got.model_copy(update={"weekday": 1}).weekday == 1


def test_matches_are_whole_objects_on_every_article() -> None:
    found = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        for ref, anchor in ((date(2017, 12, 30), "document"), (None, "consensus")):
            for m in find_times(text, ref, anchor):  # type: ignore[arg-type]
                assert m == TimeMatch(**{f: getattr(m, f) for f in times._MATCH_FIELDS})
                assert m.value == TimeValue.model_validate(m.value.model_dump())
                assert m.value.model_fields_set == set(times._VALUE_FIELDS[1:])
                assert text[m.start : m.end] == m.text
                found += 1
    assert found > 100


def test_a_reference_the_engine_did_not_make_is_validated() -> None:
    text = "It happened on Monday at 7.40pm."
    plain = find_times(text, date(2017, 12, 30))
    moved = find_times(text, datetime(2017, 12, 30))  # type: ignore[arg-type]
    assert plain == moved and type(moved[0].value.reference) is date
    # an anchor TimeValue rejects (a ValueError) drops the relative times, as validation did
    assert issubclass(ValidationError, ValueError)
    assert find_times(text, date(2017, 12, 30), "nowhere") == []  # type: ignore[arg-type]


# -- the scan and the future cues' prefilter ---------------------------------------------------

CUE_TOKENS = [
    "will", "Will", "wiLL", "wıll", "won't", "won’t", "wont", "shall", "ſhall", "would",
    "wouldn’t", "next", "upcoming", "this coming", "this  coming", "is to", "are due", "was set to",
    "were scheduled to", "is expected to", "are slated to", "is planned to", "was planning to",
    "is going to", "due on", "due by", "due back", "due to the", "due to arrive", "expected to",
    "plan to", "plans to", "scheduled", "they'll", "we’ll", "'ll", "ll", "is", "to", "due", "set",
    "swill", "nextdoor", "é", "ü", "\xa0", "\u2009", "\n", ",", ".", ";", "“", "”", '"', " ", "  ",
    "on Monday", "Friday", "on 7 December", "2015",
]
cue_texts = st.lists(st.sampled_from(CUE_TOKENS) | st.text(max_size=3), max_size=30).map(
    lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts))


def _same_cues_everywhere(text: str) -> None:
    enc = placeholder_text(text)
    for start in range(len(text) + 1):
        want = times._clause_has_future_cue(text, start)
        assert times._clause_has_future_cue(text, start, enc) == want, (text, start)


def test_future_cue_prefilter_never_drops_a_cue_in_any_article() -> None:
    cues = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        _same_cues_everywhere(text)
        cues += times._FUTURE_CUE_RE.search(text) is not None
    assert cues > 10


@settings(max_examples=500, deadline=None)
@given(cue_texts)
def test_future_cue_prefilter_never_drops_a_cue_in_generated_text(text: str) -> None:
    _same_cues_everywhere(text)


def _spans(matches) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]


def _same_scan(text: str) -> None:
    got = _spans(times._SCANNER.finditer(text, None, placeholder_text(text)))
    assert got == _spans(PLAIN.finditer(text)), text


def test_scan_finds_what_the_grammar_finds_in_every_article() -> None:
    for path in ARTICLES:
        _same_scan(path.read_text(encoding="utf-8", errors="replace"))


@settings(max_examples=500, deadline=None)
@given(grammar_texts)
def test_scan_finds_what_the_grammar_finds_in_generated_text(text: str) -> None:
    _same_scan(text)
