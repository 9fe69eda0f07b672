"""The run-level writers: HTML (self-contained, inert article text), SARIF 2.1.0 and JUnit XML.

Runs are built from real checks: the seed story and a hostile two-article story whose disagreeing
death tolls put a sentence full of markup (``<script>``, an ``onerror`` image, a ``javascript:``
Markdown link) into a finding's claim sentence.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from consistency.engine import check_story
from consistency.ingest.reader import decode_bytes
from consistency.models import (
    SEVERITY_ORDER,
    Claim,
    DocumentInfo,
    Finding,
    ResolvedFinding,
    RunReport,
    Span,
    StoryReport,
    Suppression,
)
from consistency.report import report_html, report_junit, report_sarif
from consistency.report.html import highlight
from consistency.report.sarif import path_uri
from consistency.rules.loader import SHIPPED_RULES, load_rules

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GENERATED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_LINK = "[x](javascript:alert(1))"
HOSTILE_TITLE = '<script>document.title="pwned"</script>'
HOSTILE_ARTICLES = {
    "a.txt": (f"date 2023-03-14\nThe blast killed 12 women {HOSTILE_SCRIPT} {HOSTILE_IMG} at the "
              f"market, police said {HOSTILE_LINK} {HOSTILE_TITLE}.\n"),
    "b.txt": "date 2023-03-14\nEleven women were killed in the blast at the market, police said.\n",
    # metadata is hostile too: a javascript: address must never become a link
    "sources.yaml": ('a.txt:\n  outlet: "<b>Evil</b> & Co"\n  url: "javascript:alert(1)"\n'
                     "b.txt:\n  outlet: Fair Times\n  url: https://fair-times.example/b?x=1&y=2\n"),
}

_RULES = None


def _rules():
    global _RULES
    if _RULES is None:
        _RULES = load_rules([SHIPPED_RULES])
    return _RULES


def story_report(folder: Path, name: str) -> StoryReport:
    run = check_story([folder], _rules())
    return StoryReport(**run.report(story=name).model_dump())


def run_report(*stories: StoryReport, **extra: Any) -> RunReport:
    return RunReport(version="0.1.0", generated=GENERATED, stories=list(stories), **extra)


def write_hostile_story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in HOSTILE_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def with_history(story: StoryReport) -> StoryReport:
    """The story as ``consistency report`` would give it on a second run: statuses, one resolved
    finding and one configured suppression, both with hostile text."""
    findings = [f.model_copy(update={"status": "new" if i == 0 else "persisting",
                                     "first_seen": datetime(2024, 4, 1, 8, 0, tzinfo=UTC)})
                for i, f in enumerate(story.findings)]
    resolved = [ResolvedFinding(fingerprint="0123456789abcdef0123", rule="toll.killed",
                                severity="high", message=f"Old toll {HOSTILE_SCRIPT}",
                                first_seen=datetime(2024, 3, 1, tzinfo=UTC),
                                last_seen=datetime(2024, 4, 1, tzinfo=UTC))]
    suppressed = [Suppression(fingerprint="fedcba9876543210fedc", rule="count.disagrees",
                              reason=f"checked by the desk {HOSTILE_IMG}",
                              message=f"Count differs {HOSTILE_LINK}")]
    return story.model_copy(update={"findings": findings, "resolved": resolved,
                                    "suppressed": suppressed})


@pytest.fixture(scope="module")
def seeds_story() -> StoryReport:
    return story_report(SEEDS, "seeds")


@pytest.fixture(scope="module")
def hostile_story(tmp_path_factory) -> StoryReport:
    return story_report(write_hostile_story(tmp_path_factory.mktemp("hostile")), "hostile")


@pytest.fixture(scope="module")
def runs(seeds_story, hostile_story) -> dict[str, RunReport]:
    return {
        "seeds": run_report(seeds_story),
        "hostile": run_report(hostile_story),
        "both": run_report(seeds_story, hostile_story),
        "history": run_report(with_history(seeds_story), with_history(hostile_story), run_id=7,
                              previous_run_id=6, baseline_suppressed=2),
        "empty": run_report(StoryReport(story="quiet", documents=[], findings=[])),
    }


RUN_NAMES = ["seeds", "hostile", "both", "history", "empty"]


def test_fixtures_are_meaningful(seeds_story, hostile_story):
    assert seeds_story.findings and {f.severity for f in seeds_story.findings} >= {"high", "medium"}
    assert any(c.sentence for f in seeds_story.findings for c in f.claims)
    hostile = [c for f in hostile_story.findings for c in f.claims
               if c.sentence and HOSTILE_SCRIPT in c.sentence.text]
    assert hostile, "the hostile sentence must be quoted as a claim sentence"
    assert HOSTILE_IMG in hostile[0].sentence.text and HOSTILE_LINK in hostile[0].sentence.text


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.blocks:
            self._open = tag
            self.blocks[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.blocks[self._open][-1] += data


def tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("name", RUN_NAMES)
def test_html_lists_every_finding_and_claim(runs, name):
    run = runs[name]
    html = report_html(run)
    parsed = tags(html)
    articles = [a for t, a in parsed.tags if "finding" in (a.get("class") or "").split()]
    assert len(articles) == len(run.findings())
    assert Counter(a["data-fingerprint"] for a in articles) == Counter(
        f.fingerprint for f in run.findings())
    for a in articles:
        assert a["data-severity"] in SEVERITY_ORDER and a["data-rule"]
    claims = [a for t, a in parsed.tags if "claim" in (a.get("class") or "").split()]
    assert len(claims) == sum(len(f.claims) for f in run.findings())
    for f in run.findings():
        assert f.fingerprint in html
        assert str(escape(f.message)) in html
        for c in f.claims:
            assert str(escape(c.text)) in html
    if not run.findings():
        assert "No disagreements found." in html


def test_html_groups_by_severity(runs):
    html = report_html(runs["seeds"])
    positions = {s: html.find(f'id="severity-{s}"') for s in ("high", "medium", "low", "info")}
    present = [s for s in positions if positions[s] >= 0]
    assert present == sorted(present, key=lambda s: positions[s])
    assert present == [s for s in ("high", "medium", "low", "info")
                       if any(f.severity == s for f in runs["seeds"].findings())]


def _expected_highlight(c: Claim) -> str | None:
    s = c.sentence
    if s is None:
        return None
    a, b = c.start - s.start, c.end - s.start
    if 0 <= a <= b <= len(s.text) and s.text[a:b] == c.text:
        return f'{escape(s.text[:a])}<mark class="quote">{escape(c.text)}</mark>{escape(s.text[b:])}'
    return None


@pytest.mark.parametrize("name", ["seeds", "hostile", "history"])
def test_html_highlight_wraps_exactly_the_claim(runs, name):
    run = runs[name]
    html = report_html(run)
    marks = re.findall(r'<mark class="quote">(.*?)</mark>', html, re.DOTALL)
    claims = [c for f in run.findings() for c in f.claims]
    assert len(marks) == len(claims)
    assert Counter(marks) == Counter(str(escape(c.text)) for c in claims)
    in_sentence = 0
    for c in claims:
        expected = _expected_highlight(c)
        if expected is not None:
            assert f'<blockquote class="sentence">{expected}</blockquote>' in html
            in_sentence += 1
        else:
            assert (f'<blockquote class="sentence no-sentence"><mark class="quote">'
                    f'{escape(c.text)}</mark></blockquote>') in html
    assert in_sentence, "some claims must be shown inside their sentence"


def test_highlight_offsets_and_fallbacks():
    sentence = Span(doc="a", start=100, end=130, text="The blast killed 12 women here.")
    claim = Claim(doc="a", text="12 women", start=117, end=125, sentence=sentence)
    assert highlight(claim) == ("The blast killed ", " here.")
    # no sentence, or a sentence without the quote: just the quote
    assert highlight(claim.model_copy(update={"sentence": None})) is None
    assert highlight(claim.model_copy(update={"text": "eleven"})) is None
    # offsets that disagree with the text: the single occurrence is used
    assert highlight(claim.model_copy(update={"start": 5, "end": 13})) == (
        "The blast killed ", " here.")
    # ...but never a guess between two occurrences
    twice = Span(doc="a", start=0, end=21, text="12 women and 12 women")
    assert highlight(Claim(doc="a", text="12 women", start=50, end=58, sentence=twice)) is None
    assert highlight(Claim(doc="a", text="12 women", start=13, end=21, sentence=twice)) == (
        "12 women and ", "")


def test_html_hostile_text_stays_inert(runs):
    for name in ("hostile", "both", "history"):
        html = report_html(runs[name])
        low = html.lower()
        assert "<script>alert" not in low
        assert "<img" not in low
        assert 'href="javascript' not in low and "href='javascript" not in low
        assert low.count("<script") == 1, "only the report's own filter script"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert HOSTILE_LINK in html  # shown as text, never as a link
        assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in html
        parsed = tags(html)
        for tag, attrs in parsed.tags:
            assert tag not in {"img", "iframe", "object", "embed", "link", "base"}, tag
            assert not any(k.startswith("on") for k in attrs), (tag, attrs)
            for key in ("href", "src", "action"):
                value = (attrs.get(key) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        # the safe http(s) source address is a link, with its query string escaped
        assert 'href="https://fair-times.example/b?x=1&amp;y=2"' in html
    history = report_html(runs["history"])
    assert "checked by the desk &#34;&gt;&lt;img" in history
    assert "Old toll &lt;script&gt;" in history


@pytest.mark.parametrize("name", RUN_NAMES)
def test_html_is_self_contained(runs, name):
    html = report_html(runs[name])
    low = html.lower()
    assert "@import" not in low and "url(" not in low
    assert not re.search(r"""<[^>]*\ssrc\s*=""", html), "no src attributes at all"
    assert not re.search(r"""<link\b""", low)
    parsed = tags(html)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "srcset" not in attrs, (tag, attrs)
        if tag == "a":
            continue  # links to the sources are navigation, not resource loads
        for value in attrs.values():
            assert "http:" not in (value or "") and "https:" not in (value or ""), (tag, attrs)
    assert len(parsed.blocks["script"]) == 1 and len(parsed.blocks["style"]) == 1
    for block in (parsed.blocks["script"][0], parsed.blocks["style"][0]):
        assert "http://" not in block and "https://" not in block


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_html_content_security_policy_allows_only_its_own_blocks(runs):
    html = report_html(runs["seeds"])
    parsed = tags(html)
    metas = [a for t, a in parsed.tags if t == "meta"
             and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    policy = {d.split()[0]: d.split()[1:] for d in metas[0]["content"].split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == [f"'{_sha(parsed.blocks['script'][0])}'"]
    assert policy["style-src"] == [f"'{_sha(parsed.blocks['style'][0])}'"]


def test_html_header_filters_and_summary(runs):
    run = runs["seeds"]
    html = report_html(run)
    assert "2024-05-01 12:30:00 UTC" in html
    ids = [a.get("id") for t, a in tags(html).tags if a.get("id")]
    for sev in ("high", "medium", "low", "info"):
        assert f"filter-{sev}" in ids
    assert "filter-rule" in ids and "filters" in ids
    for rule in {f.rule for f in run.findings()}:
        assert f'<option value="{rule}">' in html
    assert 'document.body.dataset.ready = "1"' in tags(html).blocks["script"][0]
    # the filter bar needs the script: hidden until it runs
    assert re.search(r'<form id="filters"[^>]*\bhidden\b', html)
    # summary: documents with status and page date
    for d in run.stories[0].documents:
        assert d.id in html and (d.published is None or d.published.isoformat() in html)
    # no history yet: no new/persisting/resolved columns
    assert ">Persisting<" not in html and 'id="resolved"' not in html


@pytest.mark.parametrize("name", RUN_NAMES)
def test_html_ids_are_unique(runs, name):
    ids = [a["id"] for t, a in tags(report_html(runs[name])).tags if a.get("id")]
    assert len(ids) == len(set(ids))


def test_html_history_sections(runs):
    run = runs["history"]
    html = report_html(run)
    assert ">New<" in html and ">Persisting<" in html and ">Resolved<" in html
    assert html.count('class="badge status status-new"') == sum(
        1 for f in run.findings() if f.status == "new")
    assert html.count('class="badge status status-persisting"') == sum(
        1 for f in run.findings() if f.status == "persisting")
    assert 'id="resolved"' in html and "0123456789abcdef0123" in html
    assert "fedcba9876543210fedc" in html and "checked by the desk" in html
    assert "2 findings accepted by a baseline file" in html
    assert "run 7" in html and "compared with run 6" in html


def test_html_links_sources_only_over_http(runs):
    html = report_html(runs["hostile"])
    assert "address (not linked): <code>javascript:alert(1)</code>" in html
    assert 'rel="noopener noreferrer nofollow">b</a>' in html


# ---------------------------------------------------------------------------------------------
# SARIF
# ---------------------------------------------------------------------------------------------

# The parts of the SARIF 2.1.0 schema this writer uses: allowed keys (the schema sets
# additionalProperties false on these objects) and required ones.
SARIF_OBJECTS: dict[str, tuple[set[str], set[str]]] = {
    "log": ({"$schema", "version", "runs", "inlineExternalProperties", "properties"},
            {"version", "runs"}),
    "run": ({"tool", "invocations", "conversion", "language", "versionControlProvenance",
             "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
             "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
             "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
             "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
             "translations", "policies", "webRequests", "webResponses", "specialLocations",
             "properties"}, {"tool"}),
    "tool": ({"driver", "extensions", "properties"}, {"driver"}),
    "toolComponent": ({"guid", "name", "organization", "product", "productSuite",
                       "shortDescription", "fullDescription", "fullName", "version",
                       "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc",
                       "downloadUri", "informationUri", "globalMessageStrings", "notifications",
                       "rules", "taxa", "locations", "language", "contents", "isComprehensive",
                       "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
                       "associatedComponent", "translationMetadata", "supportedTaxonomies",
                       "properties"}, {"name"}),
    "reportingDescriptor": ({"id", "deprecatedIds", "guid", "deprecatedGuids", "name",
                             "deprecatedNames", "shortDescription", "fullDescription",
                             "messageStrings", "defaultConfiguration", "helpUri", "help",
                             "relationships", "properties"}, {"id"}),
    "invocation": ({"commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc",
                    "exitCode", "ruleConfigurationOverrides", "notificationConfigurationOverrides",
                    "toolExecutionNotifications", "toolConfigurationNotifications",
                    "exitCodeDescription", "exitSignalName", "exitSignalNumber",
                    "processStartFailureMessage", "executionSuccessful", "machine", "account",
                    "processId", "executableLocation", "workingDirectory", "environmentVariables",
                    "stdin", "stdout", "stderr", "stdoutStderr", "properties"},
                   {"executionSuccessful"}),
    "result": ({"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
                "locations", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
                "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
                "relatedLocations", "suppressions", "baselineState", "rank", "attachments",
                "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
                "webResponse", "properties"}, {"message"}),
    "message": ({"text", "markdown", "id", "arguments", "properties"}, set()),
    "location": ({"id", "physicalLocation", "logicalLocations", "message", "annotations",
                  "relationships", "properties"}, set()),
    "physicalLocation": ({"address", "artifactLocation", "region", "contextRegion",
                          "properties"}, set()),
    "artifactLocation": ({"uri", "uriBaseId", "index", "description", "properties"}, set()),
    "region": ({"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
                "byteOffset", "byteLength", "snippet", "message", "sourceLanguage",
                "properties"}, set()),
    "artifactContent": ({"text", "binary", "rendered", "properties"}, set()),
}


def _obj(value: Any, kind: str) -> dict[str, Any]:
    assert isinstance(value, dict), (kind, value)
    allowed, required = SARIF_OBJECTS[kind]
    assert set(value) <= allowed, (kind, set(value) - allowed)
    assert required <= set(value), (kind, required - set(value))
    if kind == "message":
        assert isinstance(value.get("text"), str) or "id" in value
    if "properties" in value:
        assert isinstance(value["properties"], dict)
    return value


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def validate_sarif(log: dict[str, Any]) -> None:
    """The key requirements of SARIF 2.1.0 (OASIS; json.schemastore.org/sarif-2.1.0.json)."""
    _obj(log, "log")
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert isinstance(log["runs"], list)
    for run in log["runs"]:
        _obj(run, "run")
        _obj(run["tool"], "tool")
        driver = _obj(run["tool"]["driver"], "toolComponent")
        assert isinstance(driver["name"], str) and driver["name"]
        rules = driver.get("rules", [])
        for rule in rules:
            _obj(rule, "reportingDescriptor")
            _obj(rule["shortDescription"], "message")
            assert isinstance(rule["shortDescription"]["text"], str)
        assert len({r["id"] for r in rules}) == len(rules)
        for inv in run.get("invocations", []):
            _obj(inv, "invocation")
            assert isinstance(inv["executionSuccessful"], bool)
            if "endTimeUtc" in inv:
                assert _DATE_TIME.match(inv["endTimeUtc"])
        assert run.get("columnKind", "unicodeCodePoints") in {"utf16CodeUnits",
                                                               "unicodeCodePoints"}
        for result in run.get("results", []):
            _obj(result, "result")
            _obj(result["message"], "message")
            assert result.get("level", "warning") in {"none", "note", "warning", "error"}
            assert result.get("kind", "fail") in {"notApplicable", "pass", "fail", "review",
                                                  "open", "informational"}
            assert result.get("baselineState", "new") in {"new", "unchanged", "updated",
                                                          "absent"}
            if "ruleIndex" in result:
                assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            for fp in result.get("partialFingerprints", {}).values():
                assert isinstance(fp, str)
            for loc in result.get("locations", []):
                _obj(loc, "location")
                if "id" in loc:
                    assert isinstance(loc["id"], int) and loc["id"] >= -1
                if "message" in loc:
                    _obj(loc["message"], "message")
                phys = _obj(loc["physicalLocation"], "physicalLocation")
                assert "artifactLocation" in phys or "address" in phys
                art = _obj(phys["artifactLocation"], "artifactLocation")
                assert isinstance(art["uri"], str) and _URI_REFERENCE.match(art["uri"]), art
                for key in ("region", "contextRegion"):
                    if key not in phys:
                        continue
                    region = _obj(phys[key], "region")
                    for n in ("charOffset", "charLength", "byteOffset", "byteLength"):
                        if n in region:
                            assert isinstance(region[n], int) and region[n] >= 0, region
                    for n in ("startLine", "startColumn", "endLine", "endColumn"):
                        if n in region:
                            assert isinstance(region[n], int) and region[n] >= 1, region
                    if "snippet" in region:
                        _obj(region["snippet"], "artifactContent")


@pytest.mark.parametrize("name", RUN_NAMES)
def test_sarif_structure(runs, name):
    run = runs[name]
    log = json.loads(report_sarif(run))
    validate_sarif(log)
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "consistency" and driver["version"] == "0.1.0"
    assert "informationUri" not in driver
    findings = run.findings()
    assert {r["id"] for r in driver["rules"]} == {f.rule for f in findings}
    titles = {f.rule: f.title for f in findings}
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] == (titles[rule["id"]] or rule["id"])
    assert len(sarif_run["results"]) == len(findings)


@pytest.mark.parametrize("name", RUN_NAMES)
def test_sarif_results_match_findings(runs, name):
    run = runs[name]
    results = json.loads(report_sarif(run))["runs"][0]["results"]
    pairs = [(s, f) for s in run.stories for f in s.findings]
    levels = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
    for result, (story, f) in zip(results, pairs, strict=True):
        assert result["ruleId"] == f.rule
        assert result["level"] == levels[f.severity]
        assert result["message"]["text"] == f.message
        assert result["partialFingerprints"] == {"consistency/v1": f.fingerprint}
        props = result["properties"]
        assert props["verdict"] == f.verdict and props["story"] == (f.story or story.story)
        assert props["status"] == f.status
        paths = {d.id: d.path for d in story.documents}
        assert len(result["locations"]) == len(f.claims)
        for loc, c in zip(result["locations"], f.claims, strict=True):
            phys = loc["physicalLocation"]
            assert phys["artifactLocation"]["uri"] == path_uri(paths[c.doc])
            region = phys["region"]
            assert region["charOffset"] == c.start
            assert region["charLength"] == c.end - c.start == len(c.text)
            assert region["snippet"]["text"] == c.text
            if c.sentence is not None:
                ctx = phys["contextRegion"]
                assert ctx["charOffset"] == c.sentence.start
                assert ctx["snippet"]["text"] == c.sentence.text
        if f.status:
            assert result["baselineState"] == {"new": "new", "persisting": "unchanged"}[f.status]
        else:
            assert "baselineState" not in result


def test_sarif_relative_paths_and_hostile_text(runs, seeds_story):
    log = json.loads(report_sarif(runs["both"]))
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"] for loc in r["locations"]}
    assert any(u.startswith("seeds/") or "/seeds/" in u for u in uris)
    snippets = [loc["physicalLocation"].get("contextRegion", {}).get("snippet", {}).get("text", "")
                for r in log["runs"][0]["results"] for loc in r["locations"]]
    assert any(HOSTILE_SCRIPT in s for s in snippets)  # JSON carries it verbatim, as data
    history = json.loads(report_sarif(runs["history"]))["runs"][0]["properties"]
    assert history["runId"] == 7 and history["baselineSuppressed"] == 2
    assert {s["fingerprint"] for s in history["suppressed"]} == {"fedcba9876543210fedc"}
    assert {r["fingerprint"] for r in history["resolved"]} == {"0123456789abcdef0123"}


def _texts(run: RunReport) -> dict[str, str]:
    return {d.path: decode_bytes(Path(d.path).read_bytes()).raw
            for s in run.stories for d in s.documents}


@pytest.mark.parametrize("name", ["seeds", "both", "history"])
def test_sarif_line_numbers_from_texts(runs, name):
    """With the articles' texts, every region also gets 1-based lines and columns (what GitHub
    code scanning needs), pointing at the same characters as the offsets."""
    run = runs[name]
    texts = _texts(run)
    log = json.loads(report_sarif(run, texts))
    validate_sarif(log)
    pairs = [(s, f) for s in run.stories for f in s.findings]
    checked = 0
    for result, (story, f) in zip(log["runs"][0]["results"], pairs, strict=True):
        paths = {d.id: d.path for d in story.documents}
        for loc, c in zip(result["locations"], f.claims, strict=True):
            region = loc["physicalLocation"]["region"]
            lines = texts[paths[c.doc]].split("\n")
            first, last = lines[region["startLine"] - 1], lines[region["endLine"] - 1]
            if region["startLine"] == region["endLine"]:
                assert first[region["startColumn"] - 1:region["endColumn"] - 1] == c.text
            else:
                assert c.text.startswith(first[region["startColumn"] - 1:])
                assert c.text.endswith(last[:region["endColumn"] - 1])
            assert region["charOffset"] == c.start
            checked += 1
    assert checked == sum(len(f.claims) for f in run.findings())
    # without texts: offsets only, nothing guessed
    plain = json.loads(report_sarif(run))["runs"][0]["results"]
    assert all("startLine" not in loc["physicalLocation"]["region"]
               for r in plain for loc in r["locations"])


def test_sarif_line_numbers_edge_cases():
    text = "line one\r\nsecond 12 women\nthird\n12\nwomen"
    c1 = text.index("12 women")
    story = StoryReport(story="s", documents=[DocumentInfo(id="a", path="a.txt")], findings=[
        Finding(rule="r", severity="high", verdict="contradiction", message="m",
                fingerprint="f", claims=[
                    Claim(doc="a", text="12 women", start=c1, end=c1 + 8),
                    Claim(doc="a", text="12\nwomen", start=len(text) - 8, end=len(text)),
                    Claim(doc="a", text="not there", start=0, end=9),  # offsets lie: no lines
                ])])
    locs = json.loads(report_sarif(run_report(story), {"a.txt": text}))["runs"][0]["results"][0][
        "locations"]
    regions = [loc["physicalLocation"]["region"] for loc in locs]
    assert {k: regions[0][k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == {
        "startLine": 2, "startColumn": 8, "endLine": 2, "endColumn": 16}
    assert {k: regions[1][k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == {
        "startLine": 4, "startColumn": 1, "endLine": 5, "endColumn": 6}
    assert "startLine" not in regions[2] and regions[2]["charOffset"] == 0


def test_path_uri():
    assert path_uri("seeds/000_a.txt") == "seeds/000_a.txt"
    assert path_uri("my story/a b.txt") == "my%20story/a%20b.txt"
    assert path_uri("/tmp/x y/a.txt") == "file:///tmp/x%20y/a.txt"
    assert path_uri("C:\\news\\a.txt") == "file:///C:/news/a.txt"
    assert path_uri("odd:name.txt") == "odd%3Aname.txt"  # never read as a URI scheme


# ---------------------------------------------------------------------------------------------
# JUnit
# ---------------------------------------------------------------------------------------------


def _failing_groups(run: RunReport) -> set[tuple[str | None, str]]:
    return {(s.story, f.rule) for s in run.stories for f in s.findings
            if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["medium"]}


@pytest.mark.parametrize("name", RUN_NAMES)
def test_junit_structure(runs, name):
    run = runs[name]
    text = report_junit(run)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [s.story for s in run.stories]
    failures = root.findall("./testsuite/testcase/failure")
    assert len(failures) == len(_failing_groups(run)) == int(root.get("failures"))
    assert int(root.get("tests")) == len(root.findall("./testsuite/testcase"))
    for suite, story in zip(suites, run.stories, strict=True):
        cases = suite.findall("testcase")
        assert sorted(c.get("name") for c in cases) == sorted({f.rule for f in story.findings})
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        for case in cases:
            found = [f for f in story.findings if f.rule == case.get("name")]
            failing = [f for f in found if f.severity in ("high", "medium")]
            quiet = [f for f in found if f.severity in ("low", "info")]
            failure = case.find("failure")
            assert (failure is not None) == bool(failing)
            if failing:
                assert failure.get("type") == case.get("name")
                top = max(failing, key=lambda f: SEVERITY_ORDER[f.severity])
                assert failure.get("message").startswith(top.message)
                for f in failing:
                    assert f.fingerprint in failure.text
            out = case.find("system-out")
            assert (out is not None) == bool(quiet)
            for f in quiet:
                assert f.fingerprint in out.text


def test_junit_escapes_hostile_text():
    nasty = f'{HOSTILE_SCRIPT} & "quotes" {HOSTILE_IMG} ]]> \x01\x0b bell'
    finding = Finding(rule="toll.killed", title="Toll <b>", severity="high",
                      verdict="contradiction", message=nasty, fingerprint="abc",
                      claims=[Claim(doc="a", text=nasty, start=0, end=len(nasty))])
    info = finding.model_copy(update={"severity": "info", "rule": "quote.wording",
                                      "fingerprint": "def"})
    story = StoryReport(story='st<o>ry "&"', findings=[finding, info],
                        documents=[DocumentInfo(id="a", path="a.txt")])
    text = report_junit(run_report(story))
    assert "<script>" not in text and "<img" not in text
    root = ET.fromstring(text.encode("utf-8"))
    suite = root.find("testsuite")
    assert suite.get("name") == 'st<o>ry "&"'
    failure = root.find("./testsuite/testcase/failure")
    expected = nasty.replace("\x01", "\ufffd").replace("\x0b", "\ufffd")
    assert failure.get("message") == expected
    assert HOSTILE_SCRIPT in failure.text and "]]>" in failure.text
    assert "def" in root.find("./testsuite/testcase[@name='quote.wording']/system-out").text
    assert root.get("failures") == "1" and root.get("tests") == "2"
