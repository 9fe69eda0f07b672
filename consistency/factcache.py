"""Cache of extracted facts, so that a nightly rerun over a mostly unchanged feed extracts only
the articles that are new or changed (extraction is about 88% of a check, ingest a fifth of it).

Rows of two kinds, in one table:

**An article's facts.** Key: sha256 of

- the extractor code: ``extractor_version()``, derived from the code itself (below);
- the ``Document`` as JSON: everything extraction reads (id, raw and repaired text, offset map,
  body bounds, skip ranges, page date and its span, outlet, title...). Two fields are left out:
  ``path`` (a feed line's path holds its line number, which shifts when lines are inserted
  above it; a folder's path depends on the working directory) and ``error`` (a warning that
  quotes the path). Extraction never reads them; ``tests/test_factcache.py`` fails if it starts to;
- the article's reference date (``Reference``: its repr, so a field added to it is keyed too).
  It comes from the whole story's timeline, so an article that moves the story's consensus date
  re-extracts the articles that resolve against it;
- whether mentions (``facts --all``) were kept.

Value: zlib-compressed JSON ``{"facts": [...], "mentions": [...]}``. Only articles extracted
with status ``ok`` are stored, never timeouts or failures.

**A story folder's documents** (what ``ingest.load_story`` returns), so that an unchanged story
is not ingested again either. Key: sha256 of the ingest code's version, the ``CONSISTENCY_*``
environment (the size cap), and each article's path as given and bytes, and each folder's
``sources.yaml``. Only small regular files are hashed (a FIFO, a device or an oversized file
skips the cache and is left to ingest to report), and the documents are stored only when ingest
returned exactly the files hashed and none changed meanwhile: a change in how ingest finds files
can disable this cache, never make it stale. Stories of a JSON Lines feed arrive as documents
already; they use the facts rows only.

**Versions**: nobody has to remember to bump them. ``code_version(package)`` hashes the source of
every module of ``consistency/<package>/`` and of every ``consistency`` module they import (found
by reading their ``import`` statements, transitively: models.py, text.py...), the package version,
the Python version and the versions of the third-party distributions those modules import. The
timeline is in no version: its output (the reference) is in the key. Code outside these closures
(rules, align, reports) never invalidates the cache.

**Loading**: rows are validated with pydantic ``TypeAdapter``s. A row that does not decompress or
validate is a miss (the article is extracted again and the row overwritten), never an error.

**Store**: table ``fact_cache`` of a SQLite file (by default the ``report --history`` file), in
WAL mode. Every process opens its own connection (a connection is never used across ``fork``),
so ``--jobs`` workers read it at once. Writes are batched: one short transaction per story
(``BEGIN IMMEDIATE`` with a busy timeout; two runs at once take turns). A write that fails
anyway (disk full, read-only file, locked too long) is dropped with one warning: the cache only
ever costs a re-extraction, never a run.

**Bounded**: each row carries the day it was last written or read (``used``; a hit older than
today is touched, so a rerun on the same day writes nothing for its hits). ``prune()`` (called
at the end of ``report`` and ``check --cache``) deletes rows not used for ``KEEP_DAYS`` days:
the cache holds about the articles of the last month (about 3.5 KB per article). SQLite reuses
the freed pages; the file does not shrink.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import os
import platform
import sqlite3
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from consistency import __version__
from consistency.extract import Extraction, Reference
from consistency.ingest import load_story
from consistency.ingest.reader import max_article_bytes
from consistency.ingest.sources import MAX_SOURCES_BYTES, SOURCES_FILE
from consistency.models import Document, Fact, Mention
from consistency.store import StoreError

KEEP_DAYS = 30  # rows not read or written for this many days are pruned
_PACKAGE = Path(__file__).resolve().parent
_KEY_EXCLUDE = frozenset({"path", "error"})  # see the module docstring: extraction never reads them
_CHUNK = 500  # keys per SELECT (SQLite allows 32,766 parameters)

SCHEMA = """
CREATE TABLE IF NOT EXISTS fact_cache (
    key BLOB PRIMARY KEY,      -- sha256 (see the module docstring)
    kind TEXT NOT NULL,        -- 'facts' of an article or 'documents' of a story folder
    used INTEGER NOT NULL,     -- day (UTC, since 1970) the row was last written or read
    data BLOB NOT NULL         -- zlib(JSON), validated on load
);
CREATE INDEX IF NOT EXISTS fact_cache_used ON fact_cache(used);
"""
COLUMNS = ["key", "kind", "used", "data"]


class _Entry(BaseModel):
    facts: list[Fact]
    mentions: list[Mention]


_ENTRY = TypeAdapter(_Entry)
_FACTS = TypeAdapter(list[Fact])
_MENTIONS = TypeAdapter(list[Mention])
_DOCUMENTS = TypeAdapter(list[Document])

# Connections a forked child inherited from its parent: kept referenced, never closed or used,
# because closing one in the child can disturb the parent's (SQLite: no connection across fork).
_INHERITED: list[sqlite3.Connection] = []
_WARNED: set[str] = set()


def _warn_once(what: str, exc: BaseException) -> None:
    if what not in _WARNED:
        _WARNED.add(what)
        sys.stderr.write(f"warning: fact cache: {what}: {exc}; articles are extracted again\n")


def _today() -> int:
    return int(time.time() // 86400)


# ---------------------------------------------------------------------------------------------
# Version and key
# ---------------------------------------------------------------------------------------------


@cache
def code_version(package: str) -> str:
    """A hash of the modules of ``consistency/<package>/`` and of what they depend on (see the
    module docstring); computed once per process (forked workers inherit it)."""
    imports = _import_closure(sorted((_PACKAGE / package).glob("*.py")))
    h = hashlib.sha256()
    h.update(f"{__version__}\0{platform.python_implementation()}\0"
             f"{sys.version_info[:2]}\0".encode())
    for path in sorted(imports):
        h.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    tops = {name.split(".")[0] for names in imports.values() for name in names}
    for dist, version in _third_party_versions(tops):
        h.update(f"{dist}=={version}\0".encode())
    return h.hexdigest()[:16]


def extractor_version() -> str:
    """The version of the extraction code: ``code_version("extract")``."""
    return code_version("extract")


def _import_closure(roots: Iterable[Path]) -> dict[Path, list[str]]:
    """The roots and every module of this package they import, transitively; for each, the
    module names it imports."""
    todo, seen = list(roots), dict[Path, list[str]]()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen[path] = names = list(_imported_names(path))
        todo.extend(_package_files(names))
    return seen


def _imported_names(path: Path) -> Iterable[str]:
    """Absolute module names imported by the file at ``path`` (``from x import y`` gives both
    ``x`` and ``x.y``: y may be a submodule)."""
    module = ".".join(path.relative_to(_PACKAGE.parent).with_suffix("").parts)
    package = module.removesuffix(".__init__") if path.name == "__init__.py" \
        else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _package_files(names: Iterable[str]) -> Iterable[Path]:
    for name in names:
        parts = name.split(".")
        if parts[0] != _PACKAGE.name:
            continue
        target = _PACKAGE.parent.joinpath(*parts)
        for candidate in (target.with_suffix(".py"), target / "__init__.py"):
            if candidate.is_file():
                yield candidate


def _third_party_versions(tops: set[str]) -> list[tuple[str, str]]:
    """(distribution, version) of every non-stdlib top-level module among ``tops``."""
    tops = tops - set(sys.stdlib_module_names) - {_PACKAGE.name, "__future__", ""}
    dists = importlib.metadata.packages_distributions()
    found: set[tuple[str, str]] = set()
    for top in tops:
        for dist in dists.get(top, []):
            try:
                found.add((dist, importlib.metadata.version(dist)))
            except importlib.metadata.PackageNotFoundError:
                found.add((dist, "?"))
    return sorted(found)


def article_key(doc: Document, reference: Reference, mentions: bool, version: str) -> bytes:
    """The cache key of one article's extraction (see the module docstring)."""
    h = hashlib.sha256(f"facts\0{version}\0{int(mentions)}\0{reference!r}\0".encode())
    h.update(doc.model_dump_json(exclude=_KEY_EXCLUDE).encode())
    return h.digest()


