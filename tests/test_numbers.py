"""The number grammar: values as intervals, qualifiers, units, and what is not a number."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency.extract.numbers import QUALIFIERS, NumberMatch, find_numbers, parse_number_phrase

DAY = 86400
WEEK = 7 * DAY
MONTH = 30 * DAY
YEAR = 365 * DAY

# phrase -> (low, high, unit, kind). The first match of the phrase is checked.
CASES: list[tuple[str, float | None, float | None, str | None, str]] = [
    # lower bounds
    ("at least 14 people died", 14, None, None, "count"),
    ("no fewer than 30 passengers", 30, None, None, "count"),
    ("no less than 4 suspects", 4, None, None, "count"),
    ("a minimum of 8 hours", 8 * 3600, None, "s", "duration"),
    ("more than 50 people were hurt", 51, None, None, "count"),
    ("over 100 houses burned", 101, None, None, "count"),
    ("upwards of 300 fans", 301, None, None, "count"),
    ("in excess of 2,000 protesters", 2001, None, None, "count"),
    ("well over 40 vehicles", 41, None, None, "count"),
    ("more than three hours", 3 * 3600, None, "s", "duration"),
    ("over 2 days", 2 * DAY, None, "s", "duration"),
    ("over a dozen ambulances", 13, None, None, "count"),
    ("more than a dozen were injured", 13, None, None, "count"),
    ("more than two dozen houses", 25, None, None, "count"),
    ("50 or more vehicles", 50, None, None, "count"),
    ("a 100-plus crowd", 100, None, None, "count"),
    ("firefighters took at least three hours and more", 3 * 3600, None, "s", "duration"),
    # "nearly" family: counts [ceil(0.8n), n-1], measures [0.8n, n]
    ("nearly 200 people", 160, 199, None, "count"),
    ("almost 40 homes", 32, 39, None, "count"),
    ("close to 1,000 migrants", 800, 999, None, "count"),
    ("just under 60 minutes", 48 * 60, 60 * 60, "s", "duration"),
    ("nearly 3 survivors", 2, 2, None, "count"),
    ("a nearly two-week manhunt", 0.8 * 2 * WEEK, 2 * WEEK, "s", "duration"),
    ("almost 2 weeks after the crash", 0.8 * 2 * WEEK, 2 * WEEK, "s", "duration"),
    # approximately: counts [floor(0.9n), ceil(1.1n)], measures [0.9n, 1.1n]
    ("about 50 villagers", 45, 55, None, "count"),
    ("Around 150 people were inside", 135, 165, None, "count"),
    ("approximately 7 km", 6300, 7700, "m", "measure"),
    ("roughly 20 percent", 18, 22, "%", "percent"),
    ("some 5,000 troops", 4500, 5500, None, "count"),
    ("an estimated 1.5 million people", 1_350_000, 1_650_000, None, "count"),
    ("about an hour", 3240, 3960, "s", "duration"),
    ("ten minutes or so", 540, 660, "s", "duration"),
    ("fifty-odd reporters", 50, 60, None, "count"),
    # upper bounds
    ("up to 80 people", 0, 80, None, "count"),
    ("as many as 300 workers", 0, 300, None, "count"),
    ("at most 5 minutes", 0, 300, "s", "duration"),
    ("no more than 12 boats", 0, 12, None, "count"),
    ("fewer than 10 survivors", 0, 9, None, "count"),
    ("less than three km from the airport", 0, 3000, "m", "measure"),
    ("under 18 months", 0, 18 * MONTH, "s", "duration"),
    ("20 or fewer patients", 0, 20, None, "count"),
    # exact and additive
    ("killed all 224 people on board", 224, 224, None, "count"),
    ("killing all the four people on board", 4, 4, None, "count"),
    ("with only 27 passengers", 27, 27, None, "count"),
    ("exactly 90 seconds", 90, 90, "s", "duration"),
    ("just 3 survivors", 3, 3, None, "count"),
    ("a total of 190 passengers", 190, 190, None, "count"),
    ("Another 13 people were injured", 13, 13, None, "count"),
    ("A further 6 bodies were found", 6, 6, None, "count"),
    ("an additional 40 officers", 40, 40, None, "count"),
    # ranges
    ("10 to 12 hours", 10 * 3600, 12 * 3600, "s", "duration"),
    ("between 300 and 400 soldiers", 300, 400, None, "count"),
    ("15-20 minutes", 900, 1200, "s", "duration"),
    ("15–20 minutes", 900, 1200, "s", "duration"),
    ("two or three buses", 2, 3, None, "count"),
    ("two to three dozen", 24, 36, None, "count"),
    ("1.5-2 million people", 1_500_000, 2_000_000, None, "count"),
    ("about 10-12 boats", 9, 14, None, "count"),
    ("20-25 friends and family", 20, 25, None, "count"),
    # number words
    ("Fourteen people died", 14, 14, None, "count"),
    ("THIRTEEN miners", 13, 13, None, "count"),
    ("twenty-four hours", 24 * 3600, 24 * 3600, "s", "duration"),
    ("twenty four hours", 24 * 3600, 24 * 3600, "s", "duration"),
    ("a hundred volunteers", 100, 100, None, "count"),
    ("two hundred and fifty families", 250, 250, None, "count"),
    ("one thousand two hundred students", 1200, 1200, None, "count"),
    ("3 lakh people", 300_000, 300_000, None, "count"),
    ("2 crore", 20_000_000, 20_000_000, None, "count"),
    ("a dozen boats", 12, 12, None, "count"),
    ("two dozen passengers", 24, 24, None, "count"),
    ("half a dozen cars", 6, 6, None, "count"),
    ("dozens of passengers", 24, None, None, "count"),
    ("scores of people", 40, None, None, "count"),
    ("hundreds of homes", 200, None, None, "count"),
    ("thousands of pilgrims", 2000, None, None, "count"),
    ("tens of thousands of people", 20_000, None, None, "count"),
    ("several hundred residents", 300, 900, None, "count"),
    ("a couple of days", 2 * DAY, 2 * DAY, "s", "duration"),
    ("a few hours", 2 * 3600, 5 * 3600, "s", "duration"),
    ("several weeks", 3 * WEEK, 9 * WEEK, "s", "duration"),
    ("several people", 3, 9, None, "count"),
    ("one of the injured", 1, 1, None, "count"),
    # durations
    ("for 17 seconds", 17, 17, "s", "duration"),
    ("a 17-second intrusion", 17, 17, "s", "duration"),
    ("3.5 hours", 12600, 12600, "s", "duration"),
    ("2 years", 2 * YEAR, 2 * YEAR, "s", "duration"),
    ("a month", MONTH, MONTH, "s", "duration"),
    ("an hour", 3600, 3600, "s", "duration"),
    ("a fortnight", 2 * WEEK, 2 * WEEK, "s", "duration"),
    ("half an hour", 1800, 1800, "s", "duration"),
    ("an hour and a half", 5400, 5400, "s", "duration"),
    ("within one-and-a-half hours", 5400, 5400, "s", "duration"),
    ("two and a half years", 2.5 * YEAR, 2.5 * YEAR, "s", "duration"),
    ("90 mins", 5400, 5400, "s", "duration"),
    # lengths, areas, speeds (lengths in metres)
    ("a 150-metre deep ravine", 150, 150, "m", "measure"),
    ("a 150-meter ravine", 150, 150, "m", "measure"),
    ("a 150m ravine", 150, 150, "m", "measure"),
    ("a (500-foot) ravine", 152.4, 152.4, "m", "measure"),
    ("a 35-meter deep fall", 35, 35, "m", "measure"),
    ("went down 35 ft. into a slope", 10.668, 10.668, "m", "measure"),
    ("plunged 30 feet", 9.144, 9.144, "m", "measure"),
    ("2,700 metres long", 2700, 2700, "m", "measure"),
    ("2.5 km away", 2500, 2500, "m", "measure"),
    ("12 miles", 19312.128, 19312.128, "m", "measure"),
    ("the 37-acre compound", 149733.687629, 149733.687629, "m2", "measure"),
    ("60 km/h", 16.666667, 16.666667, "m/s", "measure"),
    ("1 million tons of food", 1e9, 1e9, "kg", "measure"),
    # percent
    ("5%", 5, 5, "%", "percent"),
    ("5 per cent", 5, 5, "%", "percent"),
    ("five percent", 5, 5, "%", "percent"),
    ("up to 80%", 0, 80, "%", "percent"),
    # money
    ("$5 million", 5_000_000, 5_000_000, "USD", "money"),
    ("$5m", 5_000_000, 5_000_000, "USD", "money"),
    ("Rs 10,000", 10_000, 10_000, "INR", "money"),
    ("Rs. 5 lakh", 500_000, 500_000, "INR", "money"),
    ("Rs5 lakh", 500_000, 500_000, "INR", "money"),
    ("₹500 crore", 5_000_000_000, 5_000_000_000, "INR", "money"),
    ("£3bn", 3_000_000_000, 3_000_000_000, "GBP", "money"),
    ("€2", 2, 2, "EUR", "money"),
    ("US$1.2 billion", 1_200_000_000, 1_200_000_000, "USD", "money"),
    ("5 million dollars", 5_000_000, 5_000_000, "USD", "money"),
    ("10,000 rupees", 10_000, 10_000, "INR", "money"),
    ("more than $2 million", 2_000_000, None, "USD", "money"),
    # count suffixes and ages stay counts
    ("A 12-seater aircraft", 12, 12, None, "count"),
    ("a four-storey building", 4, 4, None, "count"),
    ("a two-member team", 2, 2, None, "count"),
    ("A 26-year-old charter aircraft", 26, 26, None, "count"),
    ("he was 48 years old", 48, 48, None, "count"),
    ("Maria Zuberi, 48, and", 48, 48, None, "count"),
    # grouping, decimals, big year-like counts
    ("1,200 metres", 1200, 1200, "m", "measure"),
    ("3.5 tonnes", 3500, 3500, "kg", "measure"),
    ("2,000 people", 2000, 2000, None, "count"),
    ("2000 people", 2000, 2000, None, "count"),
    ("the 4800 block of Vesper Dr.", 4800, 4800, None, "count"),
    ("3m people", 3_000_000, 3_000_000, None, "count"),
    # ordinals are emitted with their own kind
    ("the 21st floor", 21, 21, None, "ordinal"),
    ("to the second-highest level", 2, 2, None, "ordinal"),
    ("the twenty-first victim", 21, 21, None, "ordinal"),
    ("on the fourth floor", 4, 4, None, "ordinal"),
]


@pytest.mark.parametrize(("phrase", "low", "high", "unit", "kind"), CASES, ids=[c[0] for c in CASES])
def test_phrase_value(phrase, low, high, unit, kind):
    found = find_numbers(phrase)
    assert found, f"no number in {phrase!r}"
    m = found[0]
    assert m.kind == kind
    assert m.value.unit == unit
    assert _close(m.value.low, low), (m.value.low, low)
    assert _close(m.value.high, high), (m.value.high, high)


def test_case_table_is_broad():
    assert len({c[0] for c in CASES}) >= 40


NOT_NUMBERS = [
    # years standing as years
    "in 2014",
    "since 2015, the company",
    "the 2019 elections",
    "In May 2010, a plane",
    "in the 1990s",
    "between 2010 and 2015",
    "in 2019-20",
    # dates
    "the Nov. 13 attacks",
    "on 13 November",
    "December 29, 2017",
    "on Oct 31",
    "24/12/2019",
    "2015-11-27",
    "Thu 28 Jun, 2018",
    "Monday (Dec 23)",
    "Aug 07: ",
    "on the 13th of November",
    "9/11",
    # clock times
    "around 1.15 pm",
    "12:30 am",
    "at 7.40pm",
    "at 1941 hrs Friday",
    "27/11/2015 13:46 by admin",
    "(1600 GMT)",
    "at 0600 hours",
    "7.40 pm to 7.45 pm",
    "between 7.40 and 7.45 pm",
    "at 10am",
    "seven o'clock",
    "12.53 IST",
    # codes
    "the Su-24 bomber",
    "S-400 missiles",
    "flight AXB 1344",
    "flight AXB-1344",
    "the flight IX 1344",
    "the G20 summit",
    "the COVID-19 pandemic",
    "Beechcraft King Air C 90",
    "King Air C90",
    "a Boeing 737",
    "main runway 27",
    "under Section 304",
    "a 4G network",
    "northbound I-5",
    "a 3-0 win",
    "the Boeing 787-10 Dreamliner",
    # phone numbers
    "call +91 98765 43210",
    "022-2345-6789",
    "9876543210",
    # list markers at a line start
    "01 Chartered aircraft crashed",
    "1) Jeet",
    "2. Next item",
    # "one" as a pronoun, "a" on its own, fractions
    "no one was hurt",
    "they blamed one another",
    "one by one",
    "a raid in southern Belgium",
    "a Russian plane",
    "two-thirds of the passengers",
    "a one-sided contest",
]


@pytest.mark.parametrize("phrase", NOT_NUMBERS)
def test_not_a_number(phrase):
    assert find_numbers(phrase) == [], find_numbers(phrase)


def test_spans_and_fields():
    text = "Belgian police said Abdeslam evaded a nearly two-week manhunt without help."
    (m,) = find_numbers(text)
    assert m.text == "nearly two-week" == text[m.start : m.end]
    assert text[m.core_start : m.core_end] == "two-week"
    assert m.qualifier == "nearly"
    assert m.unit_text == "week"
    assert m.value.qualifier == "nearly"
    assert m.value.approximate
    assert m.value.unit == "s"


def test_unit_text_as_written():
    (m,) = find_numbers("a 150-metre (")
    assert m.unit_text == "metre"
    (m,) = find_numbers("35 feet below")
    assert (m.unit_text, m.value.low) == ("feet", 10.668)
    (m,) = find_numbers("the 500-foot ravine")
    assert m.unit_text == "foot"


def test_exact_is_not_approximate():
    value = parse_number_phrase("killed all 224 people on board")
    assert value is not None and value.exact and not value.approximate
    assert value.qualifier == "all"


def test_sentence_with_mixed_numbers():
    text = (
        "IS claimed the Nov. 13 attacks in Paris, which killed 130 people, and the downing of a "
        "Russian plane on Oct. 31 that killed all 224 people on board; Turkey said the Su-24 "
        "flew into its airspace for 17 seconds."
    )
    got = [(m.text, m.value.low, m.value.high, m.kind) for m in find_numbers(text)]
    assert got == [
        ("130", 130, 130, "count"),
        ("all 224", 224, 224, "count"),
        ("17 seconds", 17, 17, "duration"),
    ]


def test_real_lines():
    text = (
        "Here's what we know so far: 01 Chartered aircraft crashed A 12-seater chartered aircraft "
        "crashed on Thursday around 1.15 pm. 02 5 killed All the four occupants on board died."
    )
    got = [(m.text, m.value.low) for m in find_numbers(text)]
    assert got == [("12-seater", 12), ("5", 5), ("All the four", 4)]


def test_change_is_two_numbers_not_a_range():
    got = [(m.text, m.value.low, m.value.high) for m in find_numbers("the toll rose from 24 to 28")]
    assert got == [("24", 24, 24), ("28", 28, 28)]
    got = [(m.text, m.value.low, m.value.high) for m in find_numbers("14 and 15 people")]
    assert got == [("14", 14, 14), ("15", 15, 15)]


def test_two_currencies():
    got = [(m.text, m.value.low, m.value.unit) for m in find_numbers("$5 million and Rs 5 lakh")]
    assert got == [("$5 million", 5_000_000, "USD"), ("Rs 5 lakh", 500_000, "INR")]


def test_pounds_of_is_mass():
    (m,) = find_numbers("500 pounds of explosives")
    assert (m.kind, m.value.unit) == ("measure", "kg")
    (m,) = find_numbers("fined 500 pounds")
    assert (m.kind, m.value.unit) == ("money", "GBP")


def test_parse_number_phrase_none():
    assert parse_number_phrase("no numbers here") is None
    assert parse_number_phrase("") is None


def test_every_qualifier_word_is_read():
    for qualifier, category in QUALIFIERS.items():
        if category == "between":
            continue
        text = f"{qualifier} 40 people"
        found = find_numbers(text)
        assert found and found[0].qualifier == qualifier, (qualifier, found)
        assert found[0].start == 0 and found[0].end == len(text) - len(" people")


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_VOCAB = [
    "at least", "more than", "nearly", "about", "up to", "fewer than", "all", "only", "another",
    "between", "and", "to", "or", "more", "so", "-", "–", "plus", "+", "odd", "a", "an", "the",
    "one", "two", "twenty-four", "hundred", "thousand", "million", "lakh", "crore", "dozen",
    "dozens", "of", "several", "few", "couple", "half", "people", "hours", "hour", "week",
    "-week", "metres", "m", "km", "feet", "ft", "%", "per cent", "$", "£", "Rs", "Rs.", "₹",
    "bn", "Nov.", "13", "December", "2019", "2014", "1,200", "3.5", "224", "0", "01", "07",
    "1.15", "pm", "12:30", "am", "hrs", "GMT", "Su-24", "AXB", "1344", "(", ")", ",", ".", ":",
    "/", "\n", "1)", "no", "by", "from", "rose", "1st", "second", "-year-old", "seater", "é",
    "ſ", "K", "\u00a0",
]


def _joined(parts: list[str]) -> str:
    return " ".join(parts)


texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_VOCAB), max_size=30).map(_joined),
    st.lists(st.sampled_from(_VOCAB), max_size=30).map("".join),
    st.lists(st.one_of(st.sampled_from(_VOCAB), st.text(max_size=4)), max_size=20).map(_joined),
)


def _check_invariants(text: str, found: list[NumberMatch]) -> None:
    prev_end = 0
    for m in found:
        assert m.start < m.end
        assert m.text == text[m.start : m.end]
        assert m.start >= prev_end, "overlap or unsorted"
        assert m.start <= m.core_start < m.core_end <= m.end
        lo, hi = m.value.low, m.value.high
        if lo is not None and hi is not None:
            assert lo <= hi, (m, text)
        for x in (lo, hi):
            assert x is None or math.isfinite(x)
        prev_end = m.end


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_find_numbers_invariants(text):
    _check_invariants(text, find_numbers(text))


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + _words(rest))
    raise ValueError(n)


def _expected(qualifier: str, n: int) -> tuple[int | None, int | None]:
    category = QUALIFIERS[qualifier]
    if category == "min":
        return n, None
    if category == "gt":
        return n + 1, None
    if category == "near":
        return min(math.ceil(0.8 * n - 1e-9), n - 1), n - 1
    if category == "approx":
        return (9 * n) // 10, -((-11 * n) // 10)
    if category == "max":
        return 0, n
    if category == "lt":
        return 0, n - 1
    return n, n  # exact, additive


_QUALS = sorted(q for q, c in QUALIFIERS.items() if c != "between")


@settings(max_examples=300, deadline=None)
@given(
    qualifier=st.sampled_from(_QUALS),
    n=st.integers(min_value=2, max_value=999_999),
    style=st.sampled_from(["digits", "comma", "words", "Capital"]),
    noun=st.sampled_from(["people", "passengers", "houses", "soldiers"]),
)
def test_qualifier_round_trip(qualifier, n, style, noun):
    if style == "comma":
        number = f"{n:,}"
    elif style in ("words", "Capital") and n < 1000:
        number = _words(n)
    else:
        number = str(n)
    phrase = f"{qualifier} {number} {noun}"
    if style == "Capital":
        phrase = phrase[0].upper() + phrase[1:]
    found = find_numbers(f"Police said {phrase} were affected.")
    assert len(found) == 1, (phrase, found)
    m = found[0]
    assert m.text.lower() == f"{qualifier} {number}".lower()
    assert (m.value.low, m.value.high) == _expected(qualifier, n)
    assert m.qualifier == qualifier
    assert m.kind == "count"


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=500),
    unit=st.sampled_from(
        [("seconds", 1), ("minutes", 60), ("hours", 3600), ("days", DAY), ("weeks", WEEK)]
    ),
    hyphen=st.booleans(),
)
def test_duration_round_trip(n, unit, hyphen):
    word, seconds = unit
    phrase = f"{n}-{word[:-1]}" if hyphen else f"{n} {word}"
    (m,) = find_numbers(f"a {phrase} wait")
    assert (m.value.low, m.value.high, m.value.unit, m.kind) == (
        n * seconds,
        n * seconds,
        "s",
        "duration",
    )


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
