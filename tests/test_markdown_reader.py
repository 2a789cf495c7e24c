"""The Markdown reader: what is masked, what stays, and where everything is."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from healthlint.document import Block, Comment, Link, Marker
from healthlint.documents import markdown
from healthlint.documents.markdown import parse
from healthlint.positions import LineIndex


def find(text: str, needle: str, nth: int = 1) -> int:
    """Offset of the ``nth`` occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(nth):
        offset = text.index(needle, offset + 1)
    return offset


def blanked(text: str, *parts: str) -> str:
    """``text`` with each of ``parts`` (searched left to right) replaced by spaces."""
    pos = 0
    for part in parts:
        pos = text.index(part, pos)
        text = text[:pos] + " " * len(part) + text[pos + len(part) :]
        pos += len(part)
    return text


def visible_at(masked: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"\b{word}\b", masked)]


def block_texts(text: str, blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in blocks]


# --- code, links, HTML ---------------------------------------------------------------


def test_cures_in_fenced_indented_and_inline_code_is_masked_but_prose_stays():
    text = (
        "Zinc cures colds, some say.\n"
        "\n"
        "```python\n"
        "print('zinc cures')\n"
        "```\n"
        "\n"
        "    indented code: cures\n"
        "\n"
        "Run `cures --now` and ``cures ` here`` then stop.\n"
    )
    masked = parse(text).masked
    assert visible_at(masked, "cures") == [5]
    line = find(text, "Run")
    assert masked[line:] == blanked(text[line:], "`cures --now`", "``cures ` here``")


def test_link_text_stays_while_destination_and_title_are_masked():
    text = 'See [zinc cures colds](https://cure.example/cures "cures") now.\n'
    parsed = parse(text)
    assert parsed.masked == blanked(text, "[", '](https://cure.example/cures "cures")')
    assert parsed.links == [Link(4, 58, "https://cure.example/cures")]


def test_reference_links_keep_their_text_and_definitions_are_masked_links():
    text = (
        "Read [the cure review][rev] and [rev] and [Rev][].\n"
        "\n"
        '[rev]: https://doi.org/10.1000/cure "A cure?"\n'
    )
    parsed = parse(text)
    assert parsed.masked == blanked(
        text, "[", "][rev]", "[", "]", "[", "][]", '[rev]: https://doi.org/10.1000/cure "A cure?"'
    )
    target = "https://doi.org/10.1000/cure"
    definition = find(text, "[rev]:")
    assert parsed.links == [
        Link(5, 27, target),
        Link(32, 37, target),
        Link(42, 49, target),
        Link(definition, definition + 45, target),
    ]


def test_autolinks_and_bare_urls_are_masked_without_the_sentence_period():
    text = "Sources: <https://a.example/cure> and https://b.example/cure_all. Also www.c.example.\n"
    parsed = parse(text)
    assert parsed.masked == blanked(
        text, "<https://a.example/cure>", "https://b.example/cure_all", "www.c.example"
    )
    a, b, c = find(text, "<https"), find(text, "https://b"), find(text, "www.")
    assert parsed.links == [
        Link(a, a + 24, "https://a.example/cure"),
        Link(b, b + 26, "https://b.example/cure_all"),
        Link(c, c + 13, "www.c.example"),
    ]


@pytest.mark.parametrize("url", ["www.cure.example", "Www.Cure.example", "wWW.cure.example", "WwW.cure.example", "WWW.CURE.EXAMPLE",
                                 "HTTP://cure.example", "hTTps://cure.example/a"])
def test_a_bare_url_in_any_case_is_masked_and_recorded(url):
    text = f"Read {url} today.\n"
    parsed = parse(text)
    assert parsed.masked == blanked(text, url)
    assert parsed.links == [Link(5, 5 + len(url), url)]


