"""The settings of one run: command-line options over configuration files over defaults.

A configuration file governs the files below it (see ``healthlint.config``), so one run
may hold several ``Settings``; each knows the folder its globs are relative to.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from healthlint.engine import Selection
from healthlint.finding import Finding
from healthlint.lexicons import builtin_rules_dir
from healthlint.profiles import DEFAULT_PROFILE

ANY_FOLDERS = re.compile(r"(?:^|(?<=/))\*\*/")
"""A ``**/`` that is a whole path segment: zero or more folders."""
REPEATED_ANY_FOLDERS = re.compile(r"(?:\*\*/){2,}")


@dataclass
class Settings:
    profile: str = DEFAULT_PROFILE
    profile_forced: bool = False  # --profile beats a document's own front-matter profile
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "warning"
    rule_dirs: list[Path] = field(default_factory=lambda: [builtin_rules_dir()])
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    root: Path = field(default_factory=Path.cwd)  # `exclude` and `per-file-ignores` globs start here
    source: Path | None = None  # the configuration file, named in messages

    def selection(self) -> Selection:
        select = None
        if self.select is not None:
            select = [*self.select, *self.extend_select]
        return Selection(
            profile=self.profile, select=select, ignore=list(self.ignore),
            severity=dict(self.severity), extend=list(self.extend_select),
            profile_forced=self.profile_forced,
        )

    def excludes(self, path: str | Path) -> bool:
        return any(path_matches(self._relative(path), glob) for glob in self.exclude)

    def ignores(self, finding: Finding) -> bool:
        """Whether ``per-file-ignores`` drops this finding.

        Applied after linting rather than in ``Selection`` because the engine compiles
        one rule set per profile, not per file.
        """
        rel = self._relative(finding.path)
        return any(
            path_matches(rel, glob) and _names(finding, rules)
            for glob, rules in self.per_file_ignores.items()
        )

    def rule_names(self) -> list[tuple[str, str]]:
        """(configuration key, rule) for every rule these settings name, to check them."""
        lists = {"select": self.select or [], "extend-select": self.extend_select, "ignore": self.ignore,
                 "severity": list(self.severity),
                 "per-file-ignores": [n for names in self.per_file_ignores.values() for n in names]}
        return [(key, name) for key, names in lists.items() for name in names]

    def _relative(self, path: str | Path) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")


@dataclass(frozen=True)
class Overrides:
    """The command line's rule options, which beat any configuration file.

    ``--select``, ``--profile`` and ``--fail-on`` replace the file's value (``--select``
    also drops its ``extend-select``: the user asked for exactly these rules);
    ``--ignore``, ``--extend-select`` and ``--rules`` add to it.
    """

    profile: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    rule_dirs: list[Path] = field(default_factory=list)

    def apply(self, settings: Settings) -> Settings:
        dirs: dict[str, Path] = {}
        for folder in [*settings.rule_dirs, *self.rule_dirs]:
            dirs.setdefault(os.path.realpath(folder), folder)
        return replace(
            settings,
            profile=self.profile or settings.profile,
            profile_forced=self.profile is not None,
            select=settings.select if self.select is None else list(self.select),
            extend_select=[*(settings.extend_select if self.select is None else []), *self.extend_select],
            ignore=[*settings.ignore, *self.ignore],
            fail_on=self.fail_on or settings.fail_on,
            rule_dirs=list(dirs.values()),
        )


def path_matches(rel: str, glob: str) -> bool:
    """Match a ``/``-separated relative path the way ``.gitignore`` users expect.

    A glob without ``/`` matches any file or folder name on the path (``drafts``,
    ``*.txt``); one with ``/`` matches the whole path or a folder it lies in
    (``docs/legacy``, ``docs/*.md``).
    """
    glob = glob.strip().removeprefix("./").lstrip("/").rstrip("/")
    parts = rel.split("/")
    if "/" not in glob:
        return any(fnmatch.fnmatchcase(part, glob) for part in parts)
    globs = _zero_or_more_folders(REPEATED_ANY_FOLDERS.sub("**/", glob))
    return any(fnmatch.fnmatchcase("/".join(parts[:n]), g) for n in range(1, len(parts) + 1) for g in globs)


def _zero_or_more_folders(glob: str) -> list[str]:
    """``glob`` with each ``**/`` that is a whole path segment read as one or more folders
    (fnmatch's ``*`` crosses ``/``) or as none, as in ``.gitignore``: ``**/legal/*`` also
    matches ``legal/terms.md``. Elsewhere (``a**/b``) ``**`` is just ``*``."""
    at = next((m.start() for m in ANY_FOLDERS.finditer(glob)), -1)
    if at < 0:
        return [glob]
    head, rest = glob[:at], _zero_or_more_folders(glob[at + 3 :])
    return [head + way + tail for tail in rest for way in ("*/", "")]


def _names(finding: Finding, rules: list[str]) -> bool:
    return any(r in (finding.rule, finding.name) or finding.rule.startswith(r) for r in rules if r)
