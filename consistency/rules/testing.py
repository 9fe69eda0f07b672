"""Run the examples a rule carries: each ``flag`` example must make the rule fire, each ``pass``
example must leave it quiet. Examples are written to a temporary story folder, one file per
source, and go through the same pipeline as real articles."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from consistency.engine import apply_rules, extract_story
from consistency.models import Finding
from consistency.rules.schema import Rule


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    name: str  # "flag[0]", "pass[1]"
    expected: bool  # should the rule fire
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return bool(self.findings) == self.expected


def iter_examples(rule: Rule) -> Iterator[tuple[str, bool, list[str]]]:
    for i, texts in enumerate(rule.examples.flag):
        yield f"flag[{i}]", True, texts
    for i, texts in enumerate(rule.examples.pass_):
        yield f"pass[{i}]", False, texts


def run_example(rule: Rule, name: str, expected: bool, texts: Sequence[str]) -> ExampleResult:
    with tempfile.TemporaryDirectory(prefix="consistency-example-") as tmp:
        folder = Path(tmp)
        for n, text in enumerate(texts):
            (folder / f"source_{n + 1}.txt").write_text(text, encoding="utf-8")
        # a disabled rule is still tested: its examples are part of its definition
        enabled = rule if rule.enabled else rule.model_copy(update={"enabled": True})
        if enabled is not rule:
            enabled._options = rule.parsed_options
        run = apply_rules(extract_story([folder]), [enabled])
    mine = tuple(f for f in run.findings if f.rule == rule.id)
    return ExampleResult(rule=rule.id, name=name, expected=expected, findings=mine)


def run_rule_examples(rule: Rule) -> list[ExampleResult]:
    return [run_example(rule, name, expected, texts) for name, expected, texts in iter_examples(rule)]