def test_html_comments_in_blocks_and_inline_are_recorded_at_their_exact_span():
    text = (
        "<!-- healthlint-disable HL101 -->\n"
        "Zinc cures colds <!-- ruleid: HL101 --> here.\n"
        "\n"
        "> <!-- a comment\n"
        "> over two lines -->\n"
        "\n"
        "<div>\n"
        "cures <!--x-->\n"
        "</div>\n"
    )
    parsed = parse(text)
    inline = find(text, "<!-- ruleid")
    quoted = find(text, "<!-- a comment")
    in_div = find(text, "<!--x")
    assert parsed.comments == [
        Comment(0, 33, "healthlint-disable HL101"),
        Comment(inline, inline + 22, "ruleid: HL101"),
        Comment(quoted, find(text, "-->", 3) + 3, "a comment\nover two lines"),
        Comment(in_div, in_div + 8, "x"),
    ]
    assert visible_at(parsed.masked, "cures") == [find(text, "cures"), find(text, "cures", 2)]  # the div's text is published
    assert "ruleid" not in parsed.masked and "div" not in parsed.masked


def test_the_text_of_raw_html_blocks_is_prose_at_its_place_and_the_tags_are_not():
    text = (
        "# Zinc\n"
        "\n"
        '<div class="callout">Our zinc cures colds &amp; flu.</div>\n'
        "\n"
        "<!-- note --> A miracle here.\n"
        "\n"
        "> <p align=center>Our tea\n"
        "> soothes <a href=\"https://example.org/tea\">sore throats</a>.</p>\n"
        "\n"
        "<details><summary>Does it work?</summary>Ask your GP.<sup>1</sup></details>\n"
    )
    parsed = parse(text)
    assert len(parsed.masked) == len(text)
    for phrase in ("Our zinc cures colds", "flu.", "A miracle here.", "Our tea", "soothes", "sore throats", "Ask your GP."):
        at = find(text, phrase)
        assert parsed.masked[at : at + len(phrase)] == phrase, phrase
    amp = find(text, "&amp;")
    assert parsed.masked[amp : amp + 5] == "&    "  # the entity decoded, its other characters blank
    for markup in ("div", "class", "callout", "note", "align", "href", "summary", "details"):
        assert not visible_at(parsed.masked, markup), markup
    assert ("paragraph", "Our zinc cures colds &amp; flu.") in block_texts(text, parsed.blocks)
    assert ("paragraph", "A miracle here.") in block_texts(text, parsed.blocks)
    tea = find(text, "Our tea")
    assert any(b.start == tea and text[b.end - 1] == "." for b in parsed.blocks)  # one block over both quoted lines
    link = find(text, "<a href")
    assert Link(link, find(text, "</a>") + 4, "https://example.org/tea") in parsed.links
    assert [(m.label, text[m.start : m.end]) for m in parsed.markers] == [("1", "<sup>1</sup>")]


def test_raw_html_text_after_a_bare_less_than_sign_is_prose():
    text = "# T\n\n<td><5 days: a miracle.</td>\n"
    at = find(text, "5 days")
    assert parse(text).masked[at - 1 : at + 16] == "<5 days: a miracle."[:17]


def test_a_raw_html_paragraph_in_a_quote_or_footnote_is_a_block_of_that_kind():
    text = "> <div>Our tea soothes.</div>\n\nText[^1].\n\n[^1]: <span>Smith 2020.</span>\n"
    kinds = {(b.kind, b.label) for b in parse(text).blocks}
    assert ("quote", None) in kinds and ("footnote", "1") in kinds


def test_a_raw_html_block_of_comments_alone_adds_no_prose():
    text = "<!-- ok: HL101 -->\n<!-- fixture: notes -->\n\nZinc.\n"
    parsed = parse(text)
    assert parsed.masked.strip() == "Zinc."
    assert [c.text for c in parsed.comments] == ["ok: HL101", "fixture: notes"]


def test_inline_html_is_masked_and_its_text_content_stays():
    text = 'Zinc <span class="cures">helps</span> a bit.\n'
    assert parse(text).masked == "Zinc                     helps        a bit.\n"


