"""Inputs of a nightly run: story folders, a folder of story folders, or a JSON Lines feed.

A feed line is ``{"story", "outlet", "url", "published", "title", "text"}``; ``story`` groups
articles. A bad line is an article with status ``failed`` (and its line number), never a crash.

A feed is read in two passes so that memory stays bounded by the largest story, not the feed: the
first pass notes where each story's lines are (byte offsets), the second reads one story's lines
when its turn comes. A line longer than ``max_line_bytes()`` is never held in memory (it is
skipped in pieces and listed as ``too_large``); an article text over the size cap is
``too_large`` too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from consistency.errors import InputError
from consistency.ingest.build import document_from_text
from consistency.ingest.reader import max_article_bytes, too_large
from consistency.ingest.sources import load_sources
from consistency.models import Document

_SLUG = re.compile(r"[^a-z0-9]+")
# JSON can spell lone surrogates (a "\\ud800" escape); no file holds them, no writer encodes them
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean(value: object) -> str:
    return _SURROGATE.sub("\ufffd", str(value))


def _story_name(item: dict) -> str:
    return _clean(item.get("story") or "unknown")


@dataclass
class StoryInput:
    """One story to check: either paths of articles on disk or documents already read."""

    name: str
    paths: list[Path] = field(default_factory=list)
    documents: list[Document] | None = None


def discover(inputs: list[Path]) -> Iterator[StoryInput]:
    """Stories in the given inputs, lazily: a story is read only when its turn comes."""
    if not inputs:
        raise InputError("no input given")
    for path in inputs:
        if path.is_file() and path.suffix in (".jsonl", ".ndjson"):
            yield from read_feed(path)
        elif path.is_dir() and any(path.glob("*.txt")):
            yield _folder_story(path.resolve().name, path)
        elif path.is_dir():
            subfolders = sorted(p for p in path.iterdir() if p.is_dir() and any(p.glob("*.txt")))
            if not subfolders:
                raise InputError(f"{path}: no articles (*.txt) and no story folders in it")
            for sub in subfolders:
                yield _folder_story(sub.name, sub)
        elif path.is_file():
            yield StoryInput(name=path.stem, paths=[path])
        else:
            raise InputError(f"{path}: no such file or directory")


def _folder_story(name: str, folder: Path) -> StoryInput:
    """A story folder as its list of articles, taken when the story's turn comes: an article
    removed after that is listed as missing, a folder emptied since discovery is one missing
    entry, and a broken sources.yaml marks the story's articles failed (with its located
    error): never an error that stops the other stories."""
    files = sorted(folder.glob("*.txt"), key=lambda p: p.name)
    if not files:
        return StoryInput(name=name, documents=[Document(
            id=name, path=str(folder), status="missing",
            error="no articles (*.txt) any more: the folder changed during the run")])
    try:
        load_sources(folder)
    except InputError as exc:  # one story's broken sources.yaml must not stop the others
        return StoryInput(name=name, documents=[
            Document(id=f.stem, path=str(f), status="failed", error=f"not checked: {exc}")
            for f in files])
    return StoryInput(name=name, paths=files)


def max_line_bytes() -> int:
    """The longest feed line read: room for a text at the size cap, JSON-escaped."""
    return 6 * max_article_bytes() + 65_536


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    offset: int  # byte offset of the line in the feed
    length: int  # bytes, without a trailing newline; -1 for a line too long to read


def read_feed(path: Path) -> Iterator[StoryInput]:
    """Group a JSON Lines feed by story, keeping the feed's order of stories; each story's
    articles are read only when that story is taken from the iterator."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read feed: {exc}") from None
    with handle:
        index = _index(path, handle)
        for name, lines in index.items():
            docs: list[Document] = []
            for line in lines:
                doc = _read_line(path, handle, line, name)
                docs.append(_unique_id(doc, docs))
            yield StoryInput(name=name, documents=docs)


def _index(path: Path, handle) -> dict[str, list[_Line]]:
    """Pass one: which lines belong to which story (texts are parsed and dropped)."""
    stories: dict[str, list[_Line]] = {}
    limit = max_line_bytes()
    offset, number = 0, 0
    while True:
        try:
            data = handle.readline(limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read feed: {exc}") from None
        if not data:
            break
        number += 1
        start, size = offset, len(data)
        if len(data) > limit and not data.endswith(b"\n"):
            while data and not data.endswith(b"\n"):  # skip the rest of the line in pieces
                data = handle.readline(1 << 20)
                size += len(data)
            stories.setdefault("unknown", []).append(_Line(number, start, -1))
            offset += size
            continue
        offset += size
        line = data.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        story = _story_of(line)
        stories.setdefault(story, []).append(_Line(number, start, len(data.rstrip(b"\r\n"))))
    return stories


def _story_of(line: str) -> str:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        return "unknown"
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return "unknown"
    return _story_name(item)


def _read_line(path: Path, handle, line: _Line, story: str) -> Document:
    """Pass two: the ``Document`` of one indexed line."""
    where = f"{path}:{line.number}"
    if line.length < 0:
        doc = Document(id=f"line-{line.number}", path=where, status="too_large",
                       error=f"{where}: feed line longer than {max_line_bytes()} bytes; skipped")
        return doc
    try:
        handle.seek(line.offset)
        data = handle.read(line.length)
    except OSError as exc:
        return Document(id=f"line-{line.number}", path=where, status="unreadable",
                        error=f"{where}: cannot read feed: {exc}")
    text = data.decode("utf-8", errors="replace")
    found, doc = _article(path, line.number, text)
    if found != story:  # the file changed between the two passes
        return Document(id=f"line-{line.number}", path=where, status="failed",
                        error=f"{where}: feed line changed while the run was reading it")
    return doc


def _article(path: Path, number: int, line: str) -> tuple[str, Document]:
    where = f"{path}:{number}"
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("a feed line must be a JSON object")
        text = item.get("text")
        if not isinstance(text, str):
            raise ValueError("missing 'text'")
    except (ValueError, RecursionError) as exc:
        reason = "JSON nested too deep" if isinstance(exc, RecursionError) else exc
        doc = Document(id=f"line-{number}", path=where, status="failed",
                       error=f"{where}: {reason}")
        return "unknown", doc
    story = _story_name(item)
    outlet = _clean(item.get("outlet") or f"line-{number}")
    doc_id = _SLUG.sub("-", outlet.lower()).strip("-") or "article"
    cap = max_article_bytes()
    if len(text) > cap // 4 and len(text.encode("utf-8", errors="surrogatepass")) > cap:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        return story, Document(id=doc_id, path=where, status="too_large", outlet=outlet,
                               error=f"{where}: {too_large(size, cap).error}")
    if not text.strip():
        return story, Document(id=doc_id, path=where, status="empty",
                               error=f"{where}: empty article text")
    doc = document_from_text(_clean(text), doc_id=doc_id, path=where)
    published = _date(item.get("published"))
    url, title = item.get("url"), item.get("title")
    return story, doc.model_copy(update={
        "outlet": outlet, "url": _clean(url) if url else None,
        "title": _clean(title) if title else doc.title,
        "published": published or doc.published,
        "published_source": "sources.yaml" if published else doc.published_source,
        "published_span": None if published else doc.published_span,
    })


def _date(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _unique_id(doc: Document, seen: list[Document]) -> Document:
    ids = {d.id for d in seen}
    if doc.id not in ids:
        return doc
    n = 2
    while f"{doc.id}-{n}" in ids:
        n += 1
    return doc.model_copy(update={"id": f"{doc.id}-{n}"})
