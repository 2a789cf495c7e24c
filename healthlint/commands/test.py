"""``healthlint test``: check annotated fixtures (and rule examples) against the rules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from healthlint.cli import rule_folders
from healthlint.documents import parse_document
from healthlint.encoding import decode_bytes
from healthlint.engine import Linter, Selection
from healthlint.ruleset import load_rules
from healthlint.ruletest import annotations, check_examples, compare, example_linter
from healthlint.runner import discover


def run_test(args: argparse.Namespace) -> int:
    rules = load_rules(rule_folders(args.rules))
    only = None
    if args.only_rules:
        extra = load_rules([Path(p) for p in args.rules]) if args.rules else []
        only = {r.id for r in extra}
    selection = Selection(profile=args.profile or "article", profile_forced=bool(args.profile))
    linter = Linter(rules, selection)
    targets, errors = discover(args.paths)
    for error in errors:  # a mistyped path is the caller's mistake, not a failing fixture
        print(f"healthlint: error: {error}", file=sys.stderr)
    problems: list[str] = []
    checked = 0
    for target in targets:
        assert target.source is not None
        text, notices = decode_bytes(target.source.read_bytes(), target.display)
        for notice in notices:
            print(f"healthlint: warning: {notice}", file=sys.stderr)
        if text is None:
            continue
        doc = parse_document(target.display, text)
        expected = annotations(doc)
        if not (expected.required or expected.forbidden):
            print(f"{target.display}: skipped: no ruleid/ok annotations", file=sys.stderr)
            continue
        problems.extend(str(m) for m in compare(target.display, linter.lint(doc), expected, only))
        checked += 1
    tested_rules = [r for r in rules if only is None or r.id in only]
    for rule in tested_rules:
        problems.extend(check_examples(rule, example_linter(rules, rule)))
    for problem in problems:
        print(problem)
    verdict = "failed" if problems else "passed"
    print(
        f"{checked} fixture file(s) and the examples of {len(tested_rules)} rule(s): "
        f"{verdict}, {len(problems)} mismatch(es).",
        file=sys.stderr,
    )
    return 2 if errors else 1 if problems else 0
