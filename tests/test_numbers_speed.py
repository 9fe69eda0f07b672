"""The number grammar's fast paths give what the plain code they replace gives.

``consistency.extract.numbers`` builds its matches without the dataclass/pydantic constructors and
reads context with cheap string tests instead of some regex searches. Each test here keeps the
plain form (as it was written before) and compares the two on generated text full of the
characters where such shortcuts go wrong: Unicode spaces and letters, line breaks, dots, colons.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import numbers
from consistency.extract.numbers import NumberMatch, find_numbers
from consistency.models import NumberValue, trusted

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])

TOKENS = [
    "at", "least", "more", "than", "about", "approx.", "approx", "up", "to", "nearly", "a",
    "little", "over", "well", "in", "excess", "of", "the", "all", "some", "between", "only",
    "approximately", "approximatelyy", "xapproximately", "runway", "Runway:", "runway::", "No",
    "NO", "No.", "Nos.", "no", "AXB", "IX", "C", "A", "ON", "Boeing", "block-no", "A320", "3B",
    "9", "27", "1344", "pm", "p.m.", "am", "a.m", "PM", "Am", "apm", "(at", "province.At", ".",
    "..", ",", ":", ";", "-", "(", ")", " ", "  ", "\t", "\n", "\xa0", "\u202f", "\u2009", "\u3000",
    "\x85", "\x1c", "ſome", "blocK-no", "İn", "ı", "é", "’", "5", "12", "2015",
]
text_strategy = st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=30).map(
    lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts))

# -- the plain forms ---------------------------------------------------------------------------

_LAST_WORD = re.compile(r"[A-Za-z]+\.?$")
_TOKEN = re.compile(r"\S+")
_PREV_TOKEN = re.compile(r"(\S+)[ \t\u00a0]*$")
_AMPM_AFTER = re.compile(r"[ \t]?(?i:[ap]\.?m\b)")


def _last_word_plain(text: str, pos: int, floor: int) -> str | None:
    """The word the qualifier reader's fast reject looked up, found as it was before."""
    if pos <= floor or text[pos - 1] not in numbers._SPACES:
        return None
    i = pos - 1
    while i > floor and text[i - 1] in numbers._SPACES:
        i -= 1
    j = i
    while j > floor and not text[j - 1].isspace():
        j -= 1
    last = _LAST_WORD.search(text, j, i)
    return None if last is None else last.group().lower()


def _qualifier_before_plain(text: str, pos: int, floor: int):
    if _last_word_plain(text, pos, floor) not in numbers._QUAL_LAST:
        return None
    lo = max(floor, pos - 40)
    nl = text.rfind("\n", lo, pos)
    if nl >= 0:
        lo = nl + 1
    toks = [(t.start(), t.group()) for t in _TOKEN.finditer(text, lo, pos)]
    if lo > floor and lo == pos - 40 and toks:
        toks = toks[1:]
    for k in range(min(numbers._QUAL_WORDS, len(toks)), 0, -1):
        start, first = toks[-k]
        last = _LAST_WORD.search(first)
        if last is None:
            continue
        stripped = last.group()
        key = " ".join([stripped] + [t for _, t in toks[len(toks) - k + 1 :]]).lower()
        cat = numbers.QUALIFIERS.get(key)
        if cat is not None:
            return start + len(first) - len(stripped), key, cat
    return None


def _code_token_plain(text: str, cs: int) -> str | None:
    if cs < 2 or text[cs - 1] != " ":
        return None
    prev = _PREV_TOKEN.search(text, max(0, cs - 24), cs - 1)
    if prev is None or prev.end(1) != cs - 1:
        return None
    return prev.group(1)


def _is_code_before_plain(text: str, cs: int) -> bool:
    tok = _code_token_plain(text, cs)
    if tok is None:
        return False
    if tok.lower().rstrip(":") in numbers._CODE_WORDS or tok in ("No", "NO", "No.", "Nos."):
        return True
    return (
        tok not in numbers._CAPS_WORDS
        and tok[-1] not in ".,:;"
        and numbers._CODE_TOKEN.fullmatch(tok) is not None
    )


