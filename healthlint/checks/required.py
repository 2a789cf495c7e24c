"""``required``: the document must contain one of the patterns somewhere in its prose.

For what belongs once per article (a medical disclaimer, a references section). With
``trigger``, the requirement applies only to documents that match a trigger pattern, so
a recipe page is not asked for a medical disclaimer. ``metadata`` names front-matter or
``<meta>`` fields that also satisfy it (an ``author`` field is a byline), and
``citations: true`` lets any citation satisfy it (a references section). The finding points at a real place:
the first trigger match (``report_at: trigger``) or the article's first line of prose.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Budget, Hit, RuleTimeout, render
from healthlint.checks.patterns import (
    CompiledPatterns,
    compile_rule,
    compile_scanner,
    matches,
)
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.ruleset import Rule

FIELDS = {"patterns": list, "trigger": list, "exceptions": dict, "report_at": str, "search": str, "metadata": list, "citations": bool}
REQUIRED = ("patterns",)
REPORT_AT = ("start", "trigger")
SEARCH = ("prose", "source")


def validate(rule: Rule) -> None:
    if rule.options.get("report_at", "start") not in REPORT_AT:
        raise RuleFileError(rule.path, "report_at", f"must be one of {', '.join(REPORT_AT)}")
    if rule.options.get("search", "prose") not in SEARCH:
        raise RuleFileError(rule.path, "search", f"must be one of {', '.join(SEARCH)}")
    if rule.options.get("report_at") == "trigger" and "trigger" not in rule.options:
        raise RuleFileError(rule.path, "report_at", "'trigger' needs a trigger list")
    compile_scanner(rule, "patterns", rule.options["patterns"])
    _trigger(rule)


def _trigger(rule: Rule) -> CompiledPatterns | None:
    """The trigger, with the rule's exceptions applied to it (a negated claim is no trigger)."""
    if "trigger" not in rule.options:
        if "exceptions" in rule.options:
            raise RuleFileError(rule.path, "exceptions", "apply to the trigger; give a trigger list")
        return None
    return compile_rule(rule, "trigger")


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.compiled = [
            (
                rule,
                compile_scanner(rule, "patterns", rule.options["patterns"]),
                _trigger(rule),
            )
            for rule in rules
        ]

    def run(self, doc: Document) -> Iterator[Hit]:
        if not doc.blocks:
            return
        for rule, pattern, trigger in self.compiled:
            if _satisfied(rule, doc):  # a byline field or a citation: cheapest first
                continue
            try:
                first_trigger = next(matches(trigger, doc), None) if trigger else None
                if trigger and not first_trigger:
                    continue
                haystack = doc.text if rule.options.get("search") == "source" else doc.masked
                if pattern.search(doc, haystack, Budget()):
                    continue
            except TimeoutError:
                raise RuleTimeout(rule) from None
            if rule.options.get("report_at") == "trigger" and first_trigger:
                start, end = first_trigger.span()
            else:
                start, end = first_line(doc)
            yield Hit(rule, start, end, render(rule.message, doc.text[start:end]))


def first_line(doc: Document) -> tuple[int, int]:
    """The first line of prose: usually the title, where a reader starts.

    Front-matter fields are prose too, but readers start at the article's first line.
    """
    first = next((b for b in doc.blocks if b.kind != "metadata"), doc.blocks[0])
    start = first.start
    line, _ = doc.lines.line_col(start)
    next_line = doc.lines.starts[line] if line < doc.lines.count else len(doc.text)
    end = min(first.end, next_line)
    while end > start and doc.text[end - 1] in "\r\n \t":
        end -= 1
    return start, max(end, start + 1)


def _satisfied(rule: Rule, doc: Document) -> bool:
    if any(str(doc.metadata.get(key, "")).strip() for key in rule.options.get("metadata", ())):
        return True
    return bool(rule.options.get("citations")) and doc.citations.count > 0
