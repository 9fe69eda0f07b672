"""Check many stories in one run: the engine per story, the project configuration, history
(new / persisting / resolved), and a dated report folder written atomically."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from consistency import __version__
from consistency.align import forget_names
from consistency.config import Config
from consistency.engine import apply_rules, extract_documents, extract_story
from consistency.factcache import FactCache
from consistency.ingest.feed import StoryInput, discover
from consistency.models import RunReport, StoryReport
from consistency.rules.schema import Rule
from consistency.store import History


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


def check_inputs(inputs: list[Path], options: RunOptions,
                 progress: Callable[[Iterable[StoryInput]], Iterable[StoryInput]] | None = None,
                 jobs: int = 1) -> RunReport:
    """Every story of the inputs; with ``jobs`` > 1 stories are checked in that many worker
    processes (stories are independent), results kept in input order."""
    stories: Iterable[StoryInput] = discover(inputs)
    if progress is not None:
        stories = progress(stories)
    if jobs <= 1:
        reports = [check_input(s, options) for s in stories]
    else:
        with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (options,)) as pool:
            reports = list(pool.imap(_check_in_worker, stories, chunksize=4))
    return RunReport(version=__version__, generated=datetime.now().replace(microsecond=0),
                     stories=reports)


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


def write_report_folder(run: RunReport, out: Path, writers: dict[str, Callable[[RunReport], str]],
                        ) -> Path:
    """Write every file into a temporary folder beside the target, then rename it into place:
    a run killed halfway never leaves a half-written report, and earlier reports are untouched."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = run.generated.strftime("%Y-%m-%dT%H%M%S")
    tmp = out / f".tmp-{stamp}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    for name, writer in writers.items():
        (tmp / name).write_text(writer(run), encoding="utf-8")
    target = out / stamp
    n = 2
    while target.exists():
        target = out / f"{stamp}-{n}"
        n += 1
    os.replace(tmp, target)
    return target
