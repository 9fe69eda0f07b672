"""Header lines before the body: title, page date, edition, bylines.

The header zone is the first few non-empty lines, up to the first real paragraph. Inside it each
line is classified (dateline, byline, edition, breadcrumb, page furniture, title); the body starts
after the last header line. A leading `` date YYYY-MM-DD `` prefix (how some stored pages begin)
gives the page date, and the body starts right after it unless the rest of that line is a title
or a byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from consistency.ingest.dateline import parse_date, parse_dateline
from consistency.ingest.lines import Line, iter_lines, next_content, normalise

MAX_HEADER_LINES = 8
MAX_HEADER_CHARS = 1200
LONG_LINE = 300  # a line this long is body, and ends the header zone
MAX_TITLE = 200

_PREFIX = re.compile(r"\ufeff?[ \t]*date:?[ \t]+(\d{4}-\d{2}-\d{2})(?=\s|$)[ \t]*", re.IGNORECASE)
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|al|bin|el)){0,4}"
_BYLINE = re.compile(
    rf"[\s•·*|\-–—]*(?i:(?:(?:written|reported|posted|compiled|edited)\s+)?by)\s*:?\s*"
    rf"(?:{_NAME}|[a-z][\w.-]{{1,30}})(?:\s*(?:,|and|&)\s*{_NAME})*"
    rf"(?:\s*[,|/]\s*[A-Z][\w.&'’-]*(?:\s+[A-Z&][\w.&'’-]*){{0,5}})?\s*"
)
# Author and page-date labels with nothing usable after them ("Written by:", "Published on").
_BYLINE_LABEL = re.compile(
    r"[\s•·*|\-–—]*(?:(?:written|reported|posted) by|authors?|(?:first )?(?:published|updated|posted)"
    r"(?: on| at)?|last updated.{0,40})\s*:?\s*",
    re.IGNORECASE,
)
# Page furniture that may sit among header lines.
_META = re.compile(
    r"[\s•·*|\-–—]*(?:this (?:article|story|content) is (?:more|older) than \d+ \w+ old"
    r"|listen to (?:this )?(?:article|story).{0,30}|\d+\s*min(?:ute)?s?\s+read|share(?: this)?"
    r"(?: article| story| on \w+)?|advertisement|follow us.{0,40}"
    r"|(?:photo|image|video)s?:?\s*.{0,40}\b(?:afp|reuters|ap|pti|ani|getty images|epa)\b.{0,20})\s*",
    re.IGNORECASE,
)
_NAV = re.compile(r"\s*(?:home|news)\s*(?:>>?|»|›|/|\|)\s*.{0,80}", re.IGNORECASE)
_EDITION = re.compile(
    r"\s*(?:[A-Z][\w.&'’-]*\s+){1,5}?"
    r"(?P<ed>Weekend(?:\s+Edition)?|Weekender|(?:[A-Z][a-z]+\s+)?Edition)\s*"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s*$")
# After a line that is neither title nor header (a standfirst, a caption), only these still
# belong to the header: the body starts after them.
_LATE_KINDS = ("date", "byline", "title-repeat")


@dataclass
class Header:
    body_start: int = 0
    title: str | None = None
    edition: str | None = None
    published: date | None = None
    date_span: tuple[int, int] | None = None  # in text offsets


def parse_header(text: str) -> Header:
    header = Header()
    lines = iter_lines(text)  # lazily: the header zone is the first few lines
    prefix = _PREFIX.match(text)
    if prefix and not _read_prefix(text, prefix, next(lines), header):
        return header
    _scan_zone(text, lines, header)
    return header


def _read_prefix(text: str, match: re.Match[str], line: Line, header: Header) -> bool:
    """Read a `` date YYYY-MM-DD `` prefix on ``line``; return whether to scan the next lines."""
    value = parse_date(match.group(1))
    if value is not None:
        header.published, header.date_span = value, match.span(1)
    header.body_start = match.end()
    rest = text[match.end() : line.end].strip()
    if rest and classify(rest) is None:
        if not title_like(rest):
            return False  # body text follows the prefix on the same line
        header.title = rest
    header.body_start = next_content(text, line.end)
    return True


def _scan_zone(text: str, lines: Iterable[Line], header: Header) -> None:
    seen = 0
    other_seen = False
    for line in lines:
        stripped = line.stripped
        if not stripped:
            continue
        seen += 1
        if seen > MAX_HEADER_LINES or line.start > MAX_HEADER_CHARS or len(stripped) > LONG_LINE:
            return
        kind = _kind_in_zone(line, header, other_seen)
        if kind is None:
            if _is_paragraph(stripped):
                return
            other_seen = True
            continue
        if other_seen and kind not in _LATE_KINDS:
            continue  # furniture after a standfirst does not move the body start
        header.body_start = next_content(text, line.end)


def _kind_in_zone(line: Line, header: Header, other_seen: bool) -> str | None:
    stripped = line.stripped
    if header.published is None and (found := parse_dateline(line.text)):
        header.published = found.value
        header.date_span = (line.start + found.start, line.start + found.end)
        return "date"
    if header.title is None and header.edition is None and (edition := edition_of(stripped)):
        header.edition = edition
        return "edition"
    # a line without a page date was just read as a dateline: not again when it is as stripped
    kind = _classify(stripped, date_tried=header.published is None and stripped == line.text)
    if kind is not None:
        return kind
    if header.title is None and not other_seen and title_like(stripped):
        header.title = stripped
        return "title"
    if header.title is not None and normalise(stripped) == normalise(header.title):
        return "title-repeat"
    return None


def classify(line: str) -> str | None:
    """The kind of a header line: date, byline, nav, meta; None for anything else."""
    return _classify(line, date_tried=False)


def _classify(line: str, date_tried: bool) -> str | None:
    """``classify``; ``date_tried``: ``parse_dateline(line)`` is known to be None."""
    if not line:
        return None
    if not date_tried and parse_dateline(line):
        return "date"
    if len(line) > 100:
        return None
    if _BYLINE.fullmatch(line) or _BYLINE_LABEL.fullmatch(line):
        return "byline"
    if _NAV.fullmatch(line):
        return "nav"
    if _META.fullmatch(line):
        return "meta"
    return None


def edition_of(line: str) -> str | None:
    """The edition named by a masthead line ("The Daily Courier Weekend" -> "Weekend")."""
    match = _EDITION.fullmatch(line) if len(line) <= 60 else None
    return match.group("ed") if match else None


def title_like(line: str) -> bool:
    """Short, at least two words, and not ending like a sentence or a clause."""
    if not 2 <= len(line) <= MAX_TITLE or len(line.split()) < 2:
        return False
    return line[-1] not in ".,;:" and not line[0].islower()


def _is_paragraph(line: str) -> bool:
    """A line that reads as a body paragraph: long enough and ending a sentence."""
    return len(line) >= 100 and bool(_SENTENCE_END.search(line))
