"""``evidence``: a claim is fine only when a citation sits within the rule's window.

This is the heart of healthlint. A sentence matching a claim pattern ("FMT restores the
gut barrier", "studies show") is reported unless a citation (see ``healthlint.citations``)
appears in the same sentence or paragraph, as the rule's ``evidence.within`` says.
Hedged, negated and interrogative forms are declared by each rule as ``exceptions``.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, render
from healthlint.checks.patterns import check_window, compile_rule, matches, window
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.ruleset import Rule

FIELDS = {"patterns": list, "exceptions": dict, "near": dict, "evidence": dict}
REQUIRED = ("patterns", "evidence")


def validate(rule: Rule) -> None:
    evidence = rule.options["evidence"]
    if set(evidence) - {"within"}:
        raise RuleFileError(rule.path, "evidence", "takes only 'within' (sentence, paragraph or document)")
    check_window(rule, "evidence.within", evidence.get("within", "paragraph"))
    compile_rule(rule)


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.compiled = [
            (compile_rule(rule), rule.options["evidence"].get("within", "paragraph")) for rule in rules
        ]

    def run(self, doc: Document) -> Iterator[Hit]:
        for compiled, within in self.compiled:
            rule = compiled.rule
            for m in matches(compiled, doc):
                start, end = window(doc, m.start(), within)
                if doc.citations.any_between(start, end):
                    continue
                matched = doc.text[m.start() : m.end()]
                yield Hit(rule, m.start(), m.end(), render(rule.message, matched))
