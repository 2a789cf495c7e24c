"""Invariants of the Markdown reader on generated documents.

Whatever the input, rules rely on three things: the masked text is the same length as
the source with line breaks in place, it never shows a character the source does not
have there (an entity shows its decoded character at its ``&``), and blocks are sorted,
disjoint and inside the text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.documents.markdown import parse
from healthlint.positions import LineIndex

WORDS = st.sampled_from(
    ["zinc", "cures", "colds", "Café", "😀", "中文", "é", "a\tb", "x_y", "R&D", "50%", "[1]"]
)
INLINE_PIECES = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"__{w}__"),
    WORDS.map(lambda w: f"~~{w}~~"),
    WORDS.map(lambda w: f"`{w}`"),
    WORDS.map(lambda w: f"[{w}](https://cure.example/{w} 'title')"),
    WORDS.map(lambda w: f"[{w}][ref]"),
    WORDS.map(lambda w: f"![{w}](img.png)"),
    WORDS.map(lambda w: f"^[{w} 2020]"),
    st.sampled_from(
        [
            "<https://cure.example>",
            "https://bare.example/cure.",
            "<span>",
            "</span>",
            "<!-- healthlint-disable HL101 -->",
            "&amp;",
            "&eacute;",
            "&#8212;",
            "&ngE;",
            "\\*",
            "[^1]",
            "[^nope]",
            "*",
            "_",
            "`",
            "[",
            "]",
            "|",
            "<",
        ]
    ),
)
INLINE = st.lists(INLINE_PIECES, min_size=1, max_size=8).map(" ".join)
LINES = st.lists(INLINE, min_size=1, max_size=3)


def _prefixed(prefix: str, lines: list[str], lazy: bool) -> str:
    return "\n".join(prefix + line if i == 0 or not lazy else line for i, line in enumerate(lines))


BLOCK = st.one_of(
    LINES.map("\n".join),
    st.tuples(st.integers(1, 6), INLINE).map(lambda t: "#" * t[0] + " " + t[1]),
    INLINE.map(lambda s: s + "\n===="),
    st.tuples(st.sampled_from(["- ", "* ", "1. ", "7) ", "  - ", "    1. "]), LINES).map(
        lambda t: _prefixed(t[0], t[1], lazy=False)
    ),
    st.tuples(st.sampled_from(["> ", ">", "> > ", "> - "]), LINES, st.booleans()).map(
        lambda t: _prefixed(t[0], t[1], lazy=t[2])
    ),
    LINES.map(lambda lines: "```\n" + "\n".join(lines) + "\n```"),
    LINES.map(lambda lines: "~~~\n" + "\n".join(lines)),  # unclosed fence
    INLINE.map(lambda s: "    " + s),
    st.tuples(INLINE, INLINE).map(lambda t: f"| {t[0]} | x |\n|---|:-:|\n| {t[1]} | {t[0]} |"),
    LINES.map(lambda lines: "<div>\n" + "\n".join(lines) + "\n</div>"),
    INLINE.map(lambda s: f"<!-- {s}\n-->"),
    INLINE.map(lambda s: f"[^1]: {s}\n    more {s}"),
    st.just("[ref]: https://ref.example/cure 'Title'"),
    st.just("***"),
)
FRONT_MATTER = st.one_of(
    st.just(""),
    INLINE.map(lambda s: f"---\ntitle: {s}\ndescription: '{s}'\ndate: 2024-01-01\n---\n"),
)
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(BLOCK, min_size=1, max_size=8))
    separators = draw(
        st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(blocks), max_size=len(blocks))
    )
    body = "".join(b + sep for b, sep in zip(blocks, separators, strict=True))
    return draw(FRONT_MATTER) + body


# Arbitrary text over the characters Markdown cares about, for what the grammar above misses.
MARKDOWN_NOISE = st.text(
    alphabet=st.sampled_from(list("ab c\t\n\r#>-*_`~[]()!<>&;:|^=+.1\\\"'/é😀")), max_size=200
)


def assert_invariants(text: str) -> None:
    parsed = parse(text)
    masked = parsed.masked
    assert len(masked) == len(text)
    for original, shown in zip(text, masked, strict=True):
        if original in "\r\n" or shown in "\r\n":
            assert shown == original
        elif shown != original:
            assert shown == " " or original == "&"
    previous_end = 0
    for block in parsed.blocks:
        assert previous_end <= block.start < block.end <= len(text)
        previous_end = block.end
    for span in [*parsed.links, *parsed.markers, *parsed.comments]:
        assert 0 <= span.start < span.end <= len(text)
    for comment in parsed.comments:
        assert text.startswith("<!--", comment.start) and text.endswith(">", 0, comment.end)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_generated_markdown_keeps_length_line_breaks_characters_and_block_order(text):
    assert_invariants(text)


@settings(max_examples=200, deadline=None)
@given(MARKDOWN_NOISE)
def test_arbitrary_markdown_punctuation_keeps_the_invariants(text):
    assert_invariants(text)


@settings(max_examples=200, deadline=None)
@given(documents(), NEWLINE)
def test_line_endings_do_not_change_the_line_and_column_of_any_word(text, newline):
    lf = re.sub(r"\r\n?", "\n", text)
    other = lf.replace("\n", newline)
    lf_lines, other_lines = LineIndex(lf), LineIndex(other)
    lf_words = [lf_lines.line_col(m.start()) for m in re.finditer(r"\w+", parse(lf).masked)]
    words = [other_lines.line_col(m.start()) for m in re.finditer(r"\w+", parse(other).masked)]
    assert words == lf_words