def test_image_is_masked_entirely():
    text = "Before ![cures everything](cure.png) after.\n"
    assert parse(text).masked == blanked(text, "![cures everything](cure.png)")


# --- emphasis and entities -----------------------------------------------------------


def test_emphasis_and_strikethrough_delimiters_are_masked_but_literal_ones_stay():
    text = "A *miracle* and __cure__ ~~guaranteed~~, snake_case_name and 2 * 3 and ***x***.\n"
    assert parse(text).masked == (
        "A  miracle  and   cure     guaranteed  , snake_case_name and 2 * 3 and    x   .\n"
    )


def test_entities_become_one_character_plus_spaces_and_long_decodes_stay_raw():
    text = "R&amp;D caf&eacute; &#8212; &ngE; AT&T\n"
    assert parse(text).masked == "R&    D café" + " " * 8 + "—" + " " * 7 + "&ngE; AT&T\n"


# --- headings, lists, quotes, tables, footnotes -------------------------------------


def test_atx_and_setext_headings_are_blocks_with_their_level_and_markers_masked():
    text = "# Zinc cures? #\n\nSetext title\n============\n\n### Third\n"
    parsed = parse(text)
    assert parsed.masked == "  Zinc cures?  \n\nSetext title\n            \n\n    Third\n"
    assert parsed.blocks == [
        Block(2, 13, "heading", level=1),
        Block(17, 29, "heading", level=1),
        Block(48, 53, "heading", level=3),
    ]


def test_nested_lists_give_one_item_block_per_item_with_its_ordinal():
    text = (
        "3. first item\n"
        "   continues here\n"
        "4. second item\n"
        "   - nested bullet\n"
        "     1. deep item\n"
        "\n"
        "   a second paragraph in item 4\n"
    )
    parsed = parse(text)
    assert block_texts(text, parsed.blocks) == [
        ("list_item", "first item\n   continues here"),
        ("list_item", "second item"),
        ("list_item", "nested bullet"),
        ("list_item", "deep item"),
        ("paragraph", "a second paragraph in item 4"),
    ]
    assert [b.number for b in parsed.blocks] == [3, 4, None, 1, None]
    assert not re.search(r"[0-9.\-]", parsed.masked.replace("4\n", "\n"))


def test_block_quote_with_lazy_continuation_is_one_quote_block():
    text = "> Zinc cures colds,\nsays a lazy line.\n>\n> > Nested quote.\n"
    parsed = parse(text)
    assert parsed.masked == "  Zinc cures colds,\nsays a lazy line.\n \n    Nested quote.\n"
    assert block_texts(text, parsed.blocks) == [
        ("quote", "Zinc cures colds,\nsays a lazy line."),
        ("quote", "Nested quote."),
    ]


def test_table_cells_are_blocks_even_when_equal_and_escaped_pipes_stay_in_their_cell():
    text = "| Claim | Source |\n|:------|-------:|\n| cures | cures |\n| a \\| b | `x` |\n"
    parsed = parse(text)
    assert parsed.masked == (
        "  Claim   Source  \n                  \n  cures   cures  \n  a  | b        \n"
    )
    row = find(text, "| cures")
    escaped = find(text, "a \\|")
    assert [(b.start, b.end, b.kind) for b in parsed.blocks] == [
        (2, 7, "table_cell"),
        (10, 16, "table_cell"),
        (row + 2, row + 7, "table_cell"),
        (row + 10, row + 15, "table_cell"),
        (escaped, escaped + 6, "table_cell"),  # the code-only cell has no prose, so no block
    ]
    assert parsed.warnings == []


