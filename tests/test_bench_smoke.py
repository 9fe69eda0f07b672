"""Smoke test of the benchmark (bench/): the corpus generator and the measuring code on a tiny
corpus. Checks shapes and counts only; no timing is ever asserted."""

from __future__ import annotations

import json

import pytest

from bench.corpus import iter_stories, story_sizes, write_corpus
from bench.measure import measure_check, select
from bench.run import run


def test_corpus_is_deterministic_and_sized():
    a = [(s.id, [x.text for x in s.articles]) for s in iter_stories(20, seed=3)]
    b = [(s.id, [x.text for x in s.articles]) for s in iter_stories(20, seed=3)]
    assert a == b
    assert sum(len(texts) for _, texts in a) == 20
    assert all(3 <= len(texts) <= 6 for _, texts in a)
    assert [s.id for s in iter_stories(20, seed=4)] == [sid for sid, _ in a]
    assert [x.text for s in iter_stories(20, seed=4) for x in s.articles] != \
        [t for _, texts in a for t in texts]
    sizes = [len(t.encode()) for _, texts in a for t in texts]
    assert all(1200 <= n <= 5000 for n in sizes)
    assert sum(story_sizes(1234)) == 1234


def test_outlets_differ_within_a_story():
    story = next(iter_stories(6, seed=11))
    names = [a.name for a in story.articles]
    assert len(set(names)) == len(names)
    assert len({a.text for a in story.articles}) == len(story.articles)


def test_measure_check_in_process(tmp_path):
    manifest = write_corpus(tmp_path / "c", 12, seed=5)
    assert sum(e["articles"] for e in manifest) == 12
    assert sum(e["articles"] for e in select(manifest, 5)) >= 5
    result = measure_check(select(manifest, 12), jobs=1)
    assert result["articles"] == 12
    assert result["documents_ok"] == 12
    assert result["facts"] > 0
    for key in ("extract_seconds", "rules_seconds", "extract_cpu_seconds", "wall_seconds",
                "worker_peak_rss_mb"):
        assert isinstance(result[key], float) and result[key] >= 0


@pytest.mark.filterwarnings("ignore")
def test_run_writes_json(tmp_path):
    out = tmp_path / "results.json"
    run(articles=20, jobs=2, out=out, naive_sample=1, log=lambda *a: None)
    r = json.loads(out.read_text())
    assert set(r) >= {"machine", "corpus", "extraction", "check", "naive", "ratio", "scaling",
                      "jobs", "targets"}
    assert r["corpus"]["articles"] == 20
    assert r["machine"]["nproc"] >= 1
    for block in (r["extraction"]["per_core"], r["check"]["per_core"], r["check"]["wall"]):
        assert set(block) >= {"mb_s", "articles_s", "seconds"}
    assert set(r["naive"]) >= {"mb_s", "articles_s", "seconds", "articles"}
    assert r["naive"]["articles"] == 1
    assert set(r["ratio"]) >= {"per_core", "wall"}
    assert [p["factor"] for p in r["scaling"]] == [1, 2, 4]
    assert r["scaling"][-1]["articles"] == 20
    assert all(p["worker_peak_rss_mb"] > 0 for p in r["scaling"])
    assert r["jobs"]["jobs"] == 2 and r["jobs"]["speedup"] > 0
    for target in r["targets"].values():
        assert set(target) >= {"value", "target", "met"}
        assert isinstance(target["met"], bool)
