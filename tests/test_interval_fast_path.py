"""The ``interval`` operator's shortcuts never change a verdict."""

from __future__ import annotations

import itertools
import math

from consistency.models import NumberValue
from consistency.rules.operators.interval import _numbers, _same_figure, _token

BOUNDS = [None, -1, 0, 2, 2.0, 5, math.nan, math.inf]


def test_same_figure_is_what_the_arithmetic_finds() -> None:
    """Where the shortcut says "one figure stated twice", the full comparison agrees too, for
    open, inverted, NaN and infinite bounds, any unit spelling, vague words and tolerance."""
    values = [NumberValue(low=lo, high=hi, unit=unit, approximate=approx, qualifier=qual)
              for lo, hi in itertools.product(BOUNDS, BOUNDS)
              for unit in (None, "", "m")
              for approx, qual in ((False, None), (True, None), (True, "about"))]
    seen = 0
    for a, b in itertools.product(values, repeat=2):
        if _same_figure(a, b):
            seen += 1
            for tol in (0.0, 0.1, 1.0):
                assert _numbers(a, b, tol) is None, (a, b, tol)
    assert seen > 100


def test_token_reads_the_number_as_written() -> None:
    assert _token("around 1,250 people") == "#1250"
    assert _token("dozens of people") is None
