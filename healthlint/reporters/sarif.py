"""SARIF 2.1.0, for GitHub code scanning and SARIF viewers (design.md §1).

One run. ``tool.driver.rules`` lists only the rules that have results: the report also
holds every loaded rule, including those the profile or ``--select`` switched off, and
listing those would suggest they ran. Columns are healthlint's own (1-based code points,
end exclusive), declared with ``columnKind: unicodeCodePoints``, so they equal the JSON
output's exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePath
from urllib.parse import quote

from healthlint import __version__
from healthlint.finding import Finding
from healthlint.reporters import Report
from healthlint.reporters.gitlab import fingerprints
from healthlint.ruleset import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SOURCE_ROOT = "SRCROOT"
FINGERPRINT_KEY = "healthlint/v1"
EXAMPLE_TITLES = (("fail", "Fails"), ("pass", "Passes"))
# A URL may hold balanced parentheses (Wikipedia); trailing punctuation is the sentence's.
URL = re.compile(r"https?://(?:[^\s<>()]|\([^\s<>()]*\))*(?:[^\s<>().,;:!?'\"\]]|\([^\s<>()]*\))")
MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>])")
# A line opening with these would start a list, heading or table; escaping the
# marker (the "." of "1.") keeps it text.
MARKDOWN_BLOCK_MARKER = re.compile(r"^(\s*(?:\d+(?=[.)])|(?=[-+#|])))(.)", re.MULTILINE)


def render(report: Report, *, working_directory: Path | None = None) -> str:
    """The SARIF log. ``working_directory`` (default: the current one) is what relative
    paths are relative to; it becomes the ``SRCROOT`` base URI."""
    cwd = working_directory or Path.cwd()
    rules = _rules_with_results(report)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [
        _result(finding, index[finding.rule], fingerprint)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    run = {
        "tool": {"driver": {
            "name": "healthlint",
            "version": __version__,
            "rules": [_descriptor(rule) for rule in rules],
        }},
        "invocations": [_invocation(report, cwd)],
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": _directory_uri(cwd)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rules_with_results(report: Report) -> list[Rule]:
    """The rules that have findings, by id. A finding whose rule the report lacks (a
    hand-made report) gets a descriptor built from the finding, so no result dangles."""
    rules = {f.rule: report.rules.get(f.rule) or _rule_from(f) for f in report.findings}
    return [rules[rule_id] for rule_id in sorted(rules)]


def _rule_from(finding: Finding) -> Rule:
    return Rule(
        id=finding.rule, name=finding.name, category=finding.category, severity=finding.severity,
        kind="", message=finding.message, why=finding.message, references=[], path="",
    )


def _descriptor(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.name.replace("-", " ").capitalize()},
        "fullDescription": {"text": rule.why},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }


def _help_text(rule: Rule) -> str:
    parts = ["Why it matters", rule.why]
    for verdict, title in EXAMPLE_TITLES:
        examples = rule.examples.get(verdict, [])
        if examples:
            parts += ["", title, *(_indent(example) for example in examples)]
    if rule.references:
        parts += ["", "References", *(f"- {reference}" for reference in rule.references)]
    return "\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.splitlines())


def _help_markdown(rule: Rule) -> str:
    parts = ["**Why it matters**", "", _markdown_text(rule.why)]
    for verdict, title in EXAMPLE_TITLES:
        examples = rule.examples.get(verdict, [])
        if examples:
            parts += ["", f"**{title}**", *(_code_block(example) for example in examples)]
    if rule.references:
        parts += ["", "**References**", "", *(f"- {_markdown_text(ref)}" for ref in rule.references)]
    return "\n".join(parts)


def _code_block(text: str) -> str:
    """A fenced block longer than any run of backticks in ``text``, so none closes it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n{fence}text\n{text.rstrip()}\n{fence}"


def _markdown_text(text: str) -> str:
    """Rule text as literal markdown: URLs become autolinks, everything else is escaped
    so that an underscore, an angle bracket or a leading ``1.`` renders as written."""
    pieces = []
    position = 0
    for url in URL.finditer(text):
        pieces.append(_escape_markdown(text[position:url.start()]))
        pieces.append(f"<{url.group()}>")
        position = url.end()
    pieces.append(_escape_markdown(text[position:]))
    return "".join(pieces)


def _escape_markdown(text: str) -> str:
    return MARKDOWN_BLOCK_MARKER.sub(r"\1\\\2", MARKDOWN_INLINE.sub(r"\\\1", text))


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, object]:
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": _artifact_location(finding.path),
            "region": {
                "startLine": finding.line,
                "startColumn": finding.column,
                "endLine": finding.end_line,
                "endColumn": finding.end_column,
            },
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }


def _artifact_location(path: str) -> dict[str, str]:
    """A relative path stays relative (GitHub resolves it against the checkout) and is
    tied to ``SRCROOT``; an absolute path becomes a ``file://`` URI, which may not have a
    base. Both are percent-encoded: a comma, colon or space in a file name is legal."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SOURCE_ROOT}


def _directory_uri(directory: Path) -> str:
    uri = directory.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _invocation(report: Report, cwd: Path) -> dict[str, object]:
    """File errors (unreadable, too large) mean the analysis is incomplete: say so."""
    invocation: dict[str, object] = {
        "executionSuccessful": not report.errors,
        "workingDirectory": {"uri": _directory_uri(cwd)},
    }
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in report.errors
        ]
    return invocation
