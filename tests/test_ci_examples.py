"""The README's CI and pre-commit examples: copied verbatim from docs/ci/, and they work.

Each example is a file under ``docs/ci/``; these tests check that the README shows it
unchanged, that it is valid YAML of the right shape, and that every ``healthlint``
command in it parses and runs on an article with a known finding.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from healthlint.cli import build_parser, main
from healthlint.config import read_config
from healthlint.reporters import FORMATS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "ci"
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARTICLE = "# Sleep tea\n\nOur sleep tea cures insomnia. This is not medical advice.\n"


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def commands() -> list[tuple[str, str]]:
    """(example file, command) for every ``healthlint`` command in the CI examples."""
    found = []
    for name in ("github-workflow.yml", "gitlab-ci.yml"):
        for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*(?:- )?(?:run: )?(healthlint .*)$", line)
            if match:
                found.append((name, match.group(1)))
    return found


@pytest.mark.parametrize("name", ["github-workflow.yml", "gitlab-ci.yml", "pre-commit-config.yaml"])
def test_readme_shows_each_example_verbatim(name):
    assert f"```yaml\n{(EXAMPLES / name).read_text(encoding='utf-8')}```\n" in README


def test_github_workflow_annotates_and_uploads_the_sarif_it_writes():
    steps = example("github-workflow.yml")["jobs"]["healthlint"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    sarif_command = next(shlex.split(r) for r in runs if "--format sarif" in r)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == sarif_command[sarif_command.index("--output") + 1]
    assert any("--format github" in r for r in runs)
    assert example("github-workflow.yml")["jobs"]["healthlint"]["permissions"]["security-events"] == "write"


def test_gitlab_job_publishes_the_code_quality_report_it_writes():
    job = example("gitlab-ci.yml")["healthlint"]
    command = shlex.split(next(s for s in job["script"] if s.startswith("healthlint ")))
    assert command[command.index("--format") + 1] == "gitlab"
    assert job["artifacts"]["reports"]["codequality"] == command[command.index("--output") + 1]
    assert job["artifacts"]["when"] == "always"


def test_the_examples_hold_healthlint_commands():
    assert {name for name, _ in commands()} == {"github-workflow.yml", "gitlab-ci.yml"}


@pytest.mark.parametrize(("name", "command"), commands())
def test_each_ci_command_is_a_valid_invocation_that_finds_the_claim(name, command, tmp_path, monkeypatch, capsys):
    argv = shlex.split(command)[1:]
    args = build_parser().parse_args(argv)
    if args.format not in FORMATS:
        pytest.skip(f"--format {args.format} is not implemented yet")
    monkeypatch.chdir(tmp_path)
    for path in args.paths:
        (tmp_path / path).mkdir(parents=True, exist_ok=True)
        (tmp_path / path / "sleep-tea.md").write_text(ARTICLE, encoding="utf-8")
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == (0 if args.fail_on == "none" else 1), err
    report = (tmp_path / args.output).read_text(encoding="utf-8") if args.output else out
    assert "sleep-tea.md" in report and "HL203" in report
    if args.format in ("sarif", "gitlab"):
        json.loads(report)


def test_pre_commit_example_uses_a_hook_this_repository_publishes():
    published = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    [repo] = example("pre-commit-config.yaml")["repos"]
    assert {hook["id"] for hook in repo["hooks"]} <= published
    assert repo["rev"]


def test_pre_commit_example_is_a_valid_pre_commit_config():
    pytest.importorskip("pre_commit")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(EXAMPLES / "pre-commit-config.yaml")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_configuration_example_is_valid(tmp_path):
    [toml] = re.findall(r"## Configuration\n.*?```toml\n(.*?)```", README, re.DOTALL)
    (tmp_path / "style" / "rules").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    settings = read_config(tmp_path / "pyproject.toml")
    assert settings is not None
    assert (settings.profile, settings.fail_on, settings.severity) == (
        "advertising", "error", {"hype-language": "error", "HL403": "off"},
    )
