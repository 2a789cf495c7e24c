"""``suppression``: the rule that reports suppression comments which suppress nothing.

The engine applies suppressions (``healthlint.suppression``) after every other rule has
run, so this kind produces no hits itself; its rule file carries the id, message and
severity the engine uses, and lets users select or ignore it like any other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit
from healthlint.document import Document
from healthlint.ruleset import Rule

PLACEHOLDERS = ("rules",)  # what ``{...}`` the message may name
FIELDS: dict[str, type] = {}
REQUIRED: tuple[str, ...] = ()


def validate(rule: Rule) -> None:
    """Nothing to check beyond the common fields."""


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    def run(self, doc: Document) -> Iterator[Hit]:
        return iter(())
