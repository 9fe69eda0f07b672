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
from collections.abc import Callable
from dataclasses import dataclass, field

from consistency.ingest.dateline import parse_dateline
from consistency.ingest.lines import Line, normalise, split_lines

TRAILING_FRACTION = 0.35  # a trailing heading must lie past this share of the body...
TRAILING_MIN_BODY = 1000  # ...or after this many characters of body
MIN_DUPLICATE = 20  # shorter repeated lines ("Dead", "Reuters") are not treated as duplicates
SUBSTANTIAL = 80  # a line this long that is not furniture is body

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


_CHECKS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("heading", lambda s: len(s) <= 60 and not s.endswith(".") and _STRONG.fullmatch(s)),
    ("end", lambda s: len(s) <= 400 and _END_MARK.fullmatch(s)),
    ("signoff", lambda s: len(s) <= 140 and _SIGNOFF.fullmatch(s)),
    ("prompt", lambda s: _PROMPTS.fullmatch(s) or _UPPER_PROMPT.fullmatch(s)),
    ("credit", lambda s: _CREDIT_LINE.fullmatch(s) or _CREDIT_END.search(s)),
    ("caption", lambda s: len(s) <= 400 and _CAPTION_END.search(s)),
    ("dateline", parse_dateline),
    ("caption", _CAPTION_LABEL.fullmatch),
    ("noise", _NOISE.fullmatch),
    ("markup", _MARKUP.fullmatch),
    ("tweet", _TWEET.fullmatch),
)


@dataclass
class Boilerplate:
    body_end: int
    skip_ranges: list[tuple[int, int]] = field(default_factory=list)


def find_boilerplate(text: str, body_start: int) -> Boilerplate:
    """Where trailing furniture begins, and the furniture lines inside the body (text offsets)."""
    lines = [_clip(ln, body_start) for ln in split_lines(text)]
    lines = [ln for ln in lines if ln.stripped]
    body = [ln for ln in lines if ln.start >= body_start]
    kinds = {ln: line_kind(ln.stripped) for ln in body}
    furniture = {ln for ln, kind in kinds.items() if kind} | _repeats_and_captions(
        text, lines, body_start
    )
    body_end = _body_end(text, body, kinds, furniture, body_start)
    skips = [(ln.start, ln.end) for ln in body if ln in furniture and ln.end <= body_end]
    return Boilerplate(body_end=body_end, skip_ranges=skips)


def line_kind(line: str) -> str | None:
    """Why a (stripped) line is furniture, or None for a body line."""
    if _doubled(line):
        return "caption"
    return next((kind for kind, check in _CHECKS if check(line)), None)


def _clip(line: Line, body_start: int) -> Line:
    """The part of ``line`` from ``body_start`` on, for the line the body starts in."""
    if line.start < body_start < line.end:
        return Line(body_start, line.end, line.text[body_start - line.start :])
    return line


def _doubled(line: str) -> bool:
    """A line that is one text printed twice ("X. (Photo) X. (Photo)")."""
    half = (len(line) - 1) // 2
    return len(line) >= 2 * MIN_DUPLICATE and line[:half] == line[half + 1 :].strip()


def _repeats_and_captions(text: str, lines: list[Line], body_start: int) -> set[Line]:
    """Body lines that repeat an earlier line, and captions (line before its credit or its copy)."""
    found: set[Line] = set()
    seen: set[str] = set()
    for i, line in enumerate(lines):
        key = normalise(line.text)
        in_body = line.start >= body_start
        if in_body and len(key) >= MIN_DUPLICATE and key in seen:
            found.add(line)
        if in_body and i and _is_caption_pair(text, lines[i - 1], line):
            found.update((lines[i - 1], line))
        seen.add(key)
    return found


def _is_caption_pair(text: str, prev: Line, line: Line) -> bool:
    """True when ``prev`` and ``line`` are a caption: a label and its text, a caption and its
    copy (or extension), or a caption and its photo credit."""
    if text.count("\n", prev.end, line.start) > 1:
        return False  # a blank line between them
    if _CAPTION_LABEL.fullmatch(prev.stripped):
        return True
    a, b = normalise(prev.text), normalise(line.text)
    if len(a) >= MIN_DUPLICATE and b.startswith(a):
        return True
    return len(a) <= 400 and bool(_CREDIT_LINE.fullmatch(line.stripped))


def _body_end(
    text: str, body: list[Line], kinds: dict[Line, str | None], furniture: set[Line], start: int
) -> int:
    cut = _trailing_cut(body, kinds, start, len(text))
    cut = _signoff_cut(body, kinds, furniture, cut)
    if cut is None:
        return _trim_back(body, furniture, len(text), fragments=False)
    return _trim_back(body, furniture, cut, fragments=True)


def _trailing_cut(
    body: list[Line], kinds: dict[Line, str | None], body_start: int, text_len: int
) -> int | None:
    """The first trailing heading or end mark in the last part of the text."""
    span = max(text_len - body_start, 1)
    for line in body:
        if kinds[line] not in ("heading", "end"):
            continue
        before = line.start - body_start
        if before >= TRAILING_MIN_BODY or before >= TRAILING_FRACTION * span:
            return line.start
    return None


def _signoff_cut(
    body: list[Line], kinds: dict[Line, str | None], furniture: set[Line], cut: int | None
) -> int | None:
    """The last agency sign-off, if no body paragraph follows it before ``cut``."""
    for line in reversed([ln for ln in body if cut is None or ln.start < cut]):
        if line not in furniture and len(line.stripped) >= SUBSTANTIAL:
            return cut
        if kinds[line] == "signoff":
            return line.start
    return cut


def _trim_back(body: list[Line], furniture: set[Line], end: int, fragments: bool) -> int:
    """Move ``end`` back over furniture (and, after a cut, short fragments) right before it."""
    for line in reversed([ln for ln in body if ln.start < end]):
        if line in furniture or (fragments and _fragment(line.stripped)):
            end = line.start
            continue
        break
    return end


def _fragment(line: str) -> bool:
    """A caption label or stub: at most three words and no sentence punctuation."""
    return len(line.split()) <= 3 and not _SENTENCE_END.search(line)