# (inode, size, mtime in ns) of a file as hashed; None when there was no such file
Signature = tuple[int, int, int] | None


def _signature(path: Path) -> Signature:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return (-1, -1, -1)  # matches no file that was read
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _read_small(path: Path, cap: int) -> tuple[bytes, Signature] | None:
    """The bytes of a regular file of at most ``cap`` bytes, and its signature; None for
    anything else (a FIFO, a device, a huge or unreadable file): such stories skip the cache
    and ingest reports them."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > cap:
            return None
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return None
        return b"".join(chunks), (info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        return None
    finally:
        os.close(fd)


def _story_files(paths: Sequence[str | Path]) -> list[tuple[str, Path]] | None:
    """(path as shown, path) of the articles ``load_story`` reads, or None when unsure (a folder
    without articles: ingest raises its own error). ``FactCache.load_story`` checks the result
    against the paths of the Documents ingest returns, so a change in ingest can only disable
    the cache."""
    files: list[tuple[str, Path]] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(path.glob("*.txt"), key=lambda p: p.name)
            if not found:
                return None
            files.extend((str(f), f) for f in found)
        else:
            files.append((str(item), path))
    return files or None


@dataclass(frozen=True)
class StoryKey:
    key: bytes
    shown: list[str]  # the paths of the documents ingest must return, in order
    files: list[tuple[Path, Signature]]  # every file hashed, as it was

    def unchanged(self) -> bool:
        """Whether no hashed file changed since (ingest then read what was hashed)."""
        return all(_signature(path) == sig for path, sig in self.files)


def story_key(paths: Sequence[str | Path], version: str) -> StoryKey | None:
    """The cache key of one story's ingest; None when a file is not a small regular file (the
    cache is then skipped)."""
    files = _story_files(paths)
    if files is None:
        return None
    cap = max_article_bytes()
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("CONSISTENCY_"))
    h = hashlib.sha256(f"documents\0{version}\0{env!r}\0".encode())
    hashed: list[tuple[Path, Signature]] = []
    for shown, path in files:
        read = _read_small(path, cap)
        if read is None:
            return None
        h.update(f"{len(shown)}:{shown}\0{len(read[0])}:".encode() + read[0])
        hashed.append((path, read[1]))
    for folder in dict.fromkeys(path.parent for _, path in files):
        sources = folder / SOURCES_FILE
        read = _read_small(sources, MAX_SOURCES_BYTES) if sources.exists() else (b"", None)
        if read is None:
            return None
        h.update(f"\0{folder}\0{len(read[0])}:".encode() + read[0])
        hashed.append((sources, read[1]))
    return StoryKey(h.digest(), [shown for shown, _ in files], hashed)


# ---------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------


def encode(extraction: Extraction) -> bytes:
    data = (b'{"facts":' + _FACTS.dump_json(extraction.facts) + b',"mentions":'
            + _MENTIONS.dump_json(extraction.mentions) + b"}")
    return zlib.compress(data, 1)


def decode(data: Any) -> Extraction | None:
    """The extraction stored in a row, or None for anything that does not decompress and
    validate (a truncated, foreign or hand-edited row is a miss, never an error)."""
    try:
        entry = _ENTRY.validate_json(zlib.decompress(data))
    except Exception:  # zlib.error, TypeError (not bytes), ValidationError, RecursionError...
        return None
    return Extraction(facts=entry.facts, mentions=entry.mentions)


def decode_documents(data: Any) -> list[Document] | None:
    try:
        return _DOCUMENTS.validate_json(zlib.decompress(data))
    except Exception:  # as in ``decode``: a bad row is a miss
        return None


# ---------------------------------------------------------------------------------------------
# Store
# ---------------------------------------------------------------------------------------------


def _ensure_schema(db: sqlite3.Connection) -> None:
    """Create the table; a table of another shape (from an older version of this module) is
    only a cache: it is dropped and created afresh."""
    if _columns(db) == COLUMNS:
        return
    db.execute("BEGIN IMMEDIATE")  # check again under the write lock: another run may be here
    try:
        if _columns(db) != COLUMNS:
            db.execute("DROP TABLE IF EXISTS fact_cache")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _columns(db: sqlite3.Connection) -> list[str]:
    return [row[1] for row in db.execute("PRAGMA table_info(fact_cache)")]


class FactCache:
    """The cache in one SQLite file; safe to share with forked worker processes."""

    def __init__(self, path: Path, keep_days: int = KEEP_DAYS, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.keep_days = keep_days
        self.timeout = timeout
        # computed before any fork, so that workers inherit them
        self.version = extractor_version()
        self.ingest_version = code_version("ingest")
        self.hits = self.misses = self.stored = 0
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._puts: dict[bytes, tuple[str, bytes]] = {}
        self._touch: set[bytes] = set()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._db()
            db.execute("PRAGMA journal_mode=WAL")
            _ensure_schema(db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the fact cache: {exc}") from None

    def __getstate__(self) -> dict[str, Any]:  # for a spawn pool: no connection, no buffers
        state = dict(self.__dict__)
        state.update(_conn=None, _pid=0, _puts={}, _touch=set())
        return state

    def _own(self) -> None:
        """After a fork, leave the parent's connection and buffers alone and start afresh."""
        if self._pid != os.getpid():
            if self._conn is not None:
                _INHERITED.append(self._conn)
            self._conn, self._pid = None, os.getpid()
            self._puts, self._touch = {}, set()
            self.hits = self.misses = self.stored = 0

    def _db(self) -> sqlite3.Connection:
        self._own()
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            # a cache may lose its last commits on power loss, never its integrity (WAL)
            self._conn.execute("PRAGMA synchronous=NORMAL")
        return self._conn

    def key(self, doc: Document, reference: Reference, mentions: bool) -> bytes:
        return article_key(doc, reference, mentions, self.version)

    def _fetch(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """Stored data of the keys present; rows last used before today are marked to touch."""
        found: dict[bytes, bytes] = {}
        today = _today()
        unique = list(dict.fromkeys(keys))
        try:
            for i in range(0, len(unique), _CHUNK):
                chunk = unique[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for key, used, data in self._db().execute(
                        f"SELECT key, used, data FROM fact_cache WHERE key IN ({marks})", chunk):
                    found[key] = data
                    if not isinstance(used, int) or used < today:
                        self._touch.add(key)
        except sqlite3.Error as exc:
            _warn_once("cannot read", exc)
            return {}
        return found

    def lookup(self, keys: Sequence[bytes]) -> dict[bytes, Extraction]:
        """The cached extractions among ``keys``; unreadable rows and database errors are
        misses."""
        found: dict[bytes, Extraction] = {}
        for key, data in self._fetch(keys).items():
            extraction = decode(data)
            if extraction is not None:
                found[key] = extraction
        self.hits += len(found)
        self.misses += len(set(keys)) - len(found)
        return found

    def store(self, key: bytes, extraction: Extraction) -> None:
        """Keep an extraction (status ok only) for the next ``flush``."""
        self._own()
        self._puts[key] = ("facts", encode(extraction))

    def load_story(self, paths: Sequence[str | Path]) -> list[Document]:
        """``ingest.load_story(paths)``, from the cache when no file of the story changed."""
        keyed = story_key(paths, self.ingest_version)
        if keyed is not None:
            data = self._fetch([keyed.key]).get(keyed.key)
            docs = decode_documents(data) if data is not None else None
            if docs is not None:
                return docs
        docs = load_story(list(paths))
        # stored only when ingest read exactly the files hashed, and none changed meanwhile
        if keyed is not None and [d.path for d in docs] == keyed.shown and keyed.unchanged():
            self._own()
            self._puts[keyed.key] = ("documents", zlib.compress(_DOCUMENTS.dump_json(docs), 1))
        return docs

    def flush(self) -> None:
        """Write the stored rows and touch the rows read, in one transaction."""
        self._own()
        if not self._puts and not self._touch:
            return
        today = _today()
        puts, touch = self._puts, self._touch
        self._puts, self._touch = {}, set()
        try:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT INTO fact_cache (key, kind, used, data) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET used = excluded.used, data = excluded.data",
                    [(k, kind, today, v) for k, (kind, v) in puts.items()])
                db.executemany("UPDATE fact_cache SET used = ? WHERE key = ? AND used < ?",
                               [(today, k, today) for k in touch - puts.keys()])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            _warn_once("cannot write", exc)
            return
        self.stored += len(puts)

    def prune(self) -> int:
        """Delete rows not used for ``keep_days`` days; the number deleted."""
        self.flush()
        try:
            cur = self._db().execute("DELETE FROM fact_cache WHERE used < ?",
                                     (_today() - self.keep_days,))
        except sqlite3.Error as exc:
            _warn_once("cannot prune", exc)
            return 0
        return cur.rowcount

    def rows(self) -> int:
        return int(self._db().execute("SELECT COUNT(*) FROM fact_cache").fetchone()[0])

    def close(self) -> None:
        self.flush()
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
