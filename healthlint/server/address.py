"""Where the resident server of this installation listens, and whether that place is safe.

The client computes this on every run, so it imports nothing heavy and reads no file:
it stats healthlint's modules and the top-level files of the libraries whose code a
server keeps loaded, about a millisecond.
"""

from __future__ import annotations

import os
import stat
import sys
from importlib.machinery import PathFinder

from healthlint import __version__
from healthlint.digest import file_stats, sha256

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES_BESIDE = os.path.join(os.path.dirname(PACKAGE), "rules")
"""The built-in rules of a checkout; installed, they are inside the package."""
LIBRARIES = ("regex", "markdown_it", "mdit_py_plugins", "mdurl", "yaml")
"""Libraries whose code the server keeps loaded: upgrading one needs a new server too."""
MAX_SOCKET_PATH = 100
"""A Unix socket's path is limited to about 104 bytes (108 on Linux, with a NUL)."""


def folder() -> str:
    """``$HEALTHLINT_SERVER_DIR``, else ``healthlint`` in ``$XDG_RUNTIME_DIR`` (a folder
    private to the user, emptied at log-out), else ``healthlint-<uid>`` in ``$TMPDIR``."""
    explicit = os.environ.get("HEALTHLINT_SERVER_DIR")
    if explicit:
        return explicit
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return os.path.join(runtime, "healthlint")
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"healthlint-{os.getuid()}")


def socket_path() -> str:
    return os.path.join(folder(), f"{installation_digest()[:20]}.sock")


def installation_digest() -> str:
    """A digest of the code a server would run: healthlint's version, modules and built-in
    rules (name, size and modification time), the interpreter (its file and environment,
    not the name it was called by: ``python`` and ``python3`` of one virtual environment
    share a server), and the libraries it keeps loaded. Rule files count because a server
    keeps what it read of them, the lexicons."""
    interpreter = f"{os.path.realpath(sys.executable)}\0{sys.prefix}\0{sys.version}"
    digest = sha256(f"{__version__}\0{interpreter}\0{PACKAGE}\0".encode())
    inside = os.path.isdir(os.path.join(PACKAGE, "rules"))
    for root in (PACKAGE,) if inside else (PACKAGE, RULES_BESIDE):
        for entry in file_stats(root, (".py", ".yaml")):
            digest.update(f"{entry}\0".encode())
    for name in LIBRARIES:
        digest.update(f"{name}\0{_library_stat(name)}\0".encode())
    return digest.hexdigest()


def _library_stat(name: str) -> str:
    """Where library ``name`` is installed and when it was, found without importing it."""
    spec = PathFinder.find_spec(name)
    if spec is None or spec.origin is None:
        return ""
    try:
        info = os.stat(spec.origin)
    except OSError:
        return spec.origin
    return f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}"


def private_folder_problem(path: str) -> str | None:
    """Why ``path`` cannot hold the socket (None when it can), making it if it is missing.

    Whoever can connect to the socket can run healthlint as the server's user, with the
    arguments they choose: the folder must belong to that user and be closed to others.
    """
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot use the folder {path}: {exc.strerror or exc}"
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return (f"the folder {path} is not private to you (it must be yours, with no permissions "
                "for others); remove it or set HEALTHLINT_SERVER_DIR to another")
    return None
