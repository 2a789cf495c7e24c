"""Plain-text articles: everything is prose except directive lines.

Plain text has no markup, so paragraphs are inferred. Text exported from a CMS usually
has one paragraph per line; hand-written text is usually wrapped at 70-80 characters
with blank lines between paragraphs. A blank-line-separated chunk that has any line
longer than ``UNWRAPPED_LINE`` characters is taken as one-paragraph-per-line; otherwise
its lines are joined, except for heading-like lines and list items. A title at the start
of a chunk, underlined with dashes or equals signs, is a heading.

Bare URLs and e-mail addresses are masked; URLs are recorded as links (citations).

A line such as ``# healthlint-disable-next-line HL101`` or ``# ruleid: HL101`` is a
directive (the plain-text equivalent of an HTML comment): it is masked and recorded as a
comment.
"""

from __future__ import annotations

import re

from healthlint.document import Block, Comment, Link, Parsed
from healthlint.positions import LINE_BREAK
from healthlint.textutil import blank_span

UNWRAPPED_LINE = 100
HEADING_MAX = 60
# Greedy to the end of the line, and the trailing blanks stripped afterwards: a lazy body
# followed by ``[ \t]*`` is quadratic in a line of thousands of spaces.
DIRECTIVE_LINE = re.compile(r"[ \t]*(?:#|//)[ \t]*((?:healthlint-(?:disable|enable)[\w-]*|ruleid:|ok:).*)")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*•◦▪]|\d{1,3}[.)]|\[\d{1,3}\])[ \t]+\S")
BARE_LINK = re.compile(
    r"""(?:\bhttps?://|\bwww\.)[^\s<>"']+[^\s<>"'.,;:!?)\]]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"""
)
UNDERLINE = re.compile(r"[ \t]*(?:-{3,}|={3,})[ \t]*")
TERMINAL = re.compile(r"[.!?:;,\"'”’)\]]$")
FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with", "that", "than", "via"]
)


def parse(text: str) -> Parsed:
    lines = _lines(text)
    masked_parts: list[str] = []
    comments: list[Comment] = []
    prose: list[tuple[int, int]] = []  # (start, end) of each non-blank, non-directive line
    for start, end, brk in lines:
        content = text[start:end]
        m = DIRECTIVE_LINE.fullmatch(content)
        if m:
            comments.append(Comment(start, end, m.group(1).rstrip(" \t")))
            masked_parts.append(blank_span(content))
            prose.append((-1, -1))
        else:
            masked_parts.append(content)
            prose.append((start, end) if content.strip() else (-1, -1))
        masked_parts.append(brk)
    masked, links = _mask_links("".join(masked_parts))
    return Parsed(masked=masked, blocks=_blocks(text, prose), comments=comments, links=links)


def _mask_links(masked: str) -> tuple[str, list[Link]]:
    """Blank bare URLs and e-mail addresses: "example.com/miracle-cure" is not prose."""
    links = [Link(m.start(), m.end(), m.group()) for m in BARE_LINK.finditer(masked)]
    if not links:
        return masked, links
    parts, pos = [], 0
    for link in links:
        parts += [masked[pos : link.start], " " * (link.end - link.start)]
        pos = link.end
    parts.append(masked[pos:])
    return "".join(parts), [link for link in links if "@" not in link.target or "://" in link.target]


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line break) for every line, splitting on \\r\\n, \\r and \\n only."""
    out = []
    pos = 0
    for m in LINE_BREAK.finditer(text):
        out.append((pos, m.start(), m.group()))
        pos = m.end()
    out.append((pos, len(text), ""))
    return out


def _blocks(text: str, prose: list[tuple[int, int]]) -> list[Block]:
    blocks: list[Block] = []
    chunk: list[tuple[int, int]] = []
    for span in prose + [(-1, -1)]:
        if span[0] >= 0:
            chunk.append(span)
        elif chunk:
            blocks.extend(_chunk_blocks(text, chunk))
            chunk = []
    return blocks


def _chunk_blocks(text: str, chunk: list[tuple[int, int]]) -> list[Block]:
    """The blocks of a chunk of non-blank lines.

    A line of dashes or equals signs under a title underlines it as a heading
    ("References" over "----------"): the heading is a block of its own, and the
    underline, not prose, is in none, nor is a matching overline. The title must start
    the chunk (or follow another underline) and look like a heading, so the last line of
    a wrapped paragraph over a "---" separator stays in its paragraph.
    """
    unwrapped = any(end - start > UNWRAPPED_LINE for start, end in chunk)
    lines = [text[start:end] for start, end in chunk]
    underlined: set[int] = set()  # the underlines (and an overline), in no block
    if len(lines) >= 3 and UNDERLINE.fullmatch(lines[0]) and UNDERLINE.fullmatch(lines[2]) and _underlined_title(lines[1]):
        underlined.add(0)
    for i in range(1, len(chunk)):
        title_starts_block = i == 1 or i - 2 in underlined
        if title_starts_block and UNDERLINE.fullmatch(lines[i]) and _underlined_title(lines[i - 1]):
            underlined.add(i)
    blocks: list[Block] = []
    current: list[int] | None = None  # [start, end] of the block being built
    for i, (start, end) in enumerate(chunk):
        if i in underlined:
            if current is not None:  # the title above the underline
                blocks.append(Block(current[0], current[1], "heading"))
            current = None
            continue
        if current is not None and (
            unwrapped or LIST_ITEM.match(lines[i]) or _heading_like(lines[i - 1].strip(), lines[i])
        ):
            blocks.append(_block(text, current[0], current[1], unwrapped))
            current = None
        if current is None:
            current = [start, end]
        else:
            current[1] = end
    if current is not None:
        blocks.append(_block(text, current[0], current[1], unwrapped))
    return blocks


def _block(text: str, start: int, end: int, unwrapped: bool) -> Block:
    body = text[start:end].strip()
    if "\n" not in body and "\r" not in body and _looks_like_title(body):
        return Block(start, end, "heading")
    return Block(start, end, "paragraph")


def _heading_like(line: str, nxt: str) -> bool:
    nxt = nxt.lstrip()
    return (
        len(line) <= HEADING_MAX
        and not TERMINAL.search(line)
        and bool(nxt)
        and (nxt[0].isupper() or nxt[0].isdigit())
        and line.split()[-1].lower() not in FUNCTION_WORDS
    )


def _underlined_title(line: str) -> bool:
    """A line that can stand over an underline: short, with no closing punctuation but a
    question mark (leaflets head sections "What is hay fever?"), and not itself a line of
    dashes or equals signs."""
    line = line.strip()
    return (0 < len(line) <= HEADING_MAX and not (TERMINAL.search(line) and not line.endswith("?"))
            and not UNDERLINE.fullmatch(line))


def _looks_like_title(line: str) -> bool:
    return 0 < len(line) <= 90 and not re.search(r"[.!?;,]$", line)
