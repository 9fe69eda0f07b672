"""Report writers: one module per format, each ``Report -> str``."""

from consistency.report.jsonout import facts_json, report_json
from consistency.report.markdown import report_markdown
from consistency.report.text import print_facts, print_report

__all__ = ["facts_json", "print_facts", "print_report", "report_json", "report_markdown"]
