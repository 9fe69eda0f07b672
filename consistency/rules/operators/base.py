"""What every comparison operator sees and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from consistency.models import Fact


@dataclass(frozen=True)
class StoryFacts:
    """Story-wide context an operator may need: page dates and the consensus date."""

    published: dict[str, date | None] = field(default_factory=dict)
    consensus: date | None = None
    consensus_docs: tuple[str, ...] = ()


# (a, b, options, story) -> verdict name or None (agreement)
PairOperator = Callable[[Fact, Fact, dict[str, Any], StoryFacts], str | None]
# (fact, options, story) -> verdict name or None, for single-fact checks
SingleOperator = Callable[[Fact, dict[str, Any], StoryFacts], str | None]
