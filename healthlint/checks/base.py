"""What every rule kind returns, and the time budget that keeps a bad pattern in check."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from healthlint.ruleset import Rule

# Seconds one rule may spend on one document before it is stopped and reported, plus
# RULE_TIME_PER_MB for each million characters and RULE_TIME_PER_MATCH for each match
# it examines (``patterns.matches``): a long file, and one dense with claims, give a rule
# more work, and checking a match's exceptions can take half a millisecond. A runaway
# pattern is stuck inside one search and earns nothing from matches.
RULE_TIME_BUDGET = 2.0
RULE_TIME_PER_MB = 2.0
RULE_TIME_PER_MATCH = 0.002

_deadline: ContextVar[float | None] = ContextVar("rule_deadline", default=None)


def time_budget(length: int) -> float:
    """Seconds a rule may spend on a document of ``length`` characters."""
    return RULE_TIME_BUDGET + RULE_TIME_PER_MB * length / 1_000_000


@contextmanager
def rule_budget(length: int) -> Iterator[None]:
    """Run one rule over one document of ``length`` characters against one deadline.

    Every pattern search of the rule draws on the same budget (see ``remaining``), so a
    rule that makes many searches cannot take a full budget for each of them.
    """
    token = _deadline.set(time.monotonic() + time_budget(length))
    try:
        yield
    finally:
        _deadline.reset(token)


def deadline() -> float:
    """When the rule running now must be done (a fresh budget outside ``rule_budget``)."""
    until = _deadline.get()
    return until if until is not None else time.monotonic() + RULE_TIME_BUDGET


def remaining(until: float) -> float:
    """Seconds left before ``until``, for a ``timeout=``; TimeoutError once it has passed."""
    left = until - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


class Budget:
    """One rule's deadline on one document, shared by every search the rule makes.

    Each match the rule examines earns ``RULE_TIME_PER_MATCH`` more (``earn``), and the
    scanner still finding the next matches sees the extension: a rule with thousands of
    matches is stopped only when it is slow for its matches, not because it has many.
    """

    __slots__ = ("until",)

    def __init__(self) -> None:
        self.until = deadline()

    def earn(self) -> None:
        self.until += RULE_TIME_PER_MATCH

    def left(self) -> float:
        """Seconds left, for a ``timeout=``; TimeoutError once the budget is spent."""
        return remaining(self.until)


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
