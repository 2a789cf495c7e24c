"""Inline suppression comments in Markdown, HTML and plain text (design.md §1)."""

from __future__ import annotations


def rules_by_line(findings):
    return sorted((f.line, f.rule) for f in findings)


def test_disable_next_line_suppresses_only_that_rule_on_the_next_prose_line(lint):
    text = "A miracle tea.\n\n<!-- healthlint-disable-next-line HL401 -->\nA miracle tea.\n\nA miracle tea.\n"
    assert rules_by_line(lint(text, path="a.md", select=("HL401", "HL900"))) == [(1, "HL401"), (6, "HL401")]


def test_disable_and_enable_bracket_a_region_and_accept_rule_names(lint):
    text = (
        "<!-- healthlint-disable hype-language -->\n\nA miracle tea.\n\nA breakthrough.\n\n"
        "<!-- healthlint-enable hype-language -->\n\nA miracle tea.\n"
    )
    assert rules_by_line(lint(text, path="a.md", select=("HL401", "HL900"))) == [(9, "HL401")]


def test_disable_without_rules_suppresses_every_rule_to_the_end(lint):
    text = "Tea cures colds.\n\n<!-- healthlint-disable -->\n\nA miracle tea cures colds.\n"
    assert rules_by_line(lint(text, path="a.md", select=("HL401", "HL203", "HL900"))) == [(1, "HL203")]


def test_disable_line_in_html_suppresses_its_own_line(lint):
    html = "<p>A miracle tea. <!-- healthlint-disable-line HL401 --></p>\n<p>A miracle tea.</p>\n"
    assert rules_by_line(lint(html, path="a.html", select=("HL401", "HL900"))) == [(2, "HL401")]


def test_plain_text_uses_hash_lines_which_are_not_prose(lint):
    text = "# healthlint-disable-next-line HL401\nA miracle tea.\nA miracle tea, again and again and again.\n"
    assert rules_by_line(lint(text, path="a.txt", select=("HL401", "HL900"))) == [(3, "HL401")]


def test_suppression_that_suppresses_nothing_is_reported_where_it_stands(lint):
    text = "Plain tea.\n\n<!-- healthlint-disable-next-line HL401 -->\nPlain tea.\n"
    [finding] = lint(text, path="a.md", select=("HL401", "HL900"))
    assert (finding.rule, finding.line, finding.column) == ("HL900", 3, 1)
    assert "HL401" in finding.message


def test_a_suppression_of_rules_this_run_leaves_off_is_not_reported_as_unused(lint):
    text = "Plain tea.\n\n<!-- healthlint-disable-next-line HL401 -->\nA miracle tea.\n"
    assert lint(text, path="a.md", select=("HL203", "HL900")) == []  # HL401 runs in CI, not here
    both = "Plain tea.\n\n<!-- healthlint-disable-next-line HL401, HL203 -->\nPlain tea.\n"
    [finding] = lint(both, path="a.md", select=("HL203", "HL900"))  # HL203 runs and found nothing there
    assert finding.rule == "HL900"


def test_a_suppression_of_a_rule_the_profile_leaves_off_is_reported(lint):
    text = "Plain tea.\n\n<!-- healthlint-disable-next-line HL201 -->\nOur tea treats arthritis.\n"
    assert "HL900" in {f.rule for f in lint(text, path="a.md")}  # HL201 is off in the article profile


def test_a_suppression_naming_an_unknown_rule_is_still_reported(lint):
    text = "Plain tea.\n\n<!-- healthlint-disable-next-line HL4O1 -->\nA miracle tea.\n"
    rules = sorted(f.rule for f in lint(text, path="a.md", select=("HL401", "HL900")))
    assert rules == ["HL401", "HL900"]
