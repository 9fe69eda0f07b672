"""Page furniture inside and after the body, found by generic cues (not by site).

- A *trailing heading* ("More in Local News", "Related Posts", "Editors Choice", "Newspapers in
  English", "Talk to us", ...) in the last part of the article ends the body, and so does an agency
  sign-off ("PA Media", "- PTI") with no paragraph after it. Furniture right before that point
  (newsletter prompts, caption noise, one-word caption labels) is cut with it.
- Inside the body, whole lines are skipped: repeated lines and captions (a line printed twice, a
  caption followed by its photo credit, lines ending in "(AP)" or "(Photo ...)"), photo credits,
  prompts ("Read more: ...", "Sign up ..."), date-only lines, embedded tweets, leftover markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from consistency.ingest.dateline import has_four_digits, parse_dateline
from consistency.ingest.lines import normalise

TRAILING_FRACTION = 0.35  # a trailing heading must lie past this share of the body...
TRAILING_MIN_BODY = 1000  # ...or after this many characters of body
MIN_DUPLICATE = 20  # shorter repeated lines ("Dead", "Reuters") are not treated as duplicates
SUBSTANTIAL = 80  # a line this long that is not furniture is body
MAX_CACHED_LINE = 400  # longer lines are classified again each time (see _cached_kind)

_AGENCY = (
    r"PA(?: Media)?|AP|AFP|Reuters|PTI|IANS|ANI|UNI|EFE|dpa|Xinhua|Bernama|Kyodo|Yonhap|AAP|"
    r"Agencies|Bloomberg|TNS|CNA|WAM|APP|TASS|RIA Novosti|Anadolu|The Associated Press|"
    r"Associated Press|Agence France-Presse"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"

_TAIL = r"(?: (?:[A-Z][\w&'’.-]*|the|this|and|of|on|from|story|stories|topic|these|topics|&)){0,6}"
_STRONG = re.compile(
    rf"(?:(?i:more|also) (?i:in|from|on|about){_TAIL}|(?i:more stories|explore more on){_TAIL}"
    r"|(?i:related(?: (?:posts?|articles?|stories|news|coverage|content|topics|links|videos"
    r"|reading|items))?|editors?['’]? ?(?:choice|picks?)|talk to us|topics|reuse this content"
    r"|support (?:local|independent|our) journalism|most (?:read|popular|viewed|shared|commented)"
    r"|trending(?: now| stories| news)?|recommended(?: for you| stories| reading| articles)?"
    r"|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|don['’]t miss"
    r"|top stories|latest (?:news|stories|videos)|(?:\d+ )?comments?|leave a (?:comment|reply)"
    r"|join the conversation|about the author|what to read next|popular (?:stories|now)"
    r"|more from (?:our|the) (?:network|partners?)|sponsored(?: content| stories| links)?"
    r"|promoted(?: content| stories| links)?|(?:from|around) the web|partner content"
    r"|paid content|recommended by outbrain|(?:sponsored )?by taboola"
    r"|read more|also read|read also|see also|more news|latest news|more stories)"
    rf"|(?i:newspapers (?:in|from)){_TAIL}|(?i:tags?|topics?|filed under)\s*:.{{0,80}}"
    r")\s*:?"
)
_PROMPTS = re.compile(
    r"(?:also read|read also|read more|see also|also see|related|watch|listen)\b\s*"
    r"(?:on|about|from|at)?\s*[:|\-–—>»].{0,200}"
    r"|read more|continue reading.{0,60}|story continues below.{0,30}|advertisement"
    r"|scroll (?:down )?to continue.{0,40}|(?:click|tap) here.{0,120}|listen to this (?:article|story)"
    r"|(?:sign up|subscribe|get our|enter your email|download (?:the|our) .{0,40}app)\b.{0,160}"
    r"|.{0,120}\b(?:to|in) your inbox\b.{0,80}|.{0,80}\bnewsletter\b.{0,40}"
    r"|(?:give us your news tips|send us a letter|follow (?:us|more stories) on|share this)\b.{0,80}"
    r"|>\s.{0,120}|this (?:article|story) is (?:more|older) than \d+ \w+ old"
    r"|(?:written|reported|posted) by:?|published(?: on)?:?"
    r"|read (?:this|the) (?:story|article) in \w+",
    re.IGNORECASE,
)
_UPPER_PROMPT = re.compile(r"(?:ALSO READ|READ MORE|READ ALSO|WATCH|READ)\b.{0,200}")
# Lines that close an article (credits, copyright, syndication notes): in the last part of the
# text they end the body even when page text follows.
_END_MARK = re.compile(
    r"[(\s]*(?:additional )?(?:reporting|writing|editing) by .{0,200}"
    r"|.{0,80}\bcontributed (?:to )?(?:this|the) (?:report|story)(?:ing)?\.?"
    r"|(?:copyright\s*(?:©|\(c\))?|©)\s*\d{4}\b.{0,160}|.{0,120}\ball rights reserved\b.{0,160}"
    r"|\(?(?:except for the headline|this (?:story|article) has not been edited).{0,200}"
    r"|(?:our standards|the thomson reuters trust principles)\b.{0,80}",
    re.IGNORECASE,
)
_CAPTION_LABEL = re.compile(r"(?:image|media|photo|video) caption\s*[,:]?", re.IGNORECASE)
_SIGNOFF = re.compile(
    rf"[\s\-–—(]*(?:{_AGENCY})[\s)\-–—.]*"
    r"|[(\s]*with (?:inputs|agency inputs) from .{0,60}",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"(?:photo|photograph|picture|image|pic|file photo|photo credit|credit|video)s?\s*[:|/]\s*.{1,80}"
    r"|(?:image|media) (?:source|caption)\s*[,:].{0,200}|(?:afp via )?getty images|shutterstock",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(r"\b(?:Photograph|Photo|Picture|Image)s?\s*(?:credit)?\s*:\s*[^.:]{2,80}$")
_CAPTION_END = re.compile(
    rf"\((?:{_AGENCY}|EPA|Getty(?: Images)?|Shutterstock|File|File photo|Representational"
    r"(?: image| photo)?|[^()]*\b(?:photo|Photo|PHOTO|image|Image|picture|Picture|courtesy|Courtesy)\b"
    r"[^()]*|[A-Z][^()/]{1,40}\s/\s[^()]{1,40})\)\s*$"
)
_NOISE = re.compile(r"\s*(?:\?\?\s*){2,}.{0,80}|[\W_]{1,20}")
_MARKUP = re.compile(
    r"\s*<[^>]*>?\s*|.*\b(?:class|style|href|src)=[\"'].*|\s*(?:blockquote|div|iframe"
    r"|script|span)\b[^.]{0,200}[=>].*",
    re.IGNORECASE,
)
_TWEET = re.compile(
    rf".*(?:pic\.twitter\.com/|[—–]\s*[^()]{{1,60}}\(@\w{{1,20}}\)\s*"
    rf"(?:{_MONTH}\s+\d{{1,2}},\s*\d{{4}})?\s*$).*"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s*$")


# Cheap necessary conditions for the full patterns, so that a prose line (most of the body) costs
# a few substring tests instead of eleven full matches (boilerplate was half of ingest). Every
# line a pattern accepts starts with one of its _STARTS words (or with whitespace) or contains
# one of its _WORDS, compared case-insensitively like the patterns: a line without them gets the
# same answer without the match. The words repeat literal parts of the patterns: change both
# together (tests/test_ingest.py compares line_kind with the plain checks).
_STARTS = (
    # _END_MARK
    "(", "additional", "reporting", "writing", "editing", "copyright", "©", "except",
    "our standards", "the thomson reuters",
    # _PROMPTS (and _UPPER_PROMPT: ALSO READ, READ, WATCH)
    "also", "read", "see", "related", "watch", "listen", "continue", "story", "advertisement",
    "scroll", "click", "tap", "sign up", "subscribe", "get our", "enter", "download", "give us",
    "send us", "follow", "share", ">", "this", "written", "reported", "posted", "published",
    # _CREDIT_LINE and _CAPTION_LABEL
    "photo", "pic", "image", "file photo", "credit", "video", "media", "afp via ", "getty",
    "shutterstock",
    # _SIGNOFF, with inputs from ...
    "with",
)
_WORDS = ("contributed", "all rights reserved", "inbox", "newsletter")  # _END_MARK, _PROMPTS
_START_HINT = re.compile(r"\s|" + "|".join(map(re.escape, _STARTS)), re.IGNORECASE)
_STARTS_BY_FIRST = {w[0]: tuple(v for v in _STARTS if v[0] == w[0]) for w in _STARTS}
_WORD_HINT = re.compile("|".join(map(re.escape, _WORDS)), re.IGNORECASE)


def _hints(line: str, folded: str | None) -> tuple[bool, bool]:
    """Whether ``line`` starts with whitespace or one of _STARTS, and whether it does or contains
    one of _WORDS.

    ``folded`` is ``_fold(line)``: where it is not None, lower-casing and substring tests agree
    with ``re.IGNORECASE`` and are fast. Other lines go through the hint patterns, as Unicode case
    folding differs from ``str.lower`` ("ſ" matches an "s")."""
    if folded is None:
        starts = _START_HINT.match(line) is not None
        return starts, starts or _WORD_HINT.search(line) is not None
    first = folded[:1]
    starts = first.isspace() or folded.startswith(_STARTS_BY_FIRST.get(first, ()))
    return starts, starts or _has_word(folded)


# The characters beyond ASCII that re.IGNORECASE matches with an ASCII letter ("İ", "ı", "ſ" and
# the Kelvin sign); no other one lower-cases to anything holding an ASCII character or a space,
# and none to "©" (tests/test_ingest_speed.py checks every code point).
_ASCII_CASED = re.compile("[\u0130\u0131\u017f\u212a]")


def _fold(line: str) -> str | None:
    """``line.lower()`` when the hint words (ASCII, and "©") are found in it exactly where
    re.IGNORECASE finds them in ``line``: its ASCII runs are lower-cased alike and every other
    character stays out of ASCII. None for a line with one of _ASCII_CASED. Non-ASCII lines
    (curly quotes, accented names) then skip the hint patterns, ten times slower."""
    if line.isascii() or not _ASCII_CASED.search(line):
        return line.lower()
    return None


def _has_word(folded: str) -> bool:
    """Whether one of _WORDS is in ``folded`` (spelled out: half the time of a loop over them)."""
    return (
        "contributed" in folded
        or "all rights reserved" in folded
        or "inbox" in folded
        or "newsletter" in folded
    )


@dataclass
class Boilerplate:
    body_end: int
    skip_ranges: list[tuple[int, int]] = field(default_factory=list)


class _Row(NamedTuple):
    """A non-blank line with what the checks read of it, each computed once."""

    start: int
    end: int
    stripped: str
    folded: str | None  # ``stripped.lower()`` for an ASCII line, else None (see _hints)
    key: str  # ``normalise(text)``: how lines are compared with each other


# builds a _Row from a tuple in C, without the Python-level __new__ of named tuples (every line)
_new_row = tuple.__new__


def find_boilerplate(text: str, body_start: int) -> Boilerplate:
    """Where trailing furniture begins, and the furniture lines inside the body (text offsets)."""
    rows, numbers = _numbered_rows(text, body_start)
    # the body is the rows from ``first`` on (rows run in text order)
    first = next((i for i, row in enumerate(rows) if row.start >= body_start), len(rows))
    kinds: list[str | None] = [None] * first
    # line_kind, with its cache called here: a frame less for every body line
    kinds += [
        _cached_kind(row.stripped) if len(row.stripped) <= MAX_CACHED_LINE
        else line_kind(row.stripped)
        for row in rows[first:]
    ]
    furniture = {i for i, kind in enumerate(kinds) if kind} | _repeats_and_captions(
        rows, numbers, first
    )
    body_end = _body_end(text, rows, first, kinds, furniture, body_start)
    skips = [
        (row.start, row.end)
        for i, row in enumerate(rows)
        if i >= first and i in furniture and row.end <= body_end
    ]
    return Boilerplate(body_end=body_end, skip_ranges=skips)


def line_kind(line: str) -> str | None:
    """Why a (stripped) line is furniture, or None for a body line."""
    if len(line) <= MAX_CACHED_LINE:
        return _cached_kind(line)
    return _kind(line, _fold(line))


# The articles of a story repeat each other's paragraphs (agency copy: half the body lines of
# the benchmark) and page furniture repeats across stories, so kinds are cached; only for lines
# up to MAX_CACHED_LINE characters, which bounds the memory the cache holds (a few MB).
@lru_cache(maxsize=4096)
def _cached_kind(line: str) -> str | None:
    return _kind(line, _fold(line))


def _kind(line: str, folded: str | None) -> str | None:
    """The first check that accepts ``line``, in order; each sits behind cheap tests (its length
    limit, a character or a hint word it needs) that never change its answer."""
    size = len(line)
    if _doubled(line):
        return "caption"
    starts, hinted = _hints(line, folded)
    if size <= 60 and not line.endswith(".") and _STRONG.fullmatch(line):
        return "heading"
    if hinted and size <= 400 and _END_MARK.fullmatch(line):
        return "end"
    # a sign-off is an agency name between dashes or brackets (no comma), or "with inputs from"
    if size <= 140 and (starts or "," not in line) and _SIGNOFF.fullmatch(line):
        return "signoff"
    if hinted and (_PROMPTS.fullmatch(line) or _UPPER_PROMPT.fullmatch(line)):
        return "prompt"
    if (starts and _CREDIT_LINE.fullmatch(line)) or (
        ":" in line
        and ("Photo" in line or "Picture" in line or "Image" in line)
        and _CREDIT_END.search(line)
    ):
        return "credit"
    if size <= 400 and ")" in line and _CAPTION_END.search(line):
        return "caption"
    if size <= 200 and has_four_digits(line) and parse_dateline(line):
        return "dateline"
    if starts and _CAPTION_LABEL.fullmatch(line):
        return "caption"
    if (size <= 20 or "??" in line) and _NOISE.fullmatch(line):
        return "noise"
    if ("<" in line or "=" in line or ">" in line) and _MARKUP.fullmatch(line):
        return "markup"
    if ("pic.twitter.com/" in line or "(@" in line) and _TWEET.fullmatch(line):
        return "tweet"
    return None


def _rows(text: str, body_start: int) -> list[_Row]:
    """The non-blank lines of ``text`` (as ``split_lines`` cuts them); the line the body starts
    in counts from ``body_start``."""
    return _numbered_rows(text, body_start)[0]


def _numbered_rows(text: str, body_start: int) -> tuple[list[_Row], list[int]]:
    """``_rows``, and the line number of each row (the count of line breaks before it)."""
    rows: list[_Row] = []
    numbers: list[int] = []
    append, number_of = rows.append, numbers.append
    # the key of an ASCII line is the line itself, lower-cased, unless it holds other spacing
    # than single spaces: a text without any other whitespace character (but its line feeds)
    # answers for every line at once (isprintable looks each character up in a table)
    single_spaced = not _has_odd_space(text)
    pos = 0
    for number, chunk in enumerate(text.split("\n")):
        start = pos
        pos += len(chunk) + 1
        stripped = chunk.strip()
        if not stripped:
            continue  # blank (a trailing CR is whitespace too)
        end = pos - 2 if chunk[-1] == "\r" else pos - 1  # without the line ending
        if start < body_start < end:
            start, stripped = body_start, text[body_start:end].strip()
            if not stripped:
                continue
        # normalise() is the line's words joined by single spaces, case-folded: the line itself,
        # case-folded, unless it holds other spacing (two spaces; a tab or any other whitespace
        # but the space is not printable). str.lower() is casefold() on ASCII.
        if stripped.isascii():
            folded = stripped.lower()
            plain = "  " not in folded and (single_spaced or folded.isprintable())
            key = folded if plain else normalise(stripped)
            append(_new_row(_Row, (start, end, stripped, folded, key)))
            number_of(number)
        else:
            plain = "  " not in stripped and stripped.isprintable()
            key = stripped.casefold() if plain else normalise(stripped)
            append(_new_row(_Row, (start, end, stripped, None, key)))
            number_of(number)
    return rows, numbers


def _has_odd_space(text: str) -> bool:
    """Whether ``text`` holds an ASCII whitespace character other than the space and the line
    feed (what ``str.split()`` splits on besides them; a carriage return counts). Each test is
    a memchr over the text."""
    return (
        "\r" in text or "\t" in text or "\x0b" in text or "\x0c" in text
        or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
    )


def _doubled(line: str) -> bool:
    """A line that is one text printed twice ("X. (Photo) X. (Photo)")."""
    if len(line) < 2 * MIN_DUPLICATE:
        return False
    half = (len(line) - 1) // 2
    # the second half must start (after spaces) like the first: a cheap test before copying
    second = line[half + 1]
    return (second == line[0] or second.isspace()) and line[:half] == line[half + 1 :].strip()


def _repeats_and_captions(rows: list[_Row], numbers: list[int], first: int) -> set[int]:
    """Body lines that repeat an earlier line, and captions (line before its credit or its copy),
    as indices into ``rows`` (``numbers``: their line numbers); the body starts at
    ``rows[first]``."""
    found: set[int] = set()
    seen: set[str] = set()
    for i, row in enumerate(rows):
        in_body = i >= first
        if in_body and len(row.key) >= MIN_DUPLICATE and row.key in seen:
            found.add(i)
        # lines with a blank line between them are no caption pair (most paragraphs): their line
        # numbers differ by two or more (each line between is blank)
        if (
            in_body
            and i
            and numbers[i] - numbers[i - 1] <= 1
            and _is_caption_pair(rows[i - 1], row)
        ):
            found.update((i - 1, i))
        seen.add(row.key)
    return found


def _is_caption_pair(prev: _Row, row: _Row) -> bool:
    """True when ``prev`` and ``row`` (with no blank line between them) are a caption: a label
    and its text, a caption and its copy (or extension), or a caption and its photo credit."""
    if _CAPTION_LABEL.fullmatch(prev.stripped):
        return True
    if len(prev.key) >= MIN_DUPLICATE and row.key.startswith(prev.key):
        return True
    return (
        len(prev.key) <= 400
        and _hints(row.stripped, row.folded)[0]  # a credit line starts with a _STARTS word
        and bool(_CREDIT_LINE.fullmatch(row.stripped))
    )


def _body_end(
    text: str,
    rows: list[_Row],
    first: int,
    kinds: list[str | None],
    furniture: set[int],
    body_start: int,
) -> int:
    body = range(first, len(rows))
    cut = _trailing_cut(rows, body, kinds, body_start, len(text))
    cut = _signoff_cut(rows, body, kinds, furniture, cut)
    if cut is None:
        return _trim_back(rows, body, furniture, len(text), fragments=False)
    return _trim_back(rows, body, furniture, cut, fragments=True)


def _trailing_cut(
    rows: list[_Row], body: range, kinds: list[str | None], body_start: int, text_len: int
) -> int | None:
    """The first trailing heading or end mark in the last part of the text."""
    span = max(text_len - body_start, 1)
    for i in body:
        if kinds[i] not in ("heading", "end"):
            continue
        before = rows[i].start - body_start
        if before >= TRAILING_MIN_BODY or before >= TRAILING_FRACTION * span:
            return rows[i].start
    return None


def _signoff_cut(
    rows: list[_Row], body: range, kinds: list[str | None], furniture: set[int], cut: int | None
) -> int | None:
    """The last agency sign-off, if no body paragraph follows it before ``cut``."""
    for i in reversed(body):
        row = rows[i]
        if cut is not None and row.start >= cut:
            continue
        if i not in furniture and len(row.stripped) >= SUBSTANTIAL:
            return cut
        if kinds[i] == "signoff":
            return row.start
    return cut


def _trim_back(
    rows: list[_Row], body: range, furniture: set[int], end: int, fragments: bool
) -> int:
    """Move ``end`` back over furniture (and, after a cut, short fragments) right before it."""
    for i in reversed(body):
        row = rows[i]
        if row.start >= end:
            continue
        if i in furniture or (fragments and _fragment(row.stripped)):
            end = row.start
            continue
        break
    return end


def _fragment(line: str) -> bool:
    """A caption label or stub: at most three words and no sentence punctuation."""
    return len(line.split()) <= 3 and not _SENTENCE_END.search(line)
