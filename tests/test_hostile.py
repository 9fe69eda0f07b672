"""Hostile articles, feeds and rule files: each ends with a clear status for the bad input while
the others are checked, quickly, with no traceback; nothing a rule or config file says runs.

Big inputs are generated at run time into tmp_path (the 50 MB article once per module); the small
fixtures are in tests/data/hostile/ (see its README). The per-article time budget is set low
(``consistency.engine.ARTICLE_BUDGET``, the value of CONSISTENCY_ARTICLE_BUDGET) so that the
pathological cases cost seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import consistency.engine as engine
import consistency.ingest as ingest
from consistency.cli import app
from consistency.engine import check_story
from consistency.errors import InputError
from consistency.extract import Reference, extract_document
from consistency.ingest import load_story
from consistency.ingest.build import document_from_text
from consistency.ingest.feed import discover
from consistency.ingest.reader import MAX_ARTICLE_BYTES
from consistency.rules.loader import SHIPPED_RULES, load_rules
from consistency.rules.schema import compile_pattern

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "data" / "hostile"
SEED = (ROOT / "seeds" / "001_e64b0a060a4b4366.txt").read_text(encoding="utf-8")
GOOD = ("date 2023-03-14\nThe blast killed 12 women at the market on Tuesday, police said. "
        "The market will stay closed until Friday.\n")
OTHER = ("date 2023-03-14\nEleven women were killed in the blast at the market on Tuesday, "
         "police said.\n")
STATUSES = {"ok", "empty", "binary", "unreadable", "missing", "decode_error", "timeout", "failed",
            "too_large"}

runner = CliRunner()


@pytest.fixture(scope="module")
def rules():
    return load_rules([SHIPPED_RULES])


@pytest.fixture(autouse=True)
def low_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "ARTICLE_BUDGET", 2.0)


def story_with(folder: Path, name: str, content: bytes | None) -> Path:
    """Two good articles that disagree (so the story has a finding) plus one hostile file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b_other.txt").write_text(OTHER, encoding="utf-8")
    if content is not None:
        (folder / name).write_bytes(content)
    return folder


def checked(folder: Path, rules) -> tuple[dict, object, float]:
    started = time.monotonic()
    run = check_story([folder], rules)
    elapsed = time.monotonic() - started
    return {d.id: d for d in run.documents}, run, elapsed


def assert_others_checked(docs: dict, run) -> None:
    """Every input has a known status and a one-line reason; the good articles were read, gave
    facts, and their disagreement was found."""
    for d in docs.values():
        assert d.status in STATUSES and (d.status == "ok" or d.error), d
        assert d.error is None or "\n" not in d.error, d
    assert docs["a_good"].status == "ok" and docs["b_other"].status == "ok"
    assert any(f.rule == "toll.killed" for f in run.findings), [f.rule for f in run.findings]
    assert_evidence_honest(run)


def assert_evidence_honest(run) -> None:
    raws = {d.id: d.raw for d in run.documents}
    for f in run.facts:
        assert raws[f.doc][f.start:f.end] == f.text, f
    for m in run.mentions:
        assert raws[m.doc][m.start:m.end] == m.text, m
    for finding in run.findings:
        for c in finding.claims:
            assert raws[c.doc][c.start:c.end] == c.text, c


def facts_of(raw: str, ref: date = date(2023, 3, 14)) -> list:
    doc = document_from_text(raw)
    facts = extract_document(doc, Reference(ref)).facts
    for f in facts:
        assert doc.raw[f.start:f.end] == f.text, f
    return facts


def values(facts: list) -> list:
    return sorted((f.kind, f.value.model_dump_json()) for f in facts if f.kind != "publication")


# ---------------------------------------------------------------------------------------------
# Hostile articles: each gets a status, the others are checked
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "status", "words"), [
    ("c_empty.txt", b"", "empty", "0 bytes"),
    ("c_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary",
     "NUL"),
    ("c_invalid.txt", b"date 2023-03-14\nThe blast \xff\xfe killed 12 women.\n", "ok",
     "invalid UTF-8"),
    ("c_garbage.txt", bytes([0xC3, 0x28, 0xFF, 0x80]) * 200, "decode_error", "invalid UTF-8"),
], ids=["empty", "binary", "invalid-utf8", "mostly-invalid-utf8"])
def test_bad_article_gets_a_status_and_the_others_are_checked(tmp_path, rules, name, content,
                                                             status, words):
    docs, run, _ = checked(story_with(tmp_path / "s", name, content), rules)
    bad = docs[name.removesuffix(".txt")]
    assert bad.status == status and words in (bad.error or ""), bad
    assert_others_checked(docs, run)


