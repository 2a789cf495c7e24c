"""``phrase``: report every match of the rule's patterns, minus declared exceptions.

For words that are a problem wherever they appear in prose ("miracle", "no side
effects"). ``exceptions`` keep negated or quoted uses out ("there is no cure"), and
``near`` restricts a rule to matches with some context nearby (a call to action only
counts next to a therapy).
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, render
from healthlint.checks.patterns import compile_rule, matches
from healthlint.document import Document
from healthlint.ruleset import Rule

FIELDS = {"patterns": list, "exceptions": dict, "near": dict}
REQUIRED = ("patterns",)


def validate(rule: Rule) -> None:
    compile_rule(rule)


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.compiled = [compile_rule(rule) for rule in rules]

    def run(self, doc: Document) -> Iterator[Hit]:
        for compiled in self.compiled:
            rule = compiled.rule
            for m in matches(compiled, doc):
                matched = doc.text[m.start() : m.end()]
                yield Hit(rule, m.start(), m.end(), render(rule.message, matched))
