"""The HTML reader: masked prose at exact offsets, blocks, links, markers, metadata."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from healthlint.document import Block, Comment, Link, Marker
from healthlint.documents.html import parse
from healthlint.positions import LineIndex


def visible_words(masked: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"\S+", masked)]


def block_texts(src: str) -> list[tuple[str, str]]:
    return [(b.kind, src[b.start : b.end]) for b in parse(src).blocks]


# -- masking -------------------------------------------------------------------------


def test_script_containing_closing_div_and_cures_is_masked() -> None:
    src = '<p>Before</p><script>var s = "</div> cures";</script><p>After</p>'
    masked = parse(src).masked
    assert visible_words(masked) == [(3, "Before"), (56, "After")]
    assert len(masked) == len(src)


def test_style_content_is_masked() -> None:
    src = "<style>p::after { content: 'cures cancer' }</style><p>Text</p>"
    assert visible_words(parse(src).masked) == [(54, "Text")]


@pytest.mark.parametrize("tag", ["pre", "code", "kbd", "samp", "var", "textarea", "noscript"])
def test_code_like_element_content_is_masked(tag: str) -> None:
    src = f"<p>Use <{tag}>cure()</{tag}> daily.</p>"
    masked = parse(src).masked
    assert "cure" not in masked
    assert masked == "   Use " + " " * (len(tag) * 2 + 11) + " daily.    "


def test_navigation_menu_is_not_prose_and_its_links_are_not_sources() -> None:
    src = '<nav><a href="/book">Book now</a> | <a href="/cures">Cures</a></nav><p>Zinc and colds.</p>'
    parsed = parse(src)
    assert [word for _, word in visible_words(parsed.masked)] == ["Zinc", "and", "colds."]
    assert parsed.links == []


def test_nested_code_inside_pre_stays_masked_after_inner_close() -> None:
    src = "<pre><code>a</code>cure</pre>ok"
    assert visible_words(parse(src).masked) == [(29, "ok")]


def test_attribute_values_are_masked_and_only_link_text_remains() -> None:
    src = '<a href="/cure" title="miracle cure">link text</a>'
    assert parse(src).masked == " " * 37 + "link text" + " " * 4


def test_multi_line_tag_with_gt_inside_quoted_value_stays_blank() -> None:
    src = '<p\n  class="a>b"\n  title="cure">Text</p>'
    assert parse(src).masked == "  \n             \n               Text    "


def test_uppercase_tags_are_recognised() -> None:
    src = "<P>One</P><SCRIPT>cure()</SCRIPT><H2>Two</H2>"
    parsed = parse(src)
    assert visible_words(parsed.masked) == [(3, "One"), (37, "Two")]
    assert parsed.blocks == [Block(3, 6), Block(37, 40, "heading", level=2)]


def test_comments_doctype_cdata_and_processing_instructions_stay_blank() -> None:
    src = "<!DOCTYPE html><?xml version='1.0'?><!-- cure --><![CDATA[cure]]>Text"
    assert visible_words(parse(src).masked) == [(65, "Text")]


def test_head_content_other_than_title_is_masked() -> None:
    src = "<head><title>Zinc</title><noscript>cure</noscript></head><body>Text</body>"
    assert visible_words(parse(src).masked) == [(13, "Zinc"), (63, "Text")]


def test_text_after_an_unclosed_head_is_prose() -> None:
    src = "<html><head><title>T</title><p>Zinc helps</p>"
    assert block_texts(src) == [("metadata", "T"), ("paragraph", "Zinc helps")]


def test_svg_title_is_neither_prose_nor_metadata() -> None:
    src = "<p>Chart <svg><title>Miracle</title></svg> here</p>"
    parsed = parse(src)
    assert visible_words(parsed.masked) == [(3, "Chart"), (43, "here")]
    assert parsed.metadata == {}


# -- entities ------------------------------------------------------------------------


def test_entities_decode_to_one_character_at_the_ampersand() -> None:
    src = "caf&eacute; a&nbsp;b it&#8217;s 1&#x2014;2"
    assert parse(src).masked == "café        a\xa0     b it’      s 1—       2"


def test_entity_without_semicolon_decodes_over_its_own_length() -> None:
    src = "<p>&copy 2024 &amp</p>"
    assert parse(src).masked == "   ©     2024 &       "


@pytest.mark.parametrize(
    "src",
    ["AT&T rocks", "&notit; here", "&bogus; here", "x &#1; y"],
)
def test_unknown_or_multi_character_entities_stay_raw(src: str) -> None:
    assert parse(src).masked == src


def test_entity_decoding_to_a_newline_is_blank() -> None:
    src = "a&#10;b"
    assert parse(src).masked == "a     b"


def test_entities_inside_masked_elements_stay_blank() -> None:
    src = "<code>&lt;cure&gt;</code>"
    assert parse(src).masked == " " * len(src)


# -- positions -----------------------------------------------------------------------


ARTICLE = """<!DOCTYPE html>
<html>
<head>
  <title>Zinc and colds</title>
