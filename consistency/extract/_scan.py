"""Fast scanning for the grammars: RE2 finds where a match may start, the stdlib engine matches.

Each grammar (numbers, times) is one stdlib pattern, and its ``finditer`` is the definition of
what the grammar finds. Scanning a whole article with it is slow: the stdlib engine tries the
alternation at every position. ``Scanner`` gives the same matches faster. A second, small
pattern (RE2, compiled without captures) describes where a match *may start*: a superset of
the grammar's start positions, e.g. "a word boundary before a digit or before one of these
words". RE2 runs it as a DFA over the UTF-8 bytes; the stdlib pattern is then tried, anchored,
only at the positions RE2 reports. After a match the scan resumes at its end; after a miss, one
character further. So the result is exactly ``pattern.finditer(text)`` whenever the start
pattern really is a superset (tests/test_numbers.py and tests/test_times.py compare the two on
real and random text).

The full grammar in RE2 would do the same, but RE2 pays per match for finding where a long
optional tail ends and for its reverse pass to the start: on news text that cost ~3x more than
this two-step scan. The deadline is checked every few hundred candidates, so that a pathological
article (a megabyte of digits) stops within its time budget instead of after the whole pass.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from functools import cache

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; the stdlib scan still works
    _re2 = None

_CHECK_EVERY = 256  # candidates between two looks at the clock


class ScanTimeout(TimeoutError):
    """The scan passed its deadline (``time.monotonic()`` value)."""


@cache
def non_ascii_digits() -> str:
    """A character class body of every non-ASCII decimal digit (what stdlib ``\\d`` adds to
    ``[0-9]`` on str patterns), as RE2 ``\\x{...}`` ranges."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x80, sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) == "Nd":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)


class Scanner:
    """``pattern.finditer(text)``, with candidate starts from the RE2 pattern ``starts``."""

    def __init__(self, pattern: re.Pattern[str], starts: str,
                 stdlib_if: re.Pattern[str] | None = None) -> None:
        self.pattern = pattern
        self.stdlib_if = stdlib_if  # texts with these characters are scanned by the stdlib alone
        self.starts = None
        if _re2 is not None:
            options = _re2.Options()
            options.never_capture = True
            self.starts = _re2.compile(starts, options)

    def finditer(self, text: str, deadline: float | None = None) -> Iterator[re.Match[str]]:
        if self.starts is None or (
                self.stdlib_if is not None and not text.isascii() and self.stdlib_if.search(text)):
            yield from self._stdlib(text, deadline)
            return
        try:
            enc = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: RE2 needs valid UTF-8
            yield from self._stdlib(text, deadline)
            return
        if len(enc) == len(text):
            yield from self._ascii(text, enc, deadline)
        else:
            yield from self._unicode(text, enc, deadline)

    def _stdlib(self, text: str, deadline: float | None) -> Iterator[re.Match[str]]:
        for i, m in enumerate(self.pattern.finditer(text)):
            if deadline is not None and i % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise ScanTimeout
            yield m

    def _ascii(self, text: str, enc: bytes, deadline: float | None) -> Iterator[re.Match[str]]:
        search, match = self.starts.search, self.pattern.match  # type: ignore[union-attr]
        pos, seen = 0, 0
        while (found := search(enc, pos)) is not None:
            seen += 1
            if deadline is not None and seen % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise ScanTimeout
            start = found.start()
            m = match(text, start)
            if m is None or m.end() == start:
                pos = start + 1
                continue
            pos = m.end()
            yield m

    def _unicode(self, text: str, enc: bytes, deadline: float | None) -> Iterator[re.Match[str]]:
        """As ``_ascii``, walking a byte offset and a character offset forward together."""
        search, match = self.starts.search, self.pattern.match  # type: ignore[union-attr]
        bpos = cpos = 0  # enc[:bpos] decodes to text[:cpos]
        seen = 0
        while (found := search(enc, bpos)) is not None:
            seen += 1
            if deadline is not None and seen % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise ScanTimeout
            b = found.start()
            cpos += len(enc[bpos:b].decode("utf-8"))
            bpos = b
            m = match(text, cpos)
            nxt = cpos + 1 if m is None or m.end() == cpos else m.end()
            bpos += len(text[cpos:nxt].encode("utf-8"))
            cpos = nxt
            if m is not None and m.end() > m.start():
                yield m
