"""The direct builds and shared readings of quantity reading equal the plain code they replace."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import quantities as q
from consistency.extract.context import DocContext, Reference
from consistency.extract.numbers import NumberMatch, find_numbers
from consistency.ingest.build import document_from_text
from consistency.text import Sentence, clause_window, sentences, stem

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


def _noun_phrase_plain(text: str, pos: int) -> q.NounPhrase | None:
    """``noun_phrase`` as first written: a loop over the ``_WORD_RE`` words after ``pos``."""
    tokens: list[str] = []
    end = pos
    for m in q._WORD_RE.finditer(text, pos, min(len(text), pos + 60)):
        gap = text[end:m.start()]
        if tokens and (gap.strip() or "\n" in gap):
            break
        if not tokens and text[pos:m.start()].strip(" -"):
            break
        word = m.group().lower()
        if tokens and word.endswith(("ed", "ing")) and word not in q._KEEP_PARTICIPLE:
            break
        if (word in ("onboard", "aboard") or word in q._NP_STOP
                or not m.group()[0].islower() and tokens):
            break
        tokens.append(word)
        end = m.end()
        if len(tokens) == 3:
            break
    if not tokens:
        place = q._LOCATIVE.match(text, pos)
        if place and place.group("board"):
            return q.NounPhrase(head="people", modifiers=("on-board",), end=place.end())
        return None
    head = q._NOUN_CANON.get(tokens[-1], stem(tokens[-1]))
    mods = tuple(stem(t) for t in tokens[:-1] if t not in q._NEUTRAL_MODIFIERS)
    both = q._AND_NOUN.match(text, end)
    if both and both.group(1).lower() not in q._NP_STOP:
        head = f"{head}+{q._NOUN_CANON.get(both.group(1).lower(), stem(both.group(1).lower()))}"
        end = both.end()
    place = q._LOCATIVE.match(text, end)
    if place:
        mods = (*mods, "on-board" if place.group("board") else "on-ground")
        end = place.end()
    return q.NounPhrase(head=head, modifiers=mods, end=end)


def test_noun_phrase_equals_the_word_loop() -> None:
    """At every position of the test articles."""
    checked = 0
    for path in ARTICLES:
        text = document_from_text(path.read_text(encoding="utf-8", errors="replace")).text
        for pos in range(len(text) + 1):
            assert q.noun_phrase(text, pos) == _noun_phrase_plain(text, pos), text[pos:pos + 60]
            checked += 1
    assert checked > 50_000


NP_PIECES = ["people", "known", "suspects", "linked", "building", "on board", "Aboard", "the",
             "women", " ", "  ", "-", " - ", "\n", "\t", "\xa0", "\u2009", "\x1c", "’s", "'",
             "killed", "and", ",", "12", "é", "x" * 30, "K", "ſ", "crew"]


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.sampled_from(NP_PIECES) | st.text(max_size=2), max_size=16))
def test_noun_phrase_on_generated_text(parts: list[str]) -> None:
    text = "".join(parts)
    for pos in range(len(text) + 1):
        assert q.noun_phrase(text, pos) == _noun_phrase_plain(text, pos), (text, pos)


def _outcome_plain(ctx: DocContext, sentence: q._Sentence, m: NumberMatch,
                   np: q.NounPhrase | None) -> str | None:
    """``_outcome`` without its first RE2 test over the span all its readings look at."""
    if np is not None and np.head == "people" and ctx.text[m.end:np.end].strip().lower() in (
            "deaths", "dead", "fatalities", "bodies", "lives"):
        return "killed"
    after_end = np.end if np else m.end
    follow = q._CUE_AFTER.match(ctx.text, after_end, min(len(ctx.text), after_end + 60))
    if follow and follow.group("cue").lower() in q._CUE_TO_OUTCOME:
        return q._CUE_TO_OUTCOME[follow.group("cue").lower()]
    passive = q._passive_outcome(ctx, sentence, m, after_end)
    if passive is not None:
        return passive
    lo, hi = sentence.window(m.start, after_end, before=70, after=60)
    best: tuple[int, str] | None = None
    for w in q._WORD_RE.finditer(ctx.text, lo, hi):
        outcome = q._CUE_TO_OUTCOME.get(w.group().lower())
        if outcome is None or m.start <= w.start() < after_end:
            continue
        distance = m.start - w.end() if w.end() <= m.start else w.start() - after_end
        if best is None or distance < best[0]:
            best = (distance, outcome)
    return best[1] if best else None


def _check_outcomes(raw: str) -> int:
    doc = document_from_text(raw)
    ctx = DocContext.build(doc, Reference(day=None))
    matches = find_numbers(doc.text)
    checked = 0
    for sentence, found in zip(ctx.sentences, ctx.by_sentence(matches), strict=True):
        reading = q._Sentence(doc.text, sentence)
        for m in found:
            np = q.noun_phrase(doc.text, m.end)
            for phrase in (np, None):
                assert q._outcome(ctx, reading, m, phrase) == _outcome_plain(
                    ctx, reading, m, phrase), (sentence.text, m.text)
                checked += 1
    return checked


def test_outcome_pretest_on_the_test_articles() -> None:
    checked = sum(_check_outcomes(path.read_text(encoding="utf-8", errors="replace"))
                  for path in ARTICLES)
    assert checked > 500


# cues that only one reading finds, outside the clause window of the others
FAR_CUES = [
    "Fourteen people, including many from the villages who had come to the temple grounds for "
    "the festival, were killed.",
    "Police said 12 people (among them two guards) were injured.",
    "12 people from the town; were killed.",
    "Twelve people \u2014 were missing.",
    "Rescuers came.\nThey found 40 survivors\nKilled were three.",
    "Nearly 30 people   were   reportedly seriously injured after it.",
]


def test_outcome_pretest_on_far_cues() -> None:
    assert sum(_check_outcomes(text) for text in FAR_CUES) >= len(FAR_CUES)


CUE_PIECES = ["12", "three", "people", "were", "was", "have been", "seriously", "killed",
              "KILLED", "Killed", "\u212aILLED", "kil\u017fed", "\u0130njured", "injured", "dead",
              "died", "missing", "rescued", "toll", "the", "of", "women", " ", ", ", ". ", "; ",
              "(", ")", "—", "\n", "\xa0", "é", "Maria", "on board", "a"]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(CUE_PIECES), max_size=40))
def test_outcome_pretest_on_generated_text(parts: list[str]) -> None:
    _check_outcomes(" ".join(parts))
