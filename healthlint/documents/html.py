"""HTML articles: the published prose of a page, at the offsets it has in the file.

The stdlib ``html.parser`` is the only parser that reports where every piece of text
starts (``getpos()``), so it is used as a tokenizer; nothing here builds a DOM. With
``convert_charrefs=False`` data stays raw and every entity is its own event, so each
event's extent in the source is known exactly and the masked copy can be built by
un-blanking data events in a fully blank copy: anything not understood stays hidden.

``html.parser`` has three failure modes on broken input, each defused on a same-length
copy that is fed to the parser while prose is always copied from the original:

* it is quadratic on a construct left open at the end of the file (``"<p " * 20000``
  takes tens of seconds), and a comment that never closes costs a scan to the end of
  the file for every ``<!--``;
* an ``&#`` that is not a character reference makes it emit the rest of the file,
  tags and scripts included, as one data event;
* ``<![`` with an unknown keyword raises ``AssertionError``.

What an unterminated construct means is taken from browsers, not from ``html.parser``
(whose end-of-file behaviour changed between patch releases): an unclosed tag at the end
of the file is dropped, and an unclosed comment hides the rest of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from html import unescape
from html.parser import HTMLParser

from healthlint.document import Block, Comment, Link, Marker, Parsed
from healthlint.positions import LineIndex
from healthlint.textutil import blank_span

# fmt: off
# Elements whose content is not published prose: code, scripts, embedded formats, and
# the site's navigation menu, which repeats on every page ("Book now") and whose links
# are not sources.
MASKED_ELEMENTS = frozenset({
    "script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "template", "svg",
    "math", "noscript", "iframe", "noembed", "noframes", "xmp", "nav",
})
# Elements whose content browsers read as raw text, so a "<" inside them is not markup.
RAW_TEXT_ELEMENTS = frozenset({
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
})
# Elements allowed in <head>; any other start tag means the head was left unclosed.
HEAD_CONTENT = frozenset({
    "head", "html", "base", "basefont", "bgsound", "link", "meta", "noscript", "script",
    "style", "template", "title",
})
# Elements that end a paragraph: prose on either side belongs to different blocks.
BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center",
    "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead",
    "title", "tr", "ul",
})
VOID_ELEMENTS = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
})
# fmt: on
HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}
LIST_ELEMENTS = frozenset({"ol", "ul", "menu", "dir"})
# Elements that change what the prose inside them is (see _context_for).
CONTEXT_ELEMENTS = (
    MASKED_ELEMENTS
    | LIST_ELEMENTS
    | HEADING_LEVELS.keys()
    | {"head", "title", "li", "td", "th", "blockquote"}
)
# Elements whose attributes are read; the others' are never looked at.
READS_ATTRIBUTES = frozenset({"a", "meta", "time", "li", "ol"})

# Metadata keys and the <meta> name/property/itemprop values that supply them, best
# first. The <title> element outranks every <meta>; <time datetime> is the last resort.
META_SOURCES = {
    "title": ("og:title", "twitter:title", "dcterms.title", "dc.title", "citation_title"),
    "description": (
        "description",
        "og:description",
        "dcterms.description",
        "dc.description",
        "twitter:description",
    ),
    "author": ("author", "dcterms.creator", "dc.creator", "citation_author", "article:author"),
    "date": (
        "article:published_time",
        "date",
        "dcterms.issued",
        "dcterms.date",
        "dcterms.created",
        "dc.date",
        "datepublished",
        "citation_publication_date",
        "citation_date",
    ),
    "updated": ("article:modified_time", "dcterms.modified", "og:updated_time", "datemodified"),
    "profile": ("healthlint-profile",),
}
META_RANK = {
    source: (key, rank)
    for key, sources in META_SOURCES.items()
    for rank, source in enumerate(sources, start=1)
}
TITLE_ELEMENT_RANK = 0
TIME_ELEMENT_RANK = 100
SHOWN_META = ("description",)
"""Metadata shown in search results and link previews, so linted as prose, as the front
matter's ``description`` of a Markdown article is. The <title> element is prose already."""

