"""Stdlib regex patterns rewritten to match exactly the same, with the same groups, faster.

The stdlib engine runs a ``?`` on a group as a general repeat (a context allocated, every
group mark copied before each try), while an alternation is cheap; and it skips an alternative
by its first character without entering it only if that is a plain literal or class, not a
case-insensitive literal. So ``fast_form``:

- turns an optional group ``(X)?``, ``(?:X)?`` into ``(?:(X)|)``, ``(?:X|)``: both try X
  first, then nothing;
- in a case-insensitive group, writes a letter that begins an alternative as the class of all
  it matches there, ``(?-i:[xX])`` (in Unicode mode with the letters that fold to it as well:
  ``(?-i:[sSſ])``);
- puts before a group of at least four alternatives a lookahead class of the characters they
  can start with, ``(?=[sStT])(?:seven|ten|...)``, where each alternative's first character is
  known: the engine enters every alternative that does not begin with a plain literal or class
  (``\b``, a group) and calls a function per class, so one class test spares it the whole
  alternation where none can match (a digit before number words, a comma after a number before
  unit words).

The number and time grammars scan with the fast form; their readable pattern stays the
definition, and tests/test_numbers_speed.py and tests/test_times_speed.py compare the two at
every position of every article.
"""

from __future__ import annotations

import re

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
            return _guard_alternations(_fold_first_letters(pattern, folds or {}))
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


# ---------------------------------------------------------------------------------------------
# Lookahead guards
# ---------------------------------------------------------------------------------------------

_MIN_GUARDED = 4  # alternatives in a group for a guard to be worth its lookahead
_ZERO_WIDTH = ("(?=", "(?!", "(?<=", "(?<!")
_CATEGORIES = "dsw"  # \d, \s, \w: the same set inside a class as outside


def _guard_alternations(pattern: str) -> str:
    """``pattern`` (not verbose, no global inline flags) with a guard ``(?=[...])`` before
    each group of at least ``_MIN_GUARDED`` alternatives whose first characters are known
    (``_first_items``). A match of the group starts with one of them, so the guard only fails
    where the group fails; it holds no group, so groups and their numbers stay the same."""
    pairs = group_pairs(pattern)
    guards: list[tuple[int, str]] = []
    for start, (ignorecase, in_lookaround) in _group_contexts(pattern, pairs).items():
        end = pairs[start]
        if in_lookaround or pattern.startswith(("(?P=", *_ZERO_WIDTH), start):
            continue
        body, _ = _group_body(pattern, start)
        if len(_alternatives(pattern, body, end, pairs)) < _MIN_GUARDED:
            continue
        items = _first_items(pattern, start, end + 1, pairs, ignorecase)
        if items:
            guards.append((start, "(?=[" + "".join(dict.fromkeys(items)) + "])"))
    for start, guard in sorted(guards, reverse=True):  # from the end: offsets stay valid
        pattern = pattern[:start] + guard + pattern[start:]
    return pattern


def _group_contexts(pattern: str, pairs: dict[int, int]) -> dict[int, tuple[bool, bool]]:
    """Per group opening: whether it is inside a case-insensitive part, and in a lookaround."""
    contexts: dict[int, tuple[bool, bool]] = {}
    open_groups: list[tuple[int, bool, bool]] = []  # (end, ignorecase, lookaround) inside each
    for start in sorted(pairs):
        while open_groups and open_groups[-1][0] < start:
            open_groups.pop()
        ignorecase, in_lookaround = open_groups[-1][1:] if open_groups else (False, False)
        contexts[start] = (ignorecase, in_lookaround)
        _, case = _group_body(pattern, start)
        open_groups.append((
            pairs[start],
            ignorecase if case is None else case,
            in_lookaround or pattern.startswith(_ZERO_WIDTH, start),
        ))
    return contexts