def _is_list_marker_plain(text: str, core: str, cs: int, ce: int) -> bool:
    line_start = text.rfind("\n", 0, cs) + 1
    if text[line_start:cs].strip():
        return False
    return len(core) <= 2 and (text.startswith(")", ce) or text.startswith(". ", ce))


# -- the comparisons ---------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(text_strategy, st.data())
def test_context_readers_equal_their_plain_forms(text: str, data) -> None:
    n = len(text)
    for pos in range(n + 1):
        floor = data.draw(st.integers(0, pos), label="floor") if pos % 7 == 0 else max(0, pos - 30)
        want = _qualifier_before_plain(text, pos, floor)
        assert numbers._qualifier_before(text, pos, floor) == want, (text, pos, floor)
        assert numbers._is_code_before(text, pos) == _is_code_before_plain(text, pos), (text, pos)
        assert numbers._ampm_after(text, pos) == (_AMPM_AFTER.match(text, pos) is not None)
        for ce in range(pos, min(n, pos + 3) + 1):
            core = text[pos:ce]
            assert numbers._is_list_marker(text, core, pos, ce) == _is_list_marker_plain(
                text, core, pos, ce
            )


def test_qualifier_reject_never_drops_a_qualifier() -> None:
    """Every qualifier is still found: glued after punctuation, after runs of spaces, right at
    the floor; and a qualifier word cut by the floor is read as the plain code read it."""
    for qualifier in numbers.QUALIFIERS:
        for before in ("", "x ", "(", "province.", "\n", "a  "):
            for gap in (" ", "  ", "\xa0", " \t"):
                text = f"{before}{qualifier}{gap}12 people"
                pos = text.index("12")
                got = numbers._qualifier_before(text, pos, len(before))
                assert got is not None and got[1] == qualifier, (text, got)
                for floor in range(len(before), pos):
                    want = _qualifier_before_plain(text, pos, floor)
                    assert numbers._qualifier_before(text, pos, floor) == want


def test_make_builds_what_the_constructors_build() -> None:
    text = "about 3.5 km and more"
    cases = [
        (0, 21, 6, 9, 3.5, 3.5, "m", 1000, "measure", "km", "about", "approx", False),
        (6, 9, 6, 9, 3, None, None, 1, "count", None, None, None, True),
        (6, 9, 6, 9, 10, 5, None, 1, "count", None, None, "between", False),
        (6, 9, 6, 9, 2, 7, "s", 86400, "duration", "days", "over", "gt", False),
        (6, 9, 6, 9, 0.5, 0.5, "kg", 0.45359237, "measure", "pounds", None, None, False),
        (6, 9, 6, 9, 10**17, 10**17, None, 1.0, "count", None, None, None, False),
    ]
    for start, end, cs, ce, lo, hi, canonical, factor, kind, unit_text, q, cat, vague in cases:
        got = numbers._make(
            text, start, end, cs, ce, lo, hi, canonical, factor, kind, unit_text, q, cat, vague
        )
        low, high = numbers._scale(lo, factor), numbers._scale(hi, factor)
        if low is not None and high is not None and low > high:
            low, high = high, low
        value = trusted(
            NumberValue, low=low, high=high, unit=canonical, qualifier=q,
            approximate=bool(vague or cat in numbers._APPROX_CATS),
        )
        want = NumberMatch(
            start=start, end=end, text=text[start:end], core_start=cs, core_end=ce, value=value,
            kind=kind, unit_text=unit_text, qualifier=q,
        )
        assert got == want and hash(got) == hash(want)
        assert type(got.value.low) is type(want.value.low)
        assert type(got.value.high) is type(want.value.high)
        assert list(got.value.__dict__.items()) == list(want.value.__dict__.items())
        assert got.value.model_fields_set == want.value.model_fields_set
        assert got.value.model_dump_json() == want.value.model_dump_json()
        assert got.value.__pydantic_extra__ is None and got.value.__pydantic_private__ is None
        assert got.value.model_copy(update={"written": 1}).written == 1


