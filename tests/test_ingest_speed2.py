"""INGEST fast paths (round 2): each must give the answer of the plain check it stands in front of."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from consistency.ingest import boilerplate as bp
from consistency.ingest.lines import normalise

_DATA = Path(__file__).parent / "data"

# line text with every kind of character the fast paths judge: controls, odd spaces, non-ASCII
_ODD = "\t\r\x0b\x0c\x1c\x1f\x7f\x85\xa0\u2003\u2028\u200b\ud800 “”é"
_TEXT = st.text(alphabet=st.sampled_from(list("ab ,.\n" + _ODD)), max_size=60)


def test_odd_spaces_are_the_ascii_whitespace_but_space_and_line_feed() -> None:
    odd = [chr(c) for c in range(128) if chr(c).isspace() and chr(c) not in " \n"]
    assert all(bp._has_odd_space(f"a{c}b") for c in odd)
    assert not bp._has_odd_space("".join(c for c in map(chr, range(128)) if c not in odd))


@given(_TEXT, st.integers(min_value=0, max_value=70))
def test_row_keys_are_normalised_lines(text: str, body_start: int) -> None:
    for row in bp._rows(text, body_start):
        line = text[row.start : row.end]
        assert row.key == normalise(line)
        assert row.stripped == line.strip()
        assert row.folded == (row.stripped.lower() if row.stripped.isascii() else None)


def test_row_keys_on_real_articles() -> None:
    files = sorted(_DATA.rglob("*.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for row in bp._rows(text, 0):
            assert row.key == normalise(text[row.start : row.end])


@given(st.text(alphabet=st.sampled_from(list("0123456789a ,.é“٣٤２\U0001d7ce")), max_size=30))
def test_has_four_digits_is_a_run_of_four_decimal_digits(line: str) -> None:
    import re

    from consistency.ingest.dateline import has_four_digits

    assert has_four_digits(line) == (re.search(r"\d{4}", line) is not None)
