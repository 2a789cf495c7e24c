"""Baselines: accept today's findings, report only new ones, even after lines move."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthlint.cli import main

ARTICLE = "Sleep tea\n\nOur sleep tea cures insomnia. This is not medical advice.\n"
CURE_MESSAGE = '"cures" promises a cure or a guaranteed result; remove it or cite the evidence in this sentence'


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--select", "HL203,HL401", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_write_baseline_records_fingerprints_and_exits_zero(project, capsys):
    code, out, err = check(capsys, "--write-baseline", "baseline.json", "a.txt")
    assert (code, out) == (0, "")
    assert err == "Wrote 1 baseline entry (1 finding) to baseline.json.\n"
    assert json.loads((project / "baseline.json").read_text()) == {
        "version": 1,
        "findings": [{"path": "a.txt", "rule": "HL203", "matched": "cures", "count": 1}],
    }


def test_accepted_finding_stays_accepted_when_lines_are_added_above(project, capsys):
    check(capsys, "--write-baseline", "baseline.json", "a.txt")
    (project / "a.txt").write_text("Sleep tea\n\nAn introduction.\n\nMore words.\n" + ARTICLE[len("Sleep tea\n"):])
    assert check(capsys, "--baseline", "baseline.json", "a.txt") == (0, "", "No findings in 1 file.\n")


def test_only_the_new_claim_is_reported(project, capsys):
    check(capsys, "--write-baseline", "baseline.json", "a.txt")
    (project / "a.txt").write_text(ARTICLE + "\nA miracle blend.\n", encoding="utf-8")
    code, out, err = check(capsys, "--baseline", "baseline.json", "a.txt")
    assert code == 1
    assert out == 'a.txt:5:3: HL401 [hype] "miracle" is promotional language; describe the measured effect instead\n'
    assert err == "Found 1 finding (1 warning) in 1 file.\n"


def test_a_second_copy_of_an_accepted_claim_is_reported(project, capsys):
    check(capsys, "--write-baseline", "baseline.json", "a.txt")
    (project / "a.txt").write_text(ARTICLE + "\nThe tea CURES\ninsomnia again.\n", encoding="utf-8")
    code, out, _ = check(capsys, "--baseline", "baseline.json", "a.txt")
    assert (code, out) == (1, f"a.txt:5:9: HL203 [claim] {CURE_MESSAGE.replace('cures', 'CURES')}\n")


def test_matched_text_is_compared_without_case_or_spacing(project, capsys):
    (project / "a.txt").write_text("Tea\n\nA  Miracle\ttea. Not medical advice.\n", encoding="utf-8")
    check(capsys, "--write-baseline", "baseline.json", "a.txt")
    (project / "a.txt").write_text("Tea\n\nIntro.\n\nA miracle tea. Not medical advice.\n", encoding="utf-8")
    assert check(capsys, "--baseline", "baseline.json", "a.txt")[0] == 0


def test_fixed_findings_are_counted_on_standard_error(project, capsys):
    (project / "b.txt").write_text(ARTICLE.replace("cures", "miracle"), encoding="utf-8")
    check(capsys, "--write-baseline", "baseline.json", "a.txt", "b.txt")
    (project / "a.txt").write_text("Sleep tea\n\nOur sleep tea is warm. Not medical advice.\n", encoding="utf-8")
    code, out, err = check(capsys, "--baseline", "baseline.json", "a.txt")
    assert (code, out) == (0, "")
    assert err == (
        "healthlint: 1 finding in the baseline baseline.json no longer occurs; "
        "run --write-baseline baseline.json to drop it\nNo findings in 1 file.\n"
    )


def test_entries_of_files_not_linted_in_this_run_are_not_counted_as_gone(project, capsys):
    (project / "b.txt").write_text(ARTICLE, encoding="utf-8")
    check(capsys, "--write-baseline", "baseline.json", "a.txt", "b.txt")
    assert check(capsys, "--baseline", "baseline.json", "a.txt") == (0, "", "No findings in 1 file.\n")


def test_baseline_paths_are_relative_to_the_baseline_file(project, capsys, monkeypatch):
    (project / "docs").mkdir()
    (project / "docs" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    check(capsys, "--write-baseline", "baseline.json", "docs")
    monkeypatch.chdir(project / "docs")
    assert check(capsys, "--baseline", "../baseline.json", "a.txt")[0] == 0


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such file; create it with --write-baseline baseline.json"),
    ("{",
     ("not a healthlint baseline (not JSON: Expecting property name enclosed in double quotes: "
      "line 1 column 2 (char 1)); rewrite it with --write-baseline baseline.json")),
    ('{"version": 2, "findings": []}',
     ('not a healthlint baseline (expected an object with "version": 1 and a '
      '"findings" list); rewrite it with --write-baseline baseline.json')),
    ('{"version": 1, "findings": [{"path": "a.txt", "rule": "HL203", "matched": "cures", "count": 0}]}',
     ("not a healthlint baseline (entry 1 needs string path, rule and matched, and a count of 1 or more); "
      "rewrite it with --write-baseline baseline.json")),
])
def test_missing_or_malformed_baseline_stops_the_run(project, capsys, content, problem):
    if content is not None:
        (project / "baseline.json").write_text(content, encoding="utf-8")
    assert check(capsys, "--baseline", "baseline.json", "a.txt") == (
        2, "", f"healthlint: error: --baseline baseline.json: {problem}\n",
    )


def test_baseline_is_not_written_when_a_file_cannot_be_linted(project, capsys):
    code, out, err = check(capsys, "--write-baseline", "baseline.json", "a.txt", "missing.txt")
    assert (code, out) == (2, "")
    assert err == (
        "healthlint: error: missing.txt: no such file or folder\n"
        "healthlint: error: baseline.json not written: fix the errors above first\n"
    )
    assert not (project / "baseline.json").exists()


def test_baseline_and_write_baseline_cannot_be_combined(project, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--baseline", "b.json", "--write-baseline", "b.json", "a.txt"])
    assert exit_info.value.code == 2
    assert "not allowed with argument --baseline" in capsys.readouterr().err
