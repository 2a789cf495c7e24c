"""``--changed-since REF``: lint only what a pull request (plus work in progress) changed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from healthlint.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CURE = "Tea\n\nOur tea cures colds.\n"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A repository whose branch ``feature`` left ``main`` after one commit."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.com")
    monkeypatch.chdir(tmp_path)
    git("init", "-q", "-b", "main")
    for name in ("unchanged.txt", "committed.txt", "staged.txt", "unstaged.txt", "deleted.txt", "main-only.txt"):
        write(name, CURE)
    write(".gitignore", "ignored.txt\n")
    git("add", "-A")
    git("commit", "-q", "-m", "articles")
    git("checkout", "-q", "-b", "feature")
    write("committed.txt", CURE + "\nMore.\n")
    write("docs/new-committed.md", CURE)
    git("rm", "-q", "deleted.txt")
    git("add", "-A")
    git("commit", "-q", "-m", "edit")
    git("checkout", "-q", "main")
    write("main-only.txt", CURE + "\nOn main only.\n")
    git("commit", "-q", "-am", "main moves on")
    git("checkout", "-q", "feature")
    write("staged.txt", CURE + "\nStaged.\n")
    git("add", "staged.txt")
    write("unstaged.txt", CURE + "\nUnstaged.\n")
    write("untracked.txt", CURE)
    write("ignored.txt", CURE)
    return tmp_path


def git(*args: str) -> None:
    proc = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def write(name: str, text: str) -> None:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(text, encoding="utf-8")


def linted(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["check", "--select", "HL203", "--format", "json", *args])
    return code, sorted({f["path"] for f in json.loads(capsys.readouterr().out)["findings"]})


def test_committed_staged_unstaged_and_untracked_changes_are_linted(repo, capsys):
    assert linted(capsys, "--changed-since", "main", ".") == (1, [
        "committed.txt", "docs/new-committed.md", "staged.txt", "unstaged.txt", "untracked.txt",
    ])


def test_changed_files_are_intersected_with_the_given_paths(repo, capsys):
    assert linted(capsys, "--changed-since", "main", "docs", "unchanged.txt", "staged.txt") == (
        1, ["docs/new-committed.md", "staged.txt"],
    )


def test_nothing_changed_lints_nothing_and_passes(repo, capsys):
    git("stash", "-q", "--include-untracked")
    code = main(["check", "--changed-since", "HEAD", "."])
    assert code == 0
    assert capsys.readouterr().err == "No findings in 0 files.\n"


def test_unknown_ref_is_a_usage_error(repo, capsys):
    assert main(["check", "--changed-since", "no-such-branch", "."]) == 2
    assert capsys.readouterr().err == (
        "healthlint: error: --changed-since: 'no-such-branch' is not a commit, branch or tag in this "
        "repository (fetch it first in a shallow CI clone)\n"
    )


def test_outside_a_repository_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write("a.txt", CURE)
    assert main(["check", "--changed-since", "main", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("healthlint: error: --changed-since: the current folder is not inside a git repository (git: ")


def test_missing_git_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write("a.txt", CURE)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["check", "--changed-since", "main", "a.txt"]) == 2
    assert capsys.readouterr().err == (
        "healthlint: error: --changed-since needs git, which is not installed or not on PATH\n"
    )
