"""RULES: every shipped rule's own examples, run through the whole pipeline as real articles.

A ``flag`` example must make its rule fire (and quote the example's text); a ``pass`` example must
leave it quiet. Test ids are ``<rule id>-flag[0]``, ``<rule id>-pass[0]``...
"""

from __future__ import annotations

from pathlib import Path

import pytest

from consistency.engine import check_story
from consistency.rules.loader import SHIPPED_RULES, load_rules
from consistency.rules.schema import Rule
from consistency.rules.testing import iter_examples, run_example

RULES: list[Rule] = load_rules([SHIPPED_RULES])

# "<rule id>-flag[0]" -> reason, for an example known to be wrong (marked xfail, strict).
KNOWN_BAD_EXAMPLES: dict[str, str] = {}


def _example_params() -> list:
    params = []
    for rule in RULES:
        for name, expected, texts in iter_examples(rule):
            test_id = f"{rule.id}-{name}"
            marks = []
            if test_id in KNOWN_BAD_EXAMPLES:
                marks.append(pytest.mark.xfail(reason=KNOWN_BAD_EXAMPLES[test_id], strict=True))
            params.append(pytest.param(rule, name, expected, texts, id=test_id, marks=marks))
    return params


EXAMPLES = _example_params()


def test_shipped_rules_are_found():
    ids = [r.id for r in RULES]
    assert len(ids) >= 10
    assert len(ids) == len(set(ids))
    assert len(EXAMPLES) >= 2 * len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_has_flag_and_pass_examples(rule: Rule):
    assert rule.examples.flag, f"{rule.id} has no flag example"
    assert rule.examples.pass_, f"{rule.id} has no pass example"
    for texts in [*rule.examples.flag, *rule.examples.pass_]:
        assert texts and all(t.strip() for t in texts), f"{rule.id}: an empty example text"
        if rule.kind == "cross-source":
            assert len(texts) >= 2, f"{rule.id}: a cross-source example needs two sources"


@pytest.mark.parametrize(("rule", "name", "expected", "texts"), EXAMPLES)
def test_rule_example(rule: Rule, name: str, expected: bool, texts: list[str],
                      tmp_path: Path):
    files = []
    for n, text in enumerate(texts):
        path = tmp_path / f"source_{n + 1}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    run = check_story([tmp_path], [rule])
    assert all(d.status == "ok" for d in run.documents)
    mine = [f for f in run.findings if f.rule == rule.id]
    assert len(mine) == len(run.findings)  # only this rule was run
    if expected:
        assert mine, f"{rule.id} {name}: expected the rule to fire, it stayed quiet"
        texts_by_doc = {d.id: Path(d.path).read_text(encoding="utf-8") for d in run.documents}
        for finding in mine:
            assert finding.severity == rule.severity[finding.verdict]
            assert finding.claims
            for c in finding.claims:
                assert texts_by_doc[c.doc][c.start:c.end] == c.text
    else:
        assert not mine, (
            f"{rule.id} {name}: expected no finding, got "
            + "; ".join(f"{f.verdict}: {[c.text for c in f.claims]}" for f in mine))


@pytest.mark.parametrize(("rule", "name", "expected", "texts"), EXAMPLES)
def test_rules_testing_harness_agrees(rule: Rule, name: str, expected: bool, texts: list[str]):
    """``consistency rules test`` uses run_example; it must reach the same verdict."""
    result = run_example(rule, name, expected, texts)
    assert result.rule == rule.id and result.name == name and result.expected is expected
    assert result.ok, (
        f"{rule.id} {name}: expected the rule to {'fire' if expected else 'stay quiet'}, "
        f"got {len(result.findings)} finding(s)")
