"""Reports and baselines are replaced whole or not at all; Ctrl-C stops cleanly with 130.

CI uploads whatever report file it finds: a run that is interrupted, or fails to write,
must leave the previous report as it was, with no temporary file beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from healthlint import output
from healthlint.cli import main

OLD = "the previous report\n"


def workspace(tmp_path: Path) -> tuple[Path, Path]:
    article = tmp_path / "article.md"
    article.write_text("A miracle.\n", encoding="utf-8")
    report = tmp_path / "report.sarif"
    report.write_text(OLD, encoding="utf-8")
    return article, report


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_report_replaces_the_old_one_whole_and_keeps_its_permissions(tmp_path, capsys):
    article, report = workspace(tmp_path)
    report.chmod(0o644)
    assert main(["check", "--format", "sarif", "--output", str(report), str(article)]) == 1
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert stat.S_IMODE(report.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_a_new_report_gets_ordinary_permissions_not_owner_only_ones(tmp_path, capsys):
    article, _ = workspace(tmp_path)
    fresh = tmp_path / "new.json"
    umask = os.umask(0o022)
    try:
        main(["check", "--format", "json", "--output", str(fresh), str(article)])
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_interrupted_while_writing_the_old_report_survives(tmp_path, capsys, monkeypatch):
    article, report = workspace(tmp_path)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    assert main(["check", "--format", "sarif", "--output", str(report), str(article)]) == 130
    assert capsys.readouterr().err == "healthlint: interrupted\n"
    assert report.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


def test_a_full_disk_is_an_error_and_the_old_report_survives(tmp_path, capsys, monkeypatch):
    article, report = workspace(tmp_path)

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    assert main(["check", "--format", "sarif", "--output", str(report), str(article)]) == 2
    assert capsys.readouterr().err == f"healthlint: error: cannot write {report}: No space left on device\n"
    assert report.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


def test_a_folder_in_the_way_is_an_error_not_a_crash(tmp_path, capsys):
    article, _ = workspace(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["check", "--output", str(folder), str(article)]) == 2
    assert capsys.readouterr().err.startswith(f"healthlint: error: cannot write {folder}: Is a directory")


def test_a_symlinked_report_updates_its_target_and_stays_a_link(tmp_path, capsys):
    article, report = workspace(tmp_path)
    link = tmp_path / "latest.sarif"
    link.symlink_to(report.name)
    main(["check", "--format", "sarif", "--output", str(link), str(article)])
    assert link.is_symlink()
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_interrupted_baseline_write_keeps_the_old_baseline(tmp_path, capsys, monkeypatch):
    article, _ = workspace(tmp_path)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(OLD, encoding="utf-8")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    assert main(["check", "--write-baseline", str(baseline), str(article)]) == 130
    assert capsys.readouterr().err == "healthlint: interrupted\n"
    assert baseline.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


# --- a real Ctrl-C -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Enough articles that linting takes many seconds, so a signal lands mid-run."""
    folder = tmp_path_factory.mktemp("corpus")
    rng = random.Random(7)
    words = [
        "studies", "show", "that", "this", "miracle", "supplement", "may", "help", "people", "sleep",
        "better", "but", "the", "evidence", "is", "limited", "and", "doctors", "advise", "caution",
    ]
    for number in range(300):
        paragraphs = [" ".join(rng.choice(words) for _ in range(60)).capitalize() + "." for _ in range(40)]
        (folder / f"article-{number:03}.md").write_text("# Title\n\n" + "\n\n".join(paragraphs) + "\n")
    return folder


@pytest.mark.parametrize("jobs, whole_group", [("1", False), ("2", True)], ids=["one-process", "terminal-ctrl-c"])
def test_sigint_mid_run_exits_130_with_one_line_and_the_old_report_intact(tmp_path, corpus, jobs, whole_group):
    """With ``--jobs 2`` the signal goes to the whole process group, as a terminal's Ctrl-C
    does: the workers must neither print tracebacks nor outlive the run."""
    report = tmp_path / "report.sarif"
    report.write_text(OLD, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "--no-cache", "--jobs", jobs, "--format", "sarif",
         "--output", str(report), str(corpus)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    time.sleep(3)
    if whole_group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, "", "healthlint: interrupted\n")
    assert time.monotonic() - signalled < 10
    assert report.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no worker outlived the run
        os.killpg(proc.pid, 0)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
def test_a_run_killed_mid_run_stops_its_workers_and_dies_of_the_signal(tmp_path, corpus, signum):
    """A cancelled CI job or a closed terminal signals the healthlint process alone; its
    workers must not go on linting the queued files for nobody."""
    report = tmp_path / "report.sarif"
    report.write_text(OLD, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "--no-cache", "--jobs", "2", "--format", "sarif",
         "--output", str(report), str(corpus)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    time.sleep(3)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (-signum, "", "")
    assert report.read_text(encoding="utf-8") == OLD
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no worker outlived the run
        os.killpg(proc.pid, 0)


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc to see the workers start")
def test_ctrl_c_while_the_workers_start_ends_the_run_and_every_worker(corpus):
    """The pool forks its workers one by one; stopped between two forks it would not know
    of the last, which kept the output pipes open and the run never ended (2 runs in 10
    hung before the signals were held while the workers start). Without git on the PATH,
    the workers are the run's only children: it lists the files git ignores first."""
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-m", "healthlint", "check", "--no-cache", "--jobs", "2", "--format", "json",
             "--output", os.devnull, str(corpus)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, "PATH": str(corpus)},  # a folder of articles: no git there
        )
        deadline = time.monotonic() + 60
        while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        os.killpg(proc.pid, signal.SIGINT)  # as the first worker is forked
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        assert (proc.returncode, err) == (130, "healthlint: interrupted\n")


def test_ctrl_c_while_the_command_line_is_read_is_one_line_and_exit_130(capsys, monkeypatch):
    """The resident server's run is signalled as soon as it starts, so Ctrl-C can come
    while the arguments are still being read; it said nothing there, and ran exit 130."""
    import healthlint.cli

    def interrupted_build() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(healthlint.cli, "build_parser", interrupted_build)
    assert healthlint.cli.main(["check", "-"]) == 130
    assert capsys.readouterr().err == "healthlint: interrupted\n"
