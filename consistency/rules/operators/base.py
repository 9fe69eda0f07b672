"""What every comparison operator sees and returns."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from consistency.models import Fact


class NoOptions(BaseModel):
    """Operators without options; any key given is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hours?|d|days?|w|weeks?)\s*$")
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "hours": 3600,
                 "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800,
                 "weeks": 604800}


def parse_duration(value: Any) -> timedelta:
    """ "30d", "12h", "2 weeks" -> timedelta; a bare number is days."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(days=value)
    m = _DURATION.match(str(value))
    if m is None:
        raise ValueError(f"bad duration {value!r}; expected a number and a unit, like 30d, 12h, 2w")
    return timedelta(seconds=float(m.group(1)) * _UNIT_SECONDS[m.group(2)])


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


@dataclass(frozen=True)
class StoryFacts:
    """Story-wide context an operator may need: page dates and the consensus date."""

    published: dict[str, date | None] = field(default_factory=dict)
    # the date each article is read as of: its own, or the consensus when it has none
    reference: dict[str, date | None] = field(default_factory=dict)
    consensus: date | None = None
    consensus_docs: tuple[str, ...] = ()
    # alignment shared by rules that select and pair the same facts the same way (the person
    # rules all cluster the same people): computed once per story
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False)


# (a, b, options, story) -> verdict name or None (agreement)
PairOperator = Callable[[Fact, Fact, Any, StoryFacts], str | None]
# (fact, options, story) -> verdict name or None, for single-fact checks
SingleOperator = Callable[[Fact, Any, StoryFacts], str | None]
# fact -> a key such that two facts with equal keys (not None) always agree, whatever the
# options: the pair operator returns None for them. Most pairs of a cluster state the same
# thing; the cross-source runner skips those pairs without calling the operator.
AgreeKey = Callable[[Fact], Hashable | None]


@dataclass(frozen=True)
class Operator:
    """One comparison operator: its function, its options model and what it compares."""

    name: str
    function: PairOperator | SingleOperator
    options: type[BaseModel]
    arity: str  # "pair" (cross-source) or "single" (within-doc, consensus)
    summary: str
    agree_key: AgreeKey | None = None  # pair operators only; see AgreeKey
