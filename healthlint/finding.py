"""A finding as every reporter sees it: the contract of design.md §1."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
JSON_FIELDS = (
    "path", "line", "column", "end_line", "end_column", "rule", "name", "category", "severity",
    "message", "suggestion",
)


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    name: str
    category: str
    severity: str
    message: str
    suggestion: str | None = None
    # Not part of the JSON contract: what reporters and the baseline need besides it.
    matched: str = ""
    source_line: str = ""

    def sort_key(self) -> tuple[str, int, int, str, int, int]:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column)

    def to_json(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in JSON_FIELDS}
