"""``metric``: a document-level readability score against a limit.

The score is computed over the sentences of prose blocks (headings and list fragments
would flatter the score), and the finding points at the article's first line with the
score in the message, like Vale's metric rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, render
from healthlint.checks.required import first_line
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.readability import FORMULAS, counts
from healthlint.ruleset import Rule

PLACEHOLDERS = ("score", "limit")  # what ``{...}`` the message may name
FIELDS = {"formula": str, "max": (int, float), "min": (int, float), "min_words": int}
REQUIRED = ("formula",)


def validate(rule: Rule) -> None:
    if rule.options["formula"] not in FORMULAS:
        raise RuleFileError(rule.path, "formula", f"must be one of {', '.join(FORMULAS)}")
    if ("max" in rule.options) == ("min" in rule.options):
        raise RuleFileError(rule.path, "max", "give exactly one of 'max' or 'min'")


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    def run(self, doc: Document) -> Iterator[Hit]:
        prose = [s for s in doc.sentences if doc.blocks[s.block].kind in ("paragraph", "list_item", "quote")]
        words, sentences, syllable_count = counts([doc.masked[s.start : s.end] for s in prose])
        for rule in self.rules:
            if not sentences or words < rule.options.get("min_words", 100):
                continue
            score = FORMULAS[rule.options["formula"]](words, sentences, syllable_count)
            limit = rule.options.get("max", rule.options.get("min"))
            too_far = score > limit if "max" in rule.options else score < limit
            if too_far:
                start, end = first_line(doc)
                yield Hit(rule, start, end, render(rule.message, "", score=f"{score:.1f}", limit=f"{limit:g}"))
