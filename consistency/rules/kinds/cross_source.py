"""``cross-source``: facts of different articles, aligned into clusters, compared pairwise; one
finding per cluster holding a pair with a verdict the rule gives a severity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Sequence
from typing import Any, cast

from pydantic import BaseModel

from consistency.align import (
    Cluster,
    TermWeights,
    cluster_by_terms,
    cluster_people,
    cluster_same_given,
    name_key,
)
from consistency.models import SEVERITY_ORDER, Fact, Finding, PersonFact
from consistency.rules.kinds.common import (
    articles_with,
    block_key,
    block_key_of,
    make_finding,
    options_of,
    select,
)
from consistency.rules.operators import REGISTRY, StoryFacts
from consistency.rules.operators.base import Operator, PairOperator
from consistency.rules.render import describe_value
from consistency.rules.schema import Rule


def clusters_for(rule: Rule, chosen: Sequence[Fact], weights: TermWeights,
                 key: Callable[[Fact], str | None] = block_key) -> list[Cluster]:
    """Align the rule's facts as its ``pair_by`` says (also used by ``explain``); ``key`` is
    ``block_key``, or the same for facts all of one kind (``block_key_of``)."""
    if rule.pair_by == "person":
        people = [f for f in chosen if isinstance(f, PersonFact)]
        return cluster_people(people, rule.pairing.surname_similarity,
                              rule.pairing.given_similarity)
    if rule.pair_by == "given-name":
        return cluster_same_given([f for f in chosen if isinstance(f, PersonFact)])
    if rule.pair_by == "speaker":
        return _speaker_clusters(chosen)
    return cluster_by_terms(chosen, key, weights, rule.min_score,
                            compatible=_ratio_check(rule.pairing.max_ratio),
                            same_doc=rule.pairing.same_doc, threshold_for=_threshold(rule),
                            key_terms=rule.pairing.key_terms,
                            noun_bonus=rule.pairing.same_noun_bonus)


def _cached_clusters(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                     weights: TermWeights) -> list[Cluster]:
    key = (rule.facts, rule.pair_by, rule.min_score, repr(sorted(rule.where.items())),
           _fields(rule.match), _fields(rule.pairing))
    clusters = story.cache.get(key)
    if clusters is None:
        # ``select`` keeps facts of the rule's kind only: their block key needs no kind test
        clusters = story.cache[key] = clusters_for(rule, select(rule, facts, story), weights,
                                                   block_key_of(rule.facts))
    return clusters


def _fields(model: BaseModel) -> tuple[object, ...]:
    """Every field's value, hashable: a cache key that, unlike a JSON dump, costs next to
    nothing, and that no field added later can be left out of."""
    return tuple([tuple(v.items()) if type(v) is dict else tuple(v) if type(v) is list else v
                  for v in model.__dict__.values()])


def run_cross_source(rule: Rule, facts: Sequence[Fact], story: StoryFacts,
                     weights: TermWeights) -> list[Finding]:
    same_doc = rule.pairing.same_doc
    if articles_with(rule.facts, facts, story) < (1 if same_doc else 2):
        return []  # no two articles to compare (and, without same_doc, none with itself)
    operator = REGISTRY[rule.compare]
    options = options_of(rule)
    severity = rule.severity
    findings = []
    for cluster in _cached_clusters(rule, facts, story, weights):
        if len(cluster.facts) < 2:
            continue  # nothing to compare
        flagged = _flagged_pairs(cluster.facts, operator, options, story, severity, same_doc)
        if flagged:
            findings.append(_cluster_finding(rule, cluster, flagged))
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


def _ratio_check(max_ratio: float | None) -> Callable[[Fact, Fact], bool] | None:
    """Two quantities more than ``max_ratio`` apart are not one quantity misreported (a unit
    mix-up is a factor of about 3; a runway's length and a fall's depth are a factor of 100).
    None when every pair may pair."""
    if max_ratio is None:
        return None
    mids: dict[int, float | None] = {}  # id(fact) -> its midpoint, read once per clustering

    def compatible(a: Fact, b: Fact) -> bool:
        x = mids[id(a)] if id(a) in mids else mids.setdefault(id(a), _mid(a))
        y = mids[id(b)] if id(b) in mids else mids.setdefault(id(b), _mid(b))
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


def _flagged_pairs(members: list[Fact], operator: Operator, options: Any, story: StoryFacts,
                   severity: Container[str], same_doc: bool) -> list[tuple[str, int, int]]:
    """(verdict, i, j) of every pair of the cluster's members the rule gives a severity."""
    flagged: list[tuple[str, int, int]] = []
    compare = cast(PairOperator, operator.function)
    # pairs whose facts state the same thing agree: not worth an operator call
    keys = list(map(operator.agree_key, members)) if operator.agree_key else None
    if keys is not None and keys[0] is not None and keys.count(keys[0]) == len(keys):
        return flagged  # every member states the same thing: the usual cluster
    docs = None if same_doc else [f.doc for f in members]  # read once, not once per pair
    for i in range(len(members) - 1):  # every pair once, in the order of ``combinations``
        a = members[i]
        key = keys[i] if keys is not None else None
        doc = docs[i] if docs is not None else None
        for j in range(i + 1, len(members)):
            if key is not None and key == keys[j]:  # type: ignore[index]
                continue
            if doc is not None and doc == docs[j]:  # type: ignore[index]
                continue
            verdict = compare(a, members[j], options, story)
            if verdict is not None and verdict in severity:
                flagged.append((verdict, i, j))
    return flagged


def _cluster_finding(rule: Rule, cluster: Cluster, flagged: list[tuple[str, int, int]],
                     ) -> Finding:
    """The finding of a cluster with flagged pairs: the most severe pair decides the verdict."""
    verdict, i, j = max(flagged, key=lambda v: SEVERITY_ORDER[rule.severity[v[0]]])  # type: ignore[index]
    if rule.pair_by == "speaker":
        involved = [i, j]
    elif rule.compare == "interval":
        involved = _involved(cluster, flagged)
    else:
        involved = sorted({k for _, x, y in flagged for k in (x, y)})
    facts = [cluster.facts[k] for k in involved]
    scores = [s for s in (cluster.score(x, y) for _, x, y in flagged) if s is not None]
    return make_finding(rule, verdict, facts, pair=(cluster.facts[i], cluster.facts[j]),
                        key=_subject_key(rule, cluster),
                        score=max(scores) if scores else None)


def _subject_key(rule: Rule, cluster: Cluster) -> str:
    """What the cluster is about, independent of articles: the block (event and counted noun),
    the person's surname, or the speaker."""
    first = cluster.facts[0]
    if rule.pair_by in ("person", "given-name") and isinstance(first, PersonFact):
        names = sorted({name_key(f.value.surname or f.value.given) for f in cluster.facts
                        if isinstance(f, PersonFact)})
        return names[0] if names else ""
    if rule.pair_by == "speaker":
        return str(getattr(first.value, "speaker", ""))
    return block_key(first) or ""


def _involved(cluster: Cluster, flagged: list[tuple[str, int, int]]) -> list[int]:
    """Facts in a flagged pair, plus members that state yet another value: with "1.10 pm",
    "1.15 pm" and "1.30 pm", the middle one is part of the disagreement too."""
    chosen = {k for _, x, y in flagged for k in (x, y)}
    values = {describe_value(cluster.facts[k].value) for k in chosen}
    for k, fact in enumerate(cluster.facts):
        if k not in chosen:
            value = describe_value(fact.value)
            if value not in values:
                chosen.add(k)
                values.add(value)
    return sorted(chosen)