def test_footnote_references_are_markers_and_definitions_are_labelled_blocks():
    text = (
        "Zinc shortens colds.[^1] Vitamin C may too[^vc].\n"
        "\n"
        "[^1]: Hemilä H. Zinc lozenges.\n"
        "    Open Respir Med J. 2011.\n"
        "\n"
        "[^vc]: Douglas RM. Cochrane review.\n"
        "\n"
        "[^unused]: Never cited.\n"
    )
    parsed = parse(text)
    one, vc = find(text, "[^1]"), find(text, "[^vc]")
    assert parsed.markers == [
        Marker(one, one + 4, "1", "footnote"),
        Marker(vc, vc + 5, "vc", "footnote"),
    ]
    assert parsed.footnote_labels == {"1", "vc", "unused"}
    footnotes = [b for b in parsed.blocks if b.kind == "footnote"]
    assert [(b.label, text[b.start : b.end]) for b in footnotes] == [
        ("1", "Hemilä H. Zinc lozenges.\n    Open Respir Med J. 2011."),
        ("vc", "Douglas RM. Cochrane review."),
    ]
    assert "[^" not in parsed.masked and "Never" not in parsed.masked


def test_inline_footnote_text_stays_in_its_paragraph():
    text = "Zinc helps.^[Smith, 2020, a cure trial] Done.\n"
    parsed = parse(text)
    assert parsed.masked == "Zinc helps.  Smith, 2020, a cure trial  Done.\n"
    assert parsed.blocks == [Block(0, 45, "paragraph")]


def test_hr_an_html_block_of_tags_alone_and_reference_definitions_leave_no_prose():
    text = "---\n\n<div class=\"cures\">\n<img alt=\"cures\">\n</div>\n\n[a]: /cures\n\n***\n"
    parsed = parse(text)
    assert parsed.masked.strip() == ""
    assert parsed.blocks == []


# --- front matter --------------------------------------------------------------------


FRONT_MATTER = (
    "---\n"
    "title: Zinc cures colds\n"
    "description: 'A cure? Not quite'\n"
    'author: "Dr. Ada Example"\n'
    "date: 2024-05-01\n"
    "reviewed: yes\n"
    "tags: [zinc, colds]\n"
    "---\n"
    "Body text.\n"
)


def test_front_matter_title_and_description_are_shown_and_become_metadata_blocks():
    parsed = parse(FRONT_MATTER)
    title, description = find(FRONT_MATTER, "Zinc"), find(FRONT_MATTER, "A cure")
    assert parsed.blocks[:2] == [
        Block(title, title + 16, "metadata", label="title"),
        Block(description, description + 17, "metadata", label="description"),
    ]
    lines = parsed.masked.split("\n")
    assert lines[1] == "       Zinc cures colds"
    assert lines[2] == "              A cure? Not quite "
    assert all(not line.strip() for line in lines[3:8])


def test_front_matter_scalars_become_metadata_strings_as_written_and_lists_their_items():
    assert parse(FRONT_MATTER).metadata == {
        "title": "Zinc cures colds",
        "description": "A cure? Not quite",
        "author": "Dr. Ada Example",
        "date": "2024-05-01",
        "reviewed": "yes",
        "tags": "zinc, colds",
    }


def test_front_matter_folded_description_is_shown_line_by_line():
    text = "---\ndescription: >\n  Zinc cures\n  colds.\ntitle:\n---\n"
    parsed = parse(text)
    assert parsed.masked == "   \n              \n  Zinc cures\n  colds.\n      \n   \n"
    assert parsed.metadata == {"description": "Zinc cures colds.\n"}
    assert parsed.blocks == [Block(21, 40, "metadata", label="description")]


def test_malformed_front_matter_warns_with_its_line_and_stays_masked():
    text = "---\ntitle: ok\nauthor: [unclosed\nnext: x\n---\nBody.\n"
    parsed = parse(text)
    assert parsed.metadata == {}
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("line 4: front matter is not valid YAML")
    assert (
        parsed.masked
        == " " * 3 + "\n" + "         \n" + " " * 17 + "\n" + " " * 7 + "\n   \nBody.\n"
    )


