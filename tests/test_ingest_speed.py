"""INGEST fast paths: each must give the answer of the plain check it stands in front of."""

from __future__ import annotations

from random import Random

import ftfy
import pytest

from consistency.ingest import repair as rp

# characters of news text and of its mojibake: ASCII, typographic marks, accented letters
# (upper and lower case), the cp1252 misreadings of UTF-8, C1 controls, odd spaces, ligatures
_MIXED = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "\t\r"
    + rp._PLAIN
    + rp._LETTERS
    + "ÀÁÂÃÄÅÇÈÉÊËÍÑÓÖØÚÜÝĞİŒŠŽ"
    + "€‚ƒ„†‡ˆ‰‹‘’“”•˜™›œžŸ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷"
    + "\x80\x81\x8d\x9d\xa0\xad\u200b\u2060\ufeff\ufb01\uff21\u3000"
    + "βΒΓвЂГўВЂ√≈∂"
    + "e\u0301\u0323"  # combining marks: not NFC after some letters
)


def _ftfy_unchanged(line: str) -> bool:
    return ftfy.fix_text(line, config=rp._CONFIG).translate(rp._TRANSLATE) == line


@pytest.mark.skipif(not rp.FTFY_CHECKED, reason="the ftfy gate is only on for ftfy 6.3")
def test_unchanged_by_ftfy_agrees_with_ftfy() -> None:
    """A line ``_unchanged_by_ftfy`` lets past ftfy is one ftfy (and _TRANSLATE) leave as it is,
    and ``repair_line`` gives ftfy's answer on every line."""
    rng = Random(11)
    passed = 0
    for _ in range(6000):
        size = rng.choice((2, 3, 5, 12, 40, 120))
        # mostly ASCII with a few others, as in articles; sometimes only the others
        pool = _MIXED if rng.random() < 0.3 else "abcdefghij klmnop,." * 8 + _MIXED
        line = "".join(rng.choice(pool) for _ in range(size))
        expected = ftfy.fix_text(line, config=rp._CONFIG).translate(rp._TRANSLATE)
        if rp._unchanged_by_ftfy(line):
            passed += 1
            assert expected == line, line
        assert rp.repair_line(line) == expected, line
    assert passed > 500  # the gate is exercised, not only refused
    for line in ("Björn said: “The families deserve answers.”", "Çağla Waickaki said",
                 "“I heard a loud bang,” said Çağla."):
        assert rp._unchanged_by_ftfy(line) and _ftfy_unchanged(line)
    for line in ("said: â€œOur teams", "a &amp; b", "e\u0301", "\ufb01ne", "caf\x9d"):
        assert not rp._unchanged_by_ftfy(line)


def test_fold_agrees_with_ignorecase_on_every_code_point() -> None:
    """``boilerplate._fold`` keeps ``line.lower()`` for lines without _ASCII_CASED: no other
    character matches an ASCII letter under re.IGNORECASE, lower-cases to something holding an
    ASCII character or "©", or changes whether it is whitespace."""
    import re

    from consistency.ingest import boilerplate as bp

    letter = re.compile("[a-z]", re.IGNORECASE)
    copyright_ = re.compile("©", re.IGNORECASE)
    odd = []
    for code in range(0x80, 0x110000):
        char = chr(code)
        low = char.lower()
        if (
            letter.match(char)
            or any(c.isascii() or c == "©" for c in low) and char != "©"
            or (copyright_.match(char) and char != "©")
            or low[:1].isspace() != char.isspace()
        ):
            odd.append(char)
    assert sorted(odd) == sorted(bp._ASCII_CASED.pattern[1:-1])
    assert bp._fold("Read more: “x”") == "read more: “x”"
    assert bp._fold("ſee also") is None and bp._fold("İNBOX") is None


def test_rows_keys_are_normalised_lines() -> None:
    """``_rows`` takes a printable line without two spaces in a row as its own normal form: every
    whitespace character but the space is unprintable, so such a line splits on single spaces."""
    from consistency.ingest import boilerplate as bp
    from consistency.ingest.lines import normalise

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]
    text = ("Title\r\n\r\n  Ünïcode  line\u2003x \r\nA\tB\n“Quote” said ÇAĞLA ß.\nplain LINE\n"
            "\u00a0\n last\r")
    for body_start in (0, 3, 9, 20, len(text)):
        for row in bp._rows(text, body_start):
            assert row.key == normalise(text[row.start : row.end])
            assert row.stripped == text[row.start : row.end].strip()


