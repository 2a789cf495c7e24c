"""Accept the findings a project already has, so that only new ones are reported.

A baseline records each finding by a fingerprint that survives edits elsewhere in the
file: the rule, the file and the matched text (whitespace collapsed, lower-cased), but not
the line or column. Equal fingerprints are counted; with a count of n, the first n
occurrences in file order are accepted, so pasting an accepted claim a second time is
still reported. Paths are stored relative to the baseline file, so a baseline works
whatever folder the linter is run from.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from healthlint.errors import UsageError
from healthlint.finding import Finding
from healthlint.output import write_atomically

VERSION = 1


@dataclass(frozen=True, order=True)
class Fingerprint:
    path: str
    rule: str
    matched: str


class Baseline:
    """Fingerprint counts read from a baseline file."""

    def __init__(self, path: Path, counts: Counter[Fingerprint]) -> None:
        self.path = path
        self.counts = counts
        self._folder = Path(os.path.abspath(path)).parent

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"--baseline {path}: no such file; create it with --write-baseline {path}") from None
        except OSError as exc:
            raise UsageError(f"--baseline {path}: cannot be read ({exc.strerror or exc})") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _malformed(path, f"not JSON: {exc}") from None
        return cls(path, _counts(data, path))

    def new_findings(self, findings: list[Finding], linted: list[str]) -> tuple[list[Finding], int]:
        """The findings the baseline does not accept, and how many of its entries are gone.

        ``findings`` must be in file order. Only files linted in this run count towards
        the entries that are gone: a pre-commit run sees a few files, not the project.
        """
        remaining = Counter(self.counts)
        new: list[Finding] = []
        for finding in findings:
            key = fingerprint(finding, self._folder)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                new.append(finding)
        paths = {_relative(path, self._folder) for path in linted}
        gone = sum(n for key, n in remaining.items() if key.path in paths)
        return new, gone


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Record ``findings`` in ``path`` (atomically); return the number of entries."""
    folder = Path(os.path.abspath(path)).parent
    counts = Counter(fingerprint(f, folder) for f in findings)
    entries = [
        {"path": key.path, "rule": key.rule, "matched": key.matched, "count": n}
        for key, n in sorted(counts.items())
    ]
    content = json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False)
    write_atomically(path, content + "\n")
    return len(entries)


def fingerprint(finding: Finding, folder: Path) -> Fingerprint:
    return Fingerprint(_relative(finding.path, folder), finding.rule, " ".join(finding.matched.split()).lower())


def _relative(path: str, folder: Path) -> str:
    return os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")


def _counts(data: object, path: Path) -> Counter[Fingerprint]:
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise _malformed(path, f'expected an object with "version": {VERSION} and a "findings" list')
    counts: Counter[Fingerprint] = Counter()
    for number, entry in enumerate(data["findings"], 1):
        fields = entry if isinstance(entry, dict) else {}
        file, rule, matched, count = (fields.get(k) for k in ("path", "rule", "matched", "count"))
        if not (isinstance(file, str) and isinstance(rule, str) and isinstance(matched, str)
                and type(count) is int and count >= 1):
            raise _malformed(path, f"entry {number} needs string path, rule and matched, and a count of 1 or more")
        counts[Fingerprint(file, rule, matched)] += count
    return counts


def _malformed(path: Path, reason: str) -> UsageError:
    return UsageError(f"--baseline {path}: not a healthlint baseline ({reason}); rewrite it with --write-baseline {path}")
