"""PEOPLE fast paths: each pre-test only says "no" where the plain code finds nothing.

The plain code is run by swapping a pre-test for a pattern that always matches; texts are the
seed articles, tests/data and hypothesis text built from names, titles, particles and the
characters that make regex semantics tricky (Unicode spaces, curly apostrophes, hyphens).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import people as pp
from consistency.text import Sentence, sentences

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])
_CAPITAL = re.compile("[A-Z]")  # the plain walk: every capital of the sentence

WORDS = ["Mr", "Mr.", "Dr", "Wing Commander", "Vice President", "Chief", "Minister", "Maria",
         "Zuberi", "O'Neil", "O’Neil", "Jean-Luc", "A.", "P", "S", "de", "de la", "van der",
         "al-", "al-Assad", "bin", "police", "spokesman", "said", "the", "Police", "Hospital",
         "Ghana’s", "Kwame", ",", ".", "(", "-", "’", " ", "\xa0", "\u2009", "\n", "\t", "x", "K"]
text_strategy = st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=14).map(" ".join)


def _plain_candidates(text: str, sentence: Sentence) -> list[pp._Candidate]:
    saved = pp._MENTION_START
    pp._MENTION_START = _CAPITAL
    try:
        return pp._candidates(text, sentence)
    finally:
        pp._MENTION_START = saved


def _check(text: str, sentence: Sentence) -> None:
    assert pp._candidates(text, sentence) == _plain_candidates(text, sentence), sentence.text


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_walk_from_pair_to_pair_equals_the_walk_over_capitals(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for sentence in sentences(text):
        _check(text, sentence)


@settings(max_examples=600, deadline=None)
@given(text=text_strategy, cut=st.tuples(st.integers(0, 6), st.integers(0, 6)))
def test_walk_from_pair_to_pair_on_generated_text(text: str, cut: tuple[int, int]) -> None:
    # a sentence cut out of a longer text: lookbehinds see the characters before its start
    start, end = cut[0], max(cut[0], len(text) - cut[1])
    start = min(start, end)
    _check(text, Sentence(start, end, text[start:end]))


@settings(max_examples=600, deadline=None)
@given(text=text_strategy)
def test_every_title_or_two_token_match_holds_a_capitalised_pair(text: str) -> None:
    for m in re.finditer(r"[A-Z]", text):
        found = pp._PERSON_RE.match(text, m.start())
        if found and (found.group("title") or len(found.group("name").split()) > 1):
            assert pp._MENTION_START.match(text, found.start(), found.end()), found.group()


SPEECH_WORDS = ["he", "He", "she", "She", "SHE", "the", "said", "added", "told", "noted", "saidx",
                "sAid", " ", "\xa0", "\u2009", "\n", "-", "’", "x", ","]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(SPEECH_WORDS) | st.text(max_size=2), max_size=10).map("".join),
       cut=st.tuples(st.integers(0, 4), st.integers(0, 4)))
def test_pronoun_tail_pretest_never_rules_out_a_match(text: str, cut: tuple[int, int]) -> None:
    start, end = cut[0], max(cut[0], len(text) - cut[1])
    if pp._PRONOUN_SPEECH.search(text, start, end):
        assert pp._PRONOUN_SPEECH_TAIL.search(text, start, end)


# --- sentence splitting ----------------------------------------------------------------------

def _plain_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """``text.sentences`` as first written: every end of ``_SENT_END.finditer``, the whole
    tail searched for an abbreviation."""
    from consistency import text as tx

    end = len(text) if end is None else end
    out: list[Sentence] = []
    cursor = start
    for match in tx._SENT_END.finditer(text, start, end):
        tail = text[max(cursor, match.start() - 12) : match.start()]
        if tx._ABBREV.search(tail) and "\n" not in match.group():
            continue
        tx._append(out, text, cursor, match.start())
        cursor = match.end()
    tx._append(out, text, cursor, end)
    return out


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_sentences_equal_the_plain_split_on_articles(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert sentences(text) == _plain_sentences(text)
    third = len(text) // 3
    assert sentences(text, third, len(text) - third) == _plain_sentences(text, third,
                                                                          len(text) - third)


SENTENCE_PARTS = ["Mr.", "Mrs.", "Sept.", "U.S.", "a.m.", "p.m.", "Gen.", "He", "said", "word",
                  "x.", "Xy.", "etc.", ".", "!", "?", ":", '"', "”", "’", ")", "(", "\n", "\n\n",
                  " ", "a", "B", "12", "“", "\t", "é.", "_.", "Ab1."]


@settings(max_examples=800, deadline=None)
@given(parts=st.lists(st.sampled_from(SENTENCE_PARTS), max_size=30),
       cut=st.tuples(st.integers(0, 5), st.integers(0, 5)))
def test_sentences_equal_the_plain_split_on_generated_text(parts: list[str],
                                                           cut: tuple[int, int]) -> None:
    text = "".join(parts)
    assert sentences(text) == _plain_sentences(text)
    start, end = cut[0], max(cut[0], len(text) - cut[1])
    assert sentences(text, start, end) == _plain_sentences(text, start, end)


# --- background sentences --------------------------------------------------------------------

def _background_both_ways(text: str, day: date | None) -> None:
    import consistency.extract as ex
    from consistency.extract.context import DocContext, Reference
    from consistency.extract.temporal import extract_times
    from consistency.ingest import document_from_text

    doc = document_from_text(text)
    ctx = DocContext.build(doc, Reference(day=day or doc.published))
    times = extract_times(ctx)[1]
    fast = ex._background_sentences(ctx, times)
    saved = ex._NEXT_CUE
    ex._NEXT_CUE = None  # the per-sentence pre-test of every sentence
    try:
        assert fast == ex._background_sentences(ctx, times)
    finally:
        ex._NEXT_CUE = saved


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_background_sentences_equal_the_per_sentence_test_on_articles(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    _background_both_ways(text, None)
    _background_both_ways(text, date(2011, 6, 1))


CUE_PARTS = ["months earlier", "years ago", "last year", "previously", "in the past", "in 2004",
             "since 1999", "this season", "every year", "so far this", "since mid-March",
             "since the start of", "ſince 2003", "in 20", "04", "The fire", "killed 3", ".", " ",
             "\n\n", "“", "’", "é", "On Monday", "2011", "people"]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(CUE_PARTS), max_size=20))
def test_background_sentences_equal_the_per_sentence_test_on_generated_text(
        parts: list[str]) -> None:
    _background_both_ways(" ".join(parts), date(2011, 6, 1))
