"""``healthlint rules``: a table of every rule (id, name, category, severity, profiles)."""

from __future__ import annotations

import argparse
import json

from healthlint.cli import rule_folders
from healthlint.profiles import known_profiles
from healthlint.ruleset import Rule, load_rules


def run_rules(args: argparse.Namespace) -> int:
    rules = load_rules(rule_folders(args.rules))
    profiles = sorted(known_profiles(rules))
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


def _levels(rule: Rule, profiles: list[str]) -> dict[str, str]:
    return {p: rule.severity_in(p) or "off" for p in profiles}


def _row(rule: Rule, profiles: list[str]) -> dict[str, object]:
    return {
        "id": rule.id, "name": rule.name, "category": rule.category, "severity": rule.severity,
        "kind": rule.kind, "profiles": _levels(rule, profiles),
    }
