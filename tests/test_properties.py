"""Properties over whole articles and whole stories (the grammar-level properties are in
tests/test_numbers.py, test_times.py and test_ingest.py).

- extract_document on any text: no exception; every fact and mention quotes ``raw[start:end]``
  with ``0 <= start < end <= len(raw)``; number intervals have ``low <= high``, time intervals
  ``start < end``; the same document and reference give the same facts (relative times resolve
  deterministically).
- Invisible marks and Unicode normal forms change no fact, and the evidence stays on the same
  characters (the offset map is right, not only self-consistent).
- The whole check of a small generated story: every input listed once with a status, every claim
  honest, fingerprints unique and the same on a second run, all writers succeed.
- The size cap: a file is ``too_large`` exactly when it is over the cap.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from consistency.engine import apply_rules, extract_documents
from consistency.extract import Reference, extract_document
from consistency.ingest.build import document_from_text
from consistency.ingest.reader import read_article
from consistency.models import NumberValue, RunReport, StoryReport, TimeValue
from consistency.report import report_html, report_markdown
from consistency.report.markdown import run_markdown
from consistency.rules.loader import SHIPPED_RULES, load_rules

RULES = load_rules([SHIPPED_RULES])
STATUSES = {"ok", "empty", "binary", "unreadable", "missing", "decode_error", "timeout", "failed",
            "too_large"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MARKS = "\u200b\u200c\u200d\u200e\u200f\u2060\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067" \
        "\u2068\u2069\ufeff"
_MARK_RE = re.compile(f"[{MARKS}]")

WORDS = [
    "At least", "about", "nearly", "more than", "some", "people", "were", "killed", "injured",
    "died", "missing", "hurt", "women", "children", "passengers", "raids", "on", "by", "until",
    "through", "the weekend", "last", "next", "ago", "hours", "days", "weeks", "minutes", "km",
    "metres", "feet", "per cent", "%", "$", "million", "a.m.", "pm", "GMT", "noon", "midnight",
    "said", "police", "officials", "Captain", "Dr", "Mr", "mayor", "spokesman", "\"", "“", "”",
    "'", ",", ".", ";", ":", "(", ")", "-", "–", "\n", "\n\n", "date 2015-11-27\n", "Reuters",
    "- PTI", "Read more:", "Photo: AFP", "\xa0", "Ã©", "â€™", "Â", "\ufffd", "\t", "\r\n",
    *WEEKDAYS, *MONTHS, "Nov.", "Dec", "2015", "2019", "1941 hrs", "12:30", "7.40", "27/11/2015",
    "2015-11-27", "one", "two", "twelve", "hundred", "thousand", "dozen", "dozens", "first",
    "second", "-year-old", "1,200", "3.5", "0", "13", "224", "1st", "ſ", "K", "é", "ß",
]
number_token = st.one_of(st.integers(0, 100_000).map(str),
                         st.integers(0, 10**12).map(lambda n: f"{n:,}"),
                         st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}"))
token = st.one_of(st.sampled_from(WORDS), number_token, st.sampled_from(list(MARKS)),
                  st.text(max_size=6))
article_text = st.lists(token, max_size=60).map(" ".join)
references = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1),
                                           max_value=date(2100, 12, 31)))


def no_surrogates(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def check_value(value) -> None:
    if isinstance(value, NumberValue):
        for x in (value.low, value.high):
            assert x is None or math.isfinite(x)
        if value.low is not None and value.high is not None:
            assert value.low <= value.high, value
    elif isinstance(value, TimeValue):
        assert (value.start is None) == (value.end is None), value
        if value.start is not None:
            assert value.start < value.end, value
        if value.anchor == "unresolved":
            assert value.start is None


def check_extraction(raw: str, ref: date | None):
    doc = document_from_text(raw)
    reference = Reference(ref)
    first = extract_document(doc, reference)
    for item in [*first.facts, *first.mentions]:
        assert 0 <= item.start < item.end <= len(doc.raw), item
        assert doc.raw[item.start:item.end] == item.text, item
        assert item.doc == doc.id
        check_value(item.value)
    for f in first.facts:
        if isinstance(f.value, TimeValue) and f.value.anchor == "document" and f.kind != \
                "publication":
            assert f.value.reference == (doc.published or ref), f
    again = extract_document(document_from_text(raw), reference)
    assert again.facts == first.facts and again.mentions == first.mentions
    return doc, first


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=article_text, ref=references)
def test_extract_document_on_any_text(raw, ref):
    check_extraction(no_surrogates(raw), ref)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.text(max_size=300), ref=references)
def test_extract_document_on_any_unicode(raw, ref):
    check_extraction(no_surrogates(raw), ref)


# ---------------------------------------------------------------------------------------------
# Invisible marks and normal forms
# ---------------------------------------------------------------------------------------------

clean_token = st.one_of(st.sampled_from([w for w in WORDS if w.isascii() and w.isprintable()
                                         and "&" not in w]),
                        st.integers(0, 100_000).map(str))
clean_text = st.lists(clean_token, min_size=1, max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(clean=clean_text, data=st.data())
def test_invisible_marks_change_no_fact(clean, data):
    positions = data.draw(st.lists(st.integers(0, len(clean)), max_size=8))
    marks = data.draw(st.lists(st.sampled_from(list(MARKS)), min_size=len(positions),
                               max_size=len(positions)))
    marked = clean
    for pos, mark in sorted(zip(positions, marks, strict=True), reverse=True):
        marked = marked[:pos] + mark + marked[pos:]
    ref = date(2015, 11, 27)
    doc_a, a = check_extraction("date 2015-11-27\n" + clean, ref)
    doc_b, b = check_extraction("date 2015-11-27\n" + marked, ref)
    assert doc_b.text == doc_a.text
    assert [(f.kind, f.value) for f in b.facts] == [(f.kind, f.value) for f in a.facts]
    for fa, fb in zip(a.facts, b.facts, strict=True):  # the same characters, marks aside
        assert _MARK_RE.sub("", fb.text) == fa.text, (fa, fb)


@settings(max_examples=100, deadline=None)
@given(clean=clean_text, data=st.data())
def test_offset_map_sends_each_character_to_itself_past_invisible_marks(clean, data):
    """Found by this property at scale: "kill<ZWSP><ZWSP>ed <ZWSP>0" mapped the "0" to "d"."""
    marked = "".join(data.draw(st.text(alphabet=MARKS, max_size=3)) + ch for ch in clean)
    doc = document_from_text(marked)
    assert doc.text == clean
    assert all(doc.raw[doc.to_raw(i)] == ch for i, ch in enumerate(doc.text))


def test_offset_map_regression_two_zero_width_spaces():
    doc = document_from_text("date 2015-11-27\nkill\u200b\u200bed \u200b0 At least")
    assert all(doc.raw[doc.to_raw(i)] == ch for i, ch in enumerate(doc.text))


def test_offset_map_regression_doubly_accented_letter_in_nfd():
    """NFD "Việt" has two combining marks on one letter: the whole sequence maps to the one
    composed character, so the evidence after it starts where it should."""
    text = "José " * 30 + "At least Việt 99999 José Ångström"
    nfc = "date 2015-11-27\n" + unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", nfc)
    doc = document_from_text(nfd)
    number = doc.text.index("99999")
    assert doc.raw[doc.to_raw(number) : doc.to_raw(number + 5)] == "99999"
    _, a = check_extraction(nfc, date(2015, 11, 27))
    _, b = check_extraction(nfd, date(2015, 11, 27))
    assert [unicodedata.normalize("NFC", f.text) for f in b.facts] == [f.text for f in a.facts]


ACCENTED = ["José", "Núñez", "café", "Zürich", "Bogotá", "Señora", "Müller", "crème", "brûlée",
            "Élysée", "São", "Paulo", "naïve", "Ångström", "Øresund", "Đà", "Nẵng", "Việt"]
accented_text = st.lists(st.one_of(st.sampled_from(ACCENTED), clean_token), min_size=1,
                         max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(text=accented_text)
def test_nfd_and_nfc_give_the_same_facts_on_the_same_characters(text):
    nfc = "date 2015-11-27\n" + unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", nfc)
    ref = date(2015, 11, 27)
    _, a = check_extraction(nfc, ref)
    _, b = check_extraction(nfd, ref)
    assert [(f.kind, f.value) for f in b.facts] == [(f.kind, f.value) for f in a.facts]
    for fa, fb in zip(a.facts, b.facts, strict=True):
        assert unicodedata.normalize("NFC", fb.text) == fa.text, (fa, fb)
        assert len(unicodedata.normalize("NFD", nfc[:fa.start])) == fb.start, (fa, fb)


# ---------------------------------------------------------------------------------------------
# The whole check of a small generated story
# ---------------------------------------------------------------------------------------------


@st.composite
def articles(draw) -> str:
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
    header = draw(st.sampled_from([f"date {day.isoformat()}\n", f"{day:%A %d %B %Y}\n\n", "",
                                   f"{day:%d/%m/%Y} 10:12 by staff\n"]))
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        n = draw(st.integers(0, 500))
        sentences.append(draw(st.sampled_from([
            f"At least {n} people were killed when the bridge collapsed on "
            f"{draw(st.sampled_from(WEEKDAYS))}.",
            f"The fire burned for {n} hours and {draw(st.integers(1, 90))} were injured.",
            f"Police carried out {n} raids on {day.day} {MONTHS[day.month - 1]}.",
            f"\"We will rebuild within {n} weeks,\" said Mayor Ana Costa.",
            f"The road will stay closed until {draw(st.sampled_from(WEEKDAYS))}.",
            f"Captain Tomas Berg, the harbour master, said {n} passengers were on board.",
        ])))
        sentences.append(draw(st.sampled_from(["", " ", "\n", "\n\n", "Read more: x\n",
                                               draw(st.text(max_size=8))])))
    return no_surrogates(header + " ".join(sentences))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(articles(), min_size=2, max_size=4))
def test_whole_check_of_a_generated_story(texts):
    docs = [document_from_text(t, doc_id=f"d{i}", path=f"d{i}.txt") for i, t in enumerate(texts)]
    run = apply_rules(extract_documents(list(docs)), RULES)
    assert [d.id for d in run.documents] == [d.id for d in docs]
    assert all(d.status in STATUSES for d in run.documents)
    raws = {d.id: d.raw for d in run.documents}
    for f in run.findings:
        assert f.claims
        for c in f.claims:
            assert raws[c.doc][c.start:c.end] == c.text, c
            if c.sentence is not None:
                s = c.sentence
                assert raws[c.doc][s.start:s.end] == s.text
                assert s.start <= c.start and c.end <= s.end, c
    prints = [f.fingerprint for f in run.findings]
    assert len(prints) == len(set(prints))
    again = apply_rules(extract_documents(
        [document_from_text(t, doc_id=f"d{i}", path=f"d{i}.txt") for i, t in enumerate(texts)]),
        RULES)
    assert [f.fingerprint for f in again.findings] == prints
    story = StoryReport(**run.report(story="generated").model_dump())
    whole = RunReport(version="0", generated=datetime(2024, 1, 1), stories=[story])
    whole.model_dump_json()
    report_markdown(run.report(story="generated"))
    run_markdown(whole)
    report_html(whole)


# ---------------------------------------------------------------------------------------------
# Ingest: the size cap
# ---------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), cap=st.integers(1, 500))
def test_too_large_exactly_over_the_cap(tmp_path, monkeypatch, data, cap):
    assume(data)
    monkeypatch.setenv("CONSISTENCY_MAX_ARTICLE_BYTES", str(cap))
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    result = read_article(path, "a.txt")
    assert (result.status == "too_large") == (len(data) > cap)
    assert result.status in STATUSES
    assert result.error is None or "\n" not in result.error
