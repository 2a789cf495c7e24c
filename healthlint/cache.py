"""Two caches that make repeated runs cheap: compiled rules, and results of unchanged files.

A pre-commit hook starts a fresh process on every commit; most of its start-up would be
reading the rule files and compiling their patterns, which gives the same result every
time. A compliance audit re-run over an archive mostly re-lints files nobody touched.
Both are cached on disk under a key that changes whenever anything that could change
the output changes: healthlint's modules and the regex module's files, the Python version,
every rule and lexicon file's contents, the selection, and for results the file's bytes
and name. Entries are written atomically; a corrupt or unreadable entry is ignored and
rebuilt, never trusted. ``--no-cache`` bypasses both.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from healthlint import __version__
from healthlint.digest import file_stats
from healthlint.digest import sha256 as _sha256

CACHE_DIR_NAME = ".healthlint_cache"
FORMAT = "1"


def cache_dir() -> Path:
    """``$HEALTHLINT_CACHE_DIR``, else ``.healthlint_cache`` in the current folder."""
    return Path(os.environ.get("HEALTHLINT_CACHE_DIR") or CACHE_DIR_NAME)


@cache
def engine_version() -> str:
    """healthlint's version and the size and modification time of each of its modules.

    The version number alone is not enough: a checkout being edited, or a reinstall from
    a newer commit that kept the number, would replay results the old code produced.
    Stat calls cost a fraction of a millisecond; reading the files would cost more.
    """
    return modules_digest(Path(__file__).resolve().parent)


def modules_digest(package: Path) -> str:
    """A digest of ``__version__`` and the name, size and mtime of every module in ``package``."""
    digest = _sha256(__version__.encode() + b"\0")
    for entry in file_stats(str(package), (".py",)):
        digest.update(f"{entry}\0".encode())
    return digest.hexdigest()


def _files_stat(root: Path, paths: Iterable[Path]) -> str:
    """Name (below ``root``), size and mtime of each file of ``paths``, in name order.

    Stat calls cost a fraction of a millisecond; reading the files would cost more. A
    file that vanishes meanwhile is left out.
    """
    parts = []
    for path in sorted(paths):
        try:
            info = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(root)}\0{info.st_size}\0{info.st_mtime_ns}\0")
    return "".join(parts)


@cache
def regex_identity() -> str:
    """The installed regex module, identified by the name, size and modification time of
    its files, found without importing it.

    Compiled patterns are pickled in the regex module's own format, so its version belongs
    in every key; but importing it costs a run whose results are all cached 8-10 ms, and
    finding its files costs under one.
    """
    return package_files("regex")


def package_files(name: str, search_path: list[str] | None = None) -> str:
    """Name, size and mtime of the top-level files of package ``name``, as found on
    ``search_path`` (``sys.path`` by default); its ``__version__`` when it is not a
    folder there (installed in a zip, found by an import hook)."""
    from importlib import import_module
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(name, search_path)
    if spec is None or not spec.submodule_search_locations:
        return str(getattr(import_module(name), "__version__", ""))
    folder = Path(next(iter(spec.submodule_search_locations)))
    return _files_stat(folder, (p for p in folder.iterdir() if p.suffix in (".py", ".so", ".pyd") and p.is_file()))


RACY_SECONDS = 3


def folders_key(folders: list[Path], enabled: bool = True) -> str:
    """A digest of every rule and lexicon file under ``folders``, with the tool versions.

    Reading and hashing the files costs a pre-commit run about 4 ms, their stats about
    0.4. So the digest is kept in the cache under a key made of the files' stats, and
    read back while none of them changes: an edit, a checkout or a copy changes a size,
    a time or an inode. As git does for its index, no digest is kept while a file is
    younger than a few seconds: on a file system with coarse times, a second edit within
    the same tick of the clock would leave the stats as they were. With ``enabled`` false
    (``--no-cache``) nothing is read from the cache or written to it.
    """
    from healthlint.ruleset import RULE_SUFFIXES, rule_files

    versions = (FORMAT, engine_version(), regex_identity(), sys.version)
    resolved = [folder.resolve() for folder in folders]
    stats = {str(folder): file_stats(str(folder), RULE_SUFFIXES, changes=True) for folder in resolved}
    memo = DiskCache(cache_dir(), "rule-digests", enabled and _stats_tell_edits(stats))
    memo_key = key_of(*versions, stats)
    known = memo.get(memo_key)
    if isinstance(known, str):
        return known
    digest = _sha256()
    for part in versions:
        digest.update(part.encode() + b"\0")
    for folder in resolved:
        digest.update(str(folder).encode() + b"\0")
        for path in rule_files(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    memo.put(memo_key, digest.hexdigest())
    return digest.hexdigest()


def _stats_tell_edits(stats: dict[str, list[str]]) -> bool:
    """Whether the stats of the files (``file_stats`` entries) are sure to change with an
    edit, so that a digest may be kept under them.

    Not when a file changed in the last few seconds (an edit in the same tick of a coarse
    clock, or of a file server's clock running behind ours, would leave them as they are),
    nor when a file's times are whole seconds (a file system that keeps no finer times),
    nor on Windows, where the change time is the time the file was created.
    """
    import time

    if os.name == "nt":
        return False
    times = [int(t) for entries in stats.values() for entry in entries for t in entry.split("\0")[2:4]]
    if any(t % 10**9 == 0 for t in times):
        return False
    return max(times, default=0) < time.time_ns() - RACY_SECONDS * 10**9


def key_of(*parts: object) -> str:
    digest = _sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


class DiskCache:
    """Pickled values in files named by their key, under one folder.

    In the resident server (``healthlint.server``), which sets ``remembered`` to a dict,
    a store that may ``remember`` also keeps what it reads or writes in memory, under the
    key alone: keys are digests of the content that made the value, so the same key means
    the same value in any cache folder. The server reads the compiled rules once, and each
    of its runs, a fork, finds them there instead of unpickling them again. Other processes
    keep nothing: a test run builds hundreds of rule sets.
    """

    remembered: ClassVar[dict[tuple[str, str], Any] | None] = None

    def __init__(self, root: Path, kind: str, enabled: bool = True, remember: bool = False) -> None:
        self.root = root / kind
        self.kind = kind
        self.enabled = enabled
        self.remember = remember and enabled

    def path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def has(self, key: str) -> bool:
        return self.enabled and self.path(key).is_file()

    def _remembers(self, key: str) -> bool:
        return self.remember and self.remembered is not None and (self.kind, key) in self.remembered

    def get(self, key: str) -> Any | None:
        if not self.enabled:
            return None
        if self._remembers(key):
            value = self.remembered[self.kind, key]  # type: ignore[index]
            if not self.path(key).is_file():
                self._write(key, value)  # a run without the server would have: the same files
            return value
        try:
            with open(self.path(key), "rb") as handle:
                value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None
        self._keep(key, value)
        return value

    def _keep(self, key: str, value: Any) -> None:
        if self.remember and self.remembered is not None:
            self.remembered[self.kind, key] = value

    def put(self, key: str, value: Any) -> None:
        if not self.enabled:
            return
        self._keep(key, value)
        self._write(key, value)

    def _write(self, key: str, value: Any) -> None:
        target = self.path(key)
        folder = target.parent
        # Named by process, not by ``tempfile``: importing it costs a pre-commit run on one
        # just-edited file about 3 ms. No two live processes share a pid, and a file left
        # by a dead one is overwritten.
        tmp = folder / f".tmp-{os.getpid()}-{key}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.root.parent)
            with open(tmp, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError:
            # A read-only or full disk makes the run slower, not wrong; a partly written
            # file is not left behind.
            with contextlib.suppress(OSError):
                tmp.unlink()

    def get_or_build(self, key: str, build: Callable[[], Any]) -> Any:
        value = self.get(key)
        if value is None:
            value = build()
            self.put(key, value)
        return value


def _ignore_in_git(root: Path) -> None:
    """Keep the cache out of version control, as ruff does with ``.ruff_cache``."""
    marker = root / ".gitignore"
    if not marker.exists():
        marker.write_text("# Created by healthlint; safe to delete.\n*\n", encoding="utf-8")


def cached_rules(folders: list[Path], enabled: bool = True) -> list:
    """``load_rules(folders)``, from the cache when no rule or lexicon file changed."""
    from healthlint.ruleset import load_rules

    store = DiskCache(cache_dir(), "rules", enabled, remember=True)
    return store.get_or_build(folders_key(folders) if enabled else "", lambda: load_rules(folders))


def linter_for(rules: list, selection: object, enabled: bool = True) -> CachedLinter:
    """A compiled ``Linter`` for ``rules`` and ``selection``, from the cache when possible.

    The key covers every rule's fields (their ``repr``), the built-in lexicons the patterns
    expand, and the versions (both in ``folders_key``); ``cache_key`` carries it on to the results cache.
    """
    from healthlint import lexicons

    key = key_of(repr(rules), repr(selection), folders_key([lexicons.builtin_rules_dir() / "lexicons"], enabled))
    linter = CachedLinter(key, DiskCache(cache_dir(), "linters", enabled, remember=True), lambda: _build_linter(rules, selection))
    if not linter.in_cache():
        linter.compiled()  # now, so that a rule that cannot compile stops the run before any file
    return linter


class CachedLinter:
    """The compiled ``Linter``, read from the cache when the first file has to be linted.

    A run over files whose results are all cached (an unchanged tree under ``pre-commit
    run --all-files``, a repeated audit) replays them without unpickling the compiled
    rules and importing every rule kind. A linter that is not in the cache is built at
    once instead (``linter_for``).
    """

    def __init__(self, key: str, store: DiskCache, build: Callable[[], Any]) -> None:
        self.cache_key = key
        self._store = store
        self._build = build
        self._linter: Any = None

    def in_cache(self) -> bool:
        return self._store.has(self.cache_key)

    def compiled(self) -> Any:
        if self._linter is None:
            from healthlint import lexicons

            self._linter = self._store.get_or_build(self.cache_key, self._build)
            lexicons.prime(getattr(self._linter, "lexicons", {}))
        return self._linter

    def lint(self, doc: Any) -> list:
        return self.compiled().lint(doc)


def _build_linter(rules: list, selection: object):
    """A new ``Linter``, carrying every lexicon it and the citation finder read."""
    from healthlint import lexicons
    from healthlint.citations import LEXICONS
    from healthlint.engine import Linter

    linter = Linter(rules, selection)  # type: ignore[arg-type]
    for name in LEXICONS:
        lexicons.lexicon(name)
    linter.lexicons = lexicons.loaded()
    return linter


def results_store(enabled: bool = True) -> DiskCache:
    return DiskCache(cache_dir(), "results", enabled)
