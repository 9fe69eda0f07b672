"""The rule language, as pydantic models (unknown keys are errors). The JSON Schema of rule files
is generated from these models, so documentation, validation and editor completion agree."""

from __future__ import annotations

from typing import Any, Literal

import re2
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from consistency.models import FACT_KINDS

RuleKind = Literal["cross-source", "within-doc", "consensus"]
VerdictName = Literal[
    "contradiction", "imprecise", "variant", "reworded", "implausible", "developing"
]
SeverityName = Literal["high", "medium", "low", "info"]


class Examples(BaseModel):
    """Small texts that must (``flag``) or must not (``pass``) make the rule fire. Each example is
    a list of article texts, one per source; a text may start with a header line (a date)."""

    model_config = ConfigDict(extra="forbid")

    flag: list[list[str]] = Field(default_factory=list)
    pass_: list[list[str]] = Field(default_factory=list, alias="pass")


class Pairing(BaseModel):
    """How a cross-source rule aligns facts, beyond ``pair_by`` and ``min_score``."""

    model_config = ConfigDict(extra="forbid")

    specific_min_score: float | None = Field(
        None, ge=0.0, le=1.0,
        description="threshold for subjects with modifiers ('adult passengers'), which need "
                    "less shared context than bare ones ('people')")
    max_ratio: float | None = Field(
        None, gt=1.0, description="never pair two quantities further apart than this factor")
    same_doc: bool = Field(False, description="also compare facts of one article with each other")
    same_noun_bonus: float = Field(
        0.0, ge=0.0, le=1.0, description="added to the score of two facts measuring or counting "
                                         "the same noun ('3-metre fence' / 'six-metre fence')")
    key_terms: dict[str, float] = Field(
        default_factory=dict,
        description="terms (or concepts such as 'event') that, shared by two facts, add this "
                    "much to their alignment score")
    surname_similarity: float = Field(0.8, ge=0.0, le=1.0,
                                      description="least surname similarity for one person")
    given_similarity: float = Field(0.7, ge=0.0, le=1.0,
                                    description="least given-name similarity for one person")


def compile_pattern(pattern: str) -> Any:
    """Compile with RE2 (linear time), quietly: a bad pattern raises, it does not log."""
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options=options)


class Match(BaseModel):
    """Regular expressions (RE2 syntax, linear time: no pattern can hang on hostile text) that a
    fact's evidence or sentence must match for the rule to consider it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    sentence: str | None = None

    @field_validator("text", "sentence")
    @classmethod
    def _compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                compile_pattern(v)
            except re2.error as exc:
                reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
                raise ValueError(f"bad regular expression {v!r}: {reason}") from None
        return v


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    description: str = ""
    kind: RuleKind
    facts: str = Field(description="the fact kind the rule reads")
    where: dict[str, str | int | float | bool | list[str | int | float | bool]] = Field(
        default_factory=dict, description="keep facts whose field equals one of the values "
                                          "(compared as lower-case text: true, killed, 12)")
    pair_by: Literal["subject", "person", "given-name", "speaker"] = "subject"
    min_score: float = Field(0.3, ge=0.0, le=1.0, description="least alignment score to pair")
    pairing: Pairing = Field(default_factory=Pairing)
    match: Match = Field(default_factory=Match)
    compare: str = Field(description="comparison operator, see docs/rules.md")
    options: dict[str, Any] = Field(default_factory=dict,
                                    description="the operator's options, see docs/rules.md")
    severity: dict[VerdictName, SeverityName] = Field(
        description="severity per verdict; a verdict not listed produces no finding")
    message: str
    tags: list[str] = Field(default_factory=list)
    link: str | None = None
    enabled: bool = True
    examples: Examples = Field(default_factory=Examples)

    _options: Any = PrivateAttr(default=None)  # the validated options model, set by the loader

    @property
    def parsed_options(self) -> Any:
        # read from pydantic's private store directly: ``self._options`` first fails the normal
        # attribute lookup, then goes through ``BaseModel.__getattr__``, once per rule and story
        private = self.__pydantic_private__
        return private.get("_options") if private else None

    @field_validator("facts")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in FACT_KINDS:
            raise ValueError(f"unknown fact kind {v!r}; expected one of {', '.join(FACT_KINDS)}")
        return v


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Rule]


def rule_file_schema() -> dict[str, Any]:
    """JSON Schema of a rule file: a mapping with ``rules``, or a bare list of rules. Operator
    names and fact kinds are enumerated so an editor can complete them."""
    from pydantic import TypeAdapter

    from consistency.rules.operators import OPERATORS

    schema = TypeAdapter(RuleFile | list[Rule]).json_schema(by_alias=True)
    rule = schema["$defs"]["Rule"]
    rule["properties"]["compare"]["enum"] = sorted(OPERATORS)
    rule["properties"]["facts"]["enum"] = list(FACT_KINDS)
    rule["required"] = sorted({*rule.get("required", []), "examples"})
    schema["title"] = "consistency rule file"
    return schema
