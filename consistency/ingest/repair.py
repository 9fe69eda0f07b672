"""Mojibake repair with an exact map from repaired text back to raw text.

``ftfy`` fixes each line on its own (line endings are never touched); no-break and other odd spaces
become plain spaces and invisible characters (zero-width space, word joiner, soft hyphen, stray
BOM) are dropped. For the few lines that changed, a linear local alignment maps every new character to
the raw index it came from.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

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
    }
)
# A line that is printable ASCII without "&" (no HTML entity) is left as it is.
WINDOW = 24  # the longest repair looked for (old or new characters)
ANCHOR = 4  # equal characters that confirm both strings are back in step
_NEEDS_FIX = re.compile(r"[^\t\n\r\x20-\x7e]|&")


def repair_line(line: str) -> str:
    """The repaired form of one line (no line ending inside)."""
    if not _NEEDS_FIX.search(line):
        return line
    try:
        fixed = ftfy.fix_text(line, config=_CONFIG)
    except Exception:  # ftfy is heuristic; a failure must not lose the article
        fixed = line
    return fixed.translate(_TRANSLATE)


def repair(raw: str) -> tuple[str, list[int]]:
    """Return ``(text, offset_map)``; ``offset_map`` is empty when ``text == raw``."""
    pieces = _pieces(raw)
    if all(old == new for _, old, new, _ in pieces):
        return raw, []
    text_parts: list[str] = []
    offset_map: list[int] = []
    for start, old, new, ending in pieces:
        text_parts.append(new + ending)
        offset_map.extend(align(old, new, start))
        end = start + len(old)
        offset_map.extend(range(end, end + len(ending)))
    offset_map.append(len(raw))
    return "".join(text_parts), offset_map


def _pieces(raw: str) -> list[tuple[int, str, str, str]]:
    """(start in raw, old content, repaired content, line ending) for every line."""
    out: list[tuple[int, str, str, str]] = []
    pos = 0
    for chunk in raw.split("\n"):
        content = chunk[:-1] if chunk.endswith("\r") else chunk
        ending = chunk[len(content) :]
        pos_next = pos + len(chunk) + 1
        if pos_next <= len(raw):
            ending += "\n"
        out.append((pos, content, repair_line(content), ending))
        pos = pos_next
    return out


def align(old: str, new: str, base: int) -> list[int]:
    """For each character of ``new``, the index (``base`` + position in ``old``) it came from.

    Repairs are local (a few characters each), so a linear walk suffices: copy equal runs, and at
    a difference look for the nearest point where both strings agree again. Inside a replaced
    block positions are spread proportionally; a deleted block of visible characters (mojibake) is
    attached to the next character, so a span starting there covers what the repair removed.
    Deleted invisible characters (BOM, zero-width space) are left out.
    """
    if old == new:
        return list(range(base, base + len(new)))
    out: list[int] = []
    pending: int | None = None  # start of a deletion not yet attached to a character
    i = j = 0
    while j < len(new):
        run = _common_run(old, new, i, j)
        a, b = (run, run) if run else _resync(old, new, i, j)
        if b == 0:
            if pending is None and not _invisible(old[i : i + a]):
                pending = i
        else:
            out.extend(base + i + (k * a) // b for k in range(b))
            if pending is not None:
                out[len(out) - b], pending = base + pending, None
        i, j = i + a, j + b
    return out


def _common_run(old: str, new: str, i: int, j: int) -> int:
    """Length of the run of equal characters at ``old[i:]`` and ``new[j:]``."""
    run = 0
    while old[i + run : i + run + 64] == new[j + run : j + run + 64] and i + run < len(old):
        run += 64
    while i + run < len(old) and j + run < len(new) and old[i + run] == new[j + run]:
        run += 1
    return min(run, len(old) - i, len(new) - j)


def _resync(old: str, new: str, i: int, j: int) -> tuple[int, int]:
    """The smallest block ``old[i:i+a]`` -> ``new[j:j+b]`` after which both agree again."""
    rest_old, rest_new = len(old) - i, len(new) - j
    if rest_old == 0:
        return 0, rest_new
    for d in range(1, 2 * WINDOW + 1):
        for a in range(max(0, d - WINDOW), min(d, WINDOW) + 1):
            b = d - a
            if a > rest_old or b > rest_new:
                continue
            k = min(ANCHOR, rest_old - a, rest_new - b)
            if (k == 0 and a == rest_old and b == rest_new) or (
                k and old[i + a : i + a + k] == new[j + b : j + b + k]
            ):
                return a, b
    # No agreement nearby (a run of mojibake): take a window, spread proportionally.
    b = min(rest_new, WINDOW)
    return max(1, min(rest_old, round(b * rest_old / rest_new))), b


def _invisible(chars: str) -> bool:
    return all(unicodedata.category(ch) in ("Cf", "Cc") or ch.isspace() for ch in chars)
