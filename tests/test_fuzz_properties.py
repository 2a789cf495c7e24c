"""The whole pipeline on generated text, Markdown and HTML: parse + lint never raises.

Whatever a content repository holds, every finding must point at real characters:
its span lies inside the text, ``text[start:end]`` is the text it reports as matched, and
its line and column name the same place as its offset. The readers' own invariants hold
on the way (masked text as long as the source, line breaks in place, blocks sorted,
disjoint and inside the text), no built-in rule runs out of time on a small document,
and linting twice gives the same findings.

The generators favour what breaks parsers: markup fragments with no partner, deep
nesting, unusual line breaks, NULs, byte-order marks and the phrases that make rules
fire. ``fuzz/fuzz_healthlint.py`` runs the same property far longer, and with atheris.
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from healthlint.documents import parse_document
from healthlint.encoding import decode_bytes
from healthlint.engine import TIMEOUT_RULE, Linter, Selection
from healthlint.finding import Finding
from healthlint.lexicons import builtin_rules_dir
from healthlint.positions import LineIndex
from healthlint.ruleset import load_rules

SUFFIX = {"text": "txt", "markdown": "md", "html": "html"}
PROSE = [
    "Studies show", "this miracle cure", "works.", "Dr. Lee", "e.g.", "the U.S. FDA",
    "may help some people", "There is no cure.", "no side effects", "clinically proven",
    "[1]", "[^1]", "Buy now!", "This is not medical advice.", "consult your doctor",
    "Sponsored by Acme.", "restores gut health", "a breakthrough", "100% safe", "[2-4]",
]
ODD = [
    "\n", "\n\n", "\r\n", "\r", "\t", " ", "    ", "\x00", "\ufeff", "\u00a0", "\u2028",
    "\u200b", "\x0c", "é", "😀", "中文", "\ufffd", "\\", "&", "&amp;", "&#0;", "&#x110000;",
    "&nbsp", "<", ">", '"', "'", "=", "`", "*", "_", "[", "]", "(", ")", "{", "}", "|", "#",
    "healthlint-disable HL401", "healthlint-disable-next-line", "healthlint-enable",
    "ruleid: HL401", "https://cure.example/miracle", "www.x.org/cure", "a@b.example",
]
MARKDOWN = [
    "# ", "## ", "###### ", "- ", "* ", "+ ", "1. ", "2) ", "> ", ">> ", "```", "~~~", "```python\n",
    "---\n", "***\n", "===\n", "[^1]: ", "[1]: https://x.example ", "[a](", "](#ref1)", "![",
    "<!--", "-->", "<!-- healthlint-disable HL401 -->", "<!-- healthlint-enable -->",
    "| a | b |\n|---|---|\n", "| ", "**", "~~", "$$", "<div>", "</div>", "<sup>1</sup>",
    "---\ntitle: Miracle\nprofile: advertising\nauthor: \n---\n", "---\n: [\n---\n",
    "<https://x.example>", "\\*", "- [ ] ", "^[note]", "[ref]: <", "    code\n",
]
HTML = [
    "<p>", "</p>", "<div>", "</div>", "<ul>", "<li>", "</li>", "<ol start=3>", "<table><tr><td>",
    "</td><td>", "<br>", "<br/>", "<b>", "</i>", "<a href=\"#ref1\">", "<a href='https://x'>",
    "</a>", "<sup>", "</sup>", "<h1>", "</h2>", "<script>", "</script>", "<style>", "</style>",
    "<!--", "-->", "<!-- healthlint-disable -->", "<![CDATA[", "]]>", "<?xml x?>", "<!DOCTYPE html>",
    "<title>", "</title>", "<meta name=\"author\" content=\"Dr. Lee\">", "<img alt=\"cure\">",
    "<blockquote>", "<pre>", "</pre>", "<code>", "<template>", "<noscript>", "<textarea>",
    "<p class=\"x", "<a href=", "</", "<!", "<!-", "<x y=\"<\">", "&lt;", "&#x3c;", "&amp",
]
NESTABLE = {
    "text": ["- ", "  ", "> ", "(", "1. "],
    "markdown": ["> ", "- ", "  - ", "* ", "1. ", "[", "(", "*", "_", "`", "<div>", "<!--", "    "],
    "html": ["<div>", "<ul><li>", "<b>", "<p>", "<table><tr><td>", "<!--", "<a href=x>", "<"],
}
TOKENS = {"text": PROSE + ODD, "markdown": PROSE + ODD + MARKDOWN, "html": PROSE + ODD + HTML}


def documents(fmt: str) -> st.SearchStrategy[str]:
    """Token soup of the format's syntax and rule-triggering prose, some of it nested deep."""
    piece = st.one_of(st.sampled_from(TOKENS[fmt]), st.text(max_size=6))
    soup = st.lists(piece, max_size=50).map("".join)
    nested = st.builds(
        lambda opener, depth, body: opener * depth + body,
        st.sampled_from(NESTABLE[fmt]), st.integers(0, 120), soup,
    )
    return st.one_of(soup, nested, st.lists(st.one_of(soup, nested), max_size=3).map("\n\n".join))


