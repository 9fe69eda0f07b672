"""``consensus``: each fact checked against the story's consensus (a page date years off); the
finding quotes the fact and the evidence the consensus rests on."""

from __future__ import annotations

from collections.abc import Sequence

from consistency.align import TermWeights
from consistency.models import Fact, Finding
from consistency.rules.kinds.common import facts_of_kind, run_single
from consistency.rules.operators import StoryFacts
from consistency.rules.schema import Rule


def run_consensus(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                  weights: TermWeights) -> list[Finding]:
    """The consensus is evidenced by the same kind of fact from the articles that make it."""
    same_kind = [f for f in facts_of_kind(rule.facts, facts, story)
                 if f.doc in story.consensus_docs]

    def support(fact: Fact) -> list[Fact]:
        return [f for f in same_kind if f.doc != fact.doc and f.text][:3]

    return run_single(rule, facts, story, weights, support)


