"""A progress bar on standard error, for long audits run by a person at a terminal.

It is drawn only where someone watches it: standard error must be a terminal, ``TERM``
must not be ``dumb`` and ``CI`` must not be set (CI systems often fake a terminal, and a
bar redrawn with carriage returns turns their logs into noise). It appears only when the
run is long enough to need one — more than ``min_files`` files, or slower than ``delay``
seconds — so that linting a handful of files never flickers. Redraws are throttled, and
the line is erased at the end (also on Ctrl-C), so the report and the summary line that
follow start on a clean line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Self, TextIO

ERASE_LINE = "\r\x1b[2K"
ETA_AFTER = 3.0  # seconds; earlier, start-up (worker processes, first chunk) skews the estimate


def wants_progress(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Whether a person is likely watching ``stream`` (see the module docstring)."""
    if env.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class ProgressBar:
    """Call once per linted file; use as a context manager so the bar is always erased."""

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        *,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        min_files: int = 50,
        delay: float = 1.0,
        interval: float = 0.1,
    ) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total > 0 and wants_progress(self.stream, os.environ if env is None else env)
        self.done = 0
        self._clock = clock
        self._min_files = min_files
        self._delay = delay
        self._interval = interval
        self._start = clock()
        self._last_draw: float | None = None
        self._bar_char = "█" if (getattr(self.stream, "encoding", "") or "").lower().replace("-", "") == "utf8" else "#"

    def __call__(self) -> None:
        """One more file is done."""
        self.done += 1
        if not self.enabled:
            return
        now = self._clock()
        elapsed = now - self._start
        if self.total <= self._min_files and elapsed < self._delay:
            return
        if self._last_draw is not None and now - self._last_draw < self._interval and self.done < self.total:
            return
        self._last_draw = now
        self.stream.write(ERASE_LINE + self.line(elapsed, self._width()))
        self.stream.flush()

    def line(self, elapsed: float, width: int) -> str:
        """The bar as drawn after ``elapsed`` seconds in a terminal ``width`` columns wide."""
        fraction = min(1.0, self.done / self.total)
        text = f" {self.done}/{self.total} files {fraction:4.0%}"
        if self.done < self.total and elapsed >= ETA_AFTER:
            remaining = elapsed / self.done * (self.total - self.done)
            text += f"  {int(remaining) // 60}:{int(remaining) % 60:02d} left"
        prefix = "healthlint "
        bar_width = max(0, min(40, width - 1 - len(prefix) - len(text) - 2))
        if bar_width < 10:
            return (prefix + text.strip())[: max(0, width - 1)]
        filled = round(bar_width * fraction)
        return f"{prefix}[{self._bar_char * filled}{' ' * (bar_width - filled)}]{text}"

    def close(self) -> None:
        """Erase the bar, if one was drawn."""
        if self._last_draw is not None:
            self.stream.write(ERASE_LINE)
            self.stream.flush()
            self._last_draw = None

    def _width(self) -> int:
        """The terminal's width; 80 when it cannot tell (a new pseudo-terminal says 0)."""
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (AttributeError, OSError, ValueError):
            return 80

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        self.close()
