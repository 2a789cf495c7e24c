"""Counts of findings per rule: ``healthlint check --statistics``.

Mirrors ``ruff check --statistics``: one row per rule that fired — count, rule id, name,
category — most frequent first, ties by rule id, tab-separated with padded columns so it
reads as a table in a terminal and still splits with ``cut -f``. Like ruff, the text form
prints nothing when there is nothing to count (the stderr summary says so), the JSON form
is an array of objects, and other formats are refused: a table of counts has no SARIF or
JUnit shape. Unlike ruff, an empty JSON result is ``[]`` rather than nothing, so scripts
always get valid JSON.

The HTML report's "findings by rule" table uses the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from healthlint.finding import Finding

STATISTICS_FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class RuleCount:
    """How often one rule fired in a run."""

    count: int
    rule: str
    name: str
    category: str


def rule_counts(findings: Iterable[Finding]) -> list[RuleCount]:
    """One entry per rule that fired, sorted by count (descending), then rule id."""
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for finding in findings:
        counts[finding.rule] += 1
        first.setdefault(finding.rule, finding)
    rows = [RuleCount(n, rule, first[rule].name, first[rule].category) for rule, n in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, row.rule))


def render(counts: list[RuleCount], fmt: str) -> str:
    """The statistics in ``fmt`` (one of ``STATISTICS_FORMATS``)."""
    if fmt == "json":
        import json

        return json.dumps([asdict(row) for row in counts], indent=2, ensure_ascii=False) + "\n"
    if not counts:
        return ""
    count_width = max(len(str(row.count)) for row in counts)
    rule_width = max(len(row.rule) for row in counts)
    name_width = max(len(row.name) for row in counts)
    return "".join(
        f"{row.count:>{count_width}}\t{row.rule:<{rule_width}}\t{row.name:<{name_width}}\t{row.category}\n"
        for row in counts
    )
