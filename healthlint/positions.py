"""Offsets to the line and column numbers users see.

design.md fixes the convention: 1-based lines, 1-based columns counted in Unicode code
points (a tab, an ``é`` or an emoji is one column), exclusive end column, and only
``\\r\\n``, ``\\r`` and ``\\n`` end a line. ``str.splitlines`` also breaks on form feeds and
Unicode separators, so it must never be used here.
"""

from __future__ import annotations

import re
from bisect import bisect_right

LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps string offsets to (line, column) by bisecting over line starts."""

    __slots__ = ("_length", "starts")

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in LINE_BREAK.finditer(text))
        self._length = len(text)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based code-point column of ``offset``."""
        offset = max(0, min(offset, self._length))
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self.starts[line - 1]

    @property
    def count(self) -> int:
        return len(self.starts)
