"""The direct builds and shared readings of quantity reading equal the plain code they replace."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import quantities as q
from consistency.extract.numbers import find_numbers
from consistency.ingest.build import document_from_text
from consistency.text import Sentence, clause_window, sentences

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])


def _state(value: object) -> tuple[object, ...]:
    return (type(value), value.__dict__, value.__pydantic_fields_set__,  # type: ignore[attr-defined]
            value.__pydantic_extra__, value.__pydantic_private__)  # type: ignore[attr-defined]


def test_value_written_is_model_copy() -> None:
    """Every converted measure and duration of the test articles: the directly built value has
    the same fields, field order, fields set and extras as pydantic's ``model_copy``."""
    checked = 0
    for path in ARTICLES:
        doc = document_from_text(path.read_text(encoding="utf-8", errors="replace"))
        for m in find_numbers(doc.text):
            if m.kind not in ("measure", "duration"):
                continue
            for written, unit in ((3, m.unit_text), (1.5, "foot"), (None, None)):
                plain = m.value.model_copy(update={"written": written, "written_unit": unit})
                fast = q._value_written(m.value, written, unit)  # type: ignore[arg-type]
                assert _state(fast) == _state(plain)
                assert list(fast.__dict__) == list(plain.__dict__)
                assert fast == plain and fast.model_dump() == plain.model_dump()
                checked += 1
    assert checked > 100


def _plain_window(text: str, sentence: Sentence, start: int, end: int, before: int,
                  after: int) -> tuple[int, int]:
    lo, hi = clause_window(text, start, end, before=before, after=after)
    return max(lo, sentence.start), min(hi, sentence.end)


def _check_windows(text: str, sentence: Sentence) -> int:
    reading = q._Sentence(text, sentence)
    checked = 0
    for start in range(sentence.start, sentence.end):
        for end in (start, start + 1, start + 3, start + 12, sentence.end, sentence.end + 9):
            for before, after in ((60, 80), (70, 60), (50, 0), (3, 2)):
                got = reading.window(start, end, before, after)
                assert got == _plain_window(text, sentence, start, end, before, after), (
                    text[sentence.start:sentence.end], start, end, before, after)
                checked += 1
    return checked


def test_sentence_window_is_the_clamped_clause_window() -> None:
    """At every start in every sentence of the test articles, with ends inside the sentence
    and past it (a noun phrase may run over its end), for the budgets the readers use."""
    checked = 0
    for path in ARTICLES[:40]:
        doc = document_from_text(path.read_text(encoding="utf-8", errors="replace"))
        for s in sentences(doc.text, doc.body_start, doc.body_end):
            checked += _check_windows(doc.text, s)
    assert checked > 10_000


PUNCT = [";", ":", "—", "–", "(", ")", " ", "a", "7", ".", "\n", "-", "é"]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(PUNCT), min_size=1, max_size=60).map("".join),
       cut=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_sentence_window_on_punctuation_soup(text: str, cut: tuple[int, int]) -> None:
    a, b = sorted(min(c, len(text)) for c in cut)
    if a == b:
        return
    _check_windows(text, Sentence(a, b, text[a:b]))
