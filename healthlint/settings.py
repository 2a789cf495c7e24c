"""The settings of one run: command-line options over configuration files over defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from healthlint.engine import Selection


@dataclass
class Settings:
    profile: str = "article"
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "warning"
    rule_dirs: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)

    def selection(self) -> Selection:
        select = None
        if self.select is not None:
            select = [*self.select, *self.extend_select]
        elif self.extend_select:
            select = None  # extend-select only turns on rules the profile left off
        return Selection(
            profile=self.profile, select=select, ignore=list(self.ignore),
            severity=dict(self.severity), extend=list(self.extend_select),
        )
