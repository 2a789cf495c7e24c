"""``evidence``: a claim is fine only when a citation sits within the rule's window.

This is the heart of healthlint. A sentence matching a claim pattern ("FMT restores the
gut barrier", "studies show") is reported unless a citation (see ``healthlint.citations``)
appears in the same sentence or paragraph, as the rule's ``evidence.within`` says.
Hedged, negated and interrogative forms are declared by each rule as ``exceptions``, or
by ``claim_strength``: the tiers (``healthlint.claims``) the sentence must reach to count.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, render
from healthlint.checks.patterns import check_window, compile_rule, matches, window
from healthlint.claims import TIERS, TierPatterns, clause_pattern, clause_strength, tier_patterns
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.ruleset import Rule

FIELDS = {"patterns": list, "exceptions": dict, "near": dict, "evidence": dict, "claim_strength": list}
REQUIRED = ("patterns", "evidence")


def validate(rule: Rule) -> None:
    evidence = rule.options["evidence"]
    if set(evidence) - {"within"}:
        raise RuleFileError(rule.path, "evidence", "takes only 'within' (sentence, paragraph or document)")
    check_window(rule, "evidence.within", evidence.get("within", "paragraph"))
    for tier in rule.options.get("claim_strength", []):
        if tier not in TIERS:
            raise RuleFileError(rule.path, "claim_strength", f"{tier!r} is not one of: {', '.join(TIERS)}")
    compile_rule(rule)


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.compiled = [
            (compile_rule(rule), rule.options["evidence"].get("within", "paragraph"),
             frozenset(rule.options.get("claim_strength", ())))
            for rule in rules
        ]
        uses_tiers = any(tiers for _, _, tiers in self.compiled)
        self.tiers: TierPatterns = tier_patterns() if uses_tiers else ()
        self.clauses = clause_pattern() if uses_tiers else None

    def run(self, doc: Document) -> Iterator[Hit]:
        for compiled, within, tiers in self.compiled:
            rule = compiled.rule
            for m in matches(compiled, doc):
                if tiers and self._strength_at(doc, m.start()) not in tiers:
                    continue
                start, end = window(doc, m.start(), within)
                if doc.citations.any_between(start, end):
                    continue
                matched = doc.text[m.start() : m.end()]
                yield Hit(rule, m.start(), m.end(), render(rule.message, matched))

    def _strength_at(self, doc: Document, offset: int) -> str:
        """The tier of the clause that holds ``offset``: a sentence that reports an
        association and then claims a cause is a claim."""
        sentence = doc.sentence_at(offset)
        if sentence is None:
            return "none"
        return clause_strength(doc.masked[sentence.start : sentence.end], offset - sentence.start, self.tiers,
                               self.clauses)
