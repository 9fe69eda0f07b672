"""``within-doc``: each fact checked on its own (a weekday that does not fit its date)."""

from __future__ import annotations

from collections.abc import Sequence

from consistency.align import TermWeights
from consistency.models import Fact, Finding
from consistency.rules.kinds.common import run_single
from consistency.rules.operators import StoryFacts
from consistency.rules.schema import Rule


def run_within_doc(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                   weights: TermWeights) -> list[Finding]:
    return run_single(rule, facts, story, weights)


