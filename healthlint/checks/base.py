"""What every rule kind returns, and the time budget that keeps a bad pattern in check."""

from __future__ import annotations

from dataclasses import dataclass

from healthlint.ruleset import Rule

# Seconds one rule may spend matching one document before it is stopped and reported.
RULE_TIME_BUDGET = 2.0


@dataclass(frozen=True, slots=True)
class Hit:
    rule: Rule
    start: int
    end: int
    message: str
    suggestion: str | None = None


class RuleTimeout(Exception):
    """A rule's patterns ran past the time budget on one document."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule.id)
        self.rule = rule


def render(template: str, matched: str, **extra: str) -> str:
    """Fill ``{match}`` (whitespace collapsed) and other placeholders of a message."""
    values = {"match": " ".join(matched.split()), **extra}
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out
