"""The command line contract: formats, exit codes, messages (design.md §1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.cli import main

CLAIM = "Sleep tea\n\nOur sleep tea cures insomnia. This is not medical advice.\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_json_output_has_the_contract_fields_and_summary(tmp_path, capsys):
    path = write(tmp_path, "a.txt", CLAIM)
    assert main(["check", "--select", "HL203", "--format", "json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    [finding] = data["findings"]
    assert finding == {
        "path": str(path), "line": 3, "column": 15, "end_line": 3, "end_column": 20,
        "rule": "HL203", "name": "cure-or-guarantee-claim", "category": "claim", "severity": "error",
        "message": '"cures" promises a cure or a guaranteed result; remove it or cite the evidence in this sentence',
        "suggestion": None,
    }
    assert data["summary"] == {"files": 1, "findings": 1, "errors": 1, "warnings": 0, "infos": 0}


def test_text_output_is_path_line_column_rule_category_message(tmp_path, capsys):
    path = write(tmp_path, "a.txt", CLAIM)
    main(["check", "--select", "HL203", str(path)])
    out, err = capsys.readouterr()
    assert out == f'{path}:3:15: HL203 [claim] "cures" promises a cure or a guaranteed result; remove it or cite the evidence in this sentence\n'
    assert "Found 1 finding (1 error) in 1 file." in err


def test_findings_are_sorted_by_path_line_column_rule(tmp_path, capsys):
    write(tmp_path, "b.txt", CLAIM)
    write(tmp_path, "a.txt", "Title\n\nA miracle breakthrough. Not medical advice.\n")
    main(["check", "--select", "HL203,HL401", "--format", "json", str(tmp_path)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in findings]
    assert keys == sorted(keys) and len(keys) == 3


def test_clean_file_exits_zero(tmp_path, capsys):
    path = write(tmp_path, "a.txt", "Walking\n\nWalking is pleasant. This is not medical advice.\n")
    assert main(["check", "--ignore", "HL601,HL603", str(path)]) == 0
    assert "No findings in 1 file." in capsys.readouterr().err


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("none", 0)])
def test_fail_on_sets_the_lowest_failing_severity(tmp_path, fail_on, code):
    path = write(tmp_path, "a.txt", "Title\n\nA miracle tea. Not medical advice.\n")  # one warning
    assert main(["check", "--select", "HL401", "--fail-on", fail_on, str(path)]) == code


def test_missing_path_is_a_usage_error_naming_it(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.md")]) == 2
    assert "nope.md: no such file or folder" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    path = write(tmp_path, "a.txt", CLAIM)
    assert main(["check", "--format", "yaml", str(path)]) == 2
    assert "--format yaml: unknown format" in capsys.readouterr().err


def test_standard_input_is_linted_under_the_given_name(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CLAIM.encode())))
    assert main(["check", "--select", "HL203", "--stdin-filename", "post.md", "-"]) == 1
    assert capsys.readouterr().out.startswith("post.md:3:15: HL203")


def test_output_file_is_written_and_stdout_stays_empty(tmp_path, capsys):
    path = write(tmp_path, "a.txt", CLAIM)
    report = tmp_path / "report.json"
    main(["check", "--select", "HL203", "--format", "json", "--output", str(report), str(path)])
    assert capsys.readouterr().out == ""
    assert json.loads(report.read_text())["summary"]["findings"] == 1


def test_select_and_ignore_choose_rules(tmp_path, capsys):
    path = write(tmp_path, "a.txt", "Title\n\nA miracle tea cures colds.\n")
    main(["check", "--select", "HL401", "--format", "json", str(path)])
    assert {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"HL401"}
    main(["check", "--ignore", "HL401,missing-disclaimer,HL5,HL6", "--format", "json", str(path)])
    assert {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"HL203"}


def test_jobs_two_gives_the_same_output_as_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("healthlint.runner.POOL_MIN_BYTES", 0)  # small files, but in workers
    for i in range(6):
        write(tmp_path, f"f{i}.txt", CLAIM.replace("insomnia", f"insomnia {i}"))
    main(["check", "--jobs", "1", "--format", "json", str(tmp_path)])
    one = capsys.readouterr().out
    main(["check", "--jobs", "2", "--format", "json", str(tmp_path)])
    assert capsys.readouterr().out == one


def pool_starts(monkeypatch) -> list[int]:
    """Record each process pool that is started, then start it as usual."""
    import concurrent.futures

    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def recording(workers, **kwargs):
        started.append(workers)
        return real(workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", recording)
    return started


def test_a_few_small_files_are_linted_in_one_process_even_with_jobs(tmp_path, capsys, monkeypatch):
    started = pool_starts(monkeypatch)
    for i in range(3):
        write(tmp_path, f"f{i}.txt", CLAIM)
    assert main(["check", "--jobs", "2", "--format", "json", str(tmp_path)]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 3
    assert started == []


def test_files_with_enough_text_are_shared_among_the_jobs(tmp_path, capsys, monkeypatch):
    started = pool_starts(monkeypatch)
    for i in range(3):
        write(tmp_path, f"f{i}.txt", CLAIM + "More about sleep and rest.\n" * 500)
    assert main(["check", "--jobs", "2", "--format", "json", str(tmp_path)]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 3
    assert started == [2]


def test_console_script_runs_without_traceback(tmp_path):
    path = write(tmp_path, "a.txt", CLAIM)
    proc = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", str(path)], capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


def buffered_streams() -> dict[str, str]:
    """The environment with Python's usual buffered standard output, as users have it
    (this project's machines set PYTHONUNBUFFERED, which would hide an unflushed buffer)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def test_console_script_delivers_its_report_whole_through_a_pipe(tmp_path, capsys):
    # The command ends with os._exit, which drops whatever is still buffered: a report small
    # enough to sit in the stream's buffer must still arrive, and the exit code must survive.
    path = write(tmp_path, "a.txt", CLAIM)
    main(["check", str(path)])
    expected = capsys.readouterr().out
    proc = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", str(path)], capture_output=True, text=True, check=False,
        env=buffered_streams(),
    )
    assert expected.count("\n") >= 2
    assert proc.stdout == expected
    assert proc.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["check"], ["rules"]], ids=["report", "printed-listing"])
