"""Splitting text into lines that remember where they are."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a text: ``text`` is ``source[start:end]`` without its line ending."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (split on LF; a trailing CR stays out of the line)."""
    lines: list[Line] = []
    pos = 0
    for chunk in text.split("\n"):
        content = chunk[:-1] if chunk.endswith("\r") else chunk
        lines.append(Line(pos, pos + len(content), content))
        pos += len(chunk) + 1
    return lines


def normalise(text: str) -> str:
    """Case- and space-insensitive form of a line, for comparing lines with each other."""
    return _SPACE.sub(" ", text).strip().casefold()


def next_content(text: str, pos: int) -> int:
    """The first non-whitespace position at or after ``pos`` (``len(text)`` if none)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
