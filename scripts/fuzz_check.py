"""Fuzz the whole check of a story for a bounded time; turn what breaks into regression fixtures.

    python scripts/fuzz_check.py --seconds 300                      # hypothesis (shrinks failures)
    python scripts/fuzz_check.py --seconds 300 --engine atheris     # coverage-guided, if installed
    python scripts/fuzz_check.py --seconds 60 --engine random --seed 3

Each example is a story of 2-4 article files written as bytes into a temporary folder: real news
sentences from seeds/ and the test stories, mixed with templated facts (numbers, number words,
qualifiers, dates in several styles, weekdays, times, durations, quotes), random Unicode, mojibake,
control characters, invisible direction marks inside numbers, invalid UTF-8, NUL bytes, UTF-16 and
BOMs, repeated lines and very long words; sometimes a sources.yaml with hostile metadata. The story
goes through ``check_story`` with the shipped rules (per-article budget 2 s) and then through
every writer. Invariants:

- no exception anywhere (ingest, extraction, rules, JSON/Markdown/HTML/SARIF/JUnit writers);
- every article file is listed exactly once, with a known status and a one-line error;
- every fact, mention and claim quotes ``raw[start:end]`` exactly, inside the text; number
  intervals have low <= high, time intervals start < end;
- a second check of the same folder gives the same findings (fingerprints);
- the HTML page carries no script but its own; a story is checked in under 30 s.

A failing story is saved under ``--out`` (default tests/data/hostile/) as ``fuzz-<hash>/`` with the
article files and ``case.json`` (what failed), which tests/test_hostile.py::test_fuzz_regression
picks up. With hypothesis the saved story is the shrunk (minimal) one. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STATUSES = {"ok", "empty", "binary", "unreadable", "missing", "decode_error", "timeout", "failed",
            "too_large"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MARKS = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u061c", "\ufeff",
         "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u00ad", "\xa0", "\u2028", "\u2029", "\x85"]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\r", "\t"]
QUALIFIERS = ["", "at least ", "about ", "nearly ", "more than ", "up to ", "some ", "over ",
              "fewer than ", "around ", "roughly ", "between 3 and "]
NUMBER_WORDS = ["one", "two", "three", "twelve", "twenty-four", "a hundred", "two dozen",
                "dozens of", "hundreds of", "1,200", "3.5", "0", "224", "13", "one million",
                "half a dozen", "a few", "several", "1½", "١٢", "１２", "Ⅻ"]
NOUNS = ["people", "women", "children", "passengers", "raids", "soldiers", "houses", "crew",
         "km", "metres", "feet", "hours", "days", "weeks", "minutes", "per cent", "years old"]
VERBS = ["were killed", "died", "were injured", "are missing", "were rescued", "were arrested",
         "were on board", "were hurt", "fell", "burned for"]
SPEAKERS = ["Captain Tomas Berg", "Dr Ana Costa", "police spokesman Omar Said",
            "Mayor Priya Nair", "the fire chief, Kwame Mensah", "Ms Hannah Keller"]
MOJIBAKE = ["Ã©", "â€™", "â€œ", "â€", "Ã¨", "Â ", "Ã¼", "â€“", "Ã", "ï»¿", "&amp;", "&#39;",
            "&nbsp;", "\ufffd"]
FURNITURE = ["Read more: the story so far", "Photo: AFP", "- PTI", "More in Local News",
             "Advertisement", "Sign up to our newsletter", "(AP)", "By Ann Lee", "Related Posts",
             "Copyright © 2019 All rights reserved", "<div class=\"x\">", "pic.twitter.com/x"]


def _corpus_sentences() -> list[str]:
    out: list[str] = []
    files = [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "data").glob("story_*/*.txt")]
    for path in sorted(files):
        text = path.read_bytes().decode("utf-8", errors="replace")
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 3]
    return out or ["At least 12 people were killed on Tuesday."]


SENTENCES = _corpus_sentences()


# ---------------------------------------------------------------------------------------------
# Choosers: the same story builder over hypothesis, atheris or random
# ---------------------------------------------------------------------------------------------


class RandomChooser:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pick(self, seq):
        return seq[self.int(0, len(seq) - 1)]

    def text(self, size: int) -> str:
        return "".join(chr(self._codepoint()) for _ in range(self.int(0, size)))

    def _codepoint(self) -> int:
        block = self.int(0, 9)
        if block < 5:
            return self.int(0x20, 0x7E)
        if block < 8:
            return self.int(0x80, 0x2FFF)
        cp = self.int(0x3000, 0x10FFFF)
        return cp if not 0xD800 <= cp <= 0xDFFF else 0xFFFD

    def bytes(self, size: int) -> bytes:
        return bytes(self.int(0, 255) for _ in range(self.int(0, size)))


class HypothesisChooser(RandomChooser):
    def __init__(self, data) -> None:
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def int(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))

    def text(self, size: int) -> str:
        return self.data.draw(self.st.text(max_size=size))

    def bytes(self, size: int) -> bytes:
        return self.data.draw(self.st.binary(max_size=size))


class AtherisChooser(RandomChooser):
    def __init__(self, fdp) -> None:
        self.fdp = fdp

    def int(self, lo: int, hi: int) -> int:
        return self.fdp.ConsumeIntInRange(lo, hi)

    def text(self, size: int) -> str:
        return self.fdp.ConsumeUnicodeNoSurrogates(self.int(0, size))

    def bytes(self, size: int) -> bytes:
        return self.fdp.ConsumeBytes(self.int(0, size))


# ---------------------------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------------------------


def _number(c: RandomChooser) -> str:
    kind = c.int(0, 3)
    if kind == 0:
        return str(c.int(0, 10**c.int(1, 9)))
    if kind == 1:
        return f"{c.int(0, 10**7):,}"
    if kind == 2:
        return f"{c.int(0, 9999) / 10**c.int(1, 3)}"
    return c.pick(NUMBER_WORDS)


def _date_text(c: RandomChooser, day: date) -> str:
    return c.pick([f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                   f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
                   f"{MONTHS[day.month - 1][:3]}. {day.day}", f"{day:%d/%m/%Y}",
                   day.isoformat(), f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}",
                   c.pick(WEEKDAYS), f"last {c.pick(WEEKDAYS)}", f"{c.pick(WEEKDAYS)} night",
                   "yesterday", "the weekend", f"{c.int(0, 23)}:{c.int(0, 59):02d} GMT",
                   f"{c.int(1, 12)}.{c.int(0, 59):02d} pm", "midnight", f"{c.int(1, 9)} days ago",
                   f"until {c.pick(WEEKDAYS)}", f"in {day.year - c.int(0, 30)}"])


def _sentence(c: RandomChooser, day: date) -> str:
    kind = c.int(0, 9)
    if kind <= 2:
        return c.pick(SENTENCES)
    if kind <= 5:
        return (f"{c.pick(QUALIFIERS)}{_number(c)} {c.pick(NOUNS)} {c.pick(VERBS)} "
                f"on {_date_text(c, day)}, {c.pick(SPEAKERS)} said.").capitalize()
    if kind == 6:
        return (f"\u201c{c.pick(SENTENCES)[:80]}\u201d said {c.pick(SPEAKERS)}, "
                f"{_date_text(c, day)}.")
    if kind == 7:
        return c.pick(FURNITURE)
    if kind == 8:
        return c.text(40)
    return f"The {c.pick(['fire', 'crash', 'blast'])} lasted {_number(c)} {c.pick(NOUNS)}."


def _hostile(c: RandomChooser, text: str) -> str:
    """Insert marks, controls or mojibake at a few places (often inside numbers)."""
    for _ in range(c.int(0, 4)):
        digits = [m.start() for m in re.finditer(r"\d", text)]
        pos = c.pick(digits) if digits and c.int(0, 1) else c.int(0, len(text))
        insert = c.pick([c.pick(MARKS), c.pick(CONTROLS), c.pick(MOJIBAKE), c.text(3)])
        text = text[:pos] + insert + text[pos:]
    return text


def _header(c: RandomChooser, day: date) -> str:
    return c.pick(["", f"date {day.isoformat()}\n", f"{day:%A %d %B %Y}\n\n",
                   f"{day:%d/%m/%Y} 10:12 by staff\n", f" \u2022 {day:%d/%m/%Y}\n",
                   f"Home > News > World\n{c.pick(SENTENCES)[:60]}\n{day:%b %d, %Y}\n\n"])


def _encode(c: RandomChooser, text: str) -> bytes:
    kind = c.int(0, 11)
    if kind == 0:
        return text.encode("utf-16")
    if kind == 1:
        return b"\xfe\xff" + text.encode("utf-16-be", errors="replace")
    if kind == 2:
        return b"\xef\xbb\xbf" + text.encode("utf-8", errors="replace")
    if kind == 3:
        return text.encode("latin-1", errors="replace")  # invalid UTF-8 where not ASCII
    if kind == 4:
        data = text.encode("utf-8", errors="replace")
        pos = c.int(0, len(data))
        return data[:pos] + c.bytes(8) + data[pos:]
    if kind == 5:
        return text.encode("utf-8", errors="replace").decode("cp1252", errors="replace").encode()
    return text.encode("utf-8", errors="replace")


def build_story(c: RandomChooser) -> dict[str, bytes]:
    """File name -> bytes; 2-4 articles, sometimes a sources.yaml."""
    base = date(2000, 1, 1) + timedelta(days=c.int(0, 11_000))
    files: dict[str, bytes] = {}
    for n in range(c.int(2, 4)):
        day = base + timedelta(days=c.int(-3, 3) if c.int(0, 3) else c.int(-3000, 3000))
        body = []
        for _ in range(c.int(0, 8)):
            sentence = _sentence(c, day)
            body.append(_hostile(c, sentence) if c.int(0, 2) == 0 else sentence)
            body.append(c.pick([" ", " ", "\n", "\n\n", "\r\n", "\n" * 5]))
        if c.int(0, 6) == 0 and body:
            body += body[: c.int(1, len(body))]  # repeated lines
        if c.int(0, 9) == 0:
            body.append("x" * c.int(100, 5000))  # one very long word
        files[f"a{n}.txt"] = _encode(c, _header(c, day) + "".join(body))
    if c.int(0, 4) == 0:
        meta = {name: {"outlet": c.text(12) or "X", "title": c.text(20) or "T",
                       "url": c.pick(["https://x.example/a?b=1&c=2", "javascript:alert(1)", ""]),
                       "published": (base + timedelta(days=c.int(-5, 5))).isoformat()}
                for name in files if c.int(0, 1)}
        files["sources.yaml"] = json.dumps(meta, ensure_ascii=c.int(0, 1) == 0).encode()
    return files


# ---------------------------------------------------------------------------------------------
# The check and its invariants
# ---------------------------------------------------------------------------------------------


class Broken(AssertionError):
    """An invariant did not hold."""


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise Broken(what)


def check_files(files: dict[str, bytes], rules) -> None:
    from consistency.engine import check_story
    from consistency.errors import InputError
    from consistency.models import NumberValue, RunReport, StoryReport, TimeValue
    from consistency.report import report_html, report_junit, report_markdown, report_sarif

    with tempfile.TemporaryDirectory(prefix="consistency-fuzz-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        started = time.monotonic()
        try:
            run = check_story([folder], rules)
        except InputError as exc:  # a broken sources.yaml is a located input error, not a crash
            _require("sources.yaml" in str(exc) and "\n" not in str(exc), f"InputError: {exc}")
            return
        _require(time.monotonic() - started < 30, "a story took over 30 s")
        articles = sorted(n.removesuffix(".txt") for n in files if n.endswith(".txt"))
        _require(sorted(Path(d.path).stem for d in run.documents) == articles,
                 f"inputs listed {[d.path for d in run.documents]} != {articles}")
        raws = {d.id: d.raw for d in run.documents}
        for d in run.documents:
            _require(d.status in STATUSES, f"status {d.status!r}")
            _require(d.error is None or "\n" not in d.error, f"multi-line error {d.error!r}")
        items = [*run.facts, *run.mentions, *(c for f in run.findings for c in f.claims)]
        for item in items:
            raw = raws[item.doc]
            _require(0 <= item.start <= item.end <= len(raw), f"span outside the text: {item}")
            _require(raw[item.start:item.end] == item.text, f"evidence not raw text: {item}")
            value = getattr(item, "value", None)
            if isinstance(value, NumberValue) and None not in (value.low, value.high):
                _require(value.low <= value.high, f"low > high: {item}")
            if isinstance(value, TimeValue) and value.start is not None:
                _require(value.end is not None and value.start < value.end, f"empty time {item}")
        again = check_story([folder], rules)
        _require([f.fingerprint for f in again.findings] == [f.fingerprint for f in run.findings],
                 "a second check gave other findings")
        report = run.report(story=folder.name)
        story = StoryReport(**report.model_dump())
        whole = RunReport(version="0", generated=datetime(2024, 1, 1), stories=[story])
        whole.model_dump_json()
        report_markdown(report)
        html = report_html(whole)
        _require(html.lower().count("<script") == 1, "a second <script> in the HTML page")
        report_sarif(whole, {d.path: d.raw for d in run.documents if d.status == "ok"})
        report_junit(whole)


def save_failure(files: dict[str, bytes], error: BaseException, out: Path) -> Path:
    digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items())))
    folder = out / f"fuzz-{digest.hexdigest()[:10]}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    tb = traceback.extract_tb(error.__traceback__)
    (folder / "case.json").write_text(json.dumps({
        "error": f"{type(error).__name__}: {error}"[:2000],
        "where": [f"{f.filename.removeprefix(str(ROOT) + '/')}:{f.lineno} {f.name}"
                  for f in tb[-4:]],
    }, indent=2) + "\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.examples = 0
        self.failures: dict[str, Path] = {}

    def signature(self, error: BaseException) -> str:
        tb = traceback.extract_tb(error.__traceback__)
        where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
        head = str(error).split(":")[0][:60] if isinstance(error, Broken) else ""
        return f"{type(error).__name__} {head} at {where}"


def run_one(files: dict[str, bytes], rules, stats: Stats, out: Path) -> BaseException | None:
    stats.examples += 1
    try:
        check_files(files, rules)
    except Exception as exc:  # every failure is a finding of the fuzzer
        sig = stats.signature(exc)
        if sig not in stats.failures:
            stats.failures[sig] = save_failure(files, exc, out)
            print(f"FAILURE {sig} -> {stats.failures[sig]}", flush=True)
        return exc
    return None


def fuzz_random(seconds: float, seed: int, rules, stats: Stats, out: Path) -> None:
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        run_one(build_story(RandomChooser(random.Random(seed * 1_000_003 + n))), rules, stats, out)
        n += 1


def fuzz_hypothesis(seconds: float, seed: int, rules, stats: Stats, out: Path) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st

    end = time.monotonic() + seconds
    batch = 0
    last: dict[str, dict[str, bytes]] = {}
    while time.monotonic() < end:
        last.clear()

        @fixed_seed(seed * 7919 + batch)
        # the time is checked between batches only: a test that stopped drawing midway would
        # look flaky to hypothesis when it replays an example
        @settings(max_examples=40, deadline=None, database=None, print_blob=False,
                  phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
        @given(st.data())
        def one(data) -> None:
            files = build_story(HypothesisChooser(data))
            stats.examples += 1
            try:
                check_files(files, rules)
            except Exception as exc:
                if stats.signature(exc) in stats.failures:
                    return  # known already: do not spend the batch shrinking it again
                last["files"] = files
                raise

        try:
            one()
        except Exception as exc:  # hypothesis re-raises after shrinking: the last call is minimal
            sig = stats.signature(exc)
            if sig not in stats.failures and "files" in last:
                stats.failures[sig] = save_failure(last["files"], exc, out)
                print(f"FAILURE {sig} -> {stats.failures[sig]}", flush=True)
        batch += 1


def fuzz_atheris(seconds: float, seed: int, rules, stats: Stats, out: Path) -> None:
    import atheris

    end = time.monotonic() + seconds

    def one(data: bytes) -> None:
        if time.monotonic() > end:  # libFuzzer would exit() without returning here
            summary("atheris", seed, seconds, stats)
            sys.stdout.flush()
            os._exit(1 if stats.failures else 0)
        run_one(build_story(AtherisChooser(atheris.FuzzedDataProvider(data))), rules, stats, out)

    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds) + 60}", f"-seed={seed}",
                   "-rss_limit_mb=4096", "-timeout=60", "-max_len=4096",
                   "-len_control=0"], one)
    with contextlib.suppress(SystemExit):  # libFuzzer exits when the time is up
        atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--engine", choices=["hypothesis", "atheris", "random"],
                        default="hypothesis")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "hostile")
    args = parser.parse_args()

    if args.engine == "atheris":  # instrument the package for coverage before it is imported
        import atheris

        with atheris.instrument_imports(include=["consistency"]):
            import consistency.engine  # noqa: F401
            import consistency.report  # noqa: F401
    import consistency.engine as engine
    from consistency.rules.loader import SHIPPED_RULES, load_rules

    engine.ARTICLE_BUDGET = 2.0

    rules = load_rules([SHIPPED_RULES])
    stats = Stats()
    started = time.monotonic()
    engines: dict[str, Callable] = {"random": fuzz_random, "hypothesis": fuzz_hypothesis,
                                    "atheris": fuzz_atheris}
    engines[args.engine](args.seconds, args.seed, rules, stats, args.out)
    summary(args.engine, args.seed, time.monotonic() - started, stats)
    return 1 if stats.failures else 0


def summary(engine: str, seed: int, seconds: float, stats: Stats) -> None:
    print(json.dumps({"engine": engine, "seed": seed, "seconds": round(seconds),
                      "stories": stats.examples, "failures": len(stats.failures),
                      "saved": [str(p) for p in stats.failures.values()],
                      "signatures": list(stats.failures)}))


if __name__ == "__main__":
    sys.exit(main())
