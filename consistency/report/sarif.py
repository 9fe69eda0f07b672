"""SARIF 2.1.0 for code-scanning dashboards: one run, one result per finding.

Each claim becomes one location: the article file (``DocumentInfo.path`` as a URI reference;
absolute paths become ``file://`` URIs), a region with ``charOffset``/``charLength`` (the claim's
offsets into the decoded text, counted in Unicode code points, hence ``columnKind``) and the quote
as ``snippet``; the claim's sentence, when known, is the ``contextRegion``. The finding's
fingerprint is ``partialFingerprints["consistency/v1"]`` so dashboards can follow a finding across
runs; history status maps to ``baselineState`` (new -> "new", persisting -> "unchanged").

Line numbers: GitHub code scanning wants ``startLine`` in every region, which a report alone
cannot give (it holds offsets, not the articles). Pass ``texts`` (each document's decoded text,
``Document.raw``, keyed by ``DocumentInfo.path``) and regions also get 1-based
``startLine``/``startColumn``/``endLine``/``endColumn`` (lines end at "\n"; columns in code
points), whenever the text at the claim's offsets is the claim's text.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from consistency.models import Claim, DocumentInfo, Finding, RunReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
FINGERPRINT_KEY = "consistency/v1"
LEVELS = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
BASELINE_STATES = {"new": "new", "persisting": "unchanged"}
_DRIVE = re.compile(r"^[A-Za-z]:/")


def path_uri(path: str) -> str:
    """A file path as a SARIF ``uri-reference``: relative paths stay relative (percent-encoded),
    absolute ones become ``file://`` URIs."""
    p = path.replace("\\", "/")
    if _DRIVE.match(p):
        return "file:///" + quote(p, safe="/:")
    if p.startswith("/"):
        return "file://" + quote(p, safe="/")
    return quote(p, safe="/")


def _utc(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


class _Lines:
    """Line starts of one text, to turn offsets into 1-based line/column pairs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def _at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def region(self, start: int, end: int, text: str) -> dict[str, int]:
        if not (0 <= start < end <= len(self.text)) or self.text[start:end] != text:
            return {}
        start_line, start_column = self._at(start)
        end_line, _ = self._at(end - 1)  # the line of the region's last character
        return {"startLine": start_line, "startColumn": start_column, "endLine": end_line,
                "endColumn": end - self.starts[end_line - 1] + 1}


def _region(start: int, end: int, text: str, lines: _Lines | None) -> dict[str, Any]:
    region: dict[str, Any] = lines.region(start, end, text) if lines else {}
    region.update({"charOffset": start, "charLength": end - start, "snippet": {"text": text}})
    return region


def _location(claim: Claim, docs: dict[str, DocumentInfo], index: int,
              lines: dict[str, _Lines]) -> dict[str, Any]:
    doc = docs.get(claim.doc)
    path = doc.path if doc else claim.doc
    text = lines.get(path)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": path_uri(path)},
        "region": _region(claim.start, claim.end, claim.text, text),
    }
    s = claim.sentence
    if s is not None and s.start <= claim.start and claim.end <= s.end:
        physical["contextRegion"] = _region(s.start, s.end, s.text, text)
    label = claim.doc
    if doc is not None and (doc.outlet or doc.title):
        label += f" ({doc.outlet or doc.title})"
    return {"id": index, "physicalLocation": physical, "message": {"text": label}}


def _result(f: Finding, story: str | None, docs: dict[str, DocumentInfo],
            rule_index: int, lines: dict[str, _Lines]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [_location(c, docs, i, lines) for i, c in enumerate(f.claims)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if f.status in BASELINE_STATES:
        result["baselineState"] = BASELINE_STATES[f.status]
    properties: dict[str, Any] = {
        "verdict": f.verdict,
        "severity": f.severity,
        "story": f.story or story,
        "status": f.status,
    }
    if f.score is not None:
        properties["score"] = f.score
    if f.first_seen is not None:
        properties["firstSeen"] = _utc(f.first_seen)
    result["properties"] = properties
    return result


def report_sarif(run: RunReport, texts: Mapping[str, str] | None = None) -> str:
    """The run as a SARIF 2.1.0 log (a JSON string). ``texts``: optional decoded article texts
    by document path, to add line/column numbers to the regions."""
    lines = {path: _Lines(text) for path, text in (texts or {}).items()}
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for story in run.stories:
        docs = {d.id: d for d in story.documents}
        for f in story.findings:
            if f.rule not in rule_index:
                rule_index[f.rule] = len(rules)
                rules.append({"id": f.rule, "shortDescription": {"text": f.title or f.rule}})
            results.append(_result(f, story.story, docs, rule_index[f.rule], lines))

    driver: dict[str, Any] = {"name": run.tool or "consistency", "rules": rules}
    if run.version:
        driver["version"] = run.version
    properties: dict[str, Any] = {
        "generated": _utc(run.generated),
        "runId": run.run_id,
        "previousRunId": run.previous_run_id,
        "baselineSuppressed": run.baseline_suppressed,
        "stories": [s.story for s in run.stories],
        "suppressed": [
            {"story": s.story, **sup.model_dump(exclude_none=True)}
            for s in run.stories for sup in s.suppressed
        ],
        "resolved": [
            {"story": s.story, **r.model_dump(mode="json", exclude_none=True)}
            for s in run.stories for r in s.resolved
        ],
    }
    sarif_run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True, "endTimeUtc": _utc(run.generated)}],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": properties,
    }
    log = {"$schema": SCHEMA, "version": VERSION, "runs": [sarif_run]}
    return json.dumps(log, indent=2, ensure_ascii=False)
