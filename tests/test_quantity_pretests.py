"""The cheap tests that quantity reading runs before its patterns never change an answer.

Each pre-test may only say "certainly no match" where the pattern indeed finds none; where it
lets the pattern run, the pattern decides as before. Hypothesis builds the texts from the
words the patterns look for, mixed with the characters that make regex semantics tricky
(Unicode spaces, case-folding letters such as "ſ" and "K", curly apostrophes, digits).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import quantities as q
from consistency.text import sentences

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])

WORDS = ["were", "was", "have been", "had been", "has been", "waſ", "WERE", "killed", "seats",
         "seating", "capacity", "can carry", "could carry", "ſeats", "including", "among them",
         "of whom", "İncluding", "Maria", "Zuberi", "P S Rajput", "(", ",", ")", " ", "\xa0",
         "\u2009", "\n", "12", "48", "people", "the", "-", "’", "x", "K"]
text_strategy = st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=14).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=text_strategy)
def test_may_hold_never_rules_out_a_passive_or_capacity_match(text: str) -> None:
    if q._PASSIVE.search(text):
        assert q._may_hold(text, 0, len(text), q._PASSIVE_WORDS)
    if q._CAPACITY.search(text):
        assert q._may_hold(text, 0, len(text), q._CAPACITY_WORDS)


@settings(max_examples=400, deadline=None)
@given(text=text_strategy)
def test_subcount_word_is_the_pattern_search(text: str) -> None:
    for pos in range(len(text) + 1):
        expected = q._SUBCOUNT_WORD.search(text, max(0, pos - 20), pos)
        found = q._subcount_word(text, pos)
        assert (found and found.span()) == (expected and expected.span()), (text, pos)


@settings(max_examples=400, deadline=None)
@given(text=text_strategy)
def test_age_pretest_only_skips_windows_the_pattern_rejects(text: str) -> None:
    # _age tests the window's last non-space character before searching _AGE_BEFORE
    if text.rstrip()[-1:] not in (",", "("):
        assert q._AGE_BEFORE.search(text) is None


_NUMBER_FINDALL = re.compile(r"(?<![\w.,])\d[\d,]*(?![\w])")  # as first written


def _other_numbers_as_written(text: str, start: int, end: int, m_start: int, m_end: int) -> str:
    return " ".join(_NUMBER_FINDALL.findall(text[start:m_start] + " " + text[m_end:end]))


def test_sentence_numbers_read_once_equal_the_cut_out_reading() -> None:
    """``_other_numbers`` reads a sentence's numbers once and drops the one being read; that
    must equal reading the sentence with that number cut out, for every number of every
    sentence of the test articles (and at every digit, to reach glued cases)."""
    from consistency.extract.context import DocContext, Reference
    from consistency.ingest.build import document_from_text

    checked = 0
    for path in ARTICLES:
        doc = document_from_text(path.read_text(encoding="utf-8", errors="replace"))
        ctx = DocContext.build(doc, Reference(day=None))
        for s in sentences(doc.text):
            reading = q._Sentence(doc.text, s)  # one per sentence: its numbers are read once
            for d in re.finditer(r"\d+(?:[.,]\d+)*", s.text):
                m = _Match(s.start + d.start(), s.start + d.end())
                assert " ".join(q._other_numbers(ctx, reading, m)) == _other_numbers_as_written(
                    doc.text, s.start, s.end, m.start, m.end), (path.name, s.text, d.group())
                checked += 1
    assert checked > 300


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(["12", "1,200", "3.5", ",", ".", "a", " ", "x1", "٣", "-"]),
                     max_size=12).map("".join),
       cut=st.tuples(st.integers(0, 40), st.integers(0, 40)))
def test_sentence_numbers_on_generated_text(text: str, cut: tuple[int, int]) -> None:
    from consistency.extract.context import DocContext, Reference
    from consistency.ingest.build import document_from_text
    from consistency.text import Sentence

    a, b = sorted(min(c, len(text)) for c in cut)
    doc = document_from_text(text)
    ctx = DocContext.build(doc, Reference(day=None))
    sentence = q._Sentence(doc.text, Sentence(0, len(doc.text), doc.text))
    assert " ".join(q._other_numbers(ctx, sentence, _Match(a, b))) == _other_numbers_as_written(
        doc.text, 0, len(doc.text), a, b)


class _Match:
    """The two fields of a NumberMatch that ``_other_numbers`` reads."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
