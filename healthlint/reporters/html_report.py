"""A self-contained HTML audit report for people who do not read linter output.

One file, no external scripts, fonts, styles or images, so it works offline and as an
e-mail attachment: a summary (counts, a chart of findings by category, a chart of the
files with most findings, tables by category and rule), then every finding in the context
of its line, with its suggestion and the rule's explanation and references (written once
per rule at the end, shown under the finding on a click). Checkboxes filter by category
and severity through a small inline script; without scripts (most mail clients) the page
shows every finding and the explanation links jump to the end.

Every string that comes from an article, a path, a message or a rule file is escaped.
As defence in depth the page carries a Content-Security-Policy that allows nothing but
the one ``<style>`` and the one ``<script>`` shipped here, by their SHA-256 hashes
(computed at render time, so editing either cannot silently break the policy): even a
missed escape could not run a script, load an image or submit a form.

The output is deterministic — no timestamps, every list sorted — so two runs over the
same files give the same bytes and reports can be compared with ``diff``.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import Counter, defaultdict

from healthlint import __version__
from healthlint.finding import Finding
from healthlint.reporters import Report
from healthlint.reporters.svg_charts import Bar, bar_chart
from healthlint.ruleset import CATEGORIES, Rule
from healthlint.statistics import rule_counts

SEVERITIES = ("error", "warning", "info")  # most severe first
CATEGORY_LABELS = {
    "disclaimer": ("Disclaimer", "a required disclaimer is missing, incomplete or misplaced"),
    "claim": ("Claim", "efficacy, cure or prevention claims that no evidence nearby supports"),
    "hype": ("Hype", "sensational or promotional superlatives"),
    "citation": ("Citation", "appeals to research, experts or proof with no citation"),
    "safety": ("Safety", "absolute safety claims; treatments with no mention of risks"),
    "promotion": ("Promotion", "calls to action, pressure, testimonials, undisclosed interests"),
    "transparency": ("Transparency", "missing author, credentials, dates or sponsorship disclosure"),
    "balance": ("Balance", "no alternatives, no uncertainty, benefits never quantified"),
    "readability": ("Readability", "text too hard for its stated audience"),
}
WORST_FILES = 10
CONTEXT_CHARS = 180  # of a long line, show this much on each side of the highlighted span


def render(report: Report) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_path[finding.path].append(finding)
    paths = sorted(set(report.files) | set(by_path))
    anchors = {path: f"file-{number}" for number, path in enumerate(paths, 1)}
    body = "".join([
        _header(report),
        _summary(report, by_path, anchors),
        _errors(report.errors),
        _findings(report, by_path, anchors),
        _clean_files([p for p in paths if p not in by_path]),
        _rules_explained(report),
        _footer(),
    ])
    csp = (
        f"default-src 'none'; style-src '{_sha256(STYLE)}'; script-src '{_sha256(SCRIPT)}'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="healthlint {_e(__version__)}">\n'
        "<title>healthlint report</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _footer() -> str:
    return (
        f'<footer class="page-foot">healthlint {_e(__version__)} · findings point at line and column '
        "(counted in characters) of each file as given on the command line.</footer>"
    )


def _header(report: Report) -> str:
    files = len(report.files)
    return (
        '<header class="page-head"><p class="brand">healthlint</p>'
        "<h1>Health content audit</h1>"
        f'<p class="lede">{files:,} {_plural(files, "file")} checked for missing disclaimers, '
        "unsupported claims, uncited research, hype and other problems.</p></header>\n"
    )


def _summary(report: Report, by_path: dict[str, list[Finding]], anchors: dict[str, str]) -> str:
    counts = report.counts()
    cards = [
        ("files", "Files scanned", len(report.files), ""),
        ("files-with-findings", "Files with findings", len(by_path), ""),
        ("findings", "Findings", len(report.findings), ""),
        ("errors", "Errors", counts["errors"], " sev-error"),
        ("warnings", "Warnings", counts["warnings"], " sev-warning"),
        ("infos", "Info", counts["infos"], " sev-info"),
    ]
    html_cards = "".join(
        f'<div class="card{css}"><dt>{label}</dt><dd data-stat="{key}">{value:,}</dd></div>'
        for key, label, value, css in cards
    )
    parts = [
        '<section class="summary" aria-labelledby="summary-title">',
        '<h2 id="summary-title">Summary</h2>',
        f'<dl class="cards">{html_cards}</dl>',
    ]
    if report.findings:
        worst = min(WORST_FILES, len(by_path))
        parts.append('<div class="grid">')
        parts.append(_figure("Findings by category", _category_chart(report.findings)))
        parts.append(_category_table(report.findings))
        parts.append(_figure(
            f"The {worst} {_plural(worst, 'file')} with the most findings" if len(by_path) > 1
            else "Findings in the file", _worst_files_chart(by_path, anchors), wide=True,
        ))
        parts.append(_rule_table(report.findings, report.rules))
        parts.append("</div>")
    parts.append("</section>\n")
    return "".join(parts)


def _figure(caption: str, chart: str, wide: bool = False) -> str:
    legend = "".join(f'<span class="key key-{s}"></span>{s.capitalize()}' for s in SEVERITIES)
    return (
        f'<figure class="panel{" wide" if wide else ""}"><figcaption>{_e(caption)}'
        f'<span class="legend" aria-hidden="true">{legend}</span></figcaption>{chart}</figure>'
    )


def _category_chart(findings: list[Finding]) -> str:
    per_category = _by_category_and_severity(findings)
    bars = [
        Bar(
            _category_label(category),
            tuple((per_category[category][sev], f"bar-{sev}") for sev in SEVERITIES),
            tooltip=f"{category}: {_breakdown(per_category[category])}",
        )
        for category in _categories_by_count(findings)
    ]
    return bar_chart(bars, chart_id="chart-categories", title="Findings by category, by severity",
                     width=460, label_width=110)


def _worst_files_chart(by_path: dict[str, list[Finding]], anchors: dict[str, str]) -> str:
    def badness(path: str) -> tuple[int, int, int, str]:
        sev = Counter(f.severity for f in by_path[path])
        return (-len(by_path[path]), -sev["error"], -sev["warning"], path)

    bars = []
    for path in sorted(by_path, key=badness)[:WORST_FILES]:
        sev = Counter(f.severity for f in by_path[path])
        bars.append(Bar(
            path, tuple((sev[s], f"bar-{s}") for s in SEVERITIES),
            tooltip=f"{path}: {_breakdown(sev)}", href=f"#{anchors[path]}",
        ))
    return bar_chart(bars, chart_id="chart-files", title="Files with the most findings, by severity",
                     width=1000, label_width=400)


def _category_table(findings: list[Finding]) -> str:
    per_category = _by_category_and_severity(findings)
    rows = []
    for category in _categories_by_count(findings):
        label, description = CATEGORY_LABELS.get(category, (category, ""))
        sev = per_category[category]
        rows.append(
            f'<tr><th scope="row">{_e(label)}<span class="hint">{_e(description)}</span></th>'
            + "".join(f'<td class="num">{sev[s]:,}</td>' if sev[s] else '<td class="num"></td>' for s in SEVERITIES)
            + f'<td class="num total" data-category-total="{_e(category)}">{sum(sev.values()):,}</td></tr>'
        )
    return (
        '<div class="panel table-panel"><table><caption>Categories</caption>'
        '<thead><tr><th scope="col">Category</th><th scope="col" class="num">Errors</th>'
        '<th scope="col" class="num">Warnings</th><th scope="col" class="num">Info</th>'
        f'<th scope="col" class="num">Total</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _rule_link(rule_id: str, rules: dict[str, Rule]) -> str:
    code = f"<code>{_e(rule_id)}</code>"
    return f'<a href="#rule-{_e(rule_id)}">{code}</a>' if rule_id in rules else code


def _rule_table(findings: list[Finding], rules: dict[str, Rule]) -> str:
    rows = "".join(
        f'<tr><td class="num">{row.count:,}</td><td>{_rule_link(row.rule, rules)}</td>'
        f"<td>{_e(row.name)}</td><td>{_e(_category_label(row.category))}</td></tr>"
        for row in rule_counts(findings)
    )
    return (
        '<div class="panel table-panel wide"><table><caption>Findings by rule</caption>'
        '<thead><tr><th scope="col" class="num">Count</th><th scope="col">Rule</th>'
        '<th scope="col">Name</th><th scope="col">Category</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _errors(errors: list[str]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{_e(error)}</li>" for error in errors)
    return (
        '<section class="alert" aria-labelledby="errors-title">'
        f'<h2 id="errors-title">{len(errors):,} {_plural(len(errors), "file")} could not be checked</h2>'
        f"<p>This report does not cover {'it' if len(errors) == 1 else 'them'}.</p><ul>{items}</ul></section>\n"
    )


def _findings(report: Report, by_path: dict[str, list[Finding]], anchors: dict[str, str]) -> str:
    if not report.findings:
        return '<section class="files"><h2>Findings</h2><p class="empty">No findings.</p></section>\n'
    total = len(report.findings)
    parts = [
        '<section class="files" aria-labelledby="files-title">',
        '<h2 id="files-title">Findings by file</h2>',
        _filters(report.findings),
        (f'<p class="filter-status" aria-live="polite">Showing <strong id="shown-count">{total:,}</strong>'
         f" of {total:,} {_plural(total, 'finding')}.</p>"),
    ]
    for path in sorted(by_path):
        parts.append(_file_section(path, anchors[path], by_path[path], report.rules))
    parts.append("</section>\n")
    return "".join(parts)


def _filters(findings: list[Finding]) -> str:
    """Checkboxes, hidden until the script shows them: without a script they could not work."""
    severities = Counter(f.severity for f in findings)
    categories = Counter(f.category for f in findings)
    severity_boxes = "".join(
        _checkbox("severity", sev, sev.capitalize(), severities[sev]) for sev in SEVERITIES if severities[sev]
    )
    category_boxes = "".join(
        _checkbox("category", cat, _category_label(cat), categories[cat]) for cat in _categories_by_count(findings)
    )
    return (
        '<div class="filters" id="filters" hidden>'
        f'<fieldset><legend>Severity</legend>{severity_boxes}</fieldset>'
        f'<fieldset><legend>Category</legend>{category_boxes}'
        '<span class="filter-actions"><button type="button" data-check="all">All</button>'
        '<button type="button" data-check="none">None</button></span></fieldset></div>'
    )


def _checkbox(group: str, value: str, label: str, count: int) -> str:
    css = f" sev-{value}" if group == "severity" else ""
    return (
        f'<label class="check{css}"><input type="checkbox" name="{group}" value="{_e(value)}" checked>'
        f' {_e(label)} <span class="count">{count:,}</span></label>'
    )


def _file_section(path: str, anchor: str, findings: list[Finding], rules: dict[str, Rule]) -> str:
    sev = Counter(f.severity for f in findings)
    chips = "".join(
        f'<span class="chip sev-{s}">{_severity_count(sev[s], s)}</span>' for s in SEVERITIES if sev[s]
    )
    items = "".join(_finding(f, rules.get(f.rule)) for f in findings)
    n = len(findings)
    return (
        f'<article class="file" id="{anchor}" aria-labelledby="{anchor}-title">'
        f'<header class="file-head"><h3 id="{anchor}-title"><code>{_e(path)}</code></h3>'
        f'<p class="file-meta"><span class="file-count">{n:,} {_plural(n, "finding")}</span>'
        f"{chips}</p></header>"
        f'<ol class="findings">{items}</ol></article>\n'
    )


def _finding(finding: Finding, rule: Rule | None) -> str:
    sev = finding.severity
    where = f"line {finding.line}, column {finding.column}"
    parts = [
        f'<li class="finding sev-{_e(sev)}" data-category="{_e(finding.category)}" data-severity="{_e(sev)}">',
        '<div class="finding-head">',
        f'<span class="badge sev-{_e(sev)}">{_e(sev.capitalize())}</span>',
        f'<span class="rule"><code>{_e(finding.rule)}</code> {_e(finding.name)}</span>',
        f'<span class="category">{_e(_category_label(finding.category))}</span>',
        f'<span class="where">{where}</span></div>',
        f'<p class="message">{_e(finding.message)}</p>',
    ]
    if finding.source_line:
        parts.append(
            f'<div class="context"><span class="lineno" aria-label="line">{finding.line}</span>'
            f'<p class="source">{_highlight(finding)}</p></div>'
        )
    if finding.suggestion:
        parts.append(f'<p class="suggestion"><span class="label">Suggestion</span> {_e(finding.suggestion)}</p>')
    if rule is not None:
        parts.append(
            f'<p class="why-link"><a href="#rule-{_e(rule.id)}" aria-expanded="false">Why this matters</a></p>'
        )
    parts.append("</li>")
    return "".join(parts)


def _highlight(finding: Finding) -> str:
    """The finding's line, escaped, with its span marked; long lines cut around the span.

    Indentation is dropped (the line number stays). Columns count code points, as Python
    strings do. A span that runs onto later lines is marked to the end of this one; an
    empty span (where something is missing) gets a caret.
    """
    line = finding.source_line
    start = min(max(finding.column - 1, 0), len(line))
    end = len(line) if finding.end_line > finding.line else min(max(finding.end_column - 1, start), len(line))
    before, span, after = line[:start].lstrip(), line[start:end], line[end:]
    if len(before) > CONTEXT_CHARS:
        before = "…" + _from_word(before[-CONTEXT_CHARS:])
    if len(after) > CONTEXT_CHARS:
        after = _to_word(after[:CONTEXT_CHARS]) + "…"
    mark = f"<mark>{_e(span)}</mark>" if span else '<mark class="point" title="here"></mark>'
    return _e(before) + mark + _e(after)


def _from_word(text: str) -> str:
    cut = text.find(" ")
    return text[cut + 1:] if 0 <= cut < 25 else text


def _to_word(text: str) -> str:
    cut = text.rfind(" ")
    return text[:cut] if cut > len(text) - 25 else text


def _rules_explained(report: Report) -> str:
    """Each rule that fired, explained once, with its references.

    Findings link here rather than repeating the explanation: repeated, explanations were
    half of a 2,000-article report (26 MB, too big to mail). The script shows the
    explanation under the finding when its link is clicked; without a script the link jumps
    here. Printed, the report carries every explanation once.
    """
    fired = sorted({f.rule for f in report.findings if f.rule in report.rules})
    if not fired:
        return ""
    entries = []
    for rule in (report.rules[rule_id] for rule_id in fired):
        refs = "".join(f"<li>{_e(ref)}</li>" for ref in rule.references)
        if refs:
            refs = f'<p class="refs-title">References</p><ul class="refs">{refs}</ul>'
        entries.append(
            f'<div class="rule-entry" id="rule-{_e(rule.id)}"><dt><code>{_e(rule.id)}</code> {_e(rule.name)}'
            f' <span class="category">{_e(_category_label(rule.category))}</span></dt>'
            f'<dd class="rule-why"><p>{_e(rule.why)}</p>{refs}</dd></div>'
        )
    return (
        '<section class="rules" aria-labelledby="rules-title"><h2 id="rules-title">Why these findings matter</h2>'
        f'<dl class="panel rule-list">{"".join(entries)}</dl></section>\n'
    )


def _clean_files(paths: list[str]) -> str:
    if not paths:
        return ""
    items = "".join(f"<li><code>{_e(p)}</code></li>" for p in paths)
    return (
        '<section class="clean"><details><summary>'
        f"{len(paths):,} {_plural(len(paths), 'file')} with no findings</summary>"
        f'<ul class="clean-list">{items}</ul></details></section>\n'
    )


def _by_category_and_severity(findings: list[Finding]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in findings:
        table[finding.category][finding.severity] += 1
    return table


def _categories_by_count(findings: list[Finding]) -> list[str]:
    """Categories that occur, most findings first, ties in the order of design.md §1."""
    counts = Counter(f.category for f in findings)
    order = {category: i for i, category in enumerate(CATEGORIES)}
    return sorted(counts, key=lambda c: (-counts[c], order.get(c, len(order)), c))


def _category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, (category, ""))[0]


def _breakdown(severities: Counter[str]) -> str:
    return ", ".join(_severity_count(severities[s], s) for s in SEVERITIES if severities[s])


def _severity_count(n: int, severity: str) -> str:
    """``3 errors``, ``1 warning``, ``5 info``: "info" reads as a mass noun."""
    return f"{n:,} {severity if severity == 'info' else _plural(n, severity)}"


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _sha256(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


STYLE = """
:root {
  --text: #1f2933; --muted: #52606d; --line: #d9e2ec; --page: #f4f6f8; --panel: #ffffff;
  --accent: #1d4ed8;
  --error: #b42318; --error-bg: #fef3f2; --error-line: #fecdca; --error-bar: #d92d20;
  --warning: #93370d; --warning-bg: #fffaeb; --warning-line: #fedf89; --warning-bar: #f79009;
  --info: #175cd3; --info-bg: #eff8ff; --info-line: #b2ddff; --info-bar: #53b1fd;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--page); }
body { margin: 0; color: var(--text); font: 15px/1.55 var(--sans); }
main { max-width: 1080px; margin: 0 auto; padding: 32px 24px 48px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h1 { font-size: 28px; font-weight: 700; }
h2 { font-size: 20px; margin: 36px 0 14px; }
h3 { font-size: 15px; font-weight: 600; word-break: break-all; }
code { font-family: var(--mono); font-size: 0.92em; }
.brand { margin: 0 0 4px; color: var(--accent); font-weight: 700; letter-spacing: .08em;
  text-transform: uppercase; font-size: 12px; }
.lede { margin: 6px 0 0; color: var(--muted); max-width: 70ch; }
.panel, .card, .file, .alert { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 0; }
.card { padding: 14px 16px; }
.card dt { color: var(--muted); font-size: 13px; }
.card dd { margin: 2px 0 0; font-size: 28px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card.sev-error dd { color: var(--error); }
.card.sev-warning dd { color: var(--warning); }
.card.sev-info dd { color: var(--info); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 16px;
  margin-top: 16px; align-items: start; }
.wide { grid-column: 1 / -1; }
figure { margin: 0; padding: 16px; }
figcaption, caption { font-weight: 600; text-align: left; margin-bottom: 10px; }
figcaption { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 16px; }
.legend { display: inline-flex; align-items: center; gap: 6px; font-weight: 400; font-size: 12.5px;
  color: var(--muted); }
.key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-left: 6px; }
.key-error { background: var(--error-bar); }
.key-warning { background: var(--warning-bar); }
.key-info { background: var(--info-bar); }
.chart { width: 100%; height: auto; display: block; font-family: var(--sans); }
.chart-label, .chart-value { font-size: 13px; fill: var(--text); }
.chart-value { font-variant-numeric: tabular-nums; }
.chart-tick { font-size: 11px; fill: var(--muted); }
.chart-grid { stroke: var(--line); stroke-width: 1; }
a.chart-row:hover .chart-label, a.chart-row:focus .chart-label { fill: var(--accent); text-decoration: underline; }
.bar-error { fill: var(--error-bar); }
.bar-warning { fill: var(--warning-bar); }
.bar-info { fill: var(--info-bar); }
.table-panel { padding: 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; font-size: 13px; }
tbody th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.total { font-weight: 700; }
.hint { display: block; font-weight: 400; color: var(--muted); font-size: 12.5px; }
.alert { margin-top: 24px; padding: 16px 20px; border-color: var(--error-line); background: var(--error-bg); }
.alert h2 { margin: 0 0 4px; font-size: 17px; color: var(--error); }
.alert p { margin: 0 0 6px; }
.filters { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 8px 28px;
  padding: 12px 16px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  box-shadow: 0 2px 6px rgba(15, 23, 42, .06); }
.filters[hidden] { display: none; }
fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; }
legend { float: left; margin-right: 6px; font-weight: 600; font-size: 13px; color: var(--muted); }
.check { display: inline-flex; align-items: center; gap: 4px; padding: 3px 10px 3px 6px; font-size: 13.5px;
  border: 1px solid var(--line); border-radius: 999px; cursor: pointer; user-select: none; }
.check:has(input:not(:checked)) { color: var(--muted); background: var(--page); text-decoration: line-through; }
.check input { margin: 0; accent-color: var(--accent); }
.check .count { color: var(--muted); font-variant-numeric: tabular-nums; }
.filter-actions { display: inline-flex; gap: 6px; margin-left: 4px; }
button { font: inherit; font-size: 13px; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--panel); color: var(--accent); cursor: pointer; }
button:hover { background: var(--page); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.filter-status { color: var(--muted); margin: 12px 2px; font-size: 14px; }
.file { margin: 0 0 16px; overflow: hidden; }
.file[hidden] { display: none; }
.file-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 6px 16px;
  padding: 12px 16px; background: #f8fafc; border-bottom: 1px solid var(--line); }
.file-meta { margin: 0; display: flex; gap: 6px; align-items: baseline; font-size: 13px; color: var(--muted); }
.file-count { margin-right: 4px; }
.chip, .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  border: 1px solid; white-space: nowrap; }
.sev-error.chip, .sev-error.badge { color: var(--error); background: var(--error-bg); border-color: var(--error-line); }
.sev-warning.chip, .sev-warning.badge { color: var(--warning); background: var(--warning-bg); border-color: var(--warning-line); }
.sev-info.chip, .sev-info.badge { color: var(--info); background: var(--info-bg); border-color: var(--info-line); }
.findings { list-style: none; margin: 0; padding: 0; }
.finding { padding: 14px 16px 14px 13px; border-top: 1px solid var(--line); border-left: 3px solid transparent; }
.finding:first-child { border-top: 0; }
.finding[hidden] { display: none; }
.finding.sev-error { border-left-color: var(--error-bar); }
.finding.sev-warning { border-left-color: var(--warning-bar); }
.finding.sev-info { border-left-color: var(--info-bar); }
.finding-head { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; font-size: 13.5px; }
.finding-head .rule { font-weight: 600; }
.finding-head .category { color: var(--muted); }
.finding-head .where { color: var(--muted); margin-left: auto; font-variant-numeric: tabular-nums; }
.message { margin: 6px 0 8px; font-size: 15px; }
.context { display: flex; align-items: baseline; gap: 10px; margin: 0 0 8px; padding: 8px 12px; background: #f8fafc;
  border: 1px solid var(--line); border-radius: 6px; }