# "<" followed by what html.parser and browsers take as the start of a tag, end tag,
# comment, declaration or processing instruction.
MARKUP_OPEN = re.compile(r"<[A-Za-z/!?]")
# How html.parser ends a comment ("--!>" does not, unlike in browsers).
COMMENT_CLOSE = re.compile(r"--\s*>")
ABRUPT_COMMENT = re.compile(r"<!--->|<!-->")
# An "&#" that html.parser's charref pattern will not match.
BAD_CHARREF = re.compile(r"&#(?!(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F])")
# One attribute of a start tag, after the tag name: its name, and its value as written.
ATTRIBUTE = re.compile(r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"'][^\s>]*))?""")
TAG_NAME = re.compile(r"<[^\s/>]+")
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
HTML_INTEGER = re.compile(r"\s*([+-]?\d+)")
# Ids of reference-list entries: fn1, fn:1, ref-3, cite_note-3, user-content-fn-1, bib5,
# and the publishers' R1, B1, CR1.
REFERENCE_ID = re.compile(
    r"(?:user-content-)?(?:fn|footnote|endnote|note|ref|reference|cite_note|cite|citation|bib)"
    r"(?:[-_:.]+(?P<named>[\w.:-]+)|(?P<numbered>\d[\w.:-]*))"
    r"|(?:r|b|cr|bibr)(?P<short>\d+)",
    re.IGNORECASE,
)
# A superscript citation: 1, [2], 2,3, 2; 3, 1-3, 1–3.
CITATION_TEXT = re.compile(r"[\[(]?\s*(\d{1,3}(?:\s*[,;\u2013-]\s*\d{1,3})*)\s*[\])]?")
# What comes right before an exponent rather than a citation: m<sup>2</sup>, 10<sup>9</sup>.
EXPONENT_BASE = re.compile(r"(?:\b10|\b[cdkmnµμ]?m|/s)$")
DEFUSED = "\ufffd"


def parse(text: str) -> Parsed:
    """Mask everything but published prose and record the page's structure."""
    cut = _unterminated_tail(text)
    fed, defused = _defuse(text[:cut])
    reader = _Reader(text, fed, defused)
    try:
        reader.feed(fed)
        reader.close()
        reader.unterminated(cut)
    except _RestIsComment as stop:
        reader.unterminated_comment(stop.offset)
    return reader.finish()


def _unterminated_tail(text: str) -> int:
    """Where a construct that is never closed starts, or ``len(text)``.

    After the last ``>`` nothing can close, so the first tag, comment or declaration
    there runs to the end of the file; browsers drop it (or, for a comment, hide the
    rest), and feeding it to ``html.parser`` is what makes the parser quadratic.
    """
    m = MARKUP_OPEN.search(text, text.rfind(">") + 1)
    return m.start() if m else len(text)


def _defuse(source: str) -> tuple[str, list[int]]:
    """A same-length copy for the parser, and the sorted offsets it changed.

    Each change turns one character into U+FFFD so that ``html.parser`` reads the
    construct as a bogus comment or as text instead of failing on it (see the module
    docstring). Unclosed ``<!--`` are found by position: one is unclosed when no
    ``--\\s*>`` starts at or after its fifth character. The one exception is a ``<!--``
    whose own dashes start the last ``--\\s*>`` (``<!-->``): changing it would break
    that close for a comment opened before it, so it is left to the reader, which sees
    it come back as text when it does open a comment (``_Reader.handle_data``).
    """
    last_close = max((m.start() for m in COMMENT_CLOSE.finditer(source)), default=-1)
    unclosed_from = max(0, last_close - 3)
    positions = sorted(
        [p + 2 for p in _find_all(source, "<![")]
        + [p + 2 for p in _find_all(source, "<!--", unclosed_from) if p + 2 != last_close]
        + [m.start() for m in BAD_CHARREF.finditer(source)]
    )
    if not positions:
        return source, positions
    chars = list(source)
    for p in positions:
        chars[p] = DEFUSED
    return "".join(chars), positions


def _find_all(source: str, needle: str, start: int = 0) -> list[int]:
    found = []
    i = source.find(needle, start)
    while i >= 0:
        found.append(i)
        i = source.find(needle, i + 1)
    return found


def _html_integer(value: str | None) -> int | None:
    """An integer attribute read the way browsers read ``start``/``value`` ("3rd" is 3)."""
    m = HTML_INTEGER.match(value or "")
    return int(m.group(1)) if m else None