@cache
def linter() -> Linter:
    """The built-in rules under the default profile, compiled once for every example."""
    return Linter(load_rules([builtin_rules_dir()]), Selection())


def check_pipeline(text: str, fmt: str) -> list[Finding]:
    """Parse and lint ``text`` as ``fmt``, asserting every invariant; return the findings."""
    doc = parse_document(f"fuzz.{SUFFIX[fmt]}", text, fmt)
    assert len(doc.masked) == len(text)
    assert all(doc.masked[i] == ch for i, ch in enumerate(text) if ch in "\r\n")
    end = 0
    for block in doc.blocks:
        assert end <= block.start <= block.end <= len(text), (block, end)
        end = block.end
    findings = linter().lint(doc)
    index = LineIndex(text)
    for finding in findings:
        start = index.line_start(finding.line) + finding.column - 1
        stop = index.line_start(finding.end_line) + finding.end_column - 1
        assert 0 <= start <= stop <= len(text), finding
        assert index.line_col(start) == (finding.line, finding.column), finding
        assert index.line_col(stop) == (finding.end_line, finding.end_column), finding
        if finding.matched:
            assert text[start:stop] == finding.matched, finding
        else:  # a point finding (something missing) still covers one column
            assert stop - start <= 1, finding
        assert finding.rule != TIMEOUT_RULE[0], finding.message
    assert linter().lint(parse_document(f"fuzz.{SUFFIX[fmt]}", text, fmt)) == findings
    return findings


FUZZ_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@FUZZ_SETTINGS
@given(documents("text"))
def test_plain_text_pipeline_never_raises_and_findings_point_at_their_text(text):
    check_pipeline(text, "text")


@FUZZ_SETTINGS
@given(documents("markdown"))
@example("[^1]: - [^1]: ")  # found by the fuzzer: footnote_tail left closes without opens
@example("> [^1]: - [^1]: x\n> more\n\nA miracle.\n")
def test_markdown_pipeline_never_raises_and_findings_point_at_their_text(text):
    check_pipeline(text, "markdown")


@FUZZ_SETTINGS
@given(documents("html"))
def test_html_pipeline_never_raises_and_findings_point_at_their_text(text):
    check_pipeline(text, "html")


@FUZZ_SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(list(SUFFIX)))
def test_any_bytes_are_linted_or_skipped_as_binary_with_a_notice(data, fmt):
    text, notices = decode_bytes(data, "fuzz")
    if text is None:
        assert notices == ["fuzz: skipped: binary file (not text)"]
    else:
        check_pipeline(text, fmt)


@FUZZ_SETTINGS
@given(st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=300).filter(lambda t: not t.startswith("\ufeff")))
def test_valid_utf8_is_never_altered(text):
    """Read as it is, or skipped as binary; never re-read as another encoding. (Without
    NULs: a NUL before every character is what UTF-16 without a byte-order mark looks like.)"""
    decoded, _ = decode_bytes(text.encode("utf-8"), "fuzz")
    assert decoded in (text, None)


def test_the_generators_reach_the_rules():
    """A property that never sees a finding would check nothing: this one sees many."""
    findings = check_pipeline("Studies show this miracle cure works.\n\nBuy now!\n", "markdown")
    assert {"HL102", "HL401"} <= {f.rule for f in findings}
