"""Inputs of a nightly run: story folders, a folder of story folders, or a JSON Lines feed.

A feed line is ``{"story", "outlet", "url", "published", "title", "text"}``; ``story`` groups
articles. A bad line is an article with status ``failed`` (and its line number), never a crash.
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
from consistency.models import Document

_SLUG = re.compile(r"[^a-z0-9]+")


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
            yield StoryInput(name=path.resolve().name, paths=[path])
        elif path.is_dir():
            subfolders = sorted(p for p in path.iterdir() if p.is_dir() and any(p.glob("*.txt")))
            if not subfolders:
                raise InputError(f"{path}: no articles (*.txt) and no story folders in it")
            for sub in subfolders:
                yield StoryInput(name=sub.name, paths=[sub])
        elif path.is_file():
            yield StoryInput(name=path.stem, paths=[path])
        else:
            raise InputError(f"{path}: no such file or directory")


def read_feed(path: Path) -> Iterator[StoryInput]:
    """Group a JSON Lines feed by story, keeping the feed's order of stories."""
    stories: dict[str, list[Document]] = {}
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"{path}: cannot read feed: {exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            story, doc = _article(path, number, line)
            stories.setdefault(story, [])
            doc = _unique_id(doc, stories[story])
            stories[story].append(doc)
    for name, docs in stories.items():
        yield StoryInput(name=name, documents=docs)


def _article(path: Path, number: int, line: str) -> tuple[str, Document]:
    where = f"{path}:{number}"
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("a feed line must be a JSON object")
        text = item.get("text")
        if not isinstance(text, str):
            raise ValueError("missing 'text'")
    except (json.JSONDecodeError, ValueError) as exc:
        doc = Document(id=f"line-{number}", path=where, status="failed", error=f"{where}: {exc}")
        return "unknown", doc
    outlet = str(item.get("outlet") or f"line-{number}")
    if not text.strip():
        doc_id = _SLUG.sub("-", outlet.lower()).strip("-") or "article"
        return str(item.get("story") or "unknown"), Document(
            id=doc_id, path=where, status="empty", error=f"{where}: empty article text")
    doc = document_from_text(text, doc_id=_SLUG.sub("-", outlet.lower()).strip("-") or "article",
                             path=where)
    published = _date(item.get("published"))
    return str(item.get("story") or "unknown"), doc.model_copy(update={
        "outlet": outlet, "url": item.get("url"), "title": item.get("title") or doc.title,
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