</head>
<body>
  <h1 class="title">Zinc\tlozenges</h1>
  <p>Caf&eacute; owners 😀 agree;
     zinc <em>may</em> shorten colds<sup>1</sup>.</p>
  <p>感冒 patients <a href="#ref1"
     title="cure">improved</a>.</p>
  <pre>cure</pre>
</body>
</html>
"""


def words_with_positions(src: str) -> list[tuple[str, int, int]]:
    parsed = parse(src)
    lines = LineIndex(src)
    return [(word, *lines.line_col(start)) for start, word in visible_words(parsed.masked)]


def test_crlf_gives_the_same_line_and_column_as_lf_for_every_word() -> None:
    lf = words_with_positions(ARTICLE)
    assert lf == words_with_positions(ARTICLE.replace("\n", "\r\n"))
    assert lf == words_with_positions(ARTICLE.replace("\n", "\r"))
    assert ("colds", 9, 32) in lf


def test_crlf_keeps_line_breaks_at_the_same_offsets() -> None:
    src = ARTICLE.replace("\n", "\r\n")
    masked = parse(src).masked
    assert [i for i, c in enumerate(masked) if c in "\r\n"] == [
        i for i, c in enumerate(src) if c in "\r\n"
    ]


def test_columns_count_code_points_for_tabs_emoji_cjk_and_accents() -> None:
    words = words_with_positions(ARTICLE)
    assert ("lozenges", 7, 26) in words  # after a tab, which is one column
    assert ("agree;", 8, 27) in words  # after é (an entity) and an emoji, one column each
    assert ("感冒", 10, 6) in words
    assert ("patients", 10, 9) in words


def test_lone_carriage_returns_are_line_breaks_for_positions() -> None:
    src = "<p>one\rtwo</p>\r<p>three</p>"
    parsed = parse(src)
    lines = LineIndex(src)
    assert [lines.line_col(s) for s, _ in visible_words(parsed.masked)] == [(1, 4), (2, 1), (3, 4)]


# -- blocks --------------------------------------------------------------------------


def test_adjacent_paragraphs_without_a_newline_are_separate_blocks() -> None:
    src = "<p>Zinc helps.</p><p>It cures colds.</p>"
    assert parse(src).blocks == [Block(3, 14), Block(21, 36)]


def test_unclosed_paragraphs_end_at_the_next_paragraph() -> None:
    src = "<p>One<p>Two"
    assert parse(src).blocks == [Block(3, 6), Block(9, 12)]


def test_br_splits_a_paragraph_into_blocks() -> None:
    src = "<p>Line one<br>Line two<br/>Line three</p>"
    assert block_texts(src) == [
        ("paragraph", "Line one"),
        ("paragraph", "Line two"),
        ("paragraph", "Line three"),
    ]


def test_block_spans_first_to_last_prose_character_across_inline_markup() -> None:
    src = "<p>  <b>Zinc</b> may <a href='x'>help</a>  </p>"
    assert parse(src).blocks == [Block(8, 37)]


def test_whitespace_only_elements_make_no_block() -> None:
    src = "<p> &nbsp; </p><div>\n\t</div><p>Text</p>"
    assert parse(src).blocks == [Block(31, 35)]


def test_block_kinds_follow_the_nearest_structural_element() -> None:
    src = (
        "<h3>Dose</h3><blockquote><p>Quoted</p></blockquote>"
        "<table><tr><th>Drug</th><td><p>10 mg</p></td></tr></table>"
        "<ul><li><p>Item para</p></li></ul><dl><dt>Term</dt><dd>Def</dd></dl>"
        "<figure><figcaption>Caption</figcaption></figure>"
    )
    assert block_texts(src) == [
        ("heading", "Dose"),
        ("quote", "Quoted"),
        ("table_cell", "Drug"),
        ("table_cell", "10 mg"),
        ("list_item", "Item para"),
        ("paragraph", "Term"),
        ("paragraph", "Def"),
        ("paragraph", "Caption"),
    ]


def test_heading_blocks_carry_their_level() -> None:
    levels = [b.level for b in parse("<h1>a</h1><h2>b</h2><h6>c</h6>").blocks]
    assert levels == [1, 2, 6]


def test_text_around_a_nested_block_belongs_to_the_outer_element() -> None:
    src = "<li>Intro<div>inner</div>outro</li>"
    assert block_texts(src) == [
        ("list_item", "Intro"),
        ("list_item", "inner"),
        ("list_item", "outro"),
    ]


def test_inline_script_does_not_split_a_paragraph() -> None:
    src = "<p>Zinc <script>x()</script>helps</p>"
    assert parse(src).blocks == [Block(3, 33)]


def test_ordered_list_numbers_honour_start_and_value() -> None:
    src = '<ol start="3"><li>three</li><li>four</li><li value="10">ten</li><li>eleven</li></ol>'
    assert [(b.number, src[b.start : b.end]) for b in parse(src).blocks] == [
        (3, "three"),
        (4, "four"),
        (10, "ten"),
        (11, "eleven"),
    ]


def test_nested_lists_number_their_own_items() -> None:
    src = "<ol><li>a<ol><li>a.1</li><li>a.2</li></ol>rest of a</li><li>b</li></ol>"
    assert [(b.number, src[b.start : b.end]) for b in parse(src).blocks] == [
        (1, "a"),
        (1, "a.1"),
        (2, "a.2"),
        (1, "rest of a"),
        (2, "b"),
    ]


def test_unordered_list_items_have_no_number() -> None:
    blocks = parse("<ul><li>a</li><li>b</li></ul>").blocks
    assert [(b.kind, b.number) for b in blocks] == [("list_item", None), ("list_item", None)]


def test_unclosed_list_items_are_numbered_in_order() -> None:
    blocks = parse("<ol><li>a<li>b<li>c</ol>").blocks
    assert [b.number for b in blocks] == [1, 2, 3]


def test_reversed_list_counts_down_from_start() -> None:
    blocks = parse('<ol reversed start="3"><li>a<li>b<li>c</ol>').blocks
    assert [b.number for b in blocks] == [3, 2, 1]


def test_reference_entries_are_footnotes_with_their_label() -> None:
    src = (
        '<ol><li id="fn1"><p>Smith J. Zinc. 2020.</p></li>'
        '<li id="ref-2">Jones K. 2021.</li><li id="cite_note-3">Lee.</li>'
        '<li id="item">Not a reference</li></ol>'
    )
    parsed = parse(src)
    assert [(b.kind, b.label, b.number) for b in parsed.blocks] == [
        ("footnote", "1", 1),
        ("footnote", "2", 2),
        ("footnote", "3", 3),
        ("list_item", None, 4),
    ]
    assert parsed.footnote_labels == {"1", "fn1", "2", "ref-2", "3", "cite_note-3"}


def test_title_is_prose_at_its_position_in_a_metadata_block() -> None:
    src = "<html><head><title>Caf&eacute; cures</title></head></html>"
    parsed = parse(src)
    assert parsed.masked[19:36] == "Café        cures"
    assert parsed.blocks == [Block(19, 36, "metadata", label="title")]


def test_blocks_are_sorted_disjoint_and_inside_the_text() -> None:
    blocks = parse(ARTICLE).blocks
    assert all(0 <= b.start < b.end <= len(ARTICLE) for b in blocks)
    assert all(a.end <= b.start for a, b in pairwise(blocks))
    assert [b.kind for b in blocks] == ["metadata", "heading", "paragraph", "paragraph"]


# -- links, markers, comments ----------------------------------------------------------


def test_link_spans_from_its_start_tag_to_the_end_of_its_end_tag() -> None:
    src = 'See <a href=" https://example.org/a?b=1&amp;c=2 ">the study</a>.'
    assert parse(src).links == [Link(4, 63, "https://example.org/a?b=1&c=2")]


def test_internal_reference_links_are_links() -> None:
    src = 'Zinc<a href="#ref1">[1]</a> and <a href="#fn2">2</a>'
    assert [link.target for link in parse(src).links] == ["#ref1", "#fn2"]


def test_unclosed_link_spans_its_start_tag_only() -> None:
    src = '<p><a href="/x">text</p><a href="/y">more</a>'
    assert parse(src).links == [Link(3, 16, "/x"), Link(24, 45, "/y")]


def test_anchor_without_href_is_not_a_link() -> None:
    assert parse('<a name="top">Top</a>').links == []


def test_superscript_citation_becomes_a_marker_and_leaves_the_prose() -> None:
    src = "Zinc works.<sup>1</sup> It helps<sup>2,3</sup> a lot<sup>1-3</sup>."
    parsed = parse(src)
    assert parsed.markers == [
        Marker(11, 23, "1", "superscript"),
        Marker(32, 46, "2,3", "superscript"),
        Marker(52, 66, "1-3", "superscript"),
    ]
    assert "1" not in parsed.masked
    assert (
        parsed.masked == "Zinc works." + " " * 13 + "It helps" + " " * 15 + "a lot" + " " * 14 + "."
    )


def test_marker_label_drops_brackets_and_spaces_and_reads_semicolons_as_commas() -> None:
    src = "a<sup>[2, 3]</sup> b<sup>(4; 6)</sup> c<sup>7 \u2013 9</sup>"
    assert [m.label for m in parse(src).markers] == ["2,3", "4,6", "7\u20139"]


def test_superscript_wrapping_a_link_is_a_marker_and_a_link() -> None:
    src = 'Zinc<sup><a href="#cite_note-4">&#91;4&#93;</a></sup>.'
    parsed = parse(src)
    assert parsed.markers == [Marker(4, 53, "4", "superscript")]
    assert parsed.links == [Link(9, 47, "#cite_note-4")]
    assert parsed.masked == "Zinc" + " " * 49 + "."


def test_unit_exponents_are_not_markers() -> None:
    src = "<p>1.5 mg/m<sup>2</sup> or 10<sup>9</sup>/L in 2019<sup>4</sup></p>"
    parsed = parse(src)
    assert [m.label for m in parsed.markers] == ["4"]
    assert visible_words(parsed.masked)[:3] == [(3, "1.5"), (7, "mg/m"), (16, "2")]


def test_superscript_words_are_prose_not_markers() -> None:
    src = "<p>1<sup>st</sup> dose</p>"
    parsed = parse(src)
    assert parsed.markers == []
    assert parsed.blocks == [Block(3, 22)]


def test_comments_are_recorded_with_exact_span_and_stripped_body() -> None:
    src = "<p>a</p>\n<!-- healthlint-disable HL101 -->\n<!--\n ruleid: HL101\n-- >b"
    assert parse(src).comments == [
        Comment(9, 42, "healthlint-disable HL101"),
        Comment(43, 67, "ruleid: HL101"),
    ]


def test_bogus_comments_are_masked_but_not_recorded() -> None:
    src = "<!x cure><?php cure ?></ 3>ok"
    parsed = parse(src)
    assert parsed.comments == []
    assert visible_words(parsed.masked) == [(27, "ok")]


def test_conditional_comment_hack_is_read_like_a_browser() -> None:
    src = "<!--[if !IE]><!--> shown <!--<![endif]-->"
    parsed = parse(src)
    assert visible_words(parsed.masked) == [(19, "shown")]
    assert [c.text for c in parsed.comments] == ["[if !IE]><!", "<![endif]"]


# -- metadata ------------------------------------------------------------------------


def test_metadata_is_read_from_title_meta_and_time() -> None:
    src = """<head>
