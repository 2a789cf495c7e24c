"""Configuration files: discovery (nearest wins), command-line precedence, validation."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from healthlint.cli import main
from healthlint.config import ConfigResolver, read_config
from healthlint.settings import Overrides, path_matches

HYPE = "Tea\n\nA miracle tea. This is not medical advice.\n"  # HL401 at 3:3
CURE = "Tea\n\nOur sleep tea cures insomnia. This is not medical advice.\n"  # HL203 at 3:15
HOUSE_RULE = """\
id: ACME1
name: no-detox
category: hype
severity: warning
kind: phrase
enabled: false
profiles: {house: error}
message: '"{match}" is not a medical process'
why: The body removes waste itself.
references: ["House style guide"]
patterns: ['\\bdetox\\b']
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(capsys, *args: str) -> tuple[int, set[tuple[str, str, str]]]:
    """Exit code and (file name, rule, severity) of each finding of a JSON run."""
    code = main(["check", "--format", "json", *args])
    data = json.loads(capsys.readouterr().out)
    return code, {(Path(f["path"]).name, f["rule"], f["severity"]) for f in data["findings"]}


def error_of(capsys, *args: str) -> str:
    assert main(["check", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nearest_configuration_file_wins_for_each_file(project, capsys):
    write(project / "pyproject.toml", '[tool.healthlint]\nselect = ["HL203"]\n')
    write(project / "docs" / ".healthlint.yaml", "select: [HL401]\n")
    write(project / "top.txt", HYPE + CURE)
    write(project / "docs" / "deep" / "nested.txt", HYPE + CURE)
    code, found = findings(capsys, ".")
    assert code == 1
    assert {(name, rule) for name, rule, _ in found} == {("top.txt", "HL203"), ("nested.txt", "HL401")}


def test_healthlint_yaml_beats_pyproject_in_the_same_folder(project, capsys):
    write(project / "pyproject.toml", '[tool.healthlint]\nselect = ["HL203"]\n')
    write(project / ".healthlint.yaml", "select: [HL401]\n")
    write(project / "a.txt", HYPE + CURE)
    assert findings(capsys, "a.txt")[1] == {("a.txt", "HL401", "warning")}


def test_pyproject_without_a_healthlint_table_is_passed_over(project, capsys):
    write(project / "pyproject.toml", '[tool.healthlint]\nselect = ["HL203"]\n')
    write(project / "sub" / "pyproject.toml", '[project]\nname = "other"\n')
    write(project / "sub" / "a.txt", HYPE + CURE)
    assert findings(capsys, "sub")[1] == {("a.txt", "HL203", "error")}


def test_command_line_options_beat_the_configuration_file(project, capsys):
    write(project / "pyproject.toml", '[tool.healthlint]\nselect = ["HL203"]\nfail-on = "none"\n')
    write(project / "a.txt", HYPE + CURE)
    assert findings(capsys, "a.txt") == (0, {("a.txt", "HL203", "error")})
    assert findings(capsys, "--select", "HL401", "--fail-on", "warning", "a.txt") == (1, {("a.txt", "HL401", "warning")})


def test_ignore_on_the_command_line_adds_to_the_files_ignore(project, capsys):
    write(project / ".healthlint.yaml", "select: [HL203, HL401, HL001]\nignore: [HL001]\n")
    write(project / "a.txt", "Tea\n\nA miracle tea cures colds.\n")
    assert findings(capsys, "--ignore", "hype-language", "a.txt")[1] == {("a.txt", "HL203", "error")}


def test_no_config_and_config_file_choose_the_configuration(project, capsys):
    write(project / ".healthlint.yaml", "select: [HL401]\n")
    write(project / "other.toml", 'select = ["HL203"]\n')
    write(project / "a.txt", HYPE + CURE)
    assert findings(capsys, "--config", "other.toml", "a.txt")[1] == {("a.txt", "HL203", "error")}
    rules = {rule for _, rule, _ in findings(capsys, "--no-config", "a.txt")[1]}
    assert {"HL203", "HL401"} <= rules


def test_standard_input_takes_the_configuration_of_its_given_name(project, capsys, monkeypatch):
    write(project / "docs" / ".healthlint.yaml", "select: [HL401]\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((HYPE + CURE).encode())))
    assert findings(capsys, "--stdin-filename", "docs/post.md", "-")[1] == {("post.md", "HL401", "warning")}


def test_severity_overrides_change_the_level_or_turn_a_rule_off(project, capsys):
    write(project / ".healthlint.yaml", "select: [HL203, HL401]\nseverity: {hype-language: error, HL203: 'off'}\n")
    write(project / "a.txt", HYPE + CURE)
    assert findings(capsys, "a.txt")[1] == {("a.txt", "HL401", "error")}


def test_per_file_ignores_drop_findings_of_matching_files_only(project, capsys):
    write(project / "pyproject.toml", """\
[tool.healthlint]
select = ["HL203", "HL401"]
[tool.healthlint.per-file-ignores]
"drafts/*" = ["HL401"]
"legacy.txt" = ["cure-or-guarantee-claim", "HL4"]
""")
    for name in ("drafts/a.txt", "b.txt", "sub/legacy.txt"):
        write(project / name, HYPE + CURE)
    assert findings(capsys, ".")[1] == {
        ("a.txt", "HL203", "error"), ("b.txt", "HL203", "error"), ("b.txt", "HL401", "warning"),
    }


def test_exclude_skips_matching_files_even_when_named(project, capsys):
    write(project / ".healthlint.yaml", "select: [HL203]\nexclude: [drafts, '*.html']\n")
    write(project / "drafts" / "a.txt", CURE)
    write(project / "b.html", "<p>" + CURE + "</p>")
    write(project / "c.txt", CURE)
    assert findings(capsys, ".", "drafts/a.txt")[1] == {("c.txt", "HL203", "error")}


def test_rules_folders_are_relative_to_the_configuration_file(project, capsys, monkeypatch):
    write(project / "site" / "house-rules" / "ACME1.yaml", HOUSE_RULE)
    write(project / "site" / ".healthlint.yaml", "rules: [house-rules]\nprofile: house\nselect: [ACME1]\n")
    write(project / "site" / "a.txt", "Tea\n\nTry our detox tea.\n")
    monkeypatch.chdir(project / "site" / "house-rules")
    assert findings(capsys, "../a.txt")[1] == {("a.txt", "ACME1", "error")}


def test_configured_profile_yields_to_front_matter_but_not_to_the_command_line(project, capsys):
    write(project / "house-rules" / "ACME1.yaml", HOUSE_RULE)
    write(project / ".healthlint.yaml", "rules: [house-rules]\nprofile: house\n")
    write(project / "a.md", "---\nprofile: article\n---\n# Tea\n\nTry our detox tea.\n")
    assert "ACME1" not in {rule for _, rule, _ in findings(capsys, "a.md")[1]}
    assert ("a.md", "ACME1", "error") in findings(capsys, "--profile", "house", "a.md")[1]


def test_a_profile_the_file_misspells_is_named_in_a_warning_and_the_run_s_profile_is_used(project, capsys):
    write(project / "a.md", "---\nprofile: advertisng\n---\n# Tea\n\nOur tea treats arthritis. Not medical advice.\n")
    write(project / "b.md", "---\nprofile: advertising\n---\n# Tea\n\nOur tea treats arthritis. Not medical advice.\n")
    code = main(["check", "--format", "json", "a.md", "b.md"])
    out, err = capsys.readouterr()
    rules = {(Path(f["path"]).name, f["rule"]) for f in json.loads(out)["findings"]}
    assert code == 1 and ("b.md", "HL201") in rules and ("a.md", "HL201") not in rules  # HL201 is off in article
    assert ("a.md", "HL101") in rules
    assert "a.md: the file asks for profile 'advertisng', which does not exist, so it was linted with 'article'" in err
    assert "b.md" not in err


def test_a_list_where_the_file_names_its_profile_is_named_in_a_warning(project, capsys):
    write(project / "a.md", "---\nprofile: [news, advertising]\n---\n# Tea\n\nOur tea treats arthritis. Not medical advice.\n")
    main(["check", "a.md"])
    assert ("a.md: the file asks for profile 'news, advertising', which does not exist, so it was linted with "
            "'article'") in capsys.readouterr().err


@pytest.mark.parametrize("byline", ["authors: [Ann Lee, Bo Chan]", "author:\n  - Ann Lee\n  - Bo Chan"])
def test_a_news_story_whose_front_matter_lists_its_authors_has_a_byline(project, capsys, byline):
    write(project / "a.md", f"---\n{byline}\ndate: 2024-03-01\n---\n# Knee pain\n\nKnee pain is common.\n")
    write(project / "b.md", "---\nauthors: []\ndate: 2024-03-01\n---\n# Knee pain\n\nKnee pain is common.\n")
    rules = {(path, rule) for path, rule, _ in findings(capsys, "--profile", "news", "a.md", "b.md")[1]}
    assert ("a.md", "HL601") not in rules and ("b.md", "HL601") in rules


@pytest.mark.parametrize(("name", "text", "message"), [
    ("pyproject.toml", '[tool.healthlint]\nselct = ["HL101"]\n',
     "pyproject.toml: unknown key 'selct' in [tool.healthlint]; did you mean 'select'?"),
    (".healthlint.yaml", "per_file_ignores: {}\n",
     ".healthlint.yaml: unknown key 'per_file_ignores'; did you mean 'per-file-ignores'?"),
    (".healthlint.yaml", "colour: red\n",
     (".healthlint.yaml: unknown key 'colour'; valid keys are exclude, extend-select, fail-on, ignore, "
      "per-file-ignores, profile, rules, select, severity")),
    ("pyproject.toml", '[tool.healthlint]\nselect = "HL101"\n',
     "pyproject.toml: 'select' must be a list of strings; got a string ('HL101')"),
    (".healthlint.yaml", "severity: {HL401: warn}\n",
     (".healthlint.yaml: 'severity.HL401' must be one of error, warning, info, off; got a string ('warn'); "
      "did you mean 'warning'?")),
    (".healthlint.yaml", "select: []\n",
     ".healthlint.yaml: 'select' is empty, so no rule would run; leave it out to run every rule, or list the files to skip in 'exclude'"),
    (".healthlint.yaml", "severity: {HL401: on}\n",
     '.healthlint.yaml: \'severity.HL401\' is on, which YAML reads as true; write the severity in quotes, like "error" or "off"'),
    (".healthlint.yaml", "severity: [HL401]\n",
     ".healthlint.yaml: 'severity' must be a table (a mapping of keys to values); got a list"),
    (".healthlint.yaml", "per-file-ignores: {'*.md': HL401}\n",
     ".healthlint.yaml: 'per-file-ignores.*.md' must be a list of strings; got a string ('HL401')"),
    ("pyproject.toml", '[tool.healthlint]\nfail-on = "errors"\n',
     ("pyproject.toml: 'fail-on' must be one of error, warning, info, none; got a string ('errors'); "
      "did you mean 'error'?")),
    (".healthlint.yaml", "profile: 3\n", ".healthlint.yaml: 'profile' must be a profile name, like \"article\"; got a number (3)"),
    (".healthlint.yaml", "profile: adverts\n",
     ".healthlint.yaml: unknown profile 'adverts'; choose one of advertising, article, eu-food, news, us-supplement"),
    (".healthlint.yaml", "rules: [missing]\n", ".healthlint.yaml: 'rules' names 'missing', which is not a folder"),
    (".healthlint.yaml", "ignore: [hype-langauge]\n",
     (".healthlint.yaml: 'ignore' names 'hype-langauge', which is not a rule id, name or id prefix; "
      "did you mean 'hype-language'?\n")),
    (".healthlint.yaml", "severity: {HL4: error}\n",
     ".healthlint.yaml: 'severity' names 'HL4', which is not a rule id or name; "),
    (".healthlint.yaml", "per-file-ignores: {'*.md': [ZZZ9]}\n",
     (".healthlint.yaml: 'per-file-ignores' names 'ZZZ9', which is not a rule id, name or id prefix; "
      "`healthlint rules` lists them\n")),
    (".healthlint.yaml", "- select\n", ".healthlint.yaml: the healthlint configuration must be a table of keys, not a list"),
    (".healthlint.yaml", "select: [HL1\n",
     ".healthlint.yaml: not valid YAML (line 2, column 1): expected ',' or ']', but got '<stream end>'\n"),
    (".healthlint.yaml", "!!python/object/apply:os.system ['echo hi']\n",
     (".healthlint.yaml: not valid YAML (line 1, column 1): could not determine a constructor for the tag "
      "'tag:yaml.org,2002:python/object/apply:os.system'\n")),
    ("pyproject.toml", "[tool.healthlint\n",
     "pyproject.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 17)\n"),
    ("pyproject.toml", "[tool]\nhealthlint = 1\n",
     "pyproject.toml: the healthlint configuration in [tool.healthlint] must be a table of keys, not a number (1)"),
])
def test_configuration_mistakes_stop_the_run_naming_file_and_key(project, capsys, name, text, message):
    write(project / name, text)
    write(project / "a.txt", CURE)
    err = error_of(capsys, "a.txt")
    assert err.startswith(f"healthlint: error: {message}")
    assert "Traceback" not in err


def test_config_option_errors_name_the_file(project, capsys):
    assert error_of(capsys, "--config", "nope.toml", "a.txt").startswith("healthlint: error: nope.toml: cannot be read (")
    write(project / "pyproject.toml", "[project]\nname = 'x'\n")
    assert error_of(capsys, "--config", "pyproject.toml", "a.txt") == (
        "healthlint: error: pyproject.toml: has no [tool.healthlint] table\n"
    )
    write(project / "setup.cfg", "[healthlint]\n")
    assert "setup.cfg: not a configuration file" in error_of(capsys, "--config", "setup.cfg", "a.txt")


def test_mistyped_rule_on_the_command_line_is_a_usage_error(project, capsys):
    write(project / "a.txt", CURE)
    assert error_of(capsys, "--ignore", "HL4,missing-disclaimr", "a.txt") == (
        "healthlint: error: --ignore missing-disclaimr: not a rule id, name or id prefix; "
        "did you mean 'missing-disclaimer'?\n"
    )


def test_configuration_is_checked_even_when_no_file_is_linted(project, capsys):
    write(project / ".healthlint.yaml", "profile: adverts\n")
    (project / "empty").mkdir()
    assert error_of(capsys, "empty").startswith("healthlint: error: .healthlint.yaml: unknown profile 'adverts'")


def test_config_and_no_config_cannot_be_combined(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--config", "x.toml", "--no-config", "a.txt"])
    assert exit_info.value.code == 2
    assert "not allowed with argument --config" in capsys.readouterr().err


def test_resolver_reads_each_file_once_and_caches_folders(project):
    write(project / ".healthlint.yaml", "select: [HL401]\n")
    resolver = ConfigResolver(Overrides())
    first = resolver.settings_for(project / "a" / "b" / "x.md")
    assert resolver.settings_for(project / "a" / "y.md") is first
    assert first.select == ["HL401"] and first.source == project / ".healthlint.yaml"


def test_an_empty_yaml_file_is_a_configuration_with_defaults(project):
    settings = read_config(write(project / ".healthlint.yaml", ""))
    assert settings is not None and settings.select is None and settings.fail_on == "warning"


@pytest.mark.parametrize(("path", "glob", "expected"), [
    ("drafts/a.md", "drafts", True),
    ("docs/drafts/a.md", "drafts", True),
    ("docs/a.md", "*.md", True),
    ("docs/a.md", "docs/*.md", True),
    ("docs/legacy/a.md", "docs/legacy", True),
    ("docs/legacy/a.md", "./docs/legacy/", True),
    ("other/docs/legacy/a.md", "docs/legacy", False),
    ("docs/a.md", "*.txt", False),
    ("legal/terms.md", "**/legal/*", True),  # **/ is zero or more folders, as in .gitignore
    ("site/legal/terms.md", "**/legal/*", True),
    ("a/b/legal/terms.md", "**/legal/*", True),
    ("docs/a.md", "docs/**/a.md", True),
    ("docs/x/y/a.md", "docs/**/a.md", True),
    ("legalese/terms.md", "**/legal/*", False),
    ("ab.md", "a**/b.md", False),  # ** inside a segment is just *
    ("ax/b.md", "a**/b.md", True),
    ("b/c/x.md", "**/" * 30 + "x.md", True),  # a run of **/ is one
])
def test_globs_match_names_anywhere_and_paths_from_the_config_folder(path, glob, expected):
    assert path_matches(path, glob) is expected


def test_a_bare_off_in_yaml_turns_the_rule_off(project, capsys):
    write(project / ".healthlint.yaml", "severity:\n  HL401: off\n")
    write(project / "a.md", HYPE)
    assert findings(capsys, "a.md") == (0, set())


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_a_select_that_names_no_rule_is_a_usage_error(project, capsys, value):
    write(project / "a.md", HYPE)
    err = error_of(capsys, "--select", value, "a.md")
    assert "names no rule" in err and "leave it out to run every rule" in err
