"""Markdown articles: markdown-it-py decides what is prose, we keep every offset.

markdown-it-py gives block tokens line ranges (``Token.map``) but inline tokens no
positions at all, and rules need exact offsets. So the masked copy starts fully blank;
the text of every ``inline`` token (paragraphs, headings, table cells, footnote
definitions) is found on its source lines and un-blanked, then the inline constructs in
it (code spans, links, raw HTML, entities, emphasis delimiters, footnote references) are
blanked again at positions recorded *while markdown-it parses them*: the inline rules are
wrapped (``md.inline.ruler.at``) to note ``state.pos`` before and after each successful
match. Anything the parser does not explain as prose stays blank, so an unexpected
construct can hide text from the linter but never shift an offset. Raw HTML blocks
(``<div>…</div>``) are published as written, so the HTML reader reads them: their text is
prose, with its blocks, links and markers, and their tags are not.

Blocks: one per paragraph (``quote`` inside a block quote, ``footnote`` inside a footnote
definition), heading, list item (its first paragraph) and front-matter ``title`` or
``description`` (``metadata``, with the field name in ``label``). A table gets one
``table_cell`` block per cell with prose, because a cell is what a table presents as one
unit; a rule that wants the whole row can group the cells of a line. Every block inside a
footnote definition carries the footnote's label. A unit with no visible prose (only an
image, only code) gets no block.

Footnote definitions that nothing references are dropped by markdown-it (they are never
rendered), so their text is not linted; their labels are still in ``footnote_labels``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from healthlint.document import Block, Comment, Link, Marker, Parsed
from healthlint.documents.frontmatter import Field, simple_fields
from healthlint.positions import LINE_BREAK
from healthlint.textutil import blank_span

if TYPE_CHECKING:
    import yaml

PUBLISHED_FIELDS = ("title", "description")
"""Front-matter fields that readers see (page title, meta description), so they are linted."""

BARE_URL = re.compile(r"(?<![\w/.@-])(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)
"""A URL written as plain text. markdown-it's linkify is off because it is slow."""

URL_MARKERS = ("://", "ww.", "wW.", "Ww.", "WW.")
URL_TRAILER = ".,:;!?'\"*_~"
INLINE_MARKUP = re.compile(r"[`<\[&*_~]")
"""Characters that open the inline constructs the reader records: code spans, raw HTML
and autolinks, links, images and footnotes, entities, emphasis and strikethrough."""
PROSE_OR_ENTITY = re.compile(rb"\x01+|\x02")
HTML_PROSE = re.compile(r"[^ \r\n]+")
"""Characters the HTML reader left in its masked copy of a raw HTML block."""
TAG_START = re.compile(r"[A-Za-z/!?]")
"""What follows ``<`` when it opens a tag, a comment or a declaration, in HTML."""
NESTING_LIMIT = 20
"""markdown-it's ``maxNesting``: deeper containers are skipped, which bounds recursion."""
CONTAINER_OPENERS = frozenset({"blockquote_open", "list_item_open", "footnote_reference_open"})
YAML_NULL = "tag:yaml.org,2002:null"
_KEY = "healthlint"


def parse(text: str) -> Parsed:
    """Mask ``text`` down to its published prose and describe its structure."""
    source = _Source(text)
    parsed = Parsed(masked="")
    recorder = _Recorder()
    env: dict[str, Any] = {_KEY: recorder}
    tokens = _parser().parse(text, env)
    if recorder.cut_at_line is not None:
        parsed.warnings.append(
            f"line {recorder.cut_at_line + 1}: blocks nested too deeply for the Markdown parser"
            f" (the parser reads at most {NESTING_LIMIT} levels; a quote counts as one, a list as two); the text inside was not linted"
        )
    if recorder.list_cut_at_line is not None:
        parsed.warnings.append(
            f"line {recorder.list_cut_at_line + 1}: lists nested too deeply for the Markdown parser"
            f" (the parser reads at most {NESTING_LIMIT} levels; a list counts as two); the deeper list markers were read as text"
        )
    _Walker(source, parsed).walk(tokens)
    parsed.footnote_labels = {key[1:] for key in env.get("footnotes", {}).get("refs", {})}
    parsed.masked = source.masked()
    _mask_bare_urls(text, parsed)
    parsed.blocks.sort(key=lambda b: b.start)
    parsed.links.sort(key=lambda link: link.start)
    parsed.markers.sort(key=lambda m: m.start)
    parsed.comments.sort(key=lambda c: c.start)
    return parsed


