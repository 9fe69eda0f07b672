"""Message templates. A template is ``str.format`` text over a fixed set of plain strings, so a
rule can only fill in words, never reach into objects or run code.

Fields: ``{title}``, ``{verdict}``, ``{subject}``, ``{claims}`` (every claim as
``doc "text" (value)``), ``{a_doc}``, ``{a_text}``, ``{a_value}``, ``{b_doc}``, ``{b_text}``,
``{b_value}`` (the pair that decided the verdict).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from consistency.models import Fact, NameValue, NumberValue, QuoteValue, TimeValue

TEMPLATE_FIELDS = frozenset(
    {"title", "verdict", "subject", "claims", "a_doc", "a_text", "a_value", "b_doc", "b_text",
     "b_value"}
)


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def render_message(template: str, rule: Any, verdict: str, facts: Sequence[Fact],
                   pair: tuple[Fact, Fact]) -> str:
    a, b = pair
    values = {
        "title": rule.title, "verdict": verdict, "subject": a.subject,
        "claims": "; ".join(f'{f.doc} "{_short(f.text)}" ({describe_value(f.value)})' for f in facts),
        "a_doc": a.doc, "a_text": _short(a.text), "a_value": describe_value(a.value),
        "b_doc": b.doc, "b_text": _short(b.text), "b_value": describe_value(b.value),
    }
    try:
        return template.format_map(values)
    except (KeyError, ValueError, IndexError, AttributeError):
        return f"{rule.title}: {values['claims']}"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_value(value: Any) -> str:
    if isinstance(value, NumberValue):
        return _number(value)
    if isinstance(value, TimeValue):
        return _time(value)
    if isinstance(value, NameValue):
        return " ".join(p for p in (value.title, value.name) if p) + (
            f" ({value.role})" if value.role else "")
    if isinstance(value, QuoteValue):
        return f"quote by {value.speaker or 'unknown'}"
    return str(value)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _number(v: NumberValue) -> str:
    unit = f" {v.unit}" if v.unit else ""
    if v.low is not None and v.low == v.high:
        return _fmt(v.low) + unit
    if v.high is None and v.low is not None:
        return f"≥{_fmt(v.low)}{unit}"
    if v.low is None and v.high is not None:
        return f"≤{_fmt(v.high)}{unit}"
    if v.low is None:
        return "any"
    return f"{_fmt(v.low)}–{_fmt(v.high)}{unit}"  # type: ignore[arg-type]


def _time(v: TimeValue) -> str:
    start, end = v.start, v.end
    if start is None or end is None:
        return "unresolved"
    if start.tzinfo is None and end.tzinfo is None:  # equal naive datetimes print alike
        return _time_text(start, end, v.granularity, v.inferred)
    return _format_time(start, end, v.granularity, v.inferred)


def _format_time(start: datetime, end: datetime, granularity: str, inferred: bool) -> str:
    note = " (inferred)" if inferred else ""
    if granularity in ("year",):
        return f"{start:%Y}{note}"
    if granularity == "month":
        return f"{start:%Y-%m}{note}"
    if granularity in ("day",):
        return f"{start:%a %Y-%m-%d}{note}"
    if granularity in ("week", "weekend"):
        return f"{start:%a %Y-%m-%d}–{end:%a %Y-%m-%d}{note}"
    return f"{start:%a %Y-%m-%d %H:%M}–{end:%H:%M}{note}"


# a finding describes each value several times (its claims, message and fingerprint), and
# articles repeat a story's times: strftime, the costly part, runs once per distinct time
_time_text = lru_cache(maxsize=4096)(_format_time)