def test_console_script_reports_a_full_disk_behind_a_redirection(tmp_path, command):
    # A report is flushed as it is written; the rule listing is printed and flushed at exit.
    path = write(tmp_path, "a.txt", CLAIM)
    args = [*command, str(path)] if command == ["check"] else command
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "healthlint", *args], stdout=full, stderr=subprocess.PIPE,
            text=True, check=False, env=buffered_streams(),
        )
    assert proc.returncode == 2
    assert "cannot write standard output" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_wraps_to_the_terminal_width_as_argparse_would(monkeypatch):
    """The help formatter learns the width without ``shutil``; the help must not change."""
    import argparse

    from healthlint.cli import build_parser

    helps = []
    for columns in ("50", "120"):
        monkeypatch.setenv("COLUMNS", columns)
        check = build_parser()._subparsers._group_actions[0].choices["check"]
        ours = check.format_help()
        check.formatter_class = argparse.HelpFormatter
        assert ours == check.format_help()
        helps.append(ours)
    assert helps[0] != helps[1]


def test_a_check_run_does_not_import_shutil(tmp_path):
    """argparse's default formatter imports ``shutil`` (and ``bz2``, ``lzma``): 2.5 ms a run."""
    article = tmp_path / "a.md"
    article.write_text("Zinc cures colds.\n")
    probe = (
        "import sys\nfrom healthlint.cli import main\n"
        "code = main(['check', '--no-config', '--no-cache', sys.argv[1]])\n"
        "print('shutil' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(article)], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False 1"


def test_healthlint_test_on_a_path_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    assert main(["test", str(tmp_path / "missing.md")]) == 2
    err = capsys.readouterr().err
    assert "healthlint: error:" in err and "missing.md: no such file or folder" in err
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "96-audiology-faq-tinnitus.md"
    assert main(["test", str(fixture)]) == 0


def test_rules_lists_only_what_select_ignore_and_profile_leave_on(capsys):
    def listed(*args: str) -> list[str]:
        assert main(["rules", "--format", "json", *args]) == 0
        return [row["id"] for row in json.loads(capsys.readouterr().out)]

    every = listed()
    assert listed("--select", "HL401,HL1") == [r for r in every if r == "HL401" or r.startswith("HL1")]
    article = listed("--profile", "article")  # what a plain check runs: fewer than every rule
    assert "HL201" in every and "HL201" not in article
    assert listed("--ignore", "hype-language") == [r for r in article if r != "HL401"]
    assert "HL201" in listed("--profile", "advertising") and "HL201" not in listed("--profile", "article")


@pytest.mark.parametrize(("args", "problem"), [
    (["--select", "NOPE"], "--select NOPE: not a rule id, name or id prefix"),
    (["--ignore", "hype-langauge"], "--ignore hype-langauge: not a rule id, name or id prefix; did you mean 'hype-language'?"),
    (["--select", ""], "names no rule"),
    (["--profile", "advertisng"], "unknown profile 'advertisng'"),
])
def test_rules_with_a_selection_that_names_nothing_is_a_usage_error(capsys, args, problem):
    assert main(["rules", *args]) == 2
    assert problem in capsys.readouterr().err


def _what_it_finds(text: str) -> str:
    return text.split("What it finds\n", 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize("rule_id", sorted(p.name[:5] for p in (Path(__file__).parents[1] / "rules").rglob("HL*.yaml")))
def test_explain_says_what_every_rule_finds_with_no_unfilled_placeholder(rule_id, capsys):
    assert main(["explain", rule_id]) == 0
    what = _what_it_finds(capsys.readouterr().out)
    assert what[0].isupper() and "{" not in what and "A phrase" not in what, what


def test_explain_shows_a_message_template_filled_in_by_the_rule_s_failing_example(capsys):
    assert main(["explain", "hype-language"]) == 0
    assert _what_it_finds(capsys.readouterr().out) == (
        'For example: "miracle" is promotional language; describe the measured effect instead'
    )


def test_explain_of_an_unknown_rule_suggests_the_closest_one(capsys):
    assert main(["explain", "HL4O1"]) == 2
    assert "no rule 'HL4O1'; did you mean HL401?" in capsys.readouterr().err
