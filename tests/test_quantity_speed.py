"""The direct builds and shared readings of quantity reading equal the plain code they replace."""

from __future__ import annotations

from pathlib import Path

from consistency.extract import quantities as q
from consistency.extract.numbers import find_numbers
from consistency.ingest.build import document_from_text

REPO = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*REPO.glob("seeds/*.txt"), *REPO.glob("tests/data/**/*.txt")])


def _state(value: object) -> tuple[object, ...]:
    return (type(value), value.__dict__, value.__pydantic_fields_set__,  # type: ignore[attr-defined]
            value.__pydantic_extra__, value.__pydantic_private__)  # type: ignore[attr-defined]


def test_value_written_is_model_copy() -> None:
    """Every converted measure and duration of the test articles: the directly built value has
    the same fields, field order, fields set and extras as pydantic's ``model_copy``."""
    checked = 0
    for path in ARTICLES:
        doc = document_from_text(path.read_text(encoding="utf-8", errors="replace"))
        for m in find_numbers(doc.text):
            if m.kind not in ("measure", "duration"):
                continue
            for written, unit in ((3, m.unit_text), (1.5, "foot"), (None, None)):
                plain = m.value.model_copy(update={"written": written, "written_unit": unit})
                fast = q._value_written(m.value, written, unit)  # type: ignore[arg-type]
                assert _state(fast) == _state(plain)
                assert list(fast.__dict__) == list(plain.__dict__)
                assert fast == plain and fast.model_dump() == plain.model_dump()
                checked += 1
    assert checked > 100
