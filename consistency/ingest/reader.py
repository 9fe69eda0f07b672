"""Reading one article from disk: bytes -> decoded text and a status.

``raw`` is the decoded text with nothing else changed: UTF-8 (bad bytes replaced, a BOM kept) or,
when the file starts with a UTF-16 byte-order mark, UTF-16.

Hostile files never stall or exhaust a run: only regular files are read (a FIFO would block
forever, ``/dev/zero`` never ends), never more than the size cap (``too_large`` above it: a
news article is a few KB; ingest of a 50 MB file took 43 s and 5.3 GB), and a symlink loop or
a file that vanishes or turns into a folder mid-run is ``unreadable`` / ``missing``.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from consistency.models import DocStatus

# Articles larger than this many bytes (a long news article is ~100 KB) are not read: status
# "too_large". The environment variable CONSISTENCY_MAX_ARTICLE_BYTES changes it.
MAX_ARTICLE_BYTES = 1_000_000
SNIFF_BYTES = 4096
MAX_CONTROL_RATIO = 0.10
MAX_REPLACEMENT_RATIO = 0.20
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class ReadResult:
    status: DocStatus
    raw: str = ""
    error: str | None = None  # one line; for status "ok" a warning (bad bytes replaced)


def max_article_bytes() -> int:
    """The size cap in force: CONSISTENCY_MAX_ARTICLE_BYTES, else ``MAX_ARTICLE_BYTES``."""
    try:
        return max(1, int(os.environ.get("CONSISTENCY_MAX_ARTICLE_BYTES", MAX_ARTICLE_BYTES)))
    except ValueError:
        return MAX_ARTICLE_BYTES


def too_large(size: int, cap: int) -> ReadResult:
    return ReadResult("too_large", error=f"article too large: {size} bytes (limit {cap}; "
                                         f"set CONSISTENCY_MAX_ARTICLE_BYTES to change it)")


def read_article(path: Path, shown: str) -> ReadResult:
    """Read and decode ``path``; ``shown`` is the path as the user wrote it, for messages."""
    cap = max_article_bytes()
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return ReadResult("missing", error=f"No such file or directory: '{shown}'")
    except OSError as exc:
        return _unreadable(exc, shown)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return ReadResult("unreadable", error=f"Is a directory: '{shown}'")
        if not stat.S_ISREG(info.st_mode):
            return ReadResult("unreadable", error=f"not a regular file ({_kind(info.st_mode)}): "
                                                  f"'{shown}'")
        if info.st_size > cap:
            return too_large(info.st_size, cap)
        data = _read_at_most(fd, cap + 1)
    except OSError as exc:
        return _unreadable(exc, shown)
    finally:
        os.close(fd)
    if len(data) > cap:  # the file grew after fstat
        return too_large(len(data), cap)
    return decode_bytes(data)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _unreadable(exc: OSError, shown: str) -> ReadResult:
    return ReadResult("unreadable", error=f"{exc.strerror or type(exc).__name__}: '{shown}'")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def decode_bytes(data: bytes) -> ReadResult:
    """Status and decoded text of a file's bytes."""
    if not data:
        return ReadResult("empty", error="empty file (0 bytes)")
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data)
    if b"\x00" in data:
        return ReadResult("binary", error="binary file: contains NUL bytes")
    ratio = _control_ratio_bytes(data[:SNIFF_BYTES])
    if ratio > MAX_CONTROL_RATIO:
        return ReadResult(
            "binary", error=f"binary file: {ratio:.0%} control characters in the first 4 KB"
        )
    raw, bad_bytes, first_bad = _decode_utf8(data)
    return _checked(raw, _utf8_warning(bad_bytes, first_bad))


def _decode_utf16(data: bytes) -> ReadResult:
    raw = data.decode("utf-16", errors="replace")
    if (
        raw
        and len(_CONTROL_CHARS.findall(raw[:SNIFF_BYTES])) / len(raw[:SNIFF_BYTES])
        > MAX_CONTROL_RATIO
    ):
        return ReadResult("binary", error="binary file: too many control characters (UTF-16)")
    bad = raw.count("\ufffd")
    warning = f"invalid UTF-16: {bad} characters replaced" if bad else None
    return _checked(raw, warning)


def _checked(raw: str, warning: str | None) -> ReadResult:
    """The shared checks after decoding: blank text, too many replacement characters."""
    if not raw.replace("\ufeff", "").strip():
        return ReadResult("empty", error="file contains only whitespace")
    if warning:  # bytes were replaced: too many of them and the text is not worth reading
        replaced = raw.count("\ufffd") / len(raw)
        if replaced > MAX_REPLACEMENT_RATIO:
            return ReadResult(
                "decode_error", error=f"{warning}; {replaced:.0%} of characters replaced"
            )
    return ReadResult("ok", raw=raw, error=warning)


def _control_ratio_bytes(head: bytes) -> float:
    # counted in C (the bytes left after deleting the control bytes), not per byte in Python
    return (len(head) - len(head.translate(None, _CONTROL_BYTES))) / len(head) if head else 0.0


def _decode_utf8(data: bytes) -> tuple[str, int, int | None]:
    """Decode like ``errors="replace"`` and count the bytes replaced and where the first was."""
    parts: list[str] = []
    bad_bytes, first_bad, pos = 0, None, 0
    view = memoryview(data)
    while True:
        try:
            parts.append(codecs.utf_8_decode(view[pos:], "strict", True)[0])
            break
        except UnicodeDecodeError as exc:
            parts.append(bytes(view[pos : pos + exc.start]).decode("utf-8"))
            parts.append("\ufffd")
            bad_bytes += exc.end - exc.start
            first_bad = pos + exc.start if first_bad is None else first_bad
            pos += exc.end
    return "".join(parts), bad_bytes, first_bad


def _utf8_warning(bad_bytes: int, first_bad: int | None) -> str | None:
    if not bad_bytes:
        return None
    unit = "byte" if bad_bytes == 1 else "bytes"
    return f"invalid UTF-8: {bad_bytes} {unit} replaced (first at byte {first_bad})"
