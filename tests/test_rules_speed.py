"""The rules' fast paths give what the plain code they stand in front of gives, on real stories
(generated ones, seeds/ and tests/data) and on random blocks."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import write_corpus
from consistency.align import (
    TermWeights,
    _grow,
    _grow_by_pairs,
    _scored_pairs,
    member_key,
    pair_score,
)
from consistency.engine import extract_story
from consistency.models import EventTimeFact, Fact, NumberValue, TimeValue
from consistency.rules.kinds.common import block_key, block_key_of
from consistency.rules.loader import SHIPPED_RULES, load_rules
from consistency.rules.render import _format_time, describe_value
from tests.test_align import count

ROOT = Path(__file__).resolve().parents[1]
STORIES = [ROOT / "seeds", ROOT / "tests" / "data" / "story_harbour_collapse",
           ROOT / "tests" / "data" / "story_quiet"]


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> list[list[Fact]]:
    corpus = tmp_path_factory.mktemp("corpus")
    folders = [Path(s["dir"]) for s in write_corpus(corpus, 60, seed=11)]
    return [extract_story([folder]).facts for folder in [*STORIES, *folders]]


def _plain_block_key(fact: Fact) -> str | None:
    """``block_key`` as one chain of kind tests."""
    event = fact.event or "main"
    if fact.kind == "casualty":
        return f"{event}|{fact.outcome}|{fact.noun}"  # type: ignore[union-attr]
    if fact.kind == "count":
        return f"{event}|{fact.noun}"  # type: ignore[union-attr]
    if fact.kind in ("measure", "duration"):
        return f"{event}|{fact.value.unit}"  # type: ignore[union-attr]
    if fact.kind == "age":
        from consistency.align import name_key

        return name_key(fact.person.split()[-1])  # type: ignore[union-attr]
    if fact.kind == "quote":
        return fact.value.speaker  # type: ignore[union-attr]
    return event


def test_block_keys_per_kind_are_block_keys(stories: list[list[Fact]]) -> None:
    kinds = Counter()
    for facts in stories:
        for f in facts:
            assert block_key_of(f.kind)(f) == block_key(f) == _plain_block_key(f)
            kinds[f.kind] += 1
    assert len(kinds) >= 8


def test_term_weights_are_idf_of_the_articles(stories: list[list[Fact]]) -> None:
    """The weights, built from one set update per run of an article's facts and one log per
    document count, are log(1 + (n + 1) / (1 + df)) of every term, also when an article's
    facts are not contiguous."""
    for facts in [*stories, [f for fs in stories[:3] for f in fs[::-1]]]:
        docs: dict[str, set[str]] = defaultdict(set)
        for f in facts:
            docs[f.doc].update(f.terms)
        n = max(1, len(docs))
        weights = TermWeights(facts)
        for term in set().union(*docs.values()):
            df = sum(term in s for s in docs.values())
            assert weights.weight(term) == math.log(1 + (n + 1) / (1 + df))
        assert weights.weight("no such term anywhere") == math.log(1 + (n + 1) / 1)


def test_block_scores_are_pair_scores_on_real_blocks(stories: list[list[Fact]]) -> None:
    checked = 0
    for facts in stories:
        weights = TermWeights(facts)
        blocks: dict[str | None, list[Fact]] = defaultdict(list)
        for f in facts:
            blocks[(f.kind, block_key(f))].append(f)  # type: ignore[index]
        for block in blocks.values():
            docs = [f.doc for f in block]
            for bonus, keys in ((0.0, {}), (0.2, {"event": 0.1})):
                for score, i, j in _scored_pairs(block, docs, weights, -1.0, None, keys, bonus):
                    assert score == pair_score(weights, block[i], block[j], keys, bonus)
                    checked += 1
    assert checked > 500


def _event(doc: str, hour: int | None, terms: tuple[str, ...]) -> EventTimeFact:
    start = datetime(2020, 5, 1, hour or 0)
    value = TimeValue(start=start, end=start + timedelta(hours=1 if hour is not None else 24),
                      granularity="hour" if hour is not None else "day")
    return EventTimeFact(doc=doc, text="t", start=hour or 0, end=1, terms=terms, value=value)


@st.composite
def blocks(draw: st.DrawFn) -> tuple[list[Fact], list[str], list[tuple[float, int, int]]]:
    """A block of facts from a few articles (event times with a clock or a day among them)
    and scored pairs of different articles, best first, as ``_scored_pairs`` gives them."""
    n = draw(st.integers(1, 7))
    docs = draw(st.lists(st.sampled_from("abcdef"), min_size=n, max_size=n))
    kinds = draw(st.lists(st.sampled_from(["count", "clock", "day"]), min_size=n, max_size=n))
    block: list[Fact] = [count(d, "people", k, ("x",)) if kind == "count"
                         else _event(d, k if kind == "clock" else None, ("x",))
                         for k, (d, kind) in enumerate(zip(docs, kinds, strict=True))]
    candidates = [(i, j) for i, j in combinations(range(n), 2) if docs[i] != docs[j]]
    chosen = draw(st.lists(st.sampled_from(candidates), unique=True) if candidates
                  else st.just([]))
    if draw(st.booleans()):
        chosen = candidates  # every pair passes: the usual block
    scores = draw(st.lists(st.sampled_from([0.2, 0.5, 0.7, 1.0]), min_size=len(chosen),
                           max_size=len(chosen)))
    pairs = sorted(((s, i, j) for s, (i, j) in zip(scores, chosen, strict=True)), reverse=True)
    return block, docs, pairs


@settings(max_examples=400, deadline=None)
@given(blocks())
def test_whole_block_shortcut_is_the_pairwise_union(case) -> None:
    block, docs, pairs = case
    fast, plain = _grow(block, docs, pairs), _grow_by_pairs(block, docs, pairs)
    assert [[id(f) for f in c.facts] for c in fast] == [[id(f) for f in c.facts] for c in plain]
    assert [c.scores for c in fast] == [c.scores for c in plain]
    for c in plain:  # and what the union promises
        assert len({member_key(f) for f in c.facts}) == len(c.facts)


def test_time_descriptions_are_strftime() -> None:
    """Descriptions of times are memoised for naive intervals; aware ones are formatted each
    time (equal aware datetimes can print differently)."""
    start = datetime(2021, 3, 4, 13, 10)
    utc, plus_one = UTC, timezone(timedelta(hours=1))
    cases = [(start, start + timedelta(minutes=5)),
             (start.replace(tzinfo=utc), start.replace(tzinfo=utc) + timedelta(hours=1)),
             (start.replace(hour=14, tzinfo=plus_one), start.replace(hour=15, tzinfo=plus_one)),
             (datetime(999, 1, 1), datetime(999, 1, 2))]
    for granularity in ("year", "month", "day", "week", "weekend", "hour", "minute"):
        for inferred in (False, True):
            for a, b in cases:
                value = TimeValue(start=a, end=b, granularity=granularity, inferred=inferred)
                for _ in range(2):
                    assert describe_value(value) == _format_time(a, b, granularity, inferred)
    assert describe_value(TimeValue(start=None, end=None, granularity="day")) == "unresolved"


def test_shipped_rules_select_one_kind(stories: list[list[Fact]]) -> None:
    """``block_key_of(rule.facts)`` stands in for ``block_key`` on what a rule selects: facts
    of its own kind only."""
    from consistency.rules.kinds.common import select
    from consistency.rules.operators import StoryFacts

    for rule in load_rules([SHIPPED_RULES]):
        for facts in stories[:4]:
            assert {f.kind for f in select(rule, facts, StoryFacts())} <= {rule.facts}


def _plain_compare_numbers(a: Fact, b: Fact, tol: float) -> str | None:
    """``compare_interval`` on two numbers as first written: ``_same_figure``, then
    ``_both_give_both``, then ``_numbers`` over each value's fields."""
    from consistency.rules.operators.interval import _both_give_both, _vague

    va, vb = a.value, b.value
    if (va.low == vb.low and va.high == vb.high and (va.unit or None) == (vb.unit or None)
            and (va.low is None or va.high is None or va.low <= va.high)):
        return None
    if _both_give_both(a, b, va, vb):
        return None
    if (va.unit or None) != (vb.unit or None) or _vague(va) or _vague(vb):
        return None

    def bounds(v: NumberValue) -> tuple[float, float]:
        low = -math.inf if v.low is None else float(v.low)
        high = math.inf if v.high is None else float(v.high)
        return low - abs(low) * tol if low != -math.inf else low, high + abs(high) * tol

    (la, ha), (lb, hb) = bounds(va), bounds(vb)
    if ha < lb or hb < la:
        return "contradiction"
    if (va.low, va.high) == (vb.low, vb.high):
        return None
    return "imprecise"


