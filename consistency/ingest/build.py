"""Turning decoded text into a ``Document``: repair, header, boilerplate, metadata."""

from __future__ import annotations

from consistency.ingest.boilerplate import find_boilerplate
from consistency.ingest.header import Header, parse_header
from consistency.ingest.reader import ReadResult
from consistency.ingest.repair import repair
from consistency.ingest.sources import SourceMeta
from consistency.models import Document


def build_document(
    doc_id: str, path: str, result: ReadResult, meta: SourceMeta | None = None
) -> Document:
    """The ``Document`` for one read result; never raises for odd text."""
    if result.status != "ok":
        doc = Document(id=doc_id, path=path, status=result.status, error=result.error)
    else:
        doc = _analyse(doc_id, path, result.raw, result.error)
    if meta is not None:
        _apply_meta(doc, meta)
    return doc


def document_from_text(raw: str, doc_id: str = "text", path: str = "<text>") -> Document:
    """A ``Document`` for text already in memory (tests, other input formats)."""
    return build_document(doc_id, path, ReadResult("ok", raw=raw))


def _analyse(doc_id: str, path: str, raw: str, warning: str | None) -> Document:
    try:
        text, offset_map = repair(raw)
    except Exception as exc:  # defensive: a repair bug must not lose the article
        text, offset_map = raw, []
        warning = _join(warning, f"repair failed ({type(exc).__name__}); text left as read")
    doc = Document(
        id=doc_id,
        path=path,
        raw=raw,
        text=text,
        offset_map=offset_map,
        error=warning,
        body_end=len(text),
    )
    try:
        _read_layout(doc)
    except Exception as exc:  # defensive: whole text stays the body
        doc.body_start, doc.body_end, doc.skip_ranges = 0, len(text), []
        doc.error = _join(doc.error, f"layout analysis failed ({type(exc).__name__})")
    return doc


def _read_layout(doc: Document) -> None:
    header = parse_header(doc.text)
    furniture = find_boilerplate(doc.text, header.body_start)
    doc.body_start = header.body_start
    doc.body_end = max(furniture.body_end, header.body_start)
    doc.skip_ranges = furniture.skip_ranges
    doc.title, doc.edition = header.title, header.edition
    _apply_page_date(doc, header)


def _apply_page_date(doc: Document, header: Header) -> None:
    if header.published is None or header.date_span is None:
        return
    doc.published = header.published
    doc.published_span = doc.span(*header.date_span)
    doc.published_source = "header"


def _apply_meta(doc: Document, meta: SourceMeta) -> None:
    doc.outlet = meta.outlet or doc.outlet
    doc.url = meta.url or doc.url
    doc.title = meta.title or doc.title
    if meta.published is not None:
        if doc.published != meta.published:
            doc.published_span = None
        doc.published = meta.published
        doc.published_source = "sources.yaml"


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second
