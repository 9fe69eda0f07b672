"""The report folder of a run, written story by story and made visible at once.

Layout of ``OUT/<date>T<time>/``::

    index.html            totals, most severe stories, findings by rule, stories 1-1000
    pages/2.html ...      stories 1001-2000 ... (only when there are more)
    stories/000001.html   one self-contained page per story, numbered in run order
    report.md             the whole run in Markdown (summary table, then each story)
    report.json           the whole run (the JSON contract in README)

Everything is written into a hidden ``OUT/.tmp-*`` folder and renamed into place at the end, so a
run killed halfway never leaves a half-written report and earlier reports are untouched. The
writers' spool files (parts of files whose head is only known at the end) live in a sibling
``.tmp-*.spool`` folder, removed when the folder is done or abandoned.

Memory: ``add`` writes a story's share of every file and keeps only counts, so a run of any size
holds one story at a time (plus the index's few totals).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from consistency.models import RunReport, StoryReport
from consistency.report.html import RunHtmlWriter, StoryRow
from consistency.report.jsonout import RunJsonWriter
from consistency.report.markdown import RunMarkdownWriter


class ReportFolder:
    """``with ReportFolder(out, run) as folder: folder.add(story) ...; path = folder.finish()``,
    where ``run`` gives the run's own fields (``generated``, ``version`` ...; its ``stories`` are
    not used). Leaving the block without ``finish`` (an exception, Ctrl-C) removes the temporary
    folder."""

    def __init__(self, out: Path, run: RunReport) -> None:
        self.out = out
        self.run = run.model_copy(update={"stories": []})
        self.previous_run_id = run.previous_run_id
        generated, version = run.generated, run.version
        out.mkdir(parents=True, exist_ok=True)
        stamp = generated.strftime("%Y-%m-%dT%H%M%S")
        self.stamp = stamp
        self.tmp = out / f".tmp-{stamp}-{os.getpid()}"
        self.spool = out / f".tmp-{stamp}-{os.getpid()}.spool"
        self.path: Path | None = None
        try:
            for path in (self.tmp, self.spool):
                if path.exists():  # left by a killed run that had the same pid
                    shutil.rmtree(path)
                path.mkdir()
            self.html = RunHtmlWriter(self.tmp, self.spool, generated, version)
            self.markdown = RunMarkdownWriter(self.tmp / "report.md", self.spool, generated)
            self.json = RunJsonWriter(self.tmp / "report.json", self.spool)
        except BaseException:
            self._remove()
            raise

    def __enter__(self) -> ReportFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def add(self, story: StoryReport, previous_run_id: int | None = None) -> StoryRow:
        """Write the story into every file; ``previous_run_id``: the run its findings were
        compared with (history), if any."""
        if previous_run_id is not None:
            self.previous_run_id = max(self.previous_run_id or 0, previous_run_id)
        self.json.add(story)
        self.markdown.add(story)
        return self.html.add(story, previous_run_id)

    def finish(self) -> Path:
        """Complete every file and rename the folder into place; returns its path."""
        self.json.finish(self.run.model_copy(update={"previous_run_id": self.previous_run_id}))
        self.markdown.finish()
        self.html.finish(self.previous_run_id)
        target = self.out / self.stamp
        n = 2
        while target.exists():
            target = self.out / f"{self.stamp}-{n}"
            n += 1
        os.replace(self.tmp, target)
        self.path = target
        return target

    def close(self) -> None:
        """Drop the spool, and the temporary folder unless it was renamed into place."""
        for writer in (self.json, self.markdown, self.html):
            writer.close()
        self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.spool, ignore_errors=True)
        if self.path is None:
            shutil.rmtree(self.tmp, ignore_errors=True)


def write_run_folder(run: RunReport, out: Path) -> Path:
    """A run already in memory as a report folder (the same files ``consistency report``
    writes); ``run.previous_run_id`` is kept as the run's."""
    with ReportFolder(out, run) as folder:
        for story in run.stories:
            folder.add(story, run.previous_run_id)
        return folder.finish()
