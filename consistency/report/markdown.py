"""An editor's report in Markdown. Article text is escaped so it cannot become a link or HTML."""

from __future__ import annotations

import re

from consistency.models import Finding, Report, RunReport

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def report_markdown(report: Report) -> str:
    lines = [f"# Consistency report{': ' + md_escape(report.story) if report.story else ''}", ""]
    lines += ["## Sources", "", "| id | outlet | published | status | facts |", "|---|---|---|---|---|"]
    for d in report.documents:
        status = d.status + (f" ({md_escape(d.error)})" if d.error else "")
        lines.append(f"| {md_escape(d.id)} | {md_escape(d.outlet or '')} | {d.published or ''} "
                     f"| {status} | {d.facts} |")
    lines += ["", f"## Findings ({len(report.findings)})", ""]
    if not report.findings:
        lines.append("No disagreements found.")
    for n, f in enumerate(report.findings, 1):
        lines += _finding(n, f)
    if report.suppressed:
        lines += [f"## Suppressed ({len(report.suppressed)})", ""]
        lines += [f"- `{s.fingerprint}` {md_escape(s.rule or '')}: {md_escape(s.reason)}"
                  for s in report.suppressed]
        lines.append("")
    return "\n".join(lines) + "\n"


def _finding(n: int, f: Finding) -> list[str]:
    out = [f"### {n}. [{f.severity}] {md_escape(f.title or f.rule)}", "",
           f"{md_escape(f.message)}", "",
           f"rule `{f.rule}` · verdict **{f.verdict}** · fingerprint `{f.fingerprint}`", ""]
    for c in f.claims:
        out.append(f"- **{md_escape(c.doc)}** [{c.start}:{c.end}]: “{md_escape(c.text)}”")
        if c.sentence is not None:
            out.append(f"  > {md_escape(c.sentence.text)}")
    out.append("")
    return out


def run_markdown(run: RunReport) -> str:
    """Many stories: a summary, then each story's report with its new and resolved findings."""
    lines = [f"# Consistency report, {run.generated:%Y-%m-%d %H:%M}", "",
             "| story | articles | findings | new | resolved |", "|---|---|---|---|---|"]
    for s in run.stories:
        new = sum(1 for f in s.findings if f.status == "new")
        lines.append(f"| {md_escape(s.story or '')} | {len(s.documents)} | {len(s.findings)} "
                     f"| {new} | {len(s.resolved)} |")
    lines.append("")
    for s in run.stories:
        body = report_markdown(s).replace("\n## ", "\n### ").replace("\n### ", "\n#### ")
        lines.append(body.replace("# Consistency report", "## Story", 1))
        if s.resolved:
            lines += ["#### Resolved since the previous run", ""]
            lines += [f"- `{r.fingerprint}` {md_escape(r.message)}" for r in s.resolved]
            lines.append("")
    return "\n".join(lines) + "\n"
