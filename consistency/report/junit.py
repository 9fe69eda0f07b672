"""JUnit XML for CI dashboards.

``<testsuites>`` > one ``<testsuite>`` per story > one ``<testcase>`` per (story, rule) that
produced findings. A test case fails when its rule has a finding of severity medium or high: the
``<failure>`` carries the most severe finding's message (``type`` = the rule id) and lists every
medium+ finding in its body. Low and info findings never fail a case; they are listed in the
case's ``<system-out>``. Built with ElementTree, so all text is escaped; characters XML 1.0
cannot carry are replaced with U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from consistency.models import SEVERITY_ORDER, Finding, RunReport

FAILING = ("high", "medium")
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def _describe(f: Finding) -> str:
    lines = [f"[{f.severity}] {f.title or f.rule} ({f.verdict}) {f.fingerprint}"
             + (f" [{f.status}]" if f.status else ""),
             f"  {' '.join(f.message.split())}"]
    for c in f.claims:
        lines.append(f"  {c.doc} [{c.start}:{c.end}] \"{' '.join(c.text.split())}\"")
    return "\n".join(lines)


def _timestamp(value: datetime) -> str:
    """ISO 8601 without a zone (what the JUnit schema accepts), in UTC when the time is aware."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


def report_junit(run: RunReport) -> str:
    """The run as JUnit XML (a string with an XML declaration)."""
    root = ET.Element("testsuites", {"name": _x(run.tool or "consistency")})
    total_tests = total_failures = 0
    for i, story in enumerate(run.stories):
        name = story.story or f"story {i + 1}"
        suite = ET.SubElement(root, "testsuite", {
            "name": _x(name), "id": str(i), "timestamp": _timestamp(run.generated),
        })
        props = ET.SubElement(suite, "properties")
        for key, value in (("documents", len(story.documents)),
                           ("findings", len(story.findings)),
                           ("suppressed", len(story.suppressed)),
                           ("resolved", len(story.resolved))):
            ET.SubElement(props, "property", {"name": key, "value": str(value)})
        by_rule: dict[str, list[Finding]] = {}
        for f in story.findings:
            by_rule.setdefault(f.rule, []).append(f)
        failures = 0
        for rule in sorted(by_rule):
            found = sorted(by_rule[rule], key=lambda f: -SEVERITY_ORDER[f.severity])
            case = ET.SubElement(suite, "testcase", {
                "classname": _x(f"consistency.{name}"), "name": _x(rule), "time": "0",
            })
            failing = [f for f in found if f.severity in FAILING]
            quiet = [f for f in found if f.severity not in FAILING]
            if failing:
                failures += 1
                message = failing[0].message
                if len(failing) > 1:
                    message += f" (and {len(failing) - 1} more)"
                failure = ET.SubElement(case, "failure", {"message": _x(message), "type": _x(rule)})
                failure.text = _x("\n\n".join(_describe(f) for f in failing))
            if quiet:
                out = ET.SubElement(case, "system-out")
                out.text = _x("\n\n".join(_describe(f) for f in quiet))
        suite.set("tests", str(len(by_rule)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", "0")
        total_tests += len(by_rule)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
