"""Mojibake repair with an exact map from repaired text back to raw text.

``ftfy`` fixes each line on its own (line endings are never touched); no-break and other odd spaces
become plain spaces and invisible characters (zero-width space, word joiner, soft hyphen, stray
BOM, zero-width joiners, bidirectional marks, embeddings and isolates) are dropped. For the few
lines that changed, a linear walk maps every new character to the raw index it came from: equal
runs are copied, a repaired character is matched against its known mojibake forms, and anything
else is settled by a small local edit-distance table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from ftfy import chardata
from ftfy.badness import BADNESS_RE

_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, explain=False)
_TRANSLATE = str.maketrans(
    {
        "\xa0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
        # Invisible direction and joiner marks split what a reader sees as one token: "1<RLM>20
        # people" was read as 1 and 20, "27<RLM> November 20<RLM>15" as 20 November. Evidence
        # still quotes the raw text, marks included.
        **dict.fromkeys("\u200c\u200d\u200e\u200f\u061c\u180e", None),
        **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", None),
    }
)
_DROPPED = frozenset(chr(k) for k, v in _TRANSLATE.items() if v is None)
# Typographic quotes, dashes, ellipsis and bullet, the non-ASCII characters news text is full of.
# A line of these and printable ASCII without "&" (no HTML entity) is left as it is: ftfy cannot
# change it (no mojibake pattern of its badness check is made of them alone, none of its
# character tables or NFC changes them) and neither can _TRANSLATE. Checked against ftfy by
# tests/test_ingest.py. Most articles then never reach ftfy (it was 60% of repair's time).
_PLAIN = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022"
_NEEDS_FIX = re.compile(f"[^\\t\\n\\r\\x20-\\x25\\x27-\\x7e{_PLAIN}]")
# Lower-case accented Latin letters (names: "José", "Søren", "Ağça"), all of U+00DF-U+017F but
# the ligatures "ĳ", "ŉ" and "œ". A line of these and printable ASCII without "&" is left as it
# is too: ftfy's badness patterns all need an upper-case accented letter, or a symbol or quote
# of its mojibake set, besides them (checked on every three-character string of this alphabet;
# the longer patterns hold such characters), none is in ftfy's tables or _TRANSLATE, and all
# are NFC. Not mixed with _PLAIN: "é”s" is a badness pattern.
_LETTERS = (
    "ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāăąćĉċčďđēĕėęěĝ"
    "ğġģĥħĩīĭįıĵķĸĺļľŀłńņňŋōŏőŕŗřśŝşšţťŧũūŭůűųŵŷźżžſ"
)
_LETTERED = re.compile(f"[\\t\\r\\x20-\\x25\\x27-\\x7e{_LETTERS}]*")
# Characters some step of ``ftfy.fix_text`` (with _CONFIG) or _TRANSLATE may change or act on:
# "&" (HTML entities), ESC (terminal escapes), C1 controls, surrogates and the keys of ftfy's
# ligature, width and control-character tables. A line without them, already NFC and not bad by
# ftfy's own badness test passes every step of ``fix_text`` unchanged (its encoding fix stops at
# ``not is_bad``; each other step needs one of these characters), so it skips ftfy, whose
# table lookups per character cost three times the badness test.
_FIXABLE = re.compile(
    "["
    + re.escape(
        "".join(
            sorted(
                {"&", "\x1b", *map(chr, range(0x80, 0xA0))}
                | {chr(k) for k in (*chardata.LIGATURES, *chardata.WIDTH_MAP)}
                | {chr(k) for k in (*chardata.CONTROL_CHARS, *_TRANSLATE)}
            )
        )
    )
    + "\ud800-\udfff]"
)
_CODECS = ("sloppy-windows-1252", "latin-1")  # how UTF-8 bytes get misread into mojibake
WINDOWS = (8, 32)  # characters looked at to find where a repair ends (tried in order)


def repair_line(line: str) -> str:
    """The repaired form of one line (no line ending inside)."""
    if not _NEEDS_FIX.search(line) or _LETTERED.fullmatch(line) or _unchanged_by_ftfy(line):
        return line
    try:
        fixed = ftfy.fix_text(line, config=_CONFIG)
    except Exception:  # ftfy is heuristic; a failure must not lose the article
        fixed = line
    return fixed.translate(_TRANSLATE)


# The steps of ``fix_text`` that _FIXABLE stands for were read in ftfy 6.3; another release may
# add one, so there every line that may need a fix goes through ftfy (slower, never wrong).
FTFY_CHECKED = ftfy.__version__.split(".")[:2] == ["6", "3"]


def _unchanged_by_ftfy(line: str) -> bool:
    """Whether ``ftfy.fix_text`` and _TRANSLATE are sure to leave ``line`` as it is (see
    _FIXABLE); ftfy cuts text longer than ``max_decode_length`` into pieces, tested apart."""
    return (
        FTFY_CHECKED
        and len(line) <= _CONFIG.max_decode_length
        and not _FIXABLE.search(line)
        and unicodedata.is_normalized("NFC", line)
        and not _is_bad(line)
    )


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _is_bad(line: str) -> bool:
    """``ftfy.badness.is_bad(line)``, tried only where a match may start: every alternative of
    its pattern has a character beyond ASCII among its first three (tests/test_ingest_speed.py
    reads the pattern), so a match starts at most two characters before one. The search tried
    some forty alternatives at every character of the line."""
    match = BADNESS_RE.match
    tried = 0  # positions before this one are tried
    for found in _NON_ASCII.finditer(line):
        at = found.start()
        for start in range(max(at - 2, tried), at + 1):
            if match(line, start):
                return True
        tried = at + 1
    return False


def repair(raw: str) -> tuple[str, list[int]]:
    """Return ``(text, offset_map)``; ``offset_map`` is empty when ``text == raw``."""
    changed = _changed_lines(raw)
    if not changed:
        return raw, []
    text_parts: list[str] = []
    offset_map: list[int] = []
    for start, old, ending in _pieces(raw):
        new = changed.get(start, old)
        text_parts.append(new + ending)
        offset_map.extend(align(old, new, start))
        end = start + len(old)
        offset_map.extend(range(end, end + len(ending)))
    offset_map.append(len(raw))
    return "".join(text_parts), offset_map


def _changed_lines(raw: str) -> dict[int, str]:
    """The repaired content of each line ``repair_line`` changes, by the line's start. Only
    lines with a character that may need a fix are tried: ``repair_line`` returns the others
    as they are (most articles have none)."""
    changed: dict[int, str] = {}
    found = _NEEDS_FIX.search(raw)
    while found is not None:
        start = raw.rfind("\n", 0, found.start()) + 1
        end = raw.find("\n", found.start())
        end = len(raw) if end < 0 else end
        content = raw[start : end - 1] if raw.endswith("\r", start, end) else raw[start:end]
        fixed = repair_line(content)
        if fixed != content:
            changed[start] = fixed
        found = _NEEDS_FIX.search(raw, end)
    return changed


def _pieces(raw: str) -> list[tuple[int, str, str]]:
    """(start in raw, content, line ending) for every line."""
    out: list[tuple[int, str, str]] = []
    pos = 0
    for chunk in raw.split("\n"):
        content = chunk[:-1] if chunk.endswith("\r") else chunk
        ending = chunk[len(content) :]
        pos_next = pos + len(chunk) + 1
        if pos_next <= len(raw):
            ending += "\n"
        out.append((pos, content, ending))
        pos = pos_next
    return out


def align(old: str, new: str, base: int) -> list[int]:
    """For each character of ``new``, the index (``base`` + position in ``old``) it came from.

    Repairs are local (a few characters each), so a linear walk suffices: copy equal runs, and at
    a difference find the edit block with a small edit-distance table over the next characters.
    Inside a replaced block positions are spread proportionally; a deleted block of visible
    characters (mojibake) is attached to the next character, so a span starting there covers what
    the repair removed. Deleted invisible characters (BOM, zero-width space) are left out.
    """
    if old == new:
        return list(range(base, base + len(new)))
    out: list[int] = []
    pending: int | None = None  # start of a deletion not yet attached to a character
    i = j = 0
    while j < len(new):
        run = _common_run(old, new, i, j)
        a, b = (run, run) if run else (_mojibake_step(old, new, i, j) or _dropped(old, i)
                                       or _composed_step(old, new, i, j)
                                       or _edit_block(old, new, i, j))
        if b == 0:
            if pending is None and not _invisible(old[i : i + a]):
                pending = i
        else:
            out.extend(base + i + (k * a) // b for k in range(b))
            if pending is not None:
                out[len(out) - b], pending = base + pending, None
        i, j = i + a, j + b
    return out


def _dropped(old: str, i: int) -> tuple[int, int] | None:
    """(1, 0) when ``old[i]`` is a character the repair always drops (never in ``new``): taken as
    a deletion, not left to the edit table, which may pair it with the next visible character
    ("kill<ZWSP><ZWSP>ed 0" mapped "e" to a ZWSP and "0" to "d")."""
    return (1, 0) if old[i] in _DROPPED else None


def _composed_step(old: str, new: str, i: int, j: int) -> tuple[int, int] | None:
    """(len, n) when ``old[i:]`` starts with a base character and its combining marks that the
    repair composed into ``new[j:j+n]`` (NFD "e" + U+0302 + U+0323 -> NFC U+1EC7): the whole
    sequence maps to the composed character. The edit table would pair the marks with the
    characters after them, shifting every offset behind a doubly accented letter."""
    k = i + 1
    while k < len(old) and unicodedata.combining(old[k]):
        k += 1
    if k == i + 1:
        return None
    composed = unicodedata.normalize("NFC", old[i:k])
    return (k - i, len(composed)) if new.startswith(composed, j) else None


def _common_run(old: str, new: str, i: int, j: int) -> int:
    """Length of the run of equal characters at ``old[i:]`` and ``new[j:]``."""
    run = 0
    while old[i + run : i + run + 64] == new[j + run : j + run + 64] and i + run < len(old):
        run += 64
    while i + run < len(old) and j + run < len(new) and old[i + run] == new[j + run]:
        run += 1
    return min(run, len(old) - i, len(new) - j)


def _mojibake_step(old: str, new: str, i: int, j: int) -> tuple[int, int] | None:
    """(len, 1) when ``old[i:]`` starts with a mojibake form of the character ``new[j]``."""
    for form in _mojibake_forms(new[j]):
        if old.startswith(form, i):
            return len(form), 1
    return None


@lru_cache(maxsize=4096)
def _mojibake_forms(char: str) -> tuple[str, ...]:
    """How ``char`` looks after its UTF-8 bytes were read as cp1252/Latin-1, once or twice."""
    forms: set[str] = {"\u00c2 ", "\u00c2\xa0"} if char == " " else set()
    layer = {char}
    for _ in range(2):
        layer = {bad for form in layer for codec in _CODECS if (bad := _misread(form, codec))}
        forms |= layer
    forms.discard(char)
    return tuple(sorted(forms, key=len, reverse=True))


def _misread(text: str, codec: str) -> str | None:
    data = text.encode("utf-8", errors="replace")
    if len(data) == len(text):
        return None  # ASCII: nothing to misread
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _edit_block(old: str, new: str, i: int, j: int) -> tuple[int, int]:
    """The edit block ``old[i:i+a]`` -> ``new[j:j+b]`` that starts at a difference."""
    if i >= len(old):
        return 0, len(new) - j
    for width in WINDOWS:
        window_old, window_new = old[i : i + width], new[j : j + width]
        a, b, closed = _first_block(window_old, window_new)
        at_ends = len(window_old) < width and len(window_new) < width
        if closed or at_ends:
            return a, b
    # No agreement nearby (a long run of mojibake): take a window, spread proportionally.
    rest_old, rest_new = len(old) - i, len(new) - j
    b = min(rest_new, WINDOWS[-1])
    return max(1, min(rest_old, round(b * rest_old / rest_new))), b


def _first_block(old: str, new: str) -> tuple[int, int, bool]:
    """Characters of ``old`` and ``new`` before the first match of a minimal edit script, and
    whether a match follows (else the block runs to the end of the windows)."""
    cost = _edit_table(old, new)
    ops = _backtrack(cost, old, new)
    a = b = 0
    for op in ops:
        if op == "=":
            return a, b, True
        a += op in "-~"
        b += op in "+~"
    return a, b, False


def _edit_table(old: str, new: str) -> list[list[int]]:
    table = [list(range(len(new) + 1))]
    for x in range(1, len(old) + 1):
        row = [x]
        above = table[-1]
        for y in range(1, len(new) + 1):
            same = old[x - 1] == new[y - 1]
            row.append(min(above[y - 1] + (0 if same else 1), above[y] + 1, row[y - 1] + 1))
        table.append(row)
    return table


def _backtrack(cost: list[list[int]], old: str, new: str) -> list[str]:
    """Edit operations from the start: "=" match, "~" substitute, "-" delete, "+" insert."""
    ops: list[str] = []
    x, y = len(old), len(new)
    while x or y:
        here = cost[x][y]
        if x and y and old[x - 1] == new[y - 1] and cost[x - 1][y - 1] == here:
            ops.append("=")
            x, y = x - 1, y - 1
        elif x and y and cost[x - 1][y - 1] + 1 == here:
            ops.append("~")
            x, y = x - 1, y - 1
        elif x and cost[x - 1][y] + 1 == here:
            ops.append("-")
            x -= 1
        else:
            ops.append("+")
            y -= 1
    return ops[::-1]


def _invisible(chars: str) -> bool:
    return all(unicodedata.category(ch) in ("Cf", "Cc") or ch.isspace() for ch in chars)
