"""Alignment: decide which facts from different articles speak of the same thing.

Facts are first blocked by a key (kind plus the counted noun, the outcome, the unit, the event),
then, inside a block, candidate pairs come from an inverted index over the facts' clause terms,
so two facts are scored only when they share a term: the work grows with the number of facts
sharing words, not with the square of all facts. A pair's score is an IDF-weighted overlap of the
two clauses' terms. Clusters are grown from the best pairs first, holding at most one fact per
article, so one toll can never be pulled into the cluster of another toll of the same article.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain, combinations, groupby
from operator import attrgetter

from rapidfuzz.distance import OSA

from consistency.models import Fact, PersonFact

Scores = dict[tuple[int, int], float]


class Cluster:
    """Facts aligned as one thing, and the alignment scores of their pairs: (i, j) -> score,
    positions in ``facts``. The scores are built when first asked for (from ``pending``): most
    clusters are judged without them."""

    def __init__(self, facts: list[Fact], scores: Scores | None = None,
                 pending: Callable[[], Scores] | None = None) -> None:
        self.facts = facts
        self._scores = scores
        self._pending = pending

    @property
    def scores(self) -> Scores:
        if self._scores is None:
            self._scores = self._pending() if self._pending is not None else {}
            self._pending = None
        return self._scores

    def score(self, i: int, j: int) -> float | None:
        return self.scores.get((min(i, j), max(i, j)))

    @property
    def best_score(self) -> float | None:
        return max(self.scores.values()) if self.scores else None

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Cluster) and self.facts == other.facts
                and self.scores == other.scores)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"Cluster(facts={self.facts!r}, scores={self.scores!r})"


class _Idf(dict[str, float]):
    """term -> weight: the story's terms computed up front (nearly all of them get asked for,
    many times each), any other term on first use."""

    def __init__(self, n: int, df: Counter[str]) -> None:
        log, m = math.log, n + 1
        # a weight depends only on the term's count, a small integer: one log per count
        table = [log(1 + m / (1 + c)) for c in range(max(df.values(), default=0) + 1)]
        super().__init__(zip(df, map(table.__getitem__, df.values()), strict=True))
        self.n = n

    def __missing__(self, term: str) -> float:
        w = self[term] = math.log(1 + (self.n + 1) / (1 + 0))  # a term no fact holds
        return w


_DOC, _TERMS = attrgetter("doc"), attrgetter("terms")


class TermWeights:
    """Inverse document frequency of clause terms over the facts of one story."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        docs: dict[str, set[str]] = defaultdict(set)
        # a story's facts come article by article: one update per run of an article's facts
        for doc, run in groupby(facts, _DOC):
            docs[doc].update(chain.from_iterable(map(_TERMS, run)))
        df: Counter[str] = Counter(chain.from_iterable(docs.values()))
        self.n = max(1, len(docs))
        self.df = df
        self._idf = _Idf(self.n, df)
        # a clause's terms -> (their set, the set's weight); facts with the same clause terms
        # share one entry (and one set object, so intersections with it are computed alike)
        self._sets: dict[tuple[str, ...], tuple[frozenset[str], float]] = {}

    def weight(self, term: str) -> float:
        return self._idf[term]

    def term_set(self, fact: Fact) -> tuple[frozenset[str], float]:
        """The fact's terms as a set and their summed weight, computed once per story: every
        rule that pairs this fact, and every candidate pair, reuses them."""
        entry = self._sets.get(fact.terms)
        if entry is None:
            terms = frozenset(fact.terms)
            # summed in the set's own order, as ``similarity`` does, so scores stay bit-identical
            entry = self._sets[fact.terms] = (terms, sum(map(self._idf.__getitem__, terms)))
        return entry

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> float:
        sa, sb = set(a), set(b)
        if not sa or not sb:
            return 0.0
        w = self._idf.__getitem__
        shared = sum(map(w, sa & sb))
        smaller = min(sum(map(w, sa)), sum(map(w, sb)))
        # a clause of one or two words must not align perfectly with anything that shares them
        return shared / max(smaller, MIN_EVIDENCE_WEIGHT)

    def fact_similarity(self, a: Fact, b: Fact) -> tuple[float, frozenset[str]]:
        """``similarity`` of two facts' terms, from the per-fact sets, and the shared terms."""
        sa, wa = self.term_set(a)
        sb, wb = self.term_set(b)
        shared = _shared(sa, sb)
        if not sa or not sb:
            return 0.0, shared
        return sum(map(self._idf.__getitem__, shared)) / max(min(wa, wb), MIN_EVIDENCE_WEIGHT), shared


