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
from collections.abc import Callable, Iterator
from typing import Any

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


# Characters that the stdlib's Unicode case folding matches to ASCII letters ("ſince" matches
# "(?i)since"): the placeholder text spells them as those letters, so RE2 sees them too.
_FOLDS_TO_ASCII = {0x17F: "s", 0x212A: "k", 0x130: "i", 0x131: "i"}
if sorted(_FOLDS_TO_ASCII) != [0x130, 0x131, 0x17F, 0x212A]:  # pragma: no cover
    raise ValueError("_FOLDS_TO_ASCII changed: update _has_folding")


def _has_folding(text: str) -> bool:
    """Whether ``text`` holds one of the folding letters. Four substring tests: a regex class
    search called its class test at every character of the article."""
    return "\u017f" in text or "\u212a" in text or "\u0130" in text or "\u0131" in text


def placeholder_text(text: str, fold: bool = True) -> bytes:
    """The text as the scans read it: one byte per character, non-ASCII characters as ``?``;
    with ``fold`` (for patterns in the stdlib's Unicode mode, where these are word characters
    that match ASCII letters ignoring case) the four folding letters as those letters."""
    if fold and not text.isascii() and _has_folding(text):
        text = text.translate(_FOLDS_TO_ASCII)
    return text.encode("ascii", "replace")


def _compile_placeholder(pattern: str) -> Any:
    """RE2 for placeholder text: no captures, one byte per character (Latin-1 mode)."""
    assert _re2 is not None
    options = _re2.Options()
    options.never_capture = True
    options.encoding = _re2.Options.Encoding.LATIN1
    return _re2.compile(placeholder_form(pattern).encode("ascii"), options)


class Prefilter:
    """A cheap RE2 test that rules out most texts before an expensive stdlib ``search``.

    ``superset`` must match (in placeholder text, folded: see ``placeholder_text``) wherever
    the stdlib pattern (Unicode mode) matches; a "no" is then final and only a "yes" needs the
    stdlib pattern's confirmation.
    """

    def __init__(self, superset: str) -> None:
        self.compiled = None
        if _re2 is not None:
            self.compiled = _compile_placeholder(superset)
            self._raw, self._anchor = _raw_search(self.compiled)

    def may_match(self, placeholder: bytes, start: int, end: int) -> bool:
        return self.compiled is None or (
            self._raw(self._anchor, placeholder, start, end)[0][0] >= 0
        )

    def next_start(self, placeholder: bytes, start: int, end: int) -> int:
        """Where the superset's first match in ``placeholder[start:end]`` starts (-1: none;
        ``start`` itself without RE2, where every position may start one)."""
        if self.compiled is None:
            return start
        return self._raw(self._anchor, placeholder, start, end)[0][0]  # type: ignore[no-any-return]


class Scanner:
    """``pattern.finditer(text)``, with candidate starts from the RE2 pattern ``starts``.

    RE2 runs on ``text.encode("ascii", "replace")``: one byte per character, so its offsets
    are the text's, and every non-ASCII character reads as the placeholder ``?``. So every
    ``?`` is a candidate (a match may start at any non-ASCII character), non-ASCII characters
    written in ``starts`` become ``?``, and ``starts`` must accept ``?`` wherever it reads a
    character class that may hold non-ASCII characters (Unicode digits and spaces). For a
    pattern in Unicode mode the folding letters are spelled in ASCII (``placeholder_text``).
    """

    def __init__(self, pattern: re.Pattern[str], starts: str,
                 non_ascii_start: Callable[[str], bool] | None = None) -> None:
        self.pattern = pattern
        self.fold = not pattern.flags & re.ASCII
        # which non-ASCII characters a match may start at (None: any); a "?" candidate at any
        # other is skipped without trying the pattern
        self.non_ascii_start = non_ascii_start
        self.starts = None
        if _re2 is not None:
            self.starts = _compile_placeholder(rf"(?:{starts})|\?")

    def finditer(self, text: str, deadline: float | None = None, enc: bytes | None = None,
                 ) -> Iterator[re.Match[str]]:
        """The matches; ``enc`` is ``placeholder_text(text, self.fold)`` when the caller has it
        already (it is made here otherwise)."""
        if self.starts is None:
            return self._stdlib(text, deadline)
        if enc is None:
            enc = placeholder_text(text, self.fold)
        return self._candidates(text, enc, deadline)

    def _stdlib(self, text: str, deadline: float | None) -> Iterator[re.Match[str]]:
        for i, m in enumerate(self.pattern.finditer(text)):
            if deadline is not None and i % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise ScanTimeout
            yield m

    def _candidates(self, text: str, enc: bytes, deadline: float | None,
                    ) -> Iterator[re.Match[str]]:
        raw, anchor = _raw_search(self.starts)  # called here, not through a wrapper
        match, skip = self.pattern.match, self.non_ascii_start
        pos, seen, size = 0, 0, len(enc)
        while (start := raw(anchor, enc, pos, size)[0][0]) >= 0:
            seen += 1
            if deadline is not None and seen % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise ScanTimeout
            if skip is not None and enc[start] == 63 and not skip(text[start]):  # "?"
                pos = start + 1
                continue
            m = match(text, start)
            if m is None:
                pos = start + 1
                continue
            end = m.end()
            if end == start:
                pos = start + 1
                continue
            pos = end
            yield m


def _raw_search(compiled: Any) -> tuple[Callable[..., Any], Any]:
    """``(raw, anchor)`` for an RE2 pattern: ``raw(anchor, enc, pos, size)[0][0]`` is where
    its first match in ``enc[pos:size]`` starts (-1: none). The RE2 module's own ``search``
    spends more time in Python (argument checks, a generator, a match object) than RE2 spends
    searching, and a Python wrapper around the call was a tenth of a scan: the compiled
    object's ``Match`` is returned as it is when the module exposes it as this version does."""
    regexp = getattr(compiled, "_regexp", None)
    anchor = getattr(getattr(getattr(_re2, "_re2", None), "RE2", None), "Anchor", None)
    if regexp is not None and anchor is not None:
        return regexp.Match, anchor.UNANCHORED

    def portable(_anchor: Any, enc: bytes, pos: int, size: int,
                 ) -> tuple[tuple[int, int]]:  # pragma: no cover
        found = compiled.search(enc, pos, size)
        return ((-1, -1),) if found is None else (found.span(),)
    return portable, None  # pragma: no cover
