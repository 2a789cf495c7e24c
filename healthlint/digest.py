"""SHA-256 without ``hashlib``, and the stats of a folder's files, for the keys of the
cache and the resident server's address.

``import hashlib`` loads OpenSSL first, a few milliseconds of every pre-commit run; the
built-in module (``_sha256`` up to Python 3.11, ``_sha2`` after) gives the same digests.
hashlib stays the fallback for other Pythons. Nothing else is imported (not even
``pathlib``): the client of the resident server uses this on every run.
"""

from __future__ import annotations

import os

_hasher = None


def sha256(data: bytes = b""):
    """A SHA-256 hasher (``hashlib.sha256``'s digests)."""
    global _hasher
    if _hasher is None:
        try:
            from _sha2 import sha256 as found  # type: ignore[import-not-found]
        except ImportError:
            try:
                from _sha256 import sha256 as found  # type: ignore[import-not-found,no-redef]
            except ImportError:
                from hashlib import sha256 as found
        _hasher = found
    return _hasher(data)


def file_stats(root: str, suffixes: tuple[str, ...], changes: bool = False) -> list[str]:
    """Path below ``root``, size and modification time of each file under it whose name
    ends with one of ``suffixes``, in path order; ``__pycache__`` folders are skipped, and a
    file that vanishes meanwhile is left out. With ``changes``, also the inode and the
    status-change time, which no tool can set back: a copy that keeps the modification
    time (``cp -p``, ``tar``, ``rsync -t``) still shows.

    Stat calls cost a fraction of a millisecond; reading the files would cost more. Sizes
    and times tell an edited checkout or a reinstall from a newer commit that kept the
    version number.
    """
    found: list[str] = []
    folders = [root] if os.path.isdir(root) else []
    below = len(os.path.join(root, ""))  # entry paths are the root's, joined: cut, not ``relpath``
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                elif entry.name.endswith(suffixes):
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    entry_stats = f"{entry.path[below:]}\0{info.st_size}\0{info.st_mtime_ns}"
                    if changes:
                        entry_stats += f"\0{info.st_ctime_ns}\0{info.st_ino}"
                    found.append(entry_stats)
    return sorted(found)
