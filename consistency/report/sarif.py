"""SARIF 2.1.0 for code-scanning dashboards: one run, one result per finding.

Each claim becomes one location: the article file (``DocumentInfo.path`` as a URI reference;
absolute paths become ``file://`` URIs), a region with ``charOffset``/``charLength`` (the claim's
offsets into the decoded text, counted in Unicode code points, hence ``columnKind``) and the quote
as ``snippet``; the claim's sentence, when known, is the ``contextRegion``. The finding's
fingerprint is ``partialFingerprints["consistency/v1"]`` so dashboards can follow a finding across
runs; history status maps to ``baselineState`` (new -> "new", persisting -> "unchanged").
"""

from __future__ import annotations

import json
import re
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


def _location(claim: Claim, docs: dict[str, DocumentInfo], index: int) -> dict[str, Any]:
    doc = docs.get(claim.doc)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": path_uri(doc.path if doc else claim.doc)},
        "region": {
            "charOffset": claim.start,
            "charLength": claim.end - claim.start,
            "snippet": {"text": claim.text},
        },
    }
    s = claim.sentence
    if s is not None and s.start <= claim.start and claim.end <= s.end:
        physical["contextRegion"] = {
            "charOffset": s.start,
            "charLength": s.end - s.start,
            "snippet": {"text": s.text},
        }
    label = claim.doc
    if doc is not None and (doc.outlet or doc.title):
        label += f" ({doc.outlet or doc.title})"
    return {"id": index, "physicalLocation": physical, "message": {"text": label}}


def _result(f: Finding, story: str | None, docs: dict[str, DocumentInfo],
            rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [_location(c, docs, i) for i, c in enumerate(f.claims)],
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


def report_sarif(run: RunReport) -> str:
    """The run as a SARIF 2.1.0 log (a JSON string)."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for story in run.stories:
        docs = {d.id: d for d in story.documents}
        for f in story.findings:
            if f.rule not in rule_index:
                rule_index[f.rule] = len(rules)
                rules.append({"id": f.rule, "shortDescription": {"text": f.title or f.rule}})
            results.append(_result(f, story.story, docs, rule_index[f.rule]))

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
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
