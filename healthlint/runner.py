"""Find the files to lint, read them safely, and lint them (in parallel when asked).

Nothing is dropped silently: a file that cannot be read, decoded or parsed yields a
message that names it, and the run goes on with the other files. Files are linted in
path order, whatever the order of the command line, so that a report depends on what was
linted and not on how it was asked for.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.cache import CachedLinter, DiskCache, key_of, linter_for, results_store
from healthlint.documents import FORMATS_BY_SUFFIX, parse_document
from healthlint.engine import FAILURE_RULE, TIMEOUT_RULE, Selection
from healthlint.finding import Finding
from healthlint.ruleset import Rule

DEFAULT_SUFFIXES = tuple(FORMATS_BY_SUFFIX)
SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
MAX_BYTES = 64 * 1024 * 1024
UNDECODABLE = re.compile("[\udc80-\udcff]")  # how Python keeps the bytes of a name that are not UTF-8


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
    """Expand folders to the files to lint; return them and error messages for bad paths.

    Both come back sorted, and a file named twice (``docs`` and ``docs/a.md``) is linted
    once, under the first of its spellings in sort order. Anything that exists and is not
    a folder is a target, even a broken symbolic link or a named pipe: ``lint_target``
    then says what is wrong with it.
    """
    shown: dict[str, str] = {}  # normalised path -> the path as reports show it
    errors: list[str] = []
    excludes = list(excludes)
    for raw in paths:
        if os.path.isdir(raw):
            files = [str(file) for file in _walk(Path(raw), excludes, errors)]
        elif os.path.lexists(raw):
            files = [raw]
        else:
            errors.append(f"{raw}: no such file or folder")
            continue
        for file in files:
            key = os.path.normpath(file)
            shown[key] = min(shown.get(key, file), file)
    targets = [Target(_printable(file), Path(file)) for file in sorted(shown.values())]
    return targets, sorted(errors)


def _printable(path: str) -> str:
    """``path`` as reports can show it: bytes of a file name that are not UTF-8 become �.

    Python keeps such bytes as lone surrogates, which no UTF-8 report or hash can encode.
    """
    if not UNDECODABLE.search(path):
        return path
    return os.fsencode(path).decode("utf-8", errors="replace")


def _walk(root: Path, excludes: list[str], errors: list[str]) -> Iterator[Path]:
    """The files to lint under ``root``; a folder that cannot be listed is an error.

    Symbolic links to folders are not followed (a link to an ancestor would loop);
    symbolic links to files are linted like the files.
    """

    def unlistable(exc: OSError) -> None:
        errors.append(f"{exc.filename}: folder cannot be read ({exc.strerror or exc}); its files were not linted")

    ignored = _git_ignored(root)
    for folder, dirs, files in os.walk(root, onerror=unlistable, followlinks=False):
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
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "-oi", "--exclude-standard", "--directory", "."],
            cwd=root, capture_output=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode != 0:
        return set()
    out: set[str] = set()
    # -z: names unquoted, with any byte, decoded as os.walk decodes the names it finds
    for line in map(os.fsdecode, filter(None, proc.stdout.split(b"\0"))):
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


def lint_target(
    linter: CachedLinter, target: Target, data: bytes | None = None, results: DiskCache | None = None
) -> FileResult:
    """Lint one file. Whatever goes wrong is recorded in the result, never raised.

    One unreadable file, or one that trips a bug in a reader or a rule, must not cost the
    report on every other file; its error names it, and the run exits 2 at the end.
    """
    result = FileResult(target.display)
    if data is None:
        assert target.source is not None
        if UNDECODABLE.search(str(target.source)):
            result.notices.append(f"{target.display}: the file name is not valid UTF-8; reports show its bad bytes as �")
        data, result.error = read_file(target.source, target.display)
        if data is None:
            return result
    key = key_of(linter.cache_key, target.display, target.fmt, data) if results and linter.cache_key else ""
    cached = results.get(key) if results and key else None
    if cached is not None:
        return cached
    result = _lint_bytes(linter, target, data, result)
    if results and key and result.error is None and not _stopped_rule(result):
        results.put(key, result)
    return result


def _stopped_rule(result: FileResult) -> bool:
    """Whether a rule was stopped on the file: that depends on the machine's load at the
    time, so the result must not be replayed from the cache."""
    return any(f.rule in (TIMEOUT_RULE[0], FAILURE_RULE[0]) for f in result.findings)


def _lint_bytes(linter: CachedLinter, target: Target, data: bytes, result: FileResult) -> FileResult:
    """Decode, parse and lint ``data``; every failure is recorded in ``result``."""
    text, notices = decode(data, target.display)
    result.notices.extend(notices)
    if text is None:
        result.skipped = True
        return result
    try:
        doc = parse_document(target.display, text, target.fmt)
        result.notices.extend(f"{target.display}: {w}" for w in doc.parsed.warnings)
        result.notices.extend(f"{target.display}: {n}" for n in linter.compiled().notices(doc))
        result.findings = linter.lint(doc)
    except Exception as exc:  # noqa: BLE001 - any bug: reported against this file, the run goes on
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = (
            f"{target.display}: not linted: internal error {type(exc).__name__} at "
            f"{Path(frame.filename).name}:{frame.lineno}: {exc}; this is a bug in healthlint, "
            "please report it with this file"
        )
    return result


def read_file(path: Path, display: str) -> tuple[bytes | None, str | None]:
    """The bytes of ``path``, or None and an error message that names it.

    Only regular files are read: a named pipe would wait forever for a writer and a
    device such as /dev/zero never ends. The file is opened without blocking and checked
    through the open descriptor, so it cannot be swapped for a pipe in between.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, f"{display}: cannot be read: {_open_error(path, exc)}"
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None, f"{display}: not linted: not a regular file ({_file_kind(info.st_mode)})"
            data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            return None, f"{display}: cannot be read: {exc.strerror or exc}"
    if len(data) > MAX_BYTES:
        return None, f"{display}: not linted: larger than the {MAX_BYTES // 2**20} MB limit"
    return data, None


