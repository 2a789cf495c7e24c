"""Rules and configuration are written by users: a bad one is reported, never obeyed blindly.

A malformed file stops the run with exit 2 and a message naming the file and the field;
a pattern that runs away at match time becomes an error finding naming the rule, and
the other rules and files carry on; nothing in a rule or configuration file can run code.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from healthlint.checks.base import time_budget
from healthlint.checks.patterns import MAX_COMPILED_SIZE
from healthlint.cli import main

HYPE = 'HL401 [hype] "miracle" is promotional language; describe the measured effect instead'
RULE = """\
id: ACME1
name: house-rule
category: hype
severity: warning
kind: phrase
message: "\\"{{match}}\\" is our house style's no-go"
why: Testing.
references: ["House style guide"]
patterns:
  - '{pattern}'
"""


def rule_folder(tmp_path: Path, text: str, name: str = "ACME1.yaml") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def phrase_rule(tmp_path: Path, pattern: str, name: str = "ACME1.yaml") -> Path:
    return rule_folder(tmp_path, RULE.format(pattern=pattern), name)


def check(capsys, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """``healthlint check`` in ``tmp_path`` with the hype rule and the house rules."""
    article = tmp_path / "article.md"
    if not article.exists():
        article.write_text("A miracle.\n", encoding="utf-8")
    select = "HL401,ACME" if "--rules" in args else "HL401"
    code = main(["check", "--no-config", "--select", select, "--jobs", "1", *args, str(article)])
    out, err = capsys.readouterr()
    return code, out, err


# --- malformed rule files -----------------------------------------------------------


def test_malformed_yaml_names_the_file_and_line(tmp_path, capsys):
    folder = rule_folder(tmp_path, "id: ACME1\nname: x\n  category: [\n")
    assert check(capsys, tmp_path, "--rules", str(folder)) == (
        2, "", f"healthlint: error: {folder / 'ACME1.yaml'}: is not valid YAML (line 3): mapping values are not allowed here\n",
    )


def test_unknown_kind_names_the_valid_ones(tmp_path, capsys):
    folder = rule_folder(tmp_path, RULE.format(pattern="x").replace("kind: phrase", "kind: regexp"))
    code, out, err = check(capsys, tmp_path, "--rules", str(folder))
    assert (code, out) == (2, "")
    assert err.startswith(f"healthlint: error: {folder / 'ACME1.yaml'}: field 'kind': unknown kind 'regexp'; valid kinds: phrase,")


def test_unknown_field_suggests_the_closest_one(tmp_path, capsys):
    folder = rule_folder(tmp_path, RULE.format(pattern="x").replace("patterns:", "paterns:"))
    assert check(capsys, tmp_path, "--rules", str(folder)) == (
        2, "", (
            f"healthlint: error: {folder / 'ACME1.yaml'}: field 'paterns': is not a field of a phrase rule; "
            "did you mean 'patterns'?\n"
        ),
    )


@pytest.mark.parametrize(
    "pattern, problem",
    [
        ("(unclosed", "invalid regular expression '(unclosed': missing ) at position 9"),
        ("[z-a]", "invalid regular expression '[z-a]': bad character range at position 4"),
        ("{{no-such-lexicon}}", "no lexicon named 'no-such-lexicon'"),
        ("a{1000000000}", (
            "pattern 'a{1000000000}' repeats too much: it would compile to about 13,000,000,000 "
            f"characters (at most {MAX_COMPILED_SIZE:,}); lower its {{n}} counts"
        )),
        ("(?:ab|cd){1000000}", (
            "pattern '(?:ab|cd){1000000}' repeats too much: it would compile to about "
            f"18,000,000 characters (at most {MAX_COMPILED_SIZE:,}); lower its {{n}} counts"
        )),
    ],
)
def test_invalid_or_oversized_pattern_names_the_file_and_field(tmp_path, capsys, pattern, problem):
    """The two oversized patterns would take hundreds of GB, or crash the regex module."""
    folder = phrase_rule(tmp_path, pattern)
    assert check(capsys, tmp_path, "--rules", str(folder)) == (
        2, "", f"healthlint: error: {folder / 'ACME1.yaml'}: field 'patterns[0]': {problem}\n",
    )


# --- patterns that run away ------------------------------------------------------------


def test_catastrophic_pattern_becomes_an_error_finding_and_the_run_stays_bounded(tmp_path, capsys):
    folder = phrase_rule(tmp_path, "(a+)+$")
    (tmp_path / "article.md").write_text("A miracle.\n\n" + "a" * 50_000 + "b\n", encoding="utf-8")
    started = time.monotonic()
    code, out, err = check(capsys, tmp_path, "--rules", str(folder))
    took = time.monotonic() - started
    article = tmp_path / "article.md"
    budget = time_budget(len(article.read_text(encoding="utf-8")))
    assert code == 1
    assert out == (
        f"{article}:1:1: HL902 [hype] rule ACME1 (house-rule) from {folder / 'ACME1.yaml'} ran past its time "
        f"budget ({budget:.1f} s and 2 ms a match) on this file and was stopped; simplify its patterns\n"
        f"{article}:1:3: {HYPE}\n"
    )
    assert err == "Found 2 findings (1 error, 1 warning) in 1 file.\n"
    assert took < budget + 20


def test_catastrophic_exception_is_stopped_too_and_other_rules_of_its_kind_still_run(tmp_path, capsys):
    text = RULE.format(pattern="c").replace("patterns:", "exceptions:\n  before: ['(a|a)+$']\npatterns:")
    folder = rule_folder(tmp_path, text)
    phrase_rule(tmp_path, "miracle", "ACME2.yaml")
    (folder / "ACME2.yaml").write_text(
        (folder / "ACME2.yaml").read_text(encoding="utf-8").replace("ACME1", "ACME2").replace("house-rule", "house-word"),
        encoding="utf-8",
    )
    (tmp_path / "article.md").write_text("A miracle.\n\n" + "a" * 40 + "bc\n", encoding="utf-8")
    code, out, _ = check(capsys, tmp_path, "--rules", str(folder))
    assert code == 1
    assert [line.split(": ", 2)[1].split()[0] for line in out.splitlines()] == ["HL902", "ACME2", "HL401"]


def test_pattern_that_exhausts_the_regex_engine_is_stopped_on_that_file(tmp_path, capsys, monkeypatch):
    # Running out of memory takes about as long as the usual time budget on a slow host:
    # a longer budget makes sure it is the memory that stops the rule.
    monkeypatch.setattr("healthlint.checks.base.RULE_TIME_BUDGET", 60.0)
    folder = phrase_rule(tmp_path, "(?R)")
    code, out, _ = check(capsys, tmp_path, "--rules", str(folder))
    article = tmp_path / "article.md"
    assert code == 1
    assert out == (
        f"{article}:1:1: HL903 [hype] rule ACME1 (house-rule) from {folder / 'ACME1.yaml'} ran out of memory "
        f"on this file and was stopped; simplify its patterns\n{article}:1:3: {HYPE}\n"
    )


# --- no code runs ----------------------------------------------------------------------

PWN = '!!python/object/apply:os.system ["touch {marker}"]'


def test_a_python_tag_in_a_rule_file_is_rejected_not_run(tmp_path, capsys):
    marker = tmp_path / "pwned"
    folder = rule_folder(tmp_path, RULE.format(pattern="x").replace("patterns:\n  - 'x'", "patterns: " + PWN.format(marker=marker)))
    code, out, err = check(capsys, tmp_path, "--rules", str(folder))
    assert (code, out) == (2, "")
    assert err == (
        f"healthlint: error: {folder / 'ACME1.yaml'}: is not valid YAML (line 9): could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'\n"
    )
    assert not marker.exists()


def test_a_python_tag_in_the_configuration_is_rejected_not_run(tmp_path, capsys, monkeypatch):
    marker = tmp_path / "pwned"
    (tmp_path / ".healthlint.yaml").write_text(f"select: {PWN.format(marker=marker)}\n", encoding="utf-8")
    (tmp_path / "article.md").write_text("A miracle.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "article.md"]) == 2
    assert capsys.readouterr().err == (
        "healthlint: error: .healthlint.yaml: not valid YAML (line 1, column 9): could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'\n"
    )
    assert not marker.exists()


def test_a_python_tag_in_front_matter_is_only_text(tmp_path, capsys):
    marker = tmp_path / "pwned"
    article = tmp_path / "article.md"
    article.write_text(f"---\ntitle: {PWN.format(marker=marker)}\n---\nA miracle.\n", encoding="utf-8")
    code, out, _ = check(capsys, tmp_path)
    assert (code, out) == (1, f"{article}:4:3: {HYPE}\n")
    assert not marker.exists()


def test_malformed_configuration_names_the_file(tmp_path, capsys, monkeypatch):
    (tmp_path / ".healthlint.yaml").write_text("select: [HL401\n", encoding="utf-8")
    (tmp_path / "article.md").write_text("A miracle.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "article.md"]) == 2
    assert capsys.readouterr().err == (
        "healthlint: error: .healthlint.yaml: not valid YAML (line 2, column 1): expected ',' or ']', "
        "but got '<stream end>'\n"
    )


def test_unknown_configuration_key_suggests_the_closest_one(tmp_path, capsys, monkeypatch):
    (tmp_path / ".healthlint.yaml").write_text("selct: [HL401]\n", encoding="utf-8")
    (tmp_path / "article.md").write_text("A miracle.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "article.md"]) == 2
    assert capsys.readouterr().err == "healthlint: error: .healthlint.yaml: unknown key 'selct'; did you mean 'select'?\n"


def test_a_rule_stopped_on_a_file_is_not_replayed_from_the_cache(tmp_path, capsys, monkeypatch):
    """Whether a rule runs out of time depends on the machine's load at the time."""
    from healthlint.checks import base

    folder = phrase_rule(tmp_path, "(a|a)+$")
    (tmp_path / "article.md").write_text("A miracle.\n\n" + "a" * 20 + "b\n", encoding="utf-8")
    monkeypatch.setattr(base, "RULE_TIME_BUDGET", 0.1)  # the runaway needs about 0.6 s here
    _, stopped, _ = check(capsys, tmp_path, "--rules", str(folder))
    monkeypatch.setattr(base, "RULE_TIME_BUDGET", 60.0)
    _, again, _ = check(capsys, tmp_path, "--rules", str(folder))
    assert [line.split()[1] for line in stopped.splitlines()] == ["HL902", "HL401"]
    assert [line.split()[1] for line in again.splitlines()] == ["HL401"]


def test_a_pattern_with_countless_ways_to_begin_is_scanned_as_usual(tmp_path, capsys):
    """Reading its start words would take 2**40 steps; healthlint gives up on them."""
    folder = phrase_rule(tmp_path, r"(?:\b)?" * 40 + "miracle")
    code, out, _ = check(capsys, tmp_path, "--rules", str(folder))
    article = tmp_path / "article.md"
    assert code == 1
    assert out == f"{article}:1:3: ACME1 [hype] \"miracle\" is our house style's no-go\n{article}:1:3: {HYPE}\n"
