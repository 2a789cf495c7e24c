"""Input formats: each module turns the original text into a :class:`Parsed`.

Every reader has the same interface, ``parse(text: str) -> Parsed``, so adding a format
touches one module and the table below.
"""

from __future__ import annotations

from pathlib import PurePath

from healthlint.document import Document

FORMATS_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def format_for(path: str) -> str:
    """The reader for ``path``, by its suffix; unknown suffixes are read as plain text."""
    return FORMATS_BY_SUFFIX.get(PurePath(path).suffix.lower(), "text")


def parse_document(path: str, text: str, fmt: str | None = None) -> Document:
    """Build a :class:`Document` from decoded text (BOM already removed)."""
    fmt = fmt or format_for(path)
    if fmt == "markdown":
        from healthlint.documents import markdown as reader
    elif fmt == "html":
        from healthlint.documents import html as reader
    else:
        from healthlint.documents import text as reader
    return Document(path=path, text=text, format=fmt, parsed=reader.parse(text))