def test_matches_are_whole_objects_on_every_article() -> None:
    found = 0
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in find_numbers(text):
            assert m == NumberMatch(**{f: getattr(m, f) for f in numbers._MATCH_FIELDS})
            assert m.value == NumberValue.model_validate(m.value.model_dump())
            assert text[m.start : m.end] == m.text
            found += 1
    assert found > 100


# -- the grammar's fast form -------------------------------------------------------------------

PLAIN = re.compile(numbers.PATTERN, re.ASCII)
GRAMMAR_TOKENS = [
    "12", "1,200", "3.5", "1.5 million", "3 lakh", "£3bn", "$5m", "Rs 5 lakh", "two", "twenty-one",
    "two hundred and fifty", "a dozen", "half a dozen", "a few", "several hundred", "dozens of",
    "an hour", "half an hour", "an hour and a half", "a mile", "and a half", "at least", "about",
    "or more", "or so", "-odd", "plus", "+", "to", "or", "and", "-", "–", " - ", "of", "km", "%",
    "per cent", "years old", "year-old", "-year-old", "seater", "m", "M", "k", "bn", "people",
    "pounds", "hours", "sq km", "km/h", "12:30", "7.40pm", "1600 GMT", "o'clock", "Nov.", "13",
    "November", "27/11/2015", "2015-11-27", "+44 20 7946 0000", "(020) 7946 0000", "3rd", "first",
    "twenty-first", " ", "  ", "\t", "\n", "\xa0", "\u202f", "\u2009", "K", "ſ", "İ", "ı", "٣", ".",
    ",", "(", ")",
]
grammar_texts = st.lists(st.sampled_from(GRAMMAR_TOKENS) | st.text(max_size=3), max_size=25).map(
    lambda parts: " ".join(parts) if len(parts) % 3 else "".join(parts))


def _same_match_everywhere(text: str) -> None:
    for pos in range(len(text) + 1):
        want, got = PLAIN.match(text, pos), numbers._PRX.match(text, pos)
        assert (want is None) == (got is None), (text, pos)
        if want is not None and got is not None:
            assert want.regs == got.regs, (text, pos)


def test_fast_form_is_the_same_grammar() -> None:
    assert numbers._PRX.pattern != numbers.PATTERN  # the rewrite did something
    assert numbers._PRX.groupindex == PLAIN.groupindex
    assert ")?" not in numbers._PRX.pattern.replace("\\)?", "")  # no optional group is left
    assert numbers._fast_form("(a)?(?:b|c)?(?P<x>d(?:e)?)?[)]?\\)?") == (
        "(?:(a)|)(?:b|c|)(?:(?P<x>d(?:e|))|)[)]?\\)?"
    )


def test_fast_form_matches_like_the_plain_form_at_every_position_of_every_article() -> None:
    for path in ARTICLES:
        _same_match_everywhere(path.read_text(encoding="utf-8", errors="replace"))


@settings(max_examples=400, deadline=None)
@given(grammar_texts)
def test_fast_form_matches_like_the_plain_form_on_generated_text(text: str) -> None:
    _same_match_everywhere(text)


def test_offset_moves_every_position_and_nothing_else() -> None:
    from consistency.extract.numbers import find_numbers

    text = "Headline\nAt least 12 people died and 3.5 km of road, a two-week closure, 1st of May."
    body = text[9:]
    plain = find_numbers(body)
    moved = find_numbers(body, offset=9)
    assert len(plain) == len(moved) >= 3
    for a, b in zip(plain, moved, strict=True):
        assert (b.start, b.end, b.core_start, b.core_end) == (
            a.start + 9, a.end + 9, a.core_start + 9, a.core_end + 9)
        assert (b.text, b.value, b.kind, b.unit_text, b.qualifier) == (
            a.text, a.value, a.kind, a.unit_text, a.qualifier)
        assert text[b.start:b.end] == b.text
