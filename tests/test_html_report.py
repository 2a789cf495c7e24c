"""The HTML audit report: same numbers as JSON, hostile text escaped, self-contained, stable."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from healthlint.cli import main
from healthlint.finding import Finding
from healthlint.reporters import Report, html_report, render, svg_charts
from healthlint.ruleset import Rule

ROOT = Path(__file__).resolve().parents[1]
REPORT_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section", "article",
    "h1", "h2", "h3", "p", "span", "strong", "code", "mark", "dl", "dt", "dd", "div", "figure",
    "figcaption", "table", "caption", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "details",
    "summary", "fieldset", "legend", "label", "input", "button", "script",
    "svg", "line", "text", "rect", "a", "g",
}
HOSTILE = '<script>alert(1)</script> "><img src=x onerror="alert(2)"> \'><svg onload=alert(3)>'


class Page(HTMLParser):
    """Every tag and attribute of a page, the text of its inline script and style, and stats."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stats: dict[str, int] = {}
        self.category_totals: dict[str, int] = {}
        self.inline: dict[str, str] = {"script": "", "style": ""}
        self.text: list[str] = []
        self._open: str | None = None
        self._stat: str | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in self.inline:
            self._open = tag
        self._stat = attributes.get("data-stat") or (
            "category:" + attributes["data-category-total"] if "data-category-total" in attributes else None
        )

    def handle_endtag(self, tag: str) -> None:
        self._open = None
        self._stat = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.inline[self._open] += data
        elif self._stat and self._stat.startswith("category:"):
            self.category_totals[self._stat.split(":", 1)[1]] = int(data.replace(",", ""))
        elif self._stat:
            self.stats[self._stat] = int(data.replace(",", ""))
        self.text.append(data)

    def elements(self, tag: str, css_class: str | None = None) -> list[dict[str, str | None]]:
        return [
            attrs for name, attrs in self.tags
            if name == tag and (css_class is None or css_class in (attrs.get("class") or "").split())
        ]


@pytest.fixture(scope="module")
def audit(tmp_path_factory) -> dict[str, object]:
    """The fixtures and seed articles, copied (other work may add files meanwhile), as JSON and HTML."""
    root = tmp_path_factory.mktemp("audit")
    shutil.copytree(ROOT / "fixtures", root / "articles" / "fixtures")
    seeds = Path("/work/shared/seeds")
    if seeds.is_dir():
        shutil.copytree(seeds, root / "articles" / "seeds")
    out = {fmt: report_of(root, fmt, "1") for fmt in ("json", "html")}
    return {"json": json.loads(out["json"]), "html": out["html"], "root": root}


def report_of(root: Path, fmt: str, jobs: str) -> str:
    target = root / f"report-{jobs}.{fmt}"
    main(["check", "--format", fmt, "--output", str(target), "--jobs", jobs, str(root / "articles")])
    return target.read_text(encoding="utf-8")


def test_summary_numbers_equal_the_json_output_for_the_same_run(audit):
    data, page = audit["json"], Page(audit["html"])
    summary = data["summary"]
    assert page.stats == {
        "files": summary["files"], "findings": summary["findings"], "errors": summary["errors"],
        "warnings": summary["warnings"], "infos": summary["infos"],
        "files-with-findings": len({f["path"] for f in data["findings"]}),
    }
    categories: dict[str, int] = {}
    for finding in data["findings"]:
        categories[finding["category"]] = categories.get(finding["category"], 0) + 1
    assert page.category_totals == categories
    items = page.elements("li", "finding")
    assert len(items) == summary["findings"]
    assert [(i["data-category"], i["data-severity"]) for i in items] == [
        (f["category"], f["severity"]) for f in sorted(data["findings"], key=lambda f: f["path"])
    ]


def test_every_finding_links_to_its_rule_explained_once_with_references(audit, builtin_rules):
    page = Page(audit["html"])
    links = [attrs["href"] for name, attrs in page.tags if name == "a" and attrs.get("aria-expanded")]
    assert links == [f"#rule-{f['rule']}" for f in sorted(audit["json"]["findings"], key=lambda f: f["path"])]
    assert ["#" + str(attrs["id"]) for attrs in page.elements("div", "rule-entry")] == sorted(set(links))
    rules = {r.id: r for r in builtin_rules}
    for rule in {f["rule"] for f in audit["json"]["findings"]}:
        assert page.text.count(rules[rule].why) == 1
        assert set(rules[rule].references) <= set(page.text)


def hostile_report(builtin_rules: list[Rule], text: str = HOSTILE) -> Report:
    rule = next(r for r in builtin_rules if r.id == "HL401")
    hostile_rule = Rule(
        id="X1", name="hostile-rule", category="hype", severity="error", kind="phrase",
        message="m", why=text, references=[text, "https://example.org/ref"], path="x.yaml",
    )
    line = f"Miracle cure {text} end"
    findings = [
        Finding(path=f"articles/{text}.md", line=2, column=1, end_line=2, end_column=8, rule=rule.id,
                name=rule.name, category=rule.category, severity="warning", message=f'"{text}" is hype',
                suggestion=text, matched="Miracle", source_line=line),
        Finding(path=f"articles/{text}.md", line=3, column=14, end_line=3, end_column=14 + len(text),
                rule="X1", name="hostile-rule", category="hype", severity="error", message=text,
                matched=text, source_line=line),
    ]
    return Report(findings, [f"articles/{text}.md", "articles/clean.md"], {rule.id: rule, "X1": hostile_rule},
                  [f"articles/{text}.txt: cannot be read"])


