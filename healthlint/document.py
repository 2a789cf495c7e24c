"""The document model every rule kind works on, whatever the input format.

A format reader (``healthlint.documents.markdown`` and friends) turns the original text
into a :class:`Parsed`: a *masked* copy of the same length in which everything that is
not published prose (code, tags, URLs, comments, front matter) is blanked with spaces
while newlines stay put. Because the masked text has the same length, a regex match
offset in it is an offset in the original file, so positions never need translating.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from healthlint.positions import LineIndex


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-level unit: the scope of "same paragraph" evidence windows.

    ``kind`` is one of ``paragraph``, ``heading``, ``list_item``, ``table_cell``,
    ``quote``, ``footnote`` (a footnote definition), ``metadata`` (a linted front-matter
    field such as ``title``). A table gives one block per cell. ``number`` is the ordinal
    of an ordered list item (its marker is masked, so it cannot be read back from the
    masked text); ``label`` is the label of the footnote definition the block is in, or
    for ``metadata`` blocks the field name (``title``, ``description``); ``level`` is a
    heading level.
    """

    start: int
    end: int
    kind: str = "paragraph"
    number: int | None = None
    label: str | None = None
    level: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink. ``start``/``end`` cover the link as written (text and destination)."""

    start: int
    end: int
    target: str


@dataclass(frozen=True, slots=True)
class Marker:
    """A citation marker that must resolve to a reference: ``[^1]``, ``<sup>2</sup>``."""

    start: int
    end: int
    label: str
    kind: str  # "footnote" or "superscript"


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment in the source (HTML/Markdown comment, or a plain-text directive line).

    ``text`` is the comment body without its delimiters; suppression directives and
    rule-test annotations are read from it.
    """

    start: int
    end: int
    text: str


@dataclass
class Parsed:
    """What a format reader produces. ``masked`` has exactly ``len(text)`` characters."""

    masked: str
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    footnote_labels: set[str] = field(default_factory=set)
    comments: list[Comment] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    block: int  # index into Document.blocks


@dataclass
class Document:
    """An article ready for linting: original text, masked prose and its structure."""

    path: str
    text: str
    format: str
    parsed: Parsed

    @property
    def masked(self) -> str:
        return self.parsed.masked

    @property
    def blocks(self) -> list[Block]:
        return self.parsed.blocks

    @property
    def metadata(self) -> dict[str, str]:
        return self.parsed.metadata

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def lowered(self) -> str:
        """The masked text lower-cased, same length, for fast case-sensitive scans."""
        from healthlint.textutil import same_length_lower

        return same_length_lower(self.masked)

    @cached_property
    def sentences(self) -> list[Sentence]:
        from healthlint.sentences import split_blocks

        return split_blocks(self.masked, self.blocks)

    @cached_property
    def citations(self):
        from healthlint.citations import find_citations

        return find_citations(self)

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end offsets of 1-based ``line``, its line break included."""
        lines = self.lines
        return lines.line_start(line), lines.starts[line] if line < lines.count else len(self.text)

    def next_prose_line(self, offset: int) -> int | None:
        """The first line after the one holding ``offset`` that has prose (comments, blank
        lines and markup-only lines are skipped), or None at the end of the document."""
        line, _ = self.lines.line_col(offset)
        while line < self.lines.count:
            line += 1
            start, end = self.line_span(line)
            if self.masked[start:end].strip():
                return line
        return None

    def in_reference_list(self, offset: int) -> bool:
        """True inside the entries of the article's reference list."""
        return any(start <= offset < end for start, end in self.citations.reference_ranges)

    def block_at(self, offset: int) -> int | None:
        """Index of the block containing ``offset`` (blocks are sorted and disjoint)."""
        from bisect import bisect_right

        starts = self._block_starts
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.blocks[i].end:
            return i
        return None

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.blocks]

    @cached_property
    def block_bounds(self) -> tuple[list[int], list[int]]:
        """Block starts and ends, each running to the end of its last line.

        Markup after the last prose character (a citation marker, a closing tag) belongs
        to the block, so a pattern may reach it.
        """
        lines = self.lines
        starts = self._block_starts
        ends = []
        for i, b in enumerate(self.blocks):
            line, _ = lines.line_col(max(b.start, b.end - 1))
            end = lines.starts[line] if line < lines.count else len(self.text)
            if i + 1 < len(starts):  # cells of one table row share a line
                end = max(b.end, min(end, starts[i + 1]))
            ends.append(end)
        return starts, ends

    def sentence_at(self, offset: int) -> Sentence | None:
        from bisect import bisect_right

        i = bisect_right(self.sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]
