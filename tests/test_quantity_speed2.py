"""Round 2 of quantity reading's fast paths: each equals the plain code it stands in front of."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import quantities as q
from consistency.extract._scan import placeholder_text
from consistency.extract.context import DocContext, Reference
from consistency.ingest.build import document_from_text
from consistency.text import sentences

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])


def _check_ahead(text: str, ranges: list[tuple[int, int]]) -> int:
    """``_Ahead.may_match`` over ascending ranges equals the prefilter asked range by range."""
    placeholder = placeholder_text(text)
    ahead = q._Ahead(q._MAY_BE_INDEFINITE, placeholder, ranges[-1][1] if ranges else 0)
    hits = 0
    for start, end in ranges:
        plain = q._MAY_BE_INDEFINITE.may_match(placeholder, start, end)
        assert ahead.may_match(start, end) == plain, (text[start:end], start, end)
        hits += plain
    return hits


def test_ahead_is_prefilter_on_articles() -> None:
    hits = 0
    for path in ARTICLES:
        doc = document_from_text(path.read_text(encoding="utf-8", errors="replace"))
        ctx = DocContext.build(doc, Reference(day=doc.published))
        hits += _check_ahead(doc.text, [(s.start, s.end) for s in ctx.sentences])
        # ranges that touch and overlap the matches' edges: every sentence cut in three
        cuts = []
        for s in ctx.sentences:
            a, b = s.start + (s.end - s.start) // 3, s.start + 2 * (s.end - s.start) // 3
            cuts += [(s.start, a), (a, b), (b, s.end)]
        _check_ahead(doc.text, cuts)
    assert hits > 10


_WORDS = ["a", "an", "single", "raid", "raids", "blast", "fire", "big", "A", "An", "search",
          "x-ray", "crash", "\u017f", "é", "\n", ".", "  ", "The", "strike", "airstrike"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.data())
def test_ahead_is_prefilter_on_generated_text(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    bounds = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=12)))
    ranges = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a <= b]
    _check_ahead(text, ranges)
    _check_ahead(text, [(s.start, s.end) for s in sentences(text)])


def _plain_terms(text: str) -> tuple[str, ...]:
    """``terms`` as first written: ``_term`` of every word, then the numbers."""
    from consistency.text import _NUMBER_TOKEN, _WORD, _term

    seen = dict.fromkeys(map(_term, _WORD.findall(text)))
    seen.pop(None, None)
    for n in _NUMBER_TOKEN.findall(text):
        seen.setdefault("#" + n.replace(",", ""), None)
    return tuple(seen)  # type: ignore[arg-type]


def test_clause_terms_are_terms_of_the_appended_numbers() -> None:
    """Every number of the test articles: the clause's terms with the sentence's other numbers
    given apart equal the terms of the clause with them appended, as first written."""
    from consistency.extract.numbers import find_numbers

    checked = 0
    for path in ARTICLES:
        doc = document_from_text(path.read_text(encoding="utf-8", errors="replace"))
        ctx = DocContext.build(doc, Reference(day=doc.published))
        for sentence, found in zip(ctx.sentences, ctx.by_sentence(find_numbers(doc.text)),
                                   strict=True):
            reading = q._Sentence(doc.text, sentence)
            for m in found:
                lo, hi = q._whole_words(doc.text, *reading.window(m.start, m.end))
                clause = doc.text[lo:m.start] + " " + doc.text[m.end:hi]
                others = q._other_numbers(ctx, reading, m)
                assert q._clause_terms(ctx, reading, m) == _plain_terms(
                    clause + " " + " ".join(others))
                checked += 1
    assert checked > 200


_PIECES = ["12", "1,200", "3.5", ",", ".", "a", " ", "x1", "٣", "-", "The", "killed", "table-top",
           "’s", "Raids", "İ", "said", "\n", "fell", "4.", "5,"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join),
       st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_terms_with_numbers_on_generated_text(text: str, more: str) -> None:
    from consistency.text import _NUMBER_TOKEN, terms

    numbers = q._NUMBER.findall(more)  # the numbers as _other_numbers reads them
    assert terms(text, numbers) == _plain_terms(text + " " + " ".join(numbers))
    assert terms(text + " " + more) == _plain_terms(text + " " + more)
    assert _NUMBER_TOKEN.findall(" ".join(numbers)) == numbers
