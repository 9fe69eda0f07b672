"""Command line. Exit codes: 0 no finding at or above --fail-on, 1 such findings exist,
2 usage, input or rule errors (a one-line message on stderr, never a traceback)."""

from __future__ import annotations

import difflib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from consistency import __version__
from consistency.baseline import Baseline, read_baseline
from consistency.config import Config, load_config
from consistency.engine import apply_rules, extract_story
from consistency.errors import ConsistencyError
from consistency.factcache import FactCache
from consistency.ingest.feed import StoryInput
from consistency.models import SEVERITY_ORDER, FactsReport, Report, RunReport
from consistency.nightly import RunOptions, check_input, check_inputs, report_run
from consistency.report import facts_json, print_facts, print_report, report_json, report_markdown
from consistency.rules.loader import SHIPPED_RULES, load_rules
from consistency.rules.schema import Rule, rule_file_schema
from consistency.store import History

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Cross-check news articles about one story.")
rules_app = typer.Typer(no_args_is_help=True, help="List, lint and describe rules.")
app.add_typer(rules_app, name="rules")
baseline_app = typer.Typer(no_args_is_help=True, help="Accepted findings for CI.")
app.add_typer(baseline_app, name="baseline")

def _stderr(line: str) -> None:
    """One plain line on stderr: no wrapping, no markup, whatever the terminal width."""
    sys.stderr.write(" ".join(line.split()) + "\n")


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Severity(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"
    never = "never"


Paths = Annotated[list[Path], typer.Argument(help="Story folders or article files.")]
RulesOpt = Annotated[list[Path] | None, typer.Option("--rules", help="Extra rule folder/file; "
                                                    "overrides shipped rules by id.")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Project configuration file "
                                                 "(default: .consistency.yaml or pyproject.toml "
                                                 "[tool.consistency] in the current folder).")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")]
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="SQLite file caching the facts of "
                                               "each article: a rerun extracts only new or "
                                               "changed articles.")]


def _fail(message: str) -> None:
    _stderr(f"error: {message}")
    raise typer.Exit(2)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)  # write then rename: a failed write never truncates the old file
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")


def _print_text(printer: Callable[[Console], None], output: Path | None, width: int) -> None:
    """Rich text to the terminal, or rendered in memory and written atomically to a file."""
    buffer = io.StringIO() if output else None
    printer(Console(file=buffer, width=width))
    if buffer is not None:
        _emit(buffer.getvalue(), output)


def _load(rules: list[Path] | None, config_path: Path | None) -> tuple[list[Rule], Config]:
    """Shipped rules, then the config's rule folders, then --rules; the config disables and
    re-grades. Later definitions of an id override earlier ones."""
    config = load_config(config_path)
    loaded = load_rules([SHIPPED_RULES, *config.rules, *(rules or [])])
    return config.apply(loaded), config


def _warn_inputs(documents: list) -> None:
    for d in documents:
        if d.error:
            _stderr(f"{'warning' if d.status == 'ok' else 'error'}: {d.path}: {d.error}")


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"


def _is_multi(paths: list[Path]) -> bool:
    """A feed or a folder of story folders means many stories; otherwise the paths are the
    articles of one story (a missing one is listed as missing, the others still checked)."""
    for path in paths:
        if path.suffix in (".jsonl", ".ndjson") and path.is_file():
            return True
        if path.is_dir() and not any(path.glob("*.txt")) and any(
                p.is_dir() for p in path.iterdir()):
            return True
    return False


def _run_check(paths: list[Path], options: RunOptions) -> RunReport:
    if _is_multi(paths):
        return check_inputs(paths, options)
    name = _story_name(paths)
    story = check_input(StoryInput(name=name or "story", paths=paths), options)
    if name is None:
        story = story.model_copy(update={"story": None})
    return RunReport(version=__version__, generated=datetime.now().replace(microsecond=0),
                     stories=[story])


def _documents_of(paths: list[Path]) -> list:
    """The decoded texts again, for SARIF line/column regions (cheap: reading, no extraction)."""
    from consistency.ingest import load_story

    try:
        return [] if _is_multi(paths) else load_story(paths)
    except ConsistencyError:
        return []


def _single_report(run: RunReport) -> Report:
    """The JSON contract of ``check``: one report with every document and finding."""
    if len(run.stories) == 1:
        story = run.stories[0]
        return Report(version=run.version, story=story.story, documents=story.documents,
                      findings=story.findings, suppressed=story.suppressed)
    return Report(version=run.version, documents=[d for s in run.stories for d in s.documents],
                  findings=[f for s in run.stories for f in s.findings],
                  suppressed=[x for s in run.stories for x in s.suppressed])


