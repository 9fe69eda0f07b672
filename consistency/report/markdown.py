"""An editor's report in Markdown. Article text is escaped so it cannot become a link or HTML."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import TextIO

from consistency.models import Finding, Report, RunReport, StoryReport

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
    lines = [*run_head(run.generated), *(story_row(s) for s in run.stories), ""]
    for s in run.stories:
        lines += story_section(s)
    return "".join(line + "\n" for line in lines)


def run_head(generated: datetime) -> list[str]:
    """The title and the head of the summary table, one string a line."""
    return [f"# Consistency report, {generated:%Y-%m-%d %H:%M}", "",
            "| story | articles | findings | new | resolved |", "|---|---|---|---|---|"]


def story_row(s: StoryReport) -> str:
    """The story's line of the summary table."""
    new = sum(1 for f in s.findings if f.status == "new")
    return (f"| {md_escape(s.story or '')} | {len(s.documents)} | {len(s.findings)} "
            f"| {new} | {len(s.resolved)} |")


def story_section(s: StoryReport) -> list[str]:
    """The story's report, its headings one level down, and what it resolved."""
    body = report_markdown(s).replace("\n## ", "\n### ").replace("\n### ", "\n#### ")
    lines = [body.replace("# Consistency report", "## Story", 1)]
    if s.resolved:
        lines += ["#### Resolved since the previous run", ""]
        lines += [f"- `{r.fingerprint}` {md_escape(r.message)}" for r in s.resolved]
        lines.append("")
    return lines


class RunMarkdownWriter:
    """``report.md`` of a run written story by story, with the same bytes as ``run_markdown``.

    One streamed file rather than an index and a page per story: Markdown is read by tools (diff
    two nights, grep a story, attach it to a ticket) more than browsed, and those want one file
    whose layout does not change with the size of the run; the HTML pages are the view to browse.
    The summary table comes first but is only complete at the end, so table lines and story
    sections go to two spool files as stories arrive and ``finish`` concatenates them: memory
    holds one story, never the run.
    """

    def __init__(self, path: Path, spool: Path, generated: datetime) -> None:
        self.path = path
        self.generated = generated
        self._table_path, self._body_path = spool / "md.table", spool / "md.body"
        self._table = self._table_path.open("w", encoding="utf-8")
        self._body = self._body_path.open("w", encoding="utf-8")

    def add(self, story: StoryReport) -> None:
        self._table.write(story_row(story) + "\n")
        self._body.writelines(line + "\n" for line in story_section(story))

    def finish(self) -> None:
        self.close()
        with self.path.open("w", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in run_head(self.generated))
            _append(out, self._table_path)
            out.write("\n")
            _append(out, self._body_path)

    def close(self) -> None:
        self._table.close()
        self._body.close()


def _append(out: TextIO, path: Path) -> None:
    with path.open(encoding="utf-8") as part:
        shutil.copyfileobj(part, out)
