"""The command line: arguments and exit codes, nothing else.

Exit codes (design.md §1): 0 no finding at or above the fail level, 1 at least one, 2 a
usage, configuration, rule-file or internal error — with a one-paragraph message on
standard error and no traceback unless ``--debug``. Ctrl-C exits with 130.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from healthlint import __version__
from healthlint.errors import HealthlintError, UsageError
from healthlint.finding import SEVERITY_RANK

FAIL_LEVELS = ("error", "warning", "info", "none")


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width instead of asking ``shutil``.

    argparse builds a formatter for every option it is given, and the default one imports
    ``shutil`` (with ``bz2`` and ``lzma``) to learn the width: about 2.5 ms of
    every run, a pre-commit hook's included, that only ``--help`` needs.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width or terminal_columns() - 2)


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` tells it: ``$COLUMNS``, else
    standard output's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):  # no standard output, or not a terminal
        return 80


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthlint",
        description="Lint health content for missing disclaimers, unsupported claims, "
        "uncited research and hype.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"healthlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = functools.partial(sub.add_parser, formatter_class=_HelpFormatter)

    check = command("check", help="lint files and folders")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - reads standard input")
    check.add_argument("--format", default="text", metavar="FORMAT", help="text (default), json, …")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--statistics", action="store_true",
                       help="print counts of findings per rule instead of the findings (text or json)")
    check.add_argument("--fail-on", choices=FAIL_LEVELS, help="lowest severity that makes the run fail (default: warning)")
    _add_rule_options(check)
    check.add_argument("--stdin-filename", metavar="NAME", help="name (and so format) of standard input in reports")
    check.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="lint files in up to N processes (default: number of CPUs; under 32 KB of files, one)")
    _add_project_options(check)
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the cache of compiled rules and unchanged files' results "
                       "(.healthlint_cache, or $HEALTHLINT_CACHE_DIR)")
    check.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    rules = command("rules", help="list the rules")
    _add_rule_options(rules)
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = command("explain", help="explain one rule: what it finds, why, examples")
    explain.add_argument("rule", metavar="RULE", help="rule id or name, e.g. HL101")
    explain.add_argument("--rules", action="append", default=[], metavar="DIR", help="also load rules from DIR")

    server = command("server", help="the resident server that speeds up repeated runs (HEALTHLINT_SERVER=1)")
    server.add_argument("action", choices=("status", "stop"), help="status: is one running; stop: end it")

    test = command("test", help="check annotated fixture files (ruleid: / ok: comments)")
    test.add_argument("paths", nargs="+", metavar="PATH", help="fixture files or folders")
    test.add_argument("--rules", action="append", default=[], metavar="DIR", help="also load rules from DIR")
    test.add_argument("--only-rules", action="store_true", help="test only the rules from --rules folders")
    test.add_argument("--profile", help="profile to test under (default: from each file, else article)")
    return parser


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", action="append", default=[], metavar="DIR", help="add a folder of rule files (repeatable)")
    p.add_argument("--select", metavar="RULES", help="comma-separated rule ids, names or prefixes to run (only these)")
    p.add_argument("--extend-select", metavar="RULES", help="rules to run in addition to the profile's")
    p.add_argument("--ignore", metavar="RULES", help="comma-separated rules not to run")
    p.add_argument("--profile", metavar="NAME", help="rule profile: article (default), advertising, …")


def _add_project_options(p: argparse.ArgumentParser) -> None:
    """Configuration files, baselines and git: how a project adopts healthlint gradually."""
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE",
                        help="use only FILE (pyproject.toml, .healthlint.yaml or another .toml/.yaml file) "
                        "instead of the nearest configuration file above each linted file")
    config.add_argument("--no-config", action="store_true", help="ignore configuration files")
    baseline = p.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in the baseline FILE")
    baseline.add_argument("--write-baseline", metavar="FILE",
                          help="record the current findings in FILE, to accept them with --baseline; exits 0")
    p.add_argument("--changed-since", metavar="REF",
                   help="lint only files changed since the branch left the git commit, branch or tag REF "
                   "(committed, staged, unstaged or untracked)")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        return interrupted()
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    debug = getattr(args, "debug", False)
    try:
        if args.command == "check":
            from healthlint.commands.check import run_check

            return run_check(args)
        if args.command == "rules":
            from healthlint.commands.rules import run_rules

            return run_rules(args)
        if args.command == "explain":
            from healthlint.commands.explain import run_explain

            return run_explain(args)
        if args.command == "server":
            from healthlint.commands.server import run_server

            return run_server(args)
        from healthlint.commands.test import run_test

        return run_test(args)
    except HealthlintError as exc:
        print(f"healthlint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return interrupted()
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except Exception as exc:
        if debug:
            raise
        print(
            f"healthlint: internal error: {type(exc).__name__}: {exc}. This is a bug in "
            "healthlint; rerun with --debug and report the traceback.",
            file=sys.stderr,
        )
        return 2


def interrupted() -> int:
    """Ctrl-C ends a run with one line, not a traceback, and exit 130, as a shell reports it."""
    print("healthlint: interrupted", file=sys.stderr)
    return 130


def _silence_stdout() -> None:
    """After the reader of a pipe went away, make the interpreter's final flush quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def fail_level_reached(severities: list[str], fail_on: str) -> bool:
    if fail_on == "none":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[s] >= threshold for s in severities)


def split_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def split_select(value: str | None, leave_out: str) -> list[str] | None:
    """``--select``: None when not given, never empty. An unset variable in a CI script
    (``--select $RULES``) must not turn every rule off; ``leave_out`` says what leaving the
    option out does."""
    rules = split_list(value)
    if rules == []:
        raise UsageError(f"--select {value!r} names no rule; give rule ids, names or prefixes, "
                         f"or leave it out to {leave_out}")
    return rules


def rule_folders(extra: list[str]) -> list[Path]:
    from healthlint.lexicons import builtin_rules_dir

    return [builtin_rules_dir(), *extra_rule_folders(extra)]


def extra_rule_folders(extra: list[str]) -> list[Path]:
    """The ``--rules`` folders, checked: a typo must not silently drop a house rule set."""
    folders = []
    for raw in extra:
        path = Path(raw)
        if not path.is_dir():
            raise UsageError(f"--rules {raw}: no such folder of rule files")
        folders.append(path)
    return folders


def run() -> None:
    """The ``healthlint`` command run in this process: ``main()``, then ``finish``, then
    leave without the interpreter's clean-up.

    At exit, CPython frees every object one by one: the compiled rule pack is tens of
    thousands of them, about 14 ms, a tenth of a pre-commit run on one file. Nothing is
    left to do by then: reports and cache files are written and closed, and a process pool
    has been shut down. So the process ends at once, as mypy ends its runs.

    Start-up creates objects by the ten thousand (modules, the unpickled rule pack), and
    the collector, run every 700 of them, finds no garbage in them: collecting every
    10,000 saves a run on one file about 4 ms and bounds what cycles could hold to a few MB.
    """
    gc.set_threshold(10_000, 10, 10)
    os._exit(finish(main()))


def finish(code: int) -> int:
    """Flush the standard streams after ``main`` returned ``code``; the exit code to use.

    A reader that went away makes the flush fail: exit 1, as ``main`` does for a closed
    pipe; a full disk behind a redirection is an error, exit 2.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = 1
    except OSError as exc:
        from healthlint.output import stdout_failure

        print(f"healthlint: error: {stdout_failure(exc)}", file=sys.stderr)
        code = 2
    try:
        sys.stderr.flush()
    except OSError:
        pass  # nowhere left to say so
    return code


if __name__ == "__main__":
    run()
