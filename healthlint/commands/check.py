"""``healthlint check``: lint files and report findings."""

from __future__ import annotations

import argparse
import os
import sys

from healthlint.cli import fail_level_reached, rule_folders, split_list
from healthlint.errors import UsageError
from healthlint.output import write_report
from healthlint.reporters import FORMATS, Report, render
from healthlint.ruleset import load_rules
from healthlint.runner import Target, discover, lint_all
from healthlint.settings import Settings


def settings_from_args(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if args.profile:
        settings.profile = args.profile
    if args.select is not None:
        settings.select = split_list(args.select)
    if args.extend_select:
        settings.extend_select = split_list(args.extend_select) or []
    if args.ignore:
        settings.ignore = split_list(args.ignore) or []
    if getattr(args, "fail_on", None):
        settings.fail_on = args.fail_on
    settings.rule_dirs = rule_folders(args.rules)
    return settings


def run_check(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise UsageError(f"--format {args.format}: unknown format; choose one of {', '.join(FORMATS)}")
    if not args.paths:
        raise UsageError("no files given; name files or folders to lint, or - for standard input")
    settings = settings_from_args(args)
    rules = load_rules(settings.rule_dirs)
    _check_profile(settings.profile, rules)
    targets, errors = discover([p for p in args.paths if p != "-"], settings.exclude)
    stdin_data = None
    if "-" in args.paths:
        name = args.stdin_filename or "-"
        targets.append(Target(name, None, None if args.stdin_filename else "text"))
        stdin_data = sys.stdin.buffer.read()
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give a whole number of processes, 1 or more")
    results = lint_all(rules, settings.selection(), targets, jobs=jobs, stdin_data=stdin_data)
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    for result in results:
        for notice in result.notices:
            print(f"healthlint: warning: {notice}", file=sys.stderr)
        if result.error:
            errors.append(result.error)
    linted = [r.path for r in results if not r.error and not r.skipped]
    report = Report(findings, linted, {r.id: r for r in rules}, errors)
    write_report(render(args.format, report), args.output)
    for error in errors:
        print(f"healthlint: error: {error}", file=sys.stderr)
    _summary(report)
    if errors:
        return 2
    return 1 if fail_level_reached([f.severity for f in findings], settings.fail_on) else 0


def _check_profile(profile: str, rules: list) -> None:
    from healthlint.profiles import known_profiles

    names = known_profiles(rules)
    if profile not in names:
        raise UsageError(f"unknown profile {profile!r}; choose one of {', '.join(sorted(names))}")


def _summary(report: Report) -> None:
    counts = report.counts()
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.findings:
        print(f"No findings in {files} {noun}.", file=sys.stderr)
        return
    parts = [f"{counts[k]} {k[:-1] if counts[k] == 1 else k}" for k in ("errors", "warnings", "infos") if counts[k]]
    total = len(report.findings)
    print(f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files} {noun}.", file=sys.stderr)