@app.command()
def check(
    paths: Paths,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.text,
    output: OutputOpt = None,
    rules: RulesOpt = None,
    config_path: ConfigOpt = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Accepted findings "
                                                  "(from 'baseline create'): only others fail.")] = None,
    fail_on: Annotated[Severity, typer.Option("--fail-on")] = Severity.medium,
    cache_path: CacheOpt = None,
) -> None:
    """Print the discrepancies between the articles, most severe first."""
    try:
        rule_list, config = _load(rules, config_path)
        accepted = read_baseline(baseline) if baseline is not None else None
        cache = FactCache(cache_path) if cache_path is not None else None
        run = _run_check(paths, RunOptions(rules=rule_list, config=config, cache=cache))
        _close_cache(cache)
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    documents = [d for s in run.stories for d in s.documents]
    _warn_inputs(documents)
    used = {x.fingerprint for s in run.stories for x in s.suppressed}
    for entry in config.suppress:
        if entry.fingerprint not in used:
            _stderr(f"warning: {config.source}: suppression {entry.fingerprint} matched no finding")
    if accepted is not None:
        stories, hidden = [], 0
        for story in run.stories:
            kept, known = accepted.split(story.findings)
            hidden += len(known)
            stories.append(story.model_copy(update={"findings": kept}))
        run = run.model_copy(update={"stories": stories, "baseline_suppressed": hidden})
        _stderr(f"baseline: {hidden} known finding(s) suppressed by {baseline}")
    report = _single_report(run)
    if fmt is CheckFormat.json:
        _emit(report_json(report) + "\n", output)
    elif fmt is CheckFormat.markdown:
        _emit(report_markdown(report), output)
    elif fmt is CheckFormat.sarif:
        from consistency.report.sarif import report_sarif

        texts = {d.path: d.raw for d in _documents_of(paths) if d.status == "ok"}
        _emit(report_sarif(run, texts) + "\n", output)
    elif fmt is CheckFormat.junit:
        from consistency.report.junit import report_junit

        _emit(report_junit(run) + "\n", output)
    else:
        _print_text(lambda console: print_report(report, console), output, width=120)
    if not any(d.status == "ok" for d in documents):
        _stderr("error: no readable article among the inputs")
        raise typer.Exit(2)
    if fail_on is not Severity.never and any(
        SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[fail_on.value] for f in report.findings
    ):
        raise typer.Exit(1)


@app.command()
def report(
    inputs: Annotated[list[Path], typer.Argument(help="Story folders, folders of story folders, "
                                                      "or JSON Lines feeds.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the dated report folders.")] = Path("reports"),
    history_path: Annotated[Path | None, typer.Option("--history", help="SQLite history "
                                                      "(default: OUT/history.sqlite).")] = None,
    rules: RulesOpt = None,
    config_path: ConfigOpt = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes "
                                      "(default: all cores).")] = os.cpu_count() or 1,
    cache_path: Annotated[Path | None, typer.Option("--cache", help="SQLite file caching each "
                                                    "article's facts (default: the history "
                                                    "file).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Extract every article again, "
                                           "without reading or writing the fact cache.")] = False,
) -> None:
    """Check every story and write OUT/<date-time>/ with index.html (one page per story under
    stories/), report.md, report.json; mark findings new, persisting or resolved against the
    previous run. Stories are written as they are checked: memory does not grow with the run."""
    try:
        rule_list, config = _load(rules, config_path)
        options = RunOptions(rules=rule_list, config=config)
        history = History(history_path or out / "history.sqlite")
        options.cache = None if no_cache else FactCache(cache_path or history.path)
        done = report_run(inputs, options, out, history, progress=_progress, jobs=jobs,
                          on_story=lambda story: _warn_inputs(story.documents))
        history.close()
        _close_cache(options.cache)
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"{exc.filename or out}: cannot write the report: {exc.strerror or exc}")
        return
    t = done.totals
    typer.echo(f"{done.folder}: {t.stories} stories, {t.findings} findings "
               f"({t.new} new, {t.findings - t.new} persisting, {t.resolved} resolved); "
               f"run {done.run_id}")


def _close_cache(cache: FactCache | None) -> None:
    """Drop rows unused for a month (the cache stays bounded) and close."""
    if cache is not None:
        cache.prune()
        cache.close()


def _progress(stories: Iterable[StoryInput]) -> Iterable[StoryInput]:
    """A progress bar on a terminal; nothing when stderr is a pipe or a file."""
    if not sys.stderr.isatty():
        yield from stories
        return
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking stories", total=None)
        for story in stories:
            bar.update(task, description=f"checking {story.name}")
            yield story
            bar.advance(task)