class _RestIsComment(Exception):
    """Raised from inside the parser when a ``<!--`` that never closes is reached."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


@dataclass(slots=True)
class _ListState:
    """Numbering of an open ``<ol>`` (or ``<ul>``, whose items have no number).

    ``next`` is None for a ``reversed`` list without ``start``: its first number is the
    item count, which is not known until the list ends.
    """

    ordered: bool
    next: int | None
    step: int

    @classmethod
    def from_attrs(cls, tag: str, attrs: dict[str, str | None]) -> _ListState:
        if tag != "ol":
            return cls(False, None, 1)
        start = _html_integer(attrs.get("start"))
        if "reversed" in attrs:
            return cls(True, start, -1)
        return cls(True, 1 if start is None else start, 1)

    def number(self, value: int | None) -> int | None:
        """Number the next item; an item's ``value`` restarts the count from it."""
        if not self.ordered:
            return None
        number = self.next if value is None else value
        if number is not None:
            self.next = number + self.step
        return number


@dataclass(frozen=True, slots=True)
class _Context:
    """What the open elements imply for prose inside them.

    Stored with each open element and derived from its parent's once, so looking up
    the current context is O(1) however deep the nesting is.
    """

    hidden: bool = False  # inside code, a script, svg...: not prose
    in_head: bool = False  # <head> content is not prose, except its <title>
    kind: str = "paragraph"
    level: int | None = None
    number: int | None = None
    label: str | None = None
    items: _ListState | None = None  # the innermost list, which numbers its <li>

    @property
    def visible(self) -> bool:
        return not (self.hidden or self.in_head)


ROOT = _Context()


def _context_for(tag: str, attrs: dict[str, str | None], parent: _Context) -> _Context:
    """The context inside ``tag``; the parent's own object when ``tag`` changes nothing."""
    if tag not in CONTEXT_ELEMENTS:
        return parent
    if tag in MASKED_ELEMENTS:
        return parent if parent.hidden else replace(parent, hidden=True)
    if tag == "head":
        return replace(parent, in_head=True)
    if tag == "title":
        return _with_kind(replace(parent, in_head=False), "metadata", label="title")
    if tag in HEADING_LEVELS:
        return _with_kind(parent, "heading", level=HEADING_LEVELS[tag])
    if tag in LIST_ELEMENTS:
        return replace(parent, items=_ListState.from_attrs(tag, attrs))
    if tag == "li":
        return _list_item(attrs, parent)
    if tag in ("td", "th"):
        return _with_kind(parent, "table_cell")
    if tag == "blockquote":
        return _with_kind(parent, "quote")
    return parent


def _with_kind(
    parent: _Context,
    kind: str,
    *,
    level: int | None = None,
    number: int | None = None,
    label: str | None = None,
) -> _Context:
    return replace(parent, kind=kind, level=level, number=number, label=label)


def _list_item(attrs: dict[str, str | None], parent: _Context) -> _Context:
    items = parent.items
    number = items.number(_html_integer(attrs.get("value"))) if items else None
    label = _reference_label(attrs.get("id"))
    if label is not None:
        return _with_kind(parent, "footnote", number=number, label=label)
    return _with_kind(parent, "list_item", number=number)


def _reference_label(element_id: str | None) -> str | None:
    m = REFERENCE_ID.fullmatch(element_id or "")
    return m[m.lastgroup] if m and m.lastgroup else None


@dataclass(slots=True)
class _PendingSup:
    """A ``<sup>`` whose end tag has not come yet: a citation marker or an exponent."""

    start: int
    after_exponent_base: bool
    linked: bool = False
    parts: list[str] = field(default_factory=list)
    prose: tuple[int, int] | None = None  # first and end of last non-space prose char

    def add(self, piece: str, extent: tuple[int, int] | None) -> None:
        self.parts.append(piece)
        if extent:
            self.prose = (self.prose[0] if self.prose else extent[0], extent[1])


