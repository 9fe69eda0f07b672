"""Operators' agree keys: facts with equal keys must always agree, since the cross-source
runner skips their pairs without calling the operator."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from consistency.engine import extract_story
from consistency.models import NameValue, NumberValue, PersonFact
from consistency.rules.kinds import options_of
from consistency.rules.loader import SHIPPED_RULES, load_rules
from consistency.rules.operators import REGISTRY, StoryFacts
from consistency.rules.operators.interval import interval_agree_key
from consistency.rules.operators.names import compare_roles, role_agree_key
from tests.test_align import count

ROOT = Path(__file__).resolve().parents[1]
STORIES = [ROOT / "seeds", ROOT / "tests" / "data" / "story_harbour_collapse",
           ROOT / "tests" / "data" / "story_quiet"]


@pytest.fixture(scope="module")
def facts():
    return [f for story in STORIES for f in extract_story([story]).facts]


def test_equal_keys_agree_on_real_facts(facts) -> None:
    story = StoryFacts()
    checked = 0
    for rule in load_rules([SHIPPED_RULES]):
        operator = REGISTRY[rule.compare]
        if operator.agree_key is None:
            continue
        chosen = [f for f in facts if f.kind == rule.facts]
        keys = [operator.agree_key(f) for f in chosen]
        for i, a in enumerate(chosen):
            for j, b in enumerate(chosen):
                if i != j and keys[i] is not None and keys[i] == keys[j]:
                    checked += 1
                    assert operator.function(a, b, options_of(rule), story) is None, (rule.id, a, b)
    assert checked > 100


@pytest.mark.parametrize(("low", "high"), [(math.nan, math.nan), (math.nan, None), (5, 3),
                                           (None, math.nan)])
def test_no_interval_key_for_figures_that_may_not_agree_with_themselves(low, high) -> None:
    fact = count("a", "people", 1, ("x",)).model_copy(
        update={"value": NumberValue(low=low, high=high)})
    assert interval_agree_key(fact) is None


def test_interval_keys_of_one_figure() -> None:
    a = count("a", "people", 3, ("x",))
    b = count("b", "people", 3, ("y",)).model_copy(
        update={"value": NumberValue(low=3.0, high=3.0, unit=None)})
    assert interval_agree_key(a) == interval_agree_key(b)


def test_a_role_with_no_word_gets_no_key_and_conflicts_with_nothing() -> None:
    """"." as a role (what a scraper can leave behind) used to raise IndexError inside the
    operator; it says nothing, so it conflicts with no role, and gets no key of its own."""
    def person(role: str) -> PersonFact:
        return PersonFact(doc="a", text="x", start=0, end=1,
                          value=NameValue(name="Ann Lee", given="Ann", surname="Lee", role=role))

    options = options_of(next(r for r in load_rules([SHIPPED_RULES])
                              if r.compare == "role-conflict"))
    for empty in (".", "-", " , "):
        assert role_agree_key(person(empty)) is None
        for other in (empty, "police spokesman", "Superintendent of Police"):
            assert compare_roles(person(empty), person(other), options, StoryFacts()) is None
            assert compare_roles(person(other), person(empty), options, StoryFacts()) is None
    # two readable roles still conflict as before
    assert compare_roles(person("police spokesman"), person("police chief"), options,
                         StoryFacts()) == "contradiction"


def test_time_keys_only_for_intervals_that_agree_with_themselves() -> None:
    from datetime import datetime

    from consistency.models import EventTimeFact, TimeValue
    from consistency.rules.operators.interval import compare_interval

    def event(start, end, day_known=True):
        return EventTimeFact(doc="a", text="x", start=0, end=1, day_known=day_known,
                             value=TimeValue(start=start, end=end, granularity="hour"))

    t0, t1 = datetime(2020, 1, 1, 13), datetime(2020, 1, 1, 14)
    empty = event(t1, t1)
    assert interval_agree_key(empty) is None
    assert compare_interval(empty, empty, options_of(next(
        r for r in load_rules([SHIPPED_RULES]) if r.compare == "interval")),
        StoryFacts()) == "contradiction"
    assert interval_agree_key(event(t1, t0)) is None
    assert interval_agree_key(event(None, t0)) is None
    assert interval_agree_key(event(t0, t1)) != interval_agree_key(event(t0, t1, False))
