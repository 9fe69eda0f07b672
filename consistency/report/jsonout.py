"""The JSON contract (see README): stable field names, fields only ever added."""

from __future__ import annotations

import shutil
from pathlib import Path

from consistency.models import FactsReport, Report, RunReport, StoryReport


def report_json(report: Report) -> str:
    return report.model_dump_json(indent=2, exclude_none=False)


def facts_json(facts: FactsReport) -> str:
    return facts.model_dump_json(indent=2, exclude_none=True)


def run_json(run: RunReport) -> str:
    """A whole run as ``report.json`` (what ``RunJsonWriter`` writes story by story)."""
    return run.model_dump_json(indent=2) + "\n"


_STORIES = '"stories": []'
_STORY_INDENT = "    "  # a story is an item of the run's "stories" list: two levels deep


class RunJsonWriter:
    """``report.json`` written story by story, byte for byte what ``run_json`` gives for the same
    run, so the contract cannot drift: the run's own fields are dumped by the model itself (with
    an empty story list, split where the list goes) and each story by its model, indented.

    The run's fields come first in the file but are only known at the end (``previous_run_id``),
    so stories go to a spool file as they arrive and ``finish`` writes the head, copies the spool
    and writes the tail. Memory holds one story; the spool is one more sequential write.
    """

    def __init__(self, path: Path, spool: Path) -> None:
        self.path = path
        self._spool_path = spool / "json.stories"
        self._spool = self._spool_path.open("w", encoding="utf-8")
        self._count = 0

    def add(self, story: StoryReport) -> None:
        # pydantic escapes every newline inside strings, so each "\n" here is between tokens
        text = story.model_dump_json(indent=2).replace("\n", "\n" + _STORY_INDENT)
        self._spool.write(("," if self._count else "") + "\n" + _STORY_INDENT + text)
        self._count += 1

    def finish(self, run: RunReport) -> None:
        """``run``: the run's own fields; its ``stories`` are ignored (they were added)."""
        self.close()
        empty = run.model_copy(update={"stories": []}).model_dump_json(indent=2)
        head, tail = empty.split(_STORIES, 1)
        with self.path.open("w", encoding="utf-8") as out:
            out.write(head + _STORIES[:-1])
            with self._spool_path.open(encoding="utf-8") as stories:
                shutil.copyfileobj(stories, out)
            out.write(("\n  ]" if self._count else "]") + tail + "\n")

    def close(self) -> None:
        self._spool.close()
