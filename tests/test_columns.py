"""Exact line, column and end column, as design.md §1 defines them."""


def spans(findings, rule):
    return [(f.line, f.column, f.end_line, f.end_column) for f in findings if f.rule == rule]


def test_hype_after_accented_letters_emoji_and_tab_is_at_code_point_column(lint):
    text = "Café ☕\tmiracle tea.\n"
    assert spans(lint(text, select=("HL401",)), "HL401") == [(1, 8, 1, 15)]


def test_crlf_file_reports_same_positions_as_lf(lint):
    lf = "Title\n\nOur tea is a miracle.\nIt is a breakthrough.\n"
    crlf = lf.replace("\n", "\r\n")
    assert spans(lint(lf, select=("HL401",)), "HL401") == [(3, 14, 3, 21), (4, 9, 4, 21)]
    assert spans(lint(crlf, select=("HL401",)), "HL401") == spans(lint(lf, select=("HL401",)), "HL401")


def test_claim_span_covers_exactly_the_claim_phrase(lint):
    text = "FMT can help restore the gut barrier.\n"
    [finding] = [f for f in lint(text) if f.rule == "HL101"]
    assert (finding.line, finding.column, finding.end_column) == (1, 5, 21)
    assert finding.matched == "can help restore"


def test_phrase_wrapped_across_lines_is_found_and_ends_on_the_next_line(lint):
    text = "Our formula is clinically\nproven to reduce joint pain.\n"
    [finding] = [f for f in lint(text) if f.rule == "HL103"]
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 16, 2, 7)
