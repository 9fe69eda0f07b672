"""Fact extraction on real sentences: what is counted, by which outcome, for which event."""

from __future__ import annotations

from datetime import date

import pytest

from consistency.extract import Reference, extract_document
from consistency.ingest import document_from_text
from consistency.models import CasualtyFact, CountFact, EventTimeFact, PersonFact, QuoteFact


def facts_of(text: str, ref: date | None = date(2023, 3, 14)):
    doc = document_from_text(text, doc_id="a")
    return extract_document(doc, Reference(day=ref)).facts


def casualties(text: str) -> list[tuple[str, str, object, object]]:
    return [(f.outcome, f.noun, f.value.low, f.value.high)
            for f in facts_of(text) if isinstance(f, CasualtyFact)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 24 people died and 13 others were injured after the bus fell.",
         [("killed", "people", 24, None), ("injured", "people", 13, 13)]),
        ("Fourteen people including 12 women, most of them in their twenties, were killed.",
         [("killed", "people", 14, 14), ("killed", "woman", 12, 12)]),
        ("The crash killed all 224 people on board.", [("killed", "on-board people", 224, 224)]),
        ("The death toll has risen to 28, police said.", [("killed", "people", 28, 28)]),
        ("11 women were among the dead, police said.", [("killed", "woman", 11, 11)]),
        ("One of the injured was in critical condition.", []),
        ("Seventeen people were killed and 110 injured when the jet overshot the runway.",
         [("killed", "people", 17, 17), ("injured", "people", 110, 110)]),
    ],
)
def test_casualty_outcome_and_counted_group(text: str, expected: list) -> None:
    assert casualties(text) == expected


def test_breakdown_by_place_is_not_the_toll() -> None:
    got = casualties("11 deaths were confirmed in Kozhikode hospitals, and six persons were "
                     "confirmed dead in Malappuram hospitals.")
    assert {noun for _, noun, _, _ in got} == {"people in kozhikode", "people in malappuram"}


def test_counts_name_what_is_counted_and_skip_compound_adjectives() -> None:
    facts = [f for f in facts_of("Police carried out three raids linked to the attack. A "
                                 "12-seater aircraft crashed. Authorities launched a raid on Friday.")
             if isinstance(f, CountFact)]
    assert [(f.noun, f.value.low, f.text) for f in facts] == [
        ("raid", 3, "three raids"), ("raid", 1, "a raid")]


def test_capacity_is_not_a_head_count() -> None:
    facts = [f for f in facts_of("The capacity of the bus was 52 passengers.")
             if isinstance(f, CountFact)]
    assert facts[0].noun == "capacity passenger"


def test_reporting_and_planned_times_are_not_event_times() -> None:
    text = ("The bus crashed just before midnight on Monday, police told AFP on Tuesday. "
            "The flight should have landed at 7.27 pm.")
    times = [f.text for f in facts_of(text, date(2019, 12, 24)) if isinstance(f, EventTimeFact)]
    assert times == ["just before midnight on Monday"]


def test_background_event_labels_keep_tolls_apart() -> None:
    text = ("IS claimed the Nov. 13 shootings in Paris which killed 130 people, and the Oct. 31 "
            "bombing of a jet that claimed 224 lives.")
    events = {f.value.low: f.event for f in facts_of(text, date(2015, 11, 27))
              if isinstance(f, CasualtyFact)}
    assert events == {130: "background 2015-11-13", 224: "background 2015-10-31"}


def test_people_titles_roles_and_pronoun_speakers() -> None:
    text = ("Local police spokesman Dolly Gumara said the bus was full. \"Some people are still "
            "trapped inside the bus,\" she added. Sulbha Arora, a gynaecologist, escaped.")
    facts = facts_of(text)
    people = [(f.text, f.value.role, f.value.gender) for f in facts if isinstance(f, PersonFact)]
    assert ("Local police spokesman Dolly Gumara", "Local police spokesman", None) in people
    assert ("she added", None, "female") in people
    assert ("Sulbha Arora, a gynaecologist", "gynaecologist", None) in people
    quote = next(f for f in facts if isinstance(f, QuoteFact))
    assert quote.value.speaker == "Gumara"


def test_evidence_quotes_the_raw_text_even_after_mojibake_repair() -> None:
    raw = "The blast killed 12 people.Â  Rescuers said 3 were still missing."
    doc = document_from_text(raw, doc_id="a")
    facts = extract_document(doc, Reference(day=None)).facts
    assert facts and all(raw[f.start:f.end] == f.text for f in facts)
