"""Stdlib regex patterns rewritten to match exactly the same, with the same groups, faster.

The stdlib engine runs a ``?`` on a group as a general repeat (a context allocated, every
group mark copied before each try), while an alternation is cheap; and it skips an alternative
by its first character without entering it only if that is a plain literal or class, not a
case-insensitive literal. So ``fast_form``:

- turns an optional group ``(X)?``, ``(?:X)?`` into ``(?:(X)|)``, ``(?:X|)``: both try X
  first, then nothing;
- in a case-insensitive group, writes a letter that begins an alternative as the class of all
  it matches there, ``(?-i:[xX])`` (in Unicode mode with the letters that fold to it as well:
  ``(?-i:[sSſ])``).

The number and time grammars scan with the fast form; their readable pattern stays the
definition, and tests/test_numbers_speed.py and tests/test_times_speed.py compare the two at
every position of every article.
"""

from __future__ import annotations

# What a letter matches in a case-insensitive group in Unicode mode besides its two cases
# (tests/test_times_speed.py checks every code point).
UNICODE_FOLDS = {"i": "İı", "k": "\u212a", "s": "ſ"}
_GROUP_OPENINGS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def class_end(pattern: str, i: int) -> int:
    """Offset of the "]" that closes the character class opened at ``pattern[i]``."""
    i += 2 if pattern.startswith("[^", i) else 1
    if pattern[i] == "]":
        i += 1  # a "]" first in the class is a member
    while pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def group_pairs(pattern: str) -> dict[int, int]:
    """Offset of each group's "(" -> offset of its ")" (escapes and character classes skipped)."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = class_end(pattern, i)
        elif ch == "(":
            opened.append(i)
        elif ch == ")":
            pairs[opened.pop()] = i
        i += 1
    assert not opened, "unbalanced pattern"
    return pairs


def fast_form(pattern: str, folds: dict[str, str] | None = None) -> str:
    """``pattern`` (not verbose) with its optional groups as alternations and the first letters
    of its case-insensitive alternatives as classes; ``folds`` adds, per lower-case letter, the
    other characters it matches (``UNICODE_FOLDS`` for a pattern in Unicode mode, None for
    ASCII mode)."""
    while True:
        pairs = group_pairs(pattern)
        optional = [
            (start, end)
            for start, end in pairs.items()
            if pattern[end + 1 : end + 2] == "?" and pattern[end + 2 : end + 3] not in ("?", "+")
        ]
        if not optional:
            return _fold_first_letters(pattern, folds or {})
        start, end = max(optional)  # the last one: the offsets of the others stay valid
        group = pattern[start : end + 1]
        if group.startswith("(?:"):
            group = group[:-1] + "|)"
        elif group.startswith(_LOOKAROUNDS):  # pragma: no cover
            raise ValueError("an optional lookaround")
        else:
            group = f"(?:{group}|)"
        pattern = pattern[:start] + group + pattern[end + 2 :]


def _fold_first_letters(pattern: str, folds: dict[str, str]) -> str:
    """In ``(?i:...)`` groups, each ASCII letter that begins an alternative as the class of
    what it matches there."""
    out: list[str] = []
    folding = [False]  # per open group: inside a (?i:...) group
    at_start = True  # at the start of an alternative
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        step = 1
        if ch == "\\":
            step = 2
        elif ch == "[":
            step = class_end(pattern, i) + 1 - i
        elif pattern.startswith("(?P=", i):  # a back reference, not a group
            step = pattern.index(")", i) + 1 - i
        elif ch == "(":
            if pattern.startswith("(?i:", i):
                folding.append(True)
                step = 4
            else:
                opening = next((o for o in _GROUP_OPENINGS if pattern.startswith(o, i)), None)
                if opening is None and pattern.startswith("(?P<", i):
                    opening = pattern[i : pattern.index(">", i) + 1]
                if opening is None and pattern.startswith("(?", i):  # pragma: no cover
                    raise ValueError(f"fast_form does not know {pattern[i : i + 4]}")
                folding.append(folding[-1])
                step = len(opening or "(")
            out.append(pattern[i : i + step])
            i += step
            at_start = True
            continue
        elif ch == ")":
            folding.pop()
        elif ch == "|":
            out.append(ch)
            i += 1
            at_start = True
            continue
        elif at_start and folding[-1] and ch.isascii() and ch.isalpha():
            low = ch.lower()
            out.append(f"(?-i:[{low}{low.upper()}{folds.get(low, '')}])")
            i += 1
            at_start = False
            continue
        out.append(pattern[i : i + step])
        i += step
        at_start = False
    if folding != [False]:  # pragma: no cover
        raise ValueError("unbalanced pattern")
    return "".join(out)
