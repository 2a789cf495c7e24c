"""Test rules against annotated fixture files, the way Semgrep tests rules.

A fixture marks what must and must not be found, in comments:
``<!-- ruleid: HL101 -->`` (Markdown, HTML) or a line ``# ruleid: HL101`` (plain text)
says HL101 must fire on the annotated line; ``ok: HL101`` says it must not. A comment at
the end of a line of content annotates that line; a comment on a line of its own
annotates the next line with prose. Every finding must be annotated, and every
annotation met, so a fixture pins down precision as well as recall. List a rule twice
when it fires twice on a line.

Rule examples (the ``examples`` field of every rule) are checked here too: each
``fail`` text must make the rule fire, each ``pass`` text must not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from healthlint.document import Document
from healthlint.documents import parse_document
from healthlint.engine import Linter, Selection
from healthlint.finding import Finding
from healthlint.ruleset import Rule

ANNOTATION = re.compile(r"^\s*(ruleid|ok)\s*:\s*(.*?)\s*$", re.DOTALL)
COMMENT_TEXT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class Expectations:
    required: dict[int, Counter[str]] = field(default_factory=dict)
    forbidden: dict[int, set[str]] = field(default_factory=dict)


@dataclass
class Mismatch:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def annotations(doc: Document) -> Expectations:
    out = Expectations()
    for comment in doc.parsed.comments:
        m = ANNOTATION.match(comment.text)
        if not m:
            continue
        rules = [r for r in re.split(r"[\s,]+", m.group(2)) if r]
        line = _annotated_line(doc, comment.start, comment.end)
        if m.group(1) == "ruleid":
            out.required.setdefault(line, Counter()).update(rules)
        else:
            out.forbidden.setdefault(line, set()).update(rules)
    return out


def _annotated_line(doc: Document, start: int, end: int) -> int:
    """The comment's own line when content precedes it there, else the next prose line."""
    line, _ = doc.lines.line_col(start)
    before = doc.text[doc.lines.line_start(line) : start]
    if COMMENT_TEXT.sub("", before).strip(" \t>*-"):
        return line
    following = doc.next_prose_line(end)
    return following if following is not None else doc.lines.count


def compare(path: str, findings: list[Finding], expected: Expectations, only: set[str] | None) -> list[Mismatch]:
    """Mismatches between findings and annotations, sorted by line."""
    found: dict[int, Counter[str]] = {}
    for f in findings:
        if only is None or f.rule in only:
            found.setdefault(f.line, Counter())[f.rule] += 1
    problems: list[Mismatch] = []
    for line in sorted(set(found) | set(expected.required) | set(expected.forbidden)):
        want = expected.required.get(line, Counter())
        got = found.get(line, Counter())
        for rule in sorted(set(want) | set(got)):
            if only is not None and rule not in only:
                continue
            if got[rule] < want[rule]:
                problems.append(Mismatch(path, line, f"expected {rule} ×{want[rule]}, found ×{got[rule]}"))
            elif got[rule] > want[rule]:
                verb = "must not fire" if rule in expected.forbidden.get(line, set()) else "not annotated"
                problems.append(Mismatch(path, line, f"{rule} fired ×{got[rule]} ({verb}; annotated ×{want[rule]})"))
    return problems


def check_examples(rule: Rule, linter: Linter) -> list[str]:
    """Problems with a rule's own fail/pass examples, linted as plain text."""
    problems = []
    for verdict in ("fail", "pass"):
        for i, text in enumerate(rule.examples.get(verdict, [])):
            doc = parse_document(f"{rule.path}#examples.{verdict}[{i}]", text, "text")
            fired = any(f.rule == rule.id for f in linter.lint(doc))
            if fired != (verdict == "fail"):
                should = "should fire but did not" if verdict == "fail" else "should not fire but did"
                problems.append(f"{rule.path}: {rule.id} example {verdict}[{i}] {should}: {text!r}")
    return problems


def example_linter(rules: list[Rule], rule: Rule) -> Linter:
    """A linter running only ``rule``, whatever profile it would be off in."""
    return Linter(rules, Selection(select=[rule.id]))
