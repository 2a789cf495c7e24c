"""Horizontal bar charts as inline SVG, for the self-contained HTML report.

Drawn here rather than by a charting library because the report must work offline, as an
e-mail attachment and under a Content-Security-Policy that forbids every external
resource: plain SVG needs no script, and colours come from CSS classes in the report's
one ``<style>`` element (SVG presentation via ``class`` is not an inline style, so the
policy need not allow ``unsafe-inline``). Every label is escaped: file paths come from
the user's disk and may contain markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 28
BAR_HEIGHT = 18
AXIS_HEIGHT = 24
CHAR_WIDTH = 7.2  # average width of a 13px system-font character, to fit labels


@dataclass(frozen=True, slots=True)
class Bar:
    """One row: a label and stacked segments of ``(value, css class)``."""

    label: str
    segments: tuple[tuple[int, str], ...]
    tooltip: str = ""
    href: str | None = None

    @property
    def total(self) -> int:
        return sum(value for value, _ in self.segments)


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, width: int = 560, label_width: int = 210) -> str:
    """An SVG of ``bars``, one row each, scaled to the largest total, with a value axis."""
    esc = _escape
    height = len(bars) * ROW_HEIGHT + AXIS_HEIGHT + 4
    plot_left = label_width
    plot_width = width - label_width - 40  # room for the value after the longest bar
    peak = max((bar.total for bar in bars), default=0)
    step = _tick_step(peak)
    top = step * math.ceil(peak / step) if peak else 1
    scale = plot_width / top
    parts = [
        (f'<svg class="chart" id="{esc(chart_id)}" viewBox="0 0 {width} {height}" '
         f'role="img" aria-labelledby="{esc(chart_id)}-title" xmlns="http://www.w3.org/2000/svg">'),
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
    ]
    axis_y = len(bars) * ROW_HEIGHT + 2
    for tick in range(0, top + 1, step):
        x = plot_left + tick * scale
        parts.append(f'<line class="chart-grid" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{axis_y}"/>')
        parts.append(f'<text class="chart-tick" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">{tick:,}</text>')
    max_chars = int((label_width - 12) / CHAR_WIDTH)
    for row, bar in enumerate(bars):
        y = row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        text_y = row * ROW_HEIGHT + ROW_HEIGHT / 2 + 4.5
        group = [f"<title>{esc(bar.tooltip or bar.label)}</title>"]
        group.append(
            f'<text class="chart-label" x="{plot_left - 8}" y="{text_y:.1f}" text-anchor="end">'
            f"{esc(_shorten(bar.label, max_chars))}</text>"
        )
        x = float(plot_left)
        for value, css_class in bar.segments:
            if value <= 0:
                continue
            w = value * scale
            group.append(
                f'<rect class="{esc(css_class)}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR_HEIGHT}"/>'
            )
            x += w
        group.append(f'<text class="chart-value" x="{x + 6:.1f}" y="{text_y:.1f}">{bar.total:,}</text>')
        body = "".join(group)
        if bar.href:
            parts.append(f'<a class="chart-row" href="{esc(bar.href)}">{body}</a>')
        else:
            parts.append(f'<g class="chart-row">{body}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _tick_step(peak: int) -> int:
    """A 1-2-5 step giving at most five gridlines up to ``peak``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if peak <= step * 5:
                return step
        magnitude *= 10


def _shorten(label: str, max_chars: int) -> str:
    """Keep the end of a long label: for a path, the file name is what tells files apart.

    Cut at a ``/`` when that still leaves the whole file name, so a label reads
    ``…/blog/post.md`` rather than ``…og/post.md``.
    """
    if len(label) <= max_chars:
        return label
    tail = label[-(max_chars - 1):]
    slash = tail.find("/")
    if 0 <= slash < len(tail) - 1:
        tail = tail[slash:]
    return "…" + tail


def _escape(text: str) -> str:
    return html.escape(text, quote=True)
