"""The shapes that pass between pipeline stages. Every stage imports from here and nowhere else.

Offsets: every ``start``/``end`` is a character offset into ``Document.raw`` (the file's text as
decoded: UTF-8, bad bytes replaced, nothing else changed), so ``raw[start:end] == text`` always.
Extractors read ``Document.text`` (the repaired text) and map their offsets back through
``Document.to_raw``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field
from pydantic_core import PydanticUndefined

Number = int | float
M = TypeVar("M", bound=BaseModel)
# per model, in field order: (name, default, default factory); _REQUIRED marks no default
_FieldSpec = tuple[str, Any, Callable[[], Any] | None]
_SPECS: dict[type[BaseModel], list[_FieldSpec]] = {}
_REQUIRED = object()
_set = object.__setattr__


def trusted(cls: type[M], **values: Any) -> M:
    """An instance built from values the engine made itself, without validation.

    ``model_construct`` does the same but resolves aliases field by field; on the extraction
    hot path (tens of thousands of spans and facts per megabyte) that costs more than the rest of
    building a fact. No model here has aliases or private attributes, so the values and the
    defaults are all there is to set. Fields set are the ones given, as with ``model_construct``;
    fields are stored in model order, which is the order pydantic serialises them in.
    """
    build = _BUILDERS.get(cls) or _builder(cls)
    try:
        return build(values)  # type: ignore[no-any-return]
    except KeyError:  # a required field not given: left unset, as model_construct does
        return _build_slowly(cls, values)


def _build_slowly(cls: type[M], values: dict[str, Any]) -> M:
    fields: dict[str, Any] = {}
    for name, default, factory in _SPECS.get(cls) or _field_spec(cls):
        if name in values:
            fields[name] = values[name]
        elif factory is not None:
            fields[name] = factory()
        elif default is not _REQUIRED:
            fields[name] = default
    m = cls.__new__(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


_BUILDERS: dict[type[BaseModel], Callable[[dict[str, Any]], Any]] = {}


def _builder(cls: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """``trusted`` for one model as straight-line code: the fields as one dict display, in
    model order (``values[name]`` for a required field, ``values.get(name, default)`` else).
    It builds a fact in about half the time of a loop over the fields; it raises KeyError
    where a required field is missing, and names not in the model are left out."""
    scope: dict[str, Any] = {"_new": cls.__new__, "_cls": cls, "_set": _set}
    items = []
    for i, (name, default, factory) in enumerate(_SPECS.get(cls) or _field_spec(cls)):
        if factory is not None:
            scope[f"_factory{i}"] = factory
            items.append(f"{name!r}: values[{name!r}] if {name!r} in values else _factory{i}()")
        elif default is _REQUIRED:
            items.append(f"{name!r}: values[{name!r}]")
        else:
            scope[f"_default{i}"] = default
            items.append(f"{name!r}: values.get({name!r}, _default{i})")
    source = (
        "def build(values):\n"
        f"    fields = {{{', '.join(items)}}}\n"
        "    m = _new(_cls)\n"
        "    _set(m, '__dict__', fields)\n"
        "    _set(m, '__pydantic_fields_set__', set(values))\n"
        "    _set(m, '__pydantic_extra__', None)\n"
        "    _set(m, '__pydantic_private__', None)\n"
        "    return m\n"
    )
    exec(source, scope)  # the source is built from the model's own field names only
    build: Callable[[dict[str, Any]], Any] = scope["build"]
    _BUILDERS[cls] = build
    return build


def _field_spec(cls: type[BaseModel]) -> list[_FieldSpec]:
    spec: list[_FieldSpec] = []
    for name, info in cls.model_fields.items():
        if info.alias is not None or info.validation_alias is not None:
            raise TypeError(f"{cls.__name__}.{name} has an alias: use model_construct")
        default = _REQUIRED if info.default is PydanticUndefined else info.default
        spec.append((name, default, info.default_factory))  # type: ignore[arg-type]
    _SPECS[cls] = spec
    return spec


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


class NumberValue(BaseModel):
    """A quantity as an interval. ``None`` marks an open end ("at least two" = [2, None])."""

    model_config = ConfigDict(frozen=True)

    type: Literal["number"] = "number"
    low: Number | None
    high: Number | None
    unit: str | None = None  # canonical unit ("s", "m"); None for a plain count
    qualifier: str | None = None  # the words that widened the interval ("at least", "about")
    approximate: bool = False
    # a converted quantity as written: "131-foot" is low=high=39.9288 m, written 131 "foot"
    written: Number | None = None
    written_unit: str | None = None

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high


Granularity = Literal[
    "year", "month", "week", "weekend", "day", "part_of_day", "hour", "minute", "second"
]
Anchor = Literal["absolute", "document", "consensus", "unresolved"]


class TimeValue(BaseModel):
    """A time as a half-open interval [start, end) with the granularity it was written at.

    ``anchor`` says what fixed it: ``absolute`` (the text gave year, month and day), ``document``
    (resolved against the article's own date), ``consensus`` (against the story's consensus date,
    because the article had none or an implausible one; then ``inferred`` is true) or
    ``unresolved`` (no reference at all; start/end are None).
    """

    model_config = ConfigDict(frozen=True)

    type: Literal["time"] = "time"
    start: datetime | None
    end: datetime | None
    granularity: Granularity
    anchor: Anchor = "absolute"
    reference: date | None = None
    inferred: bool = False
    weekday: int | None = None  # 0=Monday, when the text named a weekday


class NameValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Literal["name"] = "name"
    name: str  # as written, titles stripped
    given: str | None = None
    surname: str | None = None
    title: str | None = None  # honorific or rank written before the name ("Captain", "Dr")
    role: str | None = None  # appositive role ("local police spokesman", "a gynaecologist")
    gender: Literal["male", "female"] | None = None


class QuoteValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Literal["quote"] = "quote"
    quote: str
    speaker: str | None = None


Value = Annotated[
    NumberValue | TimeValue | NameValue | QuoteValue, Field(discriminator="type")
]

# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------

DocStatus = Literal[
    "ok", "empty", "binary", "unreadable", "missing", "decode_error", "timeout", "failed",
    "too_large",
]


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc: str
    start: int
    end: int
    text: str


class Document(BaseModel):
    """One article, as read from disk.

    ``raw`` is the decoded file text; ``text`` is the repaired text the extractors read (mojibake
    fixed); ``offset_map`` maps each index of ``text`` (plus one past the end) to an index of
    ``raw``, and is empty when the two are identical.
    """

    id: str
    path: str
    status: DocStatus = "ok"
    error: str | None = None
    raw: str = ""
    text: str = ""
    offset_map: list[int] = Field(default_factory=list, repr=False)
    body_start: int = 0  # in ``text``: where the article body begins (after header lines)
    body_end: int = 0  # in ``text``: where trailing boilerplate begins
    # in ``text``: boilerplate inside the body (repeated photo captions, "Read more" prompts)
    skip_ranges: list[tuple[int, int]] = Field(default_factory=list)
    edition: str | None = None  # an edition name read from the header ("Weekend")
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    published_span: Span | None = None  # where the page date was read (raw offsets)
    published_source: Literal["sources.yaml", "header", "none"] = "none"

    def to_raw(self, pos: int) -> int:
        """Map an offset in ``text`` to the matching offset in ``raw``."""
        if not self.offset_map:
            return pos
        return self.offset_map[min(max(pos, 0), len(self.offset_map) - 1)]

    def span(self, start: int, end: int) -> Span:
        """Evidence for ``text[start:end]``, expressed in raw offsets."""
        raw_start, raw_end = self.to_raw(start), self.to_raw(end)
        # built by the engine from its own offsets: no validation needed on this hot path
        return trusted(Span, doc=self.id, start=raw_start, end=raw_end,
                       text=self.raw[raw_start:raw_end])

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]


class DocumentInfo(BaseModel):
    """What a report says about one input."""

    id: str
    path: str
    published: date | None = None
    published_source: str = "none"
    status: DocStatus = "ok"
    error: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    facts: int = 0


# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------


class FactBase(BaseModel):
    """Shared by every fact: where it is (raw offsets) and what it is about.

    ``subject`` is a short human label ("killed: people, paris attacks"); ``terms`` are the
    normalised content words of the fact's clause that alignment matches on; ``event`` names the
    event a toll or date belongs to when the clause says so.
    """

    model_config = ConfigDict(frozen=True)

    doc: str
    text: str
    start: int
    end: int
    subject: str = ""
    terms: tuple[str, ...] = ()
    event: str | None = None
    sentence: Span | None = None
    inferred: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def type(self) -> str:
        """A reader's label for the fact ("death toll", "event date"): the kind made plain."""
        kind = getattr(self, "kind", "")
        if kind == "casualty":
            return _CASUALTY_LABELS.get(getattr(self, "outcome", ""), "casualty count")
        return _KIND_LABELS.get(kind, kind)


