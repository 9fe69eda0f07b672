"""The fact cache (issue #5, incremental runs): a cached rerun gives exactly the uncached result,
extracts only what changed, and a bad cache costs a re-extraction, never a run."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import consistency.engine as engine
import consistency.factcache as factcache
from consistency.cli import app
from consistency.engine import apply_rules, extract_documents, extract_story
from consistency.extract import extract_document
from consistency.factcache import FactCache, code_version
from consistency.ingest import load_story
from consistency.timeline import build_timeline
from tests.test_history import NEW_ARTICLE  # one dated article added to a story

ROOT = Path(__file__).resolve().parents[1]
STORIES = [ROOT / "seeds", ROOT / "tests" / "data" / "story_harbour_collapse",
           ROOT / "tests" / "data" / "story_quiet"]
VALIDATION = ROOT / "tests" / "data" / "validation"
# A paragraph with no date in it: it changes one article, not the story's timeline.
EXTRA = "\n\nOfficials later said eleven more people had been taken to hospital overnight."


def cli(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def _json(run) -> dict:
    """The report as its JSON reads (byte identity is tested once, on ``check``'s output)."""
    return json.loads(run.report().model_dump_json())


def _report(folder: Path, shipped_rules, cache: FactCache | None = None):
    """(story run, report as JSON) of one story folder."""
    run = apply_rules(extract_story([folder], cache=cache), shipped_rules)
    return run, _json(run)


def _ok(folder: Path) -> int:
    return sum(d.status == "ok" for d in load_story([folder]))


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


@pytest.fixture()
def cache(tmp_path: Path):
    c = FactCache(tmp_path / "cache.sqlite")
    yield c
    c.close()


def _first_article(folder: Path) -> Path:
    return sorted(folder.glob("*.txt"))[0]


# --- same results ---------------------------------------------------------------------------


@pytest.mark.parametrize("folder", STORIES, ids=[p.name for p in STORIES])
def test_cached_rerun_gives_the_uncached_report(folder: Path, cache: FactCache,
                                                shipped_rules) -> None:
    plain, expected = _report(folder, shipped_rules)
    cold, cold_json = _report(folder, shipped_rules, cache)
    warm, warm_json = _report(folder, shipped_rules, cache)
    assert cold_json == expected and warm_json == expected
    assert warm.facts == plain.facts
    assert warm.documents == plain.documents
    assert (cold.extracted, cold.cached) == (_ok(folder), 0)
    assert (warm.extracted, warm.cached) == (0, _ok(folder))
    assert plain.extracted == _ok(folder)


def test_mentions_are_cached_apart_from_facts(cache: FactCache) -> None:
    folder = ROOT / "seeds"
    plain = extract_story([folder], mentions=True)
    extract_story([folder], cache=cache)  # without mentions: does not serve a --all run
    first = extract_story([folder], mentions=True, cache=cache)
    again = extract_story([folder], mentions=True, cache=cache)
    assert first.extracted == _ok(folder) and again.extracted == 0
    assert again.mentions == plain.mentions and again.facts == plain.facts
    assert plain.mentions


def test_check_with_cache_prints_the_same_json(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    outputs = []
    for extra in ([], ["--cache", db], ["--cache", db]):
        result = cli("check", ROOT / "seeds", "--format", "json", "--fail-on", "never", *extra)
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    # byte for byte: facts read back serialise like fresh ones (models.trusted keeps model order)
    assert outputs[0] == outputs[1] == outputs[2]
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM fact_cache").fetchone()[0] > 0


def test_feed_rerun_reuses_facts_even_when_lines_move(tmp_path: Path, shipped_rules) -> None:
    """Feed documents carry their line number in ``path``; it is not part of the key."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]

    def feed(first: list[str]) -> list:
        path = tmp_path / "feed.jsonl"
        lines = [json.dumps({"story": "s", "outlet": f"Outlet {n}", "text": t})
                 for n, t in enumerate(texts)]
        path.write_text("\n".join(first + lines) + "\n", encoding="utf-8")
        from consistency.ingest.feed import read_feed

        return [s.documents for s in read_feed(path) if s.name == "s"][0]

    cache = FactCache(tmp_path / "c.sqlite")
    cold = extract_documents(feed([]), cache=cache)
    moved = feed([json.dumps({"story": "other", "outlet": "X", "text": "Nothing."})])
    plain = apply_rules(extract_documents(list(moved)), shipped_rules)
    warm = apply_rules(extract_documents(list(moved), cache=cache), shipped_rules)
    assert cold.extracted == len(texts) and warm.extracted == 0
    assert _json(warm) == _json(plain)
    assert {d.path for d in warm.documents} != {d.path for d in cold.documents}


# --- what is extracted again ----------------------------------------------------------------


def test_a_changed_article_is_extracted_again(story: Path, cache: FactCache,
                                              shipped_rules) -> None:
    _report(story, shipped_rules, cache)
    article = _first_article(story)
    text = article.read_text(encoding="utf-8")
    middle = text.index("\n\n", len(text) // 2)
    article.write_text(text[:middle] + EXTRA + text[middle:], encoding="utf-8")
    rerun, rerun_json = _report(story, shipped_rules, cache)
    assert (rerun.extracted, rerun.cached) == (1, _ok(story) - 1)
    assert rerun_json == _report(story, shipped_rules)[1]


def test_a_new_article_is_extracted_alone(story: Path, cache: FactCache, shipped_rules) -> None:
    _report(story, shipped_rules, cache)
    (story / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    rerun, rerun_json = _report(story, shipped_rules, cache)
    assert rerun.extracted == 1
    assert rerun_json == _report(story, shipped_rules)[1]


def test_changed_metadata_is_a_changed_article(story: Path, cache: FactCache,
                                               shipped_rules) -> None:
    """sources.yaml changes the documents (here a page date): the story is ingested again and
    what depends on the date is extracted again."""
    first = _first_article(story)
    (story / "sources.yaml").write_text(f"{first.name}: {{outlet: Wire, published: 2015-11-20}}\n",
                                        encoding="utf-8")
    _report(story, shipped_rules, cache)
    (story / "sources.yaml").write_text(f"{first.name}: {{outlet: Wire, published: 2015-11-21}}\n",
                                        encoding="utf-8")
    rerun, rerun_json = _report(story, shipped_rules, cache)
    assert rerun.documents[0].published.isoformat() == "2015-11-21"
    assert rerun.extracted >= 1
    assert rerun_json == _report(story, shipped_rules)[1]


def test_an_article_whose_reference_moved_is_extracted_again(cache: FactCache,
                                                             shipped_rules) -> None:
    """Undated articles resolve "Tuesday" against the story's consensus date: when the dated
    articles move the consensus, their facts change although their own text did not."""
    docs = load_story([ROOT / "seeds"])
    timeline = build_timeline(docs)
    dated = {d.id for d in docs if timeline.reference(d.id).anchor == "document"}
    undated = [d.id for d in docs if d.id not in dated]
    assert dated and undated
    extract_documents(list(docs), cache=cache)
    moved = [d.model_copy(update={"published": d.published + timedelta(days=3)})
             if d.id in dated else d for d in docs]
    after = build_timeline(moved)
    assert all(after.reference(i) != timeline.reference(i) for i in undated)
    plain = apply_rules(extract_documents(list(moved)), shipped_rules)
    rerun = apply_rules(extract_documents(list(moved), cache=cache), shipped_rules)
    assert rerun.extracted == len(dated) + len(undated)
    assert _json(rerun) == _json(plain)
    assert rerun.facts == plain.facts


def _kinds(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [k for (k,) in con.execute("SELECT kind FROM fact_cache")]


def test_a_story_changed_while_ingested_is_not_stored(story: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    real = factcache.load_story
    article = _first_article(story)

    def changing(paths):  # the file changes between hashing and ingest reading it
        article.write_text(article.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
        return real(paths)

    cache = FactCache(tmp_path / "c.sqlite")
    monkeypatch.setattr(factcache, "load_story", changing)
    docs = cache.load_story([story])
    cache.flush()
    assert "eleven more people" in docs[0].raw
    assert "documents" not in _kinds(tmp_path / "c.sqlite")
    monkeypatch.setattr(factcache, "load_story", lambda paths: real(paths)[::-1])
    cache.load_story([story])  # ingest returned other files than hashed (here: another order)
    cache.flush()
    assert "documents" not in _kinds(tmp_path / "c.sqlite")
    monkeypatch.setattr(factcache, "load_story", real)
    assert cache.load_story([story]) == real([story])
    cache.flush()
    assert _kinds(tmp_path / "c.sqlite") == ["documents"]
    assert cache.load_story([story]) == real([story])  # now from the cache
    cache.close()


def test_another_extractor_version_misses(story: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    first = FactCache(db)
    extract_story([story], cache=first)
    other = FactCache(db)
    other.version = "another extractor"
    assert extract_story([story], cache=other).extracted == _ok(story)
    assert extract_story([story], cache=first).extracted == 0


def _package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "pkg" / "consistency"
    shutil.copytree(ROOT / "consistency", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_version_follows_the_extraction_code(tmp_path: Path, monkeypatch) -> None:
    """Editing an extractor or a module it imports changes the version; editing a rule or a
    report writer does not."""
    copy = _package_copy(tmp_path)
    monkeypatch.setattr(factcache, "_PACKAGE", copy)

    def version() -> str:
        code_version.cache_clear()
        return code_version("extract")

    try:
        base = version()
        (copy / "rules" / "kinds" / "common.py").write_text("# edited\n", encoding="utf-8")
        (copy / "report" / "text.py").write_text("# edited\n", encoding="utf-8")
        assert version() == base
        for edited in (copy / "extract" / "times.py", copy / "text.py", copy / "models.py"):
            edited.write_bytes(edited.read_bytes() + b"\n# edited\n")
            assert version() != base, edited
            base = version()
    finally:
        code_version.cache_clear()


def test_extraction_never_reads_path_or_error(shipped_rules) -> None:
    """Left out of the key (see consistency/factcache.py): if extraction starts reading them,
    this fails and the key must include them again."""
    for folder in STORIES:
        docs = load_story([folder])
        timeline = build_timeline(docs)
        for doc in docs:
            moved = doc.model_copy(update={"path": "/elsewhere/x.txt", "error": "a warning"})
            ref = timeline.reference(doc.id)
            assert extract_document(moved, ref).facts == extract_document(doc, ref).facts
            assert extract_document(moved, ref, mentions=True).mentions == \
                extract_document(doc, ref, mentions=True).mentions


# --- failures -------------------------------------------------------------------------------


def _rows(db: Path) -> list[tuple[bytes, int]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT key, used FROM fact_cache").fetchall()


@pytest.mark.parametrize("bad", [b"", b"\x00garbage", zlib.compress(b'{"facts": [{"kind": 1}]}'),
                                 zlib.compress(b"[" * 100_000), "text, not bytes", None],
                         ids=["empty", "garbage", "invalid", "deep", "text", "other-types"])
def test_a_corrupt_row_falls_back_to_extracting(story: Path, tmp_path: Path, shipped_rules,
                                                bad) -> None:
    db = tmp_path / "c.sqlite"
    expected = _report(story, shipped_rules)[1]
    _report(story, shipped_rules, FactCache(db))
    with sqlite3.connect(db) as con:
        if bad is None:  # a row of another type altogether
            con.execute("UPDATE fact_cache SET data = 12345, used = 'x'")
        else:
            con.execute("UPDATE fact_cache SET data = ?", (bad,))
    cache = FactCache(db)
    rerun, rerun_json = _report(story, shipped_rules, cache)
    assert rerun_json == expected
    assert rerun.extracted == _ok(story)
    again, again_json = _report(story, shipped_rules, cache)  # the bad rows were overwritten
    assert (again.extracted, again_json) == (0, expected)


def test_failed_and_timed_out_articles_are_not_cached(story: Path, cache: FactCache,
                                                      monkeypatch) -> None:
    real = engine.extract_document
    broken = _first_article(story).stem

    def flaky(doc, *args, **kwargs):
        if doc.id == broken:
            raise RuntimeError("a bug")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(engine, "extract_document", flaky)
    first = extract_story([story], cache=cache)
    assert [d.status for d in first.documents].count("failed") == 1
    monkeypatch.setattr(engine, "extract_document", real)
    monkeypatch.setattr(engine, "ARTICLE_BUDGET", -1.0)  # every article times out
    second = extract_story([story], cache=cache)
    assert [d.status for d in second.documents].count("timeout") == 1  # the one not cached
    monkeypatch.setattr(engine, "ARTICLE_BUDGET", 20.0)
    third = extract_story([story], cache=cache)
    assert third.extracted == 1 and all(d.status == "ok" for d in third.documents)


def test_a_table_of_an_older_shape_is_replaced(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE fact_cache (key BLOB PRIMARY KEY, data BLOB)")
        con.execute("INSERT INTO fact_cache VALUES (x'00', x'00')")
    cache = FactCache(db)
    assert cache.rows() == 0
    assert extract_story([ROOT / "seeds"], cache=cache).extracted == _ok(ROOT / "seeds")
    assert extract_story([ROOT / "seeds"], cache=cache).extracted == 0
    cache.close()


def test_an_unreadable_database_is_a_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    result = cli("check", ROOT / "seeds", "--cache", db)
    assert result.exit_code == 2
    assert "cannot open the fact cache" in result.stderr
    assert "Traceback" not in result.output


def test_a_write_that_fails_is_dropped(story: Path, cache: FactCache, monkeypatch,
                                       capsys) -> None:
    monkeypatch.setattr(factcache, "_WARNED", set())
    extract_story([story], cache=cache)
    cache._db().execute("DROP TABLE fact_cache")  # every later write fails
    run = extract_story([story], cache=cache)
    assert run.extracted == _ok(story)
    assert "fact cache: cannot" in capsys.readouterr().err


# --- pruning --------------------------------------------------------------------------------


def test_rows_unused_for_a_month_are_pruned(story: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    cache = FactCache(db)
    extract_story([ROOT / "tests" / "data" / "story_quiet"], cache=cache)
    quiet = {k for k, _ in _rows(db)}
    extract_story([story], cache=cache)
    today = factcache._today()
    with sqlite3.connect(db) as con:  # everything last used 40 days ago
        con.execute("UPDATE fact_cache SET used = ?", (today - 40,))
    assert extract_story([story], cache=cache).extracted == 0  # read: touched
    assert cache.prune() == len(quiet)
    rows = _rows(db)
    assert not quiet & {k for k, _ in rows}
    assert rows and all(used == today for _, used in rows)
    cache.close()


def test_report_prunes_and_no_cache_leaves_the_table_alone(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert cli("report", story, "--out", out, "--jobs", 1, "--no-cache").exit_code == 0
    db = out / "history.sqlite"
    with sqlite3.connect(db) as con:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'fact_cache'").fetchone()
    assert has is None
    assert cli("report", story, "--out", out, "--jobs", 1).exit_code == 0
    n = _ok(story)
    assert len(_rows(db)) == n + 1  # the articles' facts and the story's documents
    with sqlite3.connect(db) as con:
        con.execute("UPDATE fact_cache SET used = used - 400")
    (story / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert cli("report", story, "--out", out, "--jobs", 1, "--cache", tmp_path / "other.sqlite",
               ).exit_code == 0
    assert len(_rows(db)) == n + 1  # untouched by a run on another cache
    assert cli("report", story, "--out", out, "--jobs", 1).exit_code == 0
    # the old facts were read (touched) and stay, the new article's are added; the story's old
    # documents row (its folder changed) was pruned, the new one added
    assert len(_rows(db)) == (n + 1) + 1
    assert all(used == factcache._today() for _, used in _rows(db))


# --- concurrency ----------------------------------------------------------------------------


def _findings(out: Path) -> list[tuple[str, str]]:
    folders = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    report = json.loads((folders[-1] / "report.json").read_text(encoding="utf-8"))
    return sorted((f["story"], f["fingerprint"]) for s in report["stories"]
                  for f in s["findings"])


def test_report_with_two_jobs_fills_and_reads_the_cache(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(VALIDATION, stories)
    for folder in STORIES:
        shutil.copytree(folder, stories / folder.name)
    expected = tmp_path / "plain"
    assert cli("report", stories, "--out", expected, "--jobs", 1, "--no-cache").exit_code == 0
    db = tmp_path / "cache.sqlite"
    for n in range(2):
        out = tmp_path / f"run{n}"
        result = cli("report", stories, "--out", out, "--jobs", 2, "--cache", db)
        assert result.exit_code == 0, result.output
        assert _findings(out) == _findings(expected)
    articles = sum(_ok(p) for p in stories.iterdir() if p.is_dir())
    story_rows = sum(1 for p in stories.iterdir() if p.is_dir())
    assert len(_rows(db)) == articles + story_rows
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_runs_at_once_share_the_cache(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(VALIDATION, stories)
    db = tmp_path / "cache.sqlite"
    codes: list[int] = []

    def one(n: int) -> None:
        done = subprocess.run([sys.executable, "-m", "consistency", "report", str(stories),
                               "--out", str(tmp_path / f"r{n}"), "--cache", str(db),
                               "--jobs", "2"], capture_output=True, text=True, cwd=ROOT)
        codes.append(done.returncode)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [0, 0]
    assert _findings(tmp_path / "r0") == _findings(tmp_path / "r1")
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cache = FactCache(db)
    again = [extract_story([p], cache=cache) for p in sorted(stories.iterdir()) if p.is_dir()]
    assert sum(r.extracted for r in again) == 0


# --- the benchmark --------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore")
def test_incremental_benchmark_on_a_tiny_corpus(tmp_path: Path) -> None:
    """bench/incremental.py on 40 articles: counts only, no timing asserted."""
    from bench.incremental import markdown, run, save

    r = run(articles=40, fraction=0.05, jobs=2, command=True, log=lambda *a: None)
    cold, rerun, uncached = (r["runs"][k] for k in ("cold", "rerun", "uncached"))
    assert (cold["extracted"], cold["cached"]) == (40, 0)
    if not r["same_code"]:  # in a shared checkout another change can land mid-test
        pytest.skip("the extraction code changed between the cold run and the rerun")
    assert rerun["articles"] == uncached["articles"] == 40 + r["changes"]["new"]
    assert rerun["extracted"] == r["changes"]["edited"] + r["changes"]["new"]
    assert rerun["cached"] == 40 - r["changes"]["edited"]
    assert r["identical_findings"] and rerun["findings_digest"] == uncached["findings_digest"]
    assert r["command_runs"]["cold"]["extracted"] == 40
    assert r["command_runs"]["rerun"]["extracted"] == rerun["extracted"]
    out = tmp_path / "results.json"
    out.write_text('{"check": {"kept": true}}\n', encoding="utf-8")
    save(r, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["check"] == {"kept": True} and saved["incremental"]["changes"] == r["changes"]
    assert "| rerun |" in markdown(r)
