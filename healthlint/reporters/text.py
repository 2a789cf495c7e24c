"""``path:line:column: RULE [category] message``, one finding a line (design.md §1)."""

from __future__ import annotations

from healthlint.reporters import Report


def render(report: Report) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.category}] {f.message}"
        for f in report.findings
    ]
    return "".join(line + "\n" for line in lines)
