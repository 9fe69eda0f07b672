"""Alignment: what pairs, what never pairs, and that pairing is not quadratic."""

from __future__ import annotations

from consistency.align import MAX_POSTING, TermWeights, _cluster_block, cluster_by_terms
from consistency.models import CountFact, NumberValue
from consistency.rules.kinds import block_key


def count(doc: str, noun: str, n: int, terms: tuple[str, ...], event: str | None = None):
    return CountFact(doc=doc, text=f"{n} {noun}", start=0, end=1, noun=noun, terms=terms,
                     event=event, value=NumberValue(low=n, high=n))


def test_clusters_hold_one_fact_per_article() -> None:
    facts = [count("a", "raid", 3, ("belgium", "raid", "thursday")),
             count("a", "raid", 2, ("belgium", "raid", "friday")),
             count("b", "raid", 1, ("belgium", "raid", "thursday"))]
    clusters = cluster_by_terms(facts, block_key, TermWeights(facts), 0.1)
    assert all(len({f.doc for f in c.facts}) == len(c.facts) for c in clusters)
    best = next(c for c in clusters if len(c.facts) == 2)
    assert {f.value.low for f in best.facts} == {3, 1}


def test_different_events_never_share_a_block() -> None:
    a = count("a", "people", 130, ("attack", "paris"), event="background 2015-11-13")
    b = count("b", "people", 224, ("attack", "paris"), event="background 2015-10-31")
    assert block_key(a) != block_key(b)
    assert cluster_by_terms([a, b], block_key, TermWeights([a, b]), 0.0) == []


def test_candidate_pairs_come_only_from_discriminating_terms() -> None:
    """2,000 facts that share only a ubiquitous term produce no candidate pairs at all: the
    posting list is skipped, so the work does not grow with the square of the block."""
    facts = [count(f"d{i}", "people", i, ("common", f"rare{i // 2}")) for i in range(2000)]
    clusters = _cluster_block(facts, TermWeights(facts), 0.1, lambda a, b: True, False)
    assert len(clusters) == 1000  # only the rare-term twins pair
    assert MAX_POSTING < 2000


def test_block_scores_are_pair_scores() -> None:
    """The block scorer reads each fact's terms once per story; its scores must be exactly
    ``pair_score``'s (what ``explain`` shows), key terms and the same-noun bonus included."""
    from consistency.align import pair_score

    facts = [count("a", "fence", 3, ("wall", "collapse", "storm", "fence")),
             count("b", "fence", 6, ("wall", "storm", "fence", "night")),
             count("c", "high fence", 2, ("storm", "fence", "event")),
             count("d", "fence", 4, ("wall", "collapse", "event"))]
    weights = TermWeights(facts)
    key_terms = {"event": 0.1, "storm": 0.05}
    clusters = _cluster_block(facts, weights, 0.0, lambda a, b: True, False, key_terms, 0.2)
    pairs = [(c, i, j) for c in clusters for (i, j) in c.scores]
    assert pairs
    for c, i, j in pairs:
        assert c.scores[(i, j)] == pair_score(weights, c.facts[i], c.facts[j], key_terms, 0.2)


def test_term_weights_are_idf() -> None:
    facts = [count("a", "x", 1, ("wall", "storm")), count("b", "x", 1, ("wall",))]
    weights = TermWeights(facts)
    assert weights.weight("wall") < weights.weight("storm") < weights.weight("unseen")
    terms, total = weights.term_set(facts[0])
    assert terms == {"wall", "storm"}
    assert total == sum(weights.weight(t) for t in terms)
    assert weights.similarity(("wall", "storm"), ("wall",)) == weights.weight("wall") / 3.0


def test_scores_match_the_term_formula_for_identical_clauses() -> None:
    """Facts with the same clause terms share one term set; their score must still be what
    ``similarity`` computes from two separately built sets, to the last bit (the order in
    which shared weights add up can move a score by one unit in the last place)."""
    from consistency.align import pair_score

    words = [f"w{i}" for i in range(40)]
    terms = [tuple(words[k] for k in range(i, 40, 1 + i % 5))[:12] for i in range(20)]
    facts = [count(f"d{i % 7}", "people", i, terms[i % 10]) for i in range(40)]
    weights = TermWeights(facts)
    for a in facts:
        for b in facts:
            if a.doc != b.doc:
                assert pair_score(weights, a, b, {}) == weights.similarity(a.terms, b.terms)


def test_people_are_compared_by_name_both_ways_alike() -> None:
    """``cluster_people`` compares each pair of names once, whichever article came first:
    that needs the comparison to be symmetric."""
    from itertools import product

    from consistency.align import _same_person, name_similarity

    names = ["Mridha", "Mirdha", "Obama", "Obamah", "O'Brien", "OBrien", "al-Sadr", "Sadr",
             "Pokharel", "Pokhrel", "Lee", "Li", "Dolly", "D", "Dollie", None]
    for a, b in product(names, repeat=2):
        if a and b:
            assert name_similarity(a, b) == name_similarity(b, a)
        for ga, gb in (("Dolly", "D"), (None, "Ann"), ("Anne", "Ann")):
            assert _same_person((a, ga), (b, gb), 0.8, 0.7) == _same_person((b, gb), (a, ga), 0.8,
                                                                            0.7)
