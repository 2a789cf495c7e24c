"""The pre-commit hook this repository publishes, and the project's own pre-commit config.

The end-to-end test runs the real ``pre-commit try-repo`` with a copy of this checkout as
the hook repository (offline: a local path, not GitHub) against a throwaway repository of
articles, exactly as a content author's commit would run it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from healthlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")

CLAIM = "# Sleep tea\n\nOur sleep tea cures insomnia. This is not medical advice.\n"
CURE_FINDING = (
    'bad.md:3:15: HL203 [claim] "cures" promises a cure or a guaranteed result; '
    "remove it or cite the evidence in this sentence"
)


def run_pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )


def git_env(tmp_path: Path) -> dict[str, str]:
    """Git and pre-commit isolated from the user's configuration and caches."""
    env = dict(os.environ)
    env.update({
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "PRE_COMMIT_NO_CONCURRENCY": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    })
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, env: dict[str, str]) -> None:
    git(repo, env, "init", "-q")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "snapshot")


def copy_of_this_checkout(dest: Path, env: dict[str, str]) -> Path:
    """Tracked and new (not ignored) files, committed: what the hook repository would hold."""
    files = git(ROOT, env, "ls-files", "-z", "-co", "--exclude-standard").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    commit_all(dest, env)
    return dest


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an sdist?): there is no hook repository to try")
    folder = tmp_path_factory.mktemp("hook-repo")
    return copy_of_this_checkout(folder, git_env(folder))


@pytest.mark.e2e
def test_hook_reports_exact_positions_of_articles_only(hook_repo, tmp_path):
    env = git_env(tmp_path)
    articles = tmp_path / "articles"
    for name, text in {
        "bad.md": CLAIM,
        "good.md": "# Walking\n\nWalking is pleasant. This is not medical advice.\n",
        "page.html": "<h1>Tea</h1><p>A miracle tea. Not medical advice.</p>\n",
        "notes.txt": "Tea\n\nNo side effects at all. Not medical advice.\n",
        "script.py": "# Our tea cures insomnia.\n",
        "drafts/wip.md": CLAIM,
        ".healthlint.yaml": "exclude: [drafts]\n",
    }.items():
        (articles / name).parent.mkdir(parents=True, exist_ok=True)
        (articles / name).write_text(text, encoding="utf-8")
    commit_all(articles, env)

    started = time.monotonic()
    proc = run_pre_commit("try-repo", str(hook_repo), "healthlint", "--all-files", cwd=articles, env=env)
    elapsed = time.monotonic() - started

    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "- hook id: healthlint" in output and "- exit code: 1" in output
    assert CURE_FINDING in output.splitlines()
    assert re.search(r"^page\.html:1:\d+: HL401 \[hype\]", output, re.MULTILINE), output
    assert re.search(r"^notes\.txt:3:1: HL402 \[safety\]", output, re.MULTILINE), output
    assert "script.py" not in output and "drafts/wip.md" not in output and "good.md" not in output
    print(f"pre-commit try-repo took {elapsed:.1f} s")


@pytest.mark.e2e
def test_projects_own_healthlint_hook_passes_on_its_docs(hook_repo, tmp_path):
    env = git_env(tmp_path)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # language: system
    proc = run_pre_commit("run", "healthlint", "--all-files", cwd=hook_repo, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^healthlint \(the project's own docs\)\.+Passed$", proc.stdout, re.MULTILINE), proc.stdout


def test_hook_manifest_is_valid_for_pre_commit():
    proc = run_pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT, env=dict(os.environ))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_lints_articles_by_type_not_every_text_file():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "healthlint" and hook["entry"] == "healthlint check"
    assert hook["types_or"] == ["markdown", "html", "plain-text"]  # "text" would include .py and .yaml


def test_project_pre_commit_config_is_valid():
    proc = run_pre_commit("validate-config", ".pre-commit-config.yaml", cwd=ROOT, env=dict(os.environ))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_project_docs_pass_the_projects_own_healthlint_hook(monkeypatch, capsys):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "healthlint"]
    monkeypatch.chdir(ROOT)
    files = git(ROOT, dict(os.environ), "ls-files", "-co", "--exclude-standard").splitlines()
    docs = [f for f in files if re.search(hook["files"], f)]
    assert "README.md" in docs
    assert main([*hook["entry"].split()[1:], *docs]) == 0, capsys.readouterr().out