def test_hostile_text_from_articles_paths_messages_and_rules_is_escaped(builtin_rules):
    markup = render("html", hostile_report(builtin_rules))
    page = Page(markup)
    assert [name for name, _ in page.tags].count("script") == 1
    assert not [name for name, _ in page.tags if name in ("img", "iframe", "object", "embed", "link", "base")]
    assert not [(name, attr) for name, attrs in page.tags for attr in attrs if attr.lower().startswith("on")]
    assert {name for name, _ in page.tags} <= REPORT_TAGS  # not one element from the hostile text
    assert "alert" not in page.inline["script"]
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 8  # path, message, source line, suggestion, why, reference, error, chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img" in markup


def test_references_are_text_not_links(builtin_rules):
    page = Page(render("html", hostile_report(builtin_rules)))
    assert "https://example.org/ref" in "".join(page.text)
    assert all((attrs.get("href") or "#").startswith("#") for _, attrs in page.tags)


def test_report_is_self_contained_with_a_policy_that_allows_only_its_own_script_and_style(audit):
    markup = audit["html"]
    page = Page(markup)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.IGNORECASE)
    assert not page.elements("link")
    assert not [attrs for _, attrs in page.tags if "src" in attrs]
    assert not [attrs for _, attrs in page.tags if "style" in attrs]  # the policy would block them
    assert "@import" not in page.inline["style"] and "url(" not in page.inline["style"]
    [policy] = [attrs["content"] for _, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == f"'{sha256(page.inline['script'])}'"
    assert directives["style-src"] == f"'{sha256(page.inline['style'])}'"
    assert directives["form-action"] == "'none'" and directives["base-uri"] == "'none'"


def sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def test_report_is_deterministic_across_runs_and_job_counts(audit):
    outputs = [report_of(audit["root"], "html", jobs) for jobs in ("1", "2", "3")]
    assert outputs == [audit["html"]] * 3


def test_a_run_without_findings_says_so(tmp_path, capsys):
    article = tmp_path / "walk.txt"
    article.write_text("A short walk after dinner.\n", encoding="utf-8")
    assert main(["check", "--format", "html", "--select", "HL401", str(article)]) == 0
    page = Page(capsys.readouterr().out)
    assert page.stats == {"files": 1, "files-with-findings": 0, "findings": 0, "errors": 0, "warnings": 0, "infos": 0}
    assert "No findings." in page.text
    assert not page.elements("svg")


def finding_on(line: str, column: int, end_column: int, end_line: int = 1) -> Finding:
    return Finding(path="a.md", line=1, column=column, end_line=end_line, end_column=end_column, rule="HL401",
                   name="hype-language", category="hype", severity="warning", message="m", source_line=line)


def test_highlight_marks_the_span_by_code_point_columns():
    line = "😀 é\tThe <b>miracle</b> cure"
    start = line.index("miracle") + 1
    assert html_report._highlight(finding_on(line, start, start + 7)) == (
        "😀 é\tThe &lt;b&gt;<mark>miracle</mark>&lt;/b&gt; cure"
    )


def test_highlight_of_a_span_that_runs_onto_later_lines_goes_to_the_end_of_the_line():
    assert html_report._highlight(finding_on("  Studies show that", 3, 5, end_line=2)) == (
        "<mark>Studies show that</mark>"
    )


def test_highlight_of_an_empty_span_is_a_caret_where_something_is_missing():
    assert html_report._highlight(finding_on("Buy now", 4, 4)) == 'Buy<mark class="point" title="here"></mark> now'


def test_highlight_cuts_a_long_line_at_words_around_the_span():
    words = " ".join(f"word{i}" for i in range(200))
    line = f"{words} miracle {words}"
    start = len(words) + 2
    shown = html_report._highlight(finding_on(line, start, start + 7))
    before, _, after = shown.partition("<mark>miracle</mark>")
    assert before.startswith("…word") and after.endswith("…")
    assert re.fullmatch(r"…(word\d+ )+", before) and re.fullmatch(r"( word\d+)+…", after)
    assert len(before) <= html_report.CONTEXT_CHARS + 1 and len(after) <= html_report.CONTEXT_CHARS + 1


def test_large_counts_have_thousands_separators():
    findings = [finding_on("Miracle", 1, 8)] * 1234
    page = Page(render("html", Report(findings, ["a.md"])))
    assert page.stats["findings"] == 1234 and ">1,234</dd>" in render("html", Report(findings, ["a.md"]))


def test_chart_labels_keep_the_file_name_of_a_long_path():
    assert svg_charts._shorten("articles/2024/clinic/blog/shockwave-therapy.md", 30) == "…/blog/shockwave-therapy.md"
    assert svg_charts._shorten("a/an-extremely-long-file-name-for-a-chart.md", 20) == "…name-for-a-chart.md"
    assert svg_charts._shorten("short.md", 20) == "short.md"
