"""Unit table for the number grammar.

Every unit word the grammar knows maps to a :class:`Unit`: the canonical unit a value is stored in,
the factor that converts one written unit into canonical units, and the kind of quantity.

Canonical units: durations in seconds ``"s"`` (a month is 30 days, a year 365 days, a decade
3650 days), lengths in metres ``"m"``, areas in square metres ``"m2"``, masses in kilograms
``"kg"`` (a ton is taken as a metric tonne), speeds in metres per second ``"m/s"``, percentages
``"%"`` (percentage points ``"pp"``), money as an ISO 4217 code with the value in whole currency
units. Count suffixes ("12-seater", "four-storey", "26-year-old") keep the value as a count with no
unit.

quantulum3 is used only as a last resort, through :func:`canonical_unit` (cached), to name a unit
word that is not in this table; the grammar itself never calls it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["count", "measure", "duration", "percent", "money"]


@dataclass(frozen=True, slots=True)
class Unit:
    canonical: str | None  # None for count suffixes
    factor: float
    kind: UnitKind
    after_a: bool = False  # may follow a bare "a"/"an": "an hour", "a mile"


_MINUTE = 60
_HOUR = 3600
_DAY = 86400
_WEEK = 7 * _DAY
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def _dur(factor: float, after_a: bool = True) -> Unit:
    return Unit("s", factor, "duration", after_a)


def _len(factor: float, after_a: bool = False) -> Unit:
    return Unit("m", factor, "measure", after_a)


def _area(factor: float) -> Unit:
    return Unit("m2", factor, "measure")


def _mass(factor: float) -> Unit:
    return Unit("kg", factor, "measure")


def _speed(factor: float) -> Unit:
    return Unit("m/s", factor, "measure")


def _money(code: str) -> Unit:
    return Unit(code, 1, "money")


_COUNT = Unit(None, 1, "count")
_PERCENT = Unit("%", 1, "percent")

# Written form (lower case) -> unit. Keys are matched case-insensitively, except those in
# CASE_SENSITIVE_UNITS, which must be written exactly so ("m" is metres, "M" is not).
UNITS: dict[str, Unit] = {
    # durations ("second" after a bare "a" is nearly always the ordinal: "a second suspect")
    "seconds": _dur(1),
    "second": _dur(1, after_a=False),
    "secs": _dur(1),
    "sec": _dur(1),
    "minutes": _dur(_MINUTE),
    "minute": _dur(_MINUTE),
    "mins": _dur(_MINUTE),
    "min": _dur(_MINUTE),
    "hours": _dur(_HOUR),
    "hour": _dur(_HOUR),
    "hrs": _dur(_HOUR),
    "hr": _dur(_HOUR),
    "h": _dur(_HOUR, after_a=False),
    "days": _dur(_DAY),
    "day": _dur(_DAY),
    "weeks": _dur(_WEEK),
    "week": _dur(_WEEK),
    "wks": _dur(_WEEK),
    "fortnights": _dur(2 * _WEEK),
    "fortnight": _dur(2 * _WEEK),
    "months": _dur(_MONTH),
    "month": _dur(_MONTH),
    "years": _dur(_YEAR),
    "year": _dur(_YEAR),
    "yrs": _dur(_YEAR),
    "yr": _dur(_YEAR),
    "decades": _dur(10 * _YEAR),
    "decade": _dur(10 * _YEAR),
    "centuries": _dur(100 * _YEAR),
    "century": _dur(100 * _YEAR),
    # lengths
    "kilometres": _len(1000),
    "kilometers": _len(1000),
    "kilometre": _len(1000, after_a=True),
    "kilometer": _len(1000, after_a=True),
    "kms": _len(1000),
    "km": _len(1000),
    "metres": _len(1),
    "meters": _len(1),
    "metre": _len(1, after_a=True),
    "meter": _len(1, after_a=True),
    "m": _len(1),
    "centimetres": _len(0.01),
    "centimeters": _len(0.01),
    "centimetre": _len(0.01),
    "centimeter": _len(0.01),
    "cm": _len(0.01),
    "millimetres": _len(0.001),
    "millimeters": _len(0.001),
    "millimetre": _len(0.001),
    "millimeter": _len(0.001),
    "mm": _len(0.001),
    "feet": _len(0.3048),
    "foot": _len(0.3048),
    "ft": _len(0.3048),
    "inches": _len(0.0254),
    "inch": _len(0.0254),
    "yards": _len(0.9144),
    "yard": _len(0.9144, after_a=True),
    "yds": _len(0.9144),
    "nautical miles": _len(1852),
    "nautical mile": _len(1852, after_a=True),
    "miles": _len(1609.344),
    "mile": _len(1609.344, after_a=True),
    # areas
    "square kilometres": _area(1e6),
    "square kilometers": _area(1e6),
    "square kilometre": _area(1e6),
    "square kilometer": _area(1e6),
    "sq km": _area(1e6),
    "sq. km": _area(1e6),
    "km2": _area(1e6),
    "km²": _area(1e6),
    "square metres": _area(1),
    "square meters": _area(1),
    "square metre": _area(1),
    "square meter": _area(1),
    "sq m": _area(1),
    "m2": _area(1),
    "m²": _area(1),
    "square feet": _area(0.09290304),
    "square foot": _area(0.09290304),
    "sq ft": _area(0.09290304),
    "square miles": _area(2589988.110336),
    "square mile": _area(2589988.110336),
    "sq mi": _area(2589988.110336),
    "acres": _area(4046.8564224),
    "acre": _area(4046.8564224),
    "hectares": _area(10000),
    "hectare": _area(10000),
    "ha": _area(10000),
    # masses
    "kilograms": _mass(1),
    "kilogram": _mass(1),
    "kilos": _mass(1),
    "kilo": _mass(1),
    "kgs": _mass(1),
    "kg": _mass(1),
    "grams": _mass(0.001),
    "gram": _mass(0.001),
    "tonnes": _mass(1000),
    "tonne": _mass(1000),
    "tons": _mass(1000),
    "ton": _mass(1000),
    "lbs": _mass(0.45359237),
    "lb": _mass(0.45359237),
    # speeds
    "kilometres per hour": _speed(1 / 3.6),
    "kilometers per hour": _speed(1 / 3.6),
    "km/h": _speed(1 / 3.6),
    "km/hr": _speed(1 / 3.6),
    "kmph": _speed(1 / 3.6),
    "kph": _speed(1 / 3.6),
    "miles per hour": _speed(0.44704),
    "mph": _speed(0.44704),
    "knots": _speed(1852 / 3600),
    "metres per second": _speed(1),
    "meters per second": _speed(1),
    "m/s": _speed(1),
    # percent
    "%": _PERCENT,
    "per cent": _PERCENT,
    "percent": _PERCENT,
    "per-cent": _PERCENT,
    "pc": _PERCENT,
    "percentage points": Unit("pp", 1, "percent"),
    "percentage point": Unit("pp", 1, "percent"),
    # money written after the number
    "dollars": _money("USD"),
    "dollar": _money("USD"),
    "us dollars": _money("USD"),
    "rupees": _money("INR"),
    "rupee": _money("INR"),
    "euros": _money("EUR"),
    "euro": _money("EUR"),
    "pounds sterling": _money("GBP"),
    "pounds": _money("GBP"),  # "500 pounds of explosives" is mass: see numbers.py
    "yen": _money("JPY"),
    "yuan": _money("CNY"),
    "rupiah": _money("IDR"),
    "roubles": _money("RUB"),
    "rubles": _money("RUB"),
    "dirhams": _money("AED"),
    "riyals": _money("SAR"),
    "ringgit": _money("MYR"),
    # count suffixes: the value stays a count ("12-seater", "a 26-year-old aircraft")
    "year-old": _COUNT,
    "years-old": _COUNT,
    "years old": _COUNT,
    "year old": _COUNT,
    "years of age": _COUNT,
    "month-old": _COUNT,
    "months old": _COUNT,
    "week-old": _COUNT,
    "day-old": _COUNT,
    "seater": _COUNT,
    "storey": _COUNT,
    "storeyed": _COUNT,
    "storied": _COUNT,
    "story": _COUNT,
    "member": _COUNT,
    "strong": _COUNT,
    "bed": _COUNT,
    "bedded": _COUNT,
    "lane": _COUNT,
    "wheeler": _COUNT,
    "judge": _COUNT,
    "man": _COUNT,
    "woman": _COUNT,
    "person": _COUNT,
    "point": _COUNT,
}

# Forms that must be written exactly as listed (lower case) to count as the unit.
CASE_SENSITIVE_UNITS: frozenset[str] = frozenset({"m", "h", "pc", "ha", "mm", "cm", "lb", "min"})

# Count suffixes only join the number with a hyphen ("12-seater"); "12 seater" is accepted too,
# but "two man" or "10 point" with a space are ordinary words.
HYPHEN_ONLY_UNITS: frozenset[str] = frozenset(
    k for k, u in UNITS.items() if u.kind == "count" and " " not in k
) | {"h"}

# Currency written before the number.
CURRENCY_PREFIXES: dict[str, str] = {
    "US$": "USD",
    "A$": "AUD",
    "C$": "CAD",
    "S$": "SGD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "INR": "INR",
    "USD": "USD",
    "GBP": "GBP",
    "EUR": "EUR",
    "Rp.": "IDR",
    "Rp": "IDR",
    "Tk.": "BDT",
    "Tk": "BDT",
    "BDT": "BDT",
    "NPR": "NPR",
    "PKR": "PKR",
    "LKR": "LKR",
    "Sh": "KES",
    "KSh": "KES",
    "GH₵": "GHS",
    "₦": "NGN",
    "R": "ZAR",
    "RM": "MYR",
    "₱": "PHP",
    "฿": "THB",
    "₩": "KRW",
    "₽": "RUB",
    "CHF": "CHF",
}

# Scale words after a number.
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "lac": 100_000,
    "lacs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
    "cr": 10_000_000,
}


def lookup(written: str) -> Unit | None:
    """The unit for a unit word as written (any case, inner spaces normalised)."""
    key = " ".join(written.split())
    unit = UNITS.get(key)
    if unit is not None:
        return unit
    key = key.lower()
    if key in CASE_SENSITIVE_UNITS:
        return None
    return UNITS.get(key)


@functools.lru_cache(maxsize=1024)
def canonical_unit(word: str) -> str | None:
    """Name of the unit ``word`` stands for: the table first, then quantulum3 (cached).

    For callers that meet a unit word the grammar does not know; never used on running text.
    """
    unit = lookup(word)
    if unit is not None:
        return unit.canonical
    try:  # pragma: no cover - depends on quantulum3's model
        from quantulum3 import parser

        quants = parser.parse(f"1 {word}")
    except Exception:  # pragma: no cover
        return None
    for q in quants:  # pragma: no cover
        name = q.unit.name
        if name and name != "dimensionless":
            return name
    return None
