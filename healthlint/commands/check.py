"""``healthlint check``: lint files and report findings."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.batches import lint_batches, plan
from healthlint.cli import extra_rule_folders, fail_level_reached, split_list, split_select
from healthlint.config import ConfigResolver
from healthlint.errors import UsageError
from healthlint.finding import Finding
from healthlint.output import write_report
from healthlint.progress import ProgressBar
from healthlint.reporters import FORMATS, Report, render
from healthlint.runner import Target, discover
from healthlint.settings import Overrides

if TYPE_CHECKING:
    from healthlint.baseline import Baseline


def resolver_from_args(args: argparse.Namespace) -> ConfigResolver:
    """Configuration files as the command line asks, with its options on top."""
    overrides = Overrides(
        profile=args.profile or None,
        select=split_select(args.select, "run every rule"),
        extend_select=split_list(args.extend_select) or [],
        ignore=split_list(args.ignore) or [],
        fail_on=args.fail_on,
        rule_dirs=extra_rule_folders(args.rules),
    )
    config = Path(args.config) if args.config else None
    return ConfigResolver(overrides, config_file=config, use_files=not args.no_config)


def run_check(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise UsageError(f"--format {args.format}: unknown format; choose one of {', '.join(FORMATS)}")
    if args.statistics:
        _check_statistics_format(args.format)
    if not args.paths:
        raise UsageError("no files given; name files or folders to lint, or - for standard input")
    resolver = resolver_from_args(args)
    baseline = _load_baseline(Path(args.baseline)) if args.baseline else None
    targets, errors = _files_to_lint(args, resolver)
    stdin_data = None
    if "-" in args.paths:
        name = args.stdin_filename or "-"
        targets.append(Target(name, None, None if args.stdin_filename else "text"))
        stdin_data = sys.stdin.buffer.read()
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give a whole number of processes, 1 or more")
    use_cache = not args.no_cache
    batches = plan(resolver, targets, use_cache)
    with ProgressBar(sum(1 for t in targets if t.source is not None)) as progress:
        results = lint_batches(
            batches, targets, jobs=jobs, stdin_data=stdin_data, progress=progress, use_cache=use_cache
        )
    findings = sorted(
        (f for r in results for f in r.findings if not resolver.settings_for(f.path).ignores(f)),
        key=lambda f: f.sort_key(),
    )
    for result in results:
        for notice in result.notices:
            print(f"healthlint: warning: {notice}", file=sys.stderr)
        if result.error:
            errors.append(result.error)
    linted = [r.path for r in results if not r.error and not r.skipped]
    if args.write_baseline is not None:
        return _write_baseline(Path(args.write_baseline), findings, errors)
    if baseline is not None:
        findings, gone = baseline.new_findings(findings, linted)
        if gone:
            verb, them = ("occurs", "it") if gone == 1 else ("occur", "them")
            print(f"healthlint: {gone} finding{'s' if gone != 1 else ''} in the baseline {baseline.path} no longer "
                  f"{verb}; run --write-baseline {baseline.path} to drop {them}", file=sys.stderr)
    report = Report(findings, linted, {r.id: r for b in batches for r in b.rules}, errors)
    if args.statistics:
        from healthlint import statistics

        write_report(statistics.render(statistics.rule_counts(findings), args.format), args.output)
    else:
        write_report(render(args.format, report), args.output)
    for error in errors:
        print(f"healthlint: error: {error}", file=sys.stderr)
    _summary(report)
    if errors:
        return 2
    failing = any(fail_level_reached([f.severity], resolver.settings_for(f.path).fail_on) for f in findings)
    return 1 if failing else 0


def _check_statistics_format(fmt: str) -> None:
    # Imported only for --statistics: a pre-commit run on one file saves 1 ms.
    from healthlint.statistics import STATISTICS_FORMATS

    if fmt not in STATISTICS_FORMATS:
        raise UsageError(
            f"--statistics with --format {fmt}: statistics come as "
            f"{' or '.join(STATISTICS_FORMATS)}; drop --statistics for a full {fmt} report"
        )


def _files_to_lint(args: argparse.Namespace, resolver: ConfigResolver) -> tuple[list[Target], list[str]]:
    """The files named or found in folders, less configured excludes, limited by --changed-since."""
    targets, errors = discover([p for p in args.paths if p != "-"])
    targets = [t for t in targets if not resolver.settings_for(t.display).excludes(t.display)]
    if args.changed_since is not None:
        from healthlint.gitchanges import changed_files  # git runs only for --changed-since

        changed = changed_files(args.changed_since)
        targets = [t for t in targets if os.path.realpath(t.display) in changed]
    return targets, errors


def _load_baseline(path: Path) -> Baseline:
    from healthlint.baseline import Baseline  # only runs that use a baseline load JSON for it

    return Baseline.load(path)


def _write_baseline(path: Path, findings: list[Finding], errors: list[str]) -> int:
    """Record the findings; refuse when files could not be read, as the record would be partial."""
    from healthlint.baseline import write_baseline

    for error in errors:
        print(f"healthlint: error: {error}", file=sys.stderr)
    if errors:
        print(f"healthlint: error: {path} not written: fix the errors above first", file=sys.stderr)
        return 2
    entries = write_baseline(path, findings)
    print(f"Wrote {entries} baseline entr{'y' if entries == 1 else 'ies'} "
          f"({len(findings)} finding{'s' if len(findings) != 1 else ''}) to {path}.", file=sys.stderr)
    return 0


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