def _open_error(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that loops (it points, in the end, back to itself)"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return f"a broken symbolic link (it points to {os.readlink(path)}, which does not exist)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; check its permissions"
    return exc.strerror or str(exc)


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a folder" if stat.S_ISDIR(mode) else "not a file"


# Below this much text, one process finishes first: each worker pays about 30 ms to start
# (the Markdown parser's import, the compiled rules), while linting costs about 1.5 ms per
# KB. Measured on 2 cores with 5 KB articles, just edited: 4 files took 127 ms in one
# process and 133 ms with two; 8 files 160 and 151 ms.
POOL_MIN_BYTES = 32 * 1024


def _worth_a_pool(files: list[Target]) -> bool:
    """Whether the files are text enough to repay starting worker processes, as a
    pre-commit run on the two or three files of a commit is not."""
    total = 0
    for target in files:
        try:
            total += os.stat(target.source).st_size  # type: ignore[arg-type]
        except OSError:
            continue  # lint_target reports it
        if total >= POOL_MIN_BYTES:
            return True
    return False


def lint_all(
    rules: list[Rule], selection: Selection, targets: list[Target], jobs: int = 1,
    stdin_data: bytes | None = None, progress: Callable[[], None] | None = None, use_cache: bool = True,
) -> list[FileResult]:
    """Lint every target; results come back in the order of ``targets``."""
    results: list[FileResult] = []
    files = [t for t in targets if t.source is not None]
    if jobs > 1 and len(files) > 1 and _worth_a_pool(files):
        # Imported here: a pre-commit run on one file pays nothing for the process pool.
        from healthlint.workers import lint_in_workers

        results += lint_in_workers(rules, selection, files, jobs, progress, use_cache)
    else:
        linter = linter_for(rules, selection, use_cache)
        store = results_store(use_cache)
        for target in files:
            results.append(lint_target(linter, target, results=store))
            if progress:
                progress()
    for target in targets:
        if target.source is None:
            results.append(lint_target(linter_for(rules, selection, use_cache), target, stdin_data or b""))
    return results
