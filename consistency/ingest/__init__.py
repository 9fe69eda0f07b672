"""INGEST: article files -> ``Document`` (decoded, repaired, header and boilerplate marked).

Public API::

    load_story(paths) -> list[Document]       folders (their *.txt) and/or files
    load_document(path, doc_id=None, meta=None) -> Document
    document_from_text(raw, doc_id="text", path="<text>") -> Document
    body_segments(doc) -> list[tuple[int, int]]   body minus skip ranges, in ``text`` offsets

A bad article never raises: it becomes a Document with a status and a one-line ``error``.
``InputError`` is raised only for no paths at all, a folder without any ``.txt`` file, or a broken
``sources.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from consistency.errors import InputError
from consistency.ingest.build import build_document, document_from_text
from consistency.ingest.reader import read_article
from consistency.ingest.sources import SourceMeta, load_sources, lookup
from consistency.models import Document

__all__ = ["body_segments", "document_from_text", "load_document", "load_story"]


def load_story(paths: Sequence[str | Path]) -> list[Document]:
    """One ``Document`` per article, in the order given (a folder's files sorted by name)."""
    if not paths:
        raise InputError("no input paths given")
    files = [item for p in paths for item in _expand(p)]
    sources: dict[Path, dict[str, SourceMeta]] = {}
    used: set[str] = set()
    docs: list[Document] = []
    for shown, path in files:
        folder = path.parent
        if folder not in sources:
            sources[folder] = load_sources(folder)
        meta = lookup(sources[folder], path)
        doc_id = _unique_id((meta.id if meta and meta.id else None) or path.stem, path, used)
        docs.append(_load(shown, path, doc_id, meta))
    return docs


def load_document(
    path: str | Path, doc_id: str | None = None, meta: SourceMeta | None = None
) -> Document:
    """Read one article; ``meta`` (from sources.yaml) wins over what the text says."""
    return _load(str(path), Path(path), doc_id, meta)


def _load(shown: str, path: Path, doc_id: str | None, meta: SourceMeta | None) -> Document:
    """``load_document`` for a path already made (``shown`` is how the user wrote it)."""
    return build_document(doc_id or path.stem, shown, read_article(path, shown), meta)


def body_segments(doc: Document) -> list[tuple[int, int]]:
    """The body of ``doc`` without its skip ranges, as (start, end) offsets into ``doc.text``."""
    segments: list[tuple[int, int]] = []
    pos = doc.body_start
    for start, end in sorted(doc.skip_ranges):
        if start > pos:
            segments.append((pos, min(start, doc.body_end)))
        pos = max(pos, end)
    if pos < doc.body_end:
        segments.append((pos, doc.body_end))
    return [(a, b) for a, b in segments if a < b]


def _expand(item: str | Path) -> list[tuple[str, Path]]:
    """(path as shown, path) for a file, or for each ``*.txt`` of a folder."""
    path = Path(item)
    if not path.is_dir():
        return [(str(item), path)]
    files = sorted(path.glob("*.txt"), key=lambda p: p.name)
    if not files:
        raise InputError(f"no .txt files in folder: {item}")
    return [(str(f), f) for f in files]


def _unique_id(doc_id: str, path: Path, used: set[str]) -> str:
    """``doc_id``, or a qualified form of it when another article already has that id."""
    candidate = doc_id if doc_id not in used else f"{path.parent.name}/{doc_id}"
    n = 2
    while candidate in used:
        candidate, n = f"{path.parent.name}/{doc_id}~{n}", n + 1
    used.add(candidate)
    return candidate