BOUNDS = [None, -1, 0, 2, 2.0, 3, 5, 50, math.nan, math.inf]
numbers = st.builds(
    NumberValue, low=st.sampled_from(BOUNDS), high=st.sampled_from(BOUNDS),
    unit=st.sampled_from([None, "", "m", "s"]), approximate=st.booleans(),
    qualifier=st.sampled_from([None, "about"]))


@settings(max_examples=1500, deadline=None)
@given(numbers, numbers, st.sampled_from([0.0, 0.1, 1.0]),
       st.sampled_from(["27 on the manifest", "around 50 people", "dozens", "2 of 3"]),
       st.sampled_from([(), ("#27",), ("#50", "#2"), ("#3",)]))
def test_interval_numbers_read_once_are_the_plain_comparison(va, vb, tol, text, terms) -> None:
    from consistency.rules.operators import StoryFacts
    from consistency.rules.operators.interval import IntervalOptions, compare_interval

    a = count("a", "people", 1, terms).model_copy(update={"value": va, "text": text})
    b = count("b", "people", 1, ("#27", "#2")).model_copy(update={"value": vb, "text": "27 of 50"})
    options = IntervalOptions(tolerance=tol)
    for x, y in ((a, b), (b, a), (a, a)):
        assert compare_interval(x, y, options, StoryFacts()) == _plain_compare_numbers(x, y, tol)


