"""Rule kinds: how a rule walks the story's facts.

- ``cross-source``: facts of different articles, aligned into clusters, compared pairwise; one
  finding per cluster holding a pair with a verdict the rule gives a severity.
- ``within-doc``: each fact checked on its own (a weekday that does not fit its date).
- ``consensus``: each fact checked against the story's consensus (a page date years off); the
  finding quotes the fact and the evidence the consensus rests on.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from consistency.align import (
    Cluster,
    TermWeights,
    cluster_by_terms,
    cluster_people,
    cluster_same_given,
    name_key,
)
from consistency.models import SEVERITY_ORDER, Claim, Fact, Finding, PersonFact
from consistency.rules.operators import REGISTRY, StoryFacts
from consistency.rules.render import describe_value, render_message
from consistency.rules.schema import Rule, compile_pattern

KindRunner = Callable[[Rule, Sequence[Fact], StoryFacts, TermWeights], list[Finding]]


def options_of(rule: Rule) -> Any:
    """The rule's validated options (rules built in code, not loaded, are validated here)."""
    if rule.parsed_options is None:
        rule._options = REGISTRY[rule.compare].options.model_validate(rule.options)
    return rule.parsed_options


def select(rule: Rule, facts: Sequence[Fact]) -> list[Fact]:
    text_re = compile_pattern(rule.match.text) if rule.match.text else None
    sentence_re = compile_pattern(rule.match.sentence) if rule.match.sentence else None
    out = []
    for f in facts:
        if f.kind != rule.facts:
            continue
        if not all(_matches(f, k, v) for k, v in rule.where.items()):
            continue
        if text_re is not None and not text_re.search(f.text):
            continue
        if sentence_re is not None and not (f.sentence and sentence_re.search(f.sentence.text)):
            continue
        out.append(f)
    return out


def _matches(fact: Fact, key: str, wanted: str | list[str]) -> bool:
    value = getattr(fact, key, None)
    if value is None and hasattr(fact, "value"):
        value = getattr(fact.value, key, None)
    options = wanted if isinstance(wanted, list) else [wanted]
    if key == "event":
        value = value or "main"
    return str(value) in options


def block_key(fact: Fact) -> str | None:
    event = fact.event or "main"
    if fact.kind == "casualty":
        return f"{event}|{fact.outcome}|{fact.noun}"  # type: ignore[union-attr]
    if fact.kind == "count":
        return f"{event}|{fact.noun}"  # type: ignore[union-attr]
    if fact.kind in ("measure", "duration"):
        return f"{event}|{fact.value.unit}"  # type: ignore[union-attr]
    if fact.kind == "age":
        return name_key(fact.person.split()[-1])  # type: ignore[union-attr]
    if fact.kind == "quote":
        return fact.value.speaker  # type: ignore[union-attr]
    return event


def clusters_for(rule: Rule, chosen: Sequence[Fact], weights: TermWeights) -> list[Cluster]:
    """Align the rule's facts as its ``pair_by`` says (also used by ``explain``)."""
    if rule.pair_by == "person":
        people = [f for f in chosen if isinstance(f, PersonFact)]
        return cluster_people(people, rule.pairing.surname_similarity,
                              rule.pairing.given_similarity)
    if rule.pair_by == "given-name":
        return cluster_same_given([f for f in chosen if isinstance(f, PersonFact)])
    if rule.pair_by == "speaker":
        return _speaker_clusters(chosen)
    return cluster_by_terms(chosen, block_key, weights, rule.min_score,
                            compatible=_ratio_check(rule.pairing.max_ratio),
                            same_doc=rule.pairing.same_doc, threshold_for=_threshold(rule),
                            key_terms=rule.pairing.key_terms,
                            noun_bonus=rule.pairing.same_noun_bonus)


def run_cross_source(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                     weights: TermWeights) -> list[Finding]:
    operator = REGISTRY[rule.compare].function
    findings = []
    for cluster in clusters_for(rule, select(rule, facts), weights):
        finding = _judge_cluster(rule, cluster, operator, story)
        if finding is not None:
            findings.append(finding)
    return findings


def threshold_of(rule: Rule, fact: Fact) -> float:
    key = block_key(fact)
    return _threshold(rule)(key) if key is not None else rule.min_score


def _threshold(rule: Rule) -> Callable[[str], float]:
    """A specific subject ("adult passengers", "people on board") needs less shared context to
    align than a bare one ("people"): ``options.specific_min_score`` sets its threshold."""
    specific = rule.pairing.specific_min_score

    def threshold(key: str) -> float:
        noun = key.split("|")[-1]
        if specific is not None and (" " in noun or "+" in noun):
            return float(specific)
        return rule.min_score

    return threshold


def _ratio_check(max_ratio: float | None) -> Callable[[Fact, Fact], bool]:
    """Two quantities more than ``max_ratio`` apart are not one quantity misreported (a unit
    mix-up is a factor of about 3; a runway's length and a fall's depth are a factor of 100)."""

    def compatible(a: Fact, b: Fact) -> bool:
        if max_ratio is None:
            return True
        x, y = _mid(a), _mid(b)
        if x is None or y is None or x <= 0 or y <= 0:
            return True
        return max(x, y) / min(x, y) <= float(max_ratio)

    return compatible


