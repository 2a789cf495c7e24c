"""Turn a file's bytes into text without losing a file or a position.

Articles arrive as UTF-8 (with or without a byte-order mark), sometimes as UTF-16 from
Windows tools, sometimes with a stray Latin-1 byte. Binary files are skipped with a
notice; invalid UTF-8 is decoded with replacement characters, which keeps every other
character at its place, and the notice names the line of the first bad byte.
"""

from __future__ import annotations

import codecs

SNIFF = 8192


def decode_bytes(data: bytes, display: str) -> tuple[str | None, list[str]]:
    """(text, notices); text is None when the file is binary and was skipped."""
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[len(codecs.BOM_UTF8) :], display)
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), []
            except UnicodeDecodeError as exc:
                text = data[len(bom) :].decode(codec, errors="replace")
                line = data[len(bom) : exc.start].decode(codec, errors="replace").count("\n") + 1
                return text, [f"{display}:{line}: invalid UTF-16; bad bytes were replaced with �"]
    if _looks_binary(data[:SNIFF]):
        return None, [f"{display}: skipped: binary file (not text)"]
    return _utf8(data, display)


def _utf8(data: bytes, display: str) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("utf-8", errors="replace")
        return text, [
            (
                f"{display}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); decoded with "
                "replacement characters; save the file as UTF-8"
            )
        ]


def _looks_binary(head: bytes) -> bool:
    """NUL bytes in the first 8 KiB mean binary, as git and grep decide."""
    if b"\x00" not in head:
        return False
    # A few NULs in otherwise printable text are a damaged text file, not a binary one.
    return head.count(b"\x00") > max(1, len(head) // 100)
