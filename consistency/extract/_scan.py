"""Fast scanning for the grammars: RE2 finds where a match may start, the stdlib engine matches.

Each grammar (numbers, times) is one stdlib pattern, and its ``finditer`` is the definition of
what the grammar finds. Scanning a whole article with it is slow: the stdlib engine tries the
alternation at every position. ``Scanner`` gives the same matches faster. A second, small
pattern (RE2, compiled without captures) describes where a match *may start*: a superset of
the grammar's start positions, e.g. "a word boundary before a digit or before one of these
words". RE2 runs it as a DFA over the text with every non-ASCII character replaced by ``?``
(so byte offsets are character offsets); the stdlib pattern is then tried, anchored, only at
the positions RE2 reports. After a match the scan resumes at its end; after a miss, one
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
import time
from collections.abc import Iterator

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; the stdlib scan still works
    _re2 = None

_CHECK_EVERY = 256  # candidates between two looks at the clock


class ScanTimeout(TimeoutError):
    """The scan passed its deadline (``time.monotonic()`` value)."""


def placeholder_form(fragment: str) -> str:
    """A regex fragment for the placeholder text the scan runs on: every non-ASCII character
    of the fragment becomes the placeholder ``?`` (escaped outside a character class)."""
    out: list[str] = []
    in_class = escaped = False
    for ch in fragment:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        if ord(ch) > 127:
            ch = "?" if in_class else r"\?"
        out.append(ch)
    return "".join(out)


class Scanner:
    """``pattern.finditer(text)``, with candidate starts from the RE2 pattern ``starts``.

    RE2 runs on ``text.encode("ascii", "replace")``: one byte per character, so its offsets
    are the text's, and every non-ASCII character reads as the placeholder ``?``. So every
    ``?`` is a candidate (a match may start at any non-ASCII character), non-ASCII characters
    written in ``starts`` become ``?``, and ``starts`` must accept ``?`` wherever it reads a
    character class that may hold non-ASCII characters (Unicode digits and spaces). Texts with characters that case-fold onto ASCII letters under the
    stdlib's Unicode rules (``stdlib_if``) are left to the stdlib scan.
    """

    def __init__(self, pattern: re.Pattern[str], starts: str,
                 stdlib_if: re.Pattern[str] | None = None) -> None:
        self.pattern = pattern
        self.stdlib_if = stdlib_if
        self.starts = None
        if _re2 is not None:
            options = _re2.Options()
            options.never_capture = True
            options.encoding = _re2.Options.Encoding.LATIN1
            ascii_starts = rf"(?:{placeholder_form(starts)})|\?"
            self.starts = _re2.compile(ascii_starts.encode("ascii"), options)

    def finditer(self, text: str, deadline: float | None = None) -> Iterator[re.Match[str]]:
        if self.starts is None or (
                self.stdlib_if is not None and not text.isascii() and self.stdlib_if.search(text)):
            return self._stdlib(text, deadline)
        return self._candidates(text, text.encode("ascii", "replace"), deadline)

    def _stdlib(self, text: str, deadline: float | None) -> Iterator[re.Match[str]]:
        for i, m in enumerate(self.pattern.finditer(text)):
            if deadline is not None and i % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise ScanTimeout
            yield m

    def _candidates(self, text: str, enc: bytes, deadline: float | None,
                    ) -> Iterator[re.Match[str]]:
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
