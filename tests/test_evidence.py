"""EVIDENCE: every quoted span is the article's own text at its offsets, and findings are stable.

For each story (seeds, the invented stories in tests/data, every shared story) the shipped rules
run once per module; the tests read the article files themselves, decode them as UTF-8 with bad
bytes replaced (the README's contract) and compare ``raw[start:end]`` with the quoted ``text``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from consistency.engine import StoryRun, check_story


@dataclass
class StoryResult:
    folder: Path
    run: StoryRun
    raws: dict[str, str]  # doc id -> the file decoded as UTF-8, errors replaced (read here)
    again: StoryRun  # a second run on the same folder
    reversed_files: StoryRun  # the folder's files passed one by one, in reverse order


def _read_raw(path: str | Path) -> str:
    return Path(path).read_bytes().decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def story(story_dir: Path, shipped_rules) -> StoryResult:
    run = check_story([story_dir], shipped_rules)
    raws = {d.id: _read_raw(d.path) for d in run.documents}
    files = sorted(story_dir.glob("*.txt"))
    return StoryResult(
        folder=story_dir,
        run=run,
        raws=raws,
        again=check_story([story_dir], shipped_rules),
        reversed_files=check_story(list(reversed(files)), shipped_rules),
    )


def _assert_span(raws: dict[str, str], doc: str, start: int, end: int, text: str, what: str):
    assert doc in raws, f"{what}: unknown doc {doc!r}"
    raw = raws[doc]
    assert 0 <= start <= end <= len(raw), f"{what}: offsets [{start}:{end}] outside {doc}"
    assert raw[start:end] == text, (
        f"{what} in {doc} [{start}:{end}]: quoted {text!r} but the file has {raw[start:end]!r}")


def test_every_article_is_read_and_yields_facts(story: StoryResult):
    files = sorted(story.folder.glob("*.txt"))
    assert len(story.run.documents) == len(files)
    assert {Path(d.path).name for d in story.run.documents} == {f.name for f in files}
    assert all(d.status == "ok" for d in story.run.documents)
    # the evidence checks below are only meaningful if there is evidence to check
    assert story.run.facts, "no facts extracted"
    assert {f.doc for f in story.run.facts} <= set(story.raws)


def test_fact_evidence_is_the_raw_text(story: StoryResult):
    source_of_date = {d.id: d.published_source for d in story.run.documents}
    for fact in story.run.facts:
        if not fact.text:  # only a page date taken from sources.yaml has no text to quote
            assert fact.kind == "publication" and source_of_date[fact.doc] == "sources.yaml", (
                f"{fact.kind} fact with empty text in {fact.doc}")
        _assert_span(story.raws, fact.doc, fact.start, fact.end, fact.text, f"{fact.kind} fact")
        if fact.sentence is not None:
            s = fact.sentence
            assert s.doc == fact.doc
            _assert_span(story.raws, s.doc, s.start, s.end, s.text, f"sentence of {fact.text!r}")
            assert s.start <= fact.start and fact.end <= s.end, (
                f"{fact.text!r} [{fact.start}:{fact.end}] lies outside its sentence "
                f"[{s.start}:{s.end}]")


def test_mention_evidence_is_the_raw_text(story: StoryResult):
    for m in story.run.mentions:
        _assert_span(story.raws, m.doc, m.start, m.end, m.text, "mention")


def test_page_date_evidence_is_the_raw_text(story: StoryResult):
    for d in story.run.documents:
        if d.published_span is not None:
            s = d.published_span
            _assert_span(story.raws, s.doc, s.start, s.end, s.text, f"page date of {d.id}")


def test_finding_claims_are_the_raw_text(story: StoryResult):
    for finding in story.run.findings:
        assert len(finding.claims) >= 1, f"{finding.rule} finding without a claim"
        for claim in finding.claims:
            assert claim.text, f"{finding.rule}: empty claim text"
            _assert_span(story.raws, claim.doc, claim.start, claim.end, claim.text,
                         f"{finding.rule} claim")
            if claim.sentence is not None:
                s = claim.sentence
                _assert_span(story.raws, s.doc, s.start, s.end, s.text,
                             f"{finding.rule} claim sentence")


def test_fingerprints_are_unique_within_a_report(story: StoryResult):
    counts = Counter(f.fingerprint for f in story.run.findings)
    dupes = {fp: n for fp, n in counts.items() if n > 1}
    assert not dupes, f"duplicate fingerprints: {dupes}"
    assert all(f.fingerprint for f in story.run.findings)


def test_fingerprints_are_identical_across_runs(story: StoryResult):
    assert [f.fingerprint for f in story.run.findings] == [
        f.fingerprint for f in story.again.findings]


def test_fingerprints_do_not_depend_on_input_order(story: StoryResult):
    assert len(story.reversed_files.documents) == len(story.run.documents)
    forward = {f.fingerprint: f.rule for f in story.run.findings}
    backward = {f.fingerprint: f.rule for f in story.reversed_files.findings}
    assert set(forward) == set(backward), (
        f"only in folder order: {sorted(set(forward.items()) - set(backward.items()))}; "
        f"only in reverse order: {sorted(set(backward.items()) - set(forward.items()))}")


def test_reversed_input_quotes_the_same_evidence(story: StoryResult):
    """The reverse-order run is held to the same evidence contract."""
    for finding in story.reversed_files.findings:
        assert finding.claims
        for claim in finding.claims:
            _assert_span(story.raws, claim.doc, claim.start, claim.end, claim.text,
                         f"{finding.rule} claim (reverse order)")


def test_invalid_utf8_offsets_point_into_the_replaced_text(bad_inputs_dir: Path, shipped_rules):
    """Bad bytes become U+FFFD in ``raw``; evidence after them must still line up."""
    files = [bad_inputs_dir / "invalid_utf8.txt", bad_inputs_dir / "good.txt"]
    raw = _read_raw(files[0])
    assert "\ufffd" in raw  # the file really has bad bytes
    run = check_story(files, shipped_rules)
    raws = {d.id: _read_raw(d.path) for d in run.documents}
    bad_doc = next(d for d in run.documents if Path(d.path).name == "invalid_utf8.txt")
    assert bad_doc.status == "ok"
    assert bad_doc.raw == raw
    spans = [(f.doc, f.start, f.end, f.text) for f in run.facts]
    spans += [(m.doc, m.start, m.end, m.text) for m in run.mentions]
    assert any(doc == bad_doc.id for doc, *_ in spans), "nothing extracted from invalid_utf8.txt"
    for doc, start, end, text in spans:
        _assert_span(raws, doc, start, end, text, "span")
