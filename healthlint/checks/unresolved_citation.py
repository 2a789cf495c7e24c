"""``unresolved-citation``: a citation marker that points at no reference.

"[4]" with no fourth reference, or a footnote with no definition, looks like evidence
to a reader but leads nowhere; it is reported where the marker stands.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, render
from healthlint.document import Document
from healthlint.ruleset import Rule

FIELDS: dict[str, type] = {}
REQUIRED: tuple[str, ...] = ()


def validate(rule: Rule) -> None:
    """Nothing to check beyond the common fields."""


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    def run(self, doc: Document) -> Iterator[Hit]:
        for rule in self.rules:
            for marker in doc.citations.unresolved:
                matched = doc.text[marker.start : marker.end]
                yield Hit(rule, marker.start, marker.end, render(rule.message, matched))