def test_front_matter_that_is_not_a_mapping_is_ignored_with_a_warning():
    parsed = parse("---\n- a\n- b\n---\nBody.\n")
    assert parsed.metadata == {}
    assert parsed.warnings == ["line 2: front matter is not a mapping of fields; it was ignored"]


def test_deeply_nested_front_matter_warns_instead_of_crashing():
    parsed = parse("---\nx: " + "[" * 2000 + "]" * 2000 + "\n---\nBody.\n")
    assert parsed.warnings == ["line 2: front matter is nested too deeply to read; it was ignored"]


# --- positions -----------------------------------------------------------------------


TRICKY = (
    "# Café 😀 cures\n"
    "\n"
    "\tTabbed code cures\n"
    "\n"
    "中文 cures 😀 and é\tcures; [cures](http://x/cures) `cures`\n"
    "- item cures\n"
    "  > quoted cures\n"
    "lazy cures\n"
    "\n"
    "| cures | cures |\n"
    "|---|---|\n"
    "| &amp; cures | x |\n"
)


def test_every_prose_word_has_the_same_line_and_column_with_crlf_cr_and_lf():
    expected = [
        (1, 10),
        (5, 4),
        (5, 18),
        (5, 26),
        (6, 8),
        (7, 12),
        (8, 6),
        (10, 3),
        (10, 11),
        (12, 9),
    ]
    for newline in ("\n", "\r\n", "\r"):
        text = TRICKY.replace("\n", newline)
        lines = LineIndex(text)
        found = [lines.line_col(m.start()) for m in re.finditer("cures", parse(text).masked)]
        assert found == expected, repr(newline)


def test_masked_text_keeps_every_line_break_where_it_was():
    text = "a\r\nb\rc\n\n```\r\ncode\r\n```\r\n> q\r"
    masked = parse(text).masked
    assert [i for i, c in enumerate(masked) if c in "\r\n"] == [
        i for i, c in enumerate(text) if c in "\r\n"
    ]


def test_nul_characters_do_not_lose_the_paragraph():
    text = "Zinc\0 cures colds.\n"
    assert parse(text).masked == text


# --- limits --------------------------------------------------------------------------


def test_blocks_nested_beyond_the_parser_limit_are_masked_with_a_warning():
    parsed = parse("> " * 30 + "cures\n\nAfter.\n")
    assert parsed.masked.split() == ["After."]
    [warning] = parsed.warnings
    assert warning == (
        "line 1: blocks nested too deeply for the Markdown parser (the parser reads at most 20 levels; a quote counts as one, a list as two); the text"
        " inside was not linted"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50000,
        "*a " * 20000,
        ">" * 10000 + " cures",
        "- " * 10000 + "cures",
        "> - " * 5000 + "cures",
        "<!--" * 20000,
        "![" * 20000,
        "^[" * 20000,
        "`" * 20000 + " a",
        "| a |\n|---|\n" + "| x |\n" * 20000,
    ],
    ids=[
        "brackets",
        "emphasis",
        "quotes",
        "lists",
        "quoted-lists",
        "comments",
        "images",
        "inline-footnotes",
        "backticks",
        "long-table",
    ],
)
def test_pathological_input_finishes_in_seconds(text):
    start = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - start < 10
    assert len(parsed.masked) == len(text)


def test_content_with_no_inline_markup_reads_the_same_without_the_inline_parser(monkeypatch):
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    texts = [p.read_text(encoding="utf-8") for p in sorted(fixtures.glob("*.md"))]
    texts.append("Plain prose.  \nA hard break, a soft\nbreak, an escaped \\# and 10% - all text.\n")
    skipped = [parse(text) for text in texts]
    monkeypatch.setattr(markdown, "INLINE_MARKUP", re.compile(""))  # every inline token parsed
    parsed = [parse(text) for text in texts]
    assert len(texts) > 20
    assert skipped == parsed