def _group_body(pattern: str, start: int) -> tuple[int, bool | None]:
    """Where the body of the group opened at ``start`` begins, and its case: True in
    ``(?i:``, False in ``(?-i:``, None (the enclosing case) otherwise."""
    if pattern.startswith("(?i:", start):
        return start + 4, True
    if pattern.startswith("(?-i:", start):
        return start + 5, False
    if pattern.startswith("(?P<", start):
        return pattern.index(">", start) + 1, None
    if pattern.startswith(("(?:", "(?=", "(?!"), start):
        return start + 3, None
    if pattern.startswith(("(?<=", "(?<!", "(?P="), start):  # (a back reference: no body)
        return start + 4, None
    if pattern.startswith("(?", start):
        raise ValueError(f"fast_form does not know {pattern[start : start + 4]}")
    return start + 1, None


def _alternatives(pattern: str, start: int, end: int, pairs: dict[int, int],
                  ) -> list[tuple[int, int]]:
    """The spans of the top-level alternatives of ``pattern[start:end]``."""
    spans: list[tuple[int, int]] = []
    first = i = start
    while i < end:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = class_end(pattern, i) + 1
            continue
        if ch == "(":
            i = pairs[i] + 1
            continue
        if ch == "|":
            spans.append((first, i))
            first = i + 1
        i += 1
    spans.append((first, end))
    return spans


def _may_repeat_zero_times(pattern: str, i: int) -> bool:
    """Whether the quantifier at ``pattern[i]``, if any, allows no repetition."""
    q = pattern[i : i + 1]
    if q in ("?", "*"):
        return True
    if q == "{":
        low = re.match(r"\{(\d*)", pattern[i:])
        return low is None or not low.group(1) or int(low.group(1)) == 0
    return False


def _caseless(ch: str) -> bool:
    """A character that matches only itself ignoring case (in either mode)."""
    return ch.isascii() and not ch.isalpha()


def _first_items(pattern: str, i: int, end: int, pairs: dict[int, int], ignorecase: bool,
                 ) -> list[str] | None:
    """Class items (characters, ranges, categories) that every match of ``pattern[i:end]``
    starts with, or None when unknown or when it may match the empty string. Zero-width
    ``\b`` and lookarounds are read over; in a case-insensitive part, a letter makes it
    unknown."""
    while i < end:
        if pattern.startswith(("\\b", "\\B"), i):
            i += 2
            continue
        ch = pattern[i]
        if ch == "(":
            close = pairs[i]
            if pattern.startswith(_ZERO_WIDTH, i):
                i = close + 1
                continue
            if pattern.startswith("(?P=", i) or _may_repeat_zero_times(pattern, close + 1):
                return None
            body, case = _group_body(pattern, i)
            inner_case = ignorecase if case is None else case
            items: list[str] = []
            for a, b in _alternatives(pattern, body, close, pairs):
                found = _first_items(pattern, a, b, pairs, inner_case)
                if found is None:
                    return None
                items += found
            return items
        if ch == "[":
            close = class_end(pattern, i)
            if _may_repeat_zero_times(pattern, close + 1):
                return None
            return _class_items(pattern[i + 1 : close], ignorecase)
        if ch == "\\":
            if _may_repeat_zero_times(pattern, i + 2):
                return None
            escaped = pattern[i + 1]
            if escaped.isalnum() and escaped not in _CATEGORIES:
                return None  # \D, \A, \t, \x..: not read here
            return [pattern[i : i + 2]]
        if ch in ".^$|)*+?{" or _may_repeat_zero_times(pattern, i + 1):
            return None
        if ignorecase and not _caseless(ch):
            return None
        return [re.escape(ch)]
    return None  # the empty string matches


def _class_items(body: str, ignorecase: bool) -> list[str] | None:
    """The items of a character class body, or None for what is not read here (a negated
    class, a letter ignoring case, an escape other than punctuation or a category)."""
    if body.startswith("^"):
        return None
    items: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            escaped = body[i + 1]
            if escaped.isalnum() and escaped not in _CATEGORIES:
                return None
            items.append(body[i : i + 2])
            i += 2
            continue
        if i + 2 < len(body) and body[i + 1] == "-":  # a range
            if ignorecase or not (ch.isalnum() and body[i + 2].isalnum()):
                return None
            items.append(body[i : i + 3])
            i += 3
            continue
        if ignorecase and not _caseless(ch):
            return None
        items.append(re.escape(ch))
        i += 1
    return items