.lineno { flex: none; min-width: 2.5ch; text-align: right; color: var(--muted); font: 12.5px/1.9 var(--mono);
  user-select: none; }
.source { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 14px; line-height: 1.7; }
mark { background: #fff3b0; color: inherit; padding: 1px 0; border-bottom: 2px solid var(--warning-bar); }
.sev-error mark { background: #fde2df; border-bottom-color: var(--error-bar); }
.sev-info mark { background: #e0efff; border-bottom-color: var(--info-bar); }
mark.point { display: inline-block; width: 2px; height: 1.2em; padding: 0; vertical-align: text-bottom;
  border: 0; background: var(--error-bar); }
.suggestion { margin: 0 0 8px; font-size: 14px; }
.label { font-weight: 600; color: #067647; margin-right: 4px; }
.why-link { margin: 0; font-size: 13.5px; }
a { color: var(--accent); }
.why-link a { text-decoration: none; }
.why-link a::before { content: "▸ "; }
.why-link a[aria-expanded="true"]::before { content: "▾ "; }
.why-link a:hover { text-decoration: underline; }
.why, .rule-why { font-size: 13.5px; color: var(--muted); }
.why { margin: 4px 0 0 14px; padding-left: 12px; border-left: 2px solid var(--line); }
.why p, .rule-why p { margin: 6px 0; max-width: 80ch; }
.refs-title { font-weight: 600; margin-bottom: 2px; color: var(--text); }
.rule-list { margin: 0; padding: 4px 16px; }
.rule-entry { padding: 12px 0; border-top: 1px solid var(--line); }
.rule-entry:first-child { border-top: 0; }
.rule-entry:target { background: var(--warning-bg); margin: 0 -16px; padding: 12px 16px; }
.rule-entry dt { font-weight: 600; }
.rule-entry .category { color: var(--muted); font-weight: 400; margin-left: 6px; }
.rule-why { margin: 0; }
.refs { margin: 0; padding-left: 20px; }
.clean { margin-top: 24px; }
.clean summary { cursor: pointer; font-weight: 600; }
.clean-list { columns: 2 320px; padding-left: 20px; font-size: 13.5px; }
.empty { color: var(--muted); }
.page-foot { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
@media print {
  html { background: #fff; }
  main { max-width: none; padding: 0; }
  .filters, .filter-status, .why-link { display: none; }
  .finding, .card, figure { break-inside: avoid; }
  .file-head { break-after: avoid; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("p.why-link a");
    if (!link) { return; }
    event.preventDefault();
    var shown = link.parentNode.nextElementSibling;
    if (shown && shown.classList.contains("why")) {
      shown.remove();
      link.setAttribute("aria-expanded", "false");
      return;
    }
    var box = document.createElement("div");
    box.className = "why";
    var explained = document.getElementById(link.hash.slice(1)).querySelector(".rule-why");
    Array.prototype.forEach.call(explained.childNodes, function (node) {
      box.appendChild(node.cloneNode(true));
    });
    link.parentNode.after(box);
    link.setAttribute("aria-expanded", "true");
  });

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  var panel = document.getElementById("filters");
  if (!panel) { return; }
  var findings = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll("article.file"));
  var shown = document.getElementById("shown-count");

  function ticked(group) {
    var on = Object.create(null);
    panel.querySelectorAll("input[name=" + group + "]").forEach(function (box) {
      if (box.checked) { on[box.value] = true; }
    });
    return on;
  }

  function number(n) { return n.toLocaleString("en-US"); }
  function plural(n) { return number(n) + (n === 1 ? " finding" : " findings"); }

  function update() {
    var categories = ticked("category"), severities = ticked("severity"), total = 0;
    findings.forEach(function (item) {
      item.hidden = !(categories[item.dataset.category] && severities[item.dataset.severity]);
    });
    files.forEach(function (file) {
      var all = file.querySelectorAll("li.finding").length;
      var visible = file.querySelectorAll("li.finding:not([hidden])").length;
      total += visible;
      file.hidden = visible === 0;
      file.querySelector(".file-count").textContent =
        visible === all ? plural(all) : number(visible) + " of " + plural(all) + " shown";
    });
    shown.textContent = number(total);
  }

  panel.addEventListener("change", update);
  panel.querySelectorAll("button[data-check]").forEach(function (button) {
    button.addEventListener("click", function () {
      panel.querySelectorAll("input[name=category]").forEach(function (box) {
        box.checked = button.dataset.check === "all";
      });
      update();
    });
  });

  panel.hidden = false;
  update();
})();
"""
