"""The HTML report in a real browser (headless Chromium), through scripts/browser_check.py.

Skipped when Chromium is not installed (Debian: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from consistency.report import report_html
from tests.test_report_writers import (
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    HOSTILE_TITLE,
    SEEDS,
    run_report,
    story_report,
    with_history,
    write_hostile_story,
)

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "browser_check.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")


def browser_check(html: Path, png: Path, *expect: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(SCRIPT), str(html), str(png), "--chromium", CHROMIUM]
    for text in expect:
        args += ["--expect-text", text]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def _assert_passed(result: subprocess.CompletedProcess[str]) -> None:
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines and not any(line.startswith("FAIL") for line in lines), result.stdout
    assert any("hides all" in line for line in lines), result.stdout


def test_seeds_report_in_chromium(tmp_path: Path):
    html = tmp_path / "seeds.html"
    html.write_text(report_html(run_report(story_report(SEEDS, "seeds"))), encoding="utf-8")
    result = browser_check(html, tmp_path / "seeds.png")
    _assert_passed(result)
    assert (tmp_path / "seeds.png").read_bytes().startswith(b"\x89PNG")


def test_hostile_report_in_chromium(tmp_path: Path):
    story = story_report(write_hostile_story(tmp_path / "hostile"), "hostile")
    html = tmp_path / "hostile.html"
    html.write_text(report_html(run_report(with_history(story))), encoding="utf-8")
    result = browser_check(html, tmp_path / "hostile.png", HOSTILE_SCRIPT, HOSTILE_IMG,
                           HOSTILE_TITLE)
    _assert_passed(result)


def test_browser_check_catches_an_injected_script(tmp_path: Path):
    """The check itself must fail on a report whose article text was not escaped."""
    story = story_report(write_hostile_story(tmp_path / "hostile"), "hostile")
    page = report_html(run_report(story))
    escaped = "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;"
    assert escaped in page
    html = tmp_path / "broken.html"
    html.write_text(page.replace(escaped, HOSTILE_TITLE), encoding="utf-8")
    result = browser_check(html, tmp_path / "broken.png")
    assert result.returncode == 1, result.stdout
    assert "FAIL: exactly one <script> element" in result.stdout
