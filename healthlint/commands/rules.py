"""``healthlint rules``: a table of the rules (id, name, category, severity, profiles): every rule,
or those that ``--select``, ``--ignore``, ``--extend-select`` and ``--profile`` leave on."""

from __future__ import annotations

import argparse
import json

from healthlint.cli import rule_folders, split_list
from healthlint.engine import Selection
from healthlint.errors import UsageError
from healthlint.profiles import known_profiles
from healthlint.ruleset import Rule, load_rules


def run_rules(args: argparse.Namespace) -> int:
    rules = load_rules(rule_folders(args.rules))
    profiles = sorted(known_profiles(rules))
    rules = _selected(rules, args, profiles)
    if args.format == "json":
        print(json.dumps([_row(r, profiles) for r in rules], indent=2))
        return 0
    header = ("ID", "NAME", "CATEGORY", "SEVERITY", "PROFILES")
    rows = [header] + [
        (r.id, r.name, r.category, r.severity, ", ".join(f"{p}:{lvl}" for p, lvl in _levels(r, profiles).items()))
        for r in rules
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return 0


def _selected(rules: list[Rule], args: argparse.Namespace, profiles: list[str]) -> list[Rule]:
    """The rules ``check`` would run with the same ``--select``, ``--ignore``,
    ``--extend-select`` and ``--profile``; every rule when none is given."""
    select, ignore, extend = (split_list(v) for v in (args.select, args.ignore, args.extend_select))
    if select is None and ignore is None and extend is None and args.profile is None:
        return rules
    if args.profile is not None and args.profile not in profiles:
        raise UsageError(f"unknown profile {args.profile!r}; choose one of {', '.join(profiles)}")
    if select == []:
        raise UsageError(f"--select {args.select!r} names no rule; leave it out to list every rule")
    for option, names in (("--select", select), ("--ignore", ignore), ("--extend-select", extend)):
        for name in names or ():
            if not any(name in (r.id, r.name) or r.id.startswith(name) for r in rules):
                raise UsageError(f"{option} {name}: no rule has this id, name or id prefix")
    selection = Selection(profile=args.profile or "article", select=select, ignore=ignore or [], extend=extend or [])
    return [r for r in rules if selection.severity_of(r) is not None]


def _levels(rule: Rule, profiles: list[str]) -> dict[str, str]:
    return {p: rule.severity_in(p) or "off" for p in profiles}


def _row(rule: Rule, profiles: list[str]) -> dict[str, object]:
    return {
        "id": rule.id, "name": rule.name, "category": rule.category, "severity": rule.severity,
        "kind": rule.kind, "profiles": _levels(rule, profiles),
    }
