"""Find the files to lint, read them safely, and lint them (in parallel when asked).

Nothing is dropped silently: a file that cannot be read or decoded yields a message that
names it, and the run goes on with the other files.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.documents import FORMATS_BY_SUFFIX, parse_document
from healthlint.engine import Linter, Selection
from healthlint.finding import Finding
from healthlint.ruleset import Rule

DEFAULT_SUFFIXES = tuple(FORMATS_BY_SUFFIX)
SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # warnings: the file was still linted
    error: str | None = None  # the file could not be linted at all
    skipped: bool = False  # deliberately not linted (binary), with a notice


@dataclass
class Target:
    """A file to lint: its path as the user will see it, and where to read it from."""

    display: str
    source: Path | None  # None: standard input
    fmt: str | None = None


def discover(paths: list[str], excludes: Iterable[str] = ()) -> tuple[list[Target], list[str]]:
    """Expand folders to the files to lint; return them and error messages for bad paths."""
    targets: list[Target] = []
    errors: list[str] = []
    seen: set[str] = set()
    excludes = list(excludes)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path, excludes):
                key = os.path.normpath(str(file))
                if key not in seen:
                    seen.add(key)
                    targets.append(Target(str(file), file))
        elif path.is_file() or path.is_symlink():
            key = os.path.normpath(raw)
            if key not in seen:
                seen.add(key)
                targets.append(Target(raw, path))
        else:
            errors.append(f"{raw}: no such file or folder")
    return targets, errors


def _walk(root: Path, excludes: list[str]) -> Iterator[Path]:
    ignored = _git_ignored(root)
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            file = Path(folder) / name
            if not name.lower().endswith(DEFAULT_SUFFIXES):
                continue
            rel = os.path.relpath(file, root)
            if _excluded(rel, excludes) or os.path.normpath(str(file)) in ignored:
                continue
            yield file


def _excluded(rel: str, excludes: list[str]) -> bool:
    rel = rel.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*")
        or any(fnmatch.fnmatch(part, pattern) for part in rel.split("/"))
        for pattern in excludes
    )


def _git_ignored(root: Path) -> set[str]:
    """Files under ``root`` that git ignores (empty outside a work tree or without git)."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-oi", "--exclude-standard", "--directory", "."],
            cwd=root, capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode != 0:
        return set()
    out: set[str] = set()
    for line in proc.stdout.splitlines():
        entry = root / line
        if line.endswith("/"):
            out.update(os.path.normpath(str(p)) for p in entry.rglob("*"))
        else:
            out.add(os.path.normpath(str(entry)))
    return out


def decode(data: bytes, display: str) -> tuple[str | None, list[str]]:
    """Text of a file, or None for a binary file; notices say what was done to it."""
    from healthlint.encoding import decode_bytes

    return decode_bytes(data, display)


def lint_target(linter: Linter, target: Target, data: bytes | None = None) -> FileResult:
    result = FileResult(target.display)
    try:
        if data is None:
            assert target.source is not None
            if target.source.stat().st_size > MAX_BYTES:
                result.error = f"{target.display}: larger than {MAX_BYTES // 2**20} MB; not linted"
                return result
            data = target.source.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        result.error = f"{target.display}: cannot be read ({reason}); check the path and its permissions"
        return result
    text, notices = decode(data, target.display)
    result.notices.extend(notices)
    if text is None:
        result.skipped = True
        return result
    doc = parse_document(target.display, text, target.fmt)
    result.notices.extend(f"{target.display}: {w}" for w in doc.parsed.warnings)
    result.findings = linter.lint(doc)
    return result


_worker_linter: Linter | None = None


def _init_worker(rules: list[Rule], selection: Selection) -> None:
    global _worker_linter
    _worker_linter = Linter(rules, selection)


def _lint_in_worker(target: Target) -> FileResult:
    assert _worker_linter is not None
    return lint_target(_worker_linter, target)


def lint_all(
    rules: list[Rule], selection: Selection, targets: list[Target], jobs: int = 1,
    stdin_data: bytes | None = None, progress=None,
) -> list[FileResult]:
    """Lint every target; results come back in the order of ``targets``."""
    results: list[FileResult] = []
    files = [t for t in targets if t.source is not None]
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(rules, selection)) as pool:
            chunk = max(1, min(32, len(files) // (jobs * 8) or 1))
            for result in pool.map(_lint_in_worker, files, chunksize=chunk):
                results.append(result)
                if progress:
                    progress()
    else:
        linter = Linter(rules, selection)
        for target in files:
            results.append(lint_target(linter, target))
            if progress:
                progress()
    for target in targets:
        if target.source is None:
            results.append(lint_target(Linter(rules, selection), target, stdin_data or b""))
    return results
