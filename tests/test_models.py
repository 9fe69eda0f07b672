"""``models.trusted``: the unvalidated constructor of the hot path builds what validation builds."""

from __future__ import annotations

from consistency.models import CountFact, NumberValue, Span, trusted


def test_trusted_instances_serialise_like_validated_ones() -> None:
    # pydantic serialises a model's fields in the order they are stored: the JSON text of a
    # report (and its golden file) must not depend on which constructor made a value
    value = NumberValue(low=3, high=3, unit=None, qualifier="at least", approximate=False)
    fast_value = trusted(NumberValue, low=3, high=3, unit=None, qualifier="at least",
                         approximate=False)
    assert fast_value.model_dump_json() == value.model_dump_json()
    assert fast_value == value and fast_value.model_fields_set == value.model_fields_set
    span = Span(doc="a", start=1, end=4, text="abc")
    fields = dict(doc="a", text="three raids", start=5, end=16, subject="raid", terms=("raid",),
                  sentence=span, noun="raid", value=value)
    assert trusted(CountFact, **fields).model_dump_json() == CountFact(**fields).model_dump_json()
