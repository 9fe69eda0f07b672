"""A deterministic generator of realistic news stories for the benchmark.

Each *story* is one invented event (a fire, a crash, a flood, a collapse, an explosion) told by
3-6 outlets. Every outlet has its own style (header date line, byline, numbers as words or
digits, qualifiers, trailer furniture) and its own wording of the same facts; some outlets carry
planted disagreements (a different toll, a misspelled name, a conflicting role, a reworded quote,
another weekday, another end of a closure, a page republished years later).

Everything is drawn from ``random.Random`` seeded per story, so story ``i`` of seed ``s`` is the
same text in any run, on any machine, whatever else is generated: ``iter_stories`` yields stories
lazily (constant memory), and ``write_corpus`` streams them to a folder per story.

Town, person and outlet names are built from syllables, and dates, numbers, paragraph order and
wording vary per story and per outlet, so no cache in the engine can hit trivially.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

_ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p",
           "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "th", "sk", "bl", "fl"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "ie", "y", "au"]
_CODAS = ["", "n", "r", "l", "s", "th", "m", "nd", "rk", "ll", "st", "ck", "ng", "x"]
_TOWN_ENDS = ["ford", "mouth", "ton", "bury", "field", "haven", "wick", "stead", "holm", "dale",
              "port", "bridge", "minster", "by", "worth", "ness", "ley", "pool", "gate", "moor"]

FIRST_NAMES = [
    "Hannah", "Daniel", "Marta", "Tomas", "Ana", "Karin", "Pieter", "Ines", "Jon", "Sofia", "Omar",
    "Li", "Amara", "Rafael", "Nadia", "Yusuf", "Elena", "Kwame", "Priya", "Mateo", "Fatima",
    "Lukas", "Ingrid", "Samuel", "Chloe", "Dmitri", "Aisha", "Jonas", "Leila", "Victor", "Noor",
    "Grace", "Hugo", "Mei", "Arjun", "Clara", "Tariq", "Helena", "Kofi", "Rosa", "Emil", "Zainab",
    "Felix", "Irene", "Ravi", "Olga", "Bruno", "Selin", "Magnus", "Lucia", "Ahmed", "Nina",
    "José", "Zoë", "Søren", "Raúl", "Chloé", "Björn", "Anaïs", "Çağla",
]
_SURNAME_PARTS = ["son", "berg", "ov", "ez", "ini", "ski", "ford", "ley", "mann", "ard", "ic",
                  "aki", "ani", "ero", "ton", "well", "oux", "ek", "ova", "ida"]
_FEMALE = {"Hannah", "Marta", "Ana", "Karin", "Ines", "Sofia", "Amara", "Nadia", "Elena", "Priya",
           "Fatima", "Ingrid", "Chloe", "Aisha", "Leila", "Noor", "Grace", "Mei", "Clara",
           "Helena", "Rosa", "Zainab", "Irene", "Olga", "Selin", "Lucia", "Nina", "Zoë", "Chloé",
           "Anaïs", "Çağla"}

REGIONS = ["the northern province", "the coastal district", "the eastern region", "the hill country",
           "the river delta", "the southern highlands", "the western valley", "the lake district"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
MON_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
          "Nov.", "Dec."]

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    """English words for 0..99 (digits beyond)."""
    if n < 20:
        return _SMALL[n]
    if n < 100:
        t, u = divmod(n, 10)
        return _TENS[t] + ("" if u == 0 else "-" + _SMALL[u])
    return f"{n:,}"


# Events: what happened, where, what is measured, what is counted.
EVENTS: dict[str, dict] = {
    "fire": {
        "places": ["warehouse", "apartment block", "textile factory", "covered market", "hotel",
                   "nightclub", "care home", "furniture plant", "shopping centre"],
        "what": ["fire", "blaze"],
        "lead": ["a {what} tore through a {place} in {town}",
                 "a {what} broke out at a {place} in {town}",
                 "fire swept through a crowded {place} in {town}"],
        "headline": ["{Toll} dead in {Town} {place} fire", "{Place} blaze in {Town} kills {toll}",
                     "Fire at {Town} {place} leaves {toll} dead",
                     "{Town} {place} fire: death toll reaches {toll}"],
        "measure": ["The {what} spread across some {m1} square metres of the building",
                    "Flames rose more than {m2} metres above the roof",
                    "Smoke could be seen {km} kilometres away"],
        "duration": ["Firefighters needed {dur} hours to bring the {what} under control",
                     "It took crews almost {dur} hours to put out the flames",
                     "The {what} burned for {dur} hours before it was contained"],
        "cause": ["an electrical fault", "a gas leak in the kitchen", "a discarded cigarette",
                  "faulty wiring on the ground floor"],
        "counted": ("firefighters", "fire engines"),
    },
    "crash": {
        "places": ["bus", "coach", "minibus", "passenger train", "ferry", "tour bus"],
        "what": ["crash", "accident"],
        "lead": ["a {place} carrying {count} passengers plunged into a ravine near {town}",
                 "a {place} collided with a lorry on the highway outside {town}",
                 "a {place} left the road and overturned near {town}"],
        "headline": ["{Toll} killed as {place} crashes near {Town}",
                     "{Town} {place} crash kills {toll}",
                     "{Place} tragedy near {Town}: {toll} dead",
                     "Death toll in {Town} {place} accident rises to {toll}"],
        "measure": ["The vehicle fell about {m2} metres down the slope",
                    "The wreckage came to rest {m2} metres below the road",
                    "Skid marks stretched for {m2} metres along the carriageway"],
        "duration": ["Rescuers worked for {dur} hours to free people trapped in the wreckage",
                     "The highway was blocked for {dur} hours",
                     "It took {dur} hours to reach the last of the injured"],
        "cause": ["brake failure", "a burst tyre", "driver fatigue", "heavy rain on the bend"],
        "counted": ("passengers", "ambulances"),
    },
    "flood": {
        "places": ["river", "valley", "old town", "riverside district", "low-lying suburbs"],
        "what": ["floods", "flash floods"],
        "lead": ["{what} swept through the {place} of {town}",
                 "torrential rain caused {what} in {town} and the surrounding villages",
                 "a river burst its banks and flooded the {place} of {town}"],
        "headline": ["{Toll} dead as {what} hit {Town}", "{Town} floods: toll rises to {toll}",
                     "Floods in {Town} kill {toll}, hundreds homeless",
                     "{Toll} die in {Town} flash floods"],
        "measure": ["The river rose {m3} metres above its normal level",
                    "About {mm} millimetres of rain fell in a single night",
                    "Water stood {m3} metres deep in some streets"],
        "duration": ["The rain fell without a break for {dur} hours",
                     "Residents waited {dur} hours on rooftops to be rescued",
                     "Power was cut for {dur} hours across the district"],
        "cause": ["days of torrential rain", "a burst dam upstream", "a tropical storm"],
        "counted": ("houses", "boats"),
    },
    "collapse": {
        "places": ["footbridge", "five-storey building", "parking garage", "school roof",
                   "mine tunnel", "stadium stand", "residential tower"],
        "what": ["collapse", "disaster"],
        "lead": ["a {place} collapsed in {town}", "a {place} gave way in the centre of {town}",
                 "part of a {place} caved in at {town}"],
        "headline": ["{Toll} dead as {place} collapses in {Town}",
                     "{Town} {place} collapse: {toll} killed",
                     "{Place} gives way in {Town}, killing {toll}",
                     "Toll from {Town} {place} collapse rises to {toll}"],
        "measure": ["The structure had a span of {m2} metres",
                    "Debris was piled {m3} metres high",
                    "The {place} stood {m2} metres from the main road"],
        "duration": ["Rescuers dug through the rubble for {dur} hours",
                     "The last survivor was pulled out after {dur} hours",
                     "Search teams worked in shifts for {dur} hours"],
        "cause": ["corrosion in the steel supports", "illegal extra floors",
                  "heavy rain that weakened the foundations", "overloading"],
        "counted": ("rescue workers", "sniffer dogs"),
    },
    "explosion": {
        "places": ["chemical plant", "gas station", "fireworks depot", "coal mine",
                   "oil refinery", "fertiliser warehouse"],
        "what": ["explosion", "blast"],
        "lead": ["an {what} ripped through a {place} in {town}",
                 "a powerful {what} destroyed a {place} on the edge of {town}",
                 "an {what} at a {place} shook {town}"],
        "headline": ["{Toll} killed in {Town} {place} {what}", "{Place} blast in {Town} kills {toll}",
                     "{Town} {what}: {toll} dead, dozens hurt",
                     "Explosion at {Town} {place} leaves {toll} dead"],
        "measure": ["The {what} was heard {km} kilometres away",
                    "Windows were shattered up to {m2} metres from the site",
                    "The {what} left a crater {m3} metres deep"],
        "duration": ["Fires burned at the site for {dur} hours after the {what}",
                     "Emergency crews needed {dur} hours to secure the area",
                     "The area was sealed off for {dur} hours"],
        "cause": ["a gas leak", "a spark during welding work", "overheated storage tanks",
                  "a faulty valve"],
        "counted": ("workers", "fire engines"),
    },
}

ROLES = [  # (title before the name, role written after or before the name)
    ("Inspector", "police spokesperson"), ("Chief", "fire chief"), ("Dr", "hospital director"),
    ("Mayor", "mayor"), ("Captain", "rescue coordinator"), ("Governor", "regional governor"),
    ("Colonel", "civil defence chief"), ("Minister", "interior minister"),
    ("Superintendent", "district police chief"), ("Professor", "engineering expert"),
]
QUOTES = [
    "We are doing everything we can to reach the people who are still trapped",
    "Our teams worked through the night and they will keep searching until every person is found",
    "This is one of the darkest days in the history of our town",
    "The families deserve answers and they will get them",
    "We warned the authorities about this problem {k} times last year and nothing was done",
    "I heard a loud bang and then everything went dark",
    "Staff who had gone home came straight back in without being asked",
    "There were people screaming everywhere, children crying for their parents",
    "It is too early to say what caused this, but an inquiry will find out",
    "We have never seen anything like this in {k} years of service",
]
OUTLET_WORDS = ["Herald", "Times", "Post", "Gazette", "Courier", "Evening Post", "Daily",
                "Chronicle", "Observer", "Bulletin", "Tribune", "Express", "Sentinel", "Echo"]
WIRES = ["PTI", "AFP", "Reuters", "AP", "dpa", "Xinhua", "IANS"]
TRAILERS = [
    "Sign up to the {outlet} free daily newsletter for the top {Town} stories, delivered to your "
    "inbox every weekday at 7am.\n\nMore in Local News\n\n{h1}\n{d1}\n\n{h2}\n{d2}\n\n{h3}\n{d3}",
    "Related Stories\n\n{h1}\n\n{h2}\n\n{h3}",
    "Support local journalism\n\nIf you value local news, make a gift now to support the trusted "
    "journalism you get in the {outlet}. Donations are not tax deductible.",
    "Newspapers in English\n\nNewspapers from {Country}",
    "- {wire}",
    "Most Read\n\n{h1}\n{h2}\n{h3}",
    "",
]
OTHER_HEADLINES = [
    "Two dead after lorry and car collide on coast road near {other}",
    "Ferry fares to rise by {pct} per cent from April 1",
    "Pensioner, {age}, dies after fall at Saturday market",
    "{other} bridge to stay closed until June after council approves repairs",
    "Council approves {pct} per cent rise in parking charges",
    "{other} school wins national science prize for second year",
    "Police appeal for witnesses after {other} break-in",
]
COUNTRIES = ["United States", "United Kingdom", "India", "Australia", "Canada", "South Africa"]


# ---------------------------------------------------------------------------------------------
# Story model
# ---------------------------------------------------------------------------------------------


MIN_BYTES, MAX_BYTES = 1500, 4000  # article size (characters, about bytes: mostly ASCII)


@dataclass
class Article:
    name: str          # file name, e.g. "coastal_herald.txt"
    outlet: str
    text: str
    published: date | None


@dataclass
class Story:
    id: str
    kind: str
    articles: list[Article]
    planted: list[str] = field(default_factory=list)  # kinds of disagreements planted

    @property
    def size(self) -> int:
        return sum(len(a.text.encode("utf-8")) for a in self.articles)


@dataclass
class _Person:
    given: str
    surname: str
    title: str
    role: str

    @property
    def female(self) -> bool:
        return self.given in _FEMALE


def _syllables(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(n))


def _town(rng: random.Random) -> str:
    return (_syllables(rng, rng.choice((1, 1, 2))) + rng.choice(_TOWN_ENDS)).capitalize()


def _surname(rng: random.Random) -> str:
    return (_syllables(rng, 1) + rng.choice(_SURNAME_PARTS)).capitalize()


def _misspell(rng: random.Random, name: str) -> str:
    """A plausible spelling variant: a dropped or doubled inner letter."""
    if len(name) < 5:
        return name + "e"
    i = rng.randrange(2, len(name) - 1)
    return name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


class _StoryBuilder:
    """The facts of one event, then one article per outlet built from them."""

    def __init__(self, seed: int, index: int, n_articles: int) -> None:
        self.rng = rng = random.Random(seed * 1_000_003 + index)
        self.index = index
        self.n = n_articles
        self.kind = rng.choice(sorted(EVENTS))
        self.ev = EVENTS[self.kind]
        self.place = rng.choice(self.ev["places"])
        self.what = rng.choice(self.ev["what"])
        self.town = _town(rng)
        self.other_town = _town(rng)
        self.region = rng.choice(REGIONS)
        self.country = rng.choice(COUNTRIES)
        self.day = date(2005, 1, 1) + timedelta(days=rng.randrange(0, 20 * 365))
        self.hour = rng.choice([1, 2, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23])
        self.minute = rng.choice([0, 5, 10, 15, 20, 30, 32, 40, 45, 50])
        self.toll = rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 23, 27, 31, 42, 56])
        self.injured = self.toll + rng.randrange(3, 60)
        self.missing = rng.choice([0, 0, 2, 3, 5, 8])
        self.count = rng.randrange(12, 70)
        self.counted_n = rng.randrange(3, 40)
        self.m1 = rng.randrange(4, 90) * 100
        self.m2 = rng.randrange(15, 180)
        self.m3 = rng.randrange(2, 9)
        self.km = rng.randrange(3, 40)
        self.mm = rng.randrange(80, 400)
        self.dur = rng.randrange(2, 14)
        self.inquiry_days = rng.choice([7, 10, 14, 21, 28, 30])
        self.population = rng.randrange(8, 400) * 1000
        self.history_year = self.day.year - rng.randrange(3, 40)
        self.history_toll = rng.randrange(2, 80)
        self.built = self.day.year - rng.randrange(8, 90)
        self.reopen = rng.choice(["until Friday", "through the weekend", "until Monday",
                                  "until further notice", "for at least a week"])
        self.cause = rng.choice(self.ev["cause"])
        self.measure_tpl = rng.choice(self.ev["measure"])
        self.duration_tpl = rng.choice(self.ev["duration"])
        self.official = rng.choice(["president", "prime minister", "interior minister"])
        self.vigil_day = rng.choice(WEEKDAYS)
        self.counted_k = rng.randrange(2)
        self.filler_seed = rng.randrange(2**32)
        self.people = self._people()
        self.witness = _Person(rng.choice(FIRST_NAMES), _surname(rng), "", "witness")
        self.quotes = [q.replace("{k}", words(rng.randrange(2, 30)))
                       for q in rng.sample(QUOTES, 3)]
        # Planted disagreements: which outlet gets which deviation.
        self.planted: dict[int, list[str]] = {}
        kinds = ["toll", "injured", "name", "role", "quote", "weekday", "reopen", "measure",
                 "republished", "developing"]
        for kind in kinds:
            if rng.random() < 0.09:
                self.planted.setdefault(rng.randrange(self.n), []).append(kind)

    def _people(self) -> list[_Person]:
        rng = self.rng
        roles = rng.sample(ROLES, 3)
        return [_Person(rng.choice(FIRST_NAMES), _surname(rng), t, r) for t, r in roles]

    # -- per-outlet rendering -----------------------------------------------------------------

    def story(self) -> Story:
        names: set[str] = set()
        articles = []
        for k in range(self.n):
            articles.append(self._article(k, names))
        planted = sorted({p for v in self.planted.values() for p in v})
        return Story(id=f"story_{self.index:06d}", kind=self.kind, articles=articles,
                     planted=planted)

    def _outlet(self, k: int, names: set[str]) -> str:
        rng = self.rng
        while True:
            r = rng.random()
            if r < 0.15:
                name = rng.choice(WIRES)
            elif r < 0.55:
                name = f"The {self.town} {rng.choice(OUTLET_WORDS)}"
            else:
                name = f"{_town(rng)} {rng.choice(OUTLET_WORDS)}"
            if name not in names:
                names.add(name)
                return name

    def _article(self, k: int, names: set[str]) -> Article:
        rng = self.rng
        outlet = self._outlet(k, names)
        dev = self.planted.get(k, [])
        o = _Style(rng)
        lag = rng.choice([0, 1, 1, 1, 2, 3]) if "developing" not in dev else rng.choice([3, 4, 5])
        published = self.day + timedelta(days=lag)
        header_day = published
        if "republished" in dev:
            header_day = published.replace(year=published.year + rng.randrange(3, 9)) \
                if not (published.month == 2 and published.day == 29) else published
        toll = self.toll
        if "toll" in dev:
            toll = self.toll + rng.choice([-1, 1, 2, 3, 5]) if self.toll > 2 else self.toll + 2
        if "developing" in dev:
            toll = self.toll + rng.randrange(2, 9)
        injured = self.injured + (rng.choice([-7, -4, 5, 9]) if "injured" in dev else 0)
        event_day = self.day + (timedelta(days=rng.choice([-1, 1])) if "weekday" in dev
                                else timedelta(0))
        reopen = self.reopen
        if "reopen" in dev:
            reopen = rng.choice([r for r in ["until Friday", "through the weekend", "until Monday",
                                             "until Wednesday"] if r != self.reopen])
        people = [
            _Person(p.given, _misspell(rng, p.surname) if ("name" in dev and i == 0) else p.surname,
                    p.title, (ROLES[(ROLES.index((p.title, p.role)) + 3) % len(ROLES)][1]
                              if ("role" in dev and i == 1) else p.role))
            for i, p in enumerate(self.people)
        ]
        quotes = list(self.quotes)
        if "quote" in dev:
            quotes[0] = _reword(rng, quotes[0])
        m2 = self.m2 * (rng.choice([2, 3]) if "measure" in dev else 1)

        v = {
            "town": self.town, "Town": self.town, "place": self.place,
            "Place": self.place[0].upper() + self.place[1:], "what": self.what,
            "toll": o.num(toll), "Toll": o.num(toll, cap=True), "count": o.num(self.count),
            "m1": f"{self.m1:,}", "m2": str(m2), "m3": str(self.m3), "km": str(self.km),
            "mm": str(self.mm), "dur": o.num(self.dur),
        }
        when = o.when(rng, event_day, published, self.hour, self.minute)
        paras: list[str] = []
        lead = rng.choice(self.ev["lead"]).format(**v)
        qual = rng.choice(["at least ", "", ""])
        killed = rng.choice([
            f"killing {qual}{o.num(toll)} people",
            f"leaving {qual}{o.num(toll)} people dead",
            f"and {qual}{o.num(toll)} people were killed",
        ])
        paras.append(f"{o.dateline(self.town)}{qual.capitalize() if False else ''}"
                     f"{_cap(lead)} {when}, {killed}, {rng.choice(['officials said', 'police said', 'according to local authorities', 'emergency services said'])}.")
        p0, p1, p2 = people
        injured_s = rng.choice([
            f"{_cap(o.start(injured))} others were injured, {rng.choice(['several of them seriously', 'some critically', 'most of them with burns and cuts'])}",
            f"More than {o.num(injured - rng.randrange(1, 3))} people were taken to hospital with injuries",
            f"At least {o.num(injured)} people were hurt",
            f"Nearly {o.num(injured + rng.randrange(1, 3))} people were hurt",
        ])
        paras.append(f"{injured_s}, said {o.person(p1)}. "
                     f"{rng.choice(['Several of the victims were children', 'Most of the injured were taken to the regional hospital', 'Hospitals in the area cancelled routine operations'])}.")
        if self.missing:
            paras.append(f"{_cap(o.start(self.missing))} people {rng.choice(['remain missing', 'are still unaccounted for', 'have not been found'])}, "
                         f"and the toll {rng.choice(['could rise', 'is expected to rise', 'may climb further'])}.")
        paras.append(f'"{quotes[0]}," {o.speaker(p0)} {rng.choice(["told reporters", "said", "said at the scene", "told a news conference"])} on {WEEKDAYS[published.weekday()]}.')
        paras.append(self.measure_tpl.format(**v) + ", "
                     + rng.choice(["according to witnesses", "officials said", "said a spokesman for the emergency services", "police said"]) + ".")
        paras.append(self.duration_tpl.format(**v) + ". "
                     f"{_cap(o.start(self.counted_n))} {self.ev['counted'][self.counted_k]} were sent to the scene.")
        paras.append(f"{_cap(o.person(self.witness, role=False))}, who {rng.choice(['lives nearby', 'was passing at the time', 'runs a shop across the street'])}, said: "
                     f'"{quotes[1]}."')
        paras.append(f"Officials said the cause {rng.choice(['was believed to be', 'may have been', 'was still being investigated, but early signs pointed to'])} {self.cause}. "
                     f"{o.person(p2, cap=True, subject=True)} said an inquiry would take {rng.choice(['about', ''])} {o.num(self.inquiry_days)} days"
                     .replace("  ", " ") + ".")
        paras.append(f"The {rng.choice(['area', 'road', 'site', 'district'])} will remain closed {reopen}, "
                     f"{rng.choice(['the authorities said', 'police said', 'the council said'])}.")
        paras.append(f"In {self.history_year}, {o.num(self.history_toll)} people died in a similar {self.what} in {self.region}, "
                     "the worst such disaster in the area in decades.")
        paras.append(f'"{quotes[2]}," said {o.person(p1, role=False)}.')
        F = random.Random(self.filler_seed)  # noqa: N806  story-level numbers: same for every outlet
        fillers = [
            f"{self.town}, a town of about {self.population:,} people in {self.region}, "
            f"{rng.choice(['is known for its fishing harbour', 'grew quickly over the past decade', 'lies two hours from the capital', 'depends on its factories and farms'])}.",
            f"The {self.place} was built in {self.built} and "
            f"{rng.choice(['had last been inspected in October', 'was renovated ten years ago', 'had passed a safety check in the spring', 'had no valid safety certificate'])}.",
            f"Flags on public buildings will fly at half mast for {o.num(F.choice([2, 3, 7]))} days, "
            f"and a memorial service is planned for {F.choice(WEEKDAYS)}.",
            f"A fund set up for the families of the victims had raised more than "
            f"${F.randrange(5, 90) * 1000:,} by {WEEKDAYS[published.weekday()]} evening.",
            f"Residents said complaints had been made to the authorities {o.num(F.randrange(2, 6))} times "
            f"in the past {o.num(F.randrange(2, 10))} years.",
            f"The opposition called for the resignation of the {rng.choice(['transport', 'interior', 'housing', 'safety'])} minister, "
            f"saying {o.num(F.randrange(2, 20))} warnings had been ignored.",
            f"Temperatures were around {F.randrange(-5, 38)} degrees Celsius at the time, "
            f"and {rng.choice(['heavy rain', 'strong winds', 'thick fog', 'clear skies'])} were reported in the region.",
            f"Volunteers from {o.num(F.randrange(3, 15))} neighbouring villages brought food, blankets and water to the families waiting at the scene.",
            f"The {self.official} sent condolences to the families and promised that "
            f"{rng.choice(['those responsible would be held to account', 'the government would pay for the funerals', 'safety rules would be tightened'])}. "
            f"Each family of the dead will receive {F.randrange(2, 50) * 1000:,} dollars in compensation, officials said.",
            f"It was the {F.choice(['second', 'third', 'fourth'])} deadly {self.what} in {self.region} "
            f"since {self.day.year - F.randrange(1, 4)}, and the deadliest since {self.history_year}.",
            f"A vigil will be held on {self.vigil_day} evening in the main square of {self.town}, "
            f"where {F.choice(['hundreds', 'thousands', 'dozens'])} of candles and flowers had already been left.",
            f"Local television showed images of {rng.choice(['twisted metal', 'blackened walls', 'mud-covered streets', 'piles of rubble'])} "
            f"and of rescuers carrying people on stretchers. "
            f"{_cap(words(F.randrange(2, 9)))} helicopters were used to reach the worst-hit areas.",
            f"The regional hospital said it had received {o.num(F.randrange(10, 80))} patients in "
            f"{o.num(F.randrange(2, 6))} hours, and appealed for blood donors. "
            f"Dr {F.choice(FIRST_NAMES)} {_surname(F)}, a surgeon on duty that night, said "
            f"{o.num(F.randrange(2, 9))} of them were in intensive care.",
            f"Insurance experts estimated the damage at about {F.randrange(2, 90)} million dollars. "
            f"Business owners said they had lost {rng.choice(['weeks', 'months'])} of income.",
            f"{self.other_town}, {o.num(F.randrange(10, 90))} kilometres to the north, "
            f"{rng.choice(['was spared', 'was also hit', 'sent volunteers'])}, its mayor said on "
            f"{F.choice(WEEKDAYS)}.",
            f"The {self.other_town} fire brigade sent {o.num(F.randrange(2, 12))} crews to help, "
            f"and the army deployed {o.num(F.randrange(20, 300))} soldiers.",
        ]
        rng.shuffle(fillers)
        # Vary paragraph order after the lead (two leading paragraphs stay first).
        middle = paras[2:]
        rng.shuffle(middle)
        paras = paras[:2] + middle
        headline = rng.choice(self.ev["headline"]).format(**v)
        header = o.header(rng, header_day, self.hour, self.minute, headline,
                          self.people[0] if rng.random() < 0.1 else None, outlet)
        trailer = o.trailer(rng, outlet, self.town, self.other_town, self.country, published)
        # 1.5-4 KB in all: header, paragraphs until the drawn size, trailer
        target = rng.randrange(MIN_BYTES + 20, MAX_BYTES - 250)
        size = len(header) + (len(trailer) + 3 if trailer else 1)
        body: list[str] = []
        for p in paras + fillers:
            if size + len(p) + 2 > MAX_BYTES - 100 and len(body) >= 6:
                break
            body.append(p)
            size += len(p) + 2
            if size >= target and len(body) >= 6:
                break
        text = header + "\n\n".join(body) + ("\n\n" + trailer if trailer else "") + "\n"
        if o.curly:  # typographic quotes; a few pages were mis-decoded once (mojibake)
            text = _CLOSE_QUOTE.sub("”", _OPEN_QUOTE.sub("“", text)).replace("'", "’")
            if rng.random() < 0.08:
                text = text.replace("’", "â€™").replace("“", "â€œ").replace("”", "â€\x9d")
        name = outlet.lower().replace("the ", "").replace(" ", "_") + ".txt"
        return Article(name=name, outlet=outlet, text=text,
                       published=published if o.meta else None)


_OPEN_QUOTE = re.compile(r'(?:(?<=\s)|^)"(?=\S)', re.MULTILINE)
_CLOSE_QUOTE = re.compile(r'(?<=\S)"')


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _reword(rng: random.Random, quote: str) -> str:
    swaps = [("everything", "all"), ("people", "residents"), ("will", "are going to"),
             ("We are", "We're"), ("darkest", "saddest"), ("deserve", "have a right to"),
             ("until", "till"), ("loud bang", "huge bang"), ("It is", "It's")]
    out = quote
    for a, b in rng.sample(swaps, len(swaps)):
        if a in out:
            return out.replace(a, b, 1)
    return out + " now"


class _Style:
    """One outlet's habits."""

    def __init__(self, rng: random.Random) -> None:
        self.word_numbers = rng.random() < 0.5     # "nine" vs "9" for small numbers
        self.header_kind = rng.randrange(8)
        self.time_kind = rng.randrange(5)
        self.dateline_kind = rng.randrange(4)
        self.title_first = rng.random() < 0.5
        self.meta = rng.random() < 0.7             # whether metadata gives a published date
        self.byline = rng.random() < 0.7
        self.trailer_kind = rng.randrange(len(TRAILERS))
        self.curly = rng.random() < 0.4            # “typographic” quotes and ’
        self.rng = rng

    def num(self, n: int, cap: bool = False) -> str:
        s = words(n) if (self.word_numbers and n <= 20) or n < 2 else str(n)
        return _cap(s) if cap else s

    def start(self, n: int) -> str:
        """A number opening a sentence: in words, as style guides want."""
        return words(n)

    def person(self, p: _Person, cap: bool = False, role: bool = True,
               subject: bool = False) -> str:
        """A reference to ``p``; as the ``subject`` of a verb never the appositive form."""
        form = (self.rng.choice((0, 1, 3)) if subject else self.rng.randrange(4)) if role else 3
        if form == 0:
            s = f"{p.title} {p.given} {p.surname}"
        elif form == 1:
            s = f"{p.role} {p.given} {p.surname}"
        elif form == 2:
            s = f"{p.given} {p.surname}, the {p.role}"
        else:
            s = f"{p.given} {p.surname}"
        return _cap(s) if cap else s

    def speaker(self, p: _Person) -> str:
        return self.person(p, subject=True)

    def when(self, rng: random.Random, day: date, published: date, hour: int, minute: int) -> str:
        wd = WEEKDAYS[day.weekday()]
        part = ("morning" if hour < 12 else "afternoon" if hour < 18 else "evening" if hour < 21
                else "night")
        h12 = hour % 12 or 12
        ampm = "am" if hour < 12 else "pm"
        clock = [f"{h12}.{minute:02d}{ampm}", f"{h12}:{minute:02d} {ampm[0]}.m.",
                 f"{hour:02d}:{minute:02d} local time", f"{h12}.{minute:02d} {ampm}"]
        k = self.time_kind
        if k == 0:
            return f"on {wd} {part}"
        if k == 1:
            return f"at about {rng.choice(clock)} on {wd}"
        if k == 2:
            return f"on {wd}, {MONTHS[day.month - 1]} {day.day}, {day.year}"
        if k == 3:
            return f"shortly after {rng.choice(clock)} on {wd}, {MON_AP[day.month - 1]} {day.day}"
        lag = (published - day).days
        return "on " + ("the same day" if lag == 0 else f"{wd} {part}")

    def dateline(self, town: str) -> str:
        k = self.dateline_kind
        if k == 0:
            return f"{town.upper()} — "
        if k == 1:
            return f"{town}: "
        return ""

    def header(self, rng: random.Random, day: date, hour: int, minute: int, headline: str,
               author: _Person | None, outlet: str) -> str:
        wd = WEEKDAYS[day.weekday()]
        hh = min(23, hour + rng.randrange(1, 10))
        mm = rng.randrange(60)
        formats = [
            f"{wd} {day.day} {MONTHS[day.month - 1]} {day.year}",
            f"{day.day:02d}/{day.month:02d}/{day.year} {hh:02d}:{mm:02d} by staff",
            f"{wd[:3]} {day.day} {MON3[day.month - 1]} {day.year} {hh:02d}:{mm:02d}",
            f" • {day.day:02d}/{day.month:02d}/{day.year}",
            f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
            f"Published: {day.isoformat()} {hh:02d}:{mm:02d}",
            f"Updated {day.day} {MONTHS[day.month - 1]} {day.year}, {hh:02d}:{mm:02d} GMT",
            "",
        ]
        date_line = formats[self.header_kind]
        byline = ""
        if self.byline:
            who = (f"{author.given} {author.surname}" if author else
                   f"{rng.choice(FIRST_NAMES)} {_surname(rng)}")
            byline = rng.choice([f"By {who}", f"By {who}, Chief Reporter", f"By {who} | {outlet}",
                                 f"Written by {who}"])
        parts = [date_line, headline] if not self.title_first else [headline, date_line]
        if byline:
            parts.append(byline)
        return "\n\n".join(p for p in parts if p) + "\n\n"

    def trailer(self, rng: random.Random, outlet: str, town: str, other: str, country: str,
                published: date) -> str:
        tpl = TRAILERS[self.trailer_kind]
        if not tpl:
            return ""
        heads = [h.format(other=other, pct=rng.randrange(2, 15), age=rng.randrange(60, 95))
                 for h in rng.sample(OTHER_HEADLINES, 3)]
        days = [published - timedelta(days=rng.randrange(1, 12)) for _ in range(3)]
        return tpl.format(outlet=outlet, Town=town, Country=country, wire=rng.choice(WIRES),
                          h1=heads[0], h2=heads[1], h3=heads[2],
                          d1=f"{days[0]:%d/%m/%Y}", d2=f"{days[1]:%d/%m/%Y}",
                          d3=f"{days[2]:%d/%m/%Y}")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def story_sizes(n_articles: int, seed: int = 7) -> Iterator[int]:
    """Articles per story (3-6), summing to exactly ``n_articles``."""
    rng = random.Random(seed)
    left = n_articles
    while left > 0:
        n = rng.randint(3, 6)
        if left - n < 3:  # never leave a remainder too small to be a story
            n = left if left <= 6 else left - 3
        yield n
        left -= n


