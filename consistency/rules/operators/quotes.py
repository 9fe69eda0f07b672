"""``quote-wording``: one speaker's quote given in different words by two sources.

Quotes pair when the speaker is the same and most of their words are shared; a pair that differs
only in spelling, case or punctuation ("neutralise"/"neutralize") is a ``variant``, one whose
words changed is ``reworded``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from consistency.models import Fact, QuoteFact
from consistency.rules.operators.base import StoryFacts


class QuoteOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_overlap: float = Field(0.8, ge=0.0, le=1.0,
                               description="least word overlap for two quotes to be one quote")

_WORDS = re.compile(r"[a-z0-9]+")


def _norm(text: str) -> list[str]:
    return _WORDS.findall(text.lower().replace("’", "'"))


def quote_agree_key(fact: Fact) -> Hashable | None:
    """One speaker's quote in the same words is one quote."""
    return (fact.value.speaker, fact.value.quote) if isinstance(fact, QuoteFact) else None


def compare_quotes(a: Fact, b: Fact, options: QuoteOptions, story: StoryFacts) -> str | None:
    if not isinstance(a, QuoteFact) or not isinstance(b, QuoteFact):
        return None
    if not a.value.speaker or a.value.speaker != b.value.speaker:
        return None
    wa, wb = _norm(a.value.quote), _norm(b.value.quote)
    if wa == wb:
        return None
    if "".join(wa) == "".join(wb):
        return "variant"  # "air strikes" / "airstrikes", "co-operate" / "cooperate"
    overlap = fuzz.token_set_ratio(" ".join(wa), " ".join(wb)) / 100
    if overlap < options.min_overlap:
        return None  # different quotes, not one quote worded two ways
    if len(wa) == len(wb) and all(fuzz.ratio(x, y) >= 75 for x, y in zip(wa, wb, strict=True)):
        return "variant"
    return "reworded"
