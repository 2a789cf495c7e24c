"""``conditional``: if A appears, B must (or must not) appear within a window.

For rules whose trigger and remedy are different words: a supplement's structure/function
claim ("supports healthy digestion") requires the exact FDA disclaimer somewhere in the
document; a medical disclaimer sitting beside cure claims does not neutralise them
(``forbid``). Each match of ``when`` is checked, and reported, on its own. With ``near``,
as for ``phrase`` rules, a match of ``when`` counts only with that context nearby: "our
team" is a seller's only on a page that sells.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks.base import Hit, RuleTimeout, deadline, remaining, render
from healthlint.checks.patterns import (
    check_window,
    compile_alternation,
    compile_rule,
    matches,
    window,
)
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.ruleset import Rule

FIELDS = {"when": list, "require": list, "forbid": list, "within": str, "report": str, "exceptions": dict,
          "search": str, "near": dict}
REQUIRED = ("when",)
REPORTS = ("first", "each")


def validate(rule: Rule) -> None:
    has_require, has_forbid = "require" in rule.options, "forbid" in rule.options
    if has_require == has_forbid:
        raise RuleFileError(rule.path, "require", "give exactly one of 'require' or 'forbid'")
    check_window(rule, "within", rule.options.get("within", "document"))
    if rule.options.get("report", "first") not in REPORTS:
        raise RuleFileError(rule.path, "report", f"must be one of {', '.join(REPORTS)}")
    if rule.options.get("search", "prose") not in ("prose", "source"):
        raise RuleFileError(rule.path, "search", "must be prose or source")
    _compile(rule)


def _compile(rule: Rule):
    rule.options["patterns"] = rule.options["when"]
    when = compile_rule(rule)
    field = "require" if "require" in rule.options else "forbid"
    then = compile_alternation(rule, field, rule.options[field])
    return when, then, field == "require"


class Check:
    def __init__(self, rules: list[Rule]) -> None:
        self.compiled = [_compile(rule) for rule in rules]

    def run(self, doc: Document) -> Iterator[Hit]:
        for when, then, required in self.compiled:
            rule = when.rule
            within = rule.options.get("within", "document")
            haystack = doc.text if rule.options.get("search") == "source" else doc.masked
            until = deadline()
            # Matches in one window share the answer; searching a window once keeps a
            # document-wide window linear in the number of matches.
            present_in: dict[tuple[int, int], bool] = {}
            for m in matches(when, doc):
                span = window(doc, m.start(), within)
                if span not in present_in:
                    try:
                        present_in[span] = then.search(haystack, *span, timeout=remaining(until)) is not None
                    except TimeoutError:
                        raise RuleTimeout(rule) from None
                present = present_in[span]
                if present != required:
                    yield Hit(rule, m.start(), m.end(), render(rule.message, doc.text[m.start() : m.end()]))
                    if rule.options.get("report", "first") == "first":
                        break