_CASUALTY_LABELS = {"killed": "death toll (killed, dead)", "injured": "injury toll (injured)",
                    "missing": "missing count", "rescued": "rescued count",
                    "survived": "survivor count"}
_KIND_LABELS = {
    "count": "count of things", "measure": "measurement (distance, depth, height)",
    "duration": "duration (seconds)", "event_date": "event date and time",
    "state_end": "end of a state (until, through)", "publication": "publication date (dateline)",
    "person": "person (name, title, role)", "age": "age of a person",
    "quote": "quote (speaker, words)",
}


class CasualtyFact(FactBase):
    kind: Literal["casualty"] = "casualty"
    outcome: Literal["killed", "injured", "missing", "rescued", "survived"]
    noun: str = "people"
    value: NumberValue


class CountFact(FactBase):
    kind: Literal["count"] = "count"
    noun: str
    value: NumberValue


class MeasureFact(FactBase):
    kind: Literal["measure"] = "measure"
    noun: str = ""
    value: NumberValue


class DurationFact(FactBase):
    kind: Literal["duration"] = "duration"
    value: NumberValue  # seconds


class EventTimeFact(FactBase):
    kind: Literal["event_date"] = "event_date"
    value: TimeValue
    # False for a bare clock time ("around 1.10 pm") whose day the sentence does not give: such
    # times are compared by time of day only.
    day_known: bool = True


