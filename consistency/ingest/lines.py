"""Splitting text into lines that remember where they are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple


class Line(NamedTuple):
    """One line of a text: ``text`` is ``source[start:end]`` without its line ending.

    A named tuple, not a frozen dataclass: a frozen dataclass sets each field through
    ``object.__setattr__``, and every line of every article is made twice (header, boilerplate).
    """

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (split on LF; a trailing CR stays out of the line)."""
    return list(iter_lines(text))


# builds a Line from a tuple in C, without the Python-level __new__ of named tuples
_new_line = tuple.__new__


def iter_lines(text: str) -> Iterator[Line]:
    """The lines of ``split_lines``, one at a time and cut only when asked for (the header reads
    the first few lines of a text)."""
    pos = 0
    while True:
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline
        # an index, not endswith("\r", pos, end): that parses its bounds like a format string
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        yield _new_line(Line, (pos, content_end, text[pos:content_end]))
        if newline < 0:
            return
        pos = newline + 1


def normalise(text: str) -> str:
    """Case- and space-insensitive form of a line, for comparing lines with each other."""
    # split() and re's \s agree on what whitespace is: same as collapsing runs of it, stripped
    return " ".join(text.split()).casefold()


def next_content(text: str, pos: int) -> int:
    """The first non-whitespace position at or after ``pos`` (``len(text)`` if none)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
