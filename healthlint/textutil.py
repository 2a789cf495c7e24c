"""Small text helpers shared by readers and rule kinds."""

from __future__ import annotations


def same_length_lower(text: str) -> str:
    """Lower-case ``text`` without changing its length.

    ``str.lower`` changes the length of a few characters (``"İ".lower()`` is two code
    points), which would shift every offset after it. Those characters keep their case.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def blank(text: str, start: int, end: int) -> str:
    """Replace ``text[start:end]`` with spaces, keeping line breaks where they are."""
    return text[:start] + blank_span(text[start:end]) + text[end:]


def blank_span(segment: str) -> str:
    """Spaces of the same length as ``segment``, keeping ``\\r`` and ``\\n``."""
    return "".join(c if c in "\r\n" else " " for c in segment)
