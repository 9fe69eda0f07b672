"""The rule language, as pydantic models (unknown keys are errors). The JSON Schema of rule files
is generated from these models, so documentation, validation and editor completion agree."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    description: str = ""
    kind: RuleKind
    facts: str = Field(description="the fact kind the rule reads")
    where: dict[str, str | list[str]] = Field(
        default_factory=dict, description="keep facts whose field equals one of the values")
    pair_by: Literal["subject", "person", "given-name", "speaker", "none"] = "subject"
    min_score: float = Field(0.3, ge=0.0, le=1.0, description="least alignment score to pair")
    compare: str = Field(description="comparison operator, see docs/rules.md")
    options: dict[str, Any] = Field(default_factory=dict)
    severity: dict[VerdictName, SeverityName] = Field(
        description="severity per verdict; a verdict not listed produces no finding")
    message: str
    tags: list[str] = Field(default_factory=list)
    link: str | None = None
    enabled: bool = True
    examples: Examples = Field(default_factory=Examples)

    @field_validator("facts")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in FACT_KINDS:
            raise ValueError(f"unknown fact kind {v!r}; expected one of {', '.join(FACT_KINDS)}")
        return v


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Rule]
