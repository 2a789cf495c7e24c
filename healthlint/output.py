"""Write reports atomically: an interrupted run never leaves a half-written file."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from healthlint.errors import UsageError


def write_report(content: str, output: str | None) -> None:
    if output is None or output == "-":
        try:
            sys.stdout.write(content)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away: ``main`` ends quietly
        except OSError as exc:
            raise UsageError(stdout_failure(exc)) from None
        return
    write_atomically(Path(output), content)


def stdout_failure(exc: OSError) -> str:
    """What to say when standard output cannot take the report (a full disk behind ``>``)."""
    return f"cannot write standard output: {exc.strerror or exc}"


def write_atomically(path: Path, content: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    A device or pipe (``/dev/null``, ``/dev/stdout``) is written in place: renaming over
    it would replace the device with a regular file. A symbolic link is followed, so the
    file it points to is replaced and the link stays. The new file keeps the old one's
    permissions (or gets the umask's), not ``mkstemp``'s owner-only ones: a baseline is
    committed and read by everyone. The data is flushed to disk before the rename, so a
    crash cannot leave an empty file under the old name either.
    """
    if path.exists() and not path.is_file():
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        return
    import tempfile  # only --output to a file pays for importing it

    target = Path(os.path.realpath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):  # a full disk, a folder in the way: the old file stays
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _mode_for(target: Path) -> int:
    """Permissions for the new file: the old file's, or what ``open`` would give."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