def test_utf16_with_bom_is_read_with_honest_offsets(tmp_path, rules):
    text = OTHER.replace("Eleven", "Nine")
    for name, data in (("le.txt", text.encode("utf-16")),
                       ("be.txt", b"\xfe\xff" + text.encode("utf-16-be"))):
        folder = story_with(tmp_path / name, name, data)
        docs, run, _ = checked(folder, rules)
        doc = docs[name.removesuffix(".txt")]
        assert doc.status == "ok" and doc.raw == text
        assert any(f.doc == doc.id and f.text == "Nine women" for f in run.facts)
        assert_others_checked(docs, run)


@pytest.fixture(scope="module")
def article_50mb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    with (folder / "huge.txt").open("w", encoding="utf-8") as out:
        chunk = (SEED + "\n") * 64
        for _ in range(50_000_000 // len(chunk) + 1):
            out.write(chunk)
    return folder / "huge.txt"


def test_50mb_article_is_refused_as_too_large_without_reading_it(tmp_path, rules, article_50mb):
    """Measured before the cap: reading, repairing and laying out 50 MB took 43 s and 5.3 GB
    (docs/reliability.md); now it is refused from its size, in milliseconds."""
    folder = story_with(tmp_path / "s", "z_dummy.txt", None)
    os.symlink(article_50mb, folder / "c_huge.txt")
    assert article_50mb.stat().st_size > 50_000_000
    docs, run, elapsed = checked(folder, rules)
    assert docs["c_huge"].status == "too_large"
    assert "50" in docs["c_huge"].error and "CONSISTENCY_MAX_ARTICLE_BYTES" in docs["c_huge"].error
    assert elapsed < 10
    assert_others_checked(docs, run)


def test_5mb_single_line_is_too_large(tmp_path, rules):
    line = " ".join(SEED.split()) + " "
    data = (line * (5_000_000 // len(line) + 1)).encode()
    docs, run, elapsed = checked(story_with(tmp_path / "s", "c_line.txt", data), rules)
    assert docs["c_line"].status == "too_large"
    assert elapsed < 10
    assert_others_checked(docs, run)


def test_a_million_short_lines_is_too_large(tmp_path, rules):
    data = b"".join(b"%d dead\n" % i for i in range(1_000_000))
    docs, run, elapsed = checked(story_with(tmp_path / "s", "c_lines.txt", data), rules)
    assert docs["c_lines"].status == "too_large"
    assert elapsed < 10
    assert_others_checked(docs, run)


def test_long_line_under_the_cap_is_checked_within_budget(tmp_path, rules):
    """A 600 KB article on one line (sentences are cut at 1500 characters) is checked, or
    stopped by the budget, in seconds."""
    sentences = (f"Officials said {i} people were hurt near gate {i % 97} on Tuesday. "
                 for i in range(1_000_000))
    data = b""
    for sentence in sentences:  # distinct sentences: no line is a repeat of another
        data += sentence.encode()
        if len(data) > 600_000:
            break
    assert len(data) < MAX_ARTICLE_BYTES and b"\n" not in data
    docs, run, elapsed = checked(story_with(tmp_path / "s", "c_line.txt", data), rules)
    assert docs["c_line"].status in ("ok", "timeout")
    assert elapsed < 20
    assert_others_checked(docs, run)


def numbers_article(size: int) -> bytes:
    """Lines of bare numbers: the slowest text per byte for the number grammar."""
    out, i, total = [], 0, 0
    while total < size:
        out.append(b"%d dead\n" % i)
        total += len(out[-1])
        i += 1
    return b"".join(out)


def test_pathological_article_is_stopped_by_the_time_budget(tmp_path, rules, monkeypatch):
    monkeypatch.setattr(engine, "ARTICLE_BUDGET", 0.1)
    folder = story_with(tmp_path / "s", "c_numbers.txt", numbers_article(300_000))
    docs, run, elapsed = checked(folder, rules)
    bad = docs["c_numbers"]
    assert bad.status == "timeout" and "0.1 s" in bad.error
    assert not [f for f in run.facts if f.doc == "c_numbers"], "no facts kept from it"
    assert elapsed < 15
    assert_others_checked(docs, run)


def dates_article(size: int) -> bytes:
    """Distinct lines of dates and times (repeated lines would be dropped as boilerplate)."""
    lines = (b"On Monday, %d November %d, at 7.%02dpm, and on Tuesday the 13th at noon.\n"
             % (1 + i % 28, 1950 + i % 70, i % 60) for i in range(size // 60))
    return b"".join(lines)[:size]


@pytest.mark.parametrize("article", ["numbers", "dates"])
def test_time_budget_is_kept_within_a_fraction_of_a_second(article):
    """The grammars and the sentence splitter look at the clock as they go, so even a 1 MB
    article (the size cap) of the densest text stops close to its budget, not after a whole
    pass over the text. (A bound, not a speed measurement: the pass itself takes seconds.)"""
    data = numbers_article(1_000_000) if article == "numbers" else dates_article(1_000_000)
    doc = document_from_text(data.decode())
    # CPU time, not wall time: on a loaded machine the wall clock (which the budget follows)
    # runs ahead of the work done, while the overrun past the deadline is CPU work of ours
    started = time.process_time()
    with pytest.raises(engine.ExtractionTimeout):
        extract_document(doc, Reference(None), 0.1)
    assert time.process_time() - started < 0.1 + 0.5


def test_size_cap_can_be_raised(tmp_path, rules, monkeypatch):
    data = (" ".join(SEED.split()) + "\n").encode() * 180  # ~1.2 MB
    folder = story_with(tmp_path / "s", "c_big.txt", data)
    assert checked(folder, rules)[0]["c_big"].status == "too_large"
    monkeypatch.setenv("CONSISTENCY_MAX_ARTICLE_BYTES", str(10 * len(data)))
    assert checked(folder, rules)[0]["c_big"].status in ("ok", "timeout")


# ---------------------------------------------------------------------------------------------
# Invisible marks and Unicode normal forms: values as read, offsets exact
# ---------------------------------------------------------------------------------------------

MARKS = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u061c", "\ufeff",
         "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
CLEAN = ("date 2015-11-27\nThe fire broke out on 27 November 2015 and killed 120 people, "
         "officials said on Tuesday. Rescue work went on for 17 hours.\n")


@pytest.mark.parametrize("mark", MARKS, ids=[f"U+{ord(m):04X}" for m in MARKS])
def test_invisible_marks_inside_numbers_and_dates_change_nothing(mark):
    """"1<RLM>20 people" is the 120 a reader sees (it was read as 1 and 20), "27<RLM> November
    20<RLM>15" the 27th (it was read as 20 November); evidence quotes the marks."""
    hostile = (CLEAN.replace("120", f"1{mark}20").replace("2015 and", f"20{mark}15 and")
               .replace("27 Nov", f"2{mark}7 Nov").replace("Tuesday", f"Tues{mark}day")
               .replace("17", f"1{mark}7"))
    assert values(facts_of(hostile)) == values(facts_of(CLEAN))


def test_bidi_fixture_reads_like_its_plain_twin():
    raw = (HOSTILE / "bidi_marks.txt").read_text(encoding="utf-8")
    plain = (HOSTILE / "bidi_marks_plain.txt").read_text(encoding="utf-8")
    assert raw != plain and re.sub("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c]", "",
                                   raw) == plain
    assert values(facts_of(raw)) == values(facts_of(plain))


def test_nfd_and_nfc_accents_give_the_same_facts_with_exact_offsets():
    nfc = (HOSTILE / "accents_nfc.txt").read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc and len(nfd) > len(nfc)
    a, b = facts_of(nfc), facts_of(nfd)
    assert values(a) == values(b) and len(a) >= 4
    # the same places: each NFD quote is the NFC quote decomposed, at its decomposed offset
    for fa, fb in zip(sorted(a, key=lambda f: f.start), sorted(b, key=lambda f: f.start),
                      strict=True):
        assert unicodedata.normalize("NFD", fa.text) == fb.text
        assert len(unicodedata.normalize("NFD", nfc[:fa.start])) == fb.start


# ---------------------------------------------------------------------------------------------
# Files that are not what they seem, or change during the run
# ---------------------------------------------------------------------------------------------


def test_symlink_loops_fifos_and_devices_never_hang(tmp_path):
    """Checked in a child process with a timeout: a FIFO opened for reading would wait forever
    for a writer, and /dev/zero never ends."""
    folder = story_with(tmp_path / "s", "z_dummy.txt", None)
    os.symlink("c_self.txt", folder / "c_self.txt")
    os.symlink("c_pong.txt", folder / "c_ping.txt")
    os.symlink("c_ping.txt", folder / "c_pong.txt")
    os.symlink(".", folder / "c_dirloop.txt")  # a folder named like an article: itself
    os.symlink("/dev/zero", folder / "c_zero.txt")
    os.mkfifo(folder / "c_fifo.txt")
    os.symlink(folder, folder / "sub")  # a folder loop beside the articles
    proc = subprocess.run([sys.executable, "-m", "consistency", "check", str(folder), "--format",
                           "json", "--fail-on", "never"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "CONSISTENCY_ARTICLE_BUDGET": "2"})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    status = {d["id"]: (d["status"], d["error"]) for d in json.loads(proc.stdout)["documents"]}
    assert status["a_good"][0] == status["b_other"][0] == "ok"
    for name in ("c_self", "c_ping", "c_pong"):
        assert status[name] == ("unreadable", f"Too many levels of symbolic links: "
                                              f"'{folder / (name + '.txt')}'")
    assert status["c_dirloop"][0] == "unreadable" and "directory" in status["c_dirloop"][1]
    assert status["c_zero"][0] == "unreadable" and "a device" in status["c_zero"][1]
    assert status["c_fifo"][0] == "unreadable" and "FIFO" in status["c_fifo"][1]
    assert len(proc.stderr.strip().splitlines()) == 6  # one line per bad article


def test_folder_of_stories_with_a_symlink_loop(tmp_path):
    root = tmp_path / "stories"
    story_with(root / "one", "z.txt", None)
    os.symlink(root, root / "loop")  # contains no article itself: not a story
    os.symlink("self", root / "self")
    stories = list(discover([root]))
    assert [s.name for s in stories] == ["one"]


def _expand_then(action):
    original = ingest._expand

    def expand(item):
        files = original(item)
        for _, path in files:
            if path.name.startswith("c_"):
                action(path)
        return files

    return expand


@pytest.mark.parametrize(("action", "status", "words"), [
    (lambda p: p.unlink(), "missing", "No such file"),
    (lambda p: (p.unlink(), p.mkdir()), "unreadable", "Is a directory"),
    (lambda p: (p.unlink(), os.mkfifo(p)), "unreadable", "FIFO"),
    (lambda p: (p.unlink(), os.symlink(p.name, p)), "unreadable", "symbolic links"),
], ids=["deleted", "now-a-directory", "now-a-fifo", "now-a-symlink-loop"])
def test_article_that_changes_after_discovery(tmp_path, rules, monkeypatch, action, status,
                                              words):
    """Deleted or replaced after the folder was listed, before it was read (tests run as root,
    so chmod would not stop the read: the file is replaced instead)."""
    folder = story_with(tmp_path / "s", "c_vanish.txt", OTHER.encode())
    monkeypatch.setattr(ingest, "_expand", _expand_then(action))
    docs, run, _ = checked(folder, rules)
    assert docs["c_vanish"].status == status and words in docs["c_vanish"].error
    assert_others_checked(docs, run)


def test_nightly_story_folder_emptied_mid_run_loses_nothing_else(tmp_path, monkeypatch):
    """A story folder emptied after discovery is listed as missing; the run goes on."""
    root = tmp_path / "stories"
    story_with(root / "s1", "z.txt", None)
    story_with(root / "s2", "z.txt", None)
    story_with(root / "s3", "z.txt", None)
    import consistency.nightly as nightly

    original = nightly.discover

    def discover_then_empty(inputs):
        for story in original(inputs):
            if story.name == "s1":
                for p in (root / "s2").glob("*.txt"):
                    p.unlink()
                (root / "s3" / "b_other.txt").unlink()  # one article of s3 after its listing
            yield story

    monkeypatch.setattr(nightly, "discover", discover_then_empty)
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(next(out.glob("*/report.json")).read_text(encoding="utf-8"))
    status = {s["story"]: {d["id"]: d["status"] for d in s["documents"]}
              for s in report["stories"]}
    assert status["s1"] == {"a_good": "ok", "b_other": "ok"}
    assert status["s2"] == {"s2": "missing"}
    assert status["s3"] == {"a_good": "ok"} or status["s3"] == {"a_good": "ok",
                                                                  "b_other": "missing"}


def test_nightly_broken_sources_yaml_stops_only_its_story(tmp_path):
    root = tmp_path / "stories"
    story_with(root / "s1", "z.txt", None)
    broken = story_with(root / "s2", "z.txt", None)
    (broken / "sources.yaml").write_text("a_good.txt: [unclosed\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(next(out.glob("*/report.json")).read_text(encoding="utf-8"))
    s1, s2 = report["stories"]
    assert {d["status"] for d in s1["documents"]} == {"ok"} and s1["findings"]
    assert {d["status"] for d in s2["documents"]} == {"failed"}
    assert all(re.search(r"sources\.yaml:2: ", d["error"]) for d in s2["documents"])


def test_sources_yaml_that_vanishes_is_ignored(tmp_path, monkeypatch):
    from consistency.ingest import sources

    folder = story_with(tmp_path / "s", "z.txt", None)
    (folder / "sources.yaml").write_text("a_good.txt: {outlet: X}\n")
    real_is_file = Path.is_file

    def is_file_then_vanish(self):
        found = real_is_file(self)
        if found and self.name == "sources.yaml":
            self.unlink()
        return found

    monkeypatch.setattr(Path, "is_file", is_file_then_vanish)
    assert sources.load_sources(folder) == {}


# ---------------------------------------------------------------------------------------------
# Hostile feeds
# ---------------------------------------------------------------------------------------------


def hostile_feed(path: Path) -> dict[int, str]:
    """A feed with one bad line of each kind; returns line number -> expected status."""
    good = {"story": "s", "outlet": "Good", "published": "2023-03-14", "text": GOOD}
    other = {"story": "s", "outlet": "Other", "published": "2023-03-14", "text": OTHER}
    lines: list[tuple[bytes, str]] = [
        (json.dumps(good).encode(), "ok"),
        (json.dumps(other).encode(), "ok"),
        (b"[" * 100_000 + b"]" * 100_000, "failed"),  # nesting past the JSON recursion limit
        (b'{"story": "s", "text": "12 killed \\ud800 \\udfff", "outlet": "\\udc00"}', "ok"),
        (json.dumps({"story": ["a"], "outlet": {"x": 1}, "url": 5, "title": ["t"],
                     "published": 20230314, "text": "Three died on Tuesday."}).encode(), "ok"),
        (json.dumps({"story": "s", "text": "x" * (MAX_ARTICLE_BYTES + 1)}).encode(), "too_large"),
        (b'{"story": "s", "text": "' + b"y" * (6 * MAX_ARTICLE_BYTES + 70_000) + b'"}',
         "too_large"),
        (b'{"story": "s", "outlet": "Bytes", "text": "bad \xff\xfe bytes, 3 dead"}', "ok"),
        (b"\x89PNG\r\x1a\x00\x00", "failed"),
        (json.dumps({"story": "s", "text": " \n "}).encode(), "empty"),
        (b"null", "failed"),
        (b"", ""),  # blank line: skipped
    ]
    path.write_bytes(b"\n".join(line for line, _ in lines) + b"\n")
    return {n: status for n, (_, status) in enumerate(lines, 1) if status}


def test_hostile_feed_lines_each_get_a_status(tmp_path):
    feed = tmp_path / "feed.jsonl"
    expected = hostile_feed(feed)
    out = tmp_path / "out"
    started = time.monotonic()
    result = runner.invoke(app, ["report", str(feed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30
    report = json.loads(next(out.glob("*/report.json")).read_text(encoding="utf-8"))
    got = {int(d["path"].rsplit(":", 1)[1]): d["status"]
           for s in report["stories"] for d in s["documents"]}
    assert got == expected
    assert {s["story"] for s in report["stories"]} >= {"s", "['a']", "unknown"}
    good = next(s for s in report["stories"] if s["story"] == "s")
    assert any(f["rule"] == "toll.killed" for f in good["findings"])
    surrogate = next(d for s in report["stories"] for d in s["documents"]
                     if d["path"].endswith(":4"))
    assert surrogate["outlet"] == "\ufffd"
    for name in ("index.html", "report.md"):
        assert (next(out.glob("*/")) / name).stat().st_size > 0


# ---------------------------------------------------------------------------------------------
# Hostile rule, configuration, sources and baseline files
# ---------------------------------------------------------------------------------------------

RULE = """\
rules:
  - id: hostile.regex
    title: A rule with a catastrophic pattern
    kind: cross-source
    facts: casualty
    where: {{outcome: killed}}
    match: {{text: '{text}', sentence: '{sentence}'}}
    compare: interval
    severity: {{contradiction: high}}
    message: "Toll differs: {{claims}}"
    examples:
      flag:
        - ["date 2023-03-14\\nThe blast killed 12 women.", "date 2023-03-14\\nEleven women died."]
      pass:
        - ["date 2023-03-14\\nThe blast killed 12 women.", "date 2023-03-14\\n12 women died."]
"""


def lint(path: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(path.parent)
    started = time.monotonic()
    result = runner.invoke(app, ["rules", "lint", path.name, *args])
    return result, time.monotonic() - started


def assert_located(result, name: str, words: str = "") -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = " ".join(result.stderr.split())
    assert re.match(rf"error: {re.escape(name)}:\d+(:\d+)?: ", message), message
    assert words in message, message


def test_catastrophic_regex_stays_linear(tmp_path, monkeypatch):
    """RE2: '(a+)+$' against 'aaaa…b' is linear (Python's re would take ~2^n steps)."""
    for pattern in ("(a+)+$", "(a|aa)+$", "(x+x+)+y", "^(([a-z])+.)+[A-Z]([a-z])+$"):
        compiled = compile_pattern(pattern)
        started = time.monotonic()
        assert compiled.search("a" * 200_000 + "!") is None or pattern.startswith("^")
        assert time.monotonic() - started < 0.5, pattern
    # and in a rule, over a story whose sentences are long runs of 'a'
    rule = tmp_path / "rules" / "hostile.yaml"
    rule.parent.mkdir()
    rule.write_text(RULE.format(text="(\\d+)+ women$", sentence="(a+)+$"), encoding="utf-8")
    story = tmp_path / "story"
    story.mkdir()
    run_a = "a" * 300_000 + "b"
    (story / "a.txt").write_text(f"date 2023-03-14\nThe blast killed 12 women {run_a}\n")
    (story / "b.txt").write_text(f"date 2023-03-14\nEleven women were killed {run_a}\n")
    started = time.monotonic()
    result = runner.invoke(app, ["check", str(story), "--rules", str(rule.parent), "--format",
                                 "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 20
    assert {d["status"] for d in json.loads(result.stdout)["documents"]} == {"ok"}


def test_regex_rejected_by_re2_is_a_located_error(tmp_path, monkeypatch):
    for pattern in ("(a)\\1", "((a{100}){100}){100}", "(?=a)"):
        rule = tmp_path / "bad.yaml"
        rule.write_text(RULE.format(text=pattern, sentence="x"), encoding="utf-8")
        result, elapsed = lint(rule, monkeypatch)
        assert_located(result, "bad.yaml", "bad regular expression")
        assert elapsed < 5


def test_huge_rule_file_is_refused_quickly(tmp_path, monkeypatch):
    rule = tmp_path / "huge.yaml"
    with rule.open("w") as out:
        out.write(RULE.format(text="x", sentence="x"))
        out.write("# padding\n" * 200_000)
    result, elapsed = lint(rule, monkeypatch)
    assert_located(result, "huge.yaml", "larger than")
    assert elapsed < 5


def test_wide_rule_file_is_refused_quickly(tmp_path, monkeypatch):
    rule = tmp_path / "wide.yaml"
    rule.write_text("rules: [" + ",".join(["1"] * 100_010) + "]\n")
    result, elapsed = lint(rule, monkeypatch)
    assert_located(result, "wide.yaml", "more than")
    assert elapsed < 15


def test_moderately_deep_rule_file_is_refused(tmp_path, monkeypatch):
    rule = tmp_path / "deep.yaml"
    rule.write_text("rules: " + "[" * 300 + "]" * 300 + "\n")
    result, elapsed = lint(rule, monkeypatch)
    assert_located(result, "deep.yaml", "nesting deeper than")


def test_very_deep_rule_file_is_refused_with_a_located_error(tmp_path, monkeypatch):
    rule = tmp_path / "deep.yaml"
    rule.write_text("rules: " + "[" * 1000 + "]" * 1000 + "\n")
    result, elapsed = lint(rule, monkeypatch)
    assert_located(result, "deep.yaml")
    assert elapsed < 5


def test_very_deep_config_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "cfg.yaml").write_text("disable: " + "[" * 1000 + "]" * 1000 + "\n")
    story = story_with(tmp_path / "s", "z.txt", None)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(story), "--config", "cfg.yaml"])
    assert_located(result, "cfg.yaml")


def test_very_deep_baseline_is_refused(tmp_path, monkeypatch):
    (tmp_path / "base.json").write_text("[" * 100_000 + "]" * 100_000)
    story = story_with(tmp_path / "s", "z.txt", None)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(story), "--baseline", "base.json"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert " ".join(result.stderr.split()).startswith("error: base.json")


def test_python_tags_in_config_and_sources_never_run(tmp_path, monkeypatch):
    marker = tmp_path / "PWNED"
    payload = f'!!python/object/apply:os.system ["touch {marker}"]'
    story = story_with(tmp_path / "s", "z.txt", None)
    (tmp_path / "cfg.yaml").write_text(f"disable: {payload}\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(story), "--config", "cfg.yaml"])
    assert result.exit_code == 2 and "cfg.yaml:1" in result.stderr, result.output
    (story / "sources.yaml").write_text(f"a_good.txt: {payload}\n")
    result = runner.invoke(app, ["check", str(story), "--fail-on", "never"])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2)
    assert not marker.exists()


@pytest.mark.parametrize(("text", "line"), [
    ("a.txt: " + "[" * 5000 + "]" * 5000 + "\n", 1),
    ("a.txt:\n" + "".join("  " * i + "- \n" for i in range(1, 40)), 11),
], ids=["flow", "block"])
def test_deep_sources_yaml_is_a_located_error(tmp_path, text, line):
    folder = story_with(tmp_path / "s", "z.txt", None)
    (folder / "sources.yaml").write_text(text)
    with pytest.raises(InputError, match=rf"sources\.yaml:{line}: nested deeper than 10"):
        load_story([folder])


def test_huge_sources_yaml_is_refused(tmp_path):
    folder = story_with(tmp_path / "s", "z.txt", None)
    (folder / "sources.yaml").write_text("# pad\n" * 300_000)
    with pytest.raises(InputError, match=r"sources\.yaml:1: larger than"):
        load_story([folder])


# ---------------------------------------------------------------------------------------------
# Regressions found by scripts/fuzz_check.py (tests/data/hostile/fuzz-*)
# ---------------------------------------------------------------------------------------------

def _fuzz_oracle():
    """The invariants of scripts/fuzz_check.py, so a saved case is judged as the fuzzer did."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_check", ROOT / "scripts" / "fuzz_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check_files


def _fuzz_params() -> list:
    params = []
    for case in sorted(p for p in HOSTILE.glob("fuzz-*") if p.is_dir()):
        info = json.loads((case / "case.json").read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(strict=True, reason=info["xfail"])] if "xfail" in info else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _fuzz_params())
def test_fuzz_regression(case, rules):
    files = {p.name: p.read_bytes() for p in sorted(case.iterdir()) if p.name != "case.json"}
    _fuzz_oracle()(files, rules)


def test_between_with_reversed_bounds_is_an_interval_or_nothing():
    """Found by the fuzzer (tests/data/hostile/fuzz-between-reversed)."""
    from consistency.extract.numbers import find_numbers

    for text in ("between 10 and 5 people died", "Between 3 and 0.719 houses",
                 "between twelve and three people"):
        for m in find_numbers(text):
            assert m.value.low is None or m.value.high is None or m.value.low <= m.value.high, m