def _shared(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """``a & b``, iterating in the order two separately built sets would give. Facts with the
    same clause terms share one set object, and ``s & s`` is a copy of ``s`` whose order can
    differ; the order decides how the shared weights add up, to the last bit."""
    return a & b if a is not b else frozenset(iter(a))


# Candidate pairs come only from terms held by at most this many facts of a block, which bounds
# the pairs per term and keeps pairing near-linear in the number of facts of a story.
MAX_POSTING = 64
MIN_EVIDENCE_WEIGHT = 3.0

Compatible = Callable[[Fact, Fact], bool]


def cluster_by_terms(
    facts: Sequence[Fact],
    block_key: Callable[[Fact], str | None],
    weights: TermWeights,
    min_score: float,
    compatible: Compatible | None = None,
    same_doc: bool = False,
    threshold_for: Callable[[str], float] | None = None,
    key_terms: dict[str, float] | None = None,
    noun_bonus: float = 0.0,
) -> list[Cluster]:
    """Cluster facts of one block by clause similarity. ``compatible`` vetoes pairs that cannot
    be the same quantity (None: every pair may be); with ``same_doc``, a fact left out because
    its article already has a member joins the cluster of its best partner (an article that
    contradicts itself)."""
    blocks: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        key = block_key(f)
        if key is not None:
            blocks[key].append(f)
    clusters: list[Cluster] = []
    for key, block in blocks.items():
        threshold = threshold_for(key) if threshold_for else min_score
        clusters.extend(_cluster_block(block, weights, threshold, compatible, same_doc,
                                       key_terms or {}, noun_bonus))
    return clusters


def _cluster_block(block: list[Fact], weights: TermWeights, min_score: float,
                   compatible: Compatible | None = None, same_doc: bool = False,
                   key_terms: dict[str, float] | None = None,
                   noun_bonus: float = 0.0) -> list[Cluster]:
    docs = [f.doc for f in block]  # read once: every step below asks for them
    if len(set(docs)) < 2:
        return []  # pairs join facts of different articles only
    # (score, i, j) tuples are distinct: sorting only the pairs that pass gives the same order
    # as sorting every candidate and filtering after
    pairs = sorted(_scored_pairs(block, docs, weights, min_score, compatible, key_terms or {},
                                 noun_bonus), reverse=True)
    clusters = _grow(block, docs, pairs)
    if same_doc:
        _attach_leftovers(block, pairs, clusters)
    return clusters


def _scored_pairs(block: Sequence[Fact], docs: list[str], weights: TermWeights,
                  min_score: float, compatible: Compatible | None, key_terms: dict[str, float],
                  noun_bonus: float) -> list[tuple[float, int, int]]:
    """Candidate pairs scoring at least ``min_score``, as (score, i, j). The arithmetic is
    ``pair_score``'s, in the same order, from per-fact data read once: every score is
    bit-identical to what ``pair_score`` (and ``explain``) gives."""
    sets = [weights.term_set(f) for f in block]
    idf = weights._idf.__getitem__
    nouns = [_last_noun(f) for f in block] if noun_bonus else []
    # a clause repeated word for word by several articles (wire copy: about half the pairs)
    # shares one term set; its terms shared with itself and their score are computed once
    repeated: dict[int, tuple[frozenset[str], float]] = {}
    out = []
    for i, j in _candidates(docs, sets):
        if compatible is not None and not compatible(block[i], block[j]):
            continue
        terms, total = sets[i]
        other, other_total = sets[j]
        if terms is other:
            entry = repeated.get(id(terms))
            if entry is None:
                shared = _shared(terms, other)
                # one set, one weight: max(min(total, total), MIN_EVIDENCE_WEIGHT)
                entry = repeated[id(terms)] = shared, sum(map(idf, shared)) / (
                    MIN_EVIDENCE_WEIGHT if total < MIN_EVIDENCE_WEIGHT else total)
            shared, score = entry
        else:
            shared = terms & other
            # max(min(total, other_total), MIN_EVIDENCE_WEIGHT), without two builtin calls
            smaller = other_total if other_total < total else total
            score = sum(map(idf, shared)) / (
                MIN_EVIDENCE_WEIGHT if smaller < MIN_EVIDENCE_WEIGHT else smaller)
        if key_terms:
            score += sum(key_terms.get(t, 0.0) for t in shared)
        if noun_bonus and nouns[i] and nouns[i] == nouns[j]:
            score += noun_bonus
        if score >= min_score:
            out.append((score, i, j))
    return out


def _candidates(docs: list[str], sets: list[tuple[frozenset[str], float]]
                ) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of facts of different articles (``docs``, per fact) that share a
    discriminating term."""
    n = len(docs)
    if n <= MAX_POSTING:
        # no term of a block this small is held by more than MAX_POSTING facts, so every term
        # discriminates: the candidates are the pairs sharing any term, found without an index
        for i in range(n - 1):
            terms, doc = sets[i][0], docs[i]
            for j in range(i + 1, n):
                if docs[j] != doc and not terms.isdisjoint(sets[j][0]):
                    yield i, j
        return
    index: dict[str, list[int]] = defaultdict(list)
    for i, (terms, _) in enumerate(sets):
        for t in terms:
            index[t].append(i)
    # terms held by the same facts give the same pairs: walk each distinct posting list once
    postings = {tuple(m) for m in index.values() if 1 < len(m) <= MAX_POSTING}
    candidates: set[tuple[int, int]] = set()
    for members in postings:
        candidates.update((i, j) for i, j in combinations(members, 2) if docs[i] != docs[j])
    yield from candidates


def _last_noun(fact: Fact) -> str:
    noun = getattr(fact, "noun", "")
    return noun.split()[-1] if noun else ""


def _attach_leftovers(block: Sequence[Fact], pairs: list[tuple[float, int, int]],
                      clusters: list[Cluster]) -> None:
    placed = {id(f): c for c in clusters for f in c.facts}
    for score, i, j in pairs:  # best first
        for new, old in ((i, j), (j, i)):
            fact = block[new]
            cluster = placed.get(id(block[old]))
            if id(fact) in placed or cluster is None:
                continue
            cluster.facts.append(fact)
            placed[id(fact)] = cluster
            k = len(cluster.facts) - 1
            cluster.scores[(cluster.facts.index(block[old]), k)] = score


def member_key(fact: Fact) -> tuple[str, str]:
    """A cluster holds one fact per key: per article, and for event times per article and
    precision, so "Thursday afternoon" and "1.30 pm" of one article can both join."""
    if fact.kind == "event_date":
        fine = fact.value.granularity in ("hour", "minute", "second")  # type: ignore[union-attr]
        return fact.doc, "clock" if fine else "day"
    return fact.doc, ""


def pair_score(weights: TermWeights, a: Fact, b: Fact, key_terms: dict[str, float],
               noun_bonus: float = 0.0) -> float:
    """Clause similarity, plus a rule's bonus for each key term both clauses hold and for
    facts about the same noun."""
    score, shared = weights.fact_similarity(a, b)
    if key_terms:
        score += sum(key_terms.get(t, 0.0) for t in shared)
    noun_a, noun_b = getattr(a, "noun", ""), getattr(b, "noun", "")
    if noun_bonus and noun_a and noun_b and noun_a.split()[-1] == noun_b.split()[-1]:
        score += noun_bonus
    return score


def _grow(block: Sequence[Fact], docs: list[str],
          pairs: list[tuple[float, int, int]]) -> list[Cluster]:
    """Union pairs best-first, never letting a cluster hold two facts of one article.

    A pair turned down can never end up in one cluster (its two sides already hold a common
    article, and clusters only grow), so a cluster's scored pairs are exactly the pairs with
    both facts in it: its scores are read off ``pairs`` when asked for."""
    if not pairs:
        return []
    n = len(block)
    if len(pairs) == n * (n - 1) // 2 and len(set(docs)) == n:
        # every pair passed and each fact is another article's, so no join can hold an
        # article twice: the union of the pairs is the whole block (most blocks are this)
        whole = list(range(n))
        return [_cluster(block, docs, 0, whole, pairs, dict.fromkeys(whole, 0))]
    return _grow_by_pairs(block, docs, pairs)


def _grow_by_pairs(block: Sequence[Fact], docs: list[str],
                   pairs: list[tuple[float, int, int]]) -> list[Cluster]:
    """``_grow``, one pair at a time."""
    keys = _member_keys(block, docs)
    owner: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    held: dict[int, set[tuple[str, str]]] = {}  # cluster -> the member keys of its facts
    for _, i, j in pairs:
        ci, cj = owner.get(i), owner.get(j)
        if ci is not None and ci == cj:
            continue
        if ci is None and cj is None:  # two loose facts start a cluster, named after i
            key_i, key_j = keys[i], keys[j]
            if key_i != key_j:
                owner[i] = owner[j] = i
                members[i], held[i] = [i, j], {key_i, key_j}
            continue
        _join(keys, i, j, ci, cj, owner, members, held)
    return [_cluster(block, docs, cid, idx, pairs, owner) for cid, idx in members.items()]


def _member_keys(block: Sequence[Fact], docs: list[str]) -> list[tuple[str, str]]:
    """``member_key`` of each fact (``docs`` holds their articles, already read)."""
    return [member_key(f) if f.kind == "event_date" else (doc, "")
            for f, doc in zip(block, docs, strict=True)]


def _join(keys: list[tuple[str, str]], i: int, j: int, ci: int | None, cj: int | None,
          owner: dict[int, int], members: dict[int, list[int]],
          held: dict[int, set[tuple[str, str]]]) -> None:
    """Merge the clusters (or loose facts) of i and j unless an article would be held twice;
    the merged cluster keeps i's cluster's name (else j's) and its members in i-then-j order."""
    keys_i = held[ci] if ci is not None else {keys[i]}
    keys_j = held[cj] if cj is not None else {keys[j]}
    if not keys_i.isdisjoint(keys_j):
        return
    group_i = members[ci] if ci is not None else [i]
    group_j = members[cj] if cj is not None else [j]
    cid = ci if ci is not None else cj
    assert cid is not None
    if ci is not None and cj is not None:  # cid is ci: j's cluster goes into it
        members.pop(cj)
        held.pop(cj)
    merged = members[cid] = group_i + group_j
    held[cid] = keys_i | keys_j
    for k in merged:
        owner[k] = cid


def _cluster(block: Sequence[Fact], docs: list[str], cid: int, idx: list[int],
             pairs: list[tuple[float, int, int]], owner: dict[int, int]) -> Cluster:
    """Members in article order; pair scores, renumbered to their positions, when asked for."""
    if len({docs[k] for k in idx}) == len(idx):  # one fact per article, the usual cluster
        order = sorted(idx, key=docs.__getitem__)
    else:
        order = sorted(idx, key=lambda k: (docs[k], block[k].start))

    def scores() -> Scores:
        pos = {k: n for n, k in enumerate(order)}
        out = {}
        for s, i, j in pairs:
            if owner.get(i) == cid and owner.get(j) == cid:
                a, b = pos[i], pos[j]
                out[(a, b) if a < b else (b, a)] = s
        return out

    return Cluster(facts=[block[k] for k in order], pending=scores)


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------

_PARTICLES = re.compile(r"^(?:al|el|von|van|der|de|la|da|del|bin|ibn)[- ]", re.IGNORECASE)


@lru_cache(maxsize=65536)
def name_key(token: str | None) -> str:
    """Compare names without accents, case, spacing, hyphens or an Arabic/Dutch particle."""
    if not token:
        return ""
    if token.isascii():
        t = token  # NFKD leaves ASCII as it is, and ASCII holds no combining mark
    else:
        t = unicodedata.normalize("NFKD", token)
        t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.lower()
    if " " in t or "-" in t:  # a particle is followed by one or the other
        t = _PARTICLES.sub("", t)
    return t if t.isalpha() and t.isascii() else _NOT_LETTER.sub("", t)


_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    # OSA counts a swap of two letters as one edit: "Mridha" / "Mirdha"
    return 1.0 - OSA.normalized_distance(ka, kb)


def same_given(a: str | None, b: str | None, threshold: float) -> bool:
    """Given names match when equal, one is the other's initial, or they are spelling variants."""
    if not a or not b:
        return True
    ka, kb = name_key(a), name_key(b)
    if len(ka) == 1 or len(kb) == 1:
        return ka[0] == kb[0]
    return name_similarity(a, b) >= threshold


def cluster_people(facts: Sequence[PersonFact], surname_threshold: float,
                   given_threshold: float) -> list[Cluster]:
    """People across the story, grouped by a surname key (exact or a close spelling variant)
    and compatible given names. Blocking on the surname's first letter keeps it sub-quadratic.

    A story names each person the same way many times, so names, not facts, are compared:
    each pair of distinct names once, each name with itself once (``_same_person`` is
    symmetric). A pair of facts scores what their names score."""
    names: list[_Name] = []
    places: list[tuple[str, int]] = []  # (article, offset) of each fact: the order of a cluster
    for f in facts:
        value = f.value
        names.append((value.surname, value.given))
        places.append((f.doc, f.start))
    holders: dict[_Name, list[int]] = {}  # name -> the facts that write it, in story order
    for i, name in enumerate(names):
        holders.setdefault(name, []).append(i)
    letter: dict[_Name, str] = {}
    blocks: dict[str, list[_Name]] = defaultdict(list)
    for name in holders:
        key = name_key(name[0] or name[1])
        if key:
            letter[name] = key[0]
            blocks[key[0]].append(name)
    parent = list(range(len(facts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    judged: dict[tuple[_Name, _Name], float | None] = {}

    def same(a: _Name, b: _Name) -> float | None:
        if (a, b) not in judged:
            judged[(a, b)] = _same_person(a, b, surname_threshold, given_threshold)
        return judged[(a, b)]

    for block in blocks.values():
        for x, a in enumerate(block):
            first, *others = holders[a]
            if others and same(a, a) is not None:
                for i in others:
                    parent[find(i)] = find(first)
            for b in block[x + 1:]:
                if same(a, b) is not None:
                    parent[find(first)] = find(holders[b][0])
    _attach_given_only(facts, parent, find, given_threshold)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(facts)):
        groups[find(i)].append(i)
    out: list[Cluster] = []
    for idx in groups.values():
        order = sorted(idx, key=places.__getitem__)

        def scores(idx: list[int] = idx, order: list[int] = order) -> Scores:
            """Every pair (i < j, story order) of one block whose names match, keyed by the
            positions of i and j in that order (so not always smaller first)."""
            pos = {k: n for n, k in enumerate(order)}
            out: Scores = {}
            for x, i in enumerate(idx):
                for j in idx[x + 1:]:
                    a, b = names[i], names[j]
                    if a in letter and letter.get(b) == letter[a]:
                        score = same(a, b)
                        if score is not None:
                            out[(pos[i], pos[j])] = score
            return out

        out.append(Cluster(facts=[facts[k] for k in order], pending=scores))
    return out


_Name = tuple[str | None, str | None]  # (surname, given)


def _same_person(a: _Name, b: _Name, surname_t: float, given_t: float) -> float | None:
    sa, sb = a[0], b[0]
    if not sa or not sb:
        return None
    sim = name_similarity(sa, sb)
    if sim < surname_t or not same_given(a[1], b[1], given_t):
        return None
    return sim


def _attach_given_only(facts: Sequence[PersonFact], parent: list[int],
                       find: Callable[[int], int], given_t: float) -> None:
    """"Captain Mariya" (no surname) joins the one person whose given name it resembles."""
    for i, f in enumerate(facts):
        if f.value.surname or not f.value.given:
            continue
        roots = {find(j) for j, g in enumerate(facts)
                 if g.value.surname and g.value.given
                 and name_similarity(g.value.given, f.value.given) >= given_t}
        if len(roots) == 1:
            parent[find(i)] = roots.pop()


def cluster_same_given(facts: Sequence[PersonFact], min_given_len: int = 4,
                       max_surname_similarity: float = 0.5) -> list[Cluster]:
    """People with one given name and unrelated surnames, each surname only in articles that
    never name the other: "pedestrian Govind Pandit" in one source, "labourer Govind Dubey" in
    another may be one person named two ways. Articles naming both are two people."""
    by_given: dict[str, list[PersonFact]] = defaultdict(list)
    for f in facts:
        key = name_key(f.value.given)
        if f.value.surname and len(key) >= min_given_len:
            by_given[key].append(f)
    out: list[Cluster] = []
    for group in by_given.values():
        surnames: dict[str, list[PersonFact]] = defaultdict(list)
        for f in group:
            surnames[name_key(f.value.surname)].append(f)
        if len(surnames) != 2:
            continue
        (ka, fa), (kb, fb) = surnames.items()
        if name_similarity(ka, kb) > max_surname_similarity:
            continue
        if {f.doc for f in fa} & {f.doc for f in fb}:
            continue
        out.append(Cluster(facts=[fa[0], fb[0]]))
    return out


def forget_names() -> None:
    """Empty the name caches between stories (a nightly run sees many thousands of names)."""
    name_key.cache_clear()
    name_similarity.cache_clear()
