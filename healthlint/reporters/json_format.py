"""The versioned JSON document of design.md §1, read by CI checks and scripts."""

from __future__ import annotations

import json

from healthlint.reporters import Report


def render(report: Report) -> str:
    counts = report.counts()
    data = {
        "version": 1,
        "findings": [f.to_json() for f in report.findings],
        "summary": {"files": len(report.files), "findings": len(report.findings), **counts},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
