"""``substitution``: a phrase with a better wording, carried in the finding's suggestion.

``swap`` maps a pattern to its suggested rewording, as Vale's substitution rules do, so a
writer is told what to write instead of only what not to write.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, render
from healthlint.checks.patterns import CompiledPatterns, compile_pattern, compile_rule, matches
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.ruleset import Rule

PLACEHOLDERS = ("match", "suggestion")  # what ``{...}`` the message may name
FIELDS = {"swap": dict, "exceptions": dict, "near": dict}
REQUIRED = ("swap",)


def validate(rule: Rule) -> None:
    _compile(rule)


def _compile(rule: Rule) -> tuple[CompiledPatterns, list[tuple[object, str]]]:
    swap = rule.options["swap"]
    if not swap:
        raise RuleFileError(rule.path, "swap", "must map at least one pattern to a suggestion")
    pairs = []
    for pattern, suggestion in swap.items():
        if not isinstance(suggestion, str):
            raise RuleFileError(rule.path, f"swap.{pattern}", "the suggestion must be text")
        pairs.append((compile_pattern(rule, f"swap.{pattern}", pattern), suggestion))
    rule.options["patterns"] = list(swap)
    return compile_rule(rule), pairs


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.compiled = [_compile(rule) for rule in rules]

    def run(self, doc: Document) -> Iterator[Hit]:
        for compiled, pairs in self.compiled:
            rule = compiled.rule
            for m in matches(compiled, doc):
                matched = doc.text[m.start() : m.end()]
                suggestion = next((s for p, s in pairs if p.fullmatch(m.group())), pairs[0][1])
                message = render(rule.message, matched, suggestion=suggestion)
                yield Hit(rule, m.start(), m.end(), message, suggestion)
