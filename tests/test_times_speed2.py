"""The time facts' fast paths (and the grammar's future cue) give what the plain forms they replace give.

``consistency.extract.temporal`` asks its cues (reported, updated, planned) and its day words
through ``_fastre``'s fast form and a substring pre-test. These tests compare them with the
plain patterns in every window of every article and of generated text full of the characters
where such rewrites go wrong (letters that case-fold to ASCII ones, Unicode spaces).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.extract import temporal, times

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])

CUES = [
    (temporal._REPORTED, temporal._REPORTING),
    (temporal._UPDATED, temporal._UPDATE),
    (temporal._PLANNED_CUE, temporal._PLANNED),
]
TOKENS = [
    "said", "Said", "SAID", "says", "told", "police", "reporters", "the media", "on", "late on",
    "rose", "ROSE", "roſe", "risen", "went up", "stood", "to", "To", "nine", "should have",
    "would", "WILL", "wiLL", "İs to", "ıs due", "is ſet to", "plans to", "plan to", "planned",
    "supposed to", "was expected", "Monday", "Mon", "ſun", "Sept", "Dec.", "3", "12/05/2015",
    "today", "TONIGHT", "won't", "won’t", "'ll", "shall", "next", "upcoming", "this coming",
    "were", "going", "due", "due to", "the", "heavy", "its", "back", "scheduled", "ſlated", " ", "  ", "\n", "\xa0", "\u2009", ".", ";", ",", "-", "é", "\u212a",
]


def _alternatives(pattern: re.Pattern[str]) -> list[str]:
    """The literal alternatives of the cue's first group, ``s?`` written out."""
    body = pattern.pattern.split("(?:", 1)[1].split(")", 1)[0]
    out: list[str] = []
    for alt in body.split("|"):
        out.extend([alt.replace("s?", ""), alt.replace("s?", "s")] if "s?" in alt else [alt])
    return out


def test_every_alternative_holds_a_word() -> None:
    for cue, plain in CUES:
        for alt in _alternatives(plain):
            low = alt.lower() if cue.fold else alt
            assert any(word in low for word in cue.words), (plain.pattern, alt)


def _check(text: str) -> None:
    for cue, plain in CUES:
        for hi in range(len(text) + 1):
            for lo in {max(0, hi - 40), max(0, hi - 50), max(0, hi - 60), 0}:
                want = plain.search(text, lo, hi) is not None
                assert cue.before(text, lo, hi) is want, (plain.pattern, text[lo:hi])
    for hi in range(len(text) + 1):
        lo = max(0, hi - 160)
        want = times._FUTURE_CUE_RE.search(text, lo, hi)
        got = times._FUTURE_CUE_FAST(text, lo, hi)
        assert (got and got.span()) == (want and want.span()), text[lo:hi]
        piece = text[max(0, hi - 30) : hi]
        assert bool(temporal._DAY_WORDS_FAST(piece)) is bool(temporal._DAY_WORDS.search(piece))


def test_articles() -> None:
    assert ARTICLES
    for path in ARTICLES[:40]:
        text = path.read_text(encoding="utf-8", errors="replace")[:3000]
        _check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25))
def test_generated(tokens: list[str]) -> None:
    _check(" ".join(tokens))