class _Reader(HTMLParser):
    """Turns parser events into the masked text and the page structure."""

    def __init__(self, text: str, fed: str, defused: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self._text = text
        self._fed = fed
        self._defused = defused
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", fed)]
        self._template = blank_span(text)
        self._chars = list(self._template)
        self._tags: list[str] = ["#root"]
        self._contexts: list[_Context] = [ROOT]
        self._open: dict[str, int] = {}
        self._block: tuple[int, int, _Context] | None = None
        self._link: tuple[int, int, str] | None = None
        self._sup: _PendingSup | None = None
        self._title: list[str] | None = None
        self._meta: dict[str, tuple[int, str]] = {}
        self._meta_values: dict[str, tuple[int, int] | None] = {}  # where each was written
        self.parsed = Parsed(masked="")

    # -- parser events -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        attributes = self._attributes(start, end, attrs) if tag in READS_ATTRIBUTES else {}
        if self._open.get("head") and tag not in HEAD_CONTENT:
            self._close("head")
        if tag in BLOCK_ELEMENTS:
            self._break()
        if tag == "a" and self._contexts[-1].visible:  # a menu's links are not sources
            self._open_link(start, end, attributes)
        elif tag == "sup":
            self._open_sup(start)
        elif tag == "meta":
            self._read_meta(attributes, start, end)
        elif tag == "time":
            self._offer("date", TIME_ELEMENT_RANK, attributes.get("datetime"))
        elif tag == "title":
            self._title = []
        elif tag == "li":
            self._note_reference_entry(attributes.get("id"))
        if tag not in VOID_ELEMENTS:
            self._push(tag, attributes)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self._fed.find(">", start) + 1
        if tag in BLOCK_ELEMENTS:
            self._break()
        if tag == "a":
            self._close_link(end)
        elif tag == "sup":
            self._close_sup(end)
        if self._open.get(tag):
            self._close(tag)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if self._text.startswith("<!--", start):
            self._unclosed_comment(start)  # html.parser passes on a comment it cannot close as text
            return
        if self._text.startswith("<", start) and MARKUP_OPEN.match(self._text, start):
            return  # markup html.parser could not parse and passed on as text
        end = start + len(data)
        segment = self._text[start:end]
        if not self._prose_visible(not segment.isspace()):
            return
        self._chars[start:end] = segment
        first = start + len(segment) - len(segment.lstrip())
        last = start + len(segment.rstrip())
        self._prose(segment, (first, last) if first < last else None)

    def handle_entityref(self, name: str) -> None:
        self._entity(len("&") + len(name))

    def handle_charref(self, name: str) -> None:
        self._entity(len("&#") + len(name))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        if not self._text.startswith("<!--", start):
            return  # a bogus comment (<!x>, <?x>, </ x>, <![CDATA[...]>): just markup
        if self._is_defused(start + 2):
            self._unclosed_comment(start)
            return
        body_end = start + len("<!--") + len(data)
        close = COMMENT_CLOSE.match(self._fed, body_end)
        end = close.end() if close else body_end
        body = self._text[start + len("<!--") : body_end].strip()
        self.parsed.comments.append(Comment(start, end, body))

    # -- positions -----------------------------------------------------------------

    def _offset(self) -> int:
        """Offset of the current event; html.parser counts lines by ``\\n`` only."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _is_defused(self, offset: int) -> bool:
        i = bisect_left(self._defused, offset)
        return i < len(self._defused) and self._defused[i] == offset

    def _attributes(
        self, start: int, end: int, attrs: list[tuple[str, str | None]]
    ) -> dict[str, str | None]:
        """Attributes by name (the first of a repeated name wins, as in browsers).

        A tag that contains a defused character is read again from the original, so
        that an ``href`` keeps its ``&#``.
        """
        i = bisect_left(self._defused, start)
        if i < len(self._defused) and self._defused[i] < end:
            attrs = _original_attributes(self._text[start:end])
        return {name: value for name, value in reversed(attrs)}

    # -- element stack ---------------------------------------------------------------

    def _push(self, tag: str, attrs: dict[str, str | None]) -> None:
        self._contexts.append(_context_for(tag, attrs, self._contexts[-1]))
        self._tags.append(tag)
        self._open[tag] = self._open.get(tag, 0) + 1

    def _pop(self) -> None:
        tag = self._tags.pop()
        self._contexts.pop()
        self._open[tag] -= 1
        if tag == "title":
            self._finish_title()

    def _close(self, tag: str) -> None:
        """Close ``tag`` and every element opened inside it and left unclosed."""
        while len(self._tags) > 1:
            popped = self._tags[-1]
            self._pop()
            if popped == tag:
                return

    # -- prose and blocks ------------------------------------------------------------

    def _prose_visible(self, has_text: bool) -> bool:
        """Whether text here is prose; text directly in an unclosed <head> ends it."""
        context = self._contexts[-1]
        if has_text and context.in_head and not context.hidden and self._tags[-1] == "head":
            self._close("head")
            context = self._contexts[-1]
        return context.visible

    def _entity(self, length: int) -> None:
        start = self._offset()
        end = start + length
        if self._text.startswith(";", end):
            end += 1
        raw = self._text[start:end]
        decoded = unescape(raw)
        if not self._prose_visible(not decoded.isspace()):
            return
        if len(decoded) == 1:
            if decoded not in "\r\n":
                self._chars[start] = decoded
            self._prose(decoded, None if decoded.isspace() else (start, end))
        else:  # not an entity after all (AT&T), or several characters: keep it raw
            self._chars[start:end] = raw
            self._prose(raw, (start, end))

    def _prose(self, piece: str, extent: tuple[int, int] | None) -> None:
        """Record visible prose; ``extent`` spans its non-space characters, if any."""
        if self._title is not None:
            self._title.append(piece)
        if self._sup is not None:
            self._sup.add(piece, extent)
        elif extent:
            self._extend_block(*extent)

    def _extend_block(self, first: int, end: int) -> None:
        if self._block is None:
            self._block = (first, end, self._contexts[-1])
        else:
            self._block = (self._block[0], end, self._block[2])

    def _break(self) -> None:
        """End the current paragraph-level block, if it has any prose."""
        self._flush_sup()
        if self._block is None:
            return
        start, end, context = self._block
        self._block = None
        self.parsed.blocks.append(
            Block(start, end, context.kind, context.number, context.label, context.level)
        )

    def _note_reference_entry(self, element_id: str | None) -> None:
        """A reference entry is cited by its label (a superscript "1") or by its id
        (``href="#fn1"``), so both count as defined footnote labels."""
        label = _reference_label(element_id)
        if label is not None and element_id is not None:
            self.parsed.footnote_labels.update((label, element_id))

    # -- links and citation markers --------------------------------------------------

    def _open_link(self, start: int, end: int, attrs: dict[str, str | None]) -> None:
        self._end_unclosed_link()  # an <a> inside an <a> closes the first one
        if "href" in attrs:
            self._link = (start, end, (attrs["href"] or "").strip())
            if self._sup is not None:
                self._sup.linked = True

    def _close_link(self, end: int) -> None:
        if self._link is not None:
            start, _, target = self._link
            self.parsed.links.append(Link(start, end, target))
            self._link = None

    def _end_unclosed_link(self) -> None:
        """A link never closed spans its start tag only: its text has no known end."""
        if self._link is not None:
            self._close_link(self._link[1])

    def _open_sup(self, start: int) -> None:
        self._flush_sup()
        base = EXPONENT_BASE.search(self._text, max(0, start - 8), start)
        self._sup = _PendingSup(start, base is not None, linked=self._link is not None)

    def _close_sup(self, end: int) -> None:
        """A superscript citation becomes a marker and its text is masked, so that a
        sentence ending ``works.<sup>1</sup> It`` still ends before "It". The label is
        the list of numbers as written, without brackets and spaces, ";" read as ","."""
        sup = self._sup
        if sup is None:
            return
        self._sup = None
        m = CITATION_TEXT.fullmatch("".join(sup.parts).strip())
        if m and sup.prose and (sup.linked or not sup.after_exponent_base):
            label = re.sub(r"\s+", "", m.group(1)).replace(";", ",")
            self.parsed.markers.append(Marker(sup.start, end, label, "superscript"))
            first, last = sup.prose
            self._chars[first:last] = self._template[first:last]
        elif sup.prose:
            self._extend_block(*sup.prose)

    def _flush_sup(self) -> None:
        """A <sup> cut off by a block boundary is plain prose."""
        sup, self._sup = self._sup, None
        if sup is not None and sup.prose:
            self._extend_block(*sup.prose)

    # -- metadata ----------------------------------------------------------------------

    def _read_meta(self, attrs: dict[str, str | None], start: int, end: int) -> None:
        for attr in ("name", "property", "itemprop"):
            source = (attrs.get(attr) or "").strip().lower()
            if source in META_RANK:
                key, rank = META_RANK[source]
                where = _content_value(self._text[start:end], attrs.get("content")) if key in SHOWN_META else None
                self._offer(key, rank, attrs.get("content"), where and (start + where[0], start + where[1]))

    def _offer(self, key: str, rank: int, value: str | None, where: tuple[int, int] | None = None) -> None:
        """Keep ``value`` for ``key`` unless a better-ranked source already gave one."""
        value = " ".join((value or "").split())
        if value and (key not in self._meta or rank < self._meta[key][0]):
            self._meta[key] = (rank, value)
            self._meta_values[key] = where

    def _show_meta(self, key: str, start: int, end: int) -> None:
        """Unmask a <meta> value where it is written, entities decoded as in prose, as a
        metadata block in document order."""
        raw = self._text[start:end]
        for i, c in enumerate(raw):
            if c not in "\r\n":
                self._chars[start + i] = c
        for m in CHARACTER_REFERENCE.finditer(raw):
            decoded = unescape(m.group())
            if len(decoded) == 1 and decoded not in "\r\n":  # else not a reference after all: raw
                self._chars[start + m.start() : start + m.end()] = decoded.ljust(m.end() - m.start())
        first = start + len(raw) - len(raw.lstrip())
        last = start + len(raw.rstrip())
        if first < last:
            block = Block(first, last, "metadata", label=key)
            self.parsed.blocks.insert(bisect_left([b.start for b in self.parsed.blocks], first), block)

    def _finish_title(self) -> None:
        if self._title is not None:
            self._offer("title", TITLE_ELEMENT_RANK, "".join(self._title))
            self._title = None

    # -- end of input --------------------------------------------------------------------

    def _unclosed_comment(self, start: int) -> None:
        """``<!-->`` is an empty comment; any other unclosed ``<!--`` ends the input."""
        abrupt = ABRUPT_COMMENT.match(self._text, start)
        if abrupt is None:
            raise _RestIsComment(start)
        self.parsed.comments.append(Comment(start, abrupt.end(), ""))

    def unterminated(self, cut: int) -> None:
        """``text[cut:]`` was never fed: it is markup that no ``>`` closes."""
        if cut == len(self._text) or self._tags[-1] in RAW_TEXT_ELEMENTS:
            return  # inside <script> and the like, a "<" is just more script
        if self._text.startswith("<!--", cut):
            self.unterminated_comment(cut)
        else:
            self._warn(cut, "markup is never closed (no '>' follows); it is ignored")

    def unterminated_comment(self, start: int) -> None:
        body = self._text[start + len("<!--") :].strip()
        self.parsed.comments.append(Comment(start, len(self._text), body))
        self._warn(start, "comment is never closed; the rest of the file is read as a comment")

    def _warn(self, offset: int, message: str) -> None:
        line, column = LineIndex(self._text).line_col(offset)
        self.parsed.warnings.append(f"line {line}, column {column}: {message}")

    def finish(self) -> Parsed:
        """Close whatever is still open and hand over the result."""
        self._break()
        self._end_unclosed_link()
        while len(self._tags) > 1:
            self._pop()
        for key in SHOWN_META:
            where = self._meta_values.get(key)
            if where is not None:
                self._show_meta(key, *where)
        parsed = self.parsed
        parsed.masked = "".join(self._chars)
        parsed.metadata = {key: value for key, (_, value) in self._meta.items()}
        return parsed


class _AttributeReader(HTMLParser):
    """Reads the attributes of one start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = attrs


def _content_value(tag_text: str, expected: str | None) -> tuple[int, int] | None:
    """Where the ``content`` attribute's value is written in ``tag_text``, quotes left
    out; None unless it reads as ``expected``, the value html.parser gave, so that a
    tag written in some way this reading does not follow is never shown wrongly."""
    name = TAG_NAME.match(tag_text)
    if name is None or expected is None:
        return None
    for m in ATTRIBUTE.finditer(tag_text, name.end()):
        if m.group(1).lower() != "content":
            continue
        if m.group(2) is None:
            return None
        start, end = m.span(2)
        if m.group(2)[0] in "\"'":
            start, end = start + 1, end - 1
        return (start, end) if unescape(tag_text[start:end]) == expected else None
    return None


def _original_attributes(tag_text: str) -> list[tuple[str, str | None]]:
    reader = _AttributeReader()
    reader.feed(tag_text)
    return reader.attrs