@baseline_app.command("create")
def baseline_create(
    inputs: Annotated[list[Path], typer.Argument(help="Story folders, folders of story "
                                                      "folders, or JSON Lines feeds.")],
    output: Annotated[Path, typer.Option("--output", "-o")],
    rules: RulesOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Record the current findings as accepted, for 'check --baseline'."""
    try:
        rule_list, config = _load(rules, config_path)
        run = _run_check(inputs, RunOptions(rules=rule_list, config=config))
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    findings = run.findings()
    _emit(Baseline.of(findings).model_dump_json(indent=2) + "\n", output)
    typer.echo(f"{output}: {len(findings)} finding(s) recorded as accepted")


@app.command()
def facts(
    paths: Paths,
    fmt: FormatOpt = Format.text,
    output: OutputOpt = None,
    all_mentions: Annotated[bool, typer.Option("--all", help="Also list every number and time "
                                                             "expression the grammar found.")] = False,
) -> None:
    """Print the typed facts pulled from each article, with their evidence."""
    try:
        run = extract_story(paths, mentions=all_mentions)
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    _warn_inputs(run.documents)
    result = FactsReport(documents=run.document_infos(), facts=run.facts,
                         mentions=run.mentions if all_mentions else None)
    if fmt is Format.json:
        _emit(facts_json(result) + "\n", output)
    else:
        _print_text(lambda console: print_facts(result, console), output, width=160)
    if not any(d.status == "ok" for d in run.documents):
        raise typer.Exit(2)


@app.command()
def explain(
    paths: Paths,
    rule_id: Annotated[str | None, typer.Option("--rule", help="The rule to explain.")] = None,
    fingerprint: Annotated[str | None, typer.Option("--fingerprint",
                                                    help="Explain one finding.")] = None,
    fmt: FormatOpt = Format.text,
    rules: RulesOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Show the facts a rule read, how they were paired (with scores) and why it fired."""
    from consistency.explain import explain as explain_rule
    from consistency.explain import render_text

    if (rule_id is None) == (fingerprint is None):
        _fail("give exactly one of --rule ID or --fingerprint FP")
    try:
        rule_list, _ = _load(rules, config_path)
        run = apply_rules(extract_story(paths), rule_list)
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    finding = next((f for f in run.findings if f.fingerprint == fingerprint), None)
    if fingerprint is not None and finding is None:
        _fail(f"no finding with fingerprint {fingerprint!r} on these inputs")
    wanted = finding.rule if finding is not None else rule_id
    rule = next((r for r in rule_list if r.id == wanted), None)
    if rule is None:
        hint = difflib.get_close_matches(str(wanted), [r.id for r in rule_list], n=1)
        _fail(f"unknown rule {wanted!r}" + (f" - did you mean {hint[0]!r}?" if hint else ""))
        return
    result = explain_rule(run, rule, only=finding)
    if fmt is Format.json:
        _emit(result.model_dump_json(indent=2) + "\n", None)
    else:
        _emit(render_text(result), None)


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, config_path: ConfigOpt = None) -> None:
    """List the rules in force (after the project configuration)."""
    try:
        for rule in _load(rules, config_path)[0]:
            sev = ",".join(f"{k}={v}" for k, v in rule.severity.items())
            typer.echo(f"{rule.id:32} {rule.kind:13} {rule.facts:12} {sev}  {rule.title}")
    except ConsistencyError as exc:
        _fail(str(exc))


@rules_app.command("lint")
def rules_lint(paths: Annotated[list[Path] | None, typer.Argument()] = None) -> None:
    """Validate rule files; exit 2 on the first error."""
    try:
        loaded = load_rules(paths or [SHIPPED_RULES])
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    typer.echo(f"{len(loaded)} rules OK")


@rules_app.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of rule files."""
    typer.echo(json.dumps(rule_file_schema(), indent=2))


@rules_app.command("test")
def rules_test(paths: Annotated[list[Path] | None, typer.Argument()] = None) -> None:
    """Run every rule's examples; exit 1 when one fails, 2 when a rule does not load."""
    from consistency.rules.testing import run_rule_examples

    try:
        loaded = load_rules(paths or [SHIPPED_RULES])
    except ConsistencyError as exc:
        _fail(str(exc))
        return
    failures = total = 0
    for rule in loaded:
        for result in run_rule_examples(rule):
            total += 1
            if not result.ok:
                failures += 1
                want = "fire" if result.expected else "stay quiet"
                typer.echo(f"FAIL {rule.id} {result.name}: expected the rule to {want}, "
                           f"got {len(result.findings)} finding(s)")
    typer.echo(f"{total - failures} passed, {failures} failed")
    if failures:
        raise typer.Exit(1)


def _story_name(paths: list[Path]) -> str | None:
    return paths[0].resolve().name if len(paths) == 1 and paths[0].is_dir() else None


def main() -> None:
    try:
        app()
    except ConsistencyError as exc:  # pragma: no cover - commands catch their own
        _stderr(f"error: {exc}")
        sys.exit(2)
