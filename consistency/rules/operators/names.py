"""``name-spelling`` and ``role-conflict``: the same person written two ways.

People reach these operators already clustered by ``align.cluster_people``. A spelling variant
is a different written form of a given name or surname (initials and missing parts are not);
a role conflict is two roles whose classes (``options.classes``, data in the rule) do not meet.
"""

from __future__ import annotations

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


def _plural_variant(x: str, y: str) -> bool:
    return x.rstrip("s") == y.rstrip("s")


def role_classes(role: str | None, classes: dict[str, list[str]]) -> set[str]:
    if not role:
        return set()
    raw = role.lower().replace("-", " ").split() + [role.lower().split()[-1]]
    words = {w for word in raw for w in (word, word[:-1] if word.endswith("s") else word)}
    return {name for name, members in classes.items()
            if any(m in words or (" " in m and m in role.lower()) for m in members)}


def role_kinds(role: str | None, classes: dict[str, list[str]], generic: set[str]) -> set[str]:
    """The classes a role belongs to; a known role noun outside every class is a class of its
    own ("harbour master" -> {"master"}); generic words ("official", "leader") are none."""
    found = role_classes(role, classes)
    if found or not role:
        return found
    head = role.lower().split()[-1]
    return set() if head in generic else {head}


def compare_roles(a: Fact, b: Fact, options: RoleOptions, story: StoryFacts) -> str | None:
    if not isinstance(a, PersonFact) or not isinstance(b, PersonFact):
        return None
    classes = options.classes
    generic = set(options.generic)
    ca, cb = role_kinds(a.value.role, classes, generic), role_kinds(b.value.role, classes, generic)
    if ca and cb and not ca & cb:
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