# --------------------------------------------------------------------------------------
# The parser, with inline rules wrapped to record where each construct starts and ends.


@dataclass(slots=True)
class _InlineEvents:
    """Inline constructs of one ``inline`` token, in offsets of its ``content``."""

    blanks: list[tuple[int, int]] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)
    markers: list[tuple[int, int, str]] = field(default_factory=list)
    comments: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Recorder:
    """Per-document parse state, carried in markdown-it's ``env`` (the parser is shared).

    ``bases`` is a stack: where the string being parsed starts in the inline token's
    content. Inline footnotes (``^[...]``) and image alt text are parsed as separate
    strings; a footnote's text is prose at a known offset, alt text is ignored (``None``).
    ``delimiters`` holds emphasis delimiter tokens per ``StateInline`` (by ``id``) until
    that state's post-processing has decided which of them became markup.
    """

    events: _InlineEvents = field(default_factory=_InlineEvents)
    bases: list[int | None] = field(default_factory=list)
    delimiters: dict[int, list[tuple[Token, int, int]]] = field(default_factory=dict)
    cut_at_line: int | None = None
    list_cut_at_line: int | None = None

    def begin(self, token: Token) -> None:
        self.events = token.meta[_KEY] = _InlineEvents()
        self.bases = [0]


_InlineRule = Callable[[StateInline, bool], bool]
_BlockRule = Callable[[StateBlock, int, int, bool], bool]
_Handler = Callable[[StateInline, int, int, _InlineEvents, int], None]
"""Told about one match: the state, where the match started, the index of its first
token, the events of the inline token being parsed, and the offset of ``state.src`` in
that token's content."""


@cache
def _parser() -> MarkdownIt:
    """One configured parser per process: building it costs more than parsing a page."""
    md = MarkdownIt("commonmark", {"inline_definitions": True, "maxNesting": NESTING_LIMIT})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin)
    md.core.ruler.at("inline", _parse_inlines)
    md.core.ruler.after("block", "healthlint_depth", _note_nesting_cut)
    lists = next(rule for rule in md.block.ruler.__rules__ if rule.name == "list")
    md.block.ruler.at("list", _shallow_list(lists.fn), {"alt": lists.alt})
    md.core.ruler.disable("text_join")  # only joins tokens for renderers
    handlers: dict[str, _Handler] = {
        "backticks": _on_code_span,
        "html_inline": _on_html,
        "autolink": _on_autolink,
        "link": _on_link,
        "image": _on_image,
        "entity": _on_entity,
        "footnote_ref": _on_footnote_ref,
        "footnote_inline": _on_inline_footnote,
        "emphasis": _on_delimiters,
        "strikethrough": _on_delimiters,
    }
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    for name, handler in handlers.items():
        rule = rules[name]
        if name == "image":
            rule = _nested(rule, keeps_text=False)
        elif name == "footnote_inline":
            rule = _nested(rule, keeps_text=True)
        md.inline.ruler.at(name, _recording(rule, handler))
    md.inline.ruler2.before("fragments_join", "healthlint_delimiters", _blank_spent_delimiters)
    return md