def _plain_name_key(token: str | None) -> str:
    """``name_key`` as first written: NFKD, combining marks dropped, particle, letters."""
    import re
    import unicodedata

    from consistency.align import _PARTICLES

    if not token:
        return ""
    t = unicodedata.normalize("NFKD", token)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = _PARTICLES.sub("", t.lower())
    return re.sub(r"[^a-z]", "", t)


NAMES = ["al-Hakim", "Al Hakim", "van der Berg", "Van-Dyke", "de la Cruz", "O'Brien", "Émile",
         "Müller", "ß", "İlker", "Kelvin", "Ｍａｒｙ", "Nguyễn", "bin Laden", "El-Sayed",
         "Mridha", "", "-", " ", "D'Souza", "MacLeod", "x", "Çelik"]


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.sampled_from(NAMES), st.text(max_size=12),
                 st.text(alphabet="abcdeflnorsvADEL -'é", max_size=12)))
def test_name_key_shortcuts_are_the_plain_key(token: str) -> None:
    from consistency.align import name_key

    assert name_key.__wrapped__(token) == _plain_name_key(token)


def test_name_keys_of_real_people(stories: list[list[Fact]]) -> None:
    from consistency.align import name_key

    tokens = {t for facts in stories for f in facts if f.kind == "person"
              for t in (f.value.surname, f.value.given, f.value.name)}  # type: ignore[union-attr]
    assert len(tokens) > 100
    for t in tokens:
        assert name_key.__wrapped__(t) == _plain_name_key(t)