<title> Zinc &amp; colds </title>
<meta name="description" content="What zinc does">
<meta name="author" content="Dr Jane Doe">
<meta property="article:published_time" content="2024-03-01">
<meta property="article:modified_time" content="2024-05-02">
<meta name="healthlint-profile" content="consumer">
</head><body><time datetime="2020-01-01">then</time></body>"""
    parsed = parse(src)
    assert parsed.metadata == {
        "title": "Zinc & colds",
        "description": "What zinc does",
        "author": "Dr Jane Doe",
        "date": "2024-03-01",
        "updated": "2024-05-02",
        "profile": "consumer",
    }
    assert "Jane" not in parsed.masked and "2024" not in parsed.masked  # looked up, not prose


def test_the_meta_description_is_prose_where_it_is_written_as_search_results_show_it() -> None:
    src = """<head><title>Zinc</title>
<meta property="og:description" content="Zinc cures colds">
<meta name=description content='Zinc &amp; vitamin C cure colds'>
<meta name="twitter:description" content="Zinc cures colds">
</head><body><p>Text.</p></body>"""
    parsed = parse(src)
    shown = src.index("Zinc &amp;")
    assert parsed.masked[shown : shown + 31] == "Zinc &     vitamin C cure colds"  # an entity as in prose
    assert [(b.kind, b.label, src[b.start : b.end]) for b in parsed.blocks] == [
        ("metadata", "title", "Zinc"),
        ("metadata", "description", "Zinc &amp; vitamin C cure colds"),  # the best-ranked source only
        ("paragraph", None, "Text."),
    ]
    assert visible_words(parsed.masked).count((src.index("Zinc cures"), "Zinc")) == 0


@pytest.mark.parametrize(("tag", "shown"), [
    ('<meta name="description" content="">', []),
    ('<meta name="description">', []),
    ('<meta name="description" data-content="Zinc cures colds" content="Zinc">', ["Zinc"]),
    ('<meta content="Zinc" name="author">', []),
])
def test_a_meta_description_shows_its_own_content_and_nothing_else(tag, shown) -> None:
    src = f"<head>{tag}</head><body><p>Text.</p></body>"
    parsed = parse(src)
    assert [src[b.start : b.end] for b in parsed.blocks] == [*shown, "Text."]
    assert "cures" not in parsed.masked


def test_title_element_outranks_open_graph_and_dublin_core() -> None:
    src = (
        '<meta property="og:title" content="OG"><meta name="DCTERMS.title" content="DC">'
        '<meta name="dcterms.creator" content="Ann"><meta name="DC.date" content="2001">'
        "<title>Real</title>"
    )
    assert parse(src).metadata == {"title": "Real", "author": "Ann", "date": "2001"}


def test_first_time_element_dates_an_article_without_meta_dates() -> None:
    src = '<time datetime="2023-05-05">May</time><time datetime="2024-01-01">Jan</time>'
    assert parse(src).metadata == {"date": "2023-05-05"}


# -- broken and pathological input -----------------------------------------------------


def test_many_unterminated_start_tags_are_markup_not_prose() -> None:
    src = "<p " * 20000
    parsed = parse(src)
    assert parsed.masked == " " * len(src)
    assert parsed.blocks == []
    assert parsed.warnings == [
        "line 1, column 1: markup is never closed (no '>' follows); it is ignored"
    ]


def test_unescaped_less_than_before_a_letter_starts_a_tag_that_never_ends() -> None:
    src = "dose a<b ok. " * 5000
    parsed = parse(src)
    assert parsed.masked == "dose a" + " " * (len(src) - 6)
    assert parsed.blocks == [Block(0, 6)]


def test_less_than_before_a_digit_is_prose() -> None:
    src = "<p>p<0.05 and HbA1c <7%</p>"
    assert parse(src).masked == "   p<0.05 and HbA1c <7%    "


def test_unclosed_comment_at_end_of_file_is_a_comment_to_the_end() -> None:
    src = "<p>Zinc helps.</p>\n<!-- healthlint-disable HL101\n<p>cures</p"
    parsed = parse(src)
    assert parsed.comments == [Comment(19, len(src), "healthlint-disable HL101\n<p>cures</p")]
    assert visible_words(parsed.masked) == [(3, "Zinc"), (8, "helps.")]
    assert parsed.warnings == [
        "line 2, column 1: comment is never closed; the rest of the file is read as a comment"
    ]


def test_unclosed_comment_followed_by_markup_hides_the_rest() -> None:
    src = "<p>Zinc</p><!-- draft > <p>cures</p>" * 3
    parsed = parse(src)
    assert visible_words(parsed.masked) == [(3, "Zinc")]
    assert parsed.comments[0] == Comment(11, len(src), src[15:].strip())


def test_abrupt_empty_comment_does_not_hide_the_rest() -> None:
    src = "<p>a<!-->b</p>"
    parsed = parse(src)
    assert parsed.comments == [Comment(4, 9, "")]
    assert visible_words(parsed.masked) == [(3, "a"), (9, "b")]


def test_comment_ended_by_the_dashes_of_a_last_abrupt_comment_stays_hidden() -> None:
    src = '<p>a</p><!-- <script>"</div> draft cure"</script><!-->'
    parsed = parse(src)
    assert visible_words(parsed.masked) == [(3, "a")]
    assert parsed.comments == [Comment(8, len(src), src[12:-3].strip())]


def test_abrupt_empty_comment_last_in_the_file_is_a_comment_not_prose() -> None:
    src = "<p>a</p><!--> b <b>c</b>"
    parsed = parse(src)
    assert parsed.comments == [Comment(8, 13, "")]
    assert visible_words(parsed.masked) == [(3, "a"), (14, "b"), (19, "c")]


def test_invalid_character_reference_does_not_unmask_later_scripts() -> None:
    src = "<p>a &#; b</p><script>cure()</script><p>c &#x; d</p><script>cure()</script>"
    parsed = parse(src)
    assert "cure" not in parsed.masked
    assert visible_words(parsed.masked) == [
        (3, "a"),
        (5, "&#;"),
        (9, "b"),
        (40, "c"),
        (42, "&#x;"),
        (47, "d"),
    ]


def test_link_target_with_invalid_character_reference_is_read_from_the_source() -> None:
    src = '<a href="/s?q=a&#;b">x</a>'
    assert parse(src).links == [Link(0, 26, "/s?q=a&#;b")]


@pytest.mark.parametrize("src", ["<![ x]>ok", "<![foo[x]]>ok", "<![if IE]>ok<![endif]>"])
def test_marked_sections_are_bogus_comments_and_never_raise(src: str) -> None:
    assert re.sub(r"\s+", "", parse(src).masked) == "ok"


def test_ten_thousand_nested_divs_are_one_block() -> None:
    src = "<div>" * 10000 + "Zinc" + "</div>" * 10000
    assert parse(src).blocks == [Block(50000, 50004)]


def test_ten_thousand_unclosed_nested_divs_each_hold_a_block() -> None:
    src = "<div>x" * 10000
    blocks = parse(src).blocks
    assert len(blocks) == 10000
    assert blocks[-1] == Block(len(src) - 1, len(src))


def test_unclosed_script_masks_to_the_end_without_a_warning() -> None:
    src = "<p>a</p><script>if (a<b) cure()"
    parsed = parse(src)
    assert visible_words(parsed.masked) == [(3, "a")]
    assert parsed.warnings == []


def test_end_tags_for_elements_never_opened_are_ignored() -> None:
    src = "</i></b><p>a</span></p>" + "</em>" * 5000
    assert parse(src).blocks == [Block(11, 12)]
