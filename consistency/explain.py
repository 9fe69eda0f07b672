"""Why a rule fired or stayed quiet on a story: the facts it read from each article, how they
were paired (with the scores), and the verdict of every compared pair. What a rule author
reads when a rule misbehaves."""

from __future__ import annotations

from itertools import combinations

from pydantic import BaseModel, Field

from consistency.align import TermWeights, pair_score
from consistency.engine import StoryRun
from consistency.models import Fact, Finding
from consistency.rules.kinds import (
    block_key,
    clusters_for,
    options_of,
    select,
    threshold_of,
)
from consistency.rules.operators import REGISTRY, StoryFacts
from consistency.rules.render import describe_value
from consistency.rules.schema import Rule


class FactLine(BaseModel):
    doc: str
    text: str
    start: int
    end: int
    value: str
    subject: str
    block: str | None = None


class PairLine(BaseModel):
    a: int
    b: int
    score: float | None
    verdict: str  # an operator verdict, "agree", or "same article"
    severity: str | None  # None: the rule gives this verdict no severity, so no finding


class ClusterLine(BaseModel):
    members: list[int]
    pairs: list[PairLine]
    fires: bool


class Unpaired(BaseModel):
    fact: int
    best_score: float | None
    best_with: int | None
    threshold: float


class Explanation(BaseModel):
    rule: str
    kind: str
    compare: str
    facts: list[FactLine]
    filtered_out: int = Field(description="facts of the kind that 'where'/'match' left out")
    clusters: list[ClusterLine] = Field(default_factory=list)
    unpaired: list[Unpaired] = Field(default_factory=list)
    checks: list[PairLine] = Field(default_factory=list, description="single-fact verdicts")
    findings: list[Finding] = Field(default_factory=list)


def explain(run: StoryRun, rule: Rule, only: Finding | None = None) -> Explanation:
    story = StoryFacts(published={d.id: d.published for d in run.documents},
        reference={d.id: run.timeline.reference(d.id).day for d in run.documents},
                       consensus=run.timeline.consensus, consensus_docs=run.timeline.supporters)
    weights = TermWeights(run.facts)
    chosen = select(rule, run.facts)
    if only is not None:
        keep = {(c.doc, c.start, c.end) for c in only.claims}
        chosen = [f for f in chosen if (f.doc, f.start, f.end) in keep] or chosen
    index = {id(f): n for n, f in enumerate(chosen)}
    result = Explanation(
        rule=rule.id, kind=rule.kind, compare=rule.compare,
        facts=[_line(f) for f in chosen],
        filtered_out=sum(1 for f in run.facts if f.kind == rule.facts) - len(chosen),
        findings=[f for f in run.findings if f.rule == rule.id])
    operator = REGISTRY[rule.compare]
    options = options_of(rule)
    if operator.arity == "single":
        for n, fact in enumerate(chosen):
            verdict = operator.function(fact, options, story)  # type: ignore[call-arg]
            result.checks.append(PairLine(a=n, b=n, score=None, verdict=verdict or "agree",
                                          severity=rule.severity.get(verdict) if verdict else None))
        return result
    clusters = clusters_for(rule, chosen, weights)
    placed: set[int] = set()
    for cluster in clusters:
        members = [index[id(f)] for f in cluster.facts]
        placed.update(members)
        pairs = []
        for i, j in combinations(range(len(cluster.facts)), 2):
            a, b = cluster.facts[i], cluster.facts[j]
            if a.doc == b.doc and not rule.pairing.same_doc:
                pairs.append(PairLine(a=members[i], b=members[j], score=cluster.score(i, j),
                                      verdict="same article", severity=None))
                continue
            verdict = operator.function(a, b, options, story)  # type: ignore[call-arg]
            pairs.append(PairLine(a=members[i], b=members[j], score=cluster.score(i, j),
                                  verdict=verdict or "agree",
                                  severity=rule.severity.get(verdict) if verdict else None))
        result.clusters.append(ClusterLine(members=members, pairs=pairs,
                                           fires=any(p.severity for p in pairs)))
    if rule.pair_by == "subject":
        result.unpaired = _unpaired(rule, chosen, placed, weights)
    return result


def _line(f: Fact) -> FactLine:
    return FactLine(doc=f.doc, text=" ".join(f.text.split()), start=f.start, end=f.end,
                    value=describe_value(f.value), subject=f.subject, block=block_key(f))


def _unpaired(rule: Rule, chosen: list[Fact], placed: set[int],
              weights: TermWeights) -> list[Unpaired]:
    out = []
    for n, fact in enumerate(chosen):
        if n in placed:
            continue
        best: tuple[float, int] | None = None
        for m, other in enumerate(chosen):
            if other.doc == fact.doc or block_key(other) != block_key(fact):
                continue
            score = pair_score(weights, fact, other, rule.pairing.key_terms,
                               rule.pairing.same_noun_bonus)
            if best is None or score > best[0]:
                best = (score, m)
        out.append(Unpaired(fact=n, best_score=round(best[0], 3) if best else None,
                            best_with=best[1] if best else None,
                            threshold=threshold_of(rule, fact)))
    return out


def render_text(e: Explanation) -> str:
    lines = [f"rule {e.rule} ({e.kind}, compare: {e.compare})",
             f"{len(e.facts)} fact(s) selected; {e.filtered_out} of the same kind left out by "
             f"'where'/'match'", ""]
    for n, f in enumerate(e.facts):
        lines.append(f"  [{n}] {f.doc} [{f.start}:{f.end}] \u201c{f.text}\u201d = {f.value}"
                     f"   (block {f.block})")
    for c in e.clusters:
        lines += ["", f"cluster {c.members}: {'FIRES' if c.fires else 'quiet'}"]
        for p in c.pairs:
            score = f"{p.score:.2f}" if p.score is not None else "  - "
            sev = f" -> {p.severity}" if p.severity else ""
            lines.append(f"  [{p.a}]~[{p.b}] score {score}: {p.verdict}{sev}")
    if e.unpaired:
        lines += ["", "not paired:"]
        for u in e.unpaired:
            if u.best_score is None:
                why = "no candidate in its block"
            elif u.best_score >= u.threshold:
                why = (f"best [{u.best_with}] at {u.best_score:.2f} is above the threshold "
                       f"{u.threshold:.2f}, but that cluster already holds a fact of its article")
            else:
                why = f"best [{u.best_with}] at {u.best_score:.2f}, threshold {u.threshold:.2f}"
            lines.append(f"  [{u.fact}] {why}")
    for p in e.checks:
        sev = f" -> {p.severity}" if p.severity else ""
        lines.append(f"  [{p.a}] {p.verdict}{sev}")
    lines += ["", f"findings: {len(e.findings)}"]
    lines += [f"  {f.severity} {f.fingerprint}: {f.message}" for f in e.findings]
    return "\n".join(lines) + "\n"
