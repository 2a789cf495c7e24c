"""Rules are data: every built-in rule is valid, documented and passes its own examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.cli import main
from healthlint.lexicons import builtin_rules_dir
from healthlint.ruleset import load_rules
from healthlint.ruletest import check_examples, example_linter

RULES = load_rules([builtin_rules_dir()])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_passes_its_own_examples(rule):
    assert check_examples(rule, example_linter(RULES, rule)) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented_with_sources(rule):
    assert len(rule.why) > 80 and rule.references
    if rule.kind not in ("suppression",):
        assert rule.examples.get("fail"), "every rule shows an example that fails"


VALID = """id: ACME1
name: no-detox
category: hype
severity: warning
kind: phrase
message: "\\"{match}\\" is vague"
why: Detox is not a medical process.
references: ["house style"]
patterns: ['\\bdetox\\b']
"""


def rule_dir(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "acme.yaml").write_text(text, encoding="utf-8")
    return folder


def test_user_rule_folder_adds_rules(tmp_path, capsys):
    folder = rule_dir(tmp_path, VALID)
    article = tmp_path / "a.txt"
    article.write_text("Try our detox tea.\n")
    assert main(["check", "--rules", str(folder), "--select", "ACME1", str(article)]) == 1
    assert f"{article}:1:9: ACME1 [hype]" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (("severity: warning", "severity: loud"), "severity", "is not one of: error, warning, info"),
        (("kind: phrase", "kind: phrse"), "kind", "unknown kind 'phrse'"),
        (("patterns:", "patterns_:"), "patterns_", "did you mean 'patterns'?"),
        (("'\\bdetox\\b'", "'(detox'"), "patterns[0]", "invalid regular expression"),
        (("category: hype\n", ""), "category", "is required"),
        (("{match}", "{mtch}"), "message", "{mtch} is not filled in for a phrase rule; it can use {match}"),
        (('is vague"', 'is vague\\nsecond line"'), "message", "must be one line"),
        (("{match}", "{suggestion}"), "message", "{suggestion} is not filled in for a phrase rule"),
    ],
)
def test_malformed_rule_file_stops_the_run_naming_file_field_and_problem(tmp_path, capsys, change, field, problem):
    folder = rule_dir(tmp_path, VALID.replace(*change))
    article = tmp_path / "a.txt"
    article.write_text("Detox.\n")
    assert main(["check", "--rules", str(folder), str(article)]) == 2
    err = capsys.readouterr().err
    assert str(folder / "acme.yaml") in err and f"field '{field}'" in err and problem in err
    assert "Traceback" not in err


def test_invalid_yaml_names_the_line(tmp_path, capsys):
    folder = rule_dir(tmp_path, VALID + "patterns: [unclosed\n")
    article = tmp_path / "a.txt"
    article.write_text("Detox.\n")
    assert main(["check", "--rules", str(folder), str(article)]) == 2
    assert "is not valid YAML (line" in capsys.readouterr().err


def test_yaml_tags_that_would_run_code_are_rejected(tmp_path, capsys):
    folder = rule_dir(tmp_path, VALID.replace("why: Detox", "why: !!python/object/apply:os.system ['echo hi']\nx: Detox"))
    article = tmp_path / "a.txt"
    article.write_text("Detox.\n")
    assert main(["check", "--rules", str(folder), str(article)]) == 2
    assert "is not valid YAML" in capsys.readouterr().err


def test_pathologically_nested_rule_file_is_an_error_not_a_crash(tmp_path, capsys):
    folder = rule_dir(tmp_path, "[" * 100_000)
    article = tmp_path / "a.txt"
    article.write_text("Detox.\n")
    assert main(["check", "--rules", str(folder), str(article)]) == 2
    err = capsys.readouterr().err
    assert str(folder / "acme.yaml") in err and "Traceback" not in err


def test_a_message_may_hold_other_braces_and_end_with_a_folded_line_break(tmp_path, capsys):
    text = VALID.replace('message: "\\"{match}\\" is vague"',
                         'message: >\n  "{match}" is vague: write the dose as {amount} {unit} ({0}, {{dose}})\n')
    assert 'message: >' in text
    article = tmp_path / "a.txt"
    article.write_text("Try our detox tea.\n")
    assert main(["check", "--rules", str(rule_dir(tmp_path, text)), "--select", "ACME1", str(article)]) == 1
    out = capsys.readouterr().out
    assert '"detox" is vague: write the dose as {amount} {unit} ({0}, {{dose}})\n' in out
