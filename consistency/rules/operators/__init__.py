"""Comparison operators, registered in one place. A rule's ``compare`` names one of these; its
``options`` are validated against the operator's options model when the rule loads."""

from __future__ import annotations

from consistency.rules.operators.base import NoOptions, Operator, StoryFacts
from consistency.rules.operators.dates import (
    GapOptions,
    WeekdayOptions,
    check_date_gap,
    check_weekday,
)
from consistency.rules.operators.interval import (
    IntervalOptions,
    compare_interval,
    interval_agree_key,
)
from consistency.rules.operators.names import (
    RoleOptions,
    compare_gender,
    compare_name_spelling,
    compare_roles,
    compare_surnames,
    gender_agree_key,
    name_agree_key,
    role_agree_key,
)
from consistency.rules.operators.quotes import QuoteOptions, compare_quotes, quote_agree_key

REGISTRY: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("interval", compare_interval, IntervalOptions, "pair",
                 "numbers and times as intervals: disjoint = contradiction", interval_agree_key),
        Operator("name-spelling", compare_name_spelling, NoOptions, "pair",
                 "one person's given name or surname written two ways", name_agree_key),
        Operator("role-conflict", compare_roles, RoleOptions, "pair",
                 "one person's roles in classes that do not meet", role_agree_key),
        Operator("gender-conflict", compare_gender, NoOptions, "pair",
                 "Mr in one source, she in another", gender_agree_key),
        Operator("surname-conflict", compare_surnames, NoOptions, "pair",
                 "one given name with unrelated surnames in different sources", name_agree_key),
        Operator("quote-wording", compare_quotes, QuoteOptions, "pair",
                 "one speaker's quote worded differently (variant or reworded)", quote_agree_key),
        Operator("date-gap", check_date_gap, GapOptions, "single",
                 "a time too far from the story's consensus date"),
        Operator("weekday-mismatch", check_weekday, WeekdayOptions, "single",
                 "a weekday written next to a date that falls on another day"),
    )
}
OPERATORS: frozenset[str] = frozenset(REGISTRY)

__all__ = ["OPERATORS", "REGISTRY", "StoryFacts"]
