"""CLI: exit codes, the JSON/Markdown contracts, bad inputs and bad rule files.

Most tests drive ``consistency.cli.app`` in-process with typer's CliRunner (stdout and stderr
kept apart); a few run ``python -m consistency`` in a subprocess to see what really reaches
stderr.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from consistency.cli import app
from consistency.rules.loader import SHIPPED_RULES, load_rules
from consistency.rules.testing import iter_examples

runner = CliRunner()

SEVERITIES = {"high": 3, "medium": 2, "low": 1, "info": 0}
VERDICTS = {"contradiction", "imprecise", "variant", "reworded", "implausible", "developing"}
DOC_STATUSES = {"ok", "empty", "binary", "unreadable", "missing", "decode_error", "timeout",
                "too_large",
                "failed"}
GRANULARITIES = {"year", "month", "week", "weekend", "day", "part_of_day", "hour", "minute",
                 "second"}
FINDING_LINE = re.compile(r"^\s*\d+\. (HIGH|MEDIUM|LOW|INFO) ", re.MULTILINE)


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def unwrapped(text: str) -> str:
    """The text with all runs of whitespace made one space (undoes terminal line wrapping)."""
    return " ".join(text.split())


def shipped_rule_ids() -> list[str]:
    ids = []
    for file in sorted(SHIPPED_RULES.glob("*.yaml")):
        ids += [r["id"] for r in yaml.safe_load(file.read_text(encoding="utf-8"))["rules"]]
    return ids


def write_story(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def check_json(tmp: Path, *args) -> tuple[object, dict]:
    out = tmp / "report.json"
    result = invoke("check", *args, "--format", "json", "--output", out)
    assert "Traceback" not in result.stderr
    assert out.is_file(), f"no report written: {result.output}"
    return result, json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Shared runs
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_report(seeds_dir: Path, tmp_path_factory) -> dict:
    result, report = check_json(tmp_path_factory.mktemp("seeds_json"), seeds_dir)
    assert result.exit_code == 1, result.output
    return report


@pytest.fixture(scope="module")
def harbour_report(data_dir: Path, tmp_path_factory) -> dict:
    result, report = check_json(tmp_path_factory.mktemp("harbour_json"),
                                data_dir / "story_harbour_collapse")
    assert result.exit_code in (0, 1), result.output
    return report


@pytest.fixture(scope="module")
def seeds_facts(seeds_dir: Path) -> dict:
    result = invoke("facts", seeds_dir, "--format", "json", "--all")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def seed_texts(seeds_dir: Path) -> dict[str, str]:
    """Seed article id (file stem) -> text."""
    return {p.stem: p.read_bytes().decode("utf-8", errors="replace")
            for p in sorted(seeds_dir.glob("*.txt"))}


# ---------------------------------------------------------------------------------------------
# check: exit codes
# ---------------------------------------------------------------------------------------------


def test_check_seeds_exits_1_on_medium_or_worse_findings(seeds_dir: Path, seeds_report: dict):
    result = invoke("check", seeds_dir)
    assert result.exit_code == 1, result.output
    assert any(SEVERITIES[f["severity"]] >= SEVERITIES["medium"] for f in seeds_report["findings"])
    # the text summary lists every finding, most severe first
    shown = FINDING_LINE.findall(result.stdout)
    assert len(shown) == len(seeds_report["findings"])
    ranks = [SEVERITIES[s.lower()] for s in shown]
    assert ranks == sorted(ranks, reverse=True)
    for f in seeds_report["findings"]:
        assert f["rule"] in result.stdout


def test_check_fail_on_never_exits_0(seeds_dir: Path):
    result = invoke("check", seeds_dir, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert FINDING_LINE.search(result.stdout)  # the findings are still printed


@pytest.mark.parametrize("level", ["high", "medium", "low", "info"])
def test_check_fail_on_matches_finding_severities(seeds_dir: Path, seeds_report: dict,
                                                  level: str):
    result = invoke("check", seeds_dir, "--fail-on", level)
    worst = max(SEVERITIES[f["severity"]] for f in seeds_report["findings"])
    assert result.exit_code == (1 if worst >= SEVERITIES[level] else 0), result.output


def test_check_fail_on_high_ignores_medium_findings(tmp_path: Path):
    story = write_story(tmp_path / "raids", {
        "a.txt": "Police carried out three raids in the north of the city on Thursday.\n",
        "b.txt": "Police carried out five raids in the north of the city on Thursday.\n",
    })
    _, report = check_json(tmp_path, story)
    severities = {f["severity"] for f in report["findings"]}
    assert "medium" in severities and "high" not in severities, report["findings"]
    assert invoke("check", story).exit_code == 1
    assert invoke("check", story, "--fail-on", "high").exit_code == 0


def test_check_quiet_story_has_no_medium_findings(data_dir: Path, tmp_path: Path):
    story = data_dir / "story_quiet"
    result = invoke("check", story)
    assert result.exit_code == 0, result.output
    assert not [s for s in FINDING_LINE.findall(result.stdout) if s in ("HIGH", "MEDIUM")]
    _, report = check_json(tmp_path, story)
    assert len(report["documents"]) == 3
    assert all(d["status"] == "ok" for d in report["documents"])
    loud = [f for f in report["findings"] if SEVERITIES[f["severity"]] >= SEVERITIES["medium"]]
    assert not loud, [(f["rule"], [c["text"] for c in f["claims"]]) for f in loud]


# ---------------------------------------------------------------------------------------------
# check: the JSON contract
# ---------------------------------------------------------------------------------------------


def _assert_value_contract(value: dict) -> str:
    assert isinstance(value, dict)
    if {"low", "high"} & value.keys() or value.get("type") == "number":
        assert {"low", "high", "unit"} <= value.keys(), value
        for end in ("low", "high"):
            assert value[end] is None or isinstance(value[end], int | float)
        if value["low"] is not None and value["high"] is not None:
            assert value["low"] <= value["high"]
        return "number"
    if value.get("type") == "time" or "granularity" in value:
        assert {"start", "end", "granularity"} <= value.keys(), value
        assert value["granularity"] in GRANULARITIES
        if value["start"] is not None:
            start, end = datetime.fromisoformat(value["start"]), datetime.fromisoformat(value["end"])
            assert start < end  # end exclusive
        return "time"
    return str(value.get("type"))


def _assert_report_contract(report: dict) -> set[str]:
    assert {"documents", "findings"} <= report.keys()
    ids = set()
    for d in report["documents"]:
        assert {"id", "path", "published", "status"} <= d.keys(), d
        assert d["status"] in DOC_STATUSES
        if d["published"] is not None:
            date.fromisoformat(d["published"])
        ids.add(d["id"])
    kinds = set()
    for f in report["findings"]:
        assert {"rule", "severity", "verdict", "message", "fingerprint", "claims"} <= f.keys(), f
        assert f["severity"] in SEVERITIES
        assert f["verdict"] in VERDICTS
        assert isinstance(f["message"], str) and f["message"]
        assert isinstance(f["fingerprint"], str) and f["fingerprint"]
        assert f["claims"], f"finding {f['rule']} without claims"
        for c in f["claims"]:
            assert {"doc", "text", "start", "end", "value"} <= c.keys(), c
            assert c["doc"] in ids
            assert isinstance(c["start"], int) and isinstance(c["end"], int)
            assert 0 <= c["start"] <= c["end"]
            kinds.add(_assert_value_contract(c["value"]))
    return kinds


def test_json_report_contract_seeds(seeds_report: dict, seeds_dir: Path):
    kinds = _assert_report_contract(seeds_report)
    assert "time" in kinds
    assert {Path(d["path"]).name for d in seeds_report["documents"]} == {
        p.name for p in seeds_dir.glob("*.txt")}
    assert len({f["fingerprint"] for f in seeds_report["findings"]}) == len(
        seeds_report["findings"])


def test_json_report_contract_numbers(harbour_report: dict):
    kinds = _assert_report_contract(harbour_report)
    assert {"number", "time"} <= kinds


def test_json_output_goes_to_the_file_not_stdout(seeds_dir: Path, tmp_path: Path):
    out = tmp_path / "sub" / "r.json"
    result = invoke("check", seeds_dir, "--format", "json", "--output", out)
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert '"findings"' not in result.stdout


# ---------------------------------------------------------------------------------------------
# check: Markdown
# ---------------------------------------------------------------------------------------------


def test_markdown_report_has_findings_section(seeds_dir: Path, seeds_report: dict):
    result = invoke("check", seeds_dir, "--format", "markdown")
    assert result.exit_code == 1
    md = result.stdout
    assert re.search(r"^#{1,3} Findings\b", md, re.MULTILINE), md[:500]
    assert len(re.findall(r"^### ", md, re.MULTILINE)) == len(seeds_report["findings"])
    for f in seeds_report["findings"]:
        assert f["fingerprint"] in md


def test_markdown_escapes_article_html_and_links(tmp_path: Path):
    story = write_story(tmp_path / "xss", {
        "a.txt": "date 2023-03-14\nThe blast killed 12 women <script>alert(1)</script> at the "
                 "market, police said [x](javascript:alert(1)).\n",
        "b.txt": "date 2023-03-14\nEleven women were killed in the blast at the market, police "
                 "said.\n",
    })
    out = tmp_path / "report.md"
    result = invoke("check", story, "--format", "markdown", "--output", out)
    assert result.exit_code == 1, result.output
    md = out.read_text(encoding="utf-8")
    assert "toll.killed" in md
    assert "alert" in md and "javascript" in md  # the hostile sentence is quoted...
    assert "<script>" not in md.lower()  # ...but never as raw HTML
    assert not re.search(r"(?<!\\)<", md), "an unescaped '<' in the Markdown"
    # ...nor as an active link: any "](javascript:" must have its "]" escaped
    assert not re.search(r"(?<!\\)\]\s*\(\s*javascript:", md, re.IGNORECASE), md


# ---------------------------------------------------------------------------------------------
# facts
# ---------------------------------------------------------------------------------------------


def test_facts_json_shape(seeds_facts: dict):
    assert seeds_facts["facts"]
    for f in seeds_facts["facts"]:
        assert {"kind", "doc", "value", "text", "start", "end"} <= f.keys(), f
        assert 0 <= f["start"] <= f["end"]
    assert seeds_facts["mentions"], "--all must list the mentions"
    for m in seeds_facts["mentions"]:
        assert {"doc", "text", "start", "end", "value", "reference"} <= m.keys(), m
        # every seed article resolves against its own or the story's date
        assert m["reference"] is not None, m
        date.fromisoformat(m["reference"])


def test_facts_without_all_has_no_mentions(seeds_dir: Path):
    result = invoke("facts", seeds_dir, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["facts"] and not data.get("mentions")


def test_facts_seed_toll_of_224(seeds_facts: dict, seed_texts: dict[str, str]):
    giving = [doc for doc, text in seed_texts.items() if re.search(r"\b224 (people|lives)\b", text)]
    assert len(giving) >= 4
    for doc in giving:
        tolls = [f for f in seeds_facts["facts"] if f["doc"] == doc and f["kind"] == "casualty"
                 and f["value"]["low"] == f["value"]["high"] == 224]
        assert tolls, f"{doc}: no casualty fact of 224"
        assert all("224" in f["text"] for f in tolls)


def test_facts_seed_17_seconds(seeds_facts: dict, seed_texts: dict[str, str]):
    giving = [doc for doc, text in seed_texts.items() if "17 seconds" in text]
    assert len(giving) >= 3
    for doc in giving:
        found = [f for f in seeds_facts["facts"] if f["doc"] == doc and f["kind"] == "duration"
                 and f["value"]["low"] == f["value"]["high"] == 17 and f["value"]["unit"] == "s"]
        assert found, f"{doc}: no 17 s duration fact"
        assert all("17 seconds" in f["text"] for f in found)


def test_facts_seed_nov_13_resolves_to_2015(seeds_facts: dict, seed_texts: dict[str, str]):
    giving = {doc: m.group(0) for doc, text in seed_texts.items()
              if (m := re.search(r"\bNov(?:\.|ember) 13\b", text))}
    assert len(giving) == len(seed_texts)
    for doc, said in giving.items():
        found = [f for f in seeds_facts["facts"] if f["doc"] == doc and f["kind"] == "event_date"
                 and said in f["text"]]
        assert found, f"{doc}: no event_date fact for {said!r}"
        for f in found:
            assert f["value"]["start"].startswith("2015-11-13"), f


# ---------------------------------------------------------------------------------------------
# Bad inputs
# ---------------------------------------------------------------------------------------------

BAD_STATUSES = {
    "empty.txt": {"empty"},
    "blank.txt": {"empty"},
    "binary.txt": {"binary"},
    "invalid_utf8.txt": {"ok"},
    "utf16.txt": {"ok", "decode_error"},
    "good.txt": {"ok"},
}


def _lines_naming(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


def test_bad_inputs_folder_is_checked_with_statuses(bad_inputs_dir: Path, tmp_path: Path):
    result, report = check_json(tmp_path, bad_inputs_dir)
    assert result.exit_code in (0, 1), result.output  # good.txt is readable: not 2
    assert "Traceback" not in result.output + result.stderr
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert set(by_name) == {p.name for p in bad_inputs_dir.iterdir()} == set(BAD_STATUSES)
    for name, statuses in BAD_STATUSES.items():
        assert by_name[name]["status"] in statuses, (name, by_name[name])
    assert by_name["good.txt"]["facts"] > 0
    assert by_name["invalid_utf8.txt"]["error"]  # a warning: bytes were replaced
    # one stderr line per bad file, naming it; nothing about the good one
    for name, doc in by_name.items():
        lines = _lines_naming(result.stderr, name)
        if doc["status"] != "ok" or doc.get("error"):
            assert len(lines) == 1, (name, result.stderr)
            assert re.match(r"(error|warning): ", lines[0]), lines[0]
        else:
            assert not lines, (name, result.stderr)


def test_missing_path_is_listed_and_the_rest_checked(seeds_dir: Path, seeds_report: dict,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result, report = check_json(tmp_path, "does/not/exist.txt", seeds_dir)
    assert result.exit_code == 1, result.output
    missing = [d for d in report["documents"] if d["status"] == "missing"]
    assert [d["path"] for d in missing] == ["does/not/exist.txt"]
    assert sum(d["status"] == "ok" for d in report["documents"]) == len(seeds_report["documents"])
    assert {f["fingerprint"] for f in report["findings"]} == {
        f["fingerprint"] for f in seeds_report["findings"]}
    lines = _lines_naming(result.stderr, "does/not/exist.txt")
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


def test_all_bad_inputs_exit_2(bad_inputs_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(bad_inputs_dir)
    result = invoke("check", "empty.txt", "binary.txt")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    # one line per unreadable file, naming it...
    assert len(_lines_naming(result.stderr, "empty.txt")) == 1, lines
    assert len(_lines_naming(result.stderr, "binary.txt")) == 1, lines
    # ...and one line saying why the run stopped
    summary = [line for line in lines if "empty.txt" not in line and "binary.txt" not in line]
    assert len(summary) == 1, lines


def test_nonexistent_folder_alone_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "does/not/exist")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    assert len(_lines_naming(result.stderr, "does/not/exist")) == 1, lines
    assert len(lines) <= 2, lines  # the path's line, and at most one summary line


def test_folder_without_articles_exits_2(tmp_path: Path):
    (tmp_path / "empty_story").mkdir()
    result = invoke("check", tmp_path / "empty_story")
    assert result.exit_code == 2
    assert unwrapped(result.stderr).startswith("error: ")
    assert "Traceback" not in result.stderr


def test_python_m_consistency_never_prints_a_traceback(bad_inputs_dir: Path, seeds_dir: Path,
                                                      tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "consistency", "check", str(bad_inputs_dir),
         "does/not/exist.txt", str(seeds_dir), "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    statuses = [d["status"] for d in report["documents"]]
    assert statuses.count("missing") == 1
    assert len(statuses) == len(BAD_STATUSES) + 1 + len(list(seeds_dir.glob("*.txt")))
    assert proc.stderr.strip(), "bad inputs must be reported on stderr"


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["COLUMNS"] = "80"  # a common terminal width
    return env


def test_stderr_messages_are_one_line_even_when_long(bad_inputs_dir: Path, seeds_dir: Path,
                                                     bad_rules_dir: Path, tmp_path: Path):
    deep = tmp_path / ("a_rather_long_folder_name_for_articles_" * 2)
    deep.mkdir()
    shutil.copy(bad_inputs_dir / "empty.txt", deep / "empty.txt")
    shutil.copy(bad_rules_dir / "unknown_key_typo.yaml", deep / "rules.yaml")
    for args in (["check", str(deep / "empty.txt"), str(seeds_dir)],
                 ["rules", "lint", str(deep / "rules.yaml")]):
        proc = subprocess.run([sys.executable, "-m", "consistency", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, env=_subprocess_env())
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("error: ")


def test_stderr_names_the_path_verbatim(tmp_path: Path, seeds_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "x:fire:y.txt", seeds_dir)
    assert result.exit_code == 1
    assert "x:fire:y.txt" in result.stderr, result.stderr


def test_text_report_survives_brackets_in_a_path(seeds_dir: Path, tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "consistency", "check", "a[/x]b.txt", str(seeds_dir)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=_subprocess_env(),
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1
    assert "a[/x]b.txt" in proc.stdout


def test_facts_text_output_survives_brackets_in_article_text(tmp_path: Path):
    story = write_story(tmp_path / "brackets", {
        "a.txt": 'date 2023-03-14\n"We will rebuild the [/i] bridge within a year," Reyes said.\n',
        "b.txt": 'date 2023-03-14\n"We will rebuild the bridge within two years," Reyes said.\n',
    })
    result = invoke("facts", story)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert result.exit_code == 0
    assert "[/i]" in result.stdout


# ---------------------------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------------------------


def test_rules_lint_shipped_rules():
    ids = shipped_rule_ids()
    for args in ([], [SHIPPED_RULES]):
        result = invoke("rules", "lint", *args)
        assert result.exit_code == 0, result.output
        assert re.search(rf"\b{len(ids)} rules OK\b", result.stdout), result.stdout


def test_rules_list_lists_every_rule():
    ids = shipped_rule_ids()
    assert ids
    result = invoke("rules", "list")
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert sorted(listed) == sorted(ids)


def test_rules_schema_is_json_schema():
    result = invoke("rules", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    # a rule file is a mapping with a 'rules' list, or a bare list of rules
    kinds = {alt.get("$ref", alt.get("type")) for alt in schema["anyOf"]}
    assert kinds == {"#/$defs/RuleFile", "array"}
    assert "rules" in schema["$defs"]["RuleFile"]["properties"]
    rule_def = next(v for k, v in schema.get("$defs", {}).items() if k == "Rule")
    assert {"id", "kind", "facts", "compare", "severity", "message"} <= set(rule_def["required"])
    assert rule_def.get("additionalProperties") is False


def test_rules_test_all_examples_pass():
    total = sum(1 for rule in load_rules([SHIPPED_RULES]) for _ in iter_examples(rule))
    result = invoke("rules", "test")
    match = re.search(r"^(\d+) passed, (\d+) failed$", result.stdout, re.MULTILINE)
    assert match, result.stdout
    assert int(match.group(1)) + int(match.group(2)) == total
    assert result.stdout.strip().endswith(f"{total} passed, 0 failed"), result.stdout
    assert result.exit_code == 0


def test_rules_test_reports_a_failing_example(tmp_path: Path):
    rule_file = tmp_path / "wrong.yaml"
    rule_file.write_text(
        "rules:\n"
        "  - id: test.wrong-example\n"
        "    title: A rule whose flag example does not flag\n"
        "    kind: cross-source\n"
        "    facts: casualty\n"
        "    where: {outcome: killed}\n"
        "    min_score: 0.15\n"
        "    compare: interval\n"
        "    severity: {contradiction: high}\n"
        "    message: 'Death toll differs: {claims}'\n"
        "    examples:\n"
        "      flag:\n"
        "        - ['date 2023-03-14\\nThe blast killed 12 women, police said.',\n"
        "           'date 2023-03-14\\nTwelve women were killed in the blast, police said.']\n"
        "      pass:\n"
        "        - ['date 2023-03-14\\nThe blast killed 12 women.', 'date 2023-03-14\\nThe blast killed 12 women.']\n",
        encoding="utf-8")
    result = invoke("rules", "test", rule_file)
    assert result.exit_code == 1, result.output
    assert "FAIL test.wrong-example flag[0]" in result.stdout
    assert "1 passed, 1 failed" in result.stdout


# ---------------------------------------------------------------------------------------------
# Bad rule files: `rules lint FILE` exits 2 with one located error line
# ---------------------------------------------------------------------------------------------

# file -> (acceptable error lines or None for any, substrings the message must contain)
BAD_RULES = {
    "yaml_syntax.yaml": ({8, 9}, ["invalid YAML"]),
    "unknown_key_typo.yaml": ({9}, ["unknown key 'severty'", "did you mean 'severity'"]),
    "wrong_type.yaml": ({7}, ["min_score"]),
    "duplicate_id.yaml": ({14}, ["duplicate rule id 'broken.duplicate'",
                                 "duplicate_id.yaml:3"]),
    "unknown_operator.yaml": ({8}, ["unknown operator 'overlaps'", "interval"]),
    "operator_typo.yaml": ({7}, ["unknown operator 'intervall'", "did you mean 'interval'"]),
    "unknown_fact_kind.yaml": ({6}, ["unknown fact kind 'casualties'", "casualty"]),
    "bad_id.yaml": ({3}, ["id", "pattern"]),
    "missing_message.yaml": ({3}, ["missing required key 'message'"]),
    "empty.yaml": ({1}, ["empty"]),
    "bare_string.yaml": ({1, 2}, []),
    "python_tag.yaml": ({3}, ["python/object"]),
    "bad_severity.yaml": ({8}, ["severity", "'high'"]),
    "unknown_verdict.yaml": ({9}, ["conflict", "'contradiction'"]),
    "bad_rule_kind.yaml": ({6}, ["kind", "'cross-source'"]),
    "top_level_typo.yaml": ({1, 2}, ["'rules'"]),
    "billion_laughs.yaml": (None, []),
    "duplicate_key.yaml": ({10}, ["duplicate key 'severity'"]),
    "bad_regex.yaml": ({7}, ["bad regular expression", "missing )"]),
    "bad_duration.yaml": ({7}, ["bad duration", "30 parsecs"]),
    "unknown_option.yaml": ({7}, ["unknown option 'tolerence'", "did you mean 'tolerance'"]),
    "unknown_where_field.yaml": ({7}, ["no field 'outcomes'", "did you mean 'outcome'"]),
    "operator_kind_mismatch.yaml": ({7}, ["'date-gap'", "does not fit kind"]),
    "missing_examples.yaml": ({3}, ["needs examples"]),
}
# file -> reason, for a broken file the loader is known to accept (marked xfail, strict)
BAD_RULES_XFAIL: dict[str, str] = {}


def _bad_rule_params() -> list:
    return [pytest.param(name, *spec, id=name.removesuffix(".yaml"),
                         marks=[pytest.mark.xfail(reason=BAD_RULES_XFAIL[name], strict=True)]
                         if name in BAD_RULES_XFAIL else [])
            for name, spec in BAD_RULES.items()]


def test_bad_rule_table_covers_every_file(bad_rules_dir: Path):
    files = {p.name for p in bad_rules_dir.glob("*.yaml")}
    assert files == set(BAD_RULES)
    assert len(files) >= 12
    for name in files:
        text = (bad_rules_dir / name).read_text(encoding="utf-8")
        assert text.startswith("# BROKEN:"), f"{name}: say what is broken in a first comment"


def _assert_one_located_error(result, name: str, lines: set[int] | None, hints: list[str]):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    assert "rules OK" not in result.stdout
    message = unwrapped(result.stderr)  # judged on content; wrapping has its own test
    assert message.startswith("error: "), result.stderr
    assert message.count("error:") == 1, result.stderr
    located = re.search(rf"{re.escape(name)}:(\d+)(?::\d+)?:", message)
    assert located, f"no {name}:LINE in {message!r}"
    if lines is not None:
        assert int(located.group(1)) in lines, message
    for hint in hints:
        assert hint in message, f"{hint!r} not in {message!r}"


@pytest.mark.parametrize(("name", "lines", "hints"), _bad_rule_params())
def test_rules_lint_bad_file(name: str, lines: set[int] | None, hints: list[str],
                             bad_rules_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(bad_rules_dir)
    result = invoke("rules", "lint", name)
    _assert_one_located_error(result, name, lines, hints)


@pytest.mark.parametrize(("name", "lines", "hints"), _bad_rule_params())
def test_check_with_bad_rule_file_exits_2(name: str, lines: set[int] | None, hints: list[str],
                                          bad_rules_dir: Path, seeds_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(bad_rules_dir)
    result = invoke("check", seeds_dir, "--rules", name)
    _assert_one_located_error(result, name, lines, hints)
    assert not FINDING_LINE.search(result.stdout)  # no report from a half-loaded rule set


def test_zero_byte_rule_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "zero.yaml").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    _assert_one_located_error(invoke("rules", "lint", "zero.yaml"), "zero.yaml", {1}, ["empty"])


def test_alias_bomb_is_refused_quickly(bad_rules_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(bad_rules_dir)
    started = time.perf_counter()
    result = invoke("rules", "lint", "billion_laughs.yaml")
    assert result.exit_code == 2, result.output
    assert time.perf_counter() - started < 5


def test_rules_lint_bad_folder_names_the_file(bad_rules_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch):
    """A folder of rules fails on its broken file, named with its line."""
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(SHIPPED_RULES / "counts.yaml", folder / "a_counts.yaml")
    shutil.copy(bad_rules_dir / "unknown_key_typo.yaml", folder / "b_broken.yaml")
    monkeypatch.chdir(tmp_path)
    result = invoke("rules", "lint", "rules")
    _assert_one_located_error(result, "b_broken.yaml", {9}, ["did you mean 'severity'"])
