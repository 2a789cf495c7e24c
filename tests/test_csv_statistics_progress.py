"""CSV output, ``--statistics`` and the progress bar of ``healthlint check``."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from healthlint import statistics
from healthlint.cli import main
from healthlint.finding import Finding
from healthlint.progress import ERASE_LINE, ProgressBar
from healthlint.reporters import Report, render
from healthlint.reporters.csv_format import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = r"Found \d+ findings \([^)]*\) in 60 files\.\n"  # the whole of stderr: no bar
HYPE = "Sleep tea\n\nOur miracle tea is a game-changer. Studies show it works. Buy now!\n"


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """A copy of the fixtures: other work may add files to them while the tests run."""
    root = tmp_path_factory.mktemp("articles")
    shutil.copytree(ROOT / "fixtures", root / "fixtures")
    return root


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


# CSV


def test_csv_parses_back_to_the_rows_of_the_json_output(articles, capsys):
    _, as_json, _ = run(capsys, "--format", "json", str(articles))
    _, as_csv, _ = run(capsys, "--format", "csv", str(articles))
    rows = list(csv.reader(io.StringIO(as_csv, newline="")))
    assert rows[0] == list(json.loads(as_json)["findings"][0])
    expected = [
        ["" if value is None else str(value) for value in finding.values()]
        for finding in json.loads(as_json)["findings"]
    ]
    assert rows[1:] == expected
    assert as_csv.endswith("\r\n") and len(expected) > 50


def finding(message: str, path: str = "a.md", suggestion: str | None = None) -> Finding:
    return Finding(path=path, line=1, column=2, end_line=1, end_column=3, rule="HL401", name="hype-language",
                   category="hype", severity="warning", message=message, suggestion=suggestion)


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_get_a_quote(hostile):
    report = Report([finding(hostile, path=hostile, suggestion=hostile)], [hostile])
    [_, row] = list(csv.reader(io.StringIO(render("csv", report), newline="")))
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["message"] == cells["path"] == cells["suggestion"] == "'" + hostile
    assert cells["line"] == "1"


def test_csv_keeps_non_ascii_commas_quotes_and_newlines_intact():
    message = '"Wunder", ☕ für Ärzte\nzweite Zeile'
    [_, row] = list(csv.reader(io.StringIO(render("csv", Report([finding(message)], ["a.md"])), newline="")))
    assert row[COLUMNS.index("message")] == message
    assert row[COLUMNS.index("suggestion")] == ""


# --statistics


def test_statistics_count_findings_per_rule_like_ruff(articles, capsys):
    _, as_json, _ = run(capsys, "--format", "json", str(articles))
    code, out, err = run(capsys, "--statistics", str(articles))
    assert code == 1 and "Found" in err
    findings = json.loads(as_json)["findings"]
    counts = Counter(f["rule"] for f in findings)
    names = {f["rule"]: (f["name"], f["category"]) for f in findings}
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(int(n), rule.strip(), name.strip(), category) for n, rule, name, category in rows] == sorted(
        ((n, rule, *names[rule]) for rule, n in counts.items()), key=lambda row: (-row[0], row[1])
    )
    assert len({len(line.rsplit("\t", 1)[0].expandtabs()) for line in out.splitlines()}) == 1  # aligned


def test_statistics_ties_are_sorted_by_rule_id_and_counts_right_aligned():
    found = [finding("m")] * 12 + [
        Finding(path="a.md", line=1, column=1, end_line=1, end_column=2, rule=rule, name=name,
                category=category, severity="info", message="m")
        for rule, name, category in [("HL603", "date-missing", "transparency"), ("HL110", "x", "citation")]
    ]
    assert statistics.render(statistics.rule_counts(found), "text") == (
        "12\tHL401\thype-language\thype\n"
        " 1\tHL110\tx            \tcitation\n"
        " 1\tHL603\tdate-missing \ttransparency\n"
    )


def test_statistics_as_json(tmp_path, capsys):
    article = tmp_path / "tea.txt"
    article.write_text(HYPE, encoding="utf-8")
    code, out, _ = run(capsys, "--statistics", "--format", "json", "--select", "HL401,HL403", str(article))
    assert code == 1
    assert json.loads(out) == [
        {"count": 2, "rule": "HL401", "name": "hype-language", "category": "hype"},
        {"count": 1, "rule": "HL403", "name": "pressure-call-to-action", "category": "promotion"},
    ]


def test_statistics_of_a_clean_run_print_nothing_but_the_summary(tmp_path, capsys):
    article = tmp_path / "walk.txt"
    article.write_text("A short walk after dinner.\n", encoding="utf-8")
    assert run(capsys, "--statistics", "--select", "HL401", str(article)) == (0, "", "No findings in 1 file.\n")
    assert run(capsys, "--statistics", "--format", "json", "--select", "HL401", str(article))[:2] == (0, "[]\n")


def test_statistics_refuse_formats_that_have_no_table_of_counts(tmp_path, capsys):
    article = tmp_path / "tea.txt"
    article.write_text(HYPE, encoding="utf-8")
    code, out, err = run(capsys, "--statistics", "--format", "html", str(article))
    assert (code, out) == (2, "")
    assert "--statistics with --format html" in err


# Progress bar


class Terminal(io.StringIO):
    """Standard error as a terminal, as far as ``isatty`` tells."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def many_articles(tmp_path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(60):
        (folder / f"{n:02d}.txt").write_text(HYPE, encoding="utf-8")
    return folder


