"""INGEST: decoding and statuses, mojibake repair with offsets, header dates, boilerplate."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from consistency.errors import InputError
from consistency.ingest import body_segments, document_from_text, load_document, load_story
from consistency.ingest.boilerplate import line_kind
from consistency.ingest.dateline import parse_dateline
from consistency.ingest.header import parse_header
from consistency.ingest.reader import decode_bytes
from consistency.ingest.repair import repair
from consistency.models import Document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = Path(__file__).resolve().parents[2] / "shared"
STORIES = SHARED / "stories"
DATA = ROOT / "tests" / "data"


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def seed(prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return load_document(path)


def body_text(doc: Document) -> str:
    """The body the extractors read: body range minus skip ranges."""
    return "\n".join(doc.text[a:b] for a, b in body_segments(doc))


def skipped(doc: Document) -> list[str]:
    return [doc.text[a:b] for a, b in doc.skip_ranges]


def story_dirs() -> list[Path]:
    if not STORIES.is_dir():
        return []
    return sorted(p for p in STORIES.iterdir() if (p / "provenance.yaml").is_file())


def data_story_dirs() -> list[Path]:
    return sorted(p for p in DATA.glob("story_*") if (p / "expected.yaml").is_file())


def all_documents() -> list[Document]:
    docs = [load_document(p) for p in sorted(SEEDS.glob("*.txt"))]
    for folder in story_dirs() + data_story_dirs():
        docs.extend(load_story([folder]))
    return docs


def check_invariants(doc: Document) -> None:
    n = len(doc.text)
    if doc.offset_map:
        assert len(doc.offset_map) == n + 1
        assert all(a <= b for a, b in zip(doc.offset_map, doc.offset_map[1:], strict=False))
        assert doc.offset_map[-1] == len(doc.raw)
        assert doc.offset_map[0] >= 0
    else:
        assert doc.text == doc.raw
    assert doc.to_raw(n) == len(doc.raw)
    assert 0 <= doc.body_start <= doc.body_end <= n
    previous_end = doc.body_start
    for start, end in doc.skip_ranges:
        assert previous_end <= start < end <= doc.body_end
        previous_end = end
    if doc.published_span is not None:
        span = doc.published_span
        assert span.text == doc.raw[span.start : span.end]
        assert span.doc == doc.id
    if doc.status != "ok":
        assert doc.raw == doc.text == ""
        assert doc.error and "\n" not in doc.error


def check_unchanged_lines(doc: Document) -> None:
    """Lines the repair left alone map back to exactly the same raw characters."""
    raw_lines, text_lines = doc.raw.split("\n"), doc.text.split("\n")
    assert len(raw_lines) == len(text_lines)
    pos = 0
    for raw_line, text_line in zip(raw_lines, text_lines, strict=True):
        if raw_line == text_line and text_line:
            start, end = pos, pos + len(text_line)
            assert doc.raw[doc.to_raw(start) : doc.to_raw(end)] == text_line
            mid = (start + end) // 2
            assert doc.raw[doc.to_raw(mid) : doc.to_raw(end)] == doc.text[mid:end]
        pos += len(text_line) + 1


# ---------------------------------------------------------------------------------------------
# seeds and stories
# ---------------------------------------------------------------------------------------------

SEED_DATES = {
    "000": date(2019, 9, 19),
    "001": date(2015, 11, 27),
    "002": None,
    "003": date(2015, 11, 27),
    "004": None,
}


@pytest.mark.parametrize(("prefix", "expected"), sorted(SEED_DATES.items()))
def test_seed_page_dates(prefix: str, expected: date | None) -> None:
    doc = seed(prefix)
    assert doc.status == "ok" and doc.error is None
    assert doc.published == expected
    assert doc.published_source == ("header" if expected else "none")
    if expected:
        span = doc.published_span
        assert span is not None and span.text == doc.raw[span.start : span.end]
        assert parse_dateline(span.text) is not None
    else:
        assert doc.published_span is None


def test_seed_headers() -> None:
    assert seed("000").title == "France and Russia to co-operate in fight against IS"
    assert seed("000").published_span.text == "Thursday 19 September 2019"  # type: ignore[union-attr]
    assert seed("001").title == "Russia, France agree to tighten cooperation against ISIS"
    assert seed("001").published_span.text == "27/11/2015 13:46"  # type: ignore[union-attr]
    s002 = seed("002")
    assert s002.edition == "Weekend" and s002.title == "More unity in anti-IS effort"
    assert s002.text[s002.body_start :].startswith("MOSCOW")  # after the "- By ..." byline
    s003 = seed("003")
    assert s003.title == "Russia, France to up battle against Islamic State"
    assert s003.text[s003.body_start :].startswith("France and Russia will exchange")
    assert seed("004").title == "Hollande and Putin agree on closer anti-IS coordination"


def test_seed_mojibake_repaired_and_mapped() -> None:
    doc = seed("001")
    assert "Â" in doc.raw and "Â" not in doc.text
    assert doc.offset_map, "a repaired text needs an offset map"
    i = doc.text.index("Despite the reduction")
    raw_slice = doc.raw[doc.to_raw(i - 2) : doc.to_raw(i + 7)]
    assert "Â" in raw_slice and raw_slice.endswith("Despite")
    span = doc.span(i, i + 7)
    assert span.text == "Despite" == doc.raw[span.start : span.end]


def test_all_documents_load_with_invariants() -> None:
    docs = all_documents()
    assert len(docs) >= 5
    for doc in docs:
        assert doc.status == "ok", (doc.id, doc.error)
        check_invariants(doc)
        check_unchanged_lines(doc)
        assert doc.body.strip(), doc.id


@pytest.mark.parametrize("folder", story_dirs(), ids=lambda p: p.name)
def test_story_page_dates_match_provenance(folder: Path) -> None:
    provenance = yaml.safe_load((folder / "provenance.yaml").read_text(encoding="utf-8"))
    docs = {doc.id: doc for doc in load_story([folder])}
    for entry in provenance["files"]:
        doc = docs[Path(entry["file"]).stem]
        shown = entry.get("publication_date")
        expected = date.fromisoformat(str(shown)) if shown else None
        assert doc.status == "ok"
        assert doc.published == expected, doc.id
        assert doc.published_source == ("header" if expected else "none")


def test_shared_stories_present() -> None:
    if not STORIES.is_dir():
        pytest.skip(f"{STORIES} is absent")
    assert story_dirs()


def _expected_sides(folder: Path) -> list[tuple[str, str]]:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    keys = expected.get("docs") or {}
    sides: list[tuple[str, str]] = []
    for item in (expected.get("findings") or []) + (expected.get("traps") or []):
        for side in item["sides"]:
            for key in side["docs"]:
                sides.append((keys.get(key, key), side["text"]))
    return sides


@pytest.mark.parametrize("folder", story_dirs() + data_story_dirs(), ids=lambda p: p.name)
def test_expected_evidence_is_not_boilerplate(folder: Path) -> None:
    """Every quote the scorer expects is in the body, or is the header page date itself."""
    docs = load_story([folder])
    for name, pattern in _expected_sides(folder):
        doc = next(d for d in docs if name in d.id)
        in_body = re.search(pattern, body_text(doc))
        in_date = doc.published_span and re.search(pattern, doc.raw[: doc.published_span.end])
        assert in_body or in_date, f"{doc.id}: {pattern!r} not in the body"


def test_data_story_trailing_boilerplate() -> None:
    folder = DATA / "story_harbour_collapse"
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    keys = expected["docs"]
    docs = load_story([folder])
    for item in expected.get("boilerplate") or []:
        doc = next(d for d in docs if keys[item["doc"]] in d.id)
        assert doc.body_end <= doc.text.index(item["after"])


# ---------------------------------------------------------------------------------------------
# boilerplate
# ---------------------------------------------------------------------------------------------


def test_seed_004_teasers_are_not_body() -> None:
    doc = seed("004")
    assert doc.body_end <= doc.text.index("Talk to us") < doc.text.index("More in Local News")
    body = body_text(doc)
    for teaser in ("Ariel Garcia", "Sharon Heeringa", "Support local journalism", "1 million tons"):
        assert teaser not in body
    assert "The decision still needs parliamentary approval" in body
    assert "Turkey said it shot down the Russian Su-24 bomber" in body


def test_seed_000_trailing_prompts_and_duplicate_caption() -> None:
    doc = seed("000")
    body = body_text(doc)
    assert doc.body_end <= doc.text.index("PA Media")
    assert "Today's news headlines" not in body and "Editors Choice" not in body
    caption = "Russian president Vladimir Putin shakes hands with his French counterpart"
    assert [s for s in skipped(doc) if s.startswith(caption)] and len(skipped(doc)) == 2
    assert caption not in body
    assert "Mr Putin confirmed that Moscow and France had agreed" in body
    assert "A specialised crew from the fire department was sent" in body


def test_seed_001_and_002_endings() -> None:
    s001 = seed("001")
    assert "- PTI" not in s001.body and "threat level until Monday" in s001.body
    s002 = seed("002")
    assert "Newspapers in English" not in s002.body and "??" not in s002.body
    assert "a suspicious parcel arrived" in s002.body


@pytest.mark.parametrize(
    ("story", "name", "gone", "kept"),
    [
        (
            "2019-south-sumatra-bus-ravine",
            "guardian",
            ["This article is more than 1 month old", "Rescue workers carry the body"],
            "The number of people killed when a bus plunged",
        ),
        (
            "2019-south-sumatra-bus-ravine",
            "asiaone_afp",
            ["PHOTO: AFP", "Rescue personnel retrieving a victim", "More about"],
            "At least two dozen people died and 13 others were injured",
        ),
        (
            "2019-south-sumatra-bus-ravine",
            "webdunia_dw",
            ["Read more on"],
            "plummeted into the ravine before settling in a river.",
        ),
        (
            "2019-south-sumatra-bus-ravine",
            "wefornews_efe",
            ["Related Posts"],
            "Indonesia has seen a number of fatal traffic accidents",
        ),
        (
            "2020-kozhikode-air-india-express-crash",
            "thenewsminute",
            ["Crashed Air India Express flight", "Written by", "Published on"],
            "At least 17 people were killed and 110 injured",
        ),
        (
            "2018-mumbai-ghatkopar-plane-crash",
            "indianexpress",
            ["(Express photo by", "Rescue workers carry the charred body"],
            "A 12-seater aircraft crashed at a construction site",
        ),
        (
            "2018-mumbai-ghatkopar-plane-crash",
            "indiatimes",
            ["blockquote class", "pic.twitter.com", "\nani\n"],
            "According to the Directorate General of Civil Aviation or DGCA",
        ),
        (
            "2017-mumbai-kamala-mills-fire",
            "hindustantimes",
            ["Jayant Lalani (C)"],
            "Police filed a complaint against Hitesh Sanghvi",
        ),
        (
            "2017-mumbai-kamala-mills-fire",
            "indianexpress",
            ["Following the blaze, the BMC"],
            "At least 14 people were killed and 19 injured",
        ),
    ],
)
def test_story_boilerplate(story: str, name: str, gone: list[str], kept: str) -> None:
    path = STORIES / story / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    doc = load_document(path)
    body = "\n" + body_text(doc) + "\n"
    for text in gone:
        assert text not in body, text
    assert kept in body


@pytest.mark.parametrize(
    "line",
    [
        "More in Local News",
        "Also in World News",
        "Related Posts",
        "Editors Choice",
        "Newspapers from United States",
        "PA Media",
        "- PTI",
        "(AFP)",
        "PHOTO: AFP",
        "Photograph: Antara Foto Agency/Reuters",
        "Read more: Another crash in Java",
        "Sign up for our newsletter",
        " ??  ?? Putin".strip(),
        "The mayor visits the site. (AP)",
        "Rescuers at work (Photo provided by police)",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert line_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "The decision still needs parliamentary approval.",
        "Also on board were two pilots",
        "More in line with expectations, the toll rose to 14.",
        "Dead",
        "Reuters reported 14 dead.",
        "By Monday morning hundreds of lanterns had been left along the railings.",
        "Casualty details from KEM hospital",
        "The bus was carrying 27 passengers (AFP reported).",
    ],
)
def test_body_lines_are_not_furniture(line: str) -> None:
    assert line_kind(line) is None


def test_body_sentences_survive_generic_article() -> None:
    text = (
        "Quake kills 12 in mountain town\n\nBy Ana Ruiz and Tom Lee\n\n"
        "Twelve people died when a quake hit the town on Monday, officials said.\n\n"
        "Rescuers dig through rubble (Reuters)\n\n"
        "Read more: Earlier quakes in the region\n\n"
        "More than 40 people were injured, the mayor said on Tuesday morning.\n\n"
        "Reuters\n\nMost Read\n\nTeaser: 3 dead in unrelated fire\n"
    )
    doc = document_from_text(text)
    body = body_text(doc)
    assert doc.title == "Quake kills 12 in mountain town"
    assert "Twelve people died" in body and "More than 40 people were injured" in body
    for gone in ("By Ana Ruiz", "Rescuers dig", "Read more", "Most Read", "3 dead", "Reuters\n"):
        assert gone not in body + "\n"


HOUSE_STYLES = {
    "wire": (
        "Russia, France agree to share intelligence\n\nBy John Smith and Jane Doe\n\n4 Min Read\n\n"
        "MOSCOW (Reuters) - France and Russia agreed on Thursday to exchange intelligence.\n\n"
        "ADVERTISEMENT\n\nPutin said Moscow was ready to work with the coalition.\n\n"
        "Reporting by Denis Pinchuk; Editing by Alison Williams\n\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n",
        None,
        ["MOSCOW (Reuters) - France and Russia agreed", "ready to work with the coalition"],
    ),
    "ap": (
        "Rescuers search for survivors\nPublished 2:17 AM GMT+8, December 24, 2019\n\n"
        "PAGAR ALAM, Indonesia (AP) — A bus plunged into a ravine, killing at least 24 people.\n\n"
        "The bus was carrying about 50 people, police said.\n\n___\n\n"
        "Associated Press writer Niniek Karmini contributed to this report.\n\n"
        "Copyright 2019 The Associated Press. All rights reserved.\n",
        date(2019, 12, 24),
        ["killing at least 24 people", "carrying about 50 people"],
    ),
    "bbc": (
        "Bus crash: 24 dead after vehicle plunges into ravine\n\nPublished\n24 December 2019\n\n"
        "Image source, EPA\nImage caption,\nRescuers carried bodies up the steep slope\n\n"
        "At least 24 people have died after a bus plunged into a ravine, officials say.\n\n"
        "The vehicle fell 150m (490ft) into a river, local police said.\n\n"
        "Related Topics\n\nIndonesia\n\nMore on this story\n\nBus crash in Java kills 21\n",
        date(2019, 12, 24),
        ["At least 24 people have died", "The vehicle fell 150m"],
    ),
    "syndicated": (
        "Mumbai Fire: 14 Dead In Kamala Mills Blaze\n\n"
        "Mumbai | Press Trust of India | Updated: December 29, 2017 11:05 am IST\n\n"
        "Fourteen people were killed in a fire at a restaurant early on Friday, officials said.\n\n"
        "The fire started at about 12:30 am at the rooftop restaurant, the fire department said.\n\n"
        "(Except for the headline, this story has not been edited by NDTV staff and is published "
        "from a syndicated feed.)\n\nTrack Latest News Live on NDTV.com and get news updates from "
        "India and around the world.\n",
        date(2017, 12, 29),
        ["Fourteen people were killed", "The fire started at about 12:30 am"],
    ),
}


@pytest.mark.parametrize("style", sorted(HOUSE_STYLES))
def test_other_house_styles(style: str) -> None:
    """Bodies from other sites keep their sentences and lose their furniture."""
    text, published, sentences = HOUSE_STYLES[style]
    doc = document_from_text(text, doc_id=style)
    body = body_text(doc)
    assert doc.published == published
    for sentence in sentences:
        assert sentence in body
    for line in text.splitlines():
        if line.strip() and not any(s in line for s in sentences):
            assert line not in body, line


def test_furniture_after_lead_does_not_move_body_start() -> None:
    text = (
        "Crash kills 3\n\nThree people died on Monday.\n\nPolice said two more were hurt.\n\n"
        "Advertisement\n\nThe road was closed for hours after the crash, police said.\n"
    )
    doc = document_from_text(text)
    assert doc.text[doc.body_start :].startswith("Three people died")
    assert skipped(doc) == ["Advertisement"]


# ---------------------------------------------------------------------------------------------
# header and dateline grammar
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected", "span"),
    [
        ("Thursday 19 September 2019", date(2019, 9, 19), "Thursday 19 September 2019"),
        ("27/11/2015 13:46 by admin", date(2015, 11, 27), "27/11/2015 13:46"),
        ("  • 27/11/2015", date(2015, 11, 27), "27/11/2015"),
        (
            "Last Modified Tuesday, 24 December 2019 (12:53 IST)",
            date(2019, 12, 24),
            "Tuesday, 24 December 2019 (12:53 IST)",
        ),
        ("03:15PM Thu 28 Jun, 2018", date(2018, 6, 28), "03:15PM Thu 28 Jun, 2018"),
        ("Published: Nov 27, 2015 | Updated: Nov 28, 2015", date(2015, 11, 27), "Nov 27, 2015"),
        ("Updated: August 8, 2020 10:12 AM IST", date(2020, 8, 8), "August 8, 2020 10:12 AM IST"),
        ("2017-12-29T08:00:00Z", date(2017, 12, 29), "2017-12-29T08:00:00Z"),
        ("05/03/2020", date(2020, 3, 5), "05/03/2020"),  # day first when ambiguous
        ("12/25/2019", date(2019, 12, 25), "12/25/2019"),  # second part > 12: month first
        # the weekday is wrong for the date: the date still counts
        ("Monday 19 September 2019", date(2019, 9, 19), "Monday 19 September 2019"),
        ("New Delhi, August 7, 2020", date(2020, 8, 7), "August 7, 2020"),
    ],
)
def test_dateline_grammar(line: str, expected: date, span: str) -> None:
    found = parse_dateline(line)
    assert found is not None and found.value == expected
    assert line[found.start : found.end] == span


@pytest.mark.parametrize(
    "line",
    [
        "The Mercury News Weekend",
        "Seventeen were killed on December 29, 2017.",
        "31/02/2019",
        "We said on 5 May 2019 that 3 died",
        "By Monday 5 May 2019 the toll was 9",
        "Aug 07",
        "",
    ],
)
def test_not_a_dateline(line: str) -> None:
    assert parse_dateline(line) is None


def test_date_in_body_sentence_is_not_page_date() -> None:
    doc = document_from_text(
        "Fire kills 14 in Mumbai\n\nThe fire broke out on December 29, 2017 at a restaurant.\n"
    )
    assert doc.published is None and doc.published_source == "none"


def test_date_prefix_then_body_on_same_line() -> None:
    text = " date 2017-12-29 Fourteen people died when a fire engulfed a restaurant.\n\nMore text."
    doc = document_from_text(text)
    assert doc.published == date(2017, 12, 29) and doc.published_source == "header"
    assert doc.published_span is not None and doc.published_span.text == "2017-12-29"
    assert doc.text[doc.body_start :].startswith("Fourteen people died")
    assert doc.title is None


def test_date_prefix_with_title_or_byline() -> None:
    doc = document_from_text(" date 2019-12-24 At least 24 dead in bus plunge\n\nPALEMBANG - Text.")
    assert doc.title == "At least 24 dead in bus plunge"
    assert doc.text[doc.body_start :].startswith("PALEMBANG")
    doc = document_from_text(
        " date 2020-08-07 By Express News Service\n\nIn Kerala's biggest crash."
    )
    assert doc.text[doc.body_start :].startswith("In Kerala")


def test_header_breadcrumb_byline_and_meta_lines() -> None:
    text = (
        "Home >> States\n\nPlane crash: aircraft had no certificate\n\nWritten by:\n"
        "Published on\n\nA 26-year-old charter aircraft crashed on Thursday.\n"
    )
    header = parse_header(text)
    assert header.title == "Plane crash: aircraft had no certificate"
    assert text[header.body_start :].startswith("A 26-year-old")
    assert header.published is None


def test_first_line_paragraph_has_no_title() -> None:
    text = "A King Air C90 charter aircraft crashed in Ghatkopar on Thursday afternoon. " * 3
    doc = document_from_text(text)
    assert doc.title is None and doc.body_start == 0


# ---------------------------------------------------------------------------------------------
# repair
# ---------------------------------------------------------------------------------------------


def test_repair_maps_mojibake_back_to_raw() -> None:
    raw = "Hollande\u00e2\u20ac\u2122s visit.\nThe town\u00e2\u20ac\u2122s harbour.\nPlain line.\n"
    text, offset_map = repair(raw)
    assert text == "Hollande’s visit.\nThe town’s harbour.\nPlain line.\n"
    doc = Document(id="d", path="p", raw=raw, text=text, offset_map=offset_map)
    i = text.index("’")
    assert doc.raw[doc.to_raw(i) : doc.to_raw(i + 1)] == "\u00e2\u20ac\u2122"
    j = text.index("Plain")
    assert doc.raw[doc.to_raw(j) : doc.to_raw(j + 11)] == "Plain line."
    check_unchanged_lines(doc)


def test_repair_nbsp_and_invisible_characters() -> None:
    raw = "a\xa0b\u200bc\r\nx\u00c2\xa0y\n"
    text, offset_map = repair(raw)
    assert text == "a bc\r\nx y\n"
    assert len(offset_map) == len(text) + 1 and offset_map[-1] == len(raw)


MOJIBAKE = {"â€™": "’", "â€œ": "“", "â€”": "—", "Ã©": "é", "Ã¼": "ü", "Â ": " "}
PLAIN = ["the", "bus", " ", ".", ",", "24", "Mr", "café", "’", "\n", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(MOJIBAKE) + PLAIN), min_size=1, max_size=15))
def test_repaired_characters_map_to_their_mojibake(tokens: list[str]) -> None:
    raw = "".join(tokens)
    text, offset_map = repair(raw)
    assume(text == "".join(MOJIBAKE.get(t, t) for t in tokens))  # ftfy may leave mixed lines
    doc = Document(id="d", path="p", raw=raw, text=text, offset_map=offset_map)
    pos = 0
    for token in tokens:
        fixed = MOJIBAKE.get(token, token)
        got = doc.raw[doc.to_raw(pos) : doc.to_raw(pos + len(fixed))]
        if token in MOJIBAKE:
            assert got in (token, token.rstrip()), (raw, token, got)
        pos += len(fixed)


def test_unchanged_text_has_empty_map() -> None:
    assert repair("Plain ASCII text.\nSecond line.") == ("Plain ASCII text.\nSecond line.", [])


# ---------------------------------------------------------------------------------------------
# bad inputs
# ---------------------------------------------------------------------------------------------

GOOD = "Thursday 8 June 2023\n\nThree dead after boat sinks\n\nThree fishermen died on Wednesday.\n"


def test_bad_inputs_each_get_a_status(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_blank.txt").write_bytes(b" \n\t\r\n  \n")
    (tmp_path / "d_binary.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    )
    (tmp_path / "e_control.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + b"text")
    bad = b"Two fishermen were rescued on Tuesday after their trawler "
    (tmp_path / "f_invalid.txt").write_bytes(bad + b"\xff\xfe\x80" + b"ran aground.\n")
    (tmp_path / "g_garbage.txt").write_bytes(b"ok " + bytes([0xC3, 0x28, 0xFF, 0x80]) * 50)
    (tmp_path / "h_utf16le.txt").write_bytes(GOOD.encode("utf-16"))
    (tmp_path / "i_utf16be.txt").write_bytes(b"\xfe\xff" + GOOD.encode("utf-16-be"))
    (tmp_path / "j_dir.txt").mkdir()
    missing = tmp_path / "nowhere" / "k_missing.txt"

    docs = {d.id: d for d in load_story([tmp_path, missing])}
    status = {k: d.status for k, d in docs.items()}
    assert status == {
        "a_good": "ok",
        "b_empty": "empty",
        "c_blank": "empty",
        "d_binary": "binary",
        "e_control": "binary",
        "f_invalid": "ok",
        "g_garbage": "decode_error",
        "h_utf16le": "ok",
        "i_utf16be": "ok",
        "j_dir": "unreadable",
        "k_missing": "missing",
    }
    for doc in docs.values():
        check_invariants(doc)
    assert docs["a_good"].published == date(2023, 6, 8) and docs["a_good"].error is None
    assert docs["f_invalid"].error == f"invalid UTF-8: 3 bytes replaced (first at byte {len(bad)})"
    assert "\ufffd" in docs["f_invalid"].raw and "ran aground" in docs["f_invalid"].body
    assert docs["g_garbage"].error.startswith("invalid UTF-8")  # type: ignore[union-attr]
    for name in ("h_utf16le", "i_utf16be"):
        assert docs[name].raw == GOOD and docs[name].published == date(2023, 6, 8)
    assert docs["k_missing"].error == f"No such file or directory: '{missing}'"
    assert docs["j_dir"].error.startswith("Is a directory")  # type: ignore[union-attr]
    assert "NUL" in docs["d_binary"].error  # type: ignore[operator]


def test_shipped_bad_inputs_folder() -> None:
    docs = {d.id: d for d in load_story([DATA / "bad_inputs"])}
    assert {k: d.status for k, d in docs.items()} == {
        "binary": "binary",
        "blank": "empty",
        "empty": "empty",
        "good": "ok",
        "invalid_utf8": "ok",
        "utf16": "ok",
    }
    assert docs["invalid_utf8"].error == "invalid UTF-8: 3 bytes replaced (first at byte 58)"


def test_utf8_bom_is_kept_in_raw(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    doc = load_document(path)
    assert doc.status == "ok" and doc.raw.startswith("\ufeff") and not doc.text.startswith("\ufeff")
    assert doc.published == date(2023, 6, 8)
    span = doc.published_span
    assert span is not None and doc.raw[span.start : span.end] == "Thursday 8 June 2023"
    check_invariants(doc)


def test_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_story([])
    (tmp_path / "notes.md").write_text("no articles here")
    with pytest.raises(InputError, match=re.escape(str(tmp_path))):
        load_story([tmp_path])


def test_duplicate_ids_are_made_unique(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(GOOD)
    ids = [d.id for d in load_story([tmp_path / "one", tmp_path / "two"])]
    assert ids == ["same", "two/same"]


# ---------------------------------------------------------------------------------------------
# sources.yaml
# ---------------------------------------------------------------------------------------------


def test_sources_yaml_overrides_metadata(tmp_path: Path) -> None:
    (tmp_path / "ndtv.txt").write_text(GOOD)
    (tmp_path / "other.txt").write_text("Fire in town\n\nA fire broke out on Friday.\n")
    (tmp_path / "sources.yaml").write_text(
        "ndtv.txt:\n  id: A\n  outlet: NDTV\n  url: https://ndtv.example/x\n"
        "  published: 2017-12-29\n  title: Given title\nother.txt:\n  outlet: Other\n"
    )
    docs = load_story([tmp_path])
    a, other = docs
    assert (a.id, a.outlet, a.url, a.title) == (
        "A",
        "NDTV",
        "https://ndtv.example/x",
        "Given title",
    )
    assert a.published == date(2017, 12, 29) and a.published_source == "sources.yaml"
    assert a.published_span is None  # the header said 8 June 2023: not where this date came from
    assert (other.id, other.outlet, other.published, other.published_source) == (
        "other",
        "Other",
        None,
        "none",
    )


def test_sources_yaml_list_form(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(GOOD)
    (tmp_path / "sources.yaml").write_text(
        "- file: x.txt\n  outlet: X Times\n  published: '2023-06-08'\n"
    )
    (doc,) = load_story([tmp_path])
    assert doc.outlet == "X Times" and doc.published_source == "sources.yaml"
    assert doc.published_span is not None  # the header shows the same date


def test_sources_yaml_for_a_missing_article(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("gone.txt:\n  id: G\n")
    (doc,) = load_story([tmp_path / "gone.txt"])
    assert (doc.id, doc.status) == ("G", "missing")


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("a.txt:\n  outlet: [unclosed\n", 3, ""),
        ("a.txt:\n  outlet: X\n   bad: indent\n", 3, ""),
        ("a.txt:\n  outlet: X\n  publisher: Y\n", 3, "publisher"),
        ("a.txt:\n  published: 29/12/2017\n", 2, "YYYY-MM-DD"),
        ("- outlet: X\n", 1, "file"),
    ],
)
def test_broken_sources_yaml(tmp_path: Path, content: str, line: int, words: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "sources.yaml").write_text(content)
    with pytest.raises(InputError, match=rf"sources\.yaml:{line}: .*{re.escape(words)}"):
        load_story([tmp_path])


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("abcdefghij ABC.,:;'\"0123456789\n\n\r\t-•/()?")
    + [
        "Ã©",
        "Ã",
        "Â",
        "\xa0",
        "â€™",
        "â€œ",
        "â€",
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u00ad",
        "é",
        "’",
        "\ufffd",
        "&amp;",
        "&",
        "ﬁ",
        "Ａ",
        "e\u0301",
        "\x1b[0m",
        "\x85",
        "\u2028",
        "Thursday 19 September 2019",
        "27/11/2015 13:46 by admin",
        " date 2017-12-29 ",
        "More in Local News",
        "(AP)",
        "PHOTO: AFP",
        "By Ann Lee",
        "- PTI",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_any_text_builds_a_consistent_document(raw: str) -> None:
    doc = document_from_text(raw)
    assert doc.status == "ok" and doc.raw == raw
    check_invariants(doc)
    assert doc.to_raw(len(doc.text)) == len(raw)
    for a, b in body_segments(doc):
        assert doc.body_start <= a < b <= doc.body_end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_builds(raw: str) -> None:
    # decoded text never holds lone surrogates; drop any the strategy made
    raw = raw.encode("utf-8", "replace").decode("utf-8")
    check_invariants(document_from_text(raw))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_bytes_never_raises_and_matches_python(data: bytes) -> None:
    result = decode_bytes(data)
    assert result.status in {"ok", "empty", "binary", "decode_error"}
    assert result.error is None or "\n" not in result.error
    if result.status == "ok" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert result.raw == data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# fast paths: each gives the answer of the plain (slow) check it stands in front of
# ---------------------------------------------------------------------------------------------

_ASCII_NO_AMP = [chr(c) for c in range(0x20, 0x7F) if chr(c) != "&"]


def test_ftfy_leaves_plain_lines_alone() -> None:
    """``repair`` skips ftfy for lines of printable ASCII (no "&"), tab and CR with either the
    typographic characters of ``repair._PLAIN`` or the lower-case letters of ``_LETTERS``:
    ftfy must leave every such line as it is."""
    from itertools import product
    from random import Random

    import ftfy
    from ftfy import chardata
    from ftfy.badness import is_bad

    from consistency.ingest import repair as rp

    def unchanged(line: str) -> bool:
        return ftfy.fix_text(line, config=rp._CONFIG).translate(rp._TRANSLATE) == line

    ascii_ = [*_ASCII_NO_AMP, "\t", "\r"]
    for extra in (rp._PLAIN, rp._LETTERS):
        alphabet = [*ascii_, *extra]
        # the badness patterns are matched on any two characters; ftfy's tables and NFC agree
        assert not [a + b for a, b in product(alphabet, repeat=2) if is_bad(a + b)]
        assert not [a + b for a, b in product(alphabet, repeat=2)
                    if unicodedata.normalize("NFC", a + b) != a + b]
        tables = {*chardata.LIGATURES, *chardata.WIDTH_MAP, *chardata.CONTROL_CHARS,
                  *rp._TRANSLATE}
        assert not tables & set(map(ord, alphabet))
        short = [*extra[:8], *extra[-4:], "a", "Z", "1", " ", ".", '"', "'", "-", "<"]
        bad = [a + b + c for a, b, c in product(short, repeat=3) if not unchanged(a + b + c)]
        rng = Random(5)
        weighted = [*ascii_, *extra * 4]
        for _ in range(1500):
            line = "".join(rng.choice(weighted) for _ in range(rng.randint(1, 40)))
            assert rp.repair_line(line) == line
            if not unchanged(line):
                bad.append(line)
        assert not bad
    assert not rp._NEEDS_FIX.search("".join([*ascii_, *rp._PLAIN]))
    assert rp._LETTERED.fullmatch("".join([*ascii_, *rp._LETTERS]))
    assert rp.repair_line("é”s") == ftfy.fix_text("é”s", config=rp._CONFIG)


def _line_kind_plain(line: str) -> str | None:
    """``line_kind`` as it was before its hints: every check, in order, without shortcuts."""
    from consistency.ingest import boilerplate as bp

    if bp._doubled(line):
        return "caption"
    checks = (
        ("heading", lambda s: len(s) <= 60 and not s.endswith(".") and bp._STRONG.fullmatch(s)),
        ("end", lambda s: len(s) <= 400 and bp._END_MARK.fullmatch(s)),
        ("signoff", lambda s: len(s) <= 140 and bp._SIGNOFF.fullmatch(s)),
        ("prompt", lambda s: bp._PROMPTS.fullmatch(s) or bp._UPPER_PROMPT.fullmatch(s)),
        ("credit", lambda s: bp._CREDIT_LINE.fullmatch(s) or bp._CREDIT_END.search(s)),
        ("caption", lambda s: len(s) <= 400 and bp._CAPTION_END.search(s)),
        ("dateline", _parse_dateline_plain),
        ("caption", bp._CAPTION_LABEL.fullmatch),
        ("noise", bp._NOISE.fullmatch),
        ("markup", bp._MARKUP.fullmatch),
        ("tweet", bp._TWEET.fullmatch),
    )
    return next((kind for kind, check in checks if check(line)), None)


def _parse_dateline_plain(line: str) -> object:
    """``parse_dateline`` without its four-digit shortcut."""
    from consistency.ingest import dateline as dl

    if len(line) > 200 or not any(ch.isdigit() for ch in line):
        return None
    match = dl._DATELINE.fullmatch(line)
    if match is None:
        return dl._dateparser_fallback(line)
    value = dl._date_from(match)
    return None if value is None else dl.DateMatch(value, match.start("expr"), match.end("expr"))


# Furniture of every kind, and lines that only look like it; Unicode case folding ("ſ" is an
# "s", the Kelvin sign a "K", "İ" an "i") is where str.lower and re.IGNORECASE differ.
_TRICKY_LINES = [
    "More in Local News", "Related Stories", "Newspapers in English", "Reporting by Ana Li",
    "(Additional reporting by Ana Li; Editing by Tom Ek)", "Copyright 2019 The Courier",
    "© 2020 Courier Media. All rights reserved.", "AP contributed to this report.",
    "PA Media", "- PTI", "(With inputs from agencies)", "Read more: Flood hits town",
    "ALSO READ | Crash kills two", "READ: the full statement", "Sign up for our newsletter",
    "Get the latest headlines in your inbox every morning", "Photo: AFP", "Image caption,",
    "The bridge before the collapse. Photograph: Ana Li/Reuters", "Rescuers at work (AP)",
    "Thursday 19 September 2019", "27/11/2015 13:46 by admin", "Nov 27th 2015 at 1:46 pm EST",
    "???? ??", "* * *", "<div class='x'>", 'style="color: red"', "— Ana Li (@anali) June 1, 2019",
    "Look pic.twitter.com/abc", "ſign up for our newſletter", "ſee alſo: more", "Reporting ᏴY x",
    "REPORTİNG BY Ana", "İNBOX daily", "Kelvin: 2015", "PHOTO: Getty", "Ｒead more: x",
    "Reporting by“Ana”", "“Read more: x”", "Story continues below advertisement", "story",
    "This article is more than 3 years old", "The fire in 2009 killed 12 people.", "",
    "  Reporting by Ana Li", "\tCopyright 2019 X", "(Reporting by Ana Li)", "The Thomson Reuters "
    "Trust Principles.", "Except for the headline, this story has not been edited by X staff",
    "Our Standards: The Thomson Reuters Trust Principles.", "Additional reporting by Tom Ek",
    "With agency inputs from Reuters, AFP", "Reuters, AFP", "- AFP, Reuters", "AP AP AP AP AP AP AP AP",
    "X. (Photo) X. (Photo)" * 2, "a" * 40, "  " + "word " * 10 + "  " + "word " * 10,
]


def _corpus_lines() -> list[str]:
    files = [*SEEDS.glob("*.txt"), *DATA.rglob("*.txt")]
    if STORIES.is_dir():
        files += STORIES.rglob("*.txt")
    lines = {ln.strip() for f in files for ln in f.read_text("utf-8", "replace").splitlines()}
    return sorted(lines | set(_TRICKY_LINES))


def test_boilerplate_word_hints_spelled_out() -> None:
    from consistency.ingest import boilerplate as bp

    for word in bp._WORDS:
        assert bp._has_word(f"x {word} y")
        assert not bp._has_word(f"x {word[:-1]}")


def test_line_kind_matches_the_plain_checks() -> None:
    lines = _corpus_lines()
    lines += [ln.upper() for ln in lines] + [ln[: len(ln) // 2] for ln in lines]
    wrong = [(ln, line_kind(ln), _line_kind_plain(ln)) for ln in lines
             if line_kind(ln) != _line_kind_plain(ln)]
    assert not wrong
    assert {line_kind(ln) for ln in _TRICKY_LINES} >= {
        "heading", "end", "signoff", "prompt", "credit", "caption", "dateline", "noise",
        "markup", "tweet", None}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"aSsſKkKİıi rdby:©(@)<=>?|-.,1290", "Read ", "photo",
                                 "inbox", "2015", "Reporting by ", "ſee also"]), max_size=12)
       .map("".join))
def test_line_kind_matches_the_plain_checks_on_odd_text(line: str) -> None:
    assert line_kind(line) == _line_kind_plain(line)
    assert parse_dateline(line) == _parse_dateline_plain(line)


_SOURCES_TEXTS = [
    "a.txt: {outlet: \"The Courier\", url: https://a.example/news/1, published: 2021-10-07}\n"
    "b.txt: {outlet: Zoë Times, url: https://b.example/x:1, published: null}\n",
    "- file: a.txt\n  outlet: Ana's Daily # a comment\n  title: 'A ''quoted'' title'\n",
    "files:\n  - file: a.txt\n    published: 2015-13-45\n",
    "a.txt:\n  outlet: A\n  outlet: B\n  colour: red\n",
    "a.txt: {title: Why? Nobody knows}\n",  # libyaml reads this; PyYAML refuses it
    "a.txt: {title: !}\n",  # a bare tag: a string for libyaml, null for PyYAML
    "a.txt: {outlet: x\n", "a.txt: [1, 2]\n", "{{{{{{{{{{{{a: b}}}}}}}}}}}}\n", "", "# only\n",
]


@pytest.mark.parametrize("text", _SOURCES_TEXTS)
def test_sources_libyaml_and_python_loaders_agree(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consistency.ingest import sources

    def outcome() -> object:
        try:
            return sources.load_sources(tmp_path)
        except InputError as exc:
            return str(exc)

    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    fast = outcome()
    monkeypatch.setattr(sources, "_C_LOADER", None)
    assert fast == outcome()


def test_sources_libyaml_loader_reads_plain_files() -> None:
    from consistency.ingest import sources

    if sources._C_LOADER is None:
        pytest.skip("PyYAML without libyaml")
    assert sources._FAST_TEXT.fullmatch(_SOURCES_TEXTS[0])
    assert not sources._FAST_TEXT.fullmatch(_SOURCES_TEXTS[4])
    assert not sources._FAST_TEXT.fullmatch(_SOURCES_TEXTS[5])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"aB. \t\r\n\x0b\x0c\x1c\xa0é", "  ", "\u2028", "İ", "ß"]),
                max_size=40).map("".join), st.integers(0, 45))
@example("ab\r\ncd", 2)
@example("ab\r\ncd", 1)
@example("ab \r\ncd", 3)
def test_boilerplate_rows_are_the_clipped_lines(text: str, body_start: int) -> None:
    from consistency.ingest import boilerplate as bp
    from consistency.ingest.lines import normalise, split_lines

    expected = []
    for line in split_lines(text):
        if line.start < body_start < line.end:
            line = line._replace(start=body_start, text=line.text[body_start - line.start :])
        if line.stripped:
            folded = line.stripped.lower() if line.stripped.isascii() else None
            expected.append((line.start, line.end, line.stripped, folded, normalise(line.text)))
    assert [tuple(row) for row in bp._rows(text, body_start)] == expected


_DATELINE_PARTS = st.tuples(
    st.sampled_from(["", "• ", "Published: ", "Mumbai | PTI | Updated: ", "Last Modified ",
                     "Velmouth, ", "03:15PM ", "By ", "| "]),
    st.sampled_from(["", "Thursday ", "Thu, ", "TUESDAY, "]),
    st.sampled_from(["19 September 2019", "Nov 27, 2015", "27/11/2015", "2017-12-29",
                     "2017-12-29T08:00:00Z", "28 Jun, 2018", "13/25/2015", "5th of May 2020"]),
    st.sampled_from(["", " 13:46", " at 1:46 pm", " 5 P.M.", ", 10:00 IST", " 10:00 MSK",
                     " 10:00 WIB", " 10:00 +05:30", " (12:53 IST)", " 13:46 hrs", " 9.30am"]),
    st.sampled_from(["", " by admin", " BY Ana Li", " | Updated 2019", " · AFP", " • x", ".",
                     " and more.", " people died.", ")", " z", "  ", " ſ", "\u212a"]),
)


@settings(max_examples=500, deadline=None)
@given(_DATELINE_PARTS.map("".join))
def test_parse_dateline_matches_the_plain_check(line: str) -> None:
    assert parse_dateline(line) == _parse_dateline_plain(line)
