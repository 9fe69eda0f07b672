"""The terminal summary, with rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from consistency.models import FactsReport, Report
from consistency.rules.render import describe_value

_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


def print_report(report: Report, console: Console) -> None:
    docs = Table(title="Sources", show_lines=False)
    for col in ("id", "published", "status", "facts"):
        docs.add_column(col)
    for d in report.documents:
        status = d.status + (f": {d.error}" if d.error else "")
        docs.add_row(escape(d.id), str(d.published or "-"), escape(status), str(d.facts))
    console.print(docs)
    if report.suppressed:
        console.print(f"{len(report.suppressed)} finding(s) suppressed by configuration:")
        for sup in report.suppressed:
            console.print(f"    {sup.fingerprint} {sup.rule or ''}: {sup.reason}", markup=False,
                          highlight=False)
    if not report.findings:
        console.print("No disagreements found.")
        return
    for n, f in enumerate(report.findings, 1):
        console.print(f"[{_STYLE[f.severity]}]{n}. {f.severity.upper()}[/] {escape(f.title)} "
                      f"[dim]({escape(f.rule)}, {f.verdict}, {f.fingerprint})[/]",
                      highlight=False)
        for c in f.claims:
            console.print(f"    {c.doc} [{c.start}:{c.end}] “{' '.join(c.text.split())}”",
                          markup=False, highlight=False)
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in _STYLE}
    console.print("findings: " + ", ".join(f"{k}={v}" for k, v in counts.items() if v))


def print_facts(facts: FactsReport, console: Console) -> None:
    table = Table(title="Facts")
    for col in ("doc", "kind", "subject", "value", "text"):
        table.add_column(col, overflow="fold")
    for f in facts.facts:
        table.add_row(escape(f.doc), f.kind, escape(f.subject), escape(describe_value(f.value)),
                      escape(" ".join(f.text.split())))
    console.print(table)
