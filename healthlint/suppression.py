"""Inline suppression comments, and which of them suppressed nothing.

Markdown and HTML use ``<!-- healthlint-disable HL101 -->`` … ``<!-- healthlint-enable -->``,
``<!-- healthlint-disable-next-line HL101 -->`` and ``<!-- healthlint-disable-line HL101 -->``;
plain text uses the same words on a line of their own starting with ``#``. Rules are
named by id or name; no rule at all means every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from healthlint.document import Document

DIRECTIVE_PREFIX = "healthlint-"
DIRECTIVE = r"healthlint-(disable-next-line|disable-line|disable|enable)\b[ \t]*:?[ \t]*([\w, \t-]*)"


@cache
def _directive() -> re.Pattern[str]:
    """Compiled on the first comment that may hold a directive: most articles have none,
    and compiling costs a one-file run a millisecond or two."""
    return re.compile(DIRECTIVE)


@dataclass
class Suppression:
    kind: str
    rules: frozenset[str]  # empty: every rule
    start: int  # first suppressed offset
    end: int  # end of the suppressed range (exclusive)
    comment_start: int
    comment_end: int
    used: bool = field(default=False)

    def covers(self, rule_id: str, rule_name: str, offset: int) -> bool:
        if not (self.start <= offset < self.end):
            return False
        return not self.rules or rule_id in self.rules or rule_name in self.rules


def parse_suppressions(doc: Document) -> list[Suppression]:
    out: list[Suppression] = []
    open_regions: list[Suppression] = []
    for comment in doc.parsed.comments:
        m = _directive().search(comment.text) if DIRECTIVE_PREFIX in comment.text else None
        if not m:
            continue
        kind = m.group(1)
        rules = frozenset(r for r in re.split(r"[\s,]+", m.group(2)) if r)
        if kind == "disable-line":
            start, end = _line_bounds(doc, comment.start)
        elif kind == "disable-next-line":
            start, end = _next_content_line(doc, comment.end)
        elif kind == "disable":
            region = Suppression(kind, rules, comment.end, len(doc.text), comment.start, comment.end)
            open_regions.append(region)
            out.append(region)
            continue
        else:
            for region in open_regions:
                if region.end == len(doc.text) and (not rules or not region.rules or rules & region.rules):
                    region.end = comment.start
            continue
        out.append(Suppression(kind, rules, start, end, comment.start, comment.end))
    return out


def _line_bounds(doc: Document, offset: int) -> tuple[int, int]:
    line, _ = doc.lines.line_col(offset)
    return doc.line_span(line)


def _next_content_line(doc: Document, offset: int) -> tuple[int, int]:
    """The next line after ``offset`` that has prose in it (comments and blanks skipped)."""
    line = doc.next_prose_line(offset)
    return doc.line_span(line) if line is not None else (len(doc.text), len(doc.text))
