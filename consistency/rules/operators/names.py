"""``name-spelling`` and ``role-conflict``: the same person written two ways.

People reach these operators already clustered by ``align.cluster_people``. A spelling variant
is a different written form of a given name or surname (initials and missing parts are not);
a role conflict is two roles whose classes (``options.classes``, data in the rule) do not meet.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from consistency.align import name_key
from consistency.models import Fact, PersonFact
from consistency.rules.operators.base import NoOptions, StoryFacts


class RoleOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    classes: dict[str, list[str]] = Field(
        default_factory=dict, description="role class -> role words; roles conflict when "
                                          "their classes do not meet")
    generic: list[str] = Field(default_factory=list,
                               description="role words compatible with any role")
    portfolio_heads: list[str] = Field(
        default_factory=list, description="offices held with a portfolio: the same office with "
                                          "unrelated portfolios is a conflict")


def compare_name_spelling(a: Fact, b: Fact, options: NoOptions, story: StoryFacts) -> str | None:
    if not isinstance(a, PersonFact) or not isinstance(b, PersonFact):
        return None
    for part in ("surname", "given"):
        x, y = getattr(a.value, part), getattr(b.value, part)
        kx, ky = name_key(x), name_key(y)
        if not kx or not ky or len(kx) < 2 or len(ky) < 2:
            continue
        if kx != ky and not _plural_variant(kx, ky):
            return "variant"
    return None


def name_agree_key(fact: Fact) -> Hashable | None:
    """One name written alike (surname and given name) is never a spelling variant, nor (same
    given name, same surname) a surname conflict."""
    return (fact.value.surname, fact.value.given) if isinstance(fact, PersonFact) else None


def _plural_variant(x: str, y: str) -> bool:
    return x.rstrip("s") == y.rstrip("s")


_ROLE_STOP = frozenset(["the", "a", "an", "of", "for", "and", "in", "at", "local", "senior", "junior", "former", "acting", "then", "its", "his", "her", "their"])


@dataclass(frozen=True)
class RoleParts:
    """A role read as a head noun and its modifiers: "Superintendent of Police" ->
    head "superintendent", modifiers {"police"}; "Western Regional Minister" -> head
    "minister", modifiers {"western", "regional"}."""

    text: str
    head: str
    modifiers: frozenset[str]

    @property
    def words(self) -> frozenset[str]:
        return self.modifiers | {self.head}


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


@lru_cache(maxsize=4096)  # a story repeats its few roles; RoleParts is immutable
def parse_role(role: str) -> RoleParts | None:
    """The role's head and modifiers; None for a role with no word ("", ".", "-")."""
    words = [w.strip(".,'’()") for w in role.lower().replace("-", " ").split()]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words if w]
    if not words:
        return None
    of = words.index("of") if "of" in words[1:] else -1
    head = words[of - 1] if of > 0 else words[-1]
    modifiers = frozenset(w for w in words if w != head and w not in _ROLE_STOP)
    return RoleParts(role.lower(), _singular(head), modifiers)


def role_classes(parts: RoleParts, classes: dict[str, list[str]]) -> set[str]:
    return {name for name, members in classes.items()
            if parts.head in members or any(" " in m and m in parts.text for m in members)}


def role_conflict(a: str, b: str, options: RoleOptions) -> bool:
    """Two roles of one person that cannot both be right:
    - their heads fall in different classes ("police spokesman" / "police chief");
    - one office with different portfolios ("Sports Minister" / "Western Regional Minister");
    - two formal posts of two words or more sharing no word at all ("Chief District Officer" /
      "Superintendent of Police")."""
    pa, pb = parse_role(a), parse_role(b)
    if pa is None or pb is None:
        return False  # a role with no word says nothing that could conflict
    generic = set(options.generic)
    ca = role_classes(pa, options.classes) or ({pa.head} - generic)
    cb = role_classes(pb, options.classes) or ({pb.head} - generic)
    if ca and cb and not ca & cb:
        return True
    if (pa.head == pb.head and pa.head in options.portfolio_heads
            and pa.modifiers and pb.modifiers and not pa.modifiers & pb.modifiers):
        return True
    return len(pa.words) >= 2 and len(pb.words) >= 2 and not pa.words & pb.words


def role_agree_key(fact: Fact) -> Hashable | None:
    """One role written alike never conflicts with itself: its classes, portfolio words and
    words all meet. A role ``parse_role`` cannot read gets no key (the operator meets it)."""
    if not isinstance(fact, PersonFact):
        return None
    role = fact.value.role
    if role and parse_role(role) is None:
        return None
    return role or ""


def gender_agree_key(fact: Fact) -> Hashable | None:
    return fact.value.gender if isinstance(fact, PersonFact) else None


def compare_roles(a: Fact, b: Fact, options: RoleOptions, story: StoryFacts) -> str | None:
    if not isinstance(a, PersonFact) or not isinstance(b, PersonFact):
        return None
    if a.value.role and b.value.role and role_conflict(a.value.role, b.value.role, options):
        return "contradiction"
    return None


def compare_gender(a: Fact, b: Fact, options: NoOptions, story: StoryFacts) -> str | None:
    """"Mr Gumara" in one source, "she added" of Gumara in another."""
    if not isinstance(a, PersonFact) or not isinstance(b, PersonFact):
        return None
    if a.value.gender and b.value.gender and a.value.gender != b.value.gender:
        return "contradiction"
    return None


def compare_surnames(a: Fact, b: Fact, options: NoOptions, story: StoryFacts) -> str | None:
    """Same given name, unrelated surnames, never both in one article: possibly one person."""
    if not isinstance(a, PersonFact) or not isinstance(b, PersonFact):
        return None
    if name_key(a.value.given) != name_key(b.value.given):
        return None
    return "variant" if name_key(a.value.surname) != name_key(b.value.surname) else None