def iter_stories(n_articles: int, seed: int = 7) -> Iterator[Story]:
    """Stories totalling ``n_articles`` articles, one at a time (constant memory)."""
    for index, n in enumerate(story_sizes(n_articles, seed)):
        yield _StoryBuilder(seed, index, n).story()


def sources_yaml(story: Story) -> str:
    """A ``sources.yaml`` for the story (outlet, url, and the published date when known)."""
    lines = ["# generated by bench/corpus.py"]
    for a in story.articles:
        slug = a.name[:-4].replace("_", "-")
        pub = a.published.isoformat() if a.published else "null"
        lines.append(f"{a.name}: {{outlet: {json.dumps(a.outlet)}, "
                     f"url: https://{slug}.example/news/{story.id}, published: {pub}}}")
    return "\n".join(lines) + "\n"


def write_corpus(root: str | Path, n_articles: int, seed: int = 7,
                 with_sources: float = 0.5) -> list[dict]:
    """Write one folder per story under ``root`` (streaming); return the manifest: one entry per
    story with its folder, article count, bytes and planted disagreements. About
    ``with_sources`` of the stories get a ``sources.yaml``."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    manifest = []
    for story in iter_stories(n_articles, seed):
        folder = root / story.id
        folder.mkdir(exist_ok=True)
        size = 0
        for a in story.articles:
            data = a.text.encode("utf-8")
            (folder / a.name).write_bytes(data)
            size += len(data)
        if (int(story.id[-6:]) * 2654435761) % 1000 < with_sources * 1000:
            (folder / "sources.yaml").write_text(sources_yaml(story), encoding="utf-8")
        manifest.append({"story": story.id, "dir": str(folder), "articles": len(story.articles),
                         "bytes": size, "kind": story.kind, "planted": story.planted})
    return manifest


if __name__ == "__main__":  # print one story, to eyeball the text
    import sys

    s = next(iter_stories(6, int(sys.argv[1]) if len(sys.argv) > 1 else 7))
    print(f"# {s.id} {s.kind} planted={s.planted}")
    for art in s.articles:
        print(f"\n===== {art.name} ({len(art.text)} chars, published={art.published})\n")
        print(art.text)
