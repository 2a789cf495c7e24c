"""Turn a file's bytes into text without losing a file or a position.

Articles arrive as UTF-8 (with or without a byte-order mark), sometimes as UTF-16 from
Windows tools, sometimes with a stray Latin-1 byte. Binary files are skipped with a
notice; invalid UTF-8 is decoded with replacement characters, which keeps every other
character at its place, and the notice names the line and column of the first bad
byte. UTF-32 and UTF-16 files are recognised by their byte-order mark, and UTF-16 also
without one; a UTF-8 byte-order mark is dropped, so it is not a column (design.md §1).
"""

from __future__ import annotations

import codecs

SNIFF = 8192
# UTF-32 before UTF-16: the UTF-32-LE mark begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 control bytes that text does not hold (tab, line breaks, form feed, escape excepted).
CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 11, 12, 13, 27} | {127}))


def decode_bytes(data: bytes, display: str) -> tuple[str | None, list[str]]:
    """(text, notices); text is None when the file is binary and was skipped."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, display)
    head = data[:SNIFF]
    codec = _utf16_without_bom(head)
    if codec is not None:
        text, notices = _decode(data, codec, display)
        return text, [f"{display}: no byte-order mark, but the text is {codec.upper()}; read as such", *notices]
    if _looks_binary(head):
        return None, [f"{display}: skipped: binary file (not text)"]
    return _decode(data, "utf-8", display)


def _decode(data: bytes, codec: str, display: str) -> tuple[str, list[str]]:
    """Decode with replacement, saying where the first bad byte and the first NUL are.

    A bad byte becomes one U+FFFD, so every character after it keeps its line and column.
    """
    notices = []
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        line, column = _position(data[: exc.start].decode(codec, errors="replace"))
        notices.append(
            f"{display}:{line}:{column}: not valid {codec.upper()} (byte 0x{data[exc.start]:02x}); "
            "decoded with replacement characters; save the file as UTF-8"
        )
    nul = text.find("\0")
    if nul >= 0:
        line, column = _position(text[:nul])
        notices.append(
            f"{display}:{line}:{column}: contains NUL characters, which text does not hold; "
            "read as text, but check that the file is not damaged"
        )
    return text, notices


def _position(before: str) -> tuple[int, int]:
    """Line and column (1-based, design.md §1) of the character that follows ``before``."""
    breaks = before.count("\n") + before.count("\r") - before.count("\r\n")
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return breaks + 1, len(before) - line_start + 1


def _utf16_without_bom(head: bytes) -> str | None:
    """The UTF-16 codec of a file written without a byte-order mark, if it is one.

    Windows tools write such files; in text that is mostly Latin script, every other byte
    is NUL, always the same half. Without this check the file would pass for binary.
    """
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= len(zeros) * 0.9 and others.count(0) <= len(others) * 0.05:
            return codec
    return None


def _looks_binary(head: bytes) -> bool:
    """Binary, as a person would judge it from the first 8 KiB.

    git calls any file with a NUL binary, but a few NULs in an exported article are
    damage, not an image: they are reported and the text is linted. Binary data is full
    of control bytes (a third or more), or holds some and is not UTF-8 either (compressed
    or random bytes). Text in a legacy 8-bit encoding holds no control bytes at all, so
    it is decoded with replacement characters instead.
    """
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    if controls == 0:
        return False
    if controls * 3 >= len(head):
        return True
    invalid = head.decode("utf-8", errors="replace").count("\ufffd")
    return controls * 100 > len(head) and invalid * 20 > len(head)
