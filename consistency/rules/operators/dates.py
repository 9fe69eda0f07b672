"""Single-fact time checks: ``date-gap`` (a page date far from the story's consensus date) and
``weekday-mismatch`` (a weekday written next to a date that falls on another day)."""

from __future__ import annotations

from typing import Any

from consistency.models import Fact, TimeValue
from consistency.rules.operators.base import StoryFacts


def check_date_gap(fact: Fact, options: dict[str, Any], story: StoryFacts) -> str | None:
    value = fact.value
    if not isinstance(value, TimeValue) or value.start is None or story.consensus is None:
        return None
    if fact.doc in story.consensus_docs and len(story.consensus_docs) == 1:
        return None
    gap = abs((value.start.date() - story.consensus).days)
    return "implausible" if gap > int(options.get("max_gap_days", 30)) else None


def check_weekday(fact: Fact, options: dict[str, Any], story: StoryFacts) -> str | None:
    value = fact.value
    if not isinstance(value, TimeValue) or value.weekday is None or value.start is None:
        return None
    if value.anchor != "absolute" and not options.get("relative_too", False):
        return None
    return "contradiction" if value.start.weekday() != value.weekday else None
