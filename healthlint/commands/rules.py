"""``healthlint rules``: a table of the rules (id, name, category, severity, profiles): every rule,
or those that ``--select``, ``--ignore``, ``--extend-select`` and ``--profile`` leave on."""

from __future__ import annotations

import argparse
import json

from healthlint.batches import check_settings
from healthlint.cli import rule_folders, split_list, split_select
from healthlint.profiles import DEFAULT_PROFILE, known_profiles
from healthlint.ruleset import Rule, load_rules
from healthlint.settings import Overrides, Settings


def run_rules(args: argparse.Namespace) -> int:
    rules = load_rules(rule_folders(args.rules))
    profiles = sorted(known_profiles(rules))
    rules = _selected(rules, args)
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


def _selected(rules: list[Rule], args: argparse.Namespace) -> list[Rule]:
    """The rules ``check`` would run with the same ``--select``, ``--ignore``,
    ``--extend-select`` and ``--profile``; every rule when none is given."""
    select = split_select(args.select, "list every rule")
    ignore, extend = split_list(args.ignore), split_list(args.extend_select)
    if select is None and ignore is None and extend is None and args.profile is None:
        return rules
    settings = Settings(profile=args.profile or DEFAULT_PROFILE, select=select, extend_select=extend or [],
                        ignore=ignore or [])
    check_settings(settings, rules, Overrides())
    selection = settings.selection()
    return [r for r in rules if selection.severity_of(r) is not None]


def _levels(rule: Rule, profiles: list[str]) -> dict[str, str]:
    return {p: rule.severity_in(p) or "off" for p in profiles}


def _row(rule: Rule, profiles: list[str]) -> dict[str, object]:
    return {
        "id": rule.id, "name": rule.name, "category": rule.category, "severity": rule.severity,
        "kind": rule.kind, "profiles": _levels(rule, profiles),
    }