def _mid(fact: Fact) -> float | None:
    value = getattr(fact, "value", None)
    low, high = getattr(value, "low", None), getattr(value, "high", None)
    if low is None and high is None:
        return None
    if low is None or high is None:
        return float(low if low is not None else high)  # type: ignore[arg-type]
    return (float(low) + float(high)) / 2


def _speaker_clusters(facts: Sequence[Fact]) -> list[Cluster]:
    by_speaker: dict[str | None, list[Fact]] = defaultdict(list)
    for f in facts:
        by_speaker[getattr(f.value, "speaker", None)].append(f)
    return [Cluster(facts=group) for speaker, group in by_speaker.items() if speaker]


def _judge_cluster(rule: Rule, cluster: Cluster, operator, story: StoryFacts) -> Finding | None:
    flagged: list[tuple[str, int, int]] = []
    for i, j in combinations(range(len(cluster.facts)), 2):
        a, b = cluster.facts[i], cluster.facts[j]
        if a.doc == b.doc and not rule.pairing.same_doc:
            continue
        verdict = operator(a, b, options_of(rule), story)
        if verdict is not None and verdict in rule.severity:
            flagged.append((verdict, i, j))
    if not flagged:
        return None
    verdict, i, j = max(flagged, key=lambda v: SEVERITY_ORDER[rule.severity[v[0]]])
    if rule.pair_by == "speaker":
        involved = [i, j]
    elif rule.compare == "interval":
        involved = _involved(cluster, flagged)
    else:
        involved = sorted({k for _, x, y in flagged for k in (x, y)})
    facts = [cluster.facts[k] for k in involved]
    scores = [s for s in (cluster.score(x, y) for _, x, y in flagged) if s is not None]
    return make_finding(rule, verdict, facts, pair=(cluster.facts[i], cluster.facts[j]),
                        score=max(scores) if scores else None)


def _involved(cluster: Cluster, flagged: list[tuple[str, int, int]]) -> list[int]:
    """Facts in a flagged pair, plus members that state yet another value: with "1.10 pm",
    "1.15 pm" and "1.30 pm", the middle one is part of the disagreement too."""
    chosen = {k for _, x, y in flagged for k in (x, y)}
    values = {describe_value(cluster.facts[k].value) for k in chosen}
    for k, fact in enumerate(cluster.facts):
        if k not in chosen and describe_value(fact.value) not in values:
            chosen.add(k)
            values.add(describe_value(fact.value))
    return sorted(chosen)


def run_single(rule: Rule, facts: Sequence[Fact], story: StoryFacts, weights: TermWeights,
               support: Callable[[Fact], list[Fact]] | None = None) -> list[Finding]:
    check = REGISTRY[rule.compare].function
    findings = []
    for fact in select(rule, facts):
        verdict = check(fact, options_of(rule), story)
        if verdict is None or verdict not in rule.severity:
            continue
        evidence = [fact, *(support(fact) if support else [])]
        findings.append(make_finding(rule, verdict, evidence, pair=(fact, evidence[-1])))
    return findings


def run_within_doc(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                   weights: TermWeights) -> list[Finding]:
    return run_single(rule, facts, story, weights)


def run_consensus(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                  weights: TermWeights) -> list[Finding]:
    """The consensus is evidenced by the same kind of fact from the articles that make it."""
    same_kind = [f for f in facts if f.kind == rule.facts and f.doc in story.consensus_docs]

    def support(fact: Fact) -> list[Fact]:
        return [f for f in same_kind if f.doc != fact.doc and f.text][:3]

    return run_single(rule, facts, story, weights, support)


KINDS: dict[str, KindRunner] = {
    "cross-source": run_cross_source,
    "within-doc": run_within_doc,
    "consensus": run_consensus,
}


def make_finding(rule: Rule, verdict: str, facts: Sequence[Fact], pair: tuple[Fact, Fact],
                 score: float | None = None) -> Finding:
    claims = [Claim(doc=f.doc, text=f.text, start=f.start, end=f.end,
                    value=f.value.model_dump(mode="json"), sentence=f.sentence) for f in facts]
    message = render_message(rule.message, rule=rule, verdict=verdict, facts=facts, pair=pair)
    return Finding(rule=rule.id, title=rule.title, severity=rule.severity[verdict],  # type: ignore[index]
                   verdict=verdict, message=message, fingerprint=fingerprint(rule.id, facts),
                   claims=claims, score=round(score, 3) if score is not None else None)


_WS = re.compile(r"\s+")


def fingerprint(rule_id: str, facts: Sequence[Fact]) -> str:
    """Stable across offsets, article order, file names and message wording: the rule id and the
    normalised quoted texts with their values, sorted."""
    parts = sorted({_WS.sub(" ", f.text.lower()).strip() + "=" + describe_value(f.value)
                    for f in facts})
    digest = hashlib.sha256("\x1f".join([rule_id, *parts]).encode()).hexdigest()
    return digest[:20]
