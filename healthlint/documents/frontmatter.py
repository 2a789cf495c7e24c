"""Front matter of the common, simple shape, read without PyYAML.

Importing PyYAML costs a pre-commit run 10-20 ms, more than parsing the article. Most
front matter is a list of ``key: value`` lines, perhaps with a ``tags: [a, b]`` list or a
block list under a key, and that much is read here exactly as PyYAML composes it: the
same fields, the same text as written, the same positions. Anything else (quotes with
escapes, comments after a value, multi-line values, anchors, nested mappings, tabs, odd
characters) returns None, and the Markdown reader hands the front matter to PyYAML,
whose answer, or error message, is the reference. ``tests/test_front_matter.py``
compares the two on thousands of generated front matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):( *)")
"""A key, its colon and the spaces after it; the value is the rest of the line, trailing
spaces trimmed in Python (a trailing `` *`` after a lazy value would be quadratic)."""
SAFE_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:(?!: |\s#)[^\t])*(?<![\s:])")
"""A plain scalar: no indicator character first, no ``: `` or `` #`` inside, no ``:`` last."""
FLOW_ITEM = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^,\[\]{}#:'\"\t]*[^\s,\[\]{}#:'\"])?"
FLOW_LIST = re.compile(rf"\[ *(?:{FLOW_ITEM}(?: *, *{FLOW_ITEM})*)? *\]")
BLOCK_ITEM = re.compile(r"( *)- +(" + SAFE_PLAIN.pattern + ") *")
QUOTED = re.compile(r"\"([^\"\\]*)\"|'([^']*)'")
NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class Field:
    """One top-level ``key: scalar`` or ``key: [list, of, scalars]`` of the front matter.

    ``start`` and ``end`` are offsets in the front-matter text of the value as written,
    its quotes included (``style`` is PyYAML's: the quote character, ``|`` or ``>`` for a
    block value, None for a plain one; this module reads only quoted and plain values).
    A list (``authors: [A, B]``, or a block list) has its scalars in ``items`` and no
    ``value``; ``start`` is where it begins, and ``end`` too: a list is looked up, never
    shown and linted as prose.
    """

    key: str
    value: str
    start: int
    end: int
    style: str | None
    null: bool
    items: tuple[str, ...] | None = None


def simple_fields(content: str) -> list[Field] | None:
    """The scalar and list fields of ``content``, or None when it is not of the simple shape."""
    if not content.replace("\n", "").isprintable():
        # Tabs, control and format characters (the byte-order mark), and the line and
        # paragraph separators, which YAML counts as line breaks: PyYAML decides.
        return None
    fields: list[Field] = []
    lines = content.split("\n")
    offset = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        start = offset
        offset += len(line) + 1
        i += 1
        if not line.strip() or line.startswith("#"):
            continue
        m = KEY_LINE.match(line)
        if m is None or (not m.group(2) and m.end() < len(line)):  # "key:value" is one scalar
            return None
        key, value = m.group(1), line[m.end() :].rstrip(" ")
        value_start = start + m.end() if value else start + m.end(1) + 1  # PyYAML's mark for ""
        if value == "":
            block = _block_list(lines, i)
            if block is None:
                return None
            item_lines, items = block
            if item_lines:
                top, last = item_lines[0], item_lines[-1]
                first = offset + sum(len(lines[j]) + 1 for j in range(i, top))
                first += len(lines[top]) - len(lines[top].lstrip(" "))  # at its "-"
                fields.append(Field(key, "", first, first, None, False, tuple(items)))
                offset += sum(len(lines[j]) + 1 for j in range(i, last + 1))
                i = last + 1
                continue
            fields.append(Field(key, "", value_start, value_start, None, True))
        elif value.startswith("["):
            if not FLOW_LIST.fullmatch(value):
                return None
            inner = value[1:-1].strip(" ")
            listed = tuple(item.strip(" ") for item in inner.split(",")) if inner else ()
            fields.append(Field(key, "", value_start, value_start, None, False, listed))
        elif value[0] in "\"'":
            q = QUOTED.fullmatch(value)
            if q is None:
                return None
            text = q.group(1) if q.group(1) is not None else q.group(2)
            fields.append(Field(key, text, value_start, value_start + len(value), value[0], False))
        elif SAFE_PLAIN.fullmatch(value):
            fields.append(Field(key, value, value_start, value_start + len(value), None, value in NULLS))
        else:
            return None
    return fields


def _block_list(lines: list[str], i: int) -> tuple[list[int], list[str]] | None:
    """The lines from ``i`` that hold a block list of plain items under the key before,
    and the items; none when the key has no value at all, None when what follows is
    anything else."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j == len(lines) or not lines[j].startswith((" ", "-")):
        return [], []
    indent = None
    item_lines: list[int] = []
    items: list[str] = []
    while j < len(lines):
        if not lines[j].strip():
            j += 1
            continue
        m = BLOCK_ITEM.fullmatch(lines[j])
        if m is None:
            if lines[j].startswith((" ", "-", "#")):
                return None  # a deeper item, a comment inside the list: PyYAML decides
            break
        if indent is None:
            indent = m.group(1)
        elif m.group(1) != indent:
            return None
        item_lines.append(j)
        items.append(m.group(2))
        j += 1
    return item_lines, items
