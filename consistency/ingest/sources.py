"""``sources.yaml``: per-article metadata that wins over what the text says.

Two shapes are accepted::

    ndtv.txt:                     - file: ndtv.txt
      outlet: NDTV                  outlet: NDTV
      published: 2017-12-29         published: 2017-12-29

Keys: id, outlet, url, published (YYYY-MM-DD), title. Errors name ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from consistency.errors import InputError

SOURCES_FILE = "sources.yaml"
KEYS = ("id", "outlet", "url", "published", "title")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULL_TAG = "tag:yaml.org,2002:null"
MAX_SOURCES_BYTES = 1_000_000
MAX_DEPTH = 10  # the file is two levels deep; PyYAML's composer recurses (and crashes) at ~500
# libyaml's loader, when PyYAML was built with it, reads a sources.yaml some 15 times faster than
# the pure-Python one (which took 1.7 ms per file, 13% of ingest). The two disagree at the edges
# (libyaml takes "?" inside a flow scalar, reads a bare "!" tag as a string...), so it is tried
# only on text without the YAML features where they may differ: tags, anchors, aliases, explicit
# keys, directives, block scalars, flow sequences, escapes, reserved indicators; nor tabs, CR,
# control characters, BOM, line separators or characters beyond the BMP. On such text the two
# give the same nodes (fuzzed on mutated sources files). Whatever libyaml refuses, for any
# reason, goes to the pure-Python loader: every error message and line number stays its own.
_C_LOADER: type | None = getattr(yaml, "CSafeLoader", None)
_FAST_TEXT = re.compile(
    r"[^\x00-\x09\x0b-\x1f\x7f-\x9f?!%@`&*|>\\\[\]\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff"
    r"\U00010000-\U0010ffff]*"
)


@dataclass(frozen=True, slots=True)
class SourceMeta:
    id: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None


def load_sources(folder: Path) -> dict[str, SourceMeta]:
    """Metadata by file name from ``folder/sources.yaml``; empty when there is no such file."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        return {}
    try:
        if path.stat().st_size > MAX_SOURCES_BYTES:
            raise InputError(f"{path}:1: larger than {MAX_SOURCES_BYTES} bytes")
        data = path.read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        return {}  # removed since it was found: as if it had never been there
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    if _C_LOADER is not None and _FAST_TEXT.fullmatch(text):
        try:
            return _entries(path, _compose(path, text, _C_LOADER))
        except Exception:  # of any kind: the pure-Python loader below words and places it
            pass
    return _entries(path, _compose(path, text, yaml.SafeLoader))


def _compose(path: Path, text: str, loader: type) -> yaml.Node | None:
    """The root node of ``text``; InputError (with file:line) for broken or absurd YAML."""
    try:
        _check_depth(path, text, loader)
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(f"{path}{line}: {_one_line(exc.problem or exc.context)}") from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(f"{path}:{line}: character U+{code:04X} is not allowed in YAML") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: {_one_line(exc)}") from exc


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _check_depth(path: Path, text: str, loader: type) -> None:
    """Refuse absurd nesting from the event stream (flat, never recursive), before composing."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"{path}:{event.start_mark.line + 1}: nested deeper than "
                                 f"{MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def lookup(sources: dict[str, SourceMeta], article: Path) -> SourceMeta | None:
    return sources.get(article.name) or sources.get(article.stem)


def _entries(path: Path, root: yaml.Node | None) -> dict[str, SourceMeta]:
    if root is None:
        return {}
    if isinstance(root, yaml.MappingNode) and len(root.value) == 1:
        key, value = root.value[0]
        if key.value in ("files", "sources") and isinstance(value, yaml.SequenceNode):
            root = value
    if isinstance(root, yaml.SequenceNode):
        return dict(_list_entry(path, item) for item in root.value)
    if isinstance(root, yaml.MappingNode):
        return {_scalar(path, k): _meta(path, v, allowed=KEYS) for k, v in root.value}
    raise _error(path, root, "expected a mapping from file name to metadata, or a list")


def _list_entry(path: Path, node: yaml.Node) -> tuple[str, SourceMeta]:
    if not isinstance(node, yaml.MappingNode):
        raise _error(path, node, "each entry must be a mapping with a 'file' key")
    names = [v for k, v in node.value if k.value == "file"]
    if not names:
        raise _error(path, node, "entry has no 'file' key")
    return _scalar(path, names[0]), _meta(path, node, allowed=(*KEYS, "file"))


def _meta(path: Path, node: yaml.Node, allowed: tuple[str, ...]) -> SourceMeta:
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
        return SourceMeta()
    if not isinstance(node, yaml.MappingNode):
        raise _error(path, node, "metadata must be a mapping")
    fields: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = _scalar(path, key_node)
        if key not in allowed:
            raise _error(path, key_node, f"unknown key '{key}' (allowed: {', '.join(allowed)})")
        if key == "published":
            fields[key] = _published(path, value_node)
        elif key != "file":
            fields[key] = _optional_str(path, value_node)
    return SourceMeta(**fields)  # type: ignore[arg-type]


def _published(path: Path, node: yaml.Node) -> date | None:
    value = _optional_str(path, node)
    if value is None:
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _error(path, node, f"published must be a date YYYY-MM-DD, not '{value}'")


def _optional_str(path: Path, node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
        return None
    return _scalar(path, node)


def _scalar(path: Path, node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _error(path, node, "expected a plain value")
    value = str(node.value)
    if not value.isascii():
        # YAML escapes "\ud83d\ude00" give surrogate halves: pair them, replace lone ones (no
        # writer can encode a lone surrogate)
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value.strip()


def _error(path: Path, node: yaml.Node, message: str) -> InputError:
    return InputError(f"{path}:{node.start_mark.line + 1}: {message}")
