"""Snapshots of what is registered: a new operator or rule kind is a deliberate change."""

from __future__ import annotations

from consistency.rules.kinds import KINDS
from consistency.rules.operators import REGISTRY
from consistency.rules.schema import RuleFile, rule_file_schema


def test_operator_registry_snapshot() -> None:
    assert {name: op.arity for name, op in REGISTRY.items()} == {
        "interval": "pair",
        "name-spelling": "pair",
        "role-conflict": "pair",
        "gender-conflict": "pair",
        "surname-conflict": "pair",
        "quote-wording": "pair",
        "date-gap": "single",
        "weekday-mismatch": "single",
    }


def test_rule_kind_registry_snapshot() -> None:
    assert sorted(KINDS) == ["consensus", "cross-source", "within-doc"]


def test_every_operator_documents_its_options() -> None:
    for op in REGISTRY.values():
        assert op.summary
        for name, field in op.options.model_fields.items():
            assert field.description, f"{op.name}.{name} has no description"


def test_schema_forbids_unknown_keys_and_lists_the_header() -> None:
    schema = RuleFile.model_json_schema(by_alias=True)
    rule = schema["$defs"]["Rule"]
    assert rule["additionalProperties"] is False
    assert {"id", "title", "kind", "facts", "compare", "severity", "message"} <= set(rule["required"])
    assert "examples" in rule["properties"] and "pairing" in rule["properties"]


def test_editor_schema_enumerates_operators_and_fact_kinds() -> None:
    rule = rule_file_schema()["$defs"]["Rule"]
    assert set(rule["properties"]["compare"]["enum"]) == set(REGISTRY)
    assert "casualty" in rule["properties"]["facts"]["enum"]
    assert "examples" in rule["required"]
