"""GitLab Code Quality JSON, for ``artifacts: reports: codequality:`` in a merge request.

GitLab reads a JSON array of Code Climate issues and needs at least ``description``,
``check_name``, ``fingerprint`` (unique per finding), ``severity`` and a location with
a path relative to the repository and a begin line; other fields are ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path, PurePath

from healthlint.finding import Finding
from healthlint.reporters import Report

# ruff's mapping (warning -> minor, error -> major): critical and blocker stay free for
# findings that break a build, which no content finding does.
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}

# Code Climate allows only its own category names; healthlint's category is in the
# description. Compliance problems are risks, wording problems are style or clarity.
CATEGORIES = {
    "disclaimer": "Bug Risk", "claim": "Bug Risk", "citation": "Bug Risk", "safety": "Bug Risk",
    "hype": "Style", "promotion": "Style",
    "transparency": "Clarity", "balance": "Clarity", "readability": "Clarity",
}


def render(report: Report) -> str:
    issues = [
        _issue(finding, fingerprint)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def fingerprints(findings: list[Finding]) -> list[str]:
    """A stable identity per finding, for GitLab and for SARIF's ``partialFingerprints``.

    Built from what survives unrelated edits: the rule, the file and the matched words
    (case and spacing ignored), not the line number, so a finding keeps its identity when
    text above it moves. The occurrence index tells apart the same words flagged twice in
    one file, which keeps every fingerprint unique, as GitLab requires.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        key = (finding.rule, PurePath(finding.path).as_posix(), _normalised(finding.matched or finding.message))
        text = "\0".join((*key, str(seen[key])))
        seen[key] += 1
        result.append(hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest())
    return result


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _issue(finding: Finding, fingerprint: str) -> dict[str, object]:
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": f"{finding.rule} [{finding.category}] {finding.message}",
        "categories": [CATEGORIES.get(finding.category, "Style")],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": _repository_path(finding.path),
            "lines": {"begin": finding.line, "end": finding.end_line},
        },
    }


def _repository_path(path: str) -> str:
    """GitLab matches paths relative to the repository, with no ``./``.

    CI jobs run in the repository root, so an absolute path inside the working directory
    is made relative to it; any other path is only put in POSIX form.
    """
    posix = PurePath(path)
    if posix.is_absolute():
        try:
            posix = Path(path).relative_to(Path.cwd())
        except ValueError:
            pass
    return posix.as_posix()