def test_is_bad_tried_near_non_ascii_characters() -> None:
    """``repair._is_bad`` tries ftfy's badness pattern only up to two characters before a
    character beyond ASCII: every alternative of the pattern has one among its first three."""
    import re
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    from ftfy.badness import BADNESS_RE, is_bad

    assert not BADNESS_RE.flags & re.IGNORECASE
    (op, (_, branches)), *rest = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert op is sre_c.BRANCH and not rest

    def beyond_ascii(op: object, av: object) -> bool:
        if op is sre_c.LITERAL:
            return av >= 128  # type: ignore[operator]
        return op is sre_c.IN and all(
            (o is sre_c.LITERAL and a >= 128) or (o is sre_c.RANGE and a[0] >= 128)
            for o, a in av  # type: ignore[attr-defined]
        )

    def early(branch: list[tuple[object, object]]) -> bool:
        offsets = {0}  # where the next item may match, from the start of a match
        for op, av in branch:
            if op is sre_c.AT:
                continue
            if max(offsets) > 2:
                return False
            if beyond_ascii(op, av):
                return True
            if op in (sre_c.LITERAL, sre_c.IN, sre_c.ANY, sre_c.NOT_LITERAL, sre_c.CATEGORY):
                offsets = {o + 1 for o in offsets}
            elif op is sre_c.MAX_REPEAT and av[:2] == (0, 1) and len(av[2]) == 1:  # type: ignore[index]
                offsets |= {o + 1 for o in offsets}
            else:
                return False
        return False

    assert all(early(list(b)) for b in branches)
    rng = Random(3)
    for _ in range(20000):
        pool = _MIXED if rng.random() < 0.5 else "abc de.," * 6 + _MIXED
        line = "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 3, 4, 8, 30))))
        assert rp._is_bad(line) == is_bad(line), line


def test_row_line_numbers_tell_blank_lines_as_counting_line_breaks_does() -> None:
    """Two rows are on adjacent lines (``numbers`` differ by one) exactly when one line break
    lies between the first's end and the second's start, the test caption pairs used to make;
    also where the body starts inside a line, and with CR line endings and blank lines of
    spaces."""
    from pathlib import Path

    from consistency.ingest import boilerplate as bp

    repo = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted([*repo.glob("seeds/*.txt"), *repo.glob("tests/data/**/*.txt")])]
    rng = Random(5)
    for _ in range(3000):
        texts.append("".join(rng.choice(["a", "B c", " ", "\n", "\r\n", "\n \n", "\t", "\u2028",
                                         "\x0b", "Photo: AP"]) for _ in range(rng.randint(0, 14))))
    for text in texts:
        for body_start in {0, len(text) // 3, len(text) // 2}:
            rows, numbers = bp._numbered_rows(text, body_start)
            assert rows == bp._rows(text, body_start)
            for i in range(1, len(rows)):
                adjacent = text.count("\n", rows[i - 1].end, rows[i].start) <= 1
                assert (numbers[i] - numbers[i - 1] <= 1) == adjacent, (text, body_start)


def test_iter_lines_cuts_like_splitting_on_line_feeds() -> None:
    """``iter_lines`` gives every line split on LF, a trailing CR left out, as ``Line``s."""
    from consistency.ingest.lines import Line, iter_lines

    rng = Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(["a", " ", "\n", "\r", "\r\n", "\r\r\n", "é", "\u2028"])
                       for _ in range(rng.randint(0, 12)))
        expected, pos = [], 0
        for chunk in text.split("\n"):
            content = chunk[:-1] if chunk.endswith("\r") else chunk
            expected.append(Line(pos, pos + len(content), content))
            pos += len(chunk) + 1
        got = list(iter_lines(text))
        assert got == expected and all(type(line) is Line for line in got), text
