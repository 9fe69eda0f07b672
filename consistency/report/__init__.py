"""Report writers: one module per format, each ``Report -> str``; ``folder`` writes the report
folder of ``consistency report`` story by story (HTML, Markdown and JSON writers that stream)."""

from consistency.report.html import report_html
from consistency.report.jsonout import facts_json, report_json
from consistency.report.junit import report_junit
from consistency.report.markdown import report_markdown
from consistency.report.sarif import report_sarif
from consistency.report.text import print_facts, print_report

__all__ = [
    "facts_json",
    "print_facts",
    "print_report",
    "report_html",
    "report_json",
    "report_junit",
    "report_markdown",
    "report_sarif",
]
