"""Output formats: one module each, all with ``render(report: Report) -> str``.

Adding a format means adding one module and one line in ``FORMATS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from healthlint.finding import Finding
from healthlint.ruleset import Rule

FORMATS = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
    "html": "html_report",
    "csv": "csv_format",
}


@dataclass
class Report:
    """Everything a reporter may show about one run."""

    findings: list[Finding]  # sorted by path, line, column, rule
    files: list[str]  # every file linted, in the order given
    rules: dict[str, Rule] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"errors": 0, "warnings": 0, "infos": 0}
        for f in self.findings:
            counts[f.severity + "s"] += 1
        return counts


def render(fmt: str, report: Report) -> str:
    module = importlib.import_module(f"healthlint.reporters.{FORMATS[fmt]}")
    return module.render(report)
