"""Comparison operators, registered in one place. A rule's ``compare`` names one of these."""

from __future__ import annotations

from consistency.rules.operators.base import PairOperator, SingleOperator, StoryFacts
from consistency.rules.operators.dates import check_date_gap, check_weekday
from consistency.rules.operators.interval import compare_interval
from consistency.rules.operators.names import (
    compare_gender,
    compare_name_spelling,
    compare_roles,
    compare_surnames,
)
from consistency.rules.operators.quotes import compare_quotes

PAIR_OPERATORS: dict[str, PairOperator] = {
    "interval": compare_interval,
    "name-spelling": compare_name_spelling,
    "role-conflict": compare_roles,
    "gender-conflict": compare_gender,
    "surname-conflict": compare_surnames,
    "quote-wording": compare_quotes,
}
SINGLE_OPERATORS: dict[str, SingleOperator] = {
    "date-gap": check_date_gap,
    "weekday-mismatch": check_weekday,
}
OPERATORS: frozenset[str] = frozenset(PAIR_OPERATORS) | frozenset(SINGLE_OPERATORS)

__all__ = ["OPERATORS", "PAIR_OPERATORS", "SINGLE_OPERATORS", "StoryFacts"]
