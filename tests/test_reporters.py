"""CI report formats (design.md §1): SARIF, GitHub annotations, JUnit XML, GitLab Code Quality.

Golden files under tests/golden/ hold the exact output for one small hand-made report.
After a deliberate change, regenerate them with

    HEALTHLINT_UPDATE_GOLDEN=1 pytest tests/test_reporters.py

and review the diff: escapes and positions in them were checked by hand.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from healthlint.cli import main
from healthlint.finding import Finding
from healthlint.reporters import FORMATS, Report, github, gitlab, render, sarif
from healthlint.ruleset import Rule

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SARIF_SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
ODD_PATH = "articles/zinc, colds: a review.md"
UNREADABLE = "articles/broken.md: cannot be read (Permission denied); check the path and its permissions"


def finding(rule: Rule, path: str, line: int, column: int, end_column: int, message: str,
            matched: str, *, end_line: int | None = None, severity: str | None = None) -> Finding:
    return Finding(
        path=path, line=line, column=column, end_line=end_line or line, end_column=end_column,
        rule=rule.id, name=rule.name, category=rule.category, severity=severity or rule.severity,
        message=message, matched=matched,
    )


@pytest.fixture
def report(builtin_rules: list[Rule]) -> Report:
    """Three files (one clean), one unreadable file, and messages that need escaping."""
    rules = {r.id: r for r in builtin_rules}
    hl101, hl203, hl401, hl403 = (rules[i] for i in ("HL101", "HL203", "HL401", "HL403"))
    findings = [
        finding(hl101, ODD_PATH, 3, 10, 16, '"boosts" claims 50% fewer colds: cite it,\nthen qualify\r\nit',
                "boosts"),
        finding(hl401, ODD_PATH, 5, 1, 8, '"Miracle" — Wunder für Ärzte ☕ <&> is promotional language',
                "Miracle"),
        finding(hl401, ODD_PATH, 9, 22, 29, '"miracle" is promotional\x0c language', "miracle"),
        finding(hl203, "articles/sleep.txt", 2, 15, 7, '"cures" promises a cure', "cures\ninsomnia",
                end_line=3),
        finding(hl403, "articles/sleep.txt", 4, 1, 13, '"Buy now" is a sales call to action', "Buy now"),
    ]
    files = [ODD_PATH, "articles/clean.md", "articles/sleep.txt"]
    return Report(findings, files, rules, [UNREADABLE])


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HEALTHLINT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{path} is missing; run with HEALTHLINT_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_bytes().decode("utf-8")


# Registration and golden files


def test_every_ci_format_is_registered_and_rendered_through_the_registry(report):
    for fmt in ("sarif", "github", "junit", "gitlab"):
        assert fmt in FORMATS
        assert render(fmt, report)


def test_github_output_matches_golden(report):
    assert_golden("report.github.txt", render("github", report))


def test_junit_output_matches_golden(report):
    assert_golden("report.junit.xml", render("junit", report))


def test_gitlab_output_matches_golden(report):
    assert_golden("report.gitlab.json", render("gitlab", report))


def test_sarif_output_matches_golden(report):
    assert_golden("report.sarif.json", sarif.render(report, working_directory=Path("/work/site")))


# GitHub workflow commands


def github_lines(report: Report) -> list[str]:
    """The runner reads commands line by line at LF; ``splitlines`` would also split at
    the form feed one message holds."""
    return render("github", report).removesuffix("\n").split("\n")


def test_github_data_escapes_percent_first_then_cr_and_lf():
    assert github.escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github.escape_data("%0A") == "%250A"


def test_github_property_also_escapes_colon_and_comma():
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github.escape_property("%3A") == "%253A"


def test_github_annotation_escapes_path_title_and_message(report):
    first = github_lines(report)[1]
    assert first == (
        "::warning file=articles/zinc%2C colds%3A a review.md,line=3,col=10,endLine=3,endColumn=16,"
        "title=HL101 unsupported-efficacy-claim::articles/zinc, colds: a review.md:3:10: "
        '"boosts" claims 50%25 fewer colds: cite it,%0Athen qualify%0D%0Ait'
    )


def test_github_levels_map_info_to_notice_and_file_errors_to_error(report):
    lines = github_lines(report)
    assert lines[0] == "::error title=healthlint::" + UNREADABLE
    assert [line.split(" ", 1)[0] for line in lines[1:6]] == [
        "::warning", "::warning", "::warning", "::error", "::notice",
    ]


def test_github_summary_counts_severities_and_rules(report):
    assert github_lines(report)[6:] == [
        "healthlint: 5 findings (1 error, 3 warnings, 1 info) in 3 files.",
        "  HL101 unsupported-efficacy-claim: 1",
        "  HL203 cure-or-guarantee-claim: 1",
        "  HL401 hype-language: 2",
        "  HL403 pressure-call-to-action: 1",
    ]


def test_github_says_when_annotations_beyond_ten_of_a_level_are_hidden(report):
    many = [replace(report.findings[0], line=n, end_line=n) for n in range(1, 12)]
    lines = github_lines(Report(many, [ODD_PATH]))
    assert lines[-1].startswith("healthlint: GitHub shows only 10 annotations of each level per step")
    assert "GitHub shows only" not in render("github", Report(many[:10], [ODD_PATH]))


def test_github_clean_run_prints_only_the_summary():
    assert render("github", Report([], ["a.md", "b.md"])) == "healthlint: no findings in 2 files.\n"


# JUnit XML


def test_junit_parses_with_one_case_per_file_and_one_failure_per_finding(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [*report.files, UNREADABLE]
    assert [len(c.findall("failure")) for c in cases] == [3, 0, 2, 0]
    assert [len(c.findall("error")) for c in cases] == [0, 0, 0, 1]
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("4", "2", "1")


def test_junit_failure_carries_rule_message_and_text_line(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("type") == "HL101"
    assert failure.get("message") == '"boosts" claims 50% fewer colds: cite it,\nthen qualify\nit'
    assert failure.text.startswith(f"{ODD_PATH}:3:10: HL101 [claim] ")


def test_junit_replaces_characters_xml_cannot_hold(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    messages = [f.get("message") for f in root.iter("failure")]
    assert '"miracle" is promotional\ufffd language' in messages
    assert '"Miracle" — Wunder für Ärzte ☕ <&> is promotional language' in messages


def test_junit_finding_in_a_file_not_listed_still_appears():
    orphan = Finding("x.md", 1, 1, 1, 2, "HL401", "hype-language", "hype", "warning", "m")
    root = ET.fromstring(render("junit", Report([orphan], [])).encode("utf-8"))
    assert [c.get("name") for c in root.iter("testcase")] == ["x.md"]


# GitLab Code Quality


def test_gitlab_fingerprints_are_unique_and_survive_moved_lines(report):
    before = gitlab.fingerprints(report.findings)
    moved = [replace(f, line=f.line + 7, end_line=f.end_line + 7, column=1) for f in report.findings]
    assert gitlab.fingerprints(moved) == before
    assert len(set(before)) == len(before)


def test_gitlab_fingerprint_tells_apart_repeats_of_the_same_words(report):
    repeat = replace(report.findings[2], line=20, end_line=20)
    first, second = gitlab.fingerprints([report.findings[2], repeat])
    assert first != second


def test_gitlab_issue_has_the_required_fields_and_severity_mapping(report):
    issues = json.loads(render("gitlab", report))
    assert [i["severity"] for i in issues] == ["minor", "minor", "minor", "major", "info"]
    assert issues[3]["location"] == {"path": "articles/sleep.txt", "lines": {"begin": 2, "end": 3}}
    assert issues[3]["check_name"] == "HL203"
    assert issues[3]["description"] == 'HL203 [claim] "cures" promises a cure'


def test_gitlab_path_is_relative_to_the_working_directory(report, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inside = replace(report.findings[0], path=str(tmp_path / "docs" / "a.md"))
    [issue] = json.loads(render("gitlab", Report([inside], [inside.path])))
    assert issue["location"]["path"] == "docs/a.md"


# SARIF


def test_sarif_lists_only_rules_with_results_and_indexes_them(report):
    run = json.loads(render("sarif", report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["HL101", "HL203", "HL401", "HL403"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rule_help_has_why_examples_and_references(report):
    rules = json.loads(render("sarif", report))["runs"][0]["tool"]["driver"]["rules"]
    hl203 = next(r for r in rules if r["id"] == "HL203")
    rule = report.rules["HL203"]
    assert hl203["fullDescription"]["text"] == rule.why
    assert hl203["defaultConfiguration"] == {"level": "error"}
    assert hl203["properties"] == {"category": "claim", "tags": ["claim"]}
    markdown = hl203["help"]["markdown"]
    assert markdown.startswith("**Why it matters**\n\n")
    assert "**References**\n\n- " in markdown
    for example in rule.examples["fail"]:
        assert f"```text\n{example.rstrip()}\n```" in markdown
    for reference in rule.references:
        assert f"\n- {sarif._markdown_text(reference)}" in markdown
        assert f"\n- {reference}" in hl203["help"]["text"]


def test_sarif_markdown_escapes_rule_text_but_keeps_urls_clickable():
    text = "1. See *Smith_2020* at https://example.org/a_b_(c). <b>"
    assert sarif._markdown_text(text) == r"1\. See \*Smith\_2020\* at <https://example.org/a_b_(c)>. \<b\>"


def test_sarif_code_block_fence_outlasts_backticks_in_the_example():
    assert sarif._code_block("use ``` here") == "\n````text\nuse ``` here\n````"


def test_sarif_relative_path_is_a_percent_encoded_uri_under_srcroot(report):
    run = json.loads(sarif.render(report, working_directory=Path("/work/site")))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "articles/zinc%2C%20colds%3A%20a%20review.md", "uriBaseId": "SRCROOT",
    }
    assert location["region"] == {"startLine": 3, "startColumn": 10, "endLine": 3, "endColumn": 16}
    assert run["originalUriBaseIds"] == {"SRCROOT": {"uri": "file:///work/site/"}}
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_absolute_path_is_a_file_uri_without_base(report):
    absolute = replace(report.findings[0], path="/srv/docs/é.md")
    run = json.loads(render("sarif", Report([absolute], [absolute.path], report.rules)))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file:///srv/docs/%C3%A9.md"}


def test_sarif_file_errors_make_the_invocation_unsuccessful(report):
    [invocation] = json.loads(render("sarif", report))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{"level": "error", "message": {"text": UNREADABLE}}]


def test_sarif_result_of_a_rule_the_report_lacks_gets_a_descriptor():
    orphan = Finding("a.md", 1, 1, 1, 5, "ACME1", "house-style", "hype", "info", "Avoid this")
    run = json.loads(render("sarif", Report([orphan], ["a.md"])))["runs"][0]
    [rule] = run["tool"]["driver"]["rules"]
    assert (rule["id"], rule["shortDescription"]["text"], rule["defaultConfiguration"]["level"]) == (
        "ACME1", "House style", "note",
    )
    assert run["results"][0]["level"] == "note"


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(log: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(log)]
    assert not errors, "\n".join(errors)


def test_sarif_of_the_hand_made_report_is_valid_against_the_schema(report):
    assert_valid_sarif(json.loads(render("sarif", report)))


def test_sarif_from_the_cli_is_valid_and_has_the_json_columns(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    sarif_file, json_file = tmp_path / "out.sarif", tmp_path / "out.json"
    assert main(["check", "--format", "sarif", "--output", str(sarif_file), "fixtures/"]) == 1
    assert main(["check", "--format", "json", "--output", str(json_file), "fixtures/"]) == 1
    log = json.loads(sarif_file.read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    run = log["runs"][0]
    findings = json.loads(json_file.read_text(encoding="utf-8"))["findings"]
    assert findings
    located = []
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        located.append((result["ruleId"], location["artifactLocation"]["uri"], region["startLine"],
                        region["startColumn"], region["endLine"], region["endColumn"]))
    assert located == [
        (f["rule"], f["path"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings
    ]
    for rule in run["tool"]["driver"]["rules"]:
        assert "**References**\n\n- " in rule["help"]["markdown"]
