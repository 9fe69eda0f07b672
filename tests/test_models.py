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


def test_trusted_leaves_out_unknown_names_and_missing_required_fields() -> None:
    # as model_construct: a name the model lacks is not stored, a required field not given is
    # left unset (the fast builder raises KeyError there and the field-by-field path takes over)
    from consistency.models import Document

    value = trusted(NumberValue, low=1, high=2, nonsense="x")
    assert "nonsense" not in value.__dict__ and value.low == 1 and value.high == 2
    partial = trusted(Span, doc="a", start=0)
    assert partial.__dict__ == {"doc": "a", "start": 0}
    assert partial.model_fields_set == {"doc", "start"}
    # a default factory gives each instance its own object
    first, second = trusted(Document, id="a", path="a"), trusted(Document, id="b", path="b")
    assert first.offset_map == [] and first.offset_map is not second.offset_map
    assert list(first.__dict__) == list(Document.model_fields)
