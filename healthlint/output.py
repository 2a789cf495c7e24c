"""Write reports atomically: an interrupted run never leaves a half-written file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from healthlint.errors import UsageError


def write_report(content: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    write_atomically(Path(output), content)


def write_atomically(path: Path, content: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
