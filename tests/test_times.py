"""The time grammar: phrasings → intervals, roles, anchors; properties of find_times."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract.times import (
    AFTER_WINDOW,
    APPROX_EXTRA,
    BEFORE_WINDOW,
    EXACT_CLOCK_TOLERANCE,
    ROUND_CLOCK_TOLERANCE,
    TimeMatch,
    find_times,
    resolve_weekday,
)

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT.parent / "shared" / "stories"

PARIS = date(2015, 11, 27)  # a Friday
MUMBAI = date(2017, 12, 29)  # a Friday
SUMATRA = date(2019, 12, 24)  # a Tuesday
KERALA = date(2020, 8, 8)  # a Saturday


def dt(s: str) -> datetime:
    return datetime.fromisoformat(s)


def day(s: str) -> tuple[datetime, datetime]:
    d = dt(s)
    return d, d + timedelta(days=1)


def only(text: str, ref: date | None, anchor: str = "document") -> TimeMatch:
    found = find_times(text, ref, anchor=anchor)  # type: ignore[arg-type]
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def find(text: str, ref: date | None, phrase: str) -> TimeMatch:
    """The match whose text is exactly ``phrase``."""
    found = find_times(text, ref)
    for m in found:
        if m.text == phrase:
            return m
    raise AssertionError(f"{phrase!r} not among {[m.text for m in found]}")


def overlap(a: TimeMatch, b: TimeMatch) -> bool:
    assert a.value.start and a.value.end and b.value.start and b.value.end
    return a.value.start < b.value.end and b.value.start < a.value.end


# ---------------------------------------------------------------------------------------------
# The table: sentence, reference, expected match text, [start, end), granularity, role
# ---------------------------------------------------------------------------------------------

# fmt: off
CASES = [
    # absolute and year-less dates
    ("IS claimed the Nov. 13 attacks in Paris.", PARIS, "Nov. 13", *day("2015-11-13"), "day", "point"),
    ("IS claimed the November 13 attacks.", PARIS, "November 13", *day("2015-11-13"), "day", "point"),
    ("The Nov 13 attacks.", PARIS, "Nov 13", *day("2015-11-13"), "day", "point"),
    ("A plane downed on Oct. 31 over Sinai.", PARIS, "on Oct. 31", *day("2015-10-31"), "day", "point"),
    ("Attacks on 13 November 2015 killed 130.", PARIS, "on 13 November 2015", *day("2015-11-13"), "day", "point"),
    ("Attacks on November 13, 2015 killed 130.", PARIS, "on November 13, 2015", *day("2015-11-13"), "day", "point"),
    ("date 2015-11-27 Moscow:", PARIS, "2015-11-27", *day("2015-11-27"), "day", "point"),
    ("Posted 27/11/2015 by admin", None, "27/11/2015", *day("2015-11-27"), "day", "point"),
    ("The pact was signed on 5 March.", PARIS, "on 5 March", *day("2015-03-05"), "day", "point"),
    ("It happened on Dec 30.", date(2016, 1, 2), "on Dec 30", *day("2015-12-30"), "day", "point"),
    ("It is due on Jan 3.", date(2015, 12, 30), "on Jan 3", *day("2016-01-03"), "day", "point"),
    ("It happened on Dec 20.", date(2015, 11, 27), "on Dec 20", *day("2015-12-20"), "day", "point"),
    ("It happened on Feb 10.", date(2015, 11, 27), "on Feb 10", *day("2015-02-10"), "day", "point"),
    ("Elections will be held on March 5.", PARIS, "on March 5", *day("2016-03-05"), "day", "point"),
    ("The curfew lasts until June.", PARIS, "until June", dt("2016-06-01"), dt("2016-07-01"), "month", "until"),
    ("The crash on Dec 24, 2019 killed 35.", SUMATRA, "on Dec 24, 2019", *day("2019-12-24"), "day", "point"),
    ("Fire on Friday 29 December", MUMBAI, "on Friday 29 December", *day("2017-12-29"), "day", "point"),
    ("It crashed on Monday (Dec 23).", SUMATRA, "on Monday (Dec 23)", *day("2019-12-23"), "day", "point"),
    ("Elections were held in November.", PARIS, "in November", dt("2015-11-01"), dt("2015-12-01"), "month", "point"),
    ("A bus fell in September, killing 21.", SUMATRA, "in September", dt("2019-09-01"), dt("2019-10-01"), "month", "point"),
    ("Figures for November 2015 show", PARIS, "November 2015", dt("2015-11-01"), dt("2015-12-01"), "month", "point"),
    ("The plane was sold in 2014.", PARIS, "in 2014", dt("2014-01-01"), dt("2015-01-01"), "year", "point"),
    ("Growth slowed in mid-November.", PARIS, "in mid-November", dt("2015-11-08"), dt("2015-11-24"), "month", "point"),
    # weekdays against the reference
    ("Turkey downed a warplane on Tuesday.", PARIS, "on Tuesday", *day("2015-11-24"), "day", "point"),
    ("The presidents agreed on Thursday.", PARIS, "on Thursday", *day("2015-11-26"), "day", "point"),
    ("The meeting was held on Friday.", PARIS, "on Friday", *day("2015-11-27"), "day", "point"),
    ("Hollande said Tuesday's shoot-down was regrettable.", PARIS, "Tuesday's", *day("2015-11-24"), "day", "point"),
    ("Subways are to reopen fully on Sunday.", PARIS, "on Sunday", *day("2015-11-29"), "day", "point"),
    ("Subways will reopen on Friday.", PARIS, "on Friday", *day("2015-11-27"), "day", "point"),
    ("They meet next Tuesday.", PARIS, "next Tuesday", *day("2015-12-01"), "day", "point"),
    ("They meet next Friday.", PARIS, "next Friday", *day("2015-12-04"), "day", "point"),
    ("They met last Friday.", PARIS, "last Friday", *day("2015-11-20"), "day", "point"),
    ("They met last Tuesday.", PARIS, "last Tuesday", *day("2015-11-24"), "day", "point"),
    ("The team is due to arrive on Monday.", PARIS, "on Monday", *day("2015-11-30"), "day", "point"),
    ("The search would be resumed on Wednesday morning.", SUMATRA, "on Wednesday morning", dt("2019-12-25 06:00"), dt("2019-12-25 12:00"), "part_of_day", "point"),
    ("It was downed by NATO member Turkey on Tuesday.", PARIS, "on Tuesday", *day("2015-11-24"), "day", "point"),
    # parts of the day
    ("A raid on Thursday afternoon found nothing.", PARIS, "on Thursday afternoon", dt("2015-11-26 12:00"), dt("2015-11-26 18:30"), "part_of_day", "point"),
    ("The fire started late on Wednesday evening.", MUMBAI, "late on Wednesday evening", dt("2017-12-27 20:00"), dt("2017-12-28 01:00"), "part_of_day", "point"),
    ("A fire engulfed a restaurant late Thursday night.", MUMBAI, "late Thursday night", dt("2017-12-28 22:00"), dt("2017-12-29 05:00"), "part_of_day", "point"),
    ("Killed late on Thursday evening.", MUMBAI, "late on Thursday evening", dt("2017-12-28 20:00"), dt("2017-12-29 01:00"), "part_of_day", "point"),
    ("Starting in the early hours of Friday (29 December), the fire spread.", MUMBAI, "in the early hours of Friday (29 December)", dt("2017-12-29 00:00"), dt("2017-12-29 06:00"), "part_of_day", "point"),
    ("The plane crashed on Friday night.", KERALA, "on Friday night", dt("2020-08-07 18:00"), dt("2020-08-08 05:00"), "part_of_day", "point"),
    ("It crashed late on Friday (Aug 7).", KERALA, "late on Friday (Aug 7)", dt("2020-08-07 18:00"), dt("2020-08-08 03:00"), "part_of_day", "point"),
    ("Investigators leave early Saturday.", KERALA, "early Saturday", dt("2020-08-08 00:00"), dt("2020-08-08 12:00"), "part_of_day", "point"),
    ("Police said the bus fell yesterday morning.", SUMATRA, "yesterday morning", dt("2019-12-23 06:00"), dt("2019-12-23 12:00"), "part_of_day", "point"),
    ("It rained heavily last night.", SUMATRA, "last night", dt("2019-12-23 18:00"), dt("2019-12-24 05:00"), "part_of_day", "point"),
    ("on the night of December 28", MUMBAI, "on the night of December 28", dt("2017-12-28 18:00"), dt("2017-12-29 05:00"), "part_of_day", "point"),
    # midnight
    ("It plunged just before midnight (1600 GMT) on Monday (Dec 23) into a ravine.", SUMATRA, "just before midnight (1600 GMT) on Monday (Dec 23)", dt("2019-12-23 23:00"), dt("2019-12-24 00:00"), "part_of_day", "point"),
    ("The accident occurred just before midnight on Monday.", SUMATRA, "just before midnight on Monday", dt("2019-12-23 23:00"), dt("2019-12-24 00:00"), "part_of_day", "point"),
    ("It occurred shortly before midnight local time.", SUMATRA, "shortly before midnight local time", dt("2019-12-23 23:00"), dt("2019-12-24 00:00"), "part_of_day", "point"),
    ("Shots were heard shortly after midnight on Monday.", SUMATRA, "shortly after midnight on Monday", dt("2019-12-23 00:00"), dt("2019-12-23 01:00"), "part_of_day", "point"),
    ("Rescue work got over at midnight.", KERALA, "at midnight", dt("2020-08-07 23:59"), dt("2020-08-08 00:01"), "minute", "point"),
    # clock times and their tolerance
    ("The fire started at 12.30am.", MUMBAI, "at 12.30am", dt("2017-12-29 00:25"), dt("2017-12-29 00:35"), "minute", "point"),
    ("A call came around 12:30 am.", MUMBAI, "around 12:30 am", dt("2017-12-29 00:20"), dt("2017-12-29 00:40"), "minute", "point"),
    ("The fire started after 12:30 am at the pub.", MUMBAI, "after 12:30 am", dt("2017-12-29 00:30"), dt("2017-12-29 01:00"), "minute", "after"),
    ("It was under control at 6.30 am on Friday.", MUMBAI, "at 6.30 am on Friday", dt("2017-12-29 06:25"), dt("2017-12-29 06:35"), "minute", "point"),
    ("It crashed on Thursday around 1.15 pm.", date(2018, 6, 29), "on Thursday around 1.15 pm", dt("2018-06-28 13:05"), dt("2018-06-28 13:25"), "minute", "point"),
    ("It split in two at 7.41pm on Friday.", KERALA, "at 7.41pm on Friday", dt("2020-08-07 19:40"), dt("2020-08-07 19:43"), "minute", "point"),
    ("It overshot at 1941 hrs Friday night.", KERALA, "at 1941 hrs Friday night", dt("2020-08-07 19:40"), dt("2020-08-07 19:43"), "minute", "point"),
    ("It landed at around 7.40 pm to 7.45 pm.", KERALA, "at around 7.40 pm to 7.45 pm", dt("2020-08-08 19:30"), dt("2020-08-08 19:55"), "minute", "point"),
    ("It landed 7.40 pm to 7.45 pm.", KERALA, "7.40 pm to 7.45 pm", dt("2020-08-08 19:35"), dt("2020-08-08 19:50"), "minute", "point"),
    ("Landing was due at 19:41 IST.", KERALA, "at 19:41 IST", dt("2020-08-08 19:40"), dt("2020-08-08 19:43"), "minute", "point"),
    ("It ended at 1:15 p.m. sharp", KERALA, "at 1:15 p.m.", dt("2020-08-08 13:10"), dt("2020-08-08 13:20"), "minute", "point"),
    ("Posted 27/11/2015 13:46 by admin", PARIS, "27/11/2015 13:46", dt("2015-11-27 13:45"), dt("2015-11-27 13:48"), "minute", "point"),
    ("Doors open at 5 pm.", KERALA, "at 5 pm", dt("2020-08-08 16:55"), dt("2020-08-08 17:05"), "hour", "point"),
    ("Lunch was at noon on Tuesday.", PARIS, "at noon on Tuesday", dt("2015-11-24 11:55"), dt("2015-11-24 12:05"), "minute", "point"),
    ("The fire was controlled by 1.40 pm.", date(2018, 6, 28), "by 1.40 pm", dt("2018-06-28 13:35"), dt("2018-06-28 13:45"), "minute", "by"),
    ("Shops close before 6 pm.", PARIS, "before 6 pm", dt("2015-11-27 17:30"), dt("2015-11-27 18:00"), "hour", "before"),
    # until / through / since / by
    ("It would likely keep the highest threat level until Monday.", PARIS, "until Monday", *day("2015-11-30"), "day", "until"),
    ("It would keep the highest threat level in the capital through the weekend.", PARIS, "through the weekend", dt("2015-11-28"), dt("2015-11-30"), "weekend", "through"),
    ("Since Saturday morning, Brussels had been wary.", PARIS, "Since Saturday morning", dt("2015-11-21 06:00"), dt("2015-11-21 12:00"), "part_of_day", "since"),
    ("The alert holds until Monday morning.", PARIS, "until Monday morning", dt("2015-11-30 06:00"), dt("2015-11-30 12:00"), "part_of_day", "until"),
    ("Results are expected by Friday.", date(2015, 11, 25), "by Friday", *day("2015-11-27"), "day", "by"),
    ("Rain fell through Sunday.", PARIS, "through Sunday", *day("2015-11-22"), "day", "through"),
    ("The search went on throughout Sunday.", PARIS, "throughout Sunday", *day("2015-11-22"), "day", "through"),
    ("Buses run from Monday onwards.", PARIS, "from Monday onwards", *day("2015-11-30"), "day", "since"),
    ("The law applies until 2030.", PARIS, "until 2030", dt("2030-01-01"), dt("2031-01-01"), "year", "until"),
    # relative days, weeks, weekends
    ("Last week, Hollande called for a coalition.", PARIS, "Last week", dt("2015-11-16"), dt("2015-11-23"), "week", "point"),
    ("He met Obama this week.", PARIS, "this week", dt("2015-11-23"), dt("2015-11-30"), "week", "point"),
    ("They meet again next week.", PARIS, "next week", dt("2015-11-30"), dt("2015-12-07"), "week", "point"),
    ("Police arrested two men yesterday.", PARIS, "yesterday", *day("2015-11-26"), "day", "point"),
    ("Schools reopen tomorrow.", PARIS, "tomorrow", *day("2015-11-28"), "day", "point"),
    ("The shoot-down happened three days ago.", PARIS, "three days ago", *day("2015-11-24"), "day", "point"),
    ("The manhunt began two weeks ago.", PARIS, "two weeks ago", dt("2015-11-09"), dt("2015-11-16"), "week", "point"),
    ("It was bought two years ago.", date(2018, 6, 28), "two years ago", dt("2016-01-01"), dt("2017-01-01"), "year", "point"),
    ("Crowds gathered over the weekend.", date(2015, 11, 25), "over the weekend", dt("2015-11-21"), dt("2015-11-23"), "weekend", "point"),
    ("Crowds will gather over the weekend.", date(2015, 11, 25), "over the weekend", dt("2015-11-28"), dt("2015-11-30"), "weekend", "point"),
    ("Crowds gathered this weekend.", KERALA, "this weekend", dt("2020-08-08"), dt("2020-08-10"), "weekend", "point"),
    ("Crowds gathered last weekend.", KERALA, "last weekend", dt("2020-08-01"), dt("2020-08-03"), "weekend", "point"),
]
# fmt: on


@pytest.mark.parametrize(
    ("sentence", "ref", "phrase", "start", "end", "granularity", "role"),
    CASES,
    ids=[c[2] for c in CASES],
)
def test_phrasings(sentence, ref, phrase, start, end, granularity, role):
    m = find(sentence, ref, phrase)
    assert sentence[m.start : m.end] == m.text == phrase
    assert (m.value.start, m.value.end) == (start, end)
    assert m.value.granularity == granularity
    assert m.role == role
    assert m.value.reference == ref


def test_table_is_broad():
    assert len({c[2] for c in CASES}) >= 40


# ---------------------------------------------------------------------------------------------
# Anchors, relative flag, weekday, reference None, consensus
# ---------------------------------------------------------------------------------------------


def test_absolute_date_is_absolute():
    m = only("Attacks on 13 November 2015 killed 130.", PARIS)
    assert m.value.anchor == "absolute" and not m.relative and not m.value.inferred


def test_relative_weekday_is_document_anchored():
    m = only("They met on Tuesday.", PARIS)
    assert m.value.anchor == "document" and m.relative and m.value.weekday == 1
    assert not m.value.inferred


@pytest.mark.parametrize(
    "sentence",
    [
        "They met on Tuesday.",
        "It happened on Nov. 13.",
        "It happened yesterday.",
        "It happened last week.",
        "It happened at 7.40pm.",
        "It happened in September.",
        "It happened two days ago.",
        "It happened over the weekend.",
    ],
)
def test_reference_none_leaves_relative_unresolved(sentence):
    m = only(sentence, None)
    assert m.relative
    assert m.value.anchor == "unresolved"
    assert m.value.start is None and m.value.end is None
    assert m.value.reference is None


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("Attacks on 13 November 2015.", dt("2015-11-13")),
        ("In 2014 it was sold.", dt("2014-01-01")),
        ("date 2015-11-27", dt("2015-11-27")),
        ("Published 27/11/2015 13:46", dt("2015-11-27 13:45")),
    ],
)
def test_reference_none_still_resolves_absolute(sentence, start):
    m = only(sentence, None)
    assert m.value.anchor == "absolute" and not m.relative
    assert m.value.start == start


def test_consensus_anchor_marks_relative_values_inferred():
    m = only("They met on Tuesday.", PARIS, anchor="consensus")
    assert m.value.anchor == "consensus" and m.value.inferred
    assert m.value.start == dt("2015-11-24")
    a = only("Attacks on 13 November 2015.", PARIS, anchor="consensus")
    assert a.value.anchor == "absolute" and not a.value.inferred


def test_weekday_with_disagreeing_date_keeps_both():
    m = only("The crash happened on Tuesday, December 23, 2019.", SUMATRA)
    assert m.value.start == dt("2019-12-23")  # the date wins
    assert m.value.weekday == 1  # the named weekday is kept for a rule to flag
    assert m.value.start.weekday() == 0


def test_year_less_date_with_weekday_is_relative():
    m = only("It crashed on Monday (Dec 23).", SUMATRA)
    assert m.relative and m.value.weekday == 0 and m.value.anchor == "document"


# ---------------------------------------------------------------------------------------------
# Real stories: agreements and disagreements the rules rely on
# ---------------------------------------------------------------------------------------------


def test_abbreviated_and_full_month_are_identical():
    a = only("the Nov. 13 attacks", PARIS)
    b = only("the November 13 attacks", PARIS)
    assert a.value == b.value


def test_fire_weekday_story():
    wed = only("The fire started late on Wednesday evening.", MUMBAI)
    thu = only("A fire engulfed the restaurant late Thursday night.", MUMBAI)
    fri = only("Starting in the early hours of Friday (29 December), the fire spread.", MUMBAI)
    assert overlap(thu, fri)
    assert not overlap(wed, thu)
    assert not overlap(wed, fri)


def test_start_time_trap_agrees():
    around = only("around 12:30 am", MUMBAI)
    plain = only("The fire started at 12.30am and spread.", MUMBAI)
    after = only("The fire started after 12:30 am at the pub.", MUMBAI)
    assert overlap(around, plain) and overlap(around, after) and overlap(plain, after)


def test_crash_time_trap_agrees():
    texts = [
        "at around 7.40pm on Friday",
        "7.40 pm to 7.45 pm on Friday",
        "at 7.41pm on Friday",
        "at 1941 hrs Friday night",
    ]
    found = [only(t, KERALA) for t in texts]
    for a in found:
        for b in found:
            assert overlap(a, b), (a.text, b.text)


def test_before_midnight_variants_are_equal():
    just = only("It crashed just before midnight on Monday.", SUMATRA)
    shortly = only("It crashed shortly before midnight on Monday.", SUMATRA)
    bare = only("It crashed shortly before midnight.", SUMATRA)
    assert just.value == shortly.value
    assert (bare.value.start, bare.value.end) == (just.value.start, just.value.end)
    assert bare.value.granularity == just.value.granularity == "part_of_day"


def test_until_monday_and_through_the_weekend_do_not_overlap():
    until = only("it would keep the highest threat level until Monday", PARIS)
    through = only("it would keep the highest threat level through the weekend", PARIS)
    assert until.value.start == through.value.end  # Monday starts where the weekend ends


def test_seed_articles():
    seeds = ROOT / "seeds"
    pti = (seeds / "001_e64b0a060a4b4366.txt").read_text(encoding="utf-8")
    got = {m.text: m for m in find_times(pti, PARIS)}
    assert got["on Tuesday"].value.start == dt("2015-11-24")
    assert got["on Thursday"].value.start == dt("2015-11-26")
    assert got["Nov. 13"].value.start == dt("2015-11-13")
    assert got["Oct. 31"].value.start == dt("2015-10-31")
    assert got["until Monday"].value.start == dt("2015-11-30")
    assert got["until Monday"].role == "until"
    assert got["27/11/2015 13:46"].value.anchor == "absolute"
    ap = (seeds / "004_ca40ce0fe07d6a30.txt").read_text(encoding="utf-8")
    got = {m.text: m for m in find_times(ap, PARIS)}
    assert (got["through the weekend"].value.start, got["through the weekend"].value.end) == (
        dt("2015-11-28"),
        dt("2015-11-30"),
    )
    assert got["Since Saturday morning"].value.start == dt("2015-11-21 06:00")
    assert got["Tuesday’s"].value.start == dt("2015-11-24")
    assert got["on Thursday afternoon"].value.start == dt("2015-11-26 12:00")


@pytest.mark.skipif(not STORIES.is_dir(), reason="shared stories not present")
def test_shared_stories():
    def load(story: str, name: str) -> str:
        return (STORIES / story / f"{name}.txt").read_text(encoding="utf-8")

    fire = "2017-mumbai-kamala-mills-fire"
    ibt = {m.text: m for m in find_times(load(fire, "ibtimes"), MUMBAI)}
    ht = {m.text: m for m in find_times(load(fire, "hindustantimes"), MUMBAI)}
    ndtv = {m.text: m for m in find_times(load(fire, "ndtv"), MUMBAI)}
    assert overlap(ht["late Thursday night"], ibt["in the early hours of Friday (29 December)"])
    assert not overlap(ndtv["late on Wednesday evening"], ht["late Thursday night"])
    bus = "2019-south-sumatra-bus-ravine"
    afp = {m.text: m for m in find_times(load(bus, "asiaone_afp"), SUMATRA)}
    m = afp["just before midnight (1600 GMT) on Monday (Dec 23)"]
    assert (m.value.start, m.value.end) == (dt("2019-12-23 23:00"), dt("2019-12-24 00:00"))


# ---------------------------------------------------------------------------------------------
# Tolerance constants
# ---------------------------------------------------------------------------------------------


def test_tolerance_constants():
    five, one, two = timedelta(minutes=5), timedelta(minutes=1), timedelta(minutes=2)
    assert (five, five) == ROUND_CLOCK_TOLERANCE
    assert (one, two) == EXACT_CLOCK_TOLERANCE
    assert five == APPROX_EXTRA
    assert timedelta(minutes=30) == AFTER_WINDOW == BEFORE_WINDOW
    a = only("at 7.40pm", KERALA)
    b = only("at 7.41pm", KERALA)
    assert overlap(a, b)


# ---------------------------------------------------------------------------------------------
# Negatives
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "There may be more victims.",
        "They may return.",
        "Thousands joined a march through the city.",
        "The march began peacefully.",
        "It was the second attack.",
        "The threat level was lowered to the second-highest level.",
        "It flew into its airspace for 17 seconds.",
        "The manhunt lasted two weeks.",
        "The Sunday Times reported the story.",
        "The Mail on Sunday said so.",
        "Prayers are held every Friday.",
        "Theresa May said she would resign.",
        "It was criticised by May and her cabinet.",
        "Some 1,200 people and 224 passengers.",
        "The 1990s were different.",
        "He scored 3.5 points.",
        "We will fight.",
        "A nearly two-week manhunt continued.",
        "A pensioner fell at Saturday market.",
        "Rescuers worked through the night.",
        "In the morning, the roads were closed.",
        "The attack happened in the early hours.",
    ],
)
def test_negatives(sentence):
    assert find_times(sentence, PARIS) == []


def test_possessive_weekday_is_a_time():
    m = only("Wednesday's game was cancelled.", PARIS)
    assert m.value.start == dt("2015-11-25") and m.role == "point"


def test_two_days_after_something_is_unresolved():
    m = only("The visit comes two days after he met Obama.", PARIS)
    assert m.text == "two days after" and m.value.anchor == "unresolved"
    assert m.value.start is None and m.relative


def test_two_days_after_a_date_is_resolved():
    m = only("He left two days after Nov. 13.", PARIS)
    assert m.value.start == dt("2015-11-15")


# ---------------------------------------------------------------------------------------------
# resolve_weekday
# ---------------------------------------------------------------------------------------------


def test_resolve_weekday():
    assert resolve_weekday(1, PARIS, "past") == date(2015, 11, 24)
    assert resolve_weekday(4, PARIS, "past") == PARIS
    assert resolve_weekday(4, PARIS, "future") == PARIS
    assert resolve_weekday(0, PARIS, "future") == date(2015, 11, 30)
    assert resolve_weekday(3, PARIS, "nearest") == date(2015, 11, 26)
    assert resolve_weekday(6, PARIS, "nearest") == date(2015, 11, 29)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
VOCAB = [
    "on",
    "late",
    "early",
    "Tuesday",
    "Friday's",
    "night",
    "evening",
    "morning",
    "the",
    "of",
    "hours",
    "early hours",
    "(",
    ")",
    ",",
    "29 December",
    "Dec 23",
    "Nov.",
    "13",
    "2015",
    "12:30",
    "am",
    "pm",
    "7.40",
    "to",
    "around",
    "after",
    "before",
    "just",
    "midnight",
    "until",
    "through",
    "weekend",
    "last",
    "next",
    "this",
    "week",
    "ago",
    "two",
    "days",
    "since",
    "by",
    "1941 hrs",
    "GMT",
    "in",
    "May",
    "March",
    "may",
    "yesterday",
    "tonight",
    "will",
    "would",
    ".",
    "2015-11-27",
    "27/11/2015",
    "noon",
    "from",
    "onwards",
    "local time",
    "a few",
    "years",
]
vocab_text = st.lists(st.sampled_from(VOCAB), max_size=30).map(" ".join)
any_text = st.one_of(st.text(max_size=300), vocab_text)
references = st.one_of(st.none(), st.dates())
anchors = st.sampled_from(["document", "consensus"])


def check_invariants(text: str, found: list[TimeMatch]) -> None:
    prev_end = -1
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.start < m.end
        assert m.start >= prev_end  # sorted, non-overlapping
        prev_end = m.end
        v = m.value
        if v.start is not None or v.end is not None:
            assert v.start is not None and v.end is not None and v.start < v.end
        if v.anchor == "unresolved":
            assert v.start is None and v.end is None


@settings(max_examples=300, deadline=None)
@given(text=any_text, ref=references, anchor=anchors)
def test_never_raises_and_spans_are_exact(text, ref, anchor):
    found = find_times(text, ref, anchor=anchor)
    check_invariants(text, found)
    for m in found:
        assert m.value.reference == ref


@settings(max_examples=200, deadline=None)
@given(text=vocab_text, ref=st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)))
def test_deterministic(text, ref):
    assert find_times(text, ref) == find_times(text, ref)


@settings(max_examples=300, deadline=None)
@given(
    weekday=st.integers(0, 6),
    ref=st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)),
    cue=st.sampled_from(
        [
            "on",
            "until",
            "next",
            "last",
            "by",
            "since",
            "this",
            "this coming",
            "will meet on",
            "met on",
            "late on",
            "",
        ]
    ),
    part=st.sampled_from(["", " morning", " night", " afternoon"]),
)
def test_weekday_lands_on_named_day_within_a_week(weekday, ref, cue, part):
    text = f"They {cue} {WEEKDAY_NAMES[weekday]}{part}."
    m = only(text, ref)
    assert m.value.weekday == weekday
    assert m.value.start is not None
    d = m.value.start.date()
    assert d.weekday() == weekday
    assert abs((d - ref).days) <= 7


@settings(max_examples=200, deadline=None)
@given(
    weekday=st.integers(0, 6),
    ref=st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)),
    direction=st.sampled_from(["past", "future", "nearest"]),
)
def test_resolve_weekday_property(weekday, ref, direction):
    d = resolve_weekday(weekday, ref, direction)
    assert d.weekday() == weekday
    assert abs((d - ref).days) <= 6
    if direction == "past":
        assert d <= ref
    if direction == "future":
        assert d >= ref


@settings(max_examples=200, deadline=None)
@given(
    month=st.integers(1, 12),
    dom=st.integers(1, 28),
    ref=st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)),
)
def test_year_less_dates_land_in_the_window(month, dom, ref):
    name = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][month - 1]
    m = only(f"It happened on {dom} {name}.", ref)
    d = m.value.start.date()
    assert (d.month, d.day) == (month, dom)
    assert -300 <= (d - ref).days <= 65