def on_terminal(monkeypatch) -> Terminal:
    """Standard error as a terminal, outside CI. Call it in the test itself: pytest's output
    capture replaces ``sys.stderr`` again between fixture set-up and the test."""
    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return stream


def test_progress_bar_is_drawn_on_a_terminal_for_a_long_run_and_erased(many_articles, capsys, monkeypatch):
    terminal = on_terminal(monkeypatch)
    assert main(["check", "--jobs", "2", "--format", "json", str(many_articles)]) == 1
    bar, _, summary = terminal.getvalue().rpartition(ERASE_LINE)
    assert bar.startswith(ERASE_LINE + "healthlint [") and "60/60 files 100%" in bar
    assert re.fullmatch(SUMMARY, summary)
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 60


def test_no_progress_bar_when_standard_error_is_not_a_terminal(many_articles, monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    main(["check", "--jobs", "1", str(many_articles)])
    assert re.fullmatch(SUMMARY, capsys.readouterr().err)


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_no_progress_bar_in_ci_even_on_a_terminal(many_articles, monkeypatch, ci):
    terminal = on_terminal(monkeypatch)
    monkeypatch.setenv("CI", ci)
    main(["check", "--jobs", "1", str(many_articles)])
    assert re.fullmatch(SUMMARY, terminal.getvalue())


def test_no_progress_bar_on_a_dumb_terminal(many_articles, monkeypatch):
    terminal = on_terminal(monkeypatch)
    monkeypatch.setenv("TERM", "dumb")
    main(["check", "--jobs", "1", str(many_articles)])
    assert re.fullmatch(SUMMARY, terminal.getvalue())


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_short_quick_run_gets_no_bar_but_a_slow_one_does():
    clock, stream = Clock(), Terminal()
    with ProgressBar(5, stream, env={}, clock=clock) as quick:
        for _ in range(5):
            clock.now += 0.1
            quick()
    assert stream.getvalue() == ""
    with ProgressBar(5, stream, env={}, clock=clock) as slow:
        for _ in range(5):
            clock.now += 0.5
            slow()
    assert stream.getvalue().count("/5 files") == 4  # from 1 s on: at 1.0, 1.5, 2.0 and 2.5 s
    assert stream.getvalue().endswith(ERASE_LINE)


def test_redraws_are_throttled_but_the_last_file_is_always_shown():
    clock, stream = Clock(), Terminal()
    with ProgressBar(1000, stream, env={}, clock=clock) as bar:
        for _ in range(1000):
            clock.now += 0.001
            bar()
    drawn = stream.getvalue()
    assert 9 <= drawn.count("/1000 files") <= 12
    assert "1000/1000 files 100%" in drawn


def test_the_bar_fits_the_terminal_and_estimates_the_time_left():
    bar = ProgressBar(200, Terminal(), env={})
    bar.done = 50
    line = bar.line(elapsed=30.0, width=80)
    assert line == "healthlint [#########                            ] 50/200 files  25%  1:30 left"
    assert len(line) == 79
    assert len(bar.line(elapsed=30.0, width=40)) < 40
    assert "left" not in bar.line(elapsed=1.0, width=80)  # too early to tell


def test_no_progress_bar_through_a_pipe(many_articles):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "--jobs", "1", str(many_articles)],
                          capture_output=True, text=True, env={**env, "TERM": "xterm"}, check=False)
    assert proc.returncode == 1
    assert re.fullmatch(SUMMARY, proc.stderr)
