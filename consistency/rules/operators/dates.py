"""Single-fact time checks: ``date-gap`` (a page date far from the story's consensus date) and
``weekday-mismatch`` (a weekday written next to a date that falls on another day)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from consistency.models import Fact, TimeValue
from consistency.rules.operators.base import Duration, StoryFacts


class GapOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_gap: Duration = Field(timedelta(days=30),
                              description="largest allowed distance from the consensus date")


class WeekdayOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    relative_too: bool = Field(False, description="also check weekdays resolved from relative "
                                                  "expressions, not only written dates")


def check_date_gap(fact: Fact, options: GapOptions, story: StoryFacts) -> str | None:
    value = fact.value
    if not isinstance(value, TimeValue) or value.start is None or story.consensus is None:
        return None
    if fact.doc in story.consensus_docs and len(story.consensus_docs) == 1:
        return None
    gap = abs(value.start.date() - story.consensus)
    return "implausible" if gap > options.max_gap else None


def check_weekday(fact: Fact, options: WeekdayOptions, story: StoryFacts) -> str | None:
    value = fact.value
    if not isinstance(value, TimeValue) or value.weekday is None or value.start is None:
        return None
    if value.anchor != "absolute" and not options.relative_too:
        return None
    return "contradiction" if value.start.weekday() != value.weekday else None
