"""SHA-256 without ``hashlib``, for the keys of the cache and the resident server's address.

``import hashlib`` loads OpenSSL first, a few milliseconds of every pre-commit run; the
built-in module (``_sha256`` up to Python 3.11, ``_sha2`` after) gives the same digests.
hashlib stays the fallback for other Pythons. Nothing else is imported: the client of the
resident server uses this on every run.
"""

from __future__ import annotations

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
