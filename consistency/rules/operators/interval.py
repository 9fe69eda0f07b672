"""``interval``: two values contradict when their intervals are disjoint.

Numbers compare as [low, high] (open ends are infinite); a relative ``tolerance`` widens both
(measures converted between feet and metres are rounded). Times compare as [start, end); when one
of two event times has no known day (a bare "1.10 pm"), they compare by time of day.
With ``developing_when_published_apart``, a disjoint pair from articles published on different
days is a story that developed (a toll that grew), not a contradiction. An undated article
counts as of the story's consensus date; with no date at all the pair is judged as it stands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from datetime import datetime, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from consistency.models import EventTimeFact, Fact, NumberValue, TimeValue
from consistency.rules.operators.base import StoryFacts


class IntervalOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tolerance: float = Field(0.0, ge=0.0, le=1.0, description="relative widening of both values")
    developing_when_published_apart: bool = Field(
        False, description="a disjoint pair from articles published on different days is "
                           "'developing' (a toll that grew), not a contradiction")


def compare_interval(a: Fact, b: Fact, options: IntervalOptions, story: StoryFacts) -> str | None:
    va, vb = a.value, b.value
    if isinstance(va, NumberValue) and isinstance(vb, NumberValue):
        # _same_figure, then _numbers, with each field read once
        low_a, high_a, unit_a = va.low, va.high, va.unit or None
        low_b, high_b, unit_b = vb.low, vb.high, vb.unit or None
        if (low_a == low_b and high_a == high_b and unit_a == unit_b
                and (low_a is None or high_a is None or low_a <= high_a)):
            return None
        if _both_give_both(a, b, va, vb):
            return None
        if unit_a != unit_b or _vague(va) or _vague(vb):
            return None
        verdict = _compare_bounds(low_a, high_a, low_b, high_b, options.tolerance)
    elif isinstance(va, TimeValue) and isinstance(vb, TimeValue):
        verdict = _times(a, b, va, vb)
    else:
        return None
    if verdict == "contradiction" and options.developing_when_published_apart:
        pa, pb = story.reference.get(a.doc), story.reference.get(b.doc)
        if pa is not None and pb is not None and pa != pb:
            return "developing"
    return verdict


_DIGITS = re.compile(r"\d[\d,]*")


@lru_cache(maxsize=4096)  # each fact is paired with every other member of its cluster
def _token(text: str) -> str | None:
    """The number as written in the evidence ("around 50 people" -> "#50")."""
    m = _DIGITS.search(text)
    return "#" + m.group().replace(",", "") if m else None


def _both_give_both(a: Fact, b: Fact, va: NumberValue, vb: NumberValue) -> bool:
    """"27 on the manifest, around 50 on board" in both sources, paired the wrong way round:
    when each clause also states the other's number, the sources agree on both figures."""
    ta = _token(a.text)
    if ta is None or ta not in b.terms:
        return False
    tb = _token(b.text)
    return tb is not None and tb in a.terms


def _same_figure(a: NumberValue, b: NumberValue) -> bool:
    """One well-ordered figure in one unit, stated twice: ``_numbers`` can only find agreement
    (equal intervals overlap), so its arithmetic is skipped. Most pairs of a cluster are this."""
    return (a.low == b.low and a.high == b.high and (a.unit or None) == (b.unit or None)
            and (a.low is None or a.high is None or a.low <= a.high))


def interval_agree_key(fact: Fact) -> Hashable | None:
    """Equal keys agree: one well-ordered figure in one unit (``_same_figure``), or one time
    interval of positive length read alike (by day or by time of day). NaN or inverted
    figures, empty or unresolved times get no key and are always compared."""
    v = fact.value
    if isinstance(v, NumberValue):
        low, high = v.low, v.high
        if low is not None and high is not None:
            if not low <= high:
                return None  # inverted, or NaN (which compares false)
        elif low != low or high != high:
            return None  # NaN: equal to nothing, yet a tuple holding the same NaN is equal
        return "number", low, high, v.unit or None
    if isinstance(v, TimeValue):
        start, end = v.start, v.end
        if start is None or end is None:
            return None
        try:
            if not start < end:
                return None  # an empty interval is disjoint even from itself
        except TypeError:  # naive against aware: leave it to the operator
            return None
        day_known = fact.day_known if isinstance(fact, EventTimeFact) else True
        return "time", start, end, day_known
    return None


def _bounds(low: float | None, high: float | None, tol: float) -> tuple[float, float]:
    lo = -math.inf if low is None else float(low)
    hi = math.inf if high is None else float(high)
    return lo - abs(lo) * tol if lo != -math.inf else lo, hi + abs(hi) * tol


def _vague(v: NumberValue) -> bool:
    """ "several", "a few", "dozens": words too loose to contradict a figure."""
    return v.approximate and v.qualifier is None


def _numbers(a: NumberValue, b: NumberValue, tol: float) -> str | None:
    if (a.unit or None) != (b.unit or None):
        return None
    if _vague(a) or _vague(b):
        return None
    return _compare_bounds(a.low, a.high, b.low, b.high, tol)


def _compare_bounds(low_a: float | None, high_a: float | None, low_b: float | None,
                    high_b: float | None, tol: float) -> str | None:
    """``_numbers`` of two figures in one unit, neither vague."""
    la, ha = _bounds(low_a, high_a, tol)
    lb, hb = _bounds(low_b, high_b, tol)
    if ha < lb or hb < la:
        return "contradiction"
    if (low_a, high_a) == (low_b, high_b):
        return None
    return "imprecise"


def _times(fa: Fact, fb: Fact, a: TimeValue, b: TimeValue) -> str | None:
    if None in (a.start, a.end, b.start, b.end):
        return None
    day_known = all(getattr(f, "day_known", True) for f in (fa, fb) if isinstance(f, EventTimeFact))
    sa, ea, sb, eb = a.start, a.end, b.start, b.end
    assert sa and ea and sb and eb
    if not day_known:
        if ea - sa > timedelta(hours=12) or eb - sb > timedelta(hours=12):
            return None  # a bare clock time against a whole day: nothing to compare
        sa, ea = _time_of_day(sa, ea)
        sb, eb = _time_of_day(sb, eb)
    if ea <= sb or eb <= sa:
        return "contradiction"
    if (sa, ea) == (sb, eb):
        return None
    return "imprecise"


def _time_of_day(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    base = datetime(2000, 1, 1)
    s = base + (start - datetime(start.year, start.month, start.day))
    return s, s + (end - start)
