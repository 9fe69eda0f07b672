"""Check many stories in one run: the engine per story, the project configuration, history
(new / persisting / resolved), and a dated report folder written atomically.

``consistency report`` streams: each story is checked, compared with the history and written
into the report folder (``consistency.report.folder``) as it comes, then dropped, so memory does
not grow with the number of stories. With ``--jobs``, at most ``WINDOW_PER_JOB`` stories per
worker are in flight (read, being checked, or checked and waiting for their turn); results come
back in input order. ``check_inputs`` still gives a whole run in memory, for ``check`` and tests.
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from consistency import __version__
from consistency.align import forget_names
from consistency.config import Config
from consistency.engine import apply_rules, extract_documents, extract_story
from consistency.factcache import FactCache
from consistency.ingest.feed import StoryInput, discover
from consistency.models import DocumentInfo, Finding, RunReport, StoryReport
from consistency.report.folder import ReportFolder
from consistency.report.html import RunTotals
from consistency.rules.schema import Rule
from consistency.store import History

# Stories in flight per worker: enough to keep every worker busy while the parent annotates and
# writes, few enough that memory does not depend on the size of the run.
WINDOW_PER_JOB = 4

Progress = Callable[[Iterable[StoryInput]], Iterable[StoryInput]]


@dataclass
class RunOptions:
    rules: list[Rule]
    config: Config
    cache: FactCache | None = None  # facts of unchanged articles (consistency/factcache.py)


def check_input(story: StoryInput, options: RunOptions) -> StoryReport:
    """One story through the engine, with the configuration's suppressions applied."""
    if story.documents is not None:
        run = extract_documents(list(story.documents), cache=options.cache)
    else:
        run = extract_story(story.paths, cache=options.cache)
    apply_rules(run, options.rules)
    forget_names()  # names rarely recur across stories: keep memory flat on long runs
    report = run.report(story=story.name)
    findings = [f.model_copy(update={"story": story.name}) for f in report.findings]
    kept, suppressed = options.config.split(findings)
    return StoryReport(**report.model_dump(exclude={"findings", "suppressed"}),
                       findings=kept, suppressed=suppressed)


def check_stream(inputs: list[Path], options: RunOptions, progress: Progress | None = None,
                 jobs: int = 1) -> Iterator[StoryReport]:
    """Each story of the inputs as soon as it is checked, in input order; with ``jobs`` > 1
    stories are checked in that many worker processes (stories are independent)."""
    stories: Iterable[StoryInput] = discover(inputs)
    if progress is not None:
        stories = progress(stories)
    if jobs <= 1:
        for story in stories:
            yield check_input(story, options)
        return
    with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (options,)) as pool:
        yield from _in_order(pool, stories, jobs * WINDOW_PER_JOB)


def _in_order(pool: Pool, stories: Iterable[StoryInput], window: int) -> Iterator[StoryReport]:
    """Results in input order with at most ``window`` stories submitted and not yet taken.
    (``Pool.imap`` reads its input as fast as it can and queues results without limit.)"""
    pending: deque[AsyncResult[StoryReport]] = deque()
    for story in stories:
        pending.append(pool.apply_async(_check_in_worker, (story,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def check_inputs(inputs: list[Path], options: RunOptions, progress: Progress | None = None,
                 jobs: int = 1) -> RunReport:
    """Every story of the inputs, in memory (``report`` streams instead: ``report_run``)."""
    generated = datetime.now().replace(microsecond=0)
    return RunReport(version=__version__, generated=generated,
                     stories=list(check_stream(inputs, options, progress, jobs)))


_WORKER_OPTIONS: RunOptions | None = None


def _init_worker(options: RunOptions) -> None:
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options


def _check_in_worker(story: StoryInput) -> StoryReport:
    assert _WORKER_OPTIONS is not None
    return check_input(story, _WORKER_OPTIONS)


def with_history(run: RunReport, history: History) -> RunReport:
    now = run.generated
    stories = [history.annotate(s, now) for s in run.stories]
    return run.model_copy(update={"stories": stories})


@dataclass
class RunDone:
    folder: Path
    run_id: int
    totals: RunTotals


def report_run(inputs: list[Path], options: RunOptions, out: Path, history: History,
               progress: Progress | None = None, jobs: int = 1,
               on_story: Callable[[StoryReport], None] | None = None) -> RunDone:
    """``consistency report``: check, compare with the history and write each story as it
    comes; then rename the report folder into place and record the run in the history.

    History keeps its one transaction per run, at the end: what it needs of each story (the
    documents' statuses, the findings' fingerprints) is spooled to disk meanwhile and read back
    inside that transaction. Each story is compared with the latest run recorded when its turn
    comes (before streaming: when the whole run had been checked); with two runs at once this
    can differ only for stories the other run records in between.
    """
    generated = datetime.now().replace(microsecond=0)
    header = RunReport(version=__version__, generated=generated, stories=[])
    with ReportFolder(out, header) as folder:
        spool = _HistorySpool(folder.spool / "history.jsonl")
        with closing(check_stream(inputs, options, progress, jobs)) as stories:
            for checked in stories:
                previous = history.previous_run(checked.story or "")
                story = history.annotate(checked, generated)
                del checked  # one story in memory, not two
                if on_story is not None:
                    on_story(story)
                folder.add(story, previous)
                spool.add(story)
        path = folder.finish()
        run_id = history.record(generated, spool.stories())
        return RunDone(folder=path, run_id=run_id, totals=folder.html.totals)


class _HistorySpool:
    """What ``History.record`` reads of each story, one JSON line a story, read back lazily."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out = path.open("w", encoding="utf-8")

    def add(self, story: StoryReport) -> None:
        self._out.write(json.dumps([
            story.story,
            [[d.id, d.path, d.status, d.error] for d in story.documents],
            [[f.fingerprint, f.rule, f.severity, f.message] for f in story.findings],
        ]) + "\n")

    def stories(self) -> Iterator[StoryReport]:
        self._out.close()
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                name, documents, findings = json.loads(line)
                # read back from our own file: no validation, only the fields record() uses
                yield StoryReport.model_construct(
                    story=name,
                    documents=[DocumentInfo.model_construct(id=i, path=p, status=s, error=e)
                               for i, p, s, e in documents],
                    findings=[Finding.model_construct(fingerprint=fp, rule=r, severity=sev,
                                                      message=m)
                              for fp, r, sev, m in findings])
