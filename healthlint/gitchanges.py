"""The files changed since a git revision, for ``--changed-since REF``.

"Changed" is what a pull request against REF would show plus the work in progress: files
that differ between the merge base of REF and HEAD and the working tree (committed,
staged or not), and untracked files that git does not ignore. Comparing with the merge
base rather than REF itself keeps articles that only changed on REF's branch out of the
run. Deleted files have nothing left to lint and are left out.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from healthlint.errors import UsageError

GIT_TIMEOUT = 60


def changed_files(ref: str, cwd: Path | None = None) -> set[str]:
    """Real paths of the files changed since ``ref`` in the repository around ``cwd``."""
    folder = Path(cwd or Path.cwd())
    top = _git(["rev-parse", "--show-toplevel"], folder, "the current folder is not inside a git repository")
    root = Path(top.strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root,
         f"{ref!r} is not a commit, branch or tag in this repository (fetch it first in a shallow CI clone)")
    base = _git(["merge-base", ref, "HEAD"], root, f"{ref!r} and HEAD have no commit in common").strip()
    changed = _git(["diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", base, "--"], root, "git diff failed")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root, "git ls-files failed")
    names = [n for n in (changed + untracked).split("\0") if n]
    return {os.path.realpath(root / name) for name in names}


def _git(args: list[str], cwd: Path, problem: str) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, encoding="utf-8", errors="surrogateescape",
            timeout=GIT_TIMEOUT, check=False,
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed or not on PATH") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError(f"--changed-since: git could not be run ({exc})") from None
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()
        raise UsageError(f"--changed-since: {problem}{f' (git: {detail[0]})' if detail else ''}")
    return proc.stdout
