"""What every rule kind shares: selecting a rule's facts, blocking keys, building findings."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any

from consistency.align import TermWeights, name_key
from consistency.models import Claim, Fact, Finding
from consistency.rules.operators import REGISTRY, StoryFacts
from consistency.rules.render import describe_value, render_message
from consistency.rules.schema import Rule, compile_pattern

KindRunner = Callable[[Rule, Sequence[Fact], StoryFacts, TermWeights], list[Finding]]


def options_of(rule: Rule) -> Any:
    """The rule's validated options (rules built in code, not loaded, are validated here)."""
    options = rule.parsed_options
    if options is None:
        options = rule._options = REGISTRY[rule.compare].options.model_validate(rule.options)
    return options


def select(rule: Rule, facts: Sequence[Fact], story: StoryFacts | None = None) -> list[Fact]:
    """The facts a rule reads, in story order. With ``story``, the story's facts are grouped by
    kind once and shared by every rule (each rule reads one kind of a story's many facts)."""
    pool = facts_of_kind(rule.facts, facts, story)
    if not rule.where and not rule.match.text and not rule.match.sentence:
        return list(pool)  # most rules read every fact of their kind
    text_re = compile_pattern(rule.match.text) if rule.match.text else None
    sentence_re = compile_pattern(rule.match.sentence) if rule.match.sentence else None
    wanted = {k: {_norm(o) for o in (v if isinstance(v, list) else [v])}
              for k, v in rule.where.items()}
    out = []
    for f in pool:
        if wanted and not all(_matches(f, k, v) for k, v in wanted.items()):
            continue
        if text_re is not None and not text_re.search(f.text):
            continue
        if sentence_re is not None and not (f.sentence and sentence_re.search(f.sentence.text)):
            continue
        out.append(f)
    return out


def facts_of_kind(kind: str, facts: Sequence[Fact], story: StoryFacts | None) -> list[Fact]:
    """The story's facts of one kind, in story order (grouped once per story when given)."""
    if story is None:
        return [f for f in facts if f.kind == kind]
    return _by_kind(facts, story)[0].get(kind, [])


def articles_with(kind: str, facts: Sequence[Fact], story: StoryFacts) -> int:
    """How many of the story's articles have facts of this kind."""
    return _by_kind(facts, story)[1].get(kind, 0)


def _by_kind(facts: Sequence[Fact],
             story: StoryFacts) -> tuple[dict[str, list[Fact]], dict[str, int]]:
    key = ("facts by kind", id(facts))
    entry = story.cache.get(key)
    if entry is None:
        by_kind: dict[str, list[Fact]] = {}
        for f in facts:
            by_kind.setdefault(f.kind, []).append(f)
        articles = {kind: len({f.doc for f in group}) for kind, group in by_kind.items()}
        entry = story.cache[key] = (facts, by_kind, articles)  # ``facts`` held: its id stays
    return entry[1], entry[2]


def _matches(fact: Fact, key: str, wanted: set[str]) -> bool:
    value = getattr(fact, key, None)
    if value is None and hasattr(fact, "value"):
        value = getattr(fact.value, key, None)
    if key == "event":
        value = value or "main"
    return _norm(value) in wanted


def _norm(value: object) -> str:
    return str(value).lower() if value is not None else "none"


def block_key(fact: Fact) -> str | None:
    """The block a fact aligns within: its event, and what it counts or measures."""
    return block_key_of(fact.kind)(fact)


def block_key_of(kind: str) -> Callable[[Fact], str | None]:
    """``block_key`` for facts all of one kind (what a rule selects), without asking each its
    kind."""
    return _BLOCK_KEYS.get(kind, _event_key)


def _event_key(fact: Fact) -> str:
    return fact.event or "main"


def _casualty_key(fact: Fact) -> str:
    return f"{fact.event or 'main'}|{fact.outcome}|{fact.noun}"  # type: ignore[union-attr]


def _noun_key(fact: Fact) -> str:
    return f"{fact.event or 'main'}|{fact.noun}"  # type: ignore[union-attr]


def _unit_key(fact: Fact) -> str:
    return f"{fact.event or 'main'}|{fact.value.unit}"  # type: ignore[union-attr]


def _age_key(fact: Fact) -> str:
    return name_key(fact.person.split()[-1])  # type: ignore[union-attr]


def _speaker_key(fact: Fact) -> str | None:
    return fact.value.speaker  # type: ignore[union-attr]


_BLOCK_KEYS: dict[str, Callable[[Fact], str | None]] = {
    "casualty": _casualty_key, "count": _noun_key, "measure": _unit_key,
    "duration": _unit_key, "age": _age_key, "quote": _speaker_key,
}


def run_single(rule: Rule, facts: Sequence[Fact], story: StoryFacts, weights: TermWeights,
               support: Callable[[Fact], list[Fact]] | None = None) -> list[Finding]:
    check = REGISTRY[rule.compare].function
    findings = []
    options = options_of(rule)
    for fact in select(rule, facts, story):
        verdict = check(fact, options, story)
        if verdict is None or verdict not in rule.severity:
            continue
        evidence = [fact, *(support(fact) if support else [])]
        findings.append(make_finding(rule, verdict, evidence, pair=(fact, evidence[-1]),
                                     key=_WS.sub(" ", fact.text.lower())))
    return findings


def make_finding(rule: Rule, verdict: str, facts: Sequence[Fact], pair: tuple[Fact, Fact],
                 key: str, score: float | None = None) -> Finding:
    claims = [Claim(doc=f.doc, text=f.text, start=f.start, end=f.end,
                    value=f.value.model_dump(mode="json"), sentence=f.sentence) for f in facts]
    message = render_message(rule.message, rule=rule, verdict=verdict, facts=facts, pair=pair)
    return Finding(rule=rule.id, title=rule.title, severity=rule.severity[verdict],  # type: ignore[index]
                   verdict=verdict, message=message, fingerprint=fingerprint(rule.id, key, facts),
                   claims=claims, score=round(score, 3) if score is not None else None)


_WS = re.compile(r"\s+")


def fingerprint(rule_id: str, key: str, facts: Sequence[Fact]) -> str:
    """What a finding is about, not where it was read: the rule, the subject it aligned on and
    the distinct values in dispute. Stable when offsets shift, articles are reordered, renamed
    or added with a value already in dispute, and when the message wording changes."""
    values = sorted({describe_value(f.value) for f in facts})
    subject = _WS.sub(" ", key.lower()).strip()
    digest = hashlib.sha256("\x1f".join([rule_id, subject, *values]).encode()).hexdigest()
    return digest[:20]
