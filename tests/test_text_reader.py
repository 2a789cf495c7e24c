"""The plain-text reader: paragraphs and headings inferred from line layout."""

from __future__ import annotations

from healthlint.documents import parse_document
from healthlint.documents.text import parse

LEAFLET = (
    "Breast cancer risk is small but real [1]. Clots are rarer [2].\n"
    "\n"
    "References\n"
    "----------\n"
    "[1] National Institute for Health and Care Excellence. Menopause: diagnosis\n"
    "    and management. NICE guideline NG23. London: NICE; 2015.\n"
    "[2] Collaborative Group on Hormonal Factors in Breast Cancer. Lancet\n"
    "    2019;394:1159-68.\n"
)


def _blocks(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in parse(text).blocks]


def test_an_underlined_line_is_a_heading_and_its_underline_is_in_no_block():
    text = "Contact us\n==========\nCall the clinic on 0113 496 0000.\n"
    assert _blocks(text) == [("heading", "Contact us"), ("paragraph", "Call the clinic on 0113 496 0000.")]


def test_an_underlined_references_heading_starts_a_reference_list_that_markers_resolve_to(lint):
    assert [kind for kind, _ in _blocks(LEAFLET)] == ["paragraph", "heading", "paragraph", "paragraph"]
    doc = parse_document("leaflet.txt", LEAFLET)
    assert doc.in_reference_list(LEAFLET.index("National")) and doc.in_reference_list(LEAFLET.index("Lancet"))
    assert [f.rule for f in lint(LEAFLET, "leaflet.txt", select=("HL110",))] == []


def test_a_sentence_over_a_line_of_dashes_is_not_made_a_heading():
    text = "We saw many patients this year, and most did well.\n---\n"
    assert _blocks(text) == [("paragraph", text.rstrip("\n"))]


def test_wrapped_lines_without_an_underline_are_still_one_paragraph():
    text = "Hormone replacement therapy eases hot flushes for many women, and it\ncan also help with low mood.\n"
    assert _blocks(text) == [("paragraph", text.rstrip("\n"))]


def test_the_last_line_of_a_wrapped_paragraph_over_a_separator_stays_in_its_paragraph():
    text = ("HRT eases hot flushes for many women and can also help with low\n"
            "mood. Breast cancer risk is small but real.[1]\n---\n")
    assert _blocks(text) == [("paragraph", text.rstrip("\n"))]


def test_a_negation_is_not_cut_from_its_claim_by_a_separator_below():
    text = "Sadly, no herbal tea ever\ncures arthritis (ask your GP)\n---\nMore.\n"
    first_kind, first_text = _blocks(text)[0]
    assert first_kind == "paragraph" and "no herbal tea ever\ncures arthritis" in first_text


def test_a_title_between_an_overline_and_an_underline_is_one_heading():
    text = "==========\nContact us\n==========\nCall us on 0113 496 0000.\n"
    assert _blocks(text) == [("heading", "Contact us"), ("paragraph", "Call us on 0113 496 0000.")]


def test_two_underlined_titles_in_a_row_are_two_headings():
    text = "Contact us\n----------\nReferences\n----------\n[1] NICE. Menopause. NG23; 2015.\n"
    assert _blocks(text) == [("heading", "Contact us"), ("heading", "References"),
                             ("paragraph", "[1] NICE. Menopause. NG23; 2015.")]


def test_an_underlined_question_is_a_heading_and_reads_as_a_question(lint):
    text = "Probiotics\n\nCan probiotics really boost immunity?\n-------------------------------------\n\nSome do, a little.\n"
    assert _blocks(text)[1] == ("heading", "Can probiotics really boost immunity?")
    assert [f.rule for f in lint(text, "leaflet.txt", select=("HL101",))] == []