class StateEndFact(FactBase):
    """A state with an end: "keep the highest threat level until Monday". ``value`` is the last
    period during which the state still holds."""

    kind: Literal["state_end"] = "state_end"
    value: TimeValue


class PublicationFact(FactBase):
    kind: Literal["publication"] = "publication"
    value: TimeValue


class PersonFact(FactBase):
    kind: Literal["person"] = "person"
    value: NameValue


class AgeFact(FactBase):
    kind: Literal["age"] = "age"
    person: str
    value: NumberValue


class QuoteFact(FactBase):
    kind: Literal["quote"] = "quote"
    value: QuoteValue


Fact = Annotated[
    CasualtyFact | CountFact | MeasureFact | DurationFact | EventTimeFact | StateEndFact | PublicationFact | PersonFact | AgeFact | QuoteFact,
    Field(discriminator="kind"),
]

FACT_KINDS: tuple[str, ...] = (
    "casualty",
    "count",
    "measure",
    "duration",
    "event_date",
    "state_end",
    "publication",
    "person",
    "age",
    "quote",
)


FACT_MODELS: dict[str, type[FactBase]] = {
    "casualty": CasualtyFact,
    "count": CountFact,
    "measure": MeasureFact,
    "duration": DurationFact,
    "event_date": EventTimeFact,
    "state_end": StateEndFact,
    "publication": PublicationFact,
    "person": PersonFact,
    "age": AgeFact,
    "quote": QuoteFact,
}


class Mention(BaseModel):
    """A number or time expression the grammar found, whether or not it became a fact."""

    doc: str
    text: str
    start: int
    end: int
    value: NumberValue | TimeValue
    reference: date | None = None
    used: bool = False


# ---------------------------------------------------------------------------------------------
# Findings and reports
# ---------------------------------------------------------------------------------------------

Severity = Literal["high", "medium", "low", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3}
Verdict = Literal[
    "contradiction", "imprecise", "variant", "reworded", "implausible", "developing"
]


class Claim(BaseModel):
    doc: str
    text: str
    start: int
    end: int
    value: dict[str, Any] | None = None
    sentence: Span | None = None


class Finding(BaseModel):
    rule: str
    title: str = ""
    severity: Severity
    verdict: Verdict
    message: str
    fingerprint: str
    claims: list[Claim]
    score: float | None = None  # alignment score of the pair, when the rule paired facts
    story: str | None = None
    # set by history (``consistency report``): "new" since the previous run, or "persisting"
    status: Literal["new", "persisting"] | None = None
    first_seen: datetime | None = None


class Suppression(BaseModel):
    fingerprint: str
    reason: str
    rule: str | None = None
    message: str | None = None


class Report(BaseModel):
    tool: str = "consistency"
    version: str = ""
    story: str | None = None
    documents: list[DocumentInfo]
    findings: list[Finding]
    suppressed: list[Suppression] = Field(default_factory=list)


class ResolvedFinding(BaseModel):
    """A finding of the previous run that this run no longer produces."""

    fingerprint: str
    rule: str
    severity: Severity
    message: str
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class StoryReport(Report):
    """One story of a multi-story run (``consistency report``)."""

    story: str | None = None
    resolved: list[ResolvedFinding] = Field(default_factory=list)


class RunReport(BaseModel):
    """A run over many stories: what ``consistency report`` writes as report.json, and what the
    HTML, Markdown, SARIF and JUnit writers read."""

    tool: str = "consistency"
    version: str = ""
    generated: datetime
    run_id: int | None = None
    previous_run_id: int | None = None
    stories: list[StoryReport]
    baseline_suppressed: int = 0  # findings hidden because a baseline file accepted them

    def findings(self) -> list[Finding]:
        return [f for s in self.stories for f in s.findings]


class FactsReport(BaseModel):
    documents: list[DocumentInfo]
    facts: list[Fact]
    mentions: list[Mention] | None = None
