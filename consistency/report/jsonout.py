"""The JSON contract (see README): stable field names, fields only ever added."""

from __future__ import annotations

from consistency.models import FactsReport, Report


def report_json(report: Report) -> str:
    return report.model_dump_json(indent=2, exclude_none=False)


def facts_json(facts: FactsReport) -> str:
    return facts.model_dump_json(indent=2, exclude_none=True)
