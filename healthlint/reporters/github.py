"""GitHub Actions workflow commands: one annotation per finding, then a summary.

GitHub turns ``::warning file=…,line=…::message`` lines into annotations on the pull
request but shows only the first 10 of each level per step (50 per job) and drops the
rest silently. So each message also carries ``path:line:column``, keeping every finding
locatable in the job log, and a plain summary with counts by severity and by rule ends
the output.
"""

from __future__ import annotations

from collections import Counter

from healthlint.finding import Finding
from healthlint.reporters import Report

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
ANNOTATIONS_SHOWN_PER_LEVEL = 10


def render(report: Report) -> str:
    lines = [_error_annotation(error) for error in report.errors]
    lines += [_finding_annotation(finding) for finding in report.findings]
    lines += _summary(report)
    return "".join(line + "\n" for line in lines)


def escape_data(text: str) -> str:
    """Escape a command's message as actions/toolkit's ``escapeData`` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``) as ``escapeProperty`` does: ``:``
    and ``,`` would otherwise end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, properties: dict[str, str | int], message: str) -> str:
    values = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {values}::{escape_data(message)}"


def _finding_annotation(finding: Finding) -> str:
    properties: dict[str, str | int] = {
        "file": finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"{finding.rule} {finding.name}",
    }
    message = f"{finding.path}:{finding.line}:{finding.column}: {finding.message}"
    return _command(LEVELS[finding.severity], properties, message)


def _error_annotation(error: str) -> str:
    """A file that could not be linted: its findings are missing, which must show."""
    return _command("error", {"title": "healthlint"}, error)


def _summary(report: Report) -> list[str]:
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.findings:
        return [f"healthlint: no findings in {files} {noun}."]
    counts = report.counts()
    parts = [f"{counts[key]} {key[:-1] if counts[key] == 1 else key}"
             for key in ("errors", "warnings", "infos") if counts[key]]
    total = len(report.findings)
    plural = "s" if total != 1 else ""
    lines = [f"healthlint: {total} finding{plural} ({', '.join(parts)}) in {files} {noun}."]
    by_rule = Counter((f.rule, f.name) for f in report.findings)
    lines += [f"  {rule} {name}: {count}" for (rule, name), count in sorted(by_rule.items())]
    per_level = Counter(LEVELS[f.severity] for f in report.findings)
    per_level["error"] += len(report.errors)
    if max(per_level.values()) > ANNOTATIONS_SHOWN_PER_LEVEL:
        lines.append(
            f"healthlint: GitHub shows only {ANNOTATIONS_SHOWN_PER_LEVEL} annotations of each "
            "level per step; the log above lists every finding with its location."
        )
    return lines
