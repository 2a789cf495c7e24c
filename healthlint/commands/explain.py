"""``healthlint explain RULE``: what a rule finds, why it matters, examples, sources."""

from __future__ import annotations

import argparse
import difflib
import re
import textwrap

from healthlint.cli import rule_folders
from healthlint.errors import UsageError
from healthlint.ruleset import Rule, load_rules

PLACEHOLDER = re.compile(r"\{\w+\}")


def run_explain(args: argparse.Namespace) -> int:
    rules = load_rules(rule_folders(args.rules))
    wanted = args.rule.strip()
    rule = next((r for r in rules if wanted.upper() == r.id.upper() or wanted == r.name), None)
    if rule is None:
        names = [r.id for r in rules] + [r.name for r in rules]
        close = difflib.get_close_matches(wanted, names, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; run 'healthlint rules' for the list"
        raise UsageError(f"no rule {wanted!r}{hint}")
    print(explanation(rule, rules))
    return 0


def explanation(rule: Rule, rules: list[Rule]) -> str:
    """The rule's documentation, in ruff's shape: what, why, examples, references."""
    wrap = lambda text: textwrap.fill(" ".join(text.split()), width=88)
    parts = [
        f"{rule.id} {rule.name}  [{rule.category}, {rule.severity}]",
        "",
        "What it finds",
        wrap(rule.description or _what(rule, rules)),
        "",
        "Why it matters",
        wrap(rule.why),
    ]
    for verdict, title in (("fail", "Fails"), ("pass", "Passes")):
        examples = rule.examples.get(verdict, [])
        if examples:
            parts += ["", title] + [textwrap.indent(e, "    ") for e in examples]
    if rule.profiles:
        parts += ["", "Profiles", "    " + ", ".join(f"{p}: {lvl}" for p, lvl in rule.profiles.items())]
    parts += ["", "References"] + [f"  - {r}" for r in rule.references]
    return "\n".join(parts)


def _what(rule: Rule, rules: list[Rule]) -> str:
    """A rule without a ``description`` is described by its message, and a message with
    placeholders by what it reports on the rule's first failing example: filled with
    anything generic, '"{match}" is promotional language; {suggestion}' reads as nonsense."""
    if "{" not in rule.message:
        return rule.message
    from healthlint.documents import parse_document
    from healthlint.ruletest import example_linter

    linter = example_linter(rules, rule)
    for text in rule.examples.get("fail", []):
        doc = parse_document(f"{rule.path}#examples.fail", text, "text")
        found = [f for f in linter.lint(doc) if f.rule == rule.id]
        if found:
            return f"For example: {found[0].message}"
    return PLACEHOLDER.sub("…", rule.message)
