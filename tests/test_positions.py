from healthlint.positions import LineIndex


def test_columns_count_code_points_and_lines_end_at_any_line_break():
    text = "é☕\tx\r\nab\rcd\ne"
    index = LineIndex(text)
    assert index.line_col(0) == (1, 1)
    assert index.line_col(3) == (1, 4)  # after é, ☕ and a tab: column 4
    assert index.line_col(text.index("b")) == (2, 2)
    assert index.line_col(text.index("d")) == (3, 2)
    assert index.line_col(text.index("e", 5)) == (4, 1)


def test_form_feed_and_unicode_separators_do_not_end_lines():
    index = LineIndex("a\x0cb\u2028c\x85d")
    assert index.count == 1
    assert index.line_col(6) == (1, 7)