def _parse_inlines(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, telling the recorder which token is parsed.

    Content with no character that can open a recorded construct is all prose: parsing
    it would only find text and line breaks, so it is not parsed (three in four inline
    tokens of the benchmark corpus, the inline parser being half of markdown-it's time).
    """
    recorder = _recorder_of(state)
    for token in state.tokens:
        if token.type == "inline":
            recorder.begin(token)
            token.children = token.children or []
            if not INLINE_MARKUP.search(token.content):
                continue
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _note_nesting_cut(state: StateCore) -> None:
    """Find the first container whose content markdown-it skipped for being too deep.

    Runs before ``footnote_tail``, which may drop the evidence along with the footnote.
    """
    for token in state.tokens:
        if token.type in CONTAINER_OPENERS and token.level >= NESTING_LIMIT - 1 and token.map:
            _recorder_of(state).cut_at_line = token.map[0]
            return


def _shallow_list(rule: _BlockRule) -> _BlockRule:
    """Do not open a list whose items would reach markdown-it's nesting limit.

    Past the limit markdown-it skips to the end of the enclosing block, and for a list
    item, whose end is not known until its content is parsed, that is the end of the
    document: every paragraph after a too-deep list would go unlinted. Declined, the
    list marker is read as the text of the paragraph it starts; the text stays linted.
    """

    def wrapped(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.level + 2 >= NESTING_LIMIT:
            recorder = state.env[_KEY]
            if not silent and recorder.list_cut_at_line is None:
                recorder.list_cut_at_line = start
            return False
        return rule(state, start, end, silent)

    return wrapped


def _recording(rule: _InlineRule, handler: _Handler) -> _InlineRule:
    """Wrap an inline rule so that each real (non-silent) match is reported to ``handler``."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        start, first_token = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        recorder = _recorder_of(state)
        base = recorder.bases[-1]
        if base is not None:
            handler(state, start, first_token, recorder.events, base)
        return True

    return wrapped


def _nested(rule: _InlineRule, keeps_text: bool) -> _InlineRule:
    """Wrap a rule that parses its label as a separate string (image alt, ``^[...]``)."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        recorder = _recorder_of(state)
        base = recorder.bases[-1]
        recorder.bases.append(base + state.pos + 2 if keeps_text and base is not None else None)
        try:
            return rule(state, silent)
        finally:
            recorder.bases.pop()

    return wrapped


def _first(state: StateInline, first_token: int, kind: str) -> Token:
    return next(t for t in state.tokens[first_token:] if t.type == kind)


def _on_code_span(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    # An unmatched backtick run also "succeeds", as literal text: leave that visible.
    if any(t.type == "code_inline" for t in state.tokens[first_token:]):
        ev.blanks.append((base + start, base + state.pos))


def _on_html(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    ev.blanks.append((base + start, base + state.pos))
    raw = state.src[start : state.pos]
    if raw.startswith("<!--"):
        ev.comments.append((base + start, base + state.pos, _comment_body(raw)))


def _on_autolink(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    ev.blanks.append((base + start, base + state.pos))
    href = _first(state, first_token, "link_open").attrs["href"]
    ev.links.append((base + start, base + state.pos, str(href)))


def _on_link(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    """Keep the link text; blank ``[`` and everything from ``]`` on (destination or label)."""
    label_end = parseLinkLabel(state, start, True)
    ev.blanks.append((base + start, base + start + 1))
    ev.blanks.append((base + label_end, base + state.pos))
    href = _first(state, first_token, "link_open").attrs["href"]
    ev.links.append((base + start, base + state.pos, str(href)))


def _on_image(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    ev.blanks.append((base + start, base + state.pos))


def _on_entity(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    """One decoded character replaces the entity; longer decodes stay as written."""
    decoded = state.tokens[-1].content
    if len(decoded) == 1:
        ev.entities.append((base + start, base + state.pos, decoded))


def _on_footnote_ref(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    ev.blanks.append((base + start, base + state.pos))
    ev.markers.append((base + start, base + state.pos, state.tokens[-1].meta["label"]))


def _on_inline_footnote(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    ev.blanks.append((base + start, base + start + 2))
    ev.blanks.append((base + state.pos - 1, base + state.pos))


def _on_delimiters(
    state: StateInline, start: int, first_token: int, ev: _InlineEvents, base: int
) -> None:
    """Remember the delimiter tokens; only post-processing tells which became markup.

    The rule pushes one text token per delimiter run piece, after any pending text, so
    the pieces are the last tokens and their lengths add up to the consumed run.
    """
    found = _recorder_of(state).delimiters.setdefault(id(state), [])
    pos = state.pos
    for token in reversed(state.tokens[first_token:]):
        if pos <= start:
            break
        pos -= len(token.content)
        found.append((token, base + pos, len(token.content)))


def _blank_spent_delimiters(state: StateInline) -> None:
    """Blank delimiters that became ``em``/``strong``/``s`` markup or were emptied.

    Runs before ``fragments_join``, which merges the unused ones back into text.
    """
    recorder = _recorder_of(state)
    for token, start, length in recorder.delimiters.pop(id(state), ()):
        if token.type != "text" or not token.content:
            recorder.events.blanks.append((start, start + length))


def _recorder_of(state: StateInline | StateCore) -> _Recorder:
    return state.env[_KEY]


def _comment_spans(html: str) -> Iterator[tuple[int, int]]:
    """HTML comments in a raw HTML block, found in linear time (a lazy regex is
    quadratic when a ``<!--`` is never closed)."""
    pos = 0
    while (start := html.find("<!--", pos)) >= 0:
        if html.startswith(("<!-->", "<!--->"), start):
            end = html.index(">", start) + 1
        else:
            close = html.find("-->", start + 4)
            if close < 0:
                return
            end = close + 3
        yield start, end
        pos = end


def _text_outside_tags(html: str) -> bool:
    """Whether anything but whitespace stands outside the tags and comments of ``html``;
    found in linear time (most raw HTML blocks of articles are comments alone)."""
    pos = 0
    while pos < len(html):
        opening = html.find("<", pos)
        if html[pos : opening if opening >= 0 else len(html)].strip():
            return True
        if opening < 0:
            return False
        if not TAG_START.match(html, opening + 1):  # "<5 days" is text, as browsers show it
            return True
        comment = html.startswith("<!--", opening)
        close = html.find("-->" if comment else ">", opening + (4 if comment else 1))
        if close < 0:
            return False
        pos = close + (3 if comment else 1)
    return False


def _comment_body(raw: str) -> str:
    return "" if raw in ("<!-->", "<!--->") else raw[4:-3].strip()


# --------------------------------------------------------------------------------------
# Source positions and the masked copy.


class _Source:
    """The original text, its lines, and which characters are prose so far."""

    def __init__(self, text: str) -> None:
        self.text = text
        # markdown-it turns NUL into U+FFFD; search a copy that did the same.
        self.searchable = text.replace("\0", "\ufffd")
        self.starts = [0]
        self.ends: list[int] = []
        for m in LINE_BREAK.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))
        self.prose = bytearray(len(text))  # 1 = prose, 2 = decoded entity character
        self.entities: dict[int, str] = {}

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def show(self, start: int, end: int) -> None:
        self.prose[start:end] = b"\x01" * (end - start)

    def hide(self, start: int, end: int) -> None:
        self.prose[start:end] = bytes(end - start)

    def has_prose(self, start: int, end: int) -> bool:
        return self.prose.count(0, start, end) < end - start

    def show_entity(self, start: int, end: int, decoded: str) -> None:
        self.hide(start, end)
        self.prose[start] = 2
        self.entities[start] = decoded

    def show_lines(self, start: int, end: int) -> tuple[int, int] | None:
        """Show the non-blank part of each line in ``[start, end)``; return the extent."""
        shown: list[int] = []
        for line in range(self.line_of(start), self.line_of(end) + 1):
            lo = max(start, self.starts[line])
            hi = min(end, self.ends[line])
            segment = self.text[lo:hi]
            stripped = segment.strip()
            if stripped:
                lo += len(segment) - len(segment.lstrip())
                self.show(lo, lo + len(stripped))
                shown += (lo, lo + len(stripped))
        return (shown[0], shown[-1]) if shown else None

    def masked(self) -> str:
        """The text with everything but prose blanked (line breaks kept) and each decoded
        entity in its entity's first place. Hidden runs are cut from one blanked copy of
        the whole text, which is cheaper than blanking each run on its own."""
        text = self.text
        blank = blank_span(text)
        pieces: list[str] = []
        pos = 0
        for m in PROSE_OR_ENTITY.finditer(self.prose):
            start, end = m.span()
            pieces.append(blank[pos:start])
            pieces.append(self.entities[start] if self.prose[start] == 2 else text[start:end])
            pos = end
        pieces.append(blank[pos:])
        return "".join(pieces)


@dataclass(slots=True)
class _ContentMap:
    """Where the characters of a token's ``content`` sit in the source.

    Each segment maps a run of content characters one-to-one onto source characters;
    content that is not in any segment (stripped indentation, line breaks) has no
    source position of its own.
    """

    content_starts: list[int] = field(default_factory=list)
    source_starts: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)

    def add(self, content_start: int, source_start: int, length: int) -> None:
        self.content_starts.append(content_start)
        self.source_starts.append(source_start)
        self.lengths.append(length)

    def segments(self) -> Iterator[tuple[int, int]]:
        """Source ``(start, end)`` of every segment."""
        for s, n in zip(self.source_starts, self.lengths, strict=True):
            yield s, s + n

    def start(self, content_offset: int) -> int:
        """Source offset of the first mapped character at or after ``content_offset``."""
        i = bisect_right(self.content_starts, content_offset) - 1
        if i >= 0 and content_offset < self.content_starts[i] + self.lengths[i]:
            return self.source_starts[i] + content_offset - self.content_starts[i]
        return self.source_starts[min(i + 1, len(self.source_starts) - 1)]

    def end(self, content_end: int) -> int:
        """Source offset just after the last mapped character before ``content_end``."""
        i = bisect_right(self.content_starts, content_end - 1) - 1
        i = max(i, 0)
        return self.source_starts[i] + min(content_end - self.content_starts[i], self.lengths[i])

    def spans(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Source ranges of the mapped characters in content ``[start, end)``."""
        first = max(bisect_right(self.content_starts, start) - 1, 0)
        for i in range(first, len(self.content_starts)):
            c = self.content_starts[i]
            if c >= end:
                break
            lo, hi = max(start, c), min(end, c + self.lengths[i])
            if lo < hi:
                s = self.source_starts[i] - c
                yield s + lo, s + hi


# --------------------------------------------------------------------------------------
# Walking the block tokens.


@dataclass(slots=True)
class _Container:
    kind: str  # "quote", "item" or "footnote"
    number: int | None = None
    label: str | None = None
    paragraphs: int = 0


class _Walker:
    """Turns the token stream into shown prose, blocks, links, markers and comments."""

    def __init__(self, source: _Source, parsed: Parsed) -> None:
        self.source = source
        self.parsed = parsed
        self.containers: list[_Container] = []
        self.opened = ""  # the token that opened the current inline: paragraph, heading…
        self.heading_level: int | None = None
        self.row: tuple[int, int] = (-1, 0)  # (line, search position) across a row's cells

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "inline":
                self._inline(token)
            elif kind in ("paragraph_open", "heading_open", "th_open", "td_open"):
                self.opened = kind
                self.heading_level = int(token.tag[1:]) if kind == "heading_open" else None
            elif kind.endswith("_open") and kind[:-5] in _CONTAINERS:
                self.containers.append(_container(token))
            elif kind.endswith("_close") and kind[:-6] in _CONTAINERS:
                # footnote_tail leaves closes whose opens it removed when a footnote is
                # defined inside a list inside a definition of the same footnote, so a
                # close ends the innermost container only if it is one of its kind.
                if self.containers and self.containers[-1].kind == _CLOSED_KIND[kind]:
                    self.containers.pop()
            elif kind == "html_block":
                self._html_block(token)
            elif kind == "definition":
                self._definition(token)
            elif kind == "front_matter":
                _front_matter(token, self.source, self.parsed)

    def _inline(self, token: Token) -> None:
        if token.map is None or not token.content:
            return  # inline footnotes: their text is shown where they are written
        cmap = self._locate(token)
        if not cmap.lengths:
            return
        for start, end in cmap.segments():
            self.source.show(start, end)
        self._apply(token.meta[_KEY], cmap)
        block_start, block_end = cmap.source_starts[0], cmap.end(len(token.content))
        if self.source.has_prose(block_start, block_end):
            self.parsed.blocks.append(self._block(block_start, block_end))

    def _locate(self, token: Token) -> _ContentMap:
        assert token.map is not None
        if self.opened in ("th_open", "td_open"):
            return self._locate_cell(token.map[0], token.content)
        return self._locate_lines(token.map[0], token.content)

    def _locate_lines(self, first_line: int, content: str) -> _ContentMap:
        """Line ``k`` of the content is the tail of source line ``first_line + k``,
        after container prefixes and indentation (which markdown-it strips)."""
        cmap = _ContentMap()
        src = self.source
        offset = 0
        for k, line in enumerate(content.split("\n")):
            stripped = line.lstrip()
            if stripped:
                n = first_line + k
                found = src.searchable.rfind(stripped, src.starts[n], src.ends[n])
                if found < 0:
                    self._lost(n)
                else:
                    cmap.add(offset + len(line) - len(stripped), found, len(stripped))
            offset += len(line) + 1
        return cmap

    def _locate_cell(self, line: int, content: str) -> _ContentMap:
        """Cells are searched left to right, so that equal cells land on their own text.

        markdown-it drops the backslash of an escaped pipe (``\\|``), so each ``|`` of the
        content starts a new segment one character further along the source.
        """
        src = self.source
        cursor = self.row[1] if self.row[0] == line else src.starts[line]
        cmap = _ContentMap()
        found = src.searchable.find(content.replace("|", "\\|"), cursor, src.ends[line])
        if found < 0:
            self._lost(line)
            return cmap
        pieces = content.split("|")
        if pieces[0]:
            cmap.add(0, found, len(pieces[0]))
        offset, found = len(pieces[0]), found + len(pieces[0])
        for piece in pieces[1:]:
            found += 1  # the backslash markdown-it dropped; the pipe starts the segment
            cmap.add(offset, found, len(piece) + 1)
            offset += len(piece) + 1
            found += len(piece) + 1
        self.row = (line, found)
        return cmap

    def _lost(self, line: int) -> None:
        self.parsed.warnings.append(
            f"line {line + 1}: could not place this text in the source; it was not linted"
        )

    def _apply(self, ev: _InlineEvents, cmap: _ContentMap) -> None:
        src = self.source
        for start, end in ev.blanks:
            for lo, hi in cmap.spans(start, end):
                src.hide(lo, hi)
        for start, end, decoded in ev.entities:
            src.show_entity(cmap.start(start), cmap.end(end), decoded)
        parsed = self.parsed
        parsed.links.extend(Link(cmap.start(s), cmap.end(e), t) for s, e, t in ev.links)
        parsed.markers.extend(
            Marker(cmap.start(s), cmap.end(e), label, "footnote") for s, e, label in ev.markers
        )
        parsed.comments.extend(Comment(cmap.start(s), cmap.end(e), b) for s, e, b in ev.comments)

    def _block(self, start: int, end: int) -> Block:
        footnote = self._footnote_label()
        if self.opened == "heading_open":
            return Block(start, end, "heading", level=self.heading_level, label=footnote)
        if self.opened in ("th_open", "td_open"):
            return Block(start, end, "table_cell", label=footnote)
        return self._paragraph(start, end, footnote)

    def _footnote_label(self) -> str | None:
        """The label of the footnote definition being walked, if any."""
        return next((c.label for c in self.containers if c.kind == "footnote"), None)

    def _paragraph(self, start: int, end: int, footnote: str | None) -> Block:
        """The innermost list item's first paragraph is the item; otherwise the nearest
        quote or footnote definition names the paragraph."""
        if self.containers and self.containers[-1].kind == "item":
            item = self.containers[-1]
            item.paragraphs += 1
            if item.paragraphs == 1:
                return Block(start, end, "list_item", number=item.number, label=footnote)
        for container in reversed(self.containers):
            if container.kind == "quote":
                return Block(start, end, "quote", label=footnote)
            if container.kind == "footnote":
                return Block(start, end, "footnote", label=footnote)
        return Block(start, end, "paragraph")

    def _html_block(self, token: Token) -> None:
        """Raw HTML is published as it is written, so its text is read as the HTML reader
        reads a page: ``<div>Our zinc cures colds.</div>`` is prose, the tags are not."""
        assert token.map is not None
        cmap = self._locate_lines(token.map[0], token.content)
        if not cmap.lengths:
            return
        if _text_outside_tags(token.content):
            self._html_prose(token.content, cmap)
        resume = 0
        for start, end in _comment_spans(token.content):
            self.parsed.comments.append(
                Comment(cmap.start(start), cmap.end(end), _comment_body(token.content[start:end]))
            )
            resume = end
        unclosed = token.content.find("<!--", resume)
        if unclosed >= 0:  # the HTML block runs on to the end of its container, unlinted
            at = cmap.start(unclosed)
            line = self.source.line_of(at)
            self.parsed.warnings.append(
                f"line {line + 1}, column {at - self.source.starts[line] + 1}: comment is never "
                "closed; the text after it was not linted"
            )

    def _html_prose(self, content: str, cmap: _ContentMap) -> None:
        """Show the prose the HTML reader finds in ``content``, with its blocks, links and
        citation markers, at their places in the source (comments are read by the caller)."""
        from healthlint.documents import html  # only articles with text in raw HTML need it

        page = html.parse(content)
        masked = page.masked
        for run in HTML_PROSE.finditer(masked):
            a, b = run.span()
            for lo, hi in cmap.spans(a, b):
                self.source.show(lo, hi)
            entity = content.find("&", a, b)  # a decoded entity stands where its "&" was
            while entity >= 0:
                if masked[entity] != "&":
                    lo, hi = next(cmap.spans(entity, entity + 1))
                    self.source.show_entity(lo, hi, masked[entity])
                entity = content.find("&", entity + 1, b)
        footnote = self._footnote_label()
        for block in page.blocks:
            start, end = cmap.start(block.start), cmap.end(block.end)
            if block.kind == "paragraph":  # a paragraph inside a quote, list item or footnote is one of those
                self.parsed.blocks.append(self._paragraph(start, end, footnote))
            else:
                self.parsed.blocks.append(replace(block, start=start, end=end, label=block.label or footnote))
        for link in page.links:
            self.parsed.links.append(replace(link, start=cmap.start(link.start), end=cmap.end(link.end)))
        for marker in page.markers:
            self.parsed.markers.append(replace(marker, start=cmap.start(marker.start), end=cmap.end(marker.end)))

    def _definition(self, token: Token) -> None:
        """A reference definition ``[label]: url "title"`` is a link the whole line long."""
        assert token.map is not None
        src = self.source
        first, last = token.map[0], token.map[1] - 1
        opening = "[" + token.meta["label"].split("\n", 1)[0]
        start = src.searchable.find(opening, src.starts[first], src.ends[first])
        end = src.starts[last] + len(src.text[src.starts[last] : src.ends[last]].rstrip())
        self.parsed.links.append(Link(max(start, src.starts[first]), end, token.meta["url"]))


_CONTAINERS = ("blockquote", "list_item", "footnote")  # footnote_tail removed the others
_CLOSED_KIND = {"blockquote_close": "quote", "list_item_close": "item", "footnote_close": "footnote"}


def _container(token: Token) -> _Container:
    if token.type == "blockquote_open":
        return _Container("quote")
    if token.type == "list_item_open":
        return _Container("item", number=int(token.info) if token.info else None)
    return _Container("footnote", label=token.meta.get("label"))


# --------------------------------------------------------------------------------------
# Front matter.


def _front_matter(token: Token, source: _Source, parsed: Parsed) -> None:
    """Scalar fields and lists of scalars become metadata; ``title`` and ``description``
    are also shown.

    Simple front matter is read without PyYAML (``frontmatter.simple_fields``). Other
    YAML is only *composed* by the safe loader, never constructed into objects: nodes
    keep their source marks, and scalars keep the text as written, so a date stays
    ``"2024-05-01"`` and ``yes`` stays ``"yes"``.
    """
    fields = simple_fields(token.content)
    if fields is None:
        fields = _yaml_fields(token.content, source, parsed)
    for f in fields:
        if f.items is not None:
            # "authors: [A, B]" names authors as surely as "author: A" does.
            parsed.metadata[f.key] = ", ".join(f.items)
        elif not f.null:
            parsed.metadata[f.key] = f.value
            if f.key in PUBLISHED_FIELDS:
                _show_field(f, token.content, source, parsed)


def _yaml_fields(content: str, source: _Source, parsed: Parsed) -> list[Field]:
    """The top-level scalar and list fields as PyYAML composes them; none, with a warning, when
    the front matter cannot be read or is not a mapping."""
    import yaml  # here: simple front matter, and an article without any, do not pay for it

    root = _compose(content, source, parsed)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        parsed.warnings.append("line 2: front matter is not a mapping of fields; it was ignored")
        return []
    fields = []
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if isinstance(value, yaml.ScalarNode):
            fields.append(Field(key.value, value.value, value.start_mark.index, value.end_mark.index,
                                value.style, value.tag == YAML_NULL))
        elif isinstance(value, yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode) for v in value.value):
            at = value.start_mark.index
            fields.append(Field(key.value, "", at, at, None, False, tuple(v.value for v in value.value)))
    return fields


def _compose(content: str, source: _Source, parsed: Parsed) -> yaml.Node | None:
    """The YAML node tree, or ``None`` with a warning when the YAML cannot be read."""
    import yaml

    try:
        return yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = source.line_of(_yaml_offset(content, mark.index, source)) + 1 if mark else 2
        problem = error.problem or error.context
        parsed.warnings.append(
            f"line {line}: front matter is not valid YAML ({problem}); it was ignored"
        )
    except yaml.YAMLError as error:
        problem = str(error).splitlines()[0]
        parsed.warnings.append(
            f"line 2: front matter is not valid YAML ({problem}); it was ignored"
        )
    except RecursionError:  # pyyaml composes nested collections recursively
        parsed.warnings.append("line 2: front matter is nested too deeply to read; it was ignored")
    return None


def _show_field(field: Field, content: str, source: _Source, parsed: Parsed) -> None:
    start, end = field.start, field.end
    if field.style in ("'", '"'):
        start, end = start + 1, end - 1
    elif field.style in ("|", ">"):
        start = content.find("\n", start) + 1 or end  # skip the indicator line
    extent = source.show_lines(
        _yaml_offset(content, start, source), _yaml_offset(content, end, source)
    )
    if extent:
        parsed.blocks.append(Block(extent[0], extent[1], "metadata", label=field.key))


def _yaml_offset(content: str, index: int, source: _Source) -> int:
    """Source offset of ``content[index]``: content line ``k`` is source line ``k + 1``
    (line 0 is the opening ``---``), with line breaks normalised to ``\\n``."""
    line = content.count("\n", 0, index)
    column = index - (content.rfind("\n", 0, index) + 1)
    return source.starts[line + 1] + column


# --------------------------------------------------------------------------------------
# Bare URLs.


def _mask_bare_urls(text: str, parsed: Parsed) -> None:
    """Blank URLs written as plain prose and record them as links.

    A bare URL holds "://" or "www." in some case, which ends in one of
    ``URL_MARKERS``: most articles hold none, and looking for those is ten times
    cheaper than scanning for the pattern."""
    if not any(marker in parsed.masked for marker in URL_MARKERS):
        return
    spans = []
    for m in BARE_URL.finditer(parsed.masked):
        url = _trim_url(m.group())
        spans.append((m.start(), m.start() + len(url)))
        parsed.links.append(
            Link(m.start(), m.start() + len(url), text[m.start() : m.start() + len(url)])
        )
    if spans:
        pieces, pos = [], 0
        for start, end in spans:
            pieces += (parsed.masked[pos:start], " " * (end - start))
            pos = end
        pieces.append(parsed.masked[pos:])
        parsed.masked = "".join(pieces)


def _trim_url(url: str) -> str:
    """Drop trailing punctuation that ends the sentence rather than the URL (as GFM does)."""
    while url:
        if url[-1] in URL_TRAILER or (url[-1] == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    return url
