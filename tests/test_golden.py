"""Golden end-to-end reports on seeds/. Update on purpose with:
``UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py`` and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from consistency.engine import check_story
from consistency.report import report_markdown
from consistency.rules.loader import SHIPPED_RULES, load_rules

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def seeds_report():
    run = check_story([ROOT / "seeds"], load_rules([SHIPPED_RULES]))
    return run.report(story="seeds")


def _stable(report) -> dict:
    data = json.loads(report.model_dump_json())
    data["version"] = "X"
    for d in data["documents"]:
        d["path"] = Path(d["path"]).name
    return data


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; review and update"


def test_seeds_json_report_matches_golden(seeds_report) -> None:
    _check("seeds_report.json", json.dumps(_stable(seeds_report), indent=2, ensure_ascii=False) + "\n")


def test_seeds_markdown_report_matches_golden(seeds_report) -> None:
    text = report_markdown(seeds_report)
    for d in seeds_report.documents:
        text = text.replace(d.path, Path(d.path).name)
    _check("seeds_report.md", text)


def test_seeds_findings_an_editor_expects(seeds_report) -> None:
    """The issue's acceptance items, asserted directly rather than only through the golden."""
    by_rule: dict[str, list] = {}
    for f in seeds_report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    page = by_rule["time.publication-implausible"][0]
    assert page.claims[0].text == "Thursday 19 September 2019"
    assert any("2015" in c.text for c in page.claims[1:])
    state = by_rule["time.state-end-disagrees"][0]
    texts = {c.text for c in state.claims}
    assert {"through the weekend", "until Monday"} <= texts
    raids = by_rule["count.disagrees"][0]
    assert {"a raid", "three raids"} <= {c.text for c in raids.claims}
    names = [c.text for f in by_rule["person.name-spelling"] for c in f.claims]
    assert any("Barak Obama" in t for t in names) and any("Barack Obama" in t for t in names)


def test_seeds_agreements_stay_quiet(seeds_report) -> None:
    quoted = [c.text for f in seeds_report.findings if f.severity != "info" for c in f.claims]
    for agreeing in ("two suspects", "Nov. 13", "November 13", "second-highest", "one notch",
                     "224", "17 seconds"):
        assert not any(agreeing in q for q in quoted), agreeing
